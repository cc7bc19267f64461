//! The data movement around the GEMMs, 4 lanes at a time: short copies ([`copy_run`]), spreading
//! interleaved channels over channel rows ([`deinterleave`], im2col and the output gradient's
//! transpose) and adding channel rows back into interleaved pixels ([`interleave_add`], col2im).
//!
//! With 4 channels, 4 pixels are moved as one 4×4 transpose of vectors (`simd.rs`); other counts
//! take one scalar pass per channel. Short copies are explicit vector moves, because a
//! `copy_from_slice` of a few dozen values compiles to wasm's `memory.copy`, which V8 runs as a
//! call. Nothing is computed but the additions of [`interleave_add`] (one per value, as in the
//! plain loop), so results are bit for bit those of the per-element loops in the tests.

use super::simd::{add, load, store, transpose};

/// `dst[i] = src[i]` for every `i` (`dst` and `src` of the same length).
#[inline(always)]
pub fn copy_run(dst: &mut [f32], src: &[f32]) {
    debug_assert_eq!(dst.len(), src.len());
    let (mut d, mut s) = (dst.chunks_exact_mut(4), src.chunks_exact(4));
    for (d, s) in (&mut d).zip(&mut s) {
        store(d, load(s));
    }
    for (d, &s) in d.into_remainder().iter_mut().zip(s.remainder()) {
        *d = s;
    }
}

/// Spreads `len` pixels of `C` interleaved channels, `src[i·C + ch]`, over `C` rows `stride`
/// apart: `dst[ch·stride + i]`. `C == 0` means `c` channels (read at run time).
#[inline(always)]
pub fn deinterleave<const C: usize>(
    src: &[f32],
    c: usize,
    len: usize,
    dst: &mut [f32],
    stride: usize,
) {
    let c = if C == 0 { c } else { C };
    if c == 0 || len == 0 {
        return;
    }
    let dst = &mut dst[..(c - 1) * stride + len];
    let src = &src[..len * c];
    let mut i = 0;
    if C == 4 && stride >= len {
        while i + 4 <= len {
            let px = &src[i * 4..i * 4 + 16];
            let rows = transpose(load(px), load(&px[4..]), load(&px[8..]), load(&px[12..]));
            for (ch, v) in rows.into_iter().enumerate() {
                store(&mut dst[ch * stride + i..], v);
            }
            i += 4;
        }
    }
    for ch in (0..c).filter(|_| i < len) {
        let row = &mut dst[ch * stride + i..ch * stride + len];
        let values = src[i * c + ch..].iter().step_by(c);
        row.iter_mut().zip(values).for_each(|(d, &v)| *d = v);
    }
}

/// Adds `C` channel rows `stride` apart, `src[ch·stride + i]`, into `len` interleaved pixels:
/// `dst[i·C + ch] += …`. `C == 0` means `c` channels.
#[inline(always)]
pub fn interleave_add<const C: usize>(
    src: &[f32],
    c: usize,
    len: usize,
    stride: usize,
    dst: &mut [f32],
) {
    let c = if C == 0 { c } else { C };
    if c == 0 || len == 0 {
        return;
    }
    let src = &src[..(c - 1) * stride + len];
    let dst = &mut dst[..len * c];
    let mut i = 0;
    if C == 4 && stride >= len {
        while i + 4 <= len {
            let row = |ch: usize| load(&src[ch * stride + i..]);
            let pixels = transpose(row(0), row(1), row(2), row(3));
            let out = &mut dst[i * 4..i * 4 + 16];
            for (p, v) in pixels.into_iter().enumerate() {
                let at = &mut out[p * 4..p * 4 + 4];
                store(at, add(load(at), v));
            }
            i += 4;
        }
    }
    for ch in (0..c).filter(|_| i < len) {
        let row = &src[ch * stride + i..ch * stride + len];
        let pixels = dst[i * c + ch..].iter_mut().step_by(c);
        pixels.zip(row).for_each(|(d, &v)| *d += v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: usize, k: usize) -> Vec<f32> {
        (0..n).map(|i| ((i * k) % 23) as f32 * 0.37 - 4.1).collect()
    }

    #[test]
    fn moves_match_the_per_element_loops() {
        for len in 0..19 {
            let src = values(len, 5);
            let mut dst = vec![f32::NAN; len];
            copy_run(&mut dst, &src);
            assert_eq!(dst, src);
            for c in [1, 3, 4, 10] {
                for stride in [len, len + 3] {
                    let pixels = values(len * c, 7);
                    let mut rows = vec![9.0f32; (c - 1) * stride + len];
                    let mut want = rows.clone();
                    for i in 0..len {
                        for ch in 0..c {
                            want[ch * stride + i] = pixels[i * c + ch];
                        }
                    }
                    match c {
                        4 => deinterleave::<4>(&pixels, c, len, &mut rows, stride),
                        _ => deinterleave::<0>(&pixels, c, len, &mut rows, stride),
                    }
                    assert_eq!(rows, want, "deinterleave c {c} len {len} stride {stride}");

                    let grads = values(rows.len(), 3);
                    let mut sums = values(len * c, 11);
                    let mut want = sums.clone();
                    for i in 0..len {
                        for ch in 0..c {
                            want[i * c + ch] += grads[ch * stride + i];
                        }
                    }
                    match c {
                        4 => interleave_add::<4>(&grads, c, len, stride, &mut sums),
                        _ => interleave_add::<0>(&grads, c, len, stride, &mut sums),
                    }
                    assert_eq!(sums, want, "interleave_add c {c} len {len} stride {stride}");
                }
            }
        }
    }
}
