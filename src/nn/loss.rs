//! Categorical cross-entropy, Keras semantics, as a mean over the batch:
//! [`cross_entropy_probs`] on probabilities (renormalised rows clipped to `[1e-7, 1 − 1e-7]`)
//! and [`softmax_cross_entropy`] on logits (log-sum-exp, stable for any logit size). Gradient
//! helpers return the gradient of the *sum* over the batch, so row `i` is sample `i`'s own.

use ndarray::{Array1, Array2, ArrayView2};

/// Keras' `epsilon()`, the clip margin of probabilities.
pub const PROB_EPSILON: f32 = 1e-7;

fn clip(p: f32) -> f32 {
    p.clamp(PROB_EPSILON, 1.0 - PROB_EPSILON)
}

/// Per-sample `−ln(clip(p_y / Σp))` for probability rows `p (N, C)`.
pub fn cross_entropy_probs_each(p: ArrayView2<f32>, y: &[usize]) -> Array1<f32> {
    p.rows()
        .into_iter()
        .zip(y)
        .map(|(row, &t)| -clip(row[t] / row.sum()).ln())
        .collect()
}

/// Mean of [`cross_entropy_probs_each`].
pub fn cross_entropy_probs(p: ArrayView2<f32>, y: &[usize]) -> f32 {
    mean(&cross_entropy_probs_each(p, y))
}

/// Gradient of the summed probability loss w.r.t. `p`: `1/S − [j = y]/p_y` where the clip is
/// inactive, zero where it is active (`S` the row sum, 1 after a softmax).
pub fn cross_entropy_probs_grad(p: ArrayView2<f32>, y: &[usize]) -> Array2<f32> {
    let mut g = Array2::zeros(p.raw_dim());
    for ((mut gr, row), &t) in g.rows_mut().into_iter().zip(p.rows()).zip(y) {
        let s = row.sum();
        let q = row[t] / s;
        if q > PROB_EPSILON && q < 1.0 - PROB_EPSILON {
            gr.fill(1.0 / s);
            gr[t] -= 1.0 / row[t];
        }
    }
    g
}

/// Per-sample `logsumexp(z) − z_y` for logits `z (N, C)`.
pub fn softmax_cross_entropy_each(z: ArrayView2<f32>, y: &[usize]) -> Array1<f32> {
    z.rows()
        .into_iter()
        .zip(y)
        .map(|(row, &t)| {
            let m = row.fold(f32::NEG_INFINITY, |a, &b| a.max(b));
            let lse = m + row.iter().map(|&v| (v - m).exp()).sum::<f32>().ln();
            lse - row[t]
        })
        .collect()
}

/// Mean of [`softmax_cross_entropy_each`].
pub fn softmax_cross_entropy(z: ArrayView2<f32>, y: &[usize]) -> f32 {
    mean(&softmax_cross_entropy_each(z, y))
}

/// Gradient of the summed logit loss w.r.t. `z`: `softmax(z) − onehot(y)`.
pub fn softmax_cross_entropy_grad(z: ArrayView2<f32>, y: &[usize]) -> Array2<f32> {
    let mut g = crate::nn::layers::softmax_rows(z);
    for (mut row, &t) in g.rows_mut().into_iter().zip(y) {
        row[t] -= 1.0;
    }
    g
}

fn mean(v: &Array1<f32>) -> f32 {
    if v.is_empty() {
        0.0
    } else {
        v.sum() / v.len() as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::layers::softmax_rows;
    use ndarray::array;

    fn fd_check(f: impl Fn(&Array2<f32>) -> f32, x: &Array2<f32>, g: &Array2<f32>, n: f32) {
        let eps = 1e-3;
        for i in 0..x.len() {
            let mut xp = x.clone();
            xp.as_slice_mut().unwrap()[i] += eps;
            let up = f(&xp);
            xp.as_slice_mut().unwrap()[i] -= 2.0 * eps;
            let fd = (up - f(&xp)) / (2.0 * eps) * n;
            let a = g.as_slice().unwrap()[i];
            assert!((fd - a).abs() < 2e-2 * (1.0 + a.abs()), "{i}: {a} vs {fd}");
        }
    }

    #[test]
    fn logit_loss_gradient_matches_finite_differences() {
        let z = array![[1.0f32, -0.5, 2.0], [0.3, 0.1, -1.2]];
        let y = [2, 0];
        let g = softmax_cross_entropy_grad(z.view(), &y);
        fd_check(|z| softmax_cross_entropy(z.view(), &y), &z, &g, 2.0);
    }

    #[test]
    fn probability_loss_gradient_matches_finite_differences() {
        let p = softmax_rows(array![[1.0f32, -0.5, 2.0], [0.3, 0.1, -1.2]].view());
        let y = [1, 0];
        let g = cross_entropy_probs_grad(p.view(), &y);
        fd_check(|p| cross_entropy_probs(p.view(), &y), &p, &g, 2.0);
    }

    #[test]
    fn losses_agree_and_are_stable() {
        let z = array![[1.0f32, -0.5, 2.0], [0.3, 0.1, -1.2]];
        let y = [0, 2];
        let a = softmax_cross_entropy(z.view(), &y);
        let b = cross_entropy_probs(softmax_rows(z.view()).view(), &y);
        assert!((a - b).abs() < 1e-5);
        let big = array![[1000.0f32, -1000.0]];
        assert_eq!(softmax_cross_entropy(big.view(), &[0]), 0.0);
        assert!((softmax_cross_entropy(big.view(), &[1]) - 2000.0).abs() < 1e-3);
        // the probability loss is capped at -ln(1e-7) like Keras
        let p = array![[1.0f32, 0.0]];
        assert!((cross_entropy_probs(p.view(), &[1]) - 16.118_095).abs() < 1e-4);
        assert_eq!(
            cross_entropy_probs_grad(p.view(), &[1]),
            Array2::<f32>::zeros((1, 2))
        );
    }
}
