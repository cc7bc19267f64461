//! [`Conv2d`]: 2-D convolution over NHWC samples with a Keras `[kh, kw, c, f]` kernel, valid or
//! same padding (Keras: the odd extra row/column of padding goes to the bottom/right) and
//! strides. The fast path is im2col (`im2col.rs`, transposed layout) + one GEMM (`gemm.rs`); `conv_naive.rs` holds the direct-loop twin.

pub use super::conv_geom::ConvGeom;
use super::conv_naive;
use super::gemm::{gemm, gemm_nt, Mat, MatMut};
use super::im2col::{col2im_t, im2col_t};
use super::{naive_kernels, Layer, Pass};
use crate::nn::param::Param;
use ndarray::{Array2, ArrayView2, Axis};

/// Convolution layer. Tensors: `kernel [kh, kw, c, f]`, `bias [f]`.
#[derive(Debug, Clone)]
pub struct Conv2d {
    params: [Param; 2],
    geom: ConvGeom,
    /// im2col patches (fast path, only when parameter gradients are wanted) or the raw input
    /// (naive path), plus the batch size.
    cache: Option<(Array2<f32>, usize)>,
    param_grads: bool,
    naive: bool,
}

impl Conv2d {
    /// A convolution with the given geometry from its kernel and bias tensors.
    pub fn new(geom: ConvGeom, kernel: Param, bias: Param) -> Conv2d {
        Conv2d {
            params: [kernel, bias],
            geom,
            cache: None,
            param_grads: true,
            naive: false,
        }
    }

    /// `(N, oh·ow·f)` NHWC output from transposed patches `(kh·kw·c, N·oh·ow)`: `y` starts as the
    /// bias and the GEMM `Kᵀ·col` (`(f, N·oh·ow)`) is added into it through a transposed view.
    fn gemm_forward(&self, colt: &Array2<f32>, n: usize) -> Array2<f32> {
        let (p, cols, f) = (self.geom.patch_len(), colt.ncols(), self.geom.f);
        let b = &self.params[1].value;
        let mut y: Vec<f32> = Vec::with_capacity(cols * f);
        for _ in 0..cols {
            y.extend_from_slice(b);
        }
        let colt = colt.as_slice().expect("fresh patches");
        gemm(
            (f, cols, p),
            Mat::transposed(&self.params[0].value, f),
            Mat::rows(colt, cols),
            MatMut {
                data: &mut y,
                rs: 1,
                cs: f,
            },
            &mut Vec::new(),
        );
        Array2::from_shape_vec((n, self.out_cols()), y).expect("output length")
    }

    fn out_cols(&self) -> usize {
        self.geom.oh * self.geom.ow * self.geom.f
    }
}

impl Layer for Conv2d {
    fn clear_cache(&mut self) {
        self.cache = None;
    }

    // x (N, h·w·c) -> y (N, oh·ow·f)
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let n = x.nrows();
        if naive_kernels() {
            return conv_naive::forward(
                x,
                &self.geom,
                &self.params[0].value,
                &self.params[1].value,
            );
        }
        self.gemm_forward(&im2col_t(x, &self.geom), n)
    }

    fn forward(&mut self, x: ArrayView2<f32>, pass: &mut Pass<'_>) -> Array2<f32> {
        let n = x.nrows();
        self.param_grads = pass.param_grads;
        self.naive = naive_kernels();
        if self.naive {
            self.cache = Some((x.to_owned(), n));
            return conv_naive::forward(
                x,
                &self.geom,
                &self.params[0].value,
                &self.params[1].value,
            );
        }
        let col = im2col_t(x, &self.geom);
        let y = self.gemm_forward(&col, n);
        let keep = if self.param_grads {
            col
        } else {
            Array2::zeros((0, 0))
        };
        self.cache = Some((keep, n));
        y
    }

    // g (N, oh·ow·f) viewed as (N·oh·ow, f):  dK += colᵀ·g (col stored transposed),  db += Σ rows,
    // dcolᵀ = K·gᵀ (kh·kw·c, N·oh·ow) folded back by col2im_t into dx (N, h·w·c)
    fn backward(&mut self, g: ArrayView2<f32>) -> Array2<f32> {
        self.backward_impl(g, true)
            .expect("input gradient requested")
    }

    fn backward_params(&mut self, g: ArrayView2<f32>) {
        self.backward_impl(g, false);
    }

    fn params(&self) -> &[Param] {
        &self.params
    }

    fn params_mut(&mut self) -> &mut [Param] {
        &mut self.params
    }
}

