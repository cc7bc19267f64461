//! How well an attack did: accuracies, success rate, perturbation sizes and iterations.
//!
//! Main types: [`AttackMetrics`], computed by [`attack_metrics`] (or
//! [`metrics_from_predictions`] when the predictions were made chunk by chunk), and
//! [`PerturbationNorms`] (the
//! one computation of per-sample L0, L2 and L-inf sizes, also sent with every trace frame).
//!
//! Definitions (chosen to be unambiguous on a UI):
//! - `success_rate`, untargeted: among the samples the model classified correctly on the clean
//!   input, the fraction it misclassifies after the attack (0 when none was correct). This differs
//!   from ART's `compute_success`, which counts over all samples the ones whose prediction changed.
//! - `success_rate`, targeted (`targets` given): fraction of all samples classified as their target.
//! - `l0_*`: absolute number of features changed by more than `1e-6` (not a fraction), per sample.
//! - `l2_*`, `linf_*`: norms of `x_adv - x` per sample; means and maxima are over samples.
//!
//! If the inputs disagree in length, only the first `n = min(...)` samples are evaluated; if the
//! widths of `x`, `x_adv` and the classifier disagree, nothing is (`n = 0`).

use crate::classifier::Classifier;
use ndarray::{s, ArrayView2, Zip};
use serde::Serialize;

/// Per-sample sizes of `x_adv - x`: L0 (absolute number of features changed by more than
/// `1e-6`), L2 and L-inf.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PerturbationNorms {
    /// Features changed, per sample.
    pub l0: Vec<f32>,
    /// Euclidean length of the change, per sample.
    pub l2: Vec<f32>,
    /// Largest change of one feature, per sample.
    pub linf: Vec<f32>,
}

impl PerturbationNorms {
    /// The norms of every row of `x_adv - x` (rows past the shorter input are ignored).
    pub fn of(x: ArrayView2<f32>, x_adv: ArrayView2<f32>) -> PerturbationNorms {
        let mut out = PerturbationNorms::default();
        for (a, b) in x.rows().into_iter().zip(x_adv.rows()) {
            let (c0, c2, ci) =
                Zip::from(&a)
                    .and(&b)
                    .fold((0.0f32, 0.0f32, 0.0f32), |(c0, c2, ci), &p, &q| {
                        let d = (q - p).abs();
                        (c0 + if d > 1e-6 { 1.0 } else { 0.0 }, c2 + d * d, ci.max(d))
                    });
            out.l0.push(c0);
            out.l2.push(c2.sqrt());
            out.linf.push(ci);
        }
        out
    }
}

/// Summary of one attack run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct AttackMetrics {
    /// Samples evaluated.
    pub n: usize,
    /// Accuracy on the clean samples.
    pub clean_accuracy: f32,
    /// Accuracy on the adversarial samples.
    pub adversarial_accuracy: f32,
    /// See the module documentation.
    pub success_rate: f32,
    /// Mean number of changed features.
    pub l0_mean: f32,
    /// Largest number of changed features.
    pub l0_max: f32,
    /// Mean L2 distance.
    pub l2_mean: f32,
    /// Largest L2 distance.
    pub l2_max: f32,
    /// Mean L-inf distance.
    pub linf_mean: f32,
    /// Largest L-inf distance.
    pub linf_max: f32,
    /// Mean iterations per sample (0 when none are given).
    pub iterations_mean: f32,
}

fn frac(num: usize, den: usize) -> f32 {
    if den == 0 {
        0.0
    } else {
        num as f32 / den as f32
    }
}

/// Computes [`AttackMetrics`]; `targets` switches to the targeted success rate.
pub fn attack_metrics(
    clf: &dyn Classifier,
    x: ArrayView2<f32>,
    x_adv: ArrayView2<f32>,
    y_true: &[usize],
    targets: Option<&[usize]>,
    iterations: &[usize],
) -> AttackMetrics {
    let mut n = x.nrows().min(x_adv.nrows()).min(y_true.len());
    if let Some(t) = targets {
        n = n.min(t.len());
    }
    let same_width = x.ncols() == x_adv.ncols() && x.ncols() == clf.nb_features();
    if !same_width {
        n = 0;
    }
    let (x, x_adv) = (x.slice(s![..n, ..]), x_adv.slice(s![..n, ..]));
    let (clean, adv) = if n > 0 {
        (clf.predict_classes(x), clf.predict_classes(x_adv))
    } else {
        (Vec::new(), Vec::new())
    };
    metrics_from_predictions(&clean, &adv, x, x_adv, y_true, targets, iterations)
}

