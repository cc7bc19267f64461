//! MNIST-style preprocessing of a hand-drawn canvas (the browser's Draw panel), in plain Rust.
//!
//! Main function: [`mnist_preprocess`]. It follows LeCun's recipe for MNIST: crop the ink's
//! bounding box, scale it so its longer side is 20 pixels keeping the aspect ratio (area averaging,
//! which anti-aliases), then paste it into a 28x28 field so that the centre of mass of the ink
//! lands on the field's centre (14, 14). [`resize_area`] is the box-filter resampler it uses.

use super::DataError;

/// Side of the output field.
pub const FIELD_SIDE: usize = 28;
/// Longest side of the scaled digit, as in MNIST.
pub const DIGIT_BOX: usize = 20;
/// Ink below this intensity does not count for the bounding box (stray anti-aliasing specks).
pub const INK_THRESHOLD: f32 = 0.01;

/// Turns a `width x height` row-major canvas of ink intensities in `[0, 1]` into 784 MNIST-like
/// values in `[0, 1]` (row-major 28x28). Values outside `[0, 1]` are clamped; an empty canvas gives
/// all zeros.
pub fn mnist_preprocess(gray: &[f32], width: usize, height: usize) -> Result<Vec<f32>, DataError> {
    let expected = width.saturating_mul(height);
    if width == 0 || height == 0 || gray.len() != expected {
        return Err(DataError::BadCanvas {
            width,
            height,
            expected,
            actual: gray.len(),
        });
    }
    if let Some((index, &value)) = gray.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(DataError::NonFinitePixel { index, value });
    }
    let Some((x0, y0, x1, y1)) = ink_bounds(gray, width) else {
        return Ok(vec![0.0; FIELD_SIDE * FIELD_SIDE]);
    };
    let (bw, bh) = (x1 - x0, y1 - y0);
    let crop: Vec<f32> = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| gray[y * width + x].clamp(0.0, 1.0)))
        .collect();
    let long = bw.max(bh) as f64;
    let side = |len: usize| ((len as f64 * DIGIT_BOX as f64 / long).round() as usize).max(1);
    let (nw, nh) = (side(bw), side(bh));
    let digit = resize_area(&crop, bw, bh, nw, nh);
    Ok(paste_centred(&digit, nw, nh))
}

/// Half-open bounding box `(x0, y0, x1, y1)` of the pixels above [`INK_THRESHOLD`], if any.
fn ink_bounds(gray: &[f32], width: usize) -> Option<(usize, usize, usize, usize)> {
    let mut bounds: Option<(usize, usize, usize, usize)> = None;
    for (i, &v) in gray.iter().enumerate() {
        if v > INK_THRESHOLD {
            let (x, y) = (i % width, i / width);
            bounds = Some(match bounds {
                None => (x, y, x + 1, y + 1),
                Some((a, b, c, d)) => (a.min(x), b.min(y), c.max(x + 1), d.max(y + 1)),
            });
        }
    }
    bounds
}

/// For each of `dst_len` output cells, the source cells it overlaps and the overlap weights
/// (fractions of the output cell, summing to 1).
fn area_weights(src_len: usize, dst_len: usize) -> Vec<Vec<(usize, f32)>> {
    let scale = src_len as f64 / dst_len as f64;
    (0..dst_len)
        .map(|i| {
            let (lo, hi) = (i as f64 * scale, (i + 1) as f64 * scale);
            let last = (hi.ceil() as usize).min(src_len);
            (lo.floor() as usize..last)
                .filter_map(|s| {
                    let overlap = hi.min(s as f64 + 1.0) - lo.max(s as f64);
                    (overlap > 0.0).then_some((s, (overlap / scale) as f32))
                })
                .collect()
        })
        .collect()
}

