//! [`MaxPool2d`]: max pooling over H and W of NHWC samples, valid padding, strides defaulting to
//! the pool size (Keras). Backward routes each output gradient to the first maximal input.

use super::{Layer, Pass};
use ndarray::{Array2, ArrayView2};

/// Max pooling. No tensors.
#[derive(Debug, Clone)]
pub struct MaxPool2d {
    input: [usize; 3],
    pool: [usize; 2],
    strides: [usize; 2],
    out: [usize; 2],
    /// Flat input index (within its sample) of every output's maximum.
    argmax: Vec<u32>,
    batch: usize,
}

impl MaxPool2d {
    /// Pooling of an `(h, w, c)` input with `pool` windows moved by `strides`.
    pub fn new(input: [usize; 3], pool: [usize; 2], strides: [usize; 2]) -> MaxPool2d {
        let out = [
            (input[0] - pool[0]) / strides[0] + 1,
            (input[1] - pool[1]) / strides[1] + 1,
        ];
        MaxPool2d {
            input,
            pool,
            strides,
            out,
            argmax: Vec::new(),
            batch: 0,
        }
    }

    fn out_len(&self) -> usize {
        self.out[0] * self.out[1] * self.input[2]
    }

    /// Pools `x`, writing every output's arg-max (flat index within its sample) into `argmax`.
    /// Branch-light: each window starts from its first tap and the channels of a tap are
    /// compared side by side (a vectorisable select); strictly greater wins, so the first
    /// maximal input keeps the gradient (and a NaN first tap stays, as before). The usual channel
    /// counts get a fixed-width copy of the loop, so the channel loop unrolls.
    fn pool(&self, x: ArrayView2<f32>, argmax: &mut Vec<u32>) -> Array2<f32> {
        let x = x.as_standard_layout();
        let n = x.nrows();
        let mut y = Array2::<f32>::zeros((n, self.out_len()));
        argmax.clear();
        argmax.resize(n * self.out_len(), 0);
        let xs = x.as_slice().expect("standard layout");
        let ys = y.as_slice_mut().expect("fresh array");
        match self.input[2] {
            1 => self.pool_fixed::<1>(xs, ys, argmax),
            2 => self.pool_fixed::<2>(xs, ys, argmax),
            4 => self.pool_fixed::<4>(xs, ys, argmax),
            8 => self.pool_fixed::<8>(xs, ys, argmax),
            10 => self.pool_fixed::<10>(xs, ys, argmax),
            16 => self.pool_fixed::<16>(xs, ys, argmax),
            32 => self.pool_fixed::<32>(xs, ys, argmax),
            _ => self.pool_c::<0>(xs, ys, argmax),
        }
        y
    }

    /// The pooling loop for a fixed channel count `C`: the window's running maxima and arg-maxes
    /// live in local arrays and each tap is merged by integer masks (compare, and/or), which
    /// LLVM keeps in vector registers instead of branching per channel. Same results as
    /// [`MaxPool2d::pool_c`] (strictly greater wins; a NaN never wins).
    #[inline(always)]
    fn pool_fixed<const C: usize>(&self, xs: &[f32], ys: &mut [f32], argmax: &mut [u32]) {
        let w = self.input[1];
        let per_sample: usize = self.input.iter().product();
        let mut outs = ys.chunks_exact_mut(C).zip(argmax.chunks_exact_mut(C));
        for sample in xs.chunks_exact(per_sample) {
            for oy in 0..self.out[0] {
                for ox in 0..self.out[1] {
                    let (out, out_at) = outs.next().expect("one output per window");
                    let (iy0, ix0) = (oy * self.strides[0], ox * self.strides[1]);
                    let first = (iy0 * w + ix0) * C;
                    let mut best: [f32; C] = sample[first..first + C].try_into().expect("C");
                    let mut at: [u32; C] = std::array::from_fn(|ch| (first + ch) as u32);
                    for py in 0..self.pool[0] {
                        for px in 0..self.pool[1] {
                            if py == 0 && px == 0 {
                                continue;
                            }
                            let i = ((iy0 + py) * w + ix0 + px) * C;
                            let tap: &[f32; C] = sample[i..i + C].try_into().expect("C");
                            for ch in 0..C {
                                let mask = 0u32.wrapping_sub(u32::from(tap[ch] > best[ch]));
                                let b = (tap[ch].to_bits() & mask) | (best[ch].to_bits() & !mask);
                                best[ch] = f32::from_bits(b);
                                at[ch] = (((i + ch) as u32) & mask) | (at[ch] & !mask);
                            }
                        }
                    }
                    out.copy_from_slice(&best);
                    out_at.copy_from_slice(&at);
                }
            }
        }
    }

