//! The fast gradient method (FGSM / FGM) with ART's semantics, and the gradient step PGD repeats.
//!
//! Main items: [`FgsmRun`] (the attack, as a resumable [`AttackRun`]), [`gradient_step`],
//! [`step_direction`], [`random_start`].
//! One step: `x' = clip(x + eps_step * d)` with `d` the direction of steepest ascent of the loss
//! under the norm (sign of the gradient for L-inf, one-hot of its largest entry for L1, the
//! normalised gradient for L2; a zero gradient gives a zero step), followed by the projection of
//! `x' - x0` onto the eps-ball. Targeted attacks descend the loss of the target instead.

use super::batch::{self, clip_inplace};
use super::error::AttackError;
use super::norm::{project, random_ball, Norm};
use super::params::FgsmParams;
use super::run::{AttackRun, RunState, Step};
use crate::classifier::Classifier;
use crate::params::Checked;
use ndarray::{Array2, ArrayView2, Zip};
use rand_chacha::ChaCha8Rng;

/// The unit-norm direction maximising `<grad, d>` for each row (ART's `_apply_norm`), `(N, D)`.
pub fn step_direction(grad: &Array2<f32>, norm: Norm) -> Array2<f32> {
    let mut d = grad.clone();
    for mut row in d.rows_mut() {
        match norm {
            Norm::Inf => row.mapv_inplace(|g| if g == 0.0 { 0.0 } else { g.signum() }),
            Norm::L1 => {
                let mut best = 0;
                for (j, g) in row.iter().enumerate() {
                    if g.abs() > row[best].abs() {
                        best = j;
                    }
                }
                let g = row[best];
                row.fill(0.0);
                if let Some(slot) = row.get_mut(best) {
                    *slot = if g == 0.0 { 0.0 } else { g.signum() };
                }
            }
            Norm::L2 => {
                let n = Norm::L2.of(row.iter().copied());
                if n > 0.0 {
                    row.mapv_inplace(|g| g / n);
                } else {
                    row.fill(0.0);
                }
            }
        }
    }
    d.mapv_inplace(|v| if v.is_nan() { 0.0 } else { v });
    d
}

/// A random start in the eps-ball around `x`, clipped (ART's `random_init`).
pub fn random_start(
    x: ArrayView2<f32>,
    eps: f32,
    norm: Norm,
    clip: (f32, f32),
    rng: &mut ChaCha8Rng,
) -> Array2<f32> {
    let mut out = &x + &random_ball(x.nrows(), x.ncols(), eps, norm, rng);
    clip_inplace(&mut out, clip);
    out
}

/// The settings of one gradient step shared by FGSM and PGD.
#[derive(Debug, Clone, Copy)]
pub struct StepConfig {
    /// Norm of the step and of the projection ball.
    pub norm: Norm,
    /// Radius of the projection ball.
    pub eps: f32,
    /// Length of the step.
    pub eps_step: f32,
    /// Descend the loss of `labels` instead of ascending it.
    pub targeted: bool,
    /// Samples per classifier call.
    pub batch_size: usize,
}

/// One ART `_compute` step in place: gradient at `x_adv`, step, clip, project around `x_init`.
pub fn gradient_step(
    clf: &mut dyn Classifier,
    x_adv: &mut Array2<f32>,
    x_init: ArrayView2<f32>,
    labels: &[usize],
    cfg: StepConfig,
) {
    // grad, dir: (N, D)
    let mut grad = batch::loss_gradient(clf, x_adv.view(), labels, cfg.batch_size);
    if cfg.targeted {
        grad.mapv_inplace(|g| -g);
    }
    let dir = step_direction(&grad, cfg.norm);
    x_adv.scaled_add(cfg.eps_step, &dir);
    clip_inplace(x_adv, clf.clip_values());
    let mut delta = &*x_adv - &x_init;
    project(delta.view_mut(), cfg.eps, cfg.norm);
    Zip::from(x_adv)
        .and(&x_init)
        .and(&delta)
        .for_each(|a, &x0, &d| *a = x0 + d);
}

/// Labels the attack works with: the given ones, or the model's predictions when untargeted.
pub fn attack_labels(
    clf: &dyn Classifier,
    x: ArrayView2<f32>,
    y: Option<&[usize]>,
    targeted: bool,
    attack: &'static str,
    batch_size: usize,
) -> Result<Vec<usize>, AttackError> {
    match y {
        Some(y) => Ok(y.to_vec()),
        None if targeted => Err(AttackError::TargetsRequired { attack }),
        None => Ok(batch::predict_classes(clf, x, batch_size)),
    }
}

/// ART's `FastGradientMethod.generate` as a resumable run: one step per random start (or one
/// step from the input), or one step per eps of the `minimal` search.
#[derive(Debug)]
pub struct FgsmRun {
    s: RunState,
    p: FgsmParams,
    labels: Vec<usize>,
    mode: Mode,
    finished: bool,
}

