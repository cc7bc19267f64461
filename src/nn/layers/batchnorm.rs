//! [`BatchNorm`]: Keras `BatchNormalization` over the last axis. Training normalises with the
//! batch mean and biased variance and updates `moving = momentum·moving + (1 − momentum)·batch`
//! (Keras uses the same biased variance for the moving average); inference uses the moving
//! statistics.

use super::{Layer, Pass};
use crate::nn::param::Param;
use ndarray::{Array1, Array2, ArrayView2, Axis};

/// Batch normalisation. Tensors: `gamma`, `beta` (trainable), `moving_mean`,
/// `moving_variance` (stored), each `[c]`.
#[derive(Debug, Clone)]
pub struct BatchNorm {
    params: [Param; 4],
    epsilon: f32,
    momentum: f32,
    cache: Option<Cache>,
}

#[derive(Debug, Clone)]
struct Cache {
    /// Normalised input viewed as `(N·s, c)`.
    xhat: Array2<f32>,
    inv_std: Array1<f32>,
    training: bool,
    batch: usize,
}

impl BatchNorm {
    /// Batch normalisation from its four tensors (gamma, beta, moving mean, moving variance).
    pub fn new(params: [Param; 4], epsilon: f32, momentum: f32) -> BatchNorm {
        BatchNorm {
            params,
            epsilon,
            momentum,
            cache: None,
        }
    }

    fn channels(&self) -> usize {
        self.params[0].value.len()
    }

    /// `(N, s·c)` viewed as `(N·s, c)`.
    fn rows(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let c = self.channels();
        let n = x.len() / c;
        x.as_standard_layout()
            .into_owned()
            .into_shape_with_order((n, c))
            .expect("c divides D")
    }

    /// `gamma·(x − mean)·inv_std + beta`, returning `xhat` too.
    fn normalise(
        &self,
        x: &Array2<f32>,
        mean: &[f32],
        inv_std: &[f32],
    ) -> (Array2<f32>, Array2<f32>) {
        let mut xhat = x.clone();
        for mut r in xhat.rows_mut() {
            for (j, v) in r.iter_mut().enumerate() {
                *v = (*v - mean[j]) * inv_std[j];
            }
        }
        let (gamma, beta) = (&self.params[0].value, &self.params[1].value);
        let mut y = xhat.clone();
        for mut r in y.rows_mut() {
            for (j, v) in r.iter_mut().enumerate() {
                *v = *v * gamma[j] + beta[j];
            }
        }
        (xhat, y)
    }

    fn moving_inv_std(&self) -> Vec<f32> {
        self.params[3]
            .value
            .iter()
            .map(|v| 1.0 / (v + self.epsilon).sqrt())
            .collect()
    }
}

impl Layer for BatchNorm {
    fn clear_cache(&mut self) {
        self.cache = None;
    }

