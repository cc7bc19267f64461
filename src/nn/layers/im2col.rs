//! Patch unfolding for the GEMM convolution, in the transposed ("channels-first") layout
//! `(kh·kw·c, N·oh·ow)`: one row per kernel tap, one column per output position. With this
//! layout the big dimension is the GEMM's contiguous one, which `matrixmultiply` packs cheaply
//! (about 3× faster than `(N·oh·ow, kh·kw·c)` for the few-filter convolutions of small nets).

use super::conv2d::ConvGeom;

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

/// Unfolds `n` samples `xs (n·h·w·c)` into `col (kh·kw·c, n·oh·ow)` (zeros where padded). `col`
/// must hold `kh·kw·c·n·oh·ow` values; every one is overwritten.
pub fn im2col_t(xs: &[f32], n: usize, g: &ConvGeom, col: &mut [f32]) {
    let m = g.oh * g.ow;
    let (stride, step) = (n * m, g.sw * g.c);
    let cs = &mut col[..g.patch_len() * stride];
    if g.pt > 0 || g.pl > 0 || g.oh * g.sh + g.kh > g.h + g.sh || g.ow * g.sw + g.kw > g.w + g.sw {
        cs.fill(0.0); // some taps fall in the padding
    }
    for (ni, sample) in xs.chunks_exact(g.in_len()).take(n).enumerate() {
        for oy in 0..g.oh {
            let base = ni * m + oy * g.ow;
            for_each_run(g, oy, |tap, ox0, ox1, first| {
                let dst = &mut cs[tap * stride + base + ox0..tap * stride + base + ox1];
                if step == 1 {
                    dst.copy_from_slice(&sample[first..first + dst.len()]);
                } else {
                    let src = sample[first..].iter().step_by(step);
                    dst.iter_mut().zip(src).for_each(|(d, &v)| *d = v);
                }
            });
        }
    }
}

/// Folds tap gradients `dcol (kh·kw·c, n·oh·ow)` back onto `n` samples `dx (n·h·w·c)`, adding
/// into `dx` (overlapping taps sum).
pub fn col2im_t(dcol: &[f32], n: usize, g: &ConvGeom, dx: &mut [f32]) {
    let m = g.oh * g.ow;
    let (stride, step) = (n * m, g.sw * g.c);
    for (ni, sample) in dx.chunks_exact_mut(g.in_len()).take(n).enumerate() {
        for oy in 0..g.oh {
            let base = ni * m + oy * g.ow;
            for_each_run(g, oy, |tap, ox0, ox1, first| {
                let src = &dcol[tap * stride + base + ox0..tap * stride + base + ox1];
                if step == 1 {
                    let dst = &mut sample[first..first + src.len()];
                    dst.iter_mut().zip(src).for_each(|(d, &v)| *d += v);
                } else {
                    let dst = sample[first..].iter_mut().step_by(step);
                    dst.zip(src).for_each(|(d, &v)| *d += v);
                }
            });
        }
    }
}
