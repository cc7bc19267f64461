//! Projected gradient descent (ART's `ProjectedGradientDescentNumpy`); BIM is PGD with
//! `num_random_init = 0`.
//!
//! Main function: [`pgd`]. Each iteration is FGSM's step of size `eps_step` from the current point:
//! gradient, step, clip to the clip values, then projection of the total perturbation onto the
//! eps-ball around the original input (ART's order). With random restarts, the first run's result
//! is kept and later runs replace it for the samples on which they succeed.

use super::batch;
use super::config::AttackOutput;
use super::error::AttackError;
use super::fgsm::{attack_labels, gradient_step, random_start, StepConfig};
use super::params::PgdParams;
use crate::classifier::Classifier;
use ndarray::{Array2, ArrayView2};
use rand_chacha::ChaCha8Rng;

/// ART's `ProjectedGradientDescentNumpy.generate`. Inputs must already be checked.
///
/// `iterations` counts the gradient steps per sample: `max_iter * max(1, num_random_init)`. The
/// trace receives the current run's batch after every step of every restart.
pub fn pgd(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    y: Option<&[usize]>,
    p: &PgdParams,
    rng: &mut ChaCha8Rng,
    mut trace: Option<&mut Vec<Array2<f32>>>,
) -> Result<AttackOutput, AttackError> {
    let labels = attack_labels(clf, x, y, p.targeted, "pgd", p.batch_size)?;
    let cfg = StepConfig {
        norm: p.norm,
        eps: p.eps,
        eps_step: p.eps_step,
        targeted: p.targeted,
        batch_size: p.batch_size,
    };
    let restarts = p.num_random_init.max(1);
    let mut best = x.to_owned();
    for run in 0..restarts {
        let mut adv = x.to_owned();
        for it in 0..p.max_iter {
            if it == 0 && p.num_random_init > 0 {
                adv = random_start(x, p.eps, p.norm, clf.clip_values(), rng);
            }
            gradient_step(clf, &mut adv, x, &labels, cfg);
            if let Some(t) = trace.as_deref_mut() {
                t.push(adv.clone());
            }
        }
        if run == 0 {
            best = adv;
            continue;
        }
        let ok = batch::success_mask(clf, x, &labels, adv.view(), p.targeted, p.batch_size);
        for (i, _) in ok.iter().enumerate().filter(|(_, &s)| s) {
            best.row_mut(i).assign(&adv.row(i));
        }
    }
    Ok(AttackOutput {
        x_adv: best,
        iterations: vec![p.max_iter * restarts; x.nrows()],
    })
}
