//! Direct-loop convolution, the naive twin of the im2col + GEMM path in `conv2d.rs`: used by
//! the benchmark switch and as the reference in tests.

use super::conv2d::ConvGeom;
use ndarray::{Array1, Array2, ArrayView2};

/// `y (N, oh·ow·f)` from `x (N, h·w·c)`, kernel `[kh, kw, c, f]` and bias `[f]`.
pub fn forward(x: ArrayView2<f32>, g: &ConvGeom, kernel: &[f32], bias: &[f32]) -> Array2<f32> {
    let n = x.nrows();
    let mut y = Array2::zeros((n, g.oh * g.ow * g.f));
    for s in 0..n {
        for oy in 0..g.oh {
            for ox in 0..g.ow {
                for o in 0..g.f {
                    let mut acc = bias[o];
                    for_taps(g, oy, ox, |xi, ki| {
                        for c in 0..g.c {
                            acc += x[[s, xi + c]] * kernel[(ki + c) * g.f + o];
                        }
                    });
                    y[[s, (oy * g.ow + ox) * g.f + o]] = acc;
                }
            }
        }
    }
    y
}

/// Calls `f(input offset of channel 0, kernel offset of channel 0 / f)` for every kernel tap
/// that lands inside the input at output position `(oy, ox)`.
fn for_taps(g: &ConvGeom, oy: usize, ox: usize, mut f: impl FnMut(usize, usize)) {
    for ky in 0..g.kh {
        let Some(iy) = ConvGeom::src(oy, ky, g.sh, g.pt, g.h) else {
            continue;
        };
        for kx in 0..g.kw {
            let Some(ix) = ConvGeom::src(ox, kx, g.sw, g.pl, g.w) else {
                continue;
            };
            f((iy * g.w + ix) * g.c, (ky * g.kw + kx) * g.c);
        }
    }
}

/// `(dx (N, h·w·c), dkernel [kh·kw·c, f], dbias [f])` from the input and the output gradient.
pub fn backward(
    x: ArrayView2<f32>,
    gy: ArrayView2<f32>,
    g: &ConvGeom,
    kernel: &[f32],
) -> (Array2<f32>, Array2<f32>, Array1<f32>) {
    let n = x.nrows();
    let mut dx = Array2::zeros((n, g.in_len()));
    let mut dk = Array2::zeros((g.patch_len(), g.f));
    let mut db = Array1::zeros(g.f);
    for s in 0..n {
        for oy in 0..g.oh {
            for ox in 0..g.ow {
                for o in 0..g.f {
                    let d = gy[[s, (oy * g.ow + ox) * g.f + o]];
                    db[o] += d;
                    for_taps(g, oy, ox, |xi, ki| {
                        for c in 0..g.c {
                            dx[[s, xi + c]] += d * kernel[(ki + c) * g.f + o];
                            dk[[ki + c, o]] += d * x[[s, xi + c]];
                        }
                    });
                }
            }
        }
    }
    (dx, dk, db)
}
