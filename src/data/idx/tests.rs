//! Tests of the IDX decoder, and the small IDX fixtures other data tests build on.

use super::*;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;

/// An IDX image file with `count` images of `rows x cols`, pixel value = index mod 256.
pub(crate) fn image_file(count: u32, rows: u32, cols: u32) -> Vec<u8> {
    let mut v = Vec::new();
    for word in [IMAGES_MAGIC, count, rows, cols] {
        v.extend_from_slice(&word.to_be_bytes());
    }
    let n = (count * rows * cols) as usize;
    v.extend((0..n).map(|i| (i % 256) as u8));
    v
}

/// An IDX label file holding `labels`.
pub(crate) fn label_file(labels: &[u8]) -> Vec<u8> {
    let mut v = LABELS_MAGIC.to_be_bytes().to_vec();
    v.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    v.extend_from_slice(labels);
    v
}

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn decodes_plain_and_gzipped_images_identically() {
    let raw = image_file(3, 2, 5);
    let plain = decode_images(&raw).unwrap();
    assert_eq!((plain.count, plain.rows, plain.cols), (3, 2, 5));
    assert_eq!(plain.pixels.len(), 30);
    assert_eq!(plain.pixels[29], 29);
    assert_eq!(decode_images(&gzip(&raw)).unwrap(), plain);
}

#[test]
fn decodes_labels_and_rejects_out_of_range() {
    assert_eq!(
        decode_labels(&label_file(&[3, 0, 9]), 10).unwrap(),
        vec![3, 0, 9]
    );
    let err = decode_labels(&gzip(&label_file(&[1, 10])), 10).unwrap_err();
    assert!(matches!(
        err,
        DataError::LabelOutOfRange {
            index: 1,
            label: 10,
            nb_classes: 10
        }
    ));
}

#[test]
fn wrong_magic_is_reported_with_both_numbers() {
    let err = decode_images(&label_file(&[1, 2])).unwrap_err();
    assert!(matches!(
        err,
        DataError::BadMagic {
            expected: IMAGES_MAGIC,
            found: LABELS_MAGIC,
            ..
        }
    ));
    assert!(err.to_string().contains("0x00000801"), "{err}");
    let err = decode_labels(&image_file(1, 1, 1), 10).unwrap_err();
    assert!(matches!(err, DataError::BadMagic { .. }));
}

#[test]
fn truncated_and_overlong_files_are_rejected() {
    let raw = image_file(2, 3, 3);
    let err = decode_images(&raw[..raw.len() - 1]).unwrap_err();
    assert!(matches!(
        err,
        DataError::Truncated {
            expected: 34,
            actual: 33,
            ..
        }
    ));
    let err = decode_images(&raw[..10]).unwrap_err();
    assert!(matches!(
        err,
        DataError::Truncated {
            expected: 16,
            actual: 10,
            ..
        }
    ));
    let err = decode_images(&raw[..3]).unwrap_err();
    assert!(matches!(
        err,
        DataError::Truncated {
            expected: 4,
            actual: 3,
            ..
        }
    ));
    let mut long = raw.clone();
    long.push(0);
    let err = decode_images(&long).unwrap_err();
    assert!(matches!(
        err,
        DataError::TrailingBytes {
            expected: 34,
            actual: 35,
            ..
        }
    ));
    let err = decode_labels(&label_file(&[1])[..7], 10).unwrap_err();
    assert!(matches!(
        err,
        DataError::Truncated {
            expected: 8,
            actual: 7,
            ..
        }
    ));
}

#[test]
fn absurd_header_sizes_do_not_overflow_or_allocate() {
    let mut v = Vec::new();
    for word in [IMAGES_MAGIC, u32::MAX, u32::MAX, u32::MAX] {
        v.extend_from_slice(&word.to_be_bytes());
    }
    let err = decode_images(&v).unwrap_err();
    assert!(matches!(err, DataError::Truncated { actual: 16, .. }));
}

#[test]
fn corrupt_or_cut_gzip_is_a_gzip_error() {
    let gz = gzip(&image_file(4, 8, 8));
    let err = decode_images(&gz[..gz.len() / 2]).unwrap_err();
    assert!(matches!(err, DataError::BadGzip(_)), "{err}");
    let mut bad = gz.clone();
    for b in bad.iter_mut().skip(10).take(20) {
        *b ^= 0x5a;
    }
    let err = decode_images(&bad).unwrap_err();
    assert!(matches!(err, DataError::BadGzip(_)), "{err}");
    let err = decode_labels(&[0x1f, 0x8b, 0, 0], 10).unwrap_err();
    assert!(matches!(err, DataError::BadGzip(_)), "{err}");
}

#[test]
fn gzip_bomb_stops_at_the_cap() {
    let gz = gzip(&vec![0u8; 1 << 20]);
    let err = gunzip_capped(&gz, 1 << 16).unwrap_err();
    assert!(matches!(err, DataError::TooLarge { limit: 65536 }));
    assert_eq!(gunzip_capped(&gz, 1 << 20).unwrap().len(), 1 << 20);
}

#[test]
fn random_corruptions_never_panic() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let images = image_file(3, 4, 4);
    let labels = label_file(&[1, 2, 3]);
    let sources = [gzip(&images), images, gzip(&labels), labels];
    for round in 0..400 {
        let mut bytes = sources[round % sources.len()].clone();
        for _ in 0..rng.random_range(1..4) {
            let at = rng.random_range(0..bytes.len());
            match rng.random_range(0..3) {
                0 => bytes[at] = rng.random(),
                1 => bytes.truncate(at),
                _ => bytes.insert(at, rng.random()),
            }
            if bytes.is_empty() {
                break;
            }
        }
        // Any outcome is fine as long as it is a value, not a panic.
        let _ = decode_images(&bytes);
        let _ = decode_labels(&bytes, 10);
    }
}
