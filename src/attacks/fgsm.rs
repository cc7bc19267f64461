//! The fast gradient method (FGSM / FGM) with ART's semantics, and the gradient step PGD repeats.
//!
//! Main functions: [`fgsm`], [`gradient_step`], [`step_direction`], [`random_start`].
//! One step: `x' = clip(x + eps_step * d)` with `d` the direction of steepest ascent of the loss
//! under the norm (sign of the gradient for L-inf, one-hot of its largest entry for L1, the
//! normalised gradient for L2; a zero gradient gives a zero step), followed by the projection of
//! `x' - x0` onto the eps-ball. Targeted attacks descend the loss of the target instead.

use super::batch::{self, clip_inplace};
use super::config::AttackOutput;
use super::error::AttackError;
use super::norm::{project, random_ball, Norm};
use super::params::FgsmParams;
use crate::classifier::Classifier;
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

/// ART's `FastGradientMethod.generate`. Inputs must already be checked.
pub fn fgsm(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    y: Option<&[usize]>,
    p: &FgsmParams,
    rng: &mut ChaCha8Rng,
    trace: Option<&mut Vec<Array2<f32>>>,
) -> Result<AttackOutput, AttackError> {
    let labels = attack_labels(clf, x, y, p.targeted, "fgsm", p.batch_size)?;
    let out = if p.minimal {
        minimal(clf, x, &labels, p)
    } else {
        with_restarts(clf, x, &labels, p, rng)
    };
    if let Some(t) = trace {
        t.push(out.x_adv.clone());
    }
    Ok(out)
}

/// One or more single steps of size eps; with several random starts ART keeps the run with the
/// best success rate over the whole input, and keeps `x` itself when no run succeeds at all.
fn with_restarts(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    labels: &[usize],
    p: &FgsmParams,
    rng: &mut ChaCha8Rng,
) -> AttackOutput {
    let cfg = StepConfig {
        norm: p.norm,
        eps: p.eps,
        eps_step: p.eps,
        targeted: p.targeted,
        batch_size: p.batch_size,
    };
    let mut best = x.to_owned();
    let mut best_rate = 0usize;
    for _ in 0..p.num_random_init.max(1) {
        let mut adv = if p.num_random_init > 0 {
            random_start(x, p.eps, p.norm, clf.clip_values(), rng)
        } else {
            x.to_owned()
        };
        gradient_step(clf, &mut adv, x, labels, cfg);
        if p.num_random_init > 1 {
            let ok = batch::success_mask(clf, x, labels, adv.view(), p.targeted, p.batch_size);
            let rate = ok.iter().filter(|&&s| s).count();
            if rate > best_rate {
                best_rate = rate;
                best = adv;
            }
        } else {
            best = adv;
        }
    }
    AttackOutput {
        x_adv: best,
        iterations: vec![1; x.nrows()],
    }
}

/// ART's `_minimal_perturbation`: the direction is computed once at `x`; eps grows by `eps_step`
/// (accumulated in f64, as Python does) while it stays `<= eps`, and a sample stops at the first
/// eps that fools the model (targeted: reaches its target). No projection, as in ART.
fn minimal(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    labels: &[usize],
    p: &FgsmParams,
) -> AttackOutput {
    let mut grad = batch::loss_gradient(clf, x, labels, p.batch_size);
    if p.targeted {
        grad.mapv_inplace(|g| -g);
    }
    let dir = step_direction(&grad, p.norm);
    let mut adv = x.to_owned();
    let mut iterations = vec![0usize; x.nrows()];
    let mut active: Vec<usize> = (0..x.nrows()).collect();
    let (lo, hi) = clf.clip_values();
    let mut current = p.eps_step as f64;
    while !active.is_empty() && current <= p.eps as f64 {
        for &i in &active {
            let row = Zip::from(x.row(i))
                .and(dir.row(i))
                .map_collect(|&a, &d| (a + current as f32 * d).clamp(lo, hi));
            adv.row_mut(i).assign(&row);
            iterations[i] += 1;
        }
        let preds = batch::predict_classes(clf, adv.view(), p.batch_size);
        active.retain(|&i| (preds[i] == labels[i]) != p.targeted);
        current += p.eps_step as f64;
    }
    AttackOutput {
        x_adv: adv,
        iterations,
    }
}
