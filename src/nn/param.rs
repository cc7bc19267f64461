//! Trainable and stored tensors: [`Param`] (a named flat tensor with its gradient and optional
//! L1/L2 penalty) and the Keras initialisers [`he_normal`] and [`glorot_uniform`].

use super::spec::{Initializer, Regularizer};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// A named weight tensor stored row-major, with an accumulated gradient of the same length.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Tensor name, e.g. `layers.0.kernel`.
    pub name: String,
    /// Keras layout shape.
    pub shape: Vec<usize>,
    /// Row-major values.
    pub value: Vec<f32>,
    /// Accumulated gradient (empty for non-trainable tensors).
    pub grad: Vec<f32>,
    /// Optional penalty added to the loss and to `grad`.
    pub regularizer: Option<Regularizer>,
}

impl Param {
    /// A trainable tensor with the given values and a zero gradient.
    pub fn trainable(name: String, shape: Vec<usize>, value: Vec<f32>) -> Param {
        let grad = vec![0.0; value.len()];
        Param {
            name,
            shape,
            value,
            grad,
            regularizer: None,
        }
    }

    /// A stored, non-trainable tensor (batchnorm moving statistics).
    pub fn frozen(name: String, shape: Vec<usize>, value: Vec<f32>) -> Param {
        Param {
            name,
            shape,
            value,
            grad: Vec::new(),
            regularizer: None,
        }
    }

    /// True when the optimiser updates this tensor.
    pub fn is_trainable(&self) -> bool {
        !self.grad.is_empty()
    }

    /// Sets the gradient to zero.
    pub fn zero_grad(&mut self) {
        self.grad.iter_mut().for_each(|g| *g = 0.0);
    }

    /// The penalty `l1·Σ|w| + l2·Σw²` (0 without a regulariser).
    pub fn penalty(&self) -> f32 {
        match self.regularizer {
            None => 0.0,
            Some(r) => {
                let (mut a, mut s) = (0.0f64, 0.0f64);
                for &w in &self.value {
                    a += f64::from(w.abs());
                    s += f64::from(w) * f64::from(w);
                }
                (f64::from(r.l1) * a + f64::from(r.l2) * s) as f32
            }
        }
    }

    /// Adds the penalty's gradient `l1·sign(w) + 2·l2·w` to `grad`.
    pub fn add_penalty_grad(&mut self) {
        if let Some(r) = self.regularizer {
            for (g, &w) in self.grad.iter_mut().zip(&self.value) {
                let sign = if w > 0.0 {
                    1.0
                } else if w < 0.0 {
                    -1.0
                } else {
                    0.0
                };
                *g += r.l1 * sign + 2.0 * r.l2 * w;
            }
        }
    }
}

/// Draws `n` kernel values with a Keras initialiser for the given fans.
pub fn init_kernel(
    init: Initializer,
    n: usize,
    fan_in: usize,
    fan_out: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    match init {
        Initializer::HeNormal => he_normal(n, fan_in, rng),
        Initializer::GlorotUniform => glorot_uniform(n, fan_in, fan_out, rng),
    }
}

/// Keras `HeNormal`: a normal truncated at two standard deviations, whose scale is divided by
/// 0.8796… (the std of a unit normal truncated at ±2) so the drawn values have std
/// `sqrt(2 / fan_in)`.
pub fn he_normal(n: usize, fan_in: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
    const TRUNC_STD: f64 = 0.879_625_661_034_239_8;
    let std = (2.0 / fan_in.max(1) as f64).sqrt() / TRUNC_STD;
    (0..n)
        .map(|_| loop {
            let z: f64 = StandardNormal.sample(rng);
            if z.abs() <= 2.0 {
                break (z * std) as f32;
            }
        })
        .collect()
}

/// Keras `GlorotUniform`: uniform in `±sqrt(6 / (fan_in + fan_out))`.
pub fn glorot_uniform(n: usize, fan_in: usize, fan_out: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let limit = (6.0 / (fan_in + fan_out).max(1) as f64).sqrt() as f32;
    (0..n).map(|_| rng.random_range(-limit..=limit)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn moments(v: &[f32]) -> (f64, f64) {
        let n = v.len() as f64;
        let m = v.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
        let var = v.iter().map(|&x| (f64::from(x) - m).powi(2)).sum::<f64>() / n;
        (m, var.sqrt())
    }

    #[test]
    fn he_normal_has_the_keras_std_and_is_truncated() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let v = he_normal(200_000, 50, &mut rng);
        let (m, s) = moments(&v);
        let want = (2.0f64 / 50.0).sqrt();
        assert!(m.abs() < 2e-3, "mean {m}");
        assert!((s - want).abs() < 0.01 * want, "std {s} vs {want}");
        let bound = 2.0 * want / 0.879_625_661_034_239_8 + 1e-6;
        assert!(v.iter().all(|&x| f64::from(x).abs() <= bound));
    }

    #[test]
    fn glorot_uniform_stays_in_its_limit_and_fills_it() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let v = glorot_uniform(100_000, 30, 20, &mut rng);
        let limit = (6.0f32 / 50.0).sqrt();
        assert!(v.iter().all(|x| x.abs() <= limit));
        let (_, s) = moments(&v);
        let want = f64::from(limit) / 3f64.sqrt();
        assert!((s - want).abs() < 0.01 * want, "std {s} vs {want}");
    }

    #[test]
    fn penalty_and_its_gradient_match_finite_differences() {
        let mut p = Param::trainable("w".into(), vec![3], vec![0.5, -1.5, 2.0]);
        p.regularizer = Some(Regularizer { l1: 0.1, l2: 0.3 });
        p.add_penalty_grad();
        for i in 0..3 {
            let mut q = p.clone();
            let eps = 1e-3;
            q.value[i] += eps;
            let up = q.penalty();
            q.value[i] -= 2.0 * eps;
            let down = q.penalty();
            let fd = (up - down) / (2.0 * eps);
            assert!((fd - p.grad[i]).abs() < 1e-3, "{i}: {fd} vs {}", p.grad[i]);
        }
    }
}