#[derive(Debug)]
enum Mode {
    /// One or more single steps of size eps; with several random starts ART keeps the run with
    /// the best success rate over the whole input, and keeps `x` itself when no run succeeds.
    Restarts { done: usize, best_rate: usize },
    /// ART's `_minimal_perturbation`: the direction is computed once at `x`; eps grows by
    /// `eps_step` (accumulated in f64, as Python does) while it stays `<= eps`, and a sample
    /// stops at the first eps that fools the model (targeted: reaches its target). No
    /// projection, as in ART.
    Minimal {
        dir: Array2<f32>,
        active: Vec<usize>,
        current: f64,
    },
}

impl FgsmRun {
    /// Picks the labels (predictions when untargeted without `y`) and, for `minimal`, the
    /// direction at the clean input.
    pub fn start(
        clf: &mut dyn Classifier,
        s: RunState,
        y: Option<&[usize]>,
        p: &Checked<FgsmParams>,
    ) -> Result<FgsmRun, AttackError> {
        let p = p.get().clone();
        let labels = attack_labels(clf, s.x0.view(), y, p.targeted, "fgsm", p.batch_size)?;
        let mode = if p.minimal {
            let mut grad = batch::loss_gradient(clf, s.x0.view(), &labels, p.batch_size);
            if p.targeted {
                grad.mapv_inplace(|g| -g);
            }
            Mode::Minimal {
                dir: step_direction(&grad, p.norm),
                active: (0..s.x0.nrows()).collect(),
                current: p.eps_step as f64,
            }
        } else {
            Mode::Restarts {
                done: 0,
                best_rate: 0,
            }
        };
        Ok(FgsmRun {
            s,
            p,
            labels,
            mode,
            finished: false,
        })
    }

    fn restart(
        &mut self,
        clf: &mut dyn Classifier,
        done: usize,
        best_rate: usize,
    ) -> (usize, usize) {
        let p = &self.p;
        let cfg = StepConfig {
            norm: p.norm,
            eps: p.eps,
            eps_step: p.eps,
            targeted: p.targeted,
            batch_size: p.batch_size,
        };
        let x = self.s.x0.view();
        let mut adv = if p.num_random_init > 0 {
            random_start(x, p.eps, p.norm, clf.clip_values(), &mut self.s.rng)
        } else {
            x.to_owned()
        };
        gradient_step(clf, &mut adv, x, &self.labels, cfg);
        let mut best_rate = best_rate;
        if p.num_random_init > 1 {
            let ok =
                batch::success_mask(clf, x, &self.labels, adv.view(), p.targeted, p.batch_size);
            let rate = ok.iter().filter(|&&s| s).count();
            if rate > best_rate {
                best_rate = rate;
                self.s.adv = adv;
            }
        } else {
            self.s.adv = adv;
        }
        (done + 1, best_rate)
    }
}

impl AttackRun for FgsmRun {
    fn name(&self) -> &'static str {
        "fgsm"
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
        let n = self.s.x0.nrows();
        match &mut self.mode {
            Mode::Restarts { done, best_rate } => {
                let (d, b) = (*done, *best_rate);
                let (d, b) = self.restart(clf, d, b);
                self.mode = Mode::Restarts {
                    done: d,
                    best_rate: b,
                };
                self.finished = d >= self.p.num_random_init.max(1);
                if self.finished {
                    self.s.iterations = vec![1; n];
                }
            }
            Mode::Minimal {
                dir,
                active,
                current,
            } => {
                if !active.is_empty() && *current <= self.p.eps as f64 {
                    let (lo, hi) = clf.clip_values();
                    for &i in active.iter() {
                        let row = Zip::from(self.s.x0.row(i))
                            .and(dir.row(i))
                            .map_collect(|&a, &d| (a + *current as f32 * d).clamp(lo, hi));
                        self.s.adv.row_mut(i).assign(&row);
                        self.s.iterations[i] += 1;
                    }
                    let preds = batch::predict_classes(clf, self.s.adv.view(), self.p.batch_size);
                    let (labels, targeted) = (&self.labels, self.p.targeted);
                    active.retain(|&i| (preds[i] == labels[i]) != targeted);
                    *current += self.p.eps_step as f64;
                }
                self.finished = active.is_empty() || *current > self.p.eps as f64;
            }
        }
        Ok(Step {
            frame: self.finished,
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
        match &self.mode {
            Mode::Restarts { done, .. } => *done as f32 / self.p.num_random_init.max(1) as f32,
            Mode::Minimal { current, .. } => {
                let steps = (self.p.eps / self.p.eps_step).max(1.0) as f64;
                ((current / self.p.eps_step as f64 - 1.0) / steps).clamp(0.0, 1.0) as f32
            }
        }
    }
}
