//! One image file to one sample: decode (PNG or JPEG), turn upright as its EXIF orientation says,
//! convert to luminance or RGB, centre-crop to a square and area-average to the target size,
//! scaled to `[0, 1]`.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

use super::{ImageSize, ImagesError};
use crate::limits::MAX_IMAGE_SIDE;

/// Longest decoder message quoted in an error.
const ECHO: usize = 200;

fn bad(file: &str, reason: impl std::fmt::Display) -> ImagesError {
    ImagesError::BadImage {
        file: file.to_string(),
        reason: crate::params::Raw::clip(&reason.to_string(), ECHO),
    }
}

/// Decodes `bytes` (the file `file`) into `out`, `size.n_features()` values in HWC order.
pub(crate) fn decode_into(
    bytes: &[u8],
    file: &str,
    size: ImageSize,
    out: &mut [f32],
) -> Result<(), ImagesError> {
    debug_assert_eq!(out.len(), size.n_features());
    let reader = || {
        ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| bad(file, e))
    };
    // The header alone first: a huge image is refused before its pixels are allocated.
    let (width, height) = reader()?.into_dimensions().map_err(|e| bad(file, e))?;
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(ImagesError::ImageTooLarge {
            file: file.to_string(),
            width,
            height,
            limit: MAX_IMAGE_SIDE,
        });
    }
    if width == 0 || height == 0 {
        return Err(bad(file, format!("it is {width}x{height} pixels")));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    let mut reader = reader()?;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| bad(file, e))?;
    // Phones store pictures sideways with an EXIF note of how to turn them upright.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| bad(file, e))?;
    image.apply_orientation(orientation);
    let (w, h) = (image.width() as usize, image.height() as usize);
    let pixels = match size {
        ImageSize::Grey28 => image.into_luma8().into_raw(),
        ImageSize::Colour32 => image.into_rgb8().into_raw(),
    };
    crop_and_resize(&pixels, w, h, size.channels(), size.side(), out);
    Ok(())
}

/// For each of `n` output cells spread over `s` input cells: the input cells it covers and the
/// share of the cell's width each covers (the shares sum to 1).
fn coverage(s: usize, n: usize) -> Vec<Vec<(usize, f32)>> {
    let scale = s as f64 / n as f64;
    (0..n)
        .map(|o| {
            let (lo, hi) = (o as f64 * scale, (o + 1) as f64 * scale);
            let first = lo.floor() as usize;
            let last = (hi.ceil() as usize).min(s);
            (first..last)
                .filter_map(|i| {
                    let overlap = hi.min(i as f64 + 1.0) - lo.max(i as f64);
                    (overlap > 0.0).then(|| (i, (overlap / scale) as f32))
                })
                .collect()
        })
        .collect()
}

/// Centre-crops the `w`×`h` image of `c` channels (`u8`, HWC) to a square and area-averages it
/// to `side`×`side`, writing values in `[0, 1]` to `out`.
pub(crate) fn crop_and_resize(
    pixels: &[u8],
    w: usize,
    h: usize,
    c: usize,
    side: usize,
    out: &mut [f32],
) {
    let s = w.min(h);
    let (x0, y0) = ((w - s) / 2, (h - s) / 2);
    let cover = coverage(s, side);
    // Rows first: `s` cropped rows of `side` averaged columns.
    let mut rows = vec![0f32; s * side * c];
    for y in 0..s {
        let src = &pixels[((y0 + y) * w + x0) * c..][..s * c];
        let dst = &mut rows[y * side * c..][..side * c];
        for (ox, cells) in cover.iter().enumerate() {
            for &(x, share) in cells {
                for ch in 0..c {
                    dst[ox * c + ch] += share * f32::from(src[x * c + ch]);
                }
            }
        }
    }
    // Then columns.
    out.fill(0.0);
    for (oy, cells) in cover.iter().enumerate() {
        let dst = &mut out[oy * side * c..][..side * c];
        for &(y, share) in cells {
            let src = &rows[y * side * c..][..side * c];
            for (d, &v) in dst.iter_mut().zip(src) {
                *d += share * v;
            }
        }
    }
    for v in out.iter_mut() {
        *v = (*v / 255.0).clamp(0.0, 1.0);
    }
}