/// Box-filter (area-averaging) resize of a row-major `sw x sh` image to `dw x dh`.
///
/// Each output pixel is the mean of the source area it covers, so shrinking anti-aliases and
/// enlarging replicates pixels (blending across boundaries). Separable: rows first, then columns.
pub fn resize_area(src: &[f32], sw: usize, sh: usize, dw: usize, dh: usize) -> Vec<f32> {
    let wx = area_weights(sw, dw);
    let wy = area_weights(sh, dh);
    // Horizontal pass: (sh, dw).
    let mut rows = vec![0.0f32; sh * dw];
    for y in 0..sh {
        for (x, taps) in wx.iter().enumerate() {
            rows[y * dw + x] = taps.iter().map(|&(s, w)| w * src[y * sw + s]).sum();
        }
    }
    // Vertical pass: (dh, dw).
    let mut out = vec![0.0f32; dh * dw];
    for (y, taps) in wy.iter().enumerate() {
        for x in 0..dw {
            out[y * dw + x] = taps.iter().map(|&(s, w)| w * rows[s * dw + x]).sum();
        }
    }
    out
}

/// Centre of mass `(x, y)` of a `w`-wide image, pixel `i` spanning `[i, i + 1)`.
pub fn centre_of_mass(img: &[f32], w: usize) -> Option<(f64, f64)> {
    let (mut total, mut sx, mut sy) = (0.0f64, 0.0f64, 0.0f64);
    for (i, &v) in img.iter().enumerate() {
        let v = v as f64;
        total += v;
        sx += v * ((i % w) as f64 + 0.5);
        sy += v * ((i / w) as f64 + 0.5);
    }
    (total > 0.0).then(|| (sx / total, sy / total))
}

