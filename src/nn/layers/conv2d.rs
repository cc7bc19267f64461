//! [`Conv2d`]: 2-D convolution over NHWC samples with a Keras `[kh, kw, c, f]` kernel, valid or
//! same padding (Keras: the odd extra row/column of padding goes to the bottom/right) and
//! strides. The fast path is im2col (`im2col.rs`, transposed layout) + GEMM (`gemm.rs`) over
//! chunks of samples that stay in cache, except for the forward pass and input gradient of a
//! one-channel, stride-1 unpadded first layer (`conv_direct.rs`, same results bit for bit);
//! `conv_naive.rs` holds the direct-loop twin.

use super::conv_direct;
pub use super::conv_geom::ConvGeom;
use super::conv_naive;
use super::gemm::{gemm, gemm_nt, gemm_set, repeat_row, Mat, MatMut};
use super::im2col::{col2im_t, im2col_t};
use super::lanes::deinterleave;
use super::{naive_kernels, Layer, Pass};
use crate::nn::param::Param;
use ndarray::{Array2, ArrayView2};

/// Values of im2col patches (and of their gradient) per chunk of samples: 32 K floats (128 KB)
/// stay in L2 between the unfolding and the GEMM that reads them.
const CHUNK_FLOATS: usize = 32 * 1024;

/// Convolution layer. Tensors: `kernel [kh, kw, c, f]`, `bias [f]`.
#[derive(Debug, Clone)]
pub struct Conv2d {
    params: [Param; 2],
    geom: ConvGeom,
    /// The input (contiguous) and the batch size.
    cache: Option<(Array2<f32>, usize)>,
    /// Reused buffers (kept between calls, not cloned): patches of one chunk, their gradient,
    /// packed GEMM panels, the chunk's transposed output gradient.
    col: Buf,
    dcol: Buf,
    scratch: Buf,
    gt: Buf,
    param_grads: bool,
    naive: bool,
    /// Whether the direct kernels of `conv_direct.rs` take the forward pass and input gradient.
    direct: bool,
}

impl Conv2d {
    /// A convolution with the given geometry from its kernel and bias tensors.
    pub fn new(geom: ConvGeom, kernel: Param, bias: Param) -> Conv2d {
        Conv2d {
            params: [kernel, bias],
            geom,
            cache: None,
            col: Buf::default(),
            dcol: Buf::default(),
            scratch: Buf::default(),
            gt: Buf::default(),
            param_grads: true,
            naive: false,
            direct: conv_direct::applies(&geom),
        }
    }

    /// Samples per chunk.
    fn chunk(&self) -> usize {
        (CHUNK_FLOATS / (self.geom.patch_len() * self.geom.oh * self.geom.ow).max(1)).max(1)
    }

    /// `(N, oh·ow·f)` NHWC output of `x`, a chunk of samples at a time: `y` starts as the bias,
    /// the chunk's patches are unfolded into `col` (`(kh·kw·c, k·oh·ow)`, transposed layout) and
    /// the GEMM `Kᵀ·col` (`(f, k·oh·ow)`) is added into `y` through a transposed view.
    fn gemm_forward(
        &self,
        x: ArrayView2<f32>,
        col: &mut Vec<f32>,
        scratch: &mut Vec<f32>,
    ) -> Array2<f32> {
        let g = &self.geom;
        let (n, m, p, f) = (x.nrows(), g.oh * g.ow, g.patch_len(), g.f);
        let x = x.as_standard_layout();
        let xs = x.as_slice().expect("standard layout");
        if self.direct {
            let mut y = vec![0.0; n * m * f];
            let (k, b) = (&self.params[0].value, &self.params[1].value);
            conv_direct::forward(xs, n, g, k, b, &mut y);
            return Array2::from_shape_vec((n, m * f), y).expect("output length");
        }
        let mut y = repeat_row(&self.params[1].value, n * m);
        let per = self.chunk();
        col.resize(p * per.min(n) * m, 0.0);
        for s0 in (0..n).step_by(per) {
            let k = per.min(n - s0);
            let cols = k * m;
            im2col_t(&xs[s0 * g.in_len()..], k, g, col);
            gemm(
                (f, cols, p),
                Mat::transposed(&self.params[0].value, f),
                Mat::rows(&col[..p * cols], cols),
                MatMut {
                    data: &mut y[s0 * m * f..(s0 + k) * m * f],
                    rs: 1,
                    cs: f,
                },
                scratch,
            );
        }
        Array2::from_shape_vec((n, m * f), y).expect("output length")
    }
}

