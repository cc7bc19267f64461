//! ART's `SpatialSmoothing` (Xu, Evans and Qi 2018): a median filter over a `window_size` ×
//! `window_size` window, per channel, on NHWC images (`channels_first=False`), as
//! `scipy.ndimage.median_filter` computes it: `mode="reflect"` at the borders (the edge pixel is
//! repeated: `d c b a | a b c d | d c b a`), the window of an even size reaching one pixel
//! further up/left than down/right, and the element of rank `size // 2` taken (the upper median
//! for an even count).
//!
//! Not differentiable in ART's sense (its gradient is estimated with BPDA's identity), though the
//! median is piecewise linear: its exact derivative routes each output's gradient to the pixel
//! that was selected, which is what a naive attack gets ([`SpatialSmoothingParams::backward_exact`]).

use ndarray::{Array2, ArrayView2};
use serde::Serialize;

use crate::described;
use crate::params::{CrossCheck, Kind, ParamError};

/// The largest window (a 28×28 image is smoothed away long before).
pub const MAX_WINDOW: u64 = 15;

described! {
    /// ART's `SpatialSmoothing(window_size=3, channels_first=False)`.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct SpatialSmoothingParams in "spatial-smoothing" {
        window_size: usize = 3, Kind::int(1, MAX_WINDOW),
            "Side of the square median-filter window in pixels (ART: window_size); 1 changes nothing.",
            "중앙값 필터 창의 한 변 길이(픽셀, ART: window_size). 1이면 아무것도 바꾸지 않습니다.";
    }
}

impl CrossCheck for SpatialSmoothingParams {}

/// scipy's `reflect` index for position `i` (may be negative or past the end) in `0..n`.
fn reflect(i: isize, n: usize) -> usize {
    let n = n as isize;
    let period = 2 * n;
    let m = i.rem_euclid(period);
    (if m >= n { period - 1 - m } else { m }) as usize
}

/// Image geometry of one flattened sample.
fn geometry(shape: &[usize]) -> Result<(usize, usize, usize), ParamError> {
    match *shape {
        [h, w, c] if h > 0 && w > 0 && c > 0 => Ok((h, w, c)),
        _ => Err(ParamError::invalid(
            "method",
            "spatial-smoothing",
            crate::lang::text!(
                "needs images (height, width, channels); this model's input shape is {shape:?}",
                "이미지(높이, 너비, 채널)가 필요한데 이 모델의 입력 모양은 {shape:?}입니다"
            ),
        )),
    }
}

impl SpatialSmoothingParams {
    /// Checks that the input shape is an image.
    pub fn check_shape(&self, shape: &[usize]) -> Result<(), ParamError> {
        geometry(shape).map(|_| ())
    }

    /// For every output feature of one sample, the flat index of the input feature its median
    /// came from (ties: the first in window order among equal values).
    fn selection(&self, row: &[f32], (h, w, c): (usize, usize, usize)) -> Vec<usize> {
        let k = self.window_size;
        let before = (k / 2) as isize;
        let mut window: Vec<(f32, usize)> = Vec::with_capacity(k * k);
        let mut out = vec![0; row.len()];
        for i in 0..h {
            for j in 0..w {
                for ch in 0..c {
                    window.clear();
                    for di in 0..k as isize {
                        let ii = reflect(i as isize - before + di, h);
                        for dj in 0..k as isize {
                            let jj = reflect(j as isize - before + dj, w);
                            let idx = (ii * w + jj) * c + ch;
                            window.push((row[idx], idx));
                        }
                    }
                    let rank = window.len() / 2;
                    // Stable order on value: the rank-th element, ties kept in window order.
                    window.sort_by(|a, b| a.0.total_cmp(&b.0));
                    out[(i * w + j) * c + ch] = window[rank].1;
                }
            }
        }
        out
    }

    /// The smoothed inputs (`shape` is one sample's `[h, w, c]`, checked by [`Self::check_shape`]).
    pub fn apply(&self, x: ArrayView2<f32>, shape: &[usize]) -> Result<Array2<f32>, ParamError> {
        let g = geometry(shape)?;
        let mut out = x.to_owned();
        if self.window_size <= 1 {
            return Ok(out);
        }
        for (src, mut dst) in x.rows().into_iter().zip(out.rows_mut()) {
            let row = src.to_vec();
            for (o, s) in dst.iter_mut().zip(self.selection(&row, g)) {
                *o = row[s];
            }
        }
        Ok(out)
    }

