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

    /// Pools `x`, calling `record(argmax)` for every output in order.
    fn pool(&self, x: ArrayView2<f32>, mut record: impl FnMut(u32)) -> Array2<f32> {
        let [h, w, c] = self.input;
        let _ = h;
        let x = x.as_standard_layout();
        let mut y = Array2::<f32>::zeros((x.nrows(), self.out_len()));
        let xs = x.as_slice().expect("standard layout");
        let ys = y.as_slice_mut().expect("fresh array");
        let mut k = 0;
        for sample in xs.chunks_exact(self.input.iter().product()) {
            for oy in 0..self.out[0] {
                for ox in 0..self.out[1] {
                    for ch in 0..c {
                        let (mut best, mut at) = (f32::NEG_INFINITY, usize::MAX);
                        for py in 0..self.pool[0] {
                            let iy = oy * self.strides[0] + py;
                            for px in 0..self.pool[1] {
                                let i = (iy * w + ox * self.strides[1] + px) * c + ch;
                                if sample[i] > best || at == usize::MAX {
                                    best = sample[i];
                                    at = i;
                                }
                            }
                        }
                        ys[k] = best;
                        record(at as u32);
                        k += 1;
                    }
                }
            }
        }
        y
    }
}

impl Layer for MaxPool2d {
    fn clear_cache(&mut self) {
        self.argmax = Vec::new();
    }

    // x (N, h·w·c) -> y (N, oh·ow·c)
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.pool(x, |_| ())
    }

    fn forward(&mut self, x: ArrayView2<f32>, _pass: &mut Pass<'_>) -> Array2<f32> {
        let mut argmax = std::mem::take(&mut self.argmax);
        argmax.clear();
        let y = self.pool(x, |i| argmax.push(i));
        self.argmax = argmax;
        self.batch = x.nrows();
        y
    }

    // g (N, oh·ow·c) -> dx (N, h·w·c): each g goes to its window's arg-max
    fn backward(&mut self, g: ArrayView2<f32>) -> Array2<f32> {
        let in_len: usize = self.input.iter().product();
        let mut dx = Array2::<f32>::zeros((self.batch, in_len));
        let g = g.as_standard_layout();
        let gs = g.as_slice().expect("standard layout");
        let per = self.out_len();
        for (s, row) in dx.rows_mut().into_iter().enumerate() {
            let mut row = row;
            for k in s * per..(s + 1) * per {
                row[self.argmax[k] as usize] += gs[k];
            }
        }
        dx
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
    fn gradients_match_finite_differences() {
        let p = MaxPool2d::new([5, 4, 2], [2, 2], [2, 2]);
        check_layer(&p, &random(2, 40, 1), false, 1e-3, 2e-3);
        let overlapping = MaxPool2d::new([5, 5, 2], [3, 2], [1, 2]);
        check_layer(&overlapping, &random(2, 50, 2), false, 1e-3, 2e-3);
    }
}
