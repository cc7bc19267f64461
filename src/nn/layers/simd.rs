//! 4-wide f32 vectors for the kernels (`gemm.rs`, `lanes.rs`): SIMD128 on wasm built with
//! `+simd128`, SSE on x86-64, plain arrays elsewhere. `madd` is a multiply then an add (no fused
//! rounding) and every other operation moves values without changing them, so all three give the
//! same bits.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::{
        f32x4_add, f32x4_mul, f32x4_splat, i32x4_shuffle, v128, v128_load, v128_store,
    };
    pub type V = v128;
    #[inline(always)]
    pub fn zero() -> V {
        f32x4_splat(0.0)
    }
    #[inline(always)]
    pub fn splat(x: f32) -> V {
        f32x4_splat(x)
    }
    /// Loads the first four values of `s` (which has at least four).
    #[inline(always)]
    pub fn load(s: &[f32]) -> V {
        let s: &[f32; 4] = s[..4].try_into().expect("four lanes");
        // SAFETY: `s` is four valid, initialised f32 values; wasm loads need no alignment
        unsafe { v128_load(s.as_ptr().cast::<v128>()) }
    }
    /// Stores `v` into the first four values of `d` (which has at least four).
    #[inline(always)]
    pub fn store(d: &mut [f32], v: V) {
        let d: &mut [f32; 4] = (&mut d[..4]).try_into().expect("four lanes");
        // SAFETY: `d` is four writable f32 values; wasm stores need no alignment
        unsafe { v128_store(d.as_mut_ptr().cast::<v128>(), v) }
    }
    #[inline(always)]
    pub fn add(a: V, b: V) -> V {
        f32x4_add(a, b)
    }
    #[inline(always)]
    pub fn madd(acc: V, a: V, b: V) -> V {
        f32x4_add(acc, f32x4_mul(a, b))
    }
    /// The 4×4 transpose of the rows `a, b, c, d`.
    #[inline(always)]
    pub fn transpose(a: V, b: V, c: V, d: V) -> [V; 4] {
        let ab_lo = i32x4_shuffle::<0, 4, 1, 5>(a, b);
        let ab_hi = i32x4_shuffle::<2, 6, 3, 7>(a, b);
        let cd_lo = i32x4_shuffle::<0, 4, 1, 5>(c, d);
        let cd_hi = i32x4_shuffle::<2, 6, 3, 7>(c, d);
        [
            i32x4_shuffle::<0, 1, 4, 5>(ab_lo, cd_lo),
            i32x4_shuffle::<2, 3, 6, 7>(ab_lo, cd_lo),
            i32x4_shuffle::<0, 1, 4, 5>(ab_hi, cd_hi),
            i32x4_shuffle::<2, 3, 6, 7>(ab_hi, cd_hi),
        ]
    }
    #[inline(always)]
    pub fn unpack(v: V) -> [f32; 4] {
        // SAFETY: v128 and [f32; 4] have the same size and every bit pattern is valid for both
        unsafe { core::mem::transmute::<V, [f32; 4]>(v) }
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use core::arch::x86_64::{
        __m128, _mm_add_ps, _mm_loadu_ps, _mm_movehl_ps, _mm_movelh_ps, _mm_mul_ps, _mm_set1_ps,
        _mm_storeu_ps, _mm_unpackhi_ps, _mm_unpacklo_ps,
    };
    pub type V = __m128;
    #[inline(always)]
    pub fn zero() -> V {
        splat(0.0)
    }
    #[inline(always)]
    pub fn splat(x: f32) -> V {
        // SAFETY: SSE is part of the x86-64 baseline
        unsafe { _mm_set1_ps(x) }
    }
    /// Loads the first four values of `s` (which has at least four).
    #[inline(always)]
    pub fn load(s: &[f32]) -> V {
        let s: &[f32; 4] = s[..4].try_into().expect("four lanes");
        // SAFETY: `s` is four valid f32 values; loadu needs no alignment; SSE is baseline
        unsafe { _mm_loadu_ps(s.as_ptr()) }
    }
    /// Stores `v` into the first four values of `d` (which has at least four).
    #[inline(always)]
    pub fn store(d: &mut [f32], v: V) {
        let d: &mut [f32; 4] = (&mut d[..4]).try_into().expect("four lanes");
        // SAFETY: `d` is four writable f32 values; storeu needs no alignment; SSE is baseline
        unsafe { _mm_storeu_ps(d.as_mut_ptr(), v) }
    }
    #[inline(always)]
    pub fn add(a: V, b: V) -> V {
        // SAFETY: SSE is part of the x86-64 baseline
        unsafe { _mm_add_ps(a, b) }
    }
    #[inline(always)]
    pub fn madd(acc: V, a: V, b: V) -> V {
        // SAFETY: SSE is part of the x86-64 baseline
        unsafe { _mm_add_ps(acc, _mm_mul_ps(a, b)) }
    }
    /// The 4×4 transpose of the rows `a, b, c, d`.
    #[inline(always)]
    pub fn transpose(a: V, b: V, c: V, d: V) -> [V; 4] {
        // SAFETY: SSE is part of the x86-64 baseline
        unsafe {
            let ab_lo = _mm_unpacklo_ps(a, b); // a0 b0 a1 b1
            let ab_hi = _mm_unpackhi_ps(a, b); // a2 b2 a3 b3
            let cd_lo = _mm_unpacklo_ps(c, d);
            let cd_hi = _mm_unpackhi_ps(c, d);
            [
                _mm_movelh_ps(ab_lo, cd_lo), // a0 b0 c0 d0
                _mm_movehl_ps(cd_lo, ab_lo), // a1 b1 c1 d1
                _mm_movelh_ps(ab_hi, cd_hi),
                _mm_movehl_ps(cd_hi, ab_hi),
            ]
        }
    }
    #[inline(always)]
    pub fn unpack(v: V) -> [f32; 4] {
        // SAFETY: __m128 and [f32; 4] have the same size and every bit pattern is valid for both
        unsafe { core::mem::transmute::<V, [f32; 4]>(v) }
    }
}

