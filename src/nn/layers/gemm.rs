//! The GEMM kernels behind dense and conv2d: `C += A·B` over strided views ([`gemm`]), and
//! `C += A·Bᵀ` for two row-major matrices with long rows ([`gemm_nt`], the convolution's weight
//! gradient).
//!
//! [`gemm`] packs `A` into panels of [`MR`] rows (zero-padded) and walks `C` in [`MR`]×[`NR`]
//! register tiles: for every `k` one [`NR`]-wide row of `B` is loaded and multiplied by [`MR`]
//! broadcast values of `A`, so the eight 4-wide accumulators stay in registers (`simd.rs`: SIMD128
//! on wasm built with `+simd128`, SSE on x86-64, plain arrays elsewhere); no fused multiply-add,
//! so native and wasm round alike. `B` is read in place when
//! its rows are contiguous and otherwise packed one [`NR`]-column block at a time. The column block
//! of `B` stays in L1 while every row panel of `A` passes over it, which suits the shapes of small
//! networks: few filters (`M` = 4 or 10) against tens of thousands of output positions.
//!
//! The naive twins are [`super::dense::naive_matmul`] and `conv_naive.rs`; the tests below compare
//! both kernels with a plain triple loop.

/// Rows of a register tile.
pub const MR: usize = 4;
/// Columns of a register tile (two 4-wide vectors).
pub const NR: usize = 8;

/// A read-only matrix view: element `(i, j)` at `data[i * rs + j * cs]`.
#[derive(Clone, Copy)]
pub struct Mat<'a> {
    /// The elements.
    pub data: &'a [f32],
    /// Row stride.
    pub rs: usize,
    /// Column stride.
    pub cs: usize,
}

