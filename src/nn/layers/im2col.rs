//! Patch unfolding for the GEMM convolution, in the transposed ("channels-first") layout
//! `(kh·kw·c, N·oh·ow)`: one row per kernel tap, one column per output position. With this
//! layout the big dimension is the GEMM's contiguous one, which `matrixmultiply` packs cheaply
//! (about 3× faster than `(N·oh·ow, kh·kw·c)` for the few-filter convolutions of small nets).

use super::conv2d::ConvGeom;
use ndarray::{Array2, ArrayView2};

/// Output columns `ox0..ox1` whose kernel column `kx` lands inside the input.
#[inline]
fn ox_range(g: &ConvGeom, kx: usize) -> (usize, usize) {
    let ox0 = g.pl.saturating_sub(kx).div_ceil(g.sw);
    let ox1 = (g.w + g.pl).saturating_sub(kx).div_ceil(g.sw).min(g.ow);
    (ox0, ox1.max(ox0))
}

/// For output row `oy`, calls `f(tap, ox0..ox1, first)` for every kernel tap: output columns
/// `ox0..ox1` read the input at `first + (ox − ox0)·sw·c` (within one sample).
#[inline]
fn for_each_run(g: &ConvGeom, oy: usize, mut f: impl FnMut(usize, usize, usize, usize)) {
    for ky in 0..g.kh {
        let Some(iy) = ConvGeom::src(oy, ky, g.sh, g.pt, g.h) else {
            continue;
        };
        for kx in 0..g.kw {
            let (ox0, ox1) = ox_range(g, kx);
            if ox0 == ox1 {
                continue;
            }
            let ix0 = ox0 * g.sw + kx - g.pl;
            for ch in 0..g.c {
                f(
                    (ky * g.kw + kx) * g.c + ch,
                    ox0,
                    ox1,
                    (iy * g.w + ix0) * g.c + ch,
                );
            }
        }
    }
}

/// Unfolds `x (N, h·w·c)` into `(kh·kw·c, N·oh·ow)` (zeros where padded).
pub fn im2col_t(x: ArrayView2<f32>, g: &ConvGeom) -> Array2<f32> {
    let n = x.nrows();
    let m = g.oh * g.ow;
    let mut col = Array2::<f32>::zeros((g.patch_len(), n * m));
    let x = x.as_standard_layout();
    let xs = x.as_slice().expect("standard layout");
    let (stride, step) = (n * m, g.sw * g.c);
    let cs = col.as_slice_mut().expect("fresh array");
    for (ni, sample) in xs.chunks_exact(g.in_len()).enumerate() {
        for oy in 0..g.oh {
            let base = ni * m + oy * g.ow;
            for_each_run(g, oy, |tap, ox0, ox1, first| {
                let dst = &mut cs[tap * stride + base + ox0..tap * stride + base + ox1];
                let src = sample[first..].iter().step_by(step);
                dst.iter_mut().zip(src).for_each(|(d, &v)| *d = v);
            });
        }
    }
    col
}

/// Folds tap gradients `(kh·kw·c, N·oh·ow)` back onto the input `(N, h·w·c)`, summing overlaps.
pub fn col2im_t(dcol: ArrayView2<f32>, n: usize, g: &ConvGeom) -> Array2<f32> {
    let m = g.oh * g.ow;
    let mut dx = Array2::<f32>::zeros((n, g.in_len()));
    let dcol = dcol.as_standard_layout();
    let ds = dcol.as_slice().expect("standard layout");
    let (stride, step) = (n * m, g.sw * g.c);
    let xs = dx.as_slice_mut().expect("fresh array");
    for (ni, sample) in xs.chunks_exact_mut(g.in_len()).enumerate() {
        for oy in 0..g.oh {
            let base = ni * m + oy * g.ow;
            for_each_run(g, oy, |tap, ox0, ox1, first| {
                let src = &ds[tap * stride + base + ox0..tap * stride + base + ox1];
                let dst = sample[first..].iter_mut().step_by(step);
                dst.zip(src).for_each(|(d, &v)| *d += v);
            });
        }
    }
    dx
}
