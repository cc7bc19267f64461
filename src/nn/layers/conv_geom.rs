//! [`ConvGeom`]: the sizes of one convolution (input, kernel, strides, Keras padding, output),
//! shared by the GEMM path, its im2col helpers and the naive twin.

use crate::nn::spec::Padding;

/// Geometry of a convolution: input, kernel, strides, padding and output sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvGeom {
    /// Input height, width, channels.
    pub h: usize,
    /// Input width.
    pub w: usize,
    /// Input channels.
    pub c: usize,
    /// Kernel height and width.
    pub kh: usize,
    /// Kernel width.
    pub kw: usize,
    /// Output channels.
    pub f: usize,
    /// Strides.
    pub sh: usize,
    /// Stride along the width.
    pub sw: usize,
    /// Padding above and to the left.
    pub pt: usize,
    /// Padding to the left.
    pub pl: usize,
    /// Output height and width.
    pub oh: usize,
    /// Output width.
    pub ow: usize,
}

impl ConvGeom {
    /// Geometry for an `(h, w, c)` input, kernel `[kh, kw]`, `f` filters, strides and padding.
    pub fn new(input: [usize; 3], k: [usize; 2], f: usize, s: [usize; 2], pad: Padding) -> Self {
        let [h, w, c] = input;
        let out = |n: usize, k: usize, s: usize| match pad {
            Padding::Valid => (n - k) / s + 1,
            Padding::Same => n.div_ceil(s),
        };
        let (oh, ow) = (out(h, k[0], s[0]), out(w, k[1], s[1]));
        let before = |n: usize, o: usize, k: usize, s: usize| match pad {
            Padding::Valid => 0,
            Padding::Same => ((o - 1) * s + k).saturating_sub(n) / 2,
        };
        let (pt, pl) = (before(h, oh, k[0], s[0]), before(w, ow, k[1], s[1]));
        ConvGeom {
            h,
            w,
            c,
            kh: k[0],
            kw: k[1],
            f,
            sh: s[0],
            sw: s[1],
            pt,
            pl,
            oh,
            ow,
        }
    }

    /// Input row (or column) for output position `o` and kernel offset `k`, if inside.
    #[inline]
    pub fn src(o: usize, k: usize, s: usize, pad: usize, n: usize) -> Option<usize> {
        (o * s + k).checked_sub(pad).filter(|&i| i < n)
    }

    /// Features per input sample.
    pub fn in_len(&self) -> usize {
        self.h * self.w * self.c
    }

    /// Length of one im2col row, `kh·kw·c`.
    pub fn patch_len(&self) -> usize {
        self.kh * self.kw * self.c
    }
}
