//! Projected gradient descent (ART's `ProjectedGradientDescentNumpy`); BIM is PGD with
//! `num_random_init = 0`.
//!
//! Main type: [`PgdRun`], one step per iteration. Each iteration is FGSM's step of size
//! `eps_step` from the current point: gradient, step, clip to the clip values, then projection of
//! the total perturbation onto the eps-ball around the original input (ART's order). With random
//! restarts, the first run's result is kept and later runs replace it for the samples on which
//! they succeed.

use ndarray::Array2;

use super::batch;
use super::error::AttackError;
use super::fgsm::{attack_labels, gradient_step, random_start, StepConfig};
use super::params::PgdParams;
use super::run::{AttackRun, RunState, Step};
use crate::classifier::Classifier;
use crate::params::Checked;

/// ART's `ProjectedGradientDescentNumpy.generate` as a resumable run.
///
/// `iterations` counts the gradient steps per sample: `max_iter * max(1, num_random_init)` at the
/// end. [`AttackRun::current`] is the current restart's batch (what a trace shows after every
/// step of every restart); the result keeps the best restart per sample.
#[derive(Debug)]
pub struct PgdRun {
    s: RunState,
    p: PgdParams,
    labels: Vec<usize>,
    /// The current restart's batch.
    cur: Array2<f32>,
    /// Restart and iteration the next step runs.
    run: usize,
    it: usize,
}

impl PgdRun {
    /// Picks the labels (predictions when untargeted without `y`).
    pub fn start(
        clf: &mut dyn Classifier,
        s: RunState,
        y: Option<&[usize]>,
        p: &Checked<PgdParams>,
    ) -> Result<PgdRun, AttackError> {
        let p = p.get().clone();
        let labels = attack_labels(clf, s.x0.view(), y, p.targeted, "pgd", p.batch_size)?;
        Ok(PgdRun {
            cur: s.x0.clone(),
            s,
            p,
            labels,
            run: 0,
            it: 0,
        })
    }

    fn restarts(&self) -> usize {
        self.p.num_random_init.max(1)
    }
}

impl AttackRun for PgdRun {
    fn name(&self) -> &'static str {
        "pgd"
    }

    fn state(&self) -> &RunState {
        &self.s
    }

    fn into_state(self: Box<Self>) -> RunState {
        self.s
    }

    fn step(&mut self, clf: &mut dyn Classifier) -> Result<Step, AttackError> {
        if self.is_done() {
            return Ok(Step {
                frame: false,
                done: true,
            });
        }
        let p = &self.p;
        let x = self.s.x0.view();
        if self.it == 0 {
            self.cur = if p.num_random_init > 0 {
                random_start(x, p.eps, p.norm, clf.clip_values(), &mut self.s.rng)
            } else {
                x.to_owned()
            };
        }
        let cfg = StepConfig {
            norm: p.norm,
            eps: p.eps,
            eps_step: p.eps_step,
            targeted: p.targeted,
            batch_size: p.batch_size,
        };
        gradient_step(clf, &mut self.cur, x, &self.labels, cfg);
        self.it += 1;
        if self.it == p.max_iter {
            if self.run == 0 {
                self.s.adv = self.cur.clone();
            } else {
                let ok = batch::success_mask(
                    clf,
                    x,
                    &self.labels,
                    self.cur.view(),
                    p.targeted,
                    p.batch_size,
                );
                for (i, _) in ok.iter().enumerate().filter(|(_, &s)| s) {
                    self.s.adv.row_mut(i).assign(&self.cur.row(i));
                }
            }
            self.run += 1;
            self.it = 0;
        }
        let done = self.is_done();
        let spent = (self.run * self.p.max_iter + self.it).min(self.p.max_iter * self.restarts());
        self.s.iterations.fill(spent);
        Ok(Step { frame: true, done })
    }

    fn is_done(&self) -> bool {
        self.p.max_iter == 0 || self.run >= self.restarts()
    }

    fn current(&self) -> Array2<f32> {
        self.cur.clone()
    }

    fn fraction(&self) -> f32 {
        let total = self.p.max_iter * self.restarts();
        if total == 0 {
            return 1.0;
        }
        (self.run * self.p.max_iter + self.it) as f32 / total as f32
    }
}