/// [`attack_metrics`] from the classifier's predictions on the clean and adversarial samples,
/// for callers that predicted them chunk by chunk (a job that must stay responsive). Only the
/// first `n` samples, `n` the shortest of the inputs, are evaluated.
pub fn metrics_from_predictions(
    clean: &[usize],
    adv: &[usize],
    x: ArrayView2<f32>,
    x_adv: ArrayView2<f32>,
    y_true: &[usize],
    targets: Option<&[usize]>,
    iterations: &[usize],
) -> AttackMetrics {
    let mut n = clean
        .len()
        .min(adv.len())
        .min(y_true.len())
        .min(x.nrows())
        .min(x_adv.nrows());
    if let Some(t) = targets {
        n = n.min(t.len());
    }
    if x.ncols() != x_adv.ncols() {
        n = 0;
    }
    let (x, x_adv) = (x.slice(s![..n, ..]), x_adv.slice(s![..n, ..]));
    let correct = (0..n).filter(|&i| clean[i] == y_true[i]).count();
    let adv_correct = (0..n).filter(|&i| adv[i] == y_true[i]).count();
    let success_rate = match targets {
        Some(t) => frac((0..n).filter(|&i| adv[i] == t[i]).count(), n),
        None => frac(
            (0..n)
                .filter(|&i| clean[i] == y_true[i] && adv[i] != y_true[i])
                .count(),
            correct,
        ),
    };
    let PerturbationNorms { l0, l2, linf } = PerturbationNorms::of(x, x_adv);
    let mean = |v: &[f32]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f32>() / v.len() as f32
        }
    };
    let max = |v: &[f32]| v.iter().fold(0.0f32, |m, &a| m.max(a));
    AttackMetrics {
        n,
        clean_accuracy: frac(correct, n),
        adversarial_accuracy: frac(adv_correct, n),
        success_rate,
        l0_mean: mean(&l0),
        l0_max: max(&l0),
        l2_mean: mean(&l2),
        l2_max: max(&l2),
        linf_mean: mean(&linf),
        linf_max: max(&linf),
        iterations_mean: frac(iterations.iter().sum(), iterations.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attacks::test_classifiers::{LinearClassifier, LinearOutput};
    use ndarray::array;

    #[test]
    fn metrics_count_what_the_docs_say() {
        // class = 0 when x0 > x1, else 1
        let clf = LinearClassifier::new(
            array![[1.0f32, -1.0], [-1.0, 1.0]],
            array![0.0f32, 0.0],
            LinearOutput::Logits,
            (0.0, 1.0),
        );
        let x = array![[0.8f32, 0.2], [0.2, 0.8], [0.6, 0.4]];
        let adv = array![[0.2f32, 0.8], [0.2, 0.8], [0.6, 0.4]];
        let y = [0, 1, 1]; // the third sample is misclassified from the start
        let m = attack_metrics(&clf, x.view(), adv.view(), &y, None, &[2, 4, 0]);
        assert_eq!(m.n, 3);
        assert!((m.clean_accuracy - 2.0 / 3.0).abs() < 1e-6);
        assert!((m.adversarial_accuracy - 1.0 / 3.0).abs() < 1e-6);
        assert!((m.success_rate - 0.5).abs() < 1e-6);
        assert_eq!(m.l0_max, 2.0);
        assert!((m.l0_mean - 2.0 / 3.0).abs() < 1e-6);
        assert!((m.linf_max - 0.6).abs() < 1e-6);
        assert!((m.l2_max - 0.6 * 2f32.sqrt()).abs() < 1e-5);
        assert!((m.iterations_mean - 2.0).abs() < 1e-6);
        let t = attack_metrics(&clf, x.view(), adv.view(), &y, Some(&[1, 0, 0]), &[]);
        assert!((t.success_rate - 2.0 / 3.0).abs() < 1e-6);
        let short = attack_metrics(&clf, x.view(), adv.view(), &y[..1], None, &[]);
        assert_eq!(short.n, 1);
        assert!(serde_json::to_string(&m)
            .unwrap()
            .contains("\"success_rate\""));
    }
}
