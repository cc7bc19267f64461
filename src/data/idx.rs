//! IDX decoding (the MNIST file format), from bytes, with transparent gunzip.
//!
//! Main types: [`IdxImages`] (decoded `u8` images) and the functions [`decode_images`],
//! [`decode_labels`] and [`gunzip_if_needed`].
//!
//! Layout (all integers big-endian): images are magic `0x00000803`, then `n`, `rows`, `cols` as
//! `u32`, then `n * rows * cols` bytes row-major; labels are magic `0x00000801`, then `n`, then `n`
//! bytes. Files may be gzip-compressed (detected by the `1f 8b` magic); decompression is capped at
//! [`MAX_DECOMPRESSED_BYTES`] so a hostile file fails cleanly instead of exhausting memory.

use std::borrow::Cow;
use std::io::Read;

use flate2::read::GzDecoder;

use super::DataError;

/// Magic number of an IDX file of unsigned bytes with three dimensions (images).
pub const IMAGES_MAGIC: u32 = 0x0000_0803;
/// Magic number of an IDX file of unsigned bytes with one dimension (labels).
pub const LABELS_MAGIC: u32 = 0x0000_0801;
/// Largest decompressed size accepted (64 MiB; MNIST's training images are 47 MB).
pub const MAX_DECOMPRESSED_BYTES: usize = 64 << 20;

/// Decoded IDX images: `count` images of `rows x cols` grey levels, row-major, one after another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxImages {
    pub count: usize,
    pub rows: usize,
    pub cols: usize,
    /// `count * rows * cols` bytes.
    pub pixels: Vec<u8>,
}

/// Returns `bytes` unchanged, or decompressed if they start with the gzip magic `1f 8b`.
pub fn gunzip_if_needed(bytes: &[u8]) -> Result<Cow<'_, [u8]>, DataError> {
    gunzip_capped(bytes, MAX_DECOMPRESSED_BYTES)
}

/// [`gunzip_if_needed`] with an explicit cap on the decompressed size.
pub fn gunzip_capped(bytes: &[u8], limit: usize) -> Result<Cow<'_, [u8]>, DataError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    // Read one byte past the cap so an over-long stream is detected rather than cut silently.
    let mut reader = GzDecoder::new(bytes).take(limit as u64 + 1);
    reader
        .read_to_end(&mut out)
        .map_err(|e| DataError::BadGzip(e.to_string()))?;
    if out.len() > limit {
        return Err(DataError::TooLarge { limit });
    }
    Ok(Cow::Owned(out))
}

/// Big-endian `u32` at word `index` of the header (the caller checked the length).
fn header_word(data: &[u8], index: usize) -> usize {
    let at = index * 4;
    u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]) as usize
}

/// Checks the magic number and that `data` holds at least `words` header words.
fn check_header(
    data: &[u8],
    what: &'static str,
    magic: u32,
    words: usize,
) -> Result<(), DataError> {
    // Magic first (a wrong file type is the more useful diagnosis), then the rest of the header.
    let truncated = |expected: usize| DataError::Truncated {
        what,
        expected,
        actual: data.len(),
    };
    if data.len() < 4 {
        return Err(truncated(4));
    }
    let found = header_word(data, 0) as u32;
    if found != magic {
        return Err(DataError::BadMagic {
            what,
            expected: magic,
            found,
        });
    }
    if data.len() < words * 4 {
        return Err(truncated(words * 4));
    }
    Ok(())
}

/// Checks that the body after a `header_len`-byte header is exactly `body_len` bytes long.
fn check_body(
    data: &[u8],
    what: &'static str,
    header_len: usize,
    body_len: Option<usize>,
) -> Result<(), DataError> {
    // A header whose product overflows can never be satisfied: report it as truncated.
    let expected = body_len
        .and_then(|b| b.checked_add(header_len))
        .unwrap_or(usize::MAX);
    if data.len() < expected {
        return Err(DataError::Truncated {
            what,
            expected,
            actual: data.len(),
        });
    }
    if data.len() > expected {
        return Err(DataError::TrailingBytes {
            what,
            expected,
            actual: data.len(),
        });
    }
    Ok(())
}

/// Decodes an IDX image file (gzipped or not).
pub fn decode_images(bytes: &[u8]) -> Result<IdxImages, DataError> {
    const WHAT: &str = "IDX images";
    let data = gunzip_if_needed(bytes)?;
    check_header(&data, WHAT, IMAGES_MAGIC, 4)?;
    let (count, rows, cols) = (
        header_word(&data, 1),
        header_word(&data, 2),
        header_word(&data, 3),
    );
    let body = count.checked_mul(rows).and_then(|v| v.checked_mul(cols));
    check_body(&data, WHAT, 16, body)?;
    let pixels = match data {
        Cow::Owned(mut v) => {
            v.drain(..16);
            v
        }
        Cow::Borrowed(b) => b[16..].to_vec(),
    };
    Ok(IdxImages {
        count,
        rows,
        cols,
        pixels,
    })
}

/// Decodes an IDX label file (gzipped or not), checking every label is below `nb_classes`.
pub fn decode_labels(bytes: &[u8], nb_classes: usize) -> Result<Vec<usize>, DataError> {
    const WHAT: &str = "IDX labels";
    let data = gunzip_if_needed(bytes)?;
    check_header(&data, WHAT, LABELS_MAGIC, 2)?;
    let count = header_word(&data, 1);
    check_body(&data, WHAT, 8, Some(count))?;
    data[8..]
        .iter()
        .enumerate()
        .map(|(index, &b)| {
            let label = b as usize;
            if label < nb_classes {
                Ok(label)
            } else {
                Err(DataError::LabelOutOfRange {
                    index,
                    label,
                    nb_classes,
                })
            }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
