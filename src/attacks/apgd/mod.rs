//! Auto-PGD (Croce & Hein 2020) as ART's `AutoProjectedGradientDescent` implements it.
//!
//! Main type: [`ApgdRun`], one step per iteration. Each of `nb_random_init` runs attacks the
//! samples not yet fooled from a random point of the eps-ball. An iteration takes a step of size
//! `eta` along the loss gradient (its sign for L-inf, the gradient divided by its L1 or L2 norm
//! for 1 and 2, as ART), projects it, and then moves with momentum:
//! `x_{k+1} = P(x_k + 0.75 (z_{k+1} - x_k) + 0.25 (x_k - x_{k-1}))`. The best point (highest
//! loss; lowest when targeted) is remembered. At each checkpoint ([`checkpoints`]) a sample
//! whose loss rose in fewer than 75% of the iterations since the last checkpoint, or whose step
//! and best loss did not change since then, halves `eta` and jumps back to its best point.
//! The loss is cross-entropy or DLR ([`loss`]).
//!
//! Where advlab differs from ART 1.20.1, and why:
//! - A sample keeps the latest iterate that fooled the model (as the authors' code does; the
//!   prediction comes with the loss, at no extra model call). ART only checks the last iterate,
//!   so a sample fooled mid-run and then moved back (by the momentum, or by a jump to the
//!   highest-loss point) counts as robust.
//! - ART refuses models that output probabilities; advlab reads their logits
//!   ([`Classifier::logits`]), so both losses work on any model.
//! - ART stops a batch once every loss is exactly 0 (a float32 artefact of saturated
//!   softmaxes, where the sign of the tiny gradient still makes progress); advlab always runs
//!   `max_iter` iterations. ART's first iteration also keeps `x_1` when its loss rose even for a
//!   targeted attack; here "better" means lower for targeted attacks throughout.

mod iteration;
pub mod loss;

use ndarray::Array2;

use super::error::AttackError;
use super::fgsm::attack_labels;
use super::params_robust::{ApgdLoss, ApgdParams};
use super::run::{AttackRun, RunState, Step};
use crate::classifier::Classifier;
use crate::params::Checked;
use iteration::Restart;
use loss::checkpoints;

/// ART's `AutoProjectedGradientDescent.generate` as a resumable run (see the module
/// documentation). [`AttackRun::current`] shows the current iterates.
#[derive(Debug)]
pub struct ApgdRun {
    s: RunState,
    p: ApgdParams,
    labels: Vec<usize>,
    checkpoints: Vec<usize>,
    restart: Option<Restart>,
    runs: usize,
    k: usize,
    finished: bool,
}

impl ApgdRun {
    /// Picks the labels (predictions when untargeted without `y`).
    pub fn start(
        clf: &mut dyn Classifier,
        s: RunState,
        y: Option<&[usize]>,
        p: &Checked<ApgdParams>,
    ) -> Result<ApgdRun, AttackError> {
        let p = p.get().clone();
        let need = match p.loss_type {
            ApgdLoss::CrossEntropy => 2,
            ApgdLoss::DifferenceLogitsRatio => 3,
        };
        AttackError::need_classes("apgd", need, clf.nb_classes())?;
        let labels = attack_labels(clf, s.x0.view(), y, p.targeted, "apgd", p.batch_size)?;
        Ok(ApgdRun {
            checkpoints: checkpoints(p.max_iter),
            restart: None,
            runs: 0,
            k: 0,
            finished: false,
            labels,
            s,
            p,
        })
    }

    fn fools(&self, pred: usize, label: usize) -> bool {
        (pred == label) == self.p.targeted
    }

    fn better(&self, new: f32, old: f32) -> bool {
        if self.p.targeted {
            new < old
        } else {
            new > old
        }
    }
}

impl AttackRun for ApgdRun {
    fn name(&self) -> &'static str {
        "apgd"
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
        let r = match self.restart.take() {
            Some(r) => r,
            None => match self.begin(clf) {
                Some(r) => r,
                None => {
                    self.finished = true;
                    return Ok(Step {
                        frame: false,
                        done: true,
                    });
                }
            },
        };
        let r = self.iterate(clf, r);
        r.rows.iter().for_each(|&i| self.s.iterations[i] += 1);
        self.k += 1;
        if self.k < self.p.max_iter {
            self.restart = Some(r);
        } else {
            for (k, x) in r.fooled.iter().enumerate() {
                if let Some(x) = x {
                    self.s.adv.row_mut(r.rows[k]).assign(x);
                }
            }
            self.k = 0;
            self.runs += 1;
            self.finished = self.runs >= self.p.nb_random_init;
        }
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
        (self.runs * self.p.max_iter + self.k) as f32
            / (self.p.nb_random_init * self.p.max_iter) as f32
    }

    fn current(&self) -> Array2<f32> {
        let mut out = self.s.adv.clone();
        if let Some(r) = &self.restart {
            for (k, &i) in r.rows.iter().enumerate() {
                out.row_mut(i).assign(&r.x_k.row(k));
            }
        }
        out
    }
}