impl Layer for Conv2d {
    fn clear_cache(&mut self) {
        self.cache = None;
    }

    // x (N, h·w·c) -> y (N, oh·ow·f)
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        if naive_kernels() {
            return conv_naive::forward(
                x,
                &self.geom,
                &self.params[0].value,
                &self.params[1].value,
            );
        }
        self.gemm_forward(x, &mut Vec::new(), &mut Vec::new())
    }

    fn forward(&mut self, x: ArrayView2<f32>, pass: &mut Pass<'_>) -> Array2<f32> {
        self.param_grads = pass.param_grads;
        self.naive = naive_kernels();
        if self.naive || self.param_grads {
            return self.forward_owned(x.as_standard_layout().into_owned(), pass);
        }
        // the input gradient alone needs no cached input
        self.cache = Some((Array2::zeros((0, 0)), x.nrows()));
        self.forward_fast(x)
    }

    /// Caches `x` itself (moved, no copy) when the weight gradient will need it.
    fn forward_owned(&mut self, x: Array2<f32>, pass: &mut Pass<'_>) -> Array2<f32> {
        self.param_grads = pass.param_grads;
        self.naive = naive_kernels();
        let n = x.nrows();
        if !self.naive && !self.param_grads {
            self.cache = Some((Array2::zeros((0, 0)), n));
            return self.forward_fast(x.view());
        }
        let x = if x.is_standard_layout() {
            x
        } else {
            x.as_standard_layout().into_owned()
        };
        let (x, y) = if self.naive {
            let y = conv_naive::forward(
                x.view(),
                &self.geom,
                &self.params[0].value,
                &self.params[1].value,
            );
            (x, y)
        } else {
            let y = self.forward_fast(x.view());
            (x, y)
        };
        self.cache = Some((x, n));
        y
    }

    // per chunk, g (k·oh·ow, f) transposed to gᵀ (f, k·oh·ow):  dK += col·g (col re-unfolded from
    // the cached input),  db += Σ rows,  dcolᵀ = K·gᵀ (kh·kw·c, k·oh·ow) folded back by col2im_t
    fn backward(&mut self, g: ArrayView2<f32>) -> Array2<f32> {
        self.backward_impl(g, true)
            .expect("input gradient requested")
    }

    fn backward_params(&mut self, g: ArrayView2<f32>) {
        self.backward_impl(g, false);
    }

    fn stacks_seeds(&self) -> bool {
        !self.naive
    }

    fn params(&self) -> &[Param] {
        &self.params
    }

    fn params_mut(&mut self) -> &mut [Param] {
        &mut self.params
    }
}

impl Conv2d {
    /// The GEMM forward with the layer's reused buffers.
    fn forward_fast(&mut self, x: ArrayView2<f32>) -> Array2<f32> {
        let (mut col, mut scratch) = (
            std::mem::take(&mut self.col.0),
            std::mem::take(&mut self.scratch.0),
        );
        let y = self.gemm_forward(x, &mut col, &mut scratch);
        (self.col.0, self.scratch.0) = (col, scratch);
        y
    }

