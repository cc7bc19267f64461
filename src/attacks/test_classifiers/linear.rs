//! A linear classifier for tests: scores of `x W^T + b`, as logits, softmax probabilities, or
//! exactly as ART's `ScikitlearnLogisticRegression` wrapper computes them.
//!
//! Main types: [`LinearClassifier`], [`LinearOutput`].

use crate::classifier::{BatchStats, ClassSelection, Classifier};
use ndarray::{Array1, Array2, Array3, ArrayView2, Axis};

/// What a [`LinearClassifier`] outputs and how its gradients are defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinearOutput {
    /// Scores are the logits `z`; class gradients are rows of `W`; loss is softmax cross-entropy.
    Logits,
    /// Scores are `softmax(z)`; class gradients are `dp_c/dx = p_c (W_c - p W)`.
    Softmax,
    /// As ART's scikit-learn logistic regression wrapper: scores are `softmax(z)`, class gradients
    /// are `W_c - p W` (the gradient of `log p_c`) and the loss gradient is `(p - y) W / C`.
    ArtLogReg,
}

/// A linear model `z = x W^T + b` with `W: (C, D)`, `b: (C,)`.
#[derive(Debug, Clone)]
pub struct LinearClassifier {
    /// Weights `(C, D)`.
    pub w: Array2<f32>,
    /// Biases `(C,)`.
    pub b: Array1<f32>,
    /// Output convention.
    pub output: LinearOutput,
    /// Feature range.
    pub clip: (f32, f32),
    /// Learning rate of [`Classifier::train_batch`] (plain gradient descent).
    pub lr: f32,
    shape: Vec<usize>,
}

impl LinearClassifier {
    /// A model over flat inputs of `w.ncols()` features.
    pub fn new(w: Array2<f32>, b: Array1<f32>, output: LinearOutput, clip: (f32, f32)) -> Self {
        let shape = vec![w.ncols()];
        LinearClassifier {
            w,
            b,
            output,
            clip,
            lr: 0.5,
            shape,
        }
    }

    /// Logits `(N, C)`.
    pub fn logits(&self, x: ArrayView2<f32>) -> Array2<f32> {
        x.dot(&self.w.t()) + &self.b
    }

    /// Row-wise softmax of the logits `(N, C)`.
    pub fn probabilities(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let mut z = self.logits(x);
        for mut row in z.rows_mut() {
            let m = row.fold(f32::NEG_INFINITY, |a, &b| a.max(b));
            row.mapv_inplace(|v| (v - m).exp());
            let s = row.sum();
            row /= s;
        }
        z
    }

    /// Gradient of class `c`'s score for sample `i`, given the probabilities `p` and `p W`.
    fn grad_row(&self, c: usize, i: usize, p: &Array2<f32>, pw: &Array2<f32>) -> Array1<f32> {
        match self.output {
            LinearOutput::Logits => self.w.row(c).to_owned(),
            LinearOutput::Softmax => (&self.w.row(c) - &pw.row(i)) * p[[i, c]],
            LinearOutput::ArtLogReg => &self.w.row(c) - &pw.row(i),
        }
    }

    /// `(p - onehot(y))`, the logits' cross-entropy gradient `(N, C)`.
    fn errors(&self, x: ArrayView2<f32>, y: &[usize]) -> Array2<f32> {
        let mut e = self.probabilities(x);
        for (i, &c) in y.iter().enumerate() {
            e[[i, c]] -= 1.0;
        }
        e
    }
}

impl Classifier for LinearClassifier {
    fn input_shape(&self) -> &[usize] {
        &self.shape
    }

    fn nb_classes(&self) -> usize {
        self.w.nrows()
    }

    fn clip_values(&self) -> (f32, f32) {
        self.clip
    }

    fn predict(&self, x: ArrayView2<f32>) -> Array2<f32> {
        match self.output {
            LinearOutput::Logits => self.logits(x),
            _ => self.probabilities(x),
        }
    }

    fn loss_gradient(&mut self, x: ArrayView2<f32>, y: &[usize]) -> Array2<f32> {
        let g = self.errors(x, y).dot(&self.w);
        match self.output {
            LinearOutput::ArtLogReg => g / self.w.nrows() as f32,
            _ => g,
        }
    }

