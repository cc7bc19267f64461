//! Tests of datasets of your own. Every input is made here, in the exact format a user would
//! upload: PNG and JPEG files encoded with the `image` crate, zip archives written with the `zip`
//! crate, `.npy` bytes laid out by hand.

mod archive_tests;
mod errors_tests;
#[cfg(not(target_arch = "wasm32"))]
mod folder_tests;
mod npy_tests;
mod resize_tests;

use std::io::{Cursor, Write};

use image::{ImageFormat, RgbImage};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{ImagesError, Split};
use crate::lang::{has_hangul, Bilingual};

pub(super) const RED: [u8; 3] = [255, 0, 0];
pub(super) const BLUE: [u8; 3] = [0, 0, 255];

/// A `w`×`h` RGB image whose pixel `(x, y)` is `f(x, y)`, encoded as `format`.
pub(super) fn encode(
    w: u32,
    h: u32,
    format: ImageFormat,
    f: impl Fn(u32, u32) -> [u8; 3],
) -> Vec<u8> {
    let image = RgbImage::from_fn(w, h, |x, y| image::Rgb(f(x, y)));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A PNG of one colour.
pub(super) fn solid(w: u32, h: u32, colour: [u8; 3]) -> Vec<u8> {
    encode(w, h, ImageFormat::Png, |_, _| colour)
}

/// A zip archive of `files` (deflated); a name ending in `/` is a folder.
pub(super) fn zip_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in files {
        if name.ends_with('/') {
            writer.add_directory(*name, options).unwrap();
        } else {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
    }
    writer.finish().unwrap().into_inner()
}

/// `n` red images in `red/` and `n` blue ones in `blue/`, below `prefix`, of `w`×`h` pixels.
pub(super) fn red_blue(prefix: &str, n: usize, w: u32, h: u32) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for i in 0..n {
        files.push((format!("{prefix}red/{i:03}.png"), solid(w, h, RED)));
        files.push((format!("{prefix}blue/{i:03}.png"), solid(w, h, BLUE)));
    }
    files
}

/// [`zip_of`] for owned names.
pub(super) fn zip_owned(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let borrowed: Vec<(&str, Vec<u8>)> =
        files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    zip_of(&borrowed)
}

/// `.npy` bytes (format 1.0) of `descr` and `shape` holding `data`, with the header padded as
/// numpy pads it.
pub(super) fn npy(descr: &str, shape: &[usize], data: &[u8]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let shape = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    npy_raw(&header, data)
}

/// `.npy` bytes with the header text `header` as it is.
pub(super) fn npy_raw(header: &str, data: &[u8]) -> Vec<u8> {
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend((header.len() as u16).to_le_bytes());
    out.extend(header.as_bytes());
    out.extend(data);
    out
}

/// The little-endian bytes of `values`.
pub(super) fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The little-endian bytes of `values`.
pub(super) fn i64_bytes(values: &[i64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A split with a test fraction of `f` and seed `seed`.
pub(super) fn split(test_fraction: f64, seed: u64) -> Split {
    Split {
        test_fraction,
        seed,
    }
}

/// Checks that the English message of `e` holds every piece of `names` and of `english`, and
/// that the Korean one, in Hangul, holds every piece of `names` too.
pub(super) fn says(e: &ImagesError, names: &[&str], english: &[&str]) {
    let (en, ko) = (e.to_string(), e.ko());
    assert!(has_hangul(&ko), "{ko}");
    assert!(!has_hangul(&en), "{en}");
    for name in names {
        assert!(en.contains(name), "{name:?} not in {en:?}");
        assert!(ko.contains(name), "{name:?} not in {ko:?}");
    }
    for phrase in english {
        assert!(en.contains(phrase), "{phrase:?} not in {en:?}");
    }
}
