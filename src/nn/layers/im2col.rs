//! Patch unfolding for the GEMM convolution, in the transposed ("channels-first") layout
//! `(kh·kw·c, N·oh·ow)`: one row per kernel tap, one column per output position. With this
//! layout the big dimension is the GEMM's contiguous one, which `matrixmultiply` packs cheaply
//! (about 3× faster than `(N·oh·ow, kh·kw·c)` for the few-filter convolutions of small nets).
//!
//! The valid output columns of every kernel column are computed once per call ([`KxRuns`], no
//! division in the loops), and the `c` channels of one input pixel are read together and spread
//! over their `c` tap rows (a de-interleave, `lanes.rs`: 4×4 vector transposes for 4 channels),
//! with fixed-width copies for the usual channel counts. The tests compare both directions with
//! plain per-element loops.

use super::conv2d::ConvGeom;
use super::lanes::{copy_run, deinterleave, interleave_add};

/// Per kernel column `kx`: the output columns `ox0..ox1` that land inside the input and the input
/// column `ix0` read by `ox0`.
struct KxRuns(Vec<(usize, usize, usize)>);

impl KxRuns {
    fn new(g: &ConvGeom) -> KxRuns {
        KxRuns(
            (0..g.kw)
                .map(|kx| {
                    let ox0 = g.pl.saturating_sub(kx).div_ceil(g.sw);
                    let ox1 = (g.w + g.pl).saturating_sub(kx).div_ceil(g.sw).min(g.ow);
                    let ox1 = ox1.max(ox0);
                    // ix0 is only used when the run is not empty (then ox0·sw + kx >= pl)
                    (ox0, ox1, (ox0 * g.sw + kx).saturating_sub(g.pl))
                })
                .collect(),
        )
    }
}

/// For output row `oy`, calls `f(tap0, ox0..ox1, first)` for every kernel tap `(ky, kx)` whose
/// run is not empty: tap rows `tap0..tap0 + c` (one per channel), output columns `ox0..ox1`
/// reading the input pixel at `first + (ox − ox0)·sw·c` (within one sample).
#[inline(always)]
fn for_each_run(
    g: &ConvGeom,
    runs: &KxRuns,
    oy: usize,
    mut f: impl FnMut(usize, usize, usize, usize),
) {
    for ky in 0..g.kh {
        let Some(iy) = ConvGeom::src(oy, ky, g.sh, g.pt, g.h) else {
            continue;
        };
        for (kx, &(ox0, ox1, ix0)) in runs.0.iter().enumerate() {
            if ox0 < ox1 {
                f((ky * g.kw + kx) * g.c, ox0, ox1, (iy * g.w + ix0) * g.c);
            }
        }
    }
}

/// Unfolds `n` samples `xs (n·h·w·c)` into `col (kh·kw·c, n·oh·ow)` (zeros where padded). `col`
/// must hold `kh·kw·c·n·oh·ow` values; every one is overwritten.
pub fn im2col_t(xs: &[f32], n: usize, g: &ConvGeom, col: &mut [f32]) {
    match g.c {
        1 => unfold::<1>(xs, n, g, col),
        2 => unfold::<2>(xs, n, g, col),
        3 => unfold::<3>(xs, n, g, col),
        4 => unfold::<4>(xs, n, g, col),
        8 => unfold::<8>(xs, n, g, col),
        10 => unfold::<10>(xs, n, g, col),
        16 => unfold::<16>(xs, n, g, col),
        _ => unfold::<0>(xs, n, g, col),
    }
}

/// [`im2col_t`] for `C` channels (`C == 0`: any count, read from the geometry).
#[inline(always)]
fn unfold<const C: usize>(xs: &[f32], n: usize, g: &ConvGeom, col: &mut [f32]) {
    let c = if C == 0 { g.c } else { C };
    let m = g.oh * g.ow;
    let (stride, step) = (n * m, g.sw * c);
    let cs = &mut col[..g.patch_len() * stride];
    if g.pt > 0 || g.pl > 0 || g.oh * g.sh + g.kh > g.h + g.sh || g.ow * g.sw + g.kw > g.w + g.sw {
        cs.fill(0.0); // some taps fall in the padding
    }
    let runs = KxRuns::new(g);
    for (ni, sample) in xs.chunks_exact(g.in_len()).take(n).enumerate() {
        for oy in 0..g.oh {
            let base = ni * m + oy * g.ow;
            for_each_run(g, &runs, oy, |tap0, ox0, ox1, first| {
                let len = ox1 - ox0;
                let at = tap0 * stride + base + ox0;
                if c == 1 && step == 1 {
                    copy_run(&mut cs[at..at + len], &sample[first..first + len]);
                    return;
                }
                if C > 0 && step == C {
                    // stride 1, fixed channel count: the run's pixels spread over C tap rows
                    deinterleave::<C>(&sample[first..], C, len, &mut cs[at..], stride);
                    return;
                }
                let src = &sample[first..first + (len - 1) * step + c];
                for ch in 0..c {
                    let dst = &mut cs[at + ch * stride..at + ch * stride + len];
                    let pixels = src[ch..].iter().step_by(step);
                    dst.iter_mut().zip(pixels).for_each(|(d, &v)| *d = v);
                }
            });
        }
    }
}