    fn backward_impl(&mut self, g: ArrayView2<f32>, want_dx: bool) -> Option<Array2<f32>> {
        let (x, n) = self.cache.take().expect("conv2d: backward before forward");
        if self.naive {
            let (dx, dk, db) = conv_naive::backward(x.view(), g, &self.geom, &self.params[0].value);
            if self.param_grads {
                add_into(&mut self.params[0].grad, dk.iter());
                add_into(&mut self.params[1].grad, db.iter());
            }
            self.cache = Some((x, n));
            return Some(dx);
        }
        let geom = self.geom;
        let (m, p, f, in_len) = (geom.oh * geom.ow, geom.patch_len(), geom.f, geom.in_len());
        // stacked seeds (g.nrows() = r·n) only for the input gradient
        assert!(
            g.nrows() == n || (!self.param_grads && n > 0 && g.nrows().is_multiple_of(n)),
            "conv2d: {} gradient rows for a batch of {n}",
            g.nrows()
        );
        let rows = g.nrows();
        let g = g.as_standard_layout();
        let gs = g.as_slice().expect("standard layout");
        let xs = x.as_slice().expect("cached input is contiguous"); // empty without param_grads
        let mut dx = want_dx.then(|| Array2::<f32>::zeros((rows, in_len)));
        let per = self.chunk();
        let mut gt = std::mem::take(&mut self.gt.0);
        gt.resize(f * per.min(rows) * m, 0.0);
        let mut db = vec![0.0f32; f];
        self.col.0.resize(p * per.min(rows) * m, 0.0);
        self.dcol.0.resize(p * per.min(rows) * m, 0.0);
        for s0 in (0..rows).step_by(per) {
            let k = per.min(rows - s0);
            let cols = k * m;
            let gc = &gs[s0 * m * f..(s0 + k) * m * f];
            // gᵀ (f, cols): every product below streams along contiguous rows
            match f {
                4 => deinterleave::<4>(gc, f, cols, &mut gt, cols),
                _ => deinterleave::<0>(gc, f, cols, &mut gt, cols),
            }
            let gt = &gt[..f * cols];
            if self.param_grads {
                im2col_t(&xs[s0 * in_len..], k, &geom, &mut self.col.0);
                gemm_nt(&self.col.0[..p * cols], gt, cols, &mut self.params[0].grad);
                // db: the rows of g summed lane by lane (each filter's sum in row order)
                db.iter_mut().for_each(|v| *v = 0.0);
                for row in gc.chunks_exact(f) {
                    db.iter_mut().zip(row).for_each(|(d, &v)| *d += v);
                }
                add_into(&mut self.params[1].grad, db.iter());
            }
            if let Some(dx) = dx.as_mut().filter(|_| self.direct) {
                let dxs = dx.as_slice_mut().expect("fresh array");
                let dxs = &mut dxs[s0 * in_len..(s0 + k) * in_len];
                conv_direct::backward_input(gt, cols, k, &geom, &self.params[0].value, dxs);
            } else if let Some(dx) = dx.as_mut() {
                let dcol = &mut self.dcol.0[..p * cols];
                gemm_set(
                    (p, cols, f),
                    Mat::rows(&self.params[0].value, f),
                    Mat::rows(gt, cols),
                    MatMut {
                        data: dcol,
                        rs: cols,
                        cs: 1,
                    },
                    &mut self.scratch.0,
                );
                let dxs = dx.as_slice_mut().expect("fresh array");
                col2im_t(dcol, k, &geom, &mut dxs[s0 * in_len..(s0 + k) * in_len]);
            }
        }
        self.gt.0 = gt;
        self.cache = Some((x, n));
        dx
    }
}

/// A reusable buffer that is not copied with its layer: a clone starts empty, so clones of a
/// model stay small while one model reuses its buffers from call to call.
#[derive(Debug, Default)]
struct Buf(Vec<f32>);

impl Clone for Buf {
    fn clone(&self) -> Buf {
        Buf::default()
    }
}

fn add_into<'a>(acc: &mut [f32], d: impl Iterator<Item = &'a f32>) {
    acc.iter_mut().zip(d).for_each(|(a, &b)| *a += b);
}

#[cfg(test)]
mod tests;
