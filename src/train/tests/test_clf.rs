//! A tiny softmax-regression classifier for the training-loop tests (no dependency on `nn`).

use ndarray::{Array1, Array2, Array3, ArrayView2, Axis};

use crate::classifier::{accuracy, BatchStats, ClassSelection, Classifier};

/// Softmax regression trained by plain SGD; records the first feature of every trained row.
pub struct Softmax {
    shape: Vec<usize>,
    pub w: Array2<f32>, // (D, C)
    pub b: Array1<f32>, // (C)
    lr: f32,
    pub seen: Vec<f32>,
}

impl Softmax {
    pub fn new(d: usize, c: usize) -> Softmax {
        Softmax {
            shape: vec![d],
            w: Array2::zeros((d, c)),
            b: Array1::zeros(c),
            lr: 0.5,
            seen: Vec::new(),
        }
    }
}

impl Classifier for Softmax {
    fn input_shape(&self) -> &[usize] {
        &self.shape
    }
    fn nb_classes(&self) -> usize {
        self.b.len()
    }
    fn clip_values(&self) -> (f32, f32) {
        (-10.0, 10.0)
    }
    fn predict(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let mut z = x.dot(&self.w) + &self.b;
        for mut row in z.rows_mut() {
            let m = row.fold(f32::NEG_INFINITY, |a, &v| a.max(v));
            row.mapv_inplace(|v| (v - m).exp());
            let s = row.sum();
            row /= s;
        }
        z
    }
    fn loss_gradient(&mut self, x: ArrayView2<f32>, y: &[usize]) -> Array2<f32> {
        let mut p = self.predict(x);
        for (i, &l) in y.iter().enumerate() {
            p[[i, l]] -= 1.0;
        }
        p.dot(&self.w.t())
    }
    fn class_gradient(&mut self, x: ArrayView2<f32>, _: ClassSelection<'_>) -> Array3<f32> {
        Array3::zeros((x.nrows(), self.nb_classes(), x.ncols()))
    }
    fn train_batch(&mut self, x: ArrayView2<f32>, y: &[usize]) -> BatchStats {
        self.seen.extend(x.column(0).iter());
        let p = self.predict(x);
        let acc = accuracy(&p, y);
        let mut g = p.clone();
        let mut loss = 0.0;
        for (i, &l) in y.iter().enumerate() {
            loss -= p[[i, l]].max(1e-12).ln();
            g[[i, l]] -= 1.0;
        }
        let n = y.len() as f32;
        self.w.scaled_add(-self.lr / n, &x.t().dot(&g));
        self.b.scaled_add(-self.lr / n, &g.sum_axis(Axis(0)));
        BatchStats {
            loss: loss / n,
            accuracy: acc,
        }
    }
}
