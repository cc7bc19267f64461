//! ART's `FeatureSqueezing` (Xu, Evans and Qi 2018): every feature is rounded to `bit_depth`
//! bits over the clip range, `round((x - min) / (max - min) * (2^b - 1)) / (2^b - 1)` scaled back.
//! Rounding is numpy's `rint` (half to even), computed in f64.
//!
//! Not differentiable: its true derivative is zero almost everywhere, so a naive attack gets no
//! gradient at all (gradient masking). BPDA passes the gradient through as the identity (the
//! squeezed input is close to the input), which is what ART's `estimate_gradient` does.

use ndarray::{Array2, ArrayView2};
use serde::Serialize;

use crate::described;
use crate::params::{CrossCheck, Kind};

described! {
    /// ART's `FeatureSqueezing(clip_values, bit_depth=8)`.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct FeatureSqueezingParams in "feature-squeezing" {
        bit_depth: usize = 8, Kind::int(1, 64),
            "Bits kept per feature (ART: bit_depth, 1 to 64): 1 turns every pixel black or white, 8 keeps 256 levels.",
            "특성마다 남기는 비트 수(ART: bit_depth, 1~64). 1이면 모든 픽셀이 흑 또는 백이 되고, 8이면 256단계를 남깁니다.";
    }
}

impl CrossCheck for FeatureSqueezingParams {}

impl FeatureSqueezingParams {
    /// The squeezed inputs.
    pub fn apply(&self, x: ArrayView2<f32>, clip: (f32, f32)) -> Array2<f32> {
        let (lo, hi) = (f64::from(clip.0), f64::from(clip.1));
        let range = hi - lo;
        let levels = 2f64.powi(self.bit_depth.min(64) as i32) - 1.0;
        x.mapv(|v| {
            let unit = (f64::from(v) - lo) / range;
            let q = (unit * levels).round_ties_even() / levels;
            (q * range + lo).clamp(lo, hi) as f32
        })
    }

    /// The true derivative: zero (the squeezing is a step function).
    pub fn backward_exact(&self, grad: ArrayView2<f32>) -> Array2<f32> {
        Array2::zeros(grad.raw_dim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn bit_depth_8_is_identity_on_the_u8_grid() {
        let x = Array2::from_shape_fn((2, 256), |(i, j)| {
            if i == 0 {
                j as f32 / 255.0
            } else {
                (255 - j) as f32 / 255.0
            }
        });
        let p = FeatureSqueezingParams { bit_depth: 8 };
        assert_eq!(p.apply(x.view(), (0.0, 1.0)), x);
    }

    #[test]
    fn bit_depth_1_thresholds_at_one_half() {
        let x = array![[0.0, 0.2, 0.49, 0.5, 0.51, 1.0]];
        let p = FeatureSqueezingParams { bit_depth: 1 };
        // rint(0.5) is 0 (half to even), as in numpy.
        assert_eq!(
            p.apply(x.view(), (0.0, 1.0)),
            array![[0.0, 0.0, 0.0, 0.0, 1.0, 1.0]]
        );
    }

    #[test]
    fn respects_the_clip_range_and_keeps_the_shape() {
        let x = array![[-1.0, 0.0, 1.0], [0.4, -0.6, 0.9]];
        let p = FeatureSqueezingParams { bit_depth: 2 };
        let y = p.apply(x.view(), (-1.0, 1.0));
        assert_eq!(y.dim(), (2, 3));
        // 3 levels steps of 2/3 over [-1, 1].
        for v in y.iter() {
            let k = (v + 1.0) * 1.5;
            assert!((k - k.round()).abs() < 1e-5, "{v}");
        }
        assert_eq!(p.backward_exact(x.view()), Array2::<f32>::zeros((2, 3)));
    }

    #[test]
    fn bad_bit_depth_is_refused_naming_the_value() {
        use crate::params::{Described, Raw};
        for bad in [0i64, 65] {
            let e = FeatureSqueezingParams::from_fields(&[("bit_depth".into(), Raw::Int(bad))])
                .unwrap_err()
                .to_string();
            assert!(e.contains(&format!("bit_depth = {bad}")), "{e}");
        }
    }
}