/// Folds tap gradients `dcol (kh·kw·c, n·oh·ow)` back onto `n` samples `dx (n·h·w·c)`, adding
/// into `dx` (overlapping taps sum).
pub fn col2im_t(dcol: &[f32], n: usize, g: &ConvGeom, dx: &mut [f32]) {
    match g.c {
        1 => fold::<1>(dcol, n, g, dx),
        2 => fold::<2>(dcol, n, g, dx),
        3 => fold::<3>(dcol, n, g, dx),
        4 => fold::<4>(dcol, n, g, dx),
        8 => fold::<8>(dcol, n, g, dx),
        10 => fold::<10>(dcol, n, g, dx),
        16 => fold::<16>(dcol, n, g, dx),
        _ => fold::<0>(dcol, n, g, dx),
    }
}

/// [`col2im_t`] for `C` channels (`C == 0`: any count).
#[inline(always)]
fn fold<const C: usize>(dcol: &[f32], n: usize, g: &ConvGeom, dx: &mut [f32]) {
    let c = if C == 0 { g.c } else { C };
    let m = g.oh * g.ow;
    let (stride, step) = (n * m, g.sw * c);
    let runs = KxRuns::new(g);
    for (ni, sample) in dx.chunks_exact_mut(g.in_len()).take(n).enumerate() {
        for oy in 0..g.oh {
            let base = ni * m + oy * g.ow;
            for_each_run(g, &runs, oy, |tap0, ox0, ox1, first| {
                let len = ox1 - ox0;
                let at = tap0 * stride + base + ox0;
                if c == 1 && step == 1 {
                    let dst = &mut sample[first..first + len];
                    let src = &dcol[at..at + len];
                    dst.iter_mut().zip(src).for_each(|(d, &v)| *d += v);
                    return;
                }
                if C > 0 && step == C {
                    interleave_add::<C>(&dcol[at..], C, len, stride, &mut sample[first..]);
                    return;
                }
                let dst = &mut sample[first..first + (len - 1) * step + c];
                for ch in 0..c {
                    let src = &dcol[at + ch * stride..at + ch * stride + len];
                    let pixels = dst[ch..].iter_mut().step_by(step);
                    pixels.zip(src).for_each(|(d, &v)| *d += v);
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::spec::Padding;

    /// Plain per-element unfolding: `col[tap][n·m + oy·ow + ox]`.
    fn naive_im2col(xs: &[f32], n: usize, g: &ConvGeom) -> Vec<f32> {
        let m = g.oh * g.ow;
        let mut col = vec![0.0; g.patch_len() * n * m];
        for s in 0..n {
            for oy in 0..g.oh {
                for ox in 0..g.ow {
                    for ky in 0..g.kh {
                        for kx in 0..g.kw {
                            let iy = ConvGeom::src(oy, ky, g.sh, g.pt, g.h);
                            let ix = ConvGeom::src(ox, kx, g.sw, g.pl, g.w);
                            let (Some(iy), Some(ix)) = (iy, ix) else {
                                continue;
                            };
                            for ch in 0..g.c {
                                let tap = (ky * g.kw + kx) * g.c + ch;
                                col[tap * n * m + s * m + oy * g.ow + ox] =
                                    xs[s * g.in_len() + (iy * g.w + ix) * g.c + ch];
                            }
                        }
                    }
                }
            }
        }
        col
    }

    #[test]
    fn unfold_and_fold_match_the_per_element_loops() {
        let geoms = [
            ConvGeom::new([6, 5, 1], [3, 2], 2, [1, 1], Padding::Valid),
            ConvGeom::new([7, 6, 4], [5, 5], 3, [1, 1], Padding::Same),
            ConvGeom::new([8, 7, 4], [3, 3], 3, [2, 2], Padding::Same),
            ConvGeom::new([7, 5, 3], [3, 2], 2, [2, 3], Padding::Valid),
            ConvGeom::new([5, 5, 5], [2, 3], 2, [1, 2], Padding::Same),
            ConvGeom::new([4, 4, 10], [3, 3], 2, [1, 1], Padding::Valid),
        ];
        for (gi, g) in geoms.iter().enumerate() {
            let n = 3;
            let xs: Vec<f32> = (0..n * g.in_len()).map(|i| i as f32 * 0.5 - 7.0).collect();
            let want = naive_im2col(&xs, n, g);
            let mut col = vec![f32::NAN; want.len()];
            im2col_t(&xs, n, g, &mut col);
            assert_eq!(col, want, "im2col {gi}");
            // fold is the transpose of unfold: <unfold(x), d> == <x, fold(d)>
            let d: Vec<f32> = (0..want.len())
                .map(|i| ((i * 7) % 11) as f32 - 5.0)
                .collect();
            let mut dx = vec![0.0f32; xs.len()];
            col2im_t(&d, n, g, &mut dx);
            let mut naive_dx = vec![0.0f32; xs.len()];
            for (i, slot) in naive_dx.iter_mut().enumerate() {
                let mut e = vec![0.0f32; xs.len()];
                e[i] = 1.0;
                let unit = naive_im2col(&e, n, g);
                *slot = unit.iter().zip(&d).map(|(a, b)| a * b).sum();
            }
            assert_eq!(dx, naive_dx, "col2im {gi}");
        }
    }
}