    // x (N, s·c) -> y (N, s·c), statistics per channel c
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let (n, d) = x.dim();
        let (_, y) = self.normalise(&self.rows(x), &self.params[2].value, &self.moving_inv_std());
        y.into_shape_with_order((n, d)).expect("same length")
    }

    fn forward(&mut self, x: ArrayView2<f32>, pass: &mut Pass<'_>) -> Array2<f32> {
        let (n, d) = x.dim();
        let rows = self.rows(x);
        let (mean, inv_std) = if pass.training {
            let mean = rows.mean_axis(Axis(0)).expect("non-empty batch");
            let var = rows.var_axis(Axis(0), 0.0);
            let m = self.momentum;
            for (mv, &b) in self.params[2].value.iter_mut().zip(&mean) {
                *mv = m * *mv + (1.0 - m) * b;
            }
            for (mv, &b) in self.params[3].value.iter_mut().zip(&var) {
                *mv = m * *mv + (1.0 - m) * b;
            }
            (mean, var.mapv(|v| 1.0 / (v + self.epsilon).sqrt()))
        } else {
            (
                Array1::from(self.params[2].value.clone()),
                Array1::from(self.moving_inv_std()),
            )
        };
        let (xhat, y) =
            self.normalise(&rows, mean.as_slice().unwrap(), inv_std.as_slice().unwrap());
        self.cache = Some(Cache {
            xhat,
            inv_std,
            training: pass.training,
            batch: n,
        });
        y.into_shape_with_order((n, d)).expect("same length")
    }

    // dβ = Σ g, dγ = Σ g·x̂; inference: dx = g·γ·inv_std;
    // training (M rows): dx = inv_std/M · (M·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)), dx̂ = g·γ
    fn backward(&mut self, g: ArrayView2<f32>) -> Array2<f32> {
        let (n, d) = g.dim();
        let g = self.rows(g);
        let cache = self
            .cache
            .as_ref()
            .expect("batchnorm: backward before forward");
        let gamma = Array1::from(self.params[0].value.clone());
        let dbeta = g.sum_axis(Axis(0));
        let dgamma = (&g * &cache.xhat).sum_axis(Axis(0));
        let dxhat = &g * &gamma;
        let dx = if cache.training {
            let m = g.nrows() as f32;
            let s1 = dxhat.sum_axis(Axis(0));
            let s2 = (&dxhat * &cache.xhat).sum_axis(Axis(0));
            ((&dxhat * m) - &s1 - &(&cache.xhat * &s2)) * &(&cache.inv_std / m)
        } else {
            dxhat * &cache.inv_std
        };
        debug_assert_eq!(n, cache.batch);
        let [gp, bp, ..] = &mut self.params;
        gp.grad.iter_mut().zip(&dgamma).for_each(|(a, &b)| *a += b);
        bp.grad.iter_mut().zip(&dbeta).for_each(|(a, &b)| *a += b);
        dx.into_shape_with_order((n, d)).expect("same length")
    }

    fn params(&self) -> &[Param] {
        &self.params
    }

    fn params_mut(&mut self) -> &mut [Param] {
        &mut self.params
    }
}

#[cfg(test)]
mod tests {
    use super::super::gradcheck::{check_layer, random};
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn layer(c: usize) -> BatchNorm {
        let v = |seed, off: f32| {
            random(1, c, seed)
                .into_raw_vec_and_offset()
                .0
                .iter()
                .map(|x| x * 0.5 + off)
                .collect()
        };
        BatchNorm::new(
            [
                Param::trainable("gamma".into(), vec![c], v(1, 1.0)),
                Param::trainable("beta".into(), vec![c], v(2, 0.0)),
                Param::frozen("mean".into(), vec![c], v(3, 0.0)),
                Param::frozen("var".into(), vec![c], v(4, 1.0)),
            ],
            1e-3,
            0.9,
        )
    }

    #[test]
    fn gradients_match_finite_differences_in_both_modes() {
        let x = random(4, 12, 5);
        check_layer(&layer(3), &x, true, 1e-2, 3e-3);
        check_layer(&layer(3), &x, false, 1e-2, 2e-3);
    }

    #[test]
    fn training_normalises_and_updates_moving_statistics() {
        let mut bn = layer(2);
        bn.params[0].value = vec![1.0, 1.0];
        bn.params[1].value = vec![0.0, 0.0];
        bn.params[2].value = vec![0.0, 0.0];
        bn.params[3].value = vec![1.0, 1.0];
        let x = ndarray::array![[1.0f32, 10.0, 3.0, 20.0], [5.0, 30.0, 7.0, 40.0]];
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let y = bn.forward(
            x.view(),
            &mut Pass {
                training: true,
                param_grads: true,
                rng: &mut rng,
            },
        );
        // channel 0: values 1,3,5,7 -> mean 4, biased var 5
        assert!((y[[0, 0]] - (-3.0 / (5.0f32 + 1e-3).sqrt())).abs() < 1e-5);
        assert!((bn.params[2].value[0] - 0.4).abs() < 1e-6);
        assert!((bn.params[3].value[0] - (0.9 + 0.1 * 5.0)).abs() < 1e-5);
        assert!((bn.params[2].value[1] - 2.5).abs() < 1e-5);
        assert!((bn.params[3].value[1] - (0.9 + 0.1 * 125.0)).abs() < 1e-4);
    }
}