impl Conv2d {
    fn backward_impl(&mut self, g: ArrayView2<f32>, want_dx: bool) -> Option<Array2<f32>> {
        let (cached, n) = self
            .cache
            .as_ref()
            .expect("conv2d: backward before forward");
        let n = *n;
        if self.naive {
            let (dx, dk, db) =
                conv_naive::backward(cached.view(), g, &self.geom, &self.params[0].value);
            if self.param_grads {
                add_into(&mut self.params[0].grad, dk.iter());
                add_into(&mut self.params[1].grad, db.iter());
            }
            return Some(dx);
        }
        let g = g.as_standard_layout();
        let g2 = g
            .view()
            .into_shape_with_order((n * self.geom.oh * self.geom.ow, self.geom.f));
        let g2 = g2.expect("contiguous gradient");
        // gᵀ (f, N·oh·ow) contiguous: every product below then streams along contiguous rows
        let gt = g2.t().as_standard_layout().into_owned();
        let cols = n * self.geom.oh * self.geom.ow;
        let (p, f) = (self.geom.patch_len(), self.geom.f);
        if self.param_grads {
            // dK (kh·kw·c, f) += colᵀ·g: long contiguous dot products of colᵀ rows and gᵀ rows
            let colt = cached.as_slice().expect("fresh patches");
            let gts = gt.as_slice().expect("fresh transpose");
            gemm_nt(colt, gts, cols, &mut self.params[0].grad);
            let db = gt.sum_axis(Axis(1));
            add_into(&mut self.params[1].grad, db.iter());
        }
        want_dx.then(|| {
            // dcolᵀ (kh·kw·c, N·oh·ow) = K·gᵀ
            let mut dcol = Array2::<f32>::zeros((p, cols));
            gemm(
                (p, cols, f),
                Mat::rows(&self.params[0].value, f),
                Mat::rows(gt.as_slice().expect("fresh transpose"), cols),
                MatMut {
                    data: dcol.as_slice_mut().expect("fresh array"),
                    rs: cols,
                    cs: 1,
                },
                &mut Vec::new(),
            );
            col2im_t(dcol.view(), n, &self.geom)
        })
    }
}

fn add_into<'a>(acc: &mut [f32], d: impl Iterator<Item = &'a f32>) {
    acc.iter_mut().zip(d).for_each(|(a, &b)| *a += b);
}

#[cfg(test)]
mod tests {
    use super::super::gradcheck::{check_layer, random};
    use super::*;
    use crate::nn::spec::Padding;

    fn layer(geom: ConvGeom, seed: u64) -> Conv2d {
        let kshape = vec![geom.kh, geom.kw, geom.c, geom.f];
        let k = random(1, geom.patch_len() * geom.f, seed)
            .into_raw_vec_and_offset()
            .0;
        let b = random(1, geom.f, seed + 1).into_raw_vec_and_offset().0;
        Conv2d::new(
            geom,
            Param::trainable("k".into(), kshape, k),
            Param::trainable("b".into(), vec![geom.f], b),
        )
    }

    fn geoms() -> Vec<ConvGeom> {
        vec![
            ConvGeom::new([5, 6, 2], [3, 2], 3, [1, 1], Padding::Valid),
            ConvGeom::new([6, 5, 2], [3, 3], 2, [2, 2], Padding::Same),
            ConvGeom::new([4, 4, 1], [2, 2], 2, [1, 1], Padding::Same),
            ConvGeom::new([7, 5, 3], [3, 2], 2, [2, 3], Padding::Valid),
        ]
    }

    #[test]
    fn keras_same_padding_puts_the_extra_row_bottom_right() {
        let g = ConvGeom::new([4, 4, 1], [2, 2], 1, [1, 1], Padding::Same);
        assert_eq!((g.oh, g.ow, g.pt, g.pl), (4, 4, 0, 0));
        let g = ConvGeom::new([5, 5, 1], [4, 4], 1, [1, 1], Padding::Same);
        assert_eq!((g.oh, g.pt), (5, 1)); // total 3: 1 above, 2 below
        let g = ConvGeom::new([6, 6, 1], [3, 3], 1, [2, 2], Padding::Same);
        assert_eq!((g.oh, g.pt), (3, 0)); // total 1: 0 above, 1 below
    }

    #[test]
    fn gradients_match_finite_differences() {
        for (i, g) in geoms().into_iter().enumerate() {
            let x = random(2, g.in_len(), 10 + i as u64);
            check_layer(&layer(g, 20 + i as u64), &x, false, 1e-2, 3e-3);
        }
    }

    #[test]
    fn im2col_gemm_matches_the_direct_loops() {
        for (i, g) in geoms().into_iter().enumerate() {
            let mut l = layer(g, 30 + i as u64);
            let x = random(3, g.in_len(), 40 + i as u64);
            let fast = l.infer(x.view());
            let slow = conv_naive::forward(x.view(), &g, &l.params[0].value, &l.params[1].value);
            assert!(
                fast.iter().zip(&slow).all(|(a, b)| (a - b).abs() < 1e-5),
                "forward {i}"
            );
            let gy = random(3, fast.ncols(), 50 + i as u64);
            let mut rng = rand::SeedableRng::seed_from_u64(0);
            l.forward(
                x.view(),
                &mut Pass {
                    training: true,
                    param_grads: true,
                    rng: &mut rng,
                },
            );
            let dx = l.backward(gy.view());
            let (sdx, sdk, sdb) = conv_naive::backward(x.view(), gy.view(), &g, &l.params[0].value);
            let close = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(p, q)| (p - q).abs() < 1e-4);
            assert!(
                close(dx.as_slice().unwrap(), sdx.as_slice().unwrap()),
                "dx {i}"
            );
            assert!(close(&l.params[0].grad, sdk.as_slice().unwrap()), "dk {i}");
            assert!(close(&l.params[1].grad, sdb.as_slice().unwrap()), "db {i}");
        }
    }
}