impl<'a> Mat<'a> {
    /// A row-major matrix with `cols` columns.
    pub fn rows(data: &'a [f32], cols: usize) -> Mat<'a> {
        Mat {
            data,
            rs: cols,
            cs: 1,
        }
    }

    /// The transpose of a row-major matrix with `cols` columns.
    pub fn transposed(data: &'a [f32], cols: usize) -> Mat<'a> {
        Mat {
            data,
            rs: 1,
            cs: cols,
        }
    }

    #[inline(always)]
    fn at(&self, i: usize, j: usize) -> f32 {
        self.data[i * self.rs + j * self.cs]
    }
}

/// A writable matrix: element `(i, j)` at `data[i * rs + j * cs]`.
pub struct MatMut<'a> {
    /// The elements.
    pub data: &'a mut [f32],
    /// Row stride.
    pub rs: usize,
    /// Column stride.
    pub cs: usize,
}

/// Multiplies one packed `A` panel (`k × MR`) by `k` rows of `B` (each `NR` wide, `ldb` apart).
#[inline(always)]
fn tile(ap: &[f32], b: &[f32], ldb: usize, k: usize) -> [[f32; NR]; MR] {
    use super::simd::{load, madd, splat, unpack, zero};
    let (mut c00, mut c01, mut c10, mut c11) = (zero(), zero(), zero(), zero());
    let (mut c20, mut c21, mut c30, mut c31) = (zero(), zero(), zero(), zero());
    for (p, av) in ap[..k * MR].chunks_exact(MR).enumerate() {
        let row = &b[p * ldb..p * ldb + NR];
        let (b0, b1) = (load(&row[..4]), load(&row[4..]));
        let a0 = splat(av[0]);
        c00 = madd(c00, a0, b0);
        c01 = madd(c01, a0, b1);
        let a1 = splat(av[1]);
        c10 = madd(c10, a1, b0);
        c11 = madd(c11, a1, b1);
        let a2 = splat(av[2]);
        c20 = madd(c20, a2, b0);
        c21 = madd(c21, a2, b1);
        let a3 = splat(av[3]);
        c30 = madd(c30, a3, b0);
        c31 = madd(c31, a3, b1);
    }
    let row = |l: super::simd::V, r: super::simd::V| {
        let (l, r) = (unpack(l), unpack(r));
        [l[0], l[1], l[2], l[3], r[0], r[1], r[2], r[3]]
    };
    [row(c00, c01), row(c10, c11), row(c20, c21), row(c30, c31)]
}

/// `rows` copies of `row` back to back (the bias under a layer's output), copied in blocks of
/// many rows rather than one short copy per row.
pub fn repeat_row(row: &[f32], rows: usize) -> Vec<f32> {
    let total = row.len() * rows;
    let mut out = Vec::with_capacity(total);
    if rows > 0 {
        out.extend_from_slice(row);
    }
    while !out.is_empty() && out.len() < total {
        let more = out.len().min(total - out.len());
        out.extend_from_within(..more);
    }
    out
}

/// `C (m × n) += A (m × k) · B (k × n)`. Reuses `scratch` for the packed panels.
pub fn gemm(
    shape: (usize, usize, usize),
    a: Mat<'_>,
    b: Mat<'_>,
    c: MatMut<'_>,
    scratch: &mut Vec<f32>,
) {
    gemm_into(shape, a, b, c, scratch, true)
}

/// `C (m × n) = A (m × k) · B (k × n)`, overwriting `C` (no need to clear it first).
pub fn gemm_set(
    shape: (usize, usize, usize),
    a: Mat<'_>,
    b: Mat<'_>,
    c: MatMut<'_>,
    scratch: &mut Vec<f32>,
) {
    gemm_into(shape, a, b, c, scratch, false)
}

fn gemm_into(
    (m, n, k): (usize, usize, usize),
    a: Mat<'_>,
    b: Mat<'_>,
    c: MatMut<'_>,
    scratch: &mut Vec<f32>,
    add: bool,
) {
    if m == 0 || n == 0 {
        return;
    }
    let panels = m.div_ceil(MR);
    // packed A: panel r holds rows r·MR.. as k groups of MR values; then one packed B block
    let a_len = panels * k * MR;
    scratch.clear();
    scratch.resize(a_len + k * NR, 0.0);
    let (ap, bp) = scratch.split_at_mut(a_len);
    for r in 0..panels {
        let panel = &mut ap[r * k * MR..(r + 1) * k * MR];
        let rows = MR.min(m - r * MR);
        for p in 0..k {
            for i in 0..rows {
                panel[p * MR + i] = a.at(r * MR + i, p);
            }
        }
    }
    let mut j0 = 0;
    while j0 < n {
        let cols = NR.min(n - j0);
        // B block: in place when its rows are contiguous and full, else packed (zero-padded)
        let (bb, ldb): (&[f32], usize) = if b.cs == 1 && cols == NR {
            (&b.data[j0..], b.rs)
        } else {
            for p in 0..k {
                for j in 0..NR {
                    bp[p * NR + j] = if j < cols { b.at(p, j0 + j) } else { 0.0 };
                }
            }
            (&bp[..], NR)
        };
        for r in 0..panels {
            let acc = tile(&ap[r * k * MR..(r + 1) * k * MR], bb, ldb, k);
            let rows = MR.min(m - r * MR);
            for (i, row) in acc.iter().enumerate().take(rows) {
                let base = (r * MR + i) * c.rs + j0 * c.cs;
                if c.cs == 1 && cols == NR {
                    // contiguous full output row: fixed-size vector adds or copy (no memcpy call)
                    let dst: &mut [f32; NR] = (&mut c.data[base..base + NR])
                        .try_into()
                        .expect("NR values");
                    if add {
                        dst.iter_mut().zip(row).for_each(|(t, &v)| *t += v);
                    } else {
                        *dst = *row;
                    }
                    continue;
                }
                if c.cs == 1 {
                    let dst = &mut c.data[base..base + cols];
                    if add {
                        dst.iter_mut().zip(row).for_each(|(t, &v)| *t += v);
                    } else {
                        dst.copy_from_slice(&row[..cols]);
                    }
                    continue;
                }
                for (j, &v) in row.iter().enumerate().take(cols) {
                    let t = &mut c.data[base + j * c.cs];
                    *t = if add { *t + v } else { v };
                }
            }
        }
        j0 += NR;
    }
}

/// Columns of `A` and `B` handled per block in [`gemm_nt`] (keeps both blocks in L1).
const KC: usize = 512;

/// `C (m × n, row-major) += A (m × len) · B (n × len)ᵀ` for row-major `A` and `B`: every entry a
/// long dot product, blocked over `len` so the `B` block is reused from L1 by every row of `A`.
/// Two rows of `A` meet two rows of `B` at a time ([`dot2x2`]: eight independent accumulators
/// instead of the two of a lone dot product); every entry is rounded exactly as [`dot`] rounds it.
pub fn gemm_nt(a: &[f32], b: &[f32], len: usize, c: &mut [f32]) {
    if len == 0 {
        return;
    }
    let (m, n) = (a.len() / len, b.len() / len);
    debug_assert_eq!(c.len(), m * n);
    let mut k0 = 0;
    while k0 < len {
        let k1 = (k0 + KC).min(len);
        fn seg(s: &[f32], i: usize, len: usize, k: (usize, usize)) -> &[f32] {
            &s[i * len + k.0..i * len + k.1]
        }
        let row = |s, i| seg(s, i, len, (k0, k1));
        let mut i = 0;
        while i + 2 <= m {
            let (a0, a1) = (row(a, i), row(a, i + 1));
            let mut j = 0;
            while j + 2 <= n {
                let d = dot2x2(a0, a1, row(b, j), row(b, j + 1));
                c[i * n + j] += d[0];
                c[i * n + j + 1] += d[1];
                c[(i + 1) * n + j] += d[2];
                c[(i + 1) * n + j + 1] += d[3];
                j += 2;
            }
            if j < n {
                c[i * n + j] += dot(a0, row(b, j));
                c[(i + 1) * n + j] += dot(a1, row(b, j));
            }
            i += 2;
        }
        if i < m {
            for j in 0..n {
                c[i * n + j] += dot(row(a, i), row(b, j));
            }
        }
        k0 = k1;
    }
}

/// `[a0·b0, a0·b1, a1·b0, a1·b1]`, each rounded as [`dot`] rounds it (eight lanes, summed in
/// order, plus the tail).
#[inline]
fn dot2x2(a0: &[f32], a1: &[f32], b0: &[f32], b1: &[f32]) -> [f32; 4] {
    use super::simd::{load, madd, unpack, zero};
    let k = a0.len();
    let (a0, a1, b0, b1) = (&a0[..k], &a1[..k], &b0[..k], &b1[..k]);
    let mut acc = [zero(); 8];
    let full = k - k % 8;
    let mut p = 0;
    while p < full {
        let (x0l, x0h) = (load(&a0[p..]), load(&a0[p + 4..]));
        let (x1l, x1h) = (load(&a1[p..]), load(&a1[p + 4..]));
        let (y0l, y0h) = (load(&b0[p..]), load(&b0[p + 4..]));
        let (y1l, y1h) = (load(&b1[p..]), load(&b1[p + 4..]));
        acc[0] = madd(acc[0], x0l, y0l);
        acc[1] = madd(acc[1], x0h, y0h);
        acc[2] = madd(acc[2], x0l, y1l);
        acc[3] = madd(acc[3], x0h, y1h);
        acc[4] = madd(acc[4], x1l, y0l);
        acc[5] = madd(acc[5], x1h, y0h);
        acc[6] = madd(acc[6], x1l, y1l);
        acc[7] = madd(acc[7], x1h, y1h);
        p += 8;
    }
    let finish = |lo: super::simd::V, hi: super::simd::V, x: &[f32], y: &[f32]| {
        let tail: f32 = x[full..].iter().zip(&y[full..]).map(|(x, y)| x * y).sum();
        let (l, h) = (unpack(lo), unpack(hi));
        l.iter().chain(&h).sum::<f32>() + tail
    };
    [
        finish(acc[0], acc[1], a0, b0),
        finish(acc[2], acc[3], a0, b1),
        finish(acc[4], acc[5], a1, b0),
        finish(acc[6], acc[7], a1, b1),
    ]
}

/// Dot product with eight independent lanes (vectorisable without reassociation by LLVM).
#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ac, bc) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ac.zip(bc) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    acc.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests;
