//! The two losses APGD climbs, per sample, and their input gradients: cross-entropy and the
//! difference of logits ratio (DLR) of Croce & Hein (2020), both computed from the logits
//! ([`Classifier::logits`]), and [`checkpoints`], APGD's fixed step-size checkpoints.
//!
//! DLR is `-(z_y - z_i) / (z_(1) - z_(3) + 1e-12)` with `z_(k)` the k-th largest logit and `z_i`
//! the largest logit other than `z_y`. It does not change when the logits are shifted or scaled,
//! so it keeps a useful gradient where a softmax saturates. The `1e-12` (from the authors' code;
//! ART divides by the bare spread) keeps it finite when the top logits tie.

use ndarray::{Array2, ArrayView1, ArrayView2};

use crate::attacks::batch;
use crate::attacks::params_robust::ApgdLoss;
use crate::classifier::Classifier;

/// Per-sample losses of `labels` at `x`, and the predicted classes (from the same logits).
pub fn losses(
    clf: &dyn Classifier,
    x: ArrayView2<f32>,
    labels: &[usize],
    loss: ApgdLoss,
    batch_size: usize,
) -> (Vec<f32>, Vec<usize>) {
    let z = batch::logits(clf, x, batch_size);
    let pred = crate::classifier::argmax_rows(&z);
    let values = z
        .rows()
        .into_iter()
        .zip(labels)
        .map(|(row, &y)| match loss {
            ApgdLoss::CrossEntropy => cross_entropy(row, y),
            ApgdLoss::DifferenceLogitsRatio => dlr(row, y).0,
        })
        .collect();
    (values, pred)
}

/// Input gradients `(N, D)` of the per-sample losses of `labels` at `x`: the classifier's own
/// loss gradient for cross-entropy, one backward pass from the logits for DLR.
pub fn gradient(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    labels: &[usize],
    loss: ApgdLoss,
    batch_size: usize,
) -> Array2<f32> {
    match loss {
        ApgdLoss::CrossEntropy => batch::loss_gradient(clf, x, labels, batch_size),
        ApgdLoss::DifferenceLogitsRatio => {
            let z = batch::logits(clf, x, batch_size);
            let mut seed = Array2::zeros(z.raw_dim());
            for (i, (row, &y)) in z.rows().into_iter().zip(labels).enumerate() {
                for (c, w) in dlr(row, y).1 {
                    seed[[i, c]] += w;
                }
            }
            batch::logit_vjp(clf, x, seed.view(), batch_size)
        }
    }
}

/// `-log softmax(z)_y`, in f32 as a framework computes it.
fn cross_entropy(z: ArrayView1<f32>, y: usize) -> f32 {
    let m = z.fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let lse = m + z.iter().map(|&v| (v - m).exp()).sum::<f32>().ln();
    lse - z[y]
}

/// DLR of one sample and its gradient with respect to the logits, as `(class, weight)` pairs.
fn dlr(z: ArrayView1<f32>, y: usize) -> (f32, [(usize, f32); 4]) {
    let mut order: Vec<usize> = (0..z.len()).collect();
    order.sort_by(|&a, &b| z[b].total_cmp(&z[a]).then(a.cmp(&b)));
    let (top, third) = (order[0], order[2]);
    let other = if top != y { top } else { order[1] };
    let num = z[y] - z[other];
    let den = z[top] - z[third] + 1e-12;
    // L = -num / den: dL/dnum = -1/den, dL/dden = num/den^2
    let (a, b) = (-1.0 / den, num / (den * den));
    (-num / den, [(y, a), (other, -a), (top, b), (third, -b)])
}

/// APGD's checkpoints for `max_iter` iterations: `ceil(p_j * max_iter)` with `p_0 = 0`,
/// `p_1 = 0.22` and `p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06)` while `p <= 1`, computed
/// in f64 exactly as ART's Python does.
pub fn checkpoints(max_iter: usize) -> Vec<usize> {
    let mut p = vec![0.0f64, 0.22];
    loop {
        let (last, before) = (p[p.len() - 1], p[p.len() - 2]);
        let next = last + (last - before - 0.03).max(0.06);
        if next > 1.0 {
            break;
        }
        p.push(next);
    }
    p.iter()
        .map(|v| (v * max_iter as f64).ceil() as usize)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attacks::test_classifiers::MlpClassifier;
    use ndarray::array;

    #[test]
    fn checkpoints_are_arts() {
        // 0.57000000000000006 * 100 rounds up to 58 in Python too
        assert_eq!(checkpoints(100), vec![0, 22, 41, 58, 70, 80, 87, 93, 99]);
        assert_eq!(checkpoints(5), vec![0, 2, 3, 3, 4, 4, 5, 5, 5]);
    }

    #[test]
    fn dlr_gradient_matches_finite_differences() {
        let mut m = MlpClassifier::new(4, 6, 5, true, 9);
        let x = array![[0.2f32, 0.7, 0.4, 0.9], [0.5, 0.1, 0.8, 0.3]];
        let y = [1, 3];
        let g = gradient(&mut m, x.view(), &y, ApgdLoss::DifferenceLogitsRatio, 1);
        for i in 0..2 {
            for j in 0..4 {
                let mut a = x.clone();
                a[[i, j]] += 1e-3;
                let mut b = x.clone();
                b[[i, j]] -= 1e-3;
                let f = |v: &Array2<f32>| {
                    losses(&m, v.view(), &y, ApgdLoss::DifferenceLogitsRatio, 2).0[i]
                };
                let num = (f(&a) - f(&b)) / 2e-3;
                assert!(
                    (g[[i, j]] - num).abs() < 2e-2,
                    "[{i},{j}] {} vs {num}",
                    g[[i, j]]
                );
            }
        }
        let (ce, pred) = losses(&m, x.view(), &y, ApgdLoss::CrossEntropy, 2);
        let p = m.predict(x.view());
        assert!((ce[0] + p[[0, 1]].ln()).abs() < 1e-5);
        assert_eq!(pred, crate::classifier::argmax_rows(&p));
    }
}
