//! Property tests of the attacks on classifiers with closed-form gradients, split by family:
//! [`gradient`] (FGSM, PGD), [`iterative`] (JSMA, DeepFool, NewtonFool), [`inputs`]
//! (validation, errors, JSON), [`nonlinear`] (the report's attacks on a trained MLP),
//! [`robust`] (C&W-L2, APGD, AutoAttack against the attacks they improve on), [`blackbox`]
//! (Square and HopSkipJump through gradient-free oracles, on the MLP and a small CNN) and
//! [`resume`] (seeds, paused runs and parameter checks of the five newer attacks).

mod blackbox;
mod gradient;
mod inputs;
mod iterative;
mod nonlinear;
mod resume;
mod robust;

use super::test_classifiers::{LinearClassifier, LinearOutput};
use super::*;
use crate::classifier::Classifier;
use ndarray::{array, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Three classes over five features; feature 4 is ignored by the model (zero gradient).
pub(super) fn linear(output: LinearOutput) -> LinearClassifier {
    let w = array![
        [1.5f32, -1.0, 0.5, 0.8, 0.0],
        [-0.7, 1.2, 0.9, -0.4, 0.0],
        [0.2, -0.3, -1.1, 1.0, 0.0]
    ];
    LinearClassifier::new(w, array![0.1f32, -0.1, 0.0], output, (0.0, 1.0))
}

/// Samples strictly inside (0.25, 0.75), so steps up to 0.25 are never clipped.
pub(super) fn inputs(n: usize, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, 5), |_| rng.random_range(0.25f32..0.75))
}

pub(super) fn run(
    cfg: &AttackConfig,
    clf: &mut dyn Classifier,
    x: &Array2<f32>,
    y: Option<&[usize]>,
) -> AttackOutput {
    cfg.generate(clf, x.view(), y, &mut ChaCha8Rng::seed_from_u64(1), None)
        .expect("attack runs")
}

pub(super) fn row_norm(norm: Norm, a: &Array2<f32>, b: &Array2<f32>, i: usize) -> f32 {
    norm.of((&a.row(i) - &b.row(i)).iter().copied())
}
