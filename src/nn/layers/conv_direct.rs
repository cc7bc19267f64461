//! A direct kernel for the first convolution of small image nets: one input channel, stride 1, no
//! padding, filters in groups of 4 (`mnist-seed`'s conv 4@5×5). There, im2col would copy every
//! pixel 25 times for a GEMM with only 4 rows; these loops read the image rows in place instead.
//!
//! - [`forward`]: for 8 (then 4, then 1) output columns and 4 filters, the taps are summed from
//!   zero in tap order into 4-lane accumulators (one per filter), transposed to NHWC pixels
//!   and added to the bias, which is exactly the GEMM path's `bias + Σ_tap k·x`.
//! - [`backward_input`]: the input gradient from the output gradient in filter-major layout
//!   (`gᵀ`, as the GEMM path prepares it): every tap's `Σ_o k·g` is summed from zero in filter
//!   order and added into `dx` in (row, tap) order, as GEMM + col2im do.
//!
//! Both give the GEMM path's results bit for bit (tests in `conv2d/tests.rs`).

use super::conv_geom::ConvGeom;
use super::simd::{add, load, madd, splat, store, transpose, zero, V};

/// Whether the direct kernels handle this geometry.
pub fn applies(g: &ConvGeom) -> bool {
    g.c == 1
        && g.sh == 1
        && g.sw == 1
        && g.pt == 0
        && g.pl == 0
        && g.f.is_multiple_of(4)
        && g.oh + g.kh == g.h + 1
        && g.ow + g.kw == g.w + 1
}

// x (n, h·w) -> y (n, oh·ow·f), kernel [kh, kw, 1, f] = k[tap·f + o]
pub fn forward(xs: &[f32], n: usize, g: &ConvGeom, k: &[f32], bias: &[f32], y: &mut [f32]) {
    let (m, f) = (g.oh * g.ow, g.f);
    for (x, y) in xs
        .chunks_exact(g.in_len())
        .zip(y.chunks_exact_mut(m * f))
        .take(n)
    {
        for oy in 0..g.oh {
            for o0 in (0..f).step_by(4) {
                let b = load(&bias[o0..]);
                let mut ox = 0;
                // out: the 4 filters' sums over `W` vectors of columns, stored as NHWC pixels
                let mut emit = |ox: usize, acc: &[[V; 4]]| {
                    for (w, acc) in acc.iter().enumerate() {
                        let px = transpose(acc[0], acc[1], acc[2], acc[3]);
                        for (p, v) in px.into_iter().enumerate() {
                            let at = (oy * g.ow + ox + w * 4 + p) * f + o0;
                            store(&mut y[at..], add(b, v));
                        }
                    }
                };
                while ox + 8 <= g.ow {
                    emit(ox, &sums::<2>(x, g, k, oy, ox, o0));
                    ox += 8;
                }
                if ox + 4 <= g.ow {
                    emit(ox, &sums::<1>(x, g, k, oy, ox, o0));
                    ox += 4;
                }
                for ox in ox..g.ow {
                    for o in o0..o0 + 4 {
                        let mut acc = 0.0f32;
                        for ky in 0..g.kh {
                            for kx in 0..g.kw {
                                let tap = ky * g.kw + kx;
                                acc += k[tap * f + o] * x[(oy + ky) * g.w + ox + kx];
                            }
                        }
                        y[(oy * g.ow + ox) * f + o] = bias[o] + acc;
                    }
                }
            }
        }
    }
}

/// Filters `o0..o0 + 4` at output row `oy`, columns `ox..ox + 4·W`: `[w][j]` holds filter
/// `o0 + j` at columns `ox + 4w..`.
#[inline(always)]
fn sums<const W: usize>(
    x: &[f32],
    g: &ConvGeom,
    k: &[f32],
    oy: usize,
    ox: usize,
    o0: usize,
) -> [[V; 4]; W] {
    let mut acc = [[zero(); 4]; W];
    for ky in 0..g.kh {
        let row = &x[(oy + ky) * g.w + ox..];
        for kx in 0..g.kw {
            let kv = &k[(ky * g.kw + kx) * g.f + o0..][..4];
            let ks = [splat(kv[0]), splat(kv[1]), splat(kv[2]), splat(kv[3])];
            for (w, acc) in acc.iter_mut().enumerate() {
                let xv = load(&row[kx + 4 * w..]);
                for j in 0..4 {
                    acc[j] = madd(acc[j], ks[j], xv);
                }
            }
        }
    }
    acc
}

// gᵀ (f, stride) holding n samples' m = oh·ow columns from column 0 -> dx (n, h·w) += Σ
pub fn backward_input(
    gt: &[f32],
    stride: usize,
    n: usize,
    g: &ConvGeom,
    k: &[f32],
    dx: &mut [f32],
) {
    match g.f {
        4 => backward_rows::<4>(gt, stride, n, g, k, dx),
        _ => backward_rows::<0>(gt, stride, n, g, k, dx),
    }
}

/// [`backward_input`] for `F` filters (`F == 0`: any count, read from the geometry).
#[inline(always)]
fn backward_rows<const F: usize>(
    gt: &[f32],
    stride: usize,
    n: usize,
    g: &ConvGeom,
    k: &[f32],
    dx: &mut [f32],
) {
    let (m, f, ow) = (g.oh * g.ow, if F == 0 { g.f } else { F }, g.ow);
    let mut ks = vec![zero(); f];
    for (s, dx) in dx.chunks_exact_mut(g.in_len()).take(n).enumerate() {
        for oy in 0..g.oh {
            // the output gradient's row oy, one slice per filter
            let col = s * m + oy * ow;
            let rows: Vec<&[f32]> = (0..f).map(|o| &gt[o * stride + col..][..ow]).collect();
            for ky in 0..g.kh {
                for kx in 0..g.kw {
                    let tap = ky * g.kw + kx;
                    let kv = &k[tap * f..(tap + 1) * f];
                    ks.iter_mut().zip(kv).for_each(|(s, &v)| *s = splat(v));
                    let out = &mut dx[(oy + ky) * g.w + kx..][..ow];
                    let mut ox = 0;
                    while ox + 4 <= ow {
                        let mut acc = zero();
                        for (row, &kv) in rows.iter().zip(&ks).take(f) {
                            acc = madd(acc, kv, load(&row[ox..]));
                        }
                        let sum = add(load(&out[ox..]), acc);
                        store(&mut out[ox..], sum);
                        ox += 4;
                    }
                    for ox in ox..ow {
                        let mut acc = 0.0f32;
                        for (row, &kv) in rows.iter().zip(kv).take(f) {
                            acc += kv * row[ox];
                        }
                        out[ox] += acc;
                    }
                }
            }
        }
    }
}
