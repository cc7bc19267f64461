//! A one-hidden-layer network for tests: `z = tanh(x W1^T + b1) W2^T + b2`, scores `softmax(z)`
//! (or the logits), with hand-written backward passes next to the forward pass.
//!
//! Main type: [`MlpClassifier`].

use crate::classifier::{accuracy, BatchStats, ClassSelection, Classifier};
use ndarray::{Array1, Array2, Array3, ArrayView2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A tanh MLP with `D` inputs, `H` hidden units and `C` classes.
#[derive(Debug, Clone)]
pub struct MlpClassifier {
    /// Hidden weights `(H, D)`.
    pub w1: Array2<f32>,
    /// Hidden biases `(H,)`.
    pub b1: Array1<f32>,
    /// Output weights `(C, H)`.
    pub w2: Array2<f32>,
    /// Output biases `(C,)`.
    pub b2: Array1<f32>,
    /// Scores are `softmax(z)` when true, the logits `z` otherwise.
    pub softmax: bool,
    /// Learning rate of [`Classifier::train_batch`].
    pub lr: f32,
    shape: Vec<usize>,
}

impl MlpClassifier {
    /// Random weights (uniform, scaled by `1/sqrt(fan_in)`) from a seeded generator.
    pub fn new(d: usize, h: usize, c: usize, softmax: bool, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (s1, s2) = (1.0 / (d as f32).sqrt(), 1.0 / (h as f32).sqrt());
        let w1 = Array2::from_shape_fn((h, d), |_| rng.random_range(-s1..s1) * 2.0);
        let w2 = Array2::from_shape_fn((c, h), |_| rng.random_range(-s2..s2) * 2.0);
        MlpClassifier {
            w1,
            b1: Array1::zeros(h),
            w2,
            b2: Array1::zeros(c),
            softmax,
            lr: 0.5,
            shape: vec![d],
        }
    }

    /// Forward pass: hidden activations `(N, H)` and logits `(N, C)`.
    fn forward(&self, x: ArrayView2<f32>) -> (Array2<f32>, Array2<f32>) {
        let h = (x.dot(&self.w1.t()) + &self.b1).mapv(f32::tanh);
        let z = h.dot(&self.w2.t()) + &self.b2;
        (h, z)
    }

    /// Backward pass from a logit gradient `dz: (N, C)` to the input: `(N, D)`.
    fn backward_input(&self, h: &Array2<f32>, dz: &Array2<f32>) -> Array2<f32> {
        let da = dz.dot(&self.w2) * h.mapv(|v| 1.0 - v * v);
        da.dot(&self.w1)
    }

    fn softmax_rows(mut z: Array2<f32>) -> Array2<f32> {
        for mut row in z.rows_mut() {
            let m = row.fold(f32::NEG_INFINITY, |a, &b| a.max(b));
            row.mapv_inplace(|v| (v - m).exp());
            let s = row.sum();
            row /= s;
        }
        z
    }

    /// Gradient of sample `i`'s output `c` as a logit-space vector `(C,)` to back-propagate.
    fn output_seed(&self, p: &Array2<f32>, i: usize, c: usize) -> Array1<f32> {
        let mut seed = Array1::zeros(p.ncols());
        if self.softmax {
            // dp_c/dz_k = p_c (delta_ck - p_k)
            for k in 0..p.ncols() {
                seed[k] = -p[[i, c]] * p[[i, k]];
            }
            seed[c] += p[[i, c]];
        } else {
            seed[c] = 1.0;
        }
        seed
    }
}

impl Classifier for MlpClassifier {
    fn input_shape(&self) -> &[usize] {
        &self.shape
    }

    fn nb_classes(&self) -> usize {
        self.w2.nrows()
    }

    fn clip_values(&self) -> (f32, f32) {
        (0.0, 1.0)
    }

    fn predict(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let z = self.forward(x).1;
        if self.softmax {
            Self::softmax_rows(z)
        } else {
            z
        }
    }

    fn loss_gradient(&mut self, x: ArrayView2<f32>, y: &[usize]) -> Array2<f32> {
        let (h, z) = self.forward(x);
        let mut dz = Self::softmax_rows(z);
        for (i, &c) in y.iter().enumerate() {
            dz[[i, c]] -= 1.0;
        }
        self.backward_input(&h, &dz)
    }

    fn class_gradient(&mut self, x: ArrayView2<f32>, classes: ClassSelection<'_>) -> Array3<f32> {
        let (h, z) = self.forward(x);
        let p = Self::softmax_rows(z);
        let n = x.nrows();
        let picks: Vec<Vec<usize>> = match classes {
            ClassSelection::One(c) => vec![vec![c]; n],
            ClassSelection::PerSample(cs) => cs.iter().map(|&c| vec![c]).collect(),
            ClassSelection::All => vec![(0..self.nb_classes()).collect(); n],
        };
        let k = picks.first().map_or(1, Vec::len);
        let mut out = Array3::zeros((n, k, x.ncols()));
        for j in 0..k {
            let mut dz = Array2::zeros((n, self.nb_classes()));
            for (i, cs) in picks.iter().enumerate() {
                dz.row_mut(i).assign(&self.output_seed(&p, i, cs[j]));
            }
            out.index_axis_mut(Axis(1), j)
                .assign(&self.backward_input(&h, &dz));
        }
        out
    }

    fn logits(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.forward(x).1
    }

    fn logit_vjp(&mut self, x: ArrayView2<f32>, seed: ArrayView2<f32>) -> Array2<f32> {
        let (h, _) = self.forward(x);
        self.backward_input(&h, &seed.to_owned())
    }

    fn train_batch(&mut self, x: ArrayView2<f32>, y: &[usize]) -> BatchStats {
        let (h, z) = self.forward(x);
        let p = Self::softmax_rows(z);
        let n = x.nrows().max(1) as f32;
        let loss = y
            .iter()
            .enumerate()
            .map(|(i, &c)| -p[[i, c]].max(1e-12).ln())
            .sum::<f32>()
            / n;
        let stats = BatchStats {
            loss,
            accuracy: accuracy(&p, y),
        };
        let mut dz = p;
        for (i, &c) in y.iter().enumerate() {
            dz[[i, c]] -= 1.0;
        }
        dz /= n;
        let da = dz.dot(&self.w2) * h.mapv(|v| 1.0 - v * v);
        self.w2 = &self.w2 - &(dz.t().dot(&h) * self.lr);
        self.b2 = &self.b2 - &(dz.sum_axis(Axis(0)) * self.lr);
        self.w1 = &self.w1 - &(da.t().dot(&x) * self.lr);
        self.b1 = &self.b1 - &(da.sum_axis(Axis(0)) * self.lr);
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::super::numeric_grad;
    use super::*;
    use ndarray::array;

    #[test]
    fn gradients_match_finite_differences() {
        let x = array![[0.2f32, 0.7, 0.4, 0.9]];
        for softmax in [true, false] {
            let mut m = MlpClassifier::new(4, 6, 3, softmax, 5);
            let cg = m.class_gradient(x.view(), ClassSelection::All);
            for c in 0..3 {
                let num = numeric_grad(|v| m.predict(v.view())[[0, c]], &x);
                for j in 0..4 {
                    assert!(
                        (cg[[0, c, j]] - num[j]).abs() < 2e-3,
                        "softmax {softmax} c{c} j{j}"
                    );
                }
            }
            let per = m.class_gradient(x.view(), ClassSelection::PerSample(&[2]));
            assert_eq!(per.index_axis(Axis(1), 0), cg.index_axis(Axis(1), 2));
            let lg = m.loss_gradient(x.view(), &[1]);
            let num = numeric_grad(
                |v| -MlpClassifier::softmax_rows(m.forward(v.view()).1)[[0, 1]].ln(),
                &x,
            );
            for j in 0..4 {
                assert!((lg[[0, j]] - num[j]).abs() < 2e-3, "loss j{j}");
            }
        }
    }

    #[test]
    fn training_learns_a_non_linear_rule() {
        // class 1 inside the band |x0 - x1| < 0.25, else 0: not linearly separable
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let x = Array2::from_shape_fn((200, 2), |_| rng.random_range(0.0f32..1.0));
        let y: Vec<usize> = x
            .rows()
            .into_iter()
            .map(|r| usize::from((r[0] - r[1]).abs() < 0.25))
            .collect();
        let mut m = MlpClassifier::new(2, 16, 2, true, 3);
        m.lr = 2.0;
        let mut last = BatchStats {
            loss: 0.0,
            accuracy: 0.0,
        };
        for _ in 0..1500 {
            last = m.train_batch(x.view(), &y);
        }
        assert!(last.accuracy > 0.85, "accuracy {}", last.accuracy);
    }
}