    /// The pooling loop for `C` channels (`C == 0`: any count, read from the shape).
    #[inline(always)]
    fn pool_c<const C: usize>(&self, xs: &[f32], ys: &mut [f32], argmax: &mut [u32]) {
        let [_, w, c] = self.input;
        let c = if C == 0 { c } else { C };
        let per_sample = self.input.iter().product();
        let mut outs = ys.chunks_exact_mut(c).zip(argmax.chunks_exact_mut(c));
        for sample in xs.chunks_exact(per_sample) {
            for oy in 0..self.out[0] {
                for ox in 0..self.out[1] {
                    let (best, at) = outs.next().expect("one output per window");
                    let (iy0, ix0) = (oy * self.strides[0], ox * self.strides[1]);
                    let first = (iy0 * w + ix0) * c;
                    for ch in 0..c {
                        best[ch] = sample[first + ch];
                        at[ch] = (first + ch) as u32;
                    }
                    for py in 0..self.pool[0] {
                        for px in 0..self.pool[1] {
                            if py == 0 && px == 0 {
                                continue;
                            }
                            let i = ((iy0 + py) * w + ix0 + px) * c;
                            let tap = &sample[i..i + c];
                            let lanes = best.iter_mut().zip(at.iter_mut()).zip(tap);
                            for (ch, ((b, a), &v)) in lanes.enumerate() {
                                let more = v > *b;
                                *b = if more { v } else { *b };
                                *a = if more { (i + ch) as u32 } else { *a };
                            }
                        }
                    }
                }
            }
        }
    }
}

impl Layer for MaxPool2d {
    fn clear_cache(&mut self) {
        self.argmax = Vec::new();
    }

    // x (N, h·w·c) -> y (N, oh·ow·c)
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.pool(x, &mut Vec::new())
    }

    fn forward(&mut self, x: ArrayView2<f32>, _pass: &mut Pass<'_>) -> Array2<f32> {
        let mut argmax = std::mem::take(&mut self.argmax);
        let y = self.pool(x, &mut argmax);
        self.argmax = argmax;
        self.batch = x.nrows();
        y
    }

    // g (N, oh·ow·c) -> dx (N, h·w·c): each g goes to its window's arg-max
    // (stacked seeds: gradient row i routes through the arg-maxes of sample i mod N)
    fn backward(&mut self, g: ArrayView2<f32>) -> Array2<f32> {
        let in_len: usize = self.input.iter().product();
        let rows = g.nrows();
        assert!(
            self.batch > 0 && rows.is_multiple_of(self.batch),
            "maxpool: {rows} gradient rows for a batch of {}",
            self.batch
        );
        let mut dx = Array2::<f32>::zeros((rows, in_len));
        let g = g.as_standard_layout();
        let gs = g.as_slice().expect("standard layout");
        let per = self.out_len();
        let dxs = dx.as_slice_mut().expect("fresh array");
        for (s, (row, gr)) in dxs
            .chunks_exact_mut(in_len)
            .zip(gs.chunks_exact(per))
            .enumerate()
        {
            let at = &self.argmax[(s % self.batch) * per..(s % self.batch + 1) * per];
            for (&i, &v) in at.iter().zip(gr) {
                row[i as usize] += v;
            }
        }
        dx
    }

    fn stacks_seeds(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::gradcheck::{check_layer, random};
    use super::*;

    #[test]
    fn pools_the_window_maximum() {
        let p = MaxPool2d::new([4, 4, 1], [2, 2], [2, 2]);
        let x = Array2::from_shape_fn((1, 16), |(_, i)| ((i * 7) % 16) as f32);
        // rows of the image: [0 7 14 5] [12 3 10 1] [8 15 6 13] [4 11 2 9]
        assert_eq!(
            p.infer(x.view()).as_slice().unwrap(),
            &[12.0, 14.0, 15.0, 13.0]
        );
    }

    #[test]
    fn fixed_width_loops_match_the_any_count_loop_with_ties_and_nan() {
        for (c, pool, strides) in [
            (4, [2, 2], [2, 2]),
            (10, [3, 2], [1, 2]),
            (1, [2, 2], [2, 2]),
        ] {
            let p = MaxPool2d::new([6, 5, c], pool, strides);
            // small integers give many ties; a few NaN and infinities
            let mut x = Array2::from_shape_fn((3, 30 * c), |(s, i)| ((i * 7 + s * 3) % 5) as f32);
            x[[0, 0]] = f32::NAN;
            x[[1, c + 1]] = f32::NAN;
            x[[2, 2]] = f32::NEG_INFINITY;
            let xs = x.as_slice().unwrap();
            let (mut y0, mut a0) = (vec![0.0; 3 * p.out_len()], vec![0; 3 * p.out_len()]);
            p.pool_c::<0>(xs, &mut y0, &mut a0);
            let mut a1 = Vec::new();
            let y1 = p.pool(x.view(), &mut a1);
            let same = y0
                .iter()
                .zip(y1.iter())
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same && a0 == a1, "c {c}");
        }
    }

    #[test]
    fn gradients_match_finite_differences() {
        let p = MaxPool2d::new([5, 4, 2], [2, 2], [2, 2]);
        check_layer(&p, &random(2, 40, 1), false, 1e-3, 2e-3);
        let overlapping = MaxPool2d::new([5, 5, 2], [3, 2], [1, 2]);
        check_layer(&overlapping, &random(2, 50, 2), false, 1e-3, 2e-3);
        // a fixed-width channel loop (4) and the any-count one (3)
        check_layer(
            &MaxPool2d::new([4, 4, 4], [2, 2], [2, 2]),
            &random(2, 64, 3),
            false,
            1e-3,
            2e-3,
        );
        check_layer(
            &MaxPool2d::new([4, 5, 3], [2, 2], [2, 2]),
            &random(2, 60, 4),
            false,
            1e-3,
            2e-3,
        );
    }
}