/// Pastes a `w x h` digit into the 28x28 field, shifted by whole pixels so its centre of mass is
/// as close as possible to (14, 14); whatever falls outside the field is dropped.
fn paste_centred(digit: &[f32], w: usize, h: usize) -> Vec<f32> {
    let mut field = vec![0.0f32; FIELD_SIDE * FIELD_SIDE];
    let centre = FIELD_SIDE as f64 / 2.0;
    let (cx, cy) = centre_of_mass(digit, w).unwrap_or((w as f64 / 2.0, h as f64 / 2.0));
    let (dx, dy) = (
        (centre - cx).round() as isize,
        (centre - cy).round() as isize,
    );
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as isize + dx, y as isize + dy);
            if (0..FIELD_SIDE as isize).contains(&fx) && (0..FIELD_SIDE as isize).contains(&fy) {
                field[fy as usize * FIELD_SIDE + fx as usize] = digit[y * w + x].clamp(0.0, 1.0);
            }
        }
    }
    field
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w x h` canvas with a filled rectangle `[x0, x1) x [y0, y1)` of intensity 1.
    fn canvas(w: usize, h: usize, (x0, y0, x1, y1): (usize, usize, usize, usize)) -> Vec<f32> {
        let mut v = vec![0.0; w * h];
        for y in y0..y1 {
            for x in x0..x1 {
                v[y * w + x] = 1.0;
            }
        }
        v
    }

    /// Naive twin of `resize_area`: average of `k x k` point samples per output pixel.
    fn resize_supersampled(src: &[f32], sw: usize, sh: usize, dw: usize, dh: usize) -> Vec<f32> {
        let k = 64;
        let (sx, sy) = (sw as f64 / dw as f64, sh as f64 / dh as f64);
        let mut out = vec![0.0; dw * dh];
        for oy in 0..dh {
            for ox in 0..dw {
                let mut acc = 0.0;
                for j in 0..k {
                    for i in 0..k {
                        let px = (ox as f64 + (i as f64 + 0.5) / k as f64) * sx;
                        let py = (oy as f64 + (j as f64 + 0.5) / k as f64) * sy;
                        acc += src[py as usize * sw + px as usize];
                    }
                }
                out[oy * dw + ox] = acc / (k * k) as f32;
            }
        }
        out
    }

    #[test]
    fn halving_is_the_2x2_block_mean() {
        let src: Vec<f32> = (0..24).map(|i| (i * 7 % 11) as f32 / 10.0).collect();
        let out = resize_area(&src, 6, 4, 3, 2);
        for y in 0..2 {
            for x in 0..3 {
                let at = |dx: usize, dy: usize| src[(2 * y + dy) * 6 + 2 * x + dx];
                let mean = (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4.0;
                assert!((out[y * 3 + x] - mean).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn fractional_resizes_match_supersampling() {
        let src: Vec<f32> = (0..13 * 9).map(|i| ((i * 37) % 17) as f32 / 16.0).collect();
        for (dw, dh) in [(5, 4), (20, 7), (26, 18)] {
            let fast = resize_area(&src, 13, 9, dw, dh);
            let naive = resize_supersampled(&src, 13, 9, dw, dh);
            for (a, b) in fast.iter().zip(&naive) {
                assert!((a - b).abs() < 0.04, "{dw}x{dh}: {a} vs {b}");
            }
            let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
            assert!(
                (mean(&fast) - mean(&src)).abs() < 1e-4,
                "area averaging keeps the mean"
            );
        }
    }

    fn ink_box(field: &[f32]) -> (usize, usize, usize, usize) {
        ink_bounds(field, FIELD_SIDE).expect("ink present")
    }

    #[test]
    fn centred_square_fills_the_20px_box_in_the_middle() {
        let out = mnist_preprocess(&canvas(100, 100, (30, 30, 70, 70)), 100, 100).unwrap();
        assert_eq!(out.len(), 784);
        assert_eq!(ink_box(&out), (4, 4, 24, 24));
        let (cx, cy) = centre_of_mass(&out, FIELD_SIDE).unwrap();
        assert!((cx - 14.0).abs() < 1e-6 && (cy - 14.0).abs() < 1e-6);
        assert!(out.iter().all(|&v| v == 0.0 || (v - 1.0).abs() < 1e-6));
    }

    #[test]
    fn off_centre_blob_is_recentred() {
        let mut c = canvas(200, 150, (150, 5, 190, 40));
        c[20 * 200 + 160] = 0.3; // uneven mass inside the blob
        let out = mnist_preprocess(&c, 200, 150).unwrap();
        let (cx, cy) = centre_of_mass(&out, FIELD_SIDE).unwrap();
        assert!(
            (cx - 14.0).abs() <= 0.5 && (cy - 14.0).abs() <= 0.5,
            "{cx} {cy}"
        );
    }

    #[test]
    fn aspect_ratio_is_kept() {
        // 60 wide, 15 tall: becomes 20 x 5.
        let out = mnist_preprocess(&canvas(80, 40, (10, 10, 70, 25)), 80, 40).unwrap();
        let (x0, y0, x1, y1) = ink_box(&out);
        assert_eq!((x1 - x0, y1 - y0), (20, 5));
        // 9 wide, 30 tall: becomes 6 x 20.
        let out = mnist_preprocess(&canvas(50, 50, (3, 10, 12, 40)), 50, 50).unwrap();
        let (x0, y0, x1, y1) = ink_box(&out);
        assert_eq!((x1 - x0, y1 - y0), (6, 20));
    }

    #[test]
    fn output_stays_in_unit_range_and_empty_is_zero() {
        let c: Vec<f32> = (0..64 * 48)
            .map(|i| ((i * 31) % 23) as f32 / 10.0 - 0.5)
            .collect();
        let out = mnist_preprocess(&c, 64, 48).unwrap();
        assert!(out.iter().all(|v| (0.0..=1.0).contains(v)));
        assert!(out.iter().any(|&v| v > 0.5));
        let out = mnist_preprocess(&vec![0.005; 30 * 20], 30, 20).unwrap();
        assert_eq!(out, vec![0.0; 784]);
    }

    #[test]
    fn bad_canvases_are_errors() {
        assert!(matches!(
            mnist_preprocess(&[0.0; 10], 4, 3),
            Err(DataError::BadCanvas {
                expected: 12,
                actual: 10,
                ..
            })
        ));
        assert!(matches!(
            mnist_preprocess(&[], 0, 0),
            Err(DataError::BadCanvas { .. })
        ));
        assert!(matches!(
            mnist_preprocess(&[0.0, f32::NAN, 0.0, 0.0], 2, 2),
            Err(DataError::NonFinitePixel { index: 1, .. })
        ));
        assert!(matches!(
            mnist_preprocess(&[0.0], usize::MAX, 2),
            Err(DataError::BadCanvas { .. })
        ));
    }
}
