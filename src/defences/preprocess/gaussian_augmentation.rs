//! ART's `GaussianAugmentation` used as test-time noise (`augmentation=False,
//! apply_predict=True`): every prediction sees `x + N(0, sigma²)`, clipped to the clip values.
//!
//! Randomised: each call draws new noise, so an attacker averages gradients over several draws
//! (EOT, Athalye et al. 2018). Its backward pass is the identity (the noise is additive; the
//! clipping is passed through as in BPDA), so it counts as differentiable.

use ndarray::{Array2, ArrayView2};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

use crate::described;
use crate::limits::MAX_MAGNITUDE;
use crate::params::{CrossCheck, Kind};

described! {
    /// ART's `GaussianAugmentation(sigma=1.0, augmentation=False, apply_predict=True)`.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct GaussianAugmentationParams in "gaussian-augmentation" {
        sigma: f32 = 1.0, Kind::float(0.0, MAX_MAGNITUDE).slider(0.0, 1.0, 0.01),
            "Standard deviation of the Gaussian noise added to every input feature at prediction time (ART: sigma, default 1.0, which drowns [0, 1] images; try 0.1 to 0.3). 0 adds nothing.",
            "예측할 때마다 입력 특성에 더하는 가우시안 잡음의 표준편차(ART: sigma, 기본값 1.0은 [0, 1] 이미지를 덮어 버리므로 0.1~0.3을 써 보세요). 0이면 아무것도 더하지 않습니다.";
    }
}

impl CrossCheck for GaussianAugmentationParams {}

impl GaussianAugmentationParams {
    /// The inputs with fresh noise from `rng`, clipped to `clip`.
    pub fn apply(&self, x: ArrayView2<f32>, clip: (f32, f32), rng: &mut ChaCha8Rng) -> Array2<f32> {
        if self.sigma == 0.0 {
            return x.to_owned();
        }
        let s = f64::from(self.sigma);
        x.mapv(|v| {
            let z: f64 = StandardNormal.sample(rng);
            ((f64::from(v) + s * z) as f32).clamp(clip.0, clip.1)
        })
    }

    /// Whether it draws noise (sigma above zero).
    pub fn is_random(&self) -> bool {
        self.sigma > 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn sigma_zero_is_identity_and_noise_stays_in_range() {
        let x = Array2::from_shape_fn((3, 50), |(i, j)| ((i * 50 + j) % 11) as f32 / 10.0);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let p0 = GaussianAugmentationParams { sigma: 0.0 };
        assert_eq!(p0.apply(x.view(), (0.0, 1.0), &mut rng), x);
        assert!(!p0.is_random());
        let p = GaussianAugmentationParams { sigma: 0.3 };
        let y = p.apply(x.view(), (0.0, 1.0), &mut rng);
        assert_eq!(y.dim(), x.dim());
        assert!(y.iter().all(|v| (0.0..=1.0).contains(v)));
        assert_ne!(y, x);
        let y2 = p.apply(x.view(), (0.0, 1.0), &mut rng);
        assert_ne!(y, y2, "each call draws new noise");
    }

    #[test]
    fn noise_has_the_asked_spread() {
        let x = Array2::from_elem((1, 20000), 0.0f32);
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let y =
            GaussianAugmentationParams { sigma: 0.5 }.apply(x.view(), (-100.0, 100.0), &mut rng);
        let var = y.iter().map(|v| v * v).sum::<f32>() / 20000.0;
        assert!((var.sqrt() - 0.5).abs() < 0.02, "{var}");
    }

    #[test]
    fn negative_sigma_is_refused_naming_the_value() {
        use crate::params::{Described, Raw};
        let e = GaussianAugmentationParams::from_fields(&[("sigma".into(), Raw::Float(-0.5))])
            .unwrap_err()
            .to_string();
        assert!(e.contains("sigma = -0.5"), "{e}");
    }
}
