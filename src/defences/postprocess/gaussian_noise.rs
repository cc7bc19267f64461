//! ART's `GaussianNoise` post-processor (Chandrasekaran et al. 2018): Gaussian noise of standard
//! deviation `scale` is added to the scores; probabilities are then floored at 0 and divided by
//! their sum again. Randomised: every call draws new noise.
//!
//! Its exact derivative (for a naive attack) is that of the renormalisation at the noisy scores:
//! `out = q / S` with `q = max(p + n, 0)`, `S = Σ q`.

use ndarray::{Array2, ArrayView2};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

use crate::described;
use crate::limits::MAX_MAGNITUDE;
use crate::params::{CrossCheck, Kind};

described! {
    /// ART's `GaussianNoise(scale=0.2)`.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct GaussianNoiseParams in "gaussian-noise" {
        scale: f32 = 0.2, Kind::positive(MAX_MAGNITUDE).slider(0.0, 1.0, 0.01),
            "Standard deviation of the noise added to every score (ART: scale, default 0.2); the scores are then renormalised.",
            "모든 점수에 더하는 잡음의 표준편차(ART: scale, 기본값 0.2). 그다음 점수를 다시 정규화합니다.";
    }
}

impl CrossCheck for GaussianNoiseParams {}

impl GaussianNoiseParams {
    /// The noisy, renormalised scores, and the floored noisy scores `q` (for [`Self::vjp`]).
    pub fn apply(&self, p: ArrayView2<f32>, rng: &mut ChaCha8Rng) -> (Array2<f32>, Array2<f32>) {
        let s = f64::from(self.scale);
        let q = p.mapv(|v| {
            let z: f64 = StandardNormal.sample(rng);
            ((f64::from(v) + s * z) as f32).max(0.0)
        });
        let mut out = q.clone();
        for mut row in out.rows_mut() {
            let sum: f32 = row.sum();
            if sum > 0.0 {
                row.mapv_inplace(|v| v / sum);
            } else {
                // Every score fell below zero: nothing is known, report a uniform guess.
                let n = row.len() as f32;
                row.fill(1.0 / n);
            }
        }
        (out, q)
    }

    /// The exact derivative at the noisy scores `q`: `d(q_i / S) / dp_j` with the floor's mask.
    pub fn vjp(&self, q: ArrayView2<f32>, seed: ArrayView2<f32>) -> Array2<f32> {
        let mut out = Array2::zeros(q.raw_dim());
        for ((qr, sr), mut or) in q.rows().into_iter().zip(seed.rows()).zip(out.rows_mut()) {
            let sum: f32 = qr.sum();
            if sum <= 0.0 {
                continue;
            }
            let dot: f32 = qr.iter().zip(sr.iter()).map(|(a, b)| a * b).sum::<f32>() / sum;
            for ((o, &qj), &sj) in or.iter_mut().zip(qr.iter()).zip(sr.iter()) {
                *o = if qj > 0.0 { (sj - dot) / sum } else { 0.0 };
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;
    use rand::SeedableRng;

    #[test]
    fn scores_stay_probabilities_and_change_each_call() {
        let p = array![[0.1, 0.3, 0.6], [0.7, 0.2, 0.1]];
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let g = GaussianNoiseParams { scale: 0.2 };
        let (a, _) = g.apply(p.view(), &mut rng);
        let (b, _) = g.apply(p.view(), &mut rng);
        assert_eq!(a.dim(), (2, 3));
        assert_ne!(a, b);
        for row in a.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-5);
            assert!(row.iter().all(|v| *v >= 0.0));
        }
    }

    #[test]
    fn vjp_matches_finite_differences_of_the_renormalisation() {
        let q = array![[0.2f32, 0.5, 0.0, 0.9]];
        let seed = array![[0.3f32, -1.0, 2.0, 0.5]];
        let g = GaussianNoiseParams::default().vjp(q.view(), seed.view());
        let f = |q: &Array2<f32>| -> f32 {
            let s: f32 = q.iter().map(|v| v.max(0.0)).sum();
            q.iter()
                .zip(seed.iter())
                .map(|(v, w)| v.max(0.0) / s * w)
                .sum()
        };
        for j in [0, 1, 3] {
            let h = 1e-3;
            let mut qp = q.clone();
            qp[[0, j]] += h;
            let mut qm = q.clone();
            qm[[0, j]] -= h;
            let fd = (f(&qp) - f(&qm)) / (2.0 * h);
            assert!((fd - g[[0, j]]).abs() < 1e-3, "{j}: {fd} vs {}", g[[0, j]]);
        }
    }

    #[test]
    fn non_positive_scale_is_refused_naming_the_value() {
        use crate::params::{Described, Raw};
        let e = GaussianNoiseParams::from_fields(&[("scale".into(), Raw::Int(0))])
            .unwrap_err()
            .to_string();
        assert!(e.contains("scale = 0"), "{e}");
    }
}
