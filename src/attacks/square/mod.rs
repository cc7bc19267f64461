//! The Square attack (Andriushchenko et al. 2020) as ART's `SquareAttack` implements it: a
//! score-based black-box attack that only calls [`Classifier::predict`].
//!
//! Main type: [`SquareRun`], one step per iteration. Per restart, every sample the model still
//! classifies as its label restarts from the input: a first proposal (L-inf: vertical stripes of
//! `±eps`; L2: a grid of `±` patterns scaled to norm `eps`) is kept if it lowers the margin loss
//! `z_y - max_{i != y} z_i`, and then each iteration proposes one random square (its side
//! shrinks on [`proposals::fraction`]'s schedule): L-inf sets it to `±eps` per channel; L2 moves
//! the perturbation's mass from a second random square into it and rescales to norm `eps`. A
//! proposal is kept when it lowers the margin; a sample stops once fooled. Each proposal costs
//! one query per sample (plus one for the clean scores), counted in [`AttackRun::queries`].
//!
//! Where advlab differs from ART 1.20.1, and why:
//! - The margin is taken on `ln p` when the model outputs probabilities (the logit margin, from
//!   the scores alone). ART takes it on the probabilities, which stop changing in float32 once
//!   the model is confident, so its Square stalls on such samples.
//! - Each sample draws its own square and signs (as the authors' code); ART draws one per
//!   iteration for the whole batch.
//! - The L2 update rescales the new square to `sqrt(max(eps^2 - |delta|^2, 0) / c + w^2)` as the
//!   paper and the authors' code do; ART's `delta_new /= A * B` divides by that factor instead
//!   of multiplying, an operator-precedence slip.
//! - Non-image inputs (IRIS) are one row of features: squares are runs of `round(p D)`
//!   features, the L2 pattern is `+` then `-`, and the L2 start is random signs. ART accepts
//!   images only.
//! - ART evaluates the current point again in every iteration (three model calls per iteration);
//!   advlab keeps its scores, so one query per proposal.

mod candidates;
pub mod proposals;

use ndarray::{Array1, Array2, ArrayView1};

use super::batch;
use super::error::AttackError;
use super::fgsm::attack_labels;
use super::params_robust::SquareParams;
use super::run::{AttackRun, RunState, Step};
use crate::classifier::{Classifier, OutputKind};
use crate::params::Checked;
use proposals::{fraction, Geometry};

/// ART's Square attack as a resumable run (see the module documentation).
#[derive(Debug)]
pub struct SquareRun {
    s: RunState,
    p: SquareParams,
    labels: Vec<usize>,
    geo: Geometry,
    clip: (f32, f32),
    log_scores: bool,
    /// Margin of the clean sample and of the current point, per sample.
    clean_margin: Vec<f32>,
    margin: Vec<f32>,
    queries: Vec<usize>,
    restart: usize,
    it: usize,
    finished: bool,
}

impl SquareRun {
    /// Picks the labels (predictions without `y`) and scores the clean samples (one query each).
    pub fn start(
        clf: &mut dyn Classifier,
        s: RunState,
        y: Option<&[usize]>,
        p: &Checked<SquareParams>,
    ) -> Result<SquareRun, AttackError> {
        let p = p.get().clone();
        AttackError::need_classes("square", 2, clf.nb_classes())?;
        let scores = batch::predict(clf, s.x0.view(), p.batch_size);
        let labels = match y {
            Some(_) => attack_labels(clf, s.x0.view(), y, false, "square", p.batch_size)?,
            None => crate::classifier::argmax_rows(&scores),
        };
        let log_scores = clf.output_kind() == OutputKind::Probabilities;
        let clean_margin: Vec<f32> = (0..labels.len())
            .map(|i| margin(scores.row(i), labels[i], log_scores))
            .collect();
        Ok(SquareRun {
            geo: Geometry::of(clf.input_shape()),
            clip: clf.clip_values(),
            margin: clean_margin.clone(),
            queries: vec![1; labels.len()],
            clean_margin,
            log_scores,
            labels,
            restart: 0,
            it: 0,
            // with eps = 0 no proposal can move a sample
            finished: p.eps == 0.0,
            s,
            p,
        })
    }

    /// The samples still classified as their label.
    fn robust(&self) -> Vec<usize> {
        (0..self.margin.len())
            .filter(|&i| self.margin[i] > 0.0)
            .collect()
    }

    /// Scores `cand` (row `k` proposes for sample `rows[k]`) and keeps the proposals that lower
    /// the margin.
    fn try_proposals(&mut self, clf: &dyn Classifier, rows: &[usize], cand: Array2<f32>) {
        let scores = batch::predict(clf, cand.view(), self.p.batch_size);
        for (k, &i) in rows.iter().enumerate() {
            self.queries[i] += 1;
            let m = margin(scores.row(k), self.labels[i], self.log_scores);
            if m < self.margin[i] {
                self.margin[i] = m;
                self.s.adv.row_mut(i).assign(&cand.row(k));
            }
        }
    }
}

/// `z_y - max_{i != y} z_i`, on `ln p` for probabilities.
fn margin(scores: ArrayView1<f32>, y: usize, log: bool) -> f32 {
    let z = |j: usize| {
        if log {
            scores[j].max(f32::MIN_POSITIVE).ln()
        } else {
            scores[j]
        }
    };
    let other = (0..scores.len())
        .filter(|&j| j != y)
        .map(z)
        .fold(f32::NEG_INFINITY, f32::max);
    z(y) - other
}

impl AttackRun for SquareRun {
    fn name(&self) -> &'static str {
        "square"
    }

    fn state(&self) -> &RunState {
        &self.s
    }

    fn into_state(self: Box<Self>) -> RunState {
        self.s
    }

    fn step(&mut self, clf: &mut dyn Classifier) -> Result<Step, AttackError> {
        if self.finished {
            return Ok(Step {
                frame: false,
                done: true,
            });
        }
        if self.it == 0 {
            let rows = self.robust();
            for &i in &rows {
                self.s.adv.row_mut(i).assign(&self.s.x0.row(i));
                self.margin[i] = self.clean_margin[i];
            }
            let cand: Vec<Array1<f32>> = rows.iter().map(|&i| self.first(i)).collect();
            self.try_proposals(clf, &rows, stack(&cand, self.s.x0.ncols()));
        }
        let rows = self.robust();
        let p = fraction(self.p.p_init, self.it, self.p.max_iter);
        let cand: Vec<Array1<f32>> = rows.iter().map(|&i| self.propose(i, p)).collect();
        self.try_proposals(clf, &rows, stack(&cand, self.s.x0.ncols()));
        rows.iter().for_each(|&i| self.s.iterations[i] += 1);
        self.it += 1;
        if self.it >= self.p.max_iter || self.robust().is_empty() {
            self.it = 0;
            self.restart += 1;
        }
        self.finished = self.restart >= self.p.nb_restarts || self.robust().is_empty();
        Ok(Step {
            frame: true,
            done: self.finished,
        })
    }

    fn is_done(&self) -> bool {
        self.finished
    }

    fn fraction(&self) -> f32 {
        if self.finished {
            return 1.0;
        }
        (self.restart * self.p.max_iter + self.it) as f32
            / (self.p.nb_restarts * self.p.max_iter) as f32
    }

    fn queries(&self) -> Option<&[usize]> {
        Some(&self.queries)
    }
}

fn stack(rows: &[Array1<f32>], d: usize) -> Array2<f32> {
    let mut out = Array2::zeros((rows.len(), d));
    for (k, r) in rows.iter().enumerate() {
        out.row_mut(k).assign(r);
    }
    out
}
