//! [`Dense`]: `y = x·W + b` with a Keras `[in, units]` kernel; GEMM kernel (`gemm.rs`) plus a
//! naive loop twin selected by [`super::set_naive_kernels`].

use super::gemm::{gemm, gemm_set, repeat_row, Mat, MatMut};
use super::{naive_kernels, Layer, Pass};
use crate::nn::param::Param;
use ndarray::{Array2, ArrayView2, Axis};

/// Fully connected layer. Tensors: `kernel [in, units]`, `bias [units]`.
#[derive(Debug, Clone)]
pub struct Dense {
    params: [Param; 2],
    inputs: usize,
    units: usize,
    cache: Option<Array2<f32>>,
    param_grads: bool,
}

impl Dense {
    /// A dense layer from its kernel and bias tensors (shapes `[in, units]`, `[units]`).
    pub fn new(kernel: Param, bias: Param) -> Dense {
        let (inputs, units) = (kernel.shape[0], kernel.shape[1]);
        Dense {
            params: [kernel, bias],
            inputs,
            units,
            cache: None,
            param_grads: true,
        }
    }

    fn kernel(&self) -> ArrayView2<'_, f32> {
        ArrayView2::from_shape((self.inputs, self.units), &self.params[0].value)
            .expect("kernel length matches its shape")
    }

    fn apply(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let b = &self.params[1].value;
        if naive_kernels() {
            let mut y = naive_matmul(x, self.kernel());
            for mut row in y.rows_mut() {
                row.iter_mut().zip(b).for_each(|(v, &bi)| *v += bi);
            }
            return y;
        }
        // y starts as the bias, then += x·W
        let n = x.nrows();
        let mut y = repeat_row(b, n);
        let x = x.as_standard_layout();
        gemm(
            (n, self.units, self.inputs),
            Mat::rows(x.as_slice().expect("standard layout"), self.inputs),
            Mat::rows(&self.params[0].value, self.units),
            MatMut {
                data: &mut y,
                rs: self.units,
                cs: 1,
            },
            &mut Vec::new(),
        );
        Array2::from_shape_vec((n, self.units), y).expect("output length")
    }
}

impl Dense {
    /// Adds a weight gradient and the bias gradient `Σ_n g` (naive path).
    fn add_grads<'a>(&mut self, dw: impl Iterator<Item = &'a f32>, g: ArrayView2<f32>) {
        let [kernel, bias] = &mut self.params;
        kernel.grad.iter_mut().zip(dw).for_each(|(a, &d)| *a += d);
        let db = g.sum_axis(Axis(0));
        bias.grad
            .iter_mut()
            .zip(db.iter())
            .for_each(|(a, &d)| *a += d);
    }
}

/// Plain triple loop `a·b`, the reference for the GEMM path.
pub fn naive_matmul(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Array2<f32> {
    let (n, k, m) = (a.nrows(), a.ncols(), b.ncols());
    let mut out = Array2::zeros((n, m));
    for i in 0..n {
        for p in 0..k {
            let av = a[[i, p]];
            for j in 0..m {
                out[[i, j]] += av * b[[p, j]];
            }
        }
    }
    out
}

impl Layer for Dense {
    fn clear_cache(&mut self) {
        self.cache = None;
    }

    // x (N, in) -> y (N, units)
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.apply(x)
    }

    fn forward(&mut self, x: ArrayView2<f32>, pass: &mut Pass<'_>) -> Array2<f32> {
        self.param_grads = pass.param_grads;
        if self.param_grads {
            return self.forward_owned(x.as_standard_layout().into_owned(), pass);
        }
        // dx = g·Wᵀ needs no cached input
        self.cache = Some(Array2::zeros((0, 0)));
        self.apply(x)
    }

    /// Caches `x` itself (moved, no copy) when the weight gradient will need it.
    fn forward_owned(&mut self, x: Array2<f32>, pass: &mut Pass<'_>) -> Array2<f32> {
        self.param_grads = pass.param_grads;
        let y = self.apply(x.view());
        let x = if x.is_standard_layout() || !self.param_grads {
            x
        } else {
            x.as_standard_layout().into_owned()
        };
        self.cache = Some(if self.param_grads {
            x
        } else {
            Array2::zeros((0, 0))
        });
        y
    }

    // g (N, units) -> dx (N, in) = g·Wᵀ;  dW += xᵀ·g,  db += Σ_n g
    fn backward(&mut self, g: ArrayView2<f32>) -> Array2<f32> {
        let x = self.cache.as_ref().expect("dense: backward before forward");
        if naive_kernels() {
            if self.param_grads {
                let dw = naive_matmul(x.t(), g);
                self.add_grads(dw.iter(), g);
            }
            return naive_matmul(g, self.kernel().t());
        }
        let n = g.nrows();
        let g = g.as_standard_layout();
        let gs = g.as_slice().expect("standard layout");
        let mut scratch = Vec::new();
        if self.param_grads {
            assert_eq!(
                n,
                x.nrows(),
                "stacked seeds need a pass without parameter gradients"
            );
            // dW (in, units) += xᵀ·g
            let xs = x.as_slice().expect("cached input is contiguous");
            gemm(
                (self.inputs, self.units, n),
                Mat::transposed(xs, self.inputs),
                Mat::rows(gs, self.units),
                MatMut {
                    data: &mut self.params[0].grad,
                    rs: self.units,
                    cs: 1,
                },
                &mut scratch,
            );
            let db = g.sum_axis(Axis(0));
            let bias = &mut self.params[1];
            bias.grad
                .iter_mut()
                .zip(db.iter())
                .for_each(|(a, &d)| *a += d);
        }
        // dx (N, in) = g·Wᵀ
        let mut dx = Array2::<f32>::zeros((n, self.inputs));
        gemm_set(
            (n, self.inputs, self.units),
            Mat::rows(gs, self.units),
            Mat::transposed(&self.params[0].value, self.units),
            MatMut {
                data: dx.as_slice_mut().expect("fresh array"),
                rs: self.inputs,
                cs: 1,
            },
            &mut scratch,
        );
        dx
    }

    /// `dx = g·Wᵀ` reads no cache (stacked seeds run without parameter gradients).
    fn stacks_seeds(&self) -> bool {
        true
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

    fn layer(inputs: usize, units: usize) -> Dense {
        let k = random(inputs, units, 1).into_raw_vec_and_offset().0;
        let b = random(1, units, 2).into_raw_vec_and_offset().0;
        Dense::new(
            Param::trainable("k".into(), vec![inputs, units], k),
            Param::trainable("b".into(), vec![units], b),
        )
    }

    #[test]
    fn gradients_match_finite_differences() {
        check_layer(&layer(5, 3), &random(4, 5, 3), false, 1e-2, 2e-3);
    }

    #[test]
    fn gemm_matches_the_naive_loops() {
        let a = random(7, 13, 4);
        let b = random(13, 5, 5);
        let fast = a.dot(&b);
        let slow = naive_matmul(a.view(), b.view());
        assert!(fast.iter().zip(&slow).all(|(x, y)| (x - y).abs() < 1e-5));
        let x = random(3, 6, 6);
        let d = layer(6, 4);
        assert_eq!(d.infer(x.view()).dim(), (3, 4));
        let y0 = x.row(1).dot(&d.kernel().column(2)) + d.params[1].value[2];
        assert!((d.infer(x.view())[[1, 2]] - y0).abs() < 1e-5);
    }
}
