//! [`Dropout`]: inverted dropout (Keras): in training each value is kept with probability
//! `1 − rate` and scaled by `1 / (1 − rate)`; in inference it is the identity.

use super::{per_block, Layer, Pass};
use ndarray::{Array2, ArrayView2, Zip};
use rand::Rng;

/// Inverted dropout. No tensors.
#[derive(Debug, Clone)]
pub struct Dropout {
    rate: f32,
    /// Per-value multiplier of the last training pass (0 or `1/(1-rate)`); `None` in inference.
    mask: Option<Array2<f32>>,
}

impl Dropout {
    /// Dropout with `rate` in `[0, 1)` (validated by the spec).
    pub fn new(rate: f32) -> Dropout {
        Dropout { rate, mask: None }
    }
}

impl Layer for Dropout {
    fn clear_cache(&mut self) {
        self.mask = None;
    }

    // x (N, D) -> y (N, D)
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        x.to_owned()
    }

    fn forward(&mut self, x: ArrayView2<f32>, pass: &mut Pass<'_>) -> Array2<f32> {
        if !pass.training || self.rate == 0.0 {
            self.mask = None;
            return x.to_owned();
        }
        let scale = 1.0 / (1.0 - self.rate);
        let rate = self.rate;
        let mask = Array2::from_shape_simple_fn(x.raw_dim(), || {
            if pass.rng.random::<f32>() < rate {
                0.0
            } else {
                scale
            }
        });
        let y = Zip::from(&x).and(&mask).map_collect(|&a, &m| a * m);
        self.mask = Some(mask);
        y
    }

    // dx = g ⊙ mask
    fn backward(&mut self, g: ArrayView2<f32>) -> Array2<f32> {
        match &self.mask {
            None => g.to_owned(),
            Some(m) => per_block(g, m, |block, m| {
                Zip::from(block).and(m).for_each(|a, &m| *a *= m)
            }),
        }
    }

    fn stacks_seeds(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::gradcheck::{check_layer, random};
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn drops_about_rate_and_keeps_the_mean() {
        let mut d = Dropout::new(0.3);
        let x = Array2::<f32>::ones((100, 200));
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let y = d.forward(
            x.view(),
            &mut Pass {
                training: true,
                param_grads: true,
                rng: &mut rng,
            },
        );
        let zeros = y.iter().filter(|&&v| v == 0.0).count() as f32 / 20_000.0;
        assert!((zeros - 0.3).abs() < 0.02, "dropped {zeros}");
        assert!((y.mean().unwrap() - 1.0).abs() < 0.03);
        let y2 = d.forward(
            x.view(),
            &mut Pass {
                training: false,
                param_grads: true,
                rng: &mut rng,
            },
        );
        assert_eq!(y2, x);
    }

    #[test]
    fn gradients_match_finite_differences_with_a_fixed_mask() {
        check_layer(&Dropout::new(0.5), &random(3, 8, 1), true, 1e-2, 1e-3);
    }
}
