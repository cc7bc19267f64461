//! ART's `ReverseSigmoid` (Lee et al. 2018): a perturbation that leaves the ranking of the
//! scores nearly unchanged but reverses the slope seen by an attacker,
//! `r = beta * (sigmoid(gamma * logit(p)) - 0.5)`, `p' = clip(p - r, 0, 1)`, renormalised
//! (with `p` clipped to `[1e-9, 1 - 1e-9]` inside the logit, as ART does).
//!
//! Its exact derivative is what a naive attack follows, and it points the wrong way wherever
//! `beta * gamma` is large: the defence hides the gradient rather than removing adversarial
//! examples. Gradients taken before the post-processor (BPDA mode) are not misled.

use ndarray::{Array2, ArrayView2};
use serde::Serialize;

use crate::described;
use crate::limits::MAX_MAGNITUDE;
use crate::params::{CrossCheck, Kind};

described! {
    /// ART's `ReverseSigmoid(beta=1.0, gamma=0.1)`.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct ReverseSigmoidParams in "reverse-sigmoid" {
        beta: f32 = 1.0, Kind::positive(MAX_MAGNITUDE).slider(0.0, 3.0, 0.1),
            "Size of the perturbation (ART: beta, default 1.0).",
            "섭동의 크기(ART: beta, 기본값 1.0).";
        gamma: f32 = 0.1, Kind::positive(MAX_MAGNITUDE).slider(0.0, 1.0, 0.01),
            "Slope of the reversed sigmoid (ART: gamma, default 0.1).",
            "뒤집힌 시그모이드의 기울기(ART: gamma, 기본값 0.1).";
    }
}

impl CrossCheck for ReverseSigmoidParams {}

const CLIP: f32 = 1e-9;

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

impl ReverseSigmoidParams {
    /// `p - r` before clipping, and `dr/dp` (zero where `p` was clipped for the logit).
    fn perturbed(&self, p: f32) -> (f32, f32) {
        let pc = p.clamp(CLIP, 1.0 - CLIP);
        let s = sigmoid(self.gamma * (pc / (1.0 - pc)).ln());
        let r = self.beta * (s - 0.5);
        let inside = p > CLIP && p < 1.0 - CLIP;
        let dr = if inside {
            self.beta * self.gamma * s * (1.0 - s) / (pc * (1.0 - pc))
        } else {
            0.0
        };
        (p - r, 1.0 - dr)
    }

    /// The perturbed, renormalised scores.
    pub fn apply(&self, p: ArrayView2<f32>) -> Array2<f32> {
        let mut out = p.mapv(|v| self.perturbed(v).0.clamp(0.0, 1.0));
        for mut row in out.rows_mut() {
            let sum: f32 = row.sum();
            if sum > 0.0 {
                row.mapv_inplace(|v| v / sum);
            }
        }
        out
    }

    /// The exact derivative at scores `p`.
    pub fn vjp(&self, p: ArrayView2<f32>, seed: ArrayView2<f32>) -> Array2<f32> {
        let mut out = Array2::zeros(p.raw_dim());
        for ((pr, sr), mut or) in p.rows().into_iter().zip(seed.rows()).zip(out.rows_mut()) {
            let parts: Vec<(f32, f32)> = pr.iter().map(|&v| self.perturbed(v)).collect();
            let y: Vec<f32> = parts.iter().map(|(u, _)| u.clamp(0.0, 1.0)).collect();
            let sum: f32 = y.iter().sum();
            if sum <= 0.0 {
                continue;
            }
            let dot: f32 = y.iter().zip(sr.iter()).map(|(a, b)| a * b).sum::<f32>() / sum;
            for (j, o) in or.iter_mut().enumerate() {
                let (u, du) = parts[j];
                let kept = (0.0..=1.0).contains(&u);
                *o = if kept { (sr[j] - dot) / sum * du } else { 0.0 };
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn keeps_probabilities_and_the_top_class() {
        let p = array![[0.05, 0.15, 0.8], [0.5, 0.3, 0.2]];
        let r = ReverseSigmoidParams::default().apply(p.view());
        assert_eq!(r.dim(), (2, 3));
        for (row, orig) in r.rows().into_iter().zip(p.rows()) {
            assert!((row.sum() - 1.0).abs() < 1e-5);
            let am = |v: ndarray::ArrayView1<f32>| {
                v.iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map(|(i, _)| i)
            };
            assert_eq!(am(row), am(orig));
        }
    }

    #[test]
    fn vjp_matches_finite_differences() {
        let p = array![[0.1f32, 0.25, 0.65]];
        let seed = array![[1.0f32, -0.5, 0.3]];
        let rs = ReverseSigmoidParams {
            beta: 1.0,
            gamma: 0.5,
        };
        let g = rs.vjp(p.view(), seed.view());
        let f = |p: &Array2<f32>| (&rs.apply(p.view()) * &seed).sum();
        for j in 0..3 {
            let h = 1e-3;
            let mut pp = p.clone();
            pp[[0, j]] += h;
            let mut pm = p.clone();
            pm[[0, j]] -= h;
            let fd = (f(&pp) - f(&pm)) / (2.0 * h);
            assert!((fd - g[[0, j]]).abs() < 2e-3, "{j}: {fd} vs {}", g[[0, j]]);
        }
    }

    #[test]
    fn non_positive_beta_is_refused_naming_the_value() {
        use crate::params::{Described, Raw};
        let e = ReverseSigmoidParams::from_fields(&[("beta".into(), Raw::Float(-1.0))])
            .unwrap_err()
            .to_string();
        assert!(e.contains("beta = -1"), "{e}");
    }
}
