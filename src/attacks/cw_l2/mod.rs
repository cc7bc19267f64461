//! Carlini & Wagner's L2 attack as ART's `CarliniL2Method` implements it (with ART's line search
//! instead of Adam).
//!
//! Main type: [`CwL2Run`], one step per optimisation iteration. The perturbation lives in tanh
//! space, `x = (tanh(w) + 1) / 2 * (max - min) + min`, so every iterate is inside the clip
//! values. Each binary-search round restarts at the input and minimises, per sample,
//! `c * max(z_y - max_{i != y} z_i + confidence, 0) + |x - x0|^2` (targeted: the target's logit
//! must lead instead) by `max_iter` gradient steps, each with a line search that halves the
//! step up to `max_halving` times until the loss drops and, when the first try already dropped
//! it, doubles it up to `max_doubling` times while it keeps dropping. The best (smallest L2)
//! successful iterate is kept. After a round, `c` halves towards its lower bound where the
//! round succeeded, and otherwise doubles (until a first success) or grows by half its distance
//! to the lower bound. A sample never fooled is returned unchanged.
//!
//! Where advlab differs from ART 1.20.1, and why:
//! - Logits: the loss uses [`Classifier::logits`], the model's real pre-softmax output even
//!   when it ends in softmax. ART uses whatever the estimator outputs (its `logits=True` is
//!   ignored by most estimators), so on a softmax model it optimises probabilities, whose
//!   gradients vanish on confident samples.
//! - ART writes `c_old = c_current` without a copy, so after a failed round the lower bound
//!   becomes the *new* `c` and `c` freezes after the first failure that follows a success; the
//!   previous `c` is the lower bound here, as intended.
//! - When no step size lowers the loss, ART keeps the last trial's loss as the current one (the
//!   sample stays where it was); here the current point keeps its own loss.
//! - A point counts as adversarial when the adversarial class's logit leads strictly (by at
//!   least `confidence`). ART's test, `loss - l2 <= 0`, also accepts an exact tie of the two
//!   logits, which float32 optimisation reaches on linear models, and where the model still
//!   predicts the label.

mod optimise;

use ndarray::Array2;

use super::error::AttackError;
use super::fgsm::attack_labels;
use super::params_robust::CwL2Params;
use super::run::{AttackRun, RunState, Step};
use crate::classifier::Classifier;
use crate::params::Checked;
use optimise::to_tanh;

/// ART's `_tanh_smoother`: keeps arctanh finite at the clip values.
const SMOOTHER: f32 = 0.999_999;
/// ART's `_c_upper_bound`: a sample whose `c` reaches it stops.
const C_UPPER: f64 = 10e10;

/// ART's `CarliniL2Method.generate` as a resumable run (see the module documentation).
/// [`AttackRun::current`] is the current iterate while the run goes, the result once done.
#[derive(Debug)]
pub struct CwL2Run {
    s: RunState,
    p: CwL2Params,
    labels: Vec<usize>,
    clip: (f32, f32),
    /// The clean samples in tanh space.
    x_tanh: Array2<f32>,
    /// Binary search on c, per sample.
    c: Vec<f64>,
    lower: Vec<f64>,
    double: Vec<bool>,
    best_l2: Vec<f32>,
    /// The current round: step sizes, iterate, its logits, squared L2, loss and success.
    lr: Vec<f64>,
    cur: Array2<f32>,
    cur_tanh: Array2<f32>,
    z: Array2<f32>,
    l2: Vec<f32>,
    loss: Vec<f64>,
    success: Vec<bool>,
    overall: Vec<bool>,
    round: usize,
    it: usize,
    in_round: bool,
    finished: bool,
}

impl CwL2Run {
    /// Picks the labels (predictions when untargeted without `y`).
    pub fn start(
        clf: &mut dyn Classifier,
        s: RunState,
        y: Option<&[usize]>,
        p: &Checked<CwL2Params>,
    ) -> Result<CwL2Run, AttackError> {
        let p = p.get().clone();
        AttackError::need_classes("cw-l2", 2, clf.nb_classes())?;
        let labels = attack_labels(clf, s.x0.view(), y, p.targeted, "cw-l2", p.batch_size)?;
        let clip = clf.clip_values();
        let n = s.x0.nrows();
        Ok(CwL2Run {
            x_tanh: s.x0.mapv(|v| to_tanh(v, clip)),
            c: vec![f64::from(p.initial_const); n],
            lower: vec![0.0; n],
            double: vec![true; n],
            best_l2: vec![f32::INFINITY; n],
            lr: vec![0.0; n],
            cur: s.x0.clone(),
            cur_tanh: Array2::zeros(s.x0.raw_dim()),
            z: Array2::zeros((n, clf.nb_classes())),
            l2: vec![0.0; n],
            loss: vec![0.0; n],
            success: vec![false; n],
            overall: vec![false; n],
            finished: p.binary_search_steps == 0,
            round: 0,
            it: 0,
            in_round: false,
            clip,
            labels,
            s,
            p,
        })
    }

    fn record_best(&mut self) {
        for i in 0..self.cur.nrows() {
            if self.success[i] && self.l2[i] < self.best_l2[i] {
                self.best_l2[i] = self.l2[i];
                self.s.adv.row_mut(i).assign(&self.cur.row(i));
            }
        }
    }

    fn begin_round(&mut self, clf: &dyn Classifier) {
        let n = self.cur.nrows();
        self.lr = vec![f64::from(self.p.learning_rate); n];
        self.cur = self.s.x0.clone();
        self.cur_tanh = self.x_tanh.clone();
        let all: Vec<usize> = (0..n).collect();
        let e = self.evaluate(clf, &all, &self.s.x0);
        (self.z, self.l2, self.loss) = (e.z, e.l2, e.loss);
        self.success = e.fooled.clone();
        self.overall = e.fooled;
        self.in_round = true;
        self.it = 0;
    }

    fn end_round(&mut self) {
        self.record_best();
        for i in 0..self.c.len() {
            let old = self.c[i];
            if self.overall[i] {
                self.double[i] = false;
                self.c[i] = (self.lower[i] + old) / 2.0;
            } else {
                self.c[i] = if self.double[i] {
                    old * 2.0
                } else {
                    old + (old - self.lower[i]) / 2.0
                };
                self.lower[i] = old;
            }
        }
        self.round += 1;
        self.it = 0;
        self.in_round = false;
        self.finished = self.round >= self.p.binary_search_steps;
    }
}

impl AttackRun for CwL2Run {
    fn name(&self) -> &'static str {
        "cw-l2"
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
        if !self.in_round {
            if self.c.iter().all(|&c| c >= C_UPPER) {
                self.finished = true;
                return Ok(Step {
                    frame: false,
                    done: true,
                });
            }
            self.begin_round(clf);
            if self.p.max_iter == 0 {
                self.end_round();
                return Ok(Step {
                    frame: true,
                    done: self.finished,
                });
            }
        }
        let any = self.iterate(clf);
        self.it += 1;
        if !any || self.it >= self.p.max_iter {
            self.end_round();
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
        let per = self.p.max_iter.max(1);
        (self.round * per + self.it) as f32 / (self.p.binary_search_steps * per).max(1) as f32
    }

    fn current(&self) -> Array2<f32> {
        if self.finished {
            self.s.adv.clone()
        } else {
            self.cur.clone()
        }
    }
}