#[cfg(not(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    target_arch = "x86_64"
)))]
mod imp {
    pub type V = [f32; 4];
    #[inline(always)]
    pub fn zero() -> V {
        [0.0; 4]
    }
    #[inline(always)]
    pub fn splat(x: f32) -> V {
        [x; 4]
    }
    #[inline(always)]
    pub fn load(s: &[f32]) -> V {
        s[..4].try_into().expect("four lanes")
    }
    #[inline(always)]
    pub fn store(d: &mut [f32], v: V) {
        d[..4].copy_from_slice(&v);
    }
    #[inline(always)]
    pub fn add(a: V, b: V) -> V {
        [0, 1, 2, 3].map(|i| a[i] + b[i])
    }
    #[inline(always)]
    pub fn madd(acc: V, a: V, b: V) -> V {
        [0, 1, 2, 3].map(|i| acc[i] + a[i] * b[i])
    }
    #[inline(always)]
    pub fn transpose(a: V, b: V, c: V, d: V) -> [V; 4] {
        [0, 1, 2, 3].map(|i| [a[i], b[i], c[i], d[i]])
    }
    #[inline(always)]
    pub fn unpack(v: V) -> [f32; 4] {
        v
    }
}

pub use imp::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_store_and_add_move_values_exactly() {
        let m: Vec<f32> = (0..16).map(|i| i as f32 * 1.5 - 3.0).collect();
        let rows = [0, 1, 2, 3].map(|r| load(&m[r * 4..]));
        let t = transpose(rows[0], rows[1], rows[2], rows[3]);
        let mut out = [0.0f32; 16];
        for (r, v) in t.iter().enumerate() {
            store(&mut out[r * 4..], *v);
        }
        for i in 0..4 {
            for j in 0..4 {
                assert_eq!(out[i * 4 + j], m[j * 4 + i]);
            }
        }
        let sum = unpack(add(rows[0], rows[1]));
        assert_eq!(sum, [0, 1, 2, 3].map(|j| m[j] + m[4 + j]));
        assert_eq!(
            unpack(madd(zero(), splat(2.0), rows[2])),
            [0, 1, 2, 3].map(|j| 2.0 * m[8 + j])
        );
    }
}