    fn class_gradient(&mut self, x: ArrayView2<f32>, classes: ClassSelection<'_>) -> Array3<f32> {
        let p = self.probabilities(x);
        let pw = p.dot(&self.w);
        let n = x.nrows();
        let picks: Vec<Vec<usize>> = match classes {
            ClassSelection::One(c) => vec![vec![c]; n],
            ClassSelection::PerSample(cs) => cs.iter().map(|&c| vec![c]).collect(),
            ClassSelection::All => vec![(0..self.w.nrows()).collect(); n],
        };
        let k = picks.first().map_or(1, Vec::len);
        let mut out = Array3::zeros((n, k, self.w.ncols()));
        for (i, cs) in picks.iter().enumerate() {
            for (j, &c) in cs.iter().enumerate() {
                out.index_axis_mut(Axis(0), i)
                    .row_mut(j)
                    .assign(&self.grad_row(c, i, &p, &pw));
            }
        }
        out
    }

    fn logits(&self, x: ArrayView2<f32>) -> Array2<f32> {
        LinearClassifier::logits(self, x)
    }

    fn logit_vjp(&mut self, _x: ArrayView2<f32>, seed: ArrayView2<f32>) -> Array2<f32> {
        seed.dot(&self.w)
    }

    fn train_batch(&mut self, x: ArrayView2<f32>, y: &[usize]) -> BatchStats {
        let p = self.probabilities(x);
        let n = x.nrows().max(1) as f32;
        let loss = y
            .iter()
            .enumerate()
            .map(|(i, &c)| -p[[i, c]].max(1e-12).ln())
            .sum::<f32>()
            / n;
        let accuracy = crate::classifier::accuracy(&p, y);
        let e = self.errors(x, y);
        self.w = &self.w - &(e.t().dot(&x) * (self.lr / n));
        self.b = &self.b - &(e.sum_axis(Axis(0)) * (self.lr / n));
        BatchStats { loss, accuracy }
    }
}

#[cfg(test)]
mod tests {
    use super::super::numeric_grad;
    use super::*;
    use ndarray::array;

    fn model(output: LinearOutput) -> LinearClassifier {
        let w = array![[1.0f32, -2.0, 0.5], [-0.5, 1.0, 1.5], [0.3, 0.2, -1.0]];
        LinearClassifier::new(w, array![0.1f32, -0.2, 0.05], output, (0.0, 1.0))
    }

    #[test]
    fn gradients_match_finite_differences() {
        let x = array![[0.2f32, 0.7, 0.4]];
        for output in [LinearOutput::Logits, LinearOutput::Softmax] {
            let mut m = model(output);
            let cg = m.class_gradient(x.view(), ClassSelection::All);
            for c in 0..3 {
                let num = numeric_grad(|v| m.predict(v.view())[[0, c]], &x);
                for j in 0..3 {
                    assert!(
                        (cg[[0, c, j]] - num[j]).abs() < 1e-3,
                        "{output:?} c{c} j{j}"
                    );
                }
            }
            let lg = m.loss_gradient(x.view(), &[1]);
            let num = numeric_grad(|v| -m.probabilities(v.view())[[0, 1]].ln(), &x);
            for j in 0..3 {
                assert!((lg[[0, j]] - num[j]).abs() < 1e-3, "{output:?} loss j{j}");
            }
        }
        let mut m = model(LinearOutput::ArtLogReg);
        let cg = m.class_gradient(x.view(), ClassSelection::One(2));
        let num = numeric_grad(|v| m.probabilities(v.view())[[0, 2]].ln(), &x);
        for j in 0..3 {
            assert!((cg[[0, 0, j]] - num[j]).abs() < 1e-3);
        }
    }

    #[test]
    fn training_lowers_the_loss() {
        let mut m = model(LinearOutput::Softmax);
        let x = array![[0.9f32, 0.1, 0.1], [0.1, 0.9, 0.1], [0.1, 0.1, 0.9]];
        let first = m.train_batch(x.view(), &[0, 1, 2]).loss;
        let mut last = first;
        for _ in 0..50 {
            last = m.train_batch(x.view(), &[0, 1, 2]).loss;
        }
        assert!(last < first * 0.5, "{first} -> {last}");
    }
}