    /// The exact derivative: each output's gradient goes to the input pixel its median selected.
    pub fn backward_exact(
        &self,
        x: ArrayView2<f32>,
        grad: ArrayView2<f32>,
        shape: &[usize],
    ) -> Result<Array2<f32>, ParamError> {
        let g = geometry(shape)?;
        if self.window_size <= 1 {
            return Ok(grad.to_owned());
        }
        let mut out = Array2::zeros(grad.raw_dim());
        for ((src, gr), mut dst) in x.rows().into_iter().zip(grad.rows()).zip(out.rows_mut()) {
            let row = src.to_vec();
            for (o, s) in self.selection(&row, g).into_iter().enumerate() {
                dst[s] += gr[o];
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The naive twin: the median of each reflected window by sorting values only.
    fn median_naive(img: &[f32], h: usize, w: usize, k: usize) -> Vec<f32> {
        let mut out = vec![0.0; h * w];
        for i in 0..h {
            for j in 0..w {
                let mut v = Vec::new();
                for di in 0..k {
                    for dj in 0..k {
                        let ii = reflect(i as isize + di as isize - (k / 2) as isize, h);
                        let jj = reflect(j as isize + dj as isize - (k / 2) as isize, w);
                        v.push(img[ii * w + jj]);
                    }
                }
                v.sort_by(f32::total_cmp);
                out[i * w + j] = v[v.len() / 2];
            }
        }
        out
    }

    fn image(h: usize, w: usize, seed: u32) -> Vec<f32> {
        (0..h * w)
            .map(|i| ((i as u32).wrapping_mul(2654435761).wrapping_add(seed) % 97) as f32 / 96.0)
            .collect()
    }

    #[test]
    fn reflect_repeats_the_edge() {
        let idx: Vec<usize> = (-3..7).map(|i| reflect(i, 4)).collect();
        assert_eq!(idx, vec![2, 1, 0, 0, 1, 2, 3, 3, 2, 1]);
    }

    #[test]
    fn window_1_is_identity_and_shape_kept() {
        let x = Array2::from_shape_vec((1, 30), image(5, 6, 1)).unwrap();
        let p = SpatialSmoothingParams { window_size: 1 };
        assert_eq!(p.apply(x.view(), &[5, 6, 1]).unwrap(), x);
    }

    #[test]
    fn matches_the_naive_median_for_odd_and_even_windows() {
        for k in [2, 3, 4, 5] {
            let img = image(7, 5, k as u32);
            let x = Array2::from_shape_vec((1, 35), img.clone()).unwrap();
            let y = SpatialSmoothingParams { window_size: k }
                .apply(x.view(), &[7, 5, 1])
                .unwrap();
            assert_eq!(y.row(0).to_vec(), median_naive(&img, 7, 5, k), "window {k}");
        }
    }

    #[test]
    fn channels_are_filtered_separately() {
        // Two channels: the second is the first plus 10, so its median is too.
        let img = image(4, 4, 3);
        let mut both = Vec::new();
        for v in &img {
            both.push(*v);
            both.push(v + 10.0);
        }
        let x = Array2::from_shape_vec((1, 32), both).unwrap();
        let y = SpatialSmoothingParams { window_size: 3 }
            .apply(x.view(), &[4, 4, 2])
            .unwrap();
        let m = median_naive(&img, 4, 4, 3);
        for (i, v) in m.iter().enumerate() {
            assert_eq!(y[[0, 2 * i]], *v);
            assert_eq!(y[[0, 2 * i + 1]], v + 10.0);
        }
    }

    #[test]
    fn exact_backward_matches_finite_differences() {
        // Distinct values, so no window has a tie (where the median has no derivative).
        let img: Vec<f32> = (0..25).map(|i| ((i * 7) % 25) as f32 / 25.0).collect();
        let x = Array2::from_shape_vec((1, 25), img).unwrap();
        let p = SpatialSmoothingParams { window_size: 3 };
        let seed = Array2::from_shape_fn((1, 25), |(_, j)| (j as f32 * 0.37).sin());
        let g = p.backward_exact(x.view(), seed.view(), &[5, 5, 1]).unwrap();
        let f =
            |x: &Array2<f32>| -> f32 { (&p.apply(x.view(), &[5, 5, 1]).unwrap() * &seed).sum() };
        let h = 1e-4;
        for j in 0..25 {
            let mut xp = x.clone();
            xp[[0, j]] += h;
            let mut xm = x.clone();
            xm[[0, j]] -= h;
            let fd = (f(&xp) - f(&xm)) / (2.0 * h);
            assert!(
                (fd - g[[0, j]]).abs() < 1e-2,
                "feature {j}: {fd} vs {}",
                g[[0, j]]
            );
        }
    }

    #[test]
    fn non_images_and_bad_windows_are_refused() {
        use crate::params::{Described, Raw};
        let p = SpatialSmoothingParams::default();
        let e = p.check_shape(&[4]).unwrap_err().to_string();
        assert!(e.contains("[4]"), "{e}");
        let e = SpatialSmoothingParams::from_fields(&[("window_size".into(), Raw::Int(0))])
            .unwrap_err()
            .to_string();
        assert!(e.contains("window_size = 0"), "{e}");
    }
}
