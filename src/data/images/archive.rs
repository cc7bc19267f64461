//! Class folders in a `.zip` archive, read from bytes (natively and in the browser).

use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::assemble::{assemble, Request, Source};
use super::layout::Entry;
use super::{ImageSize, ImagesError, Split};
use crate::data::Dataset;
use crate::limits::{MAX_IMAGES_FILE_BYTES, MAX_IMAGES_UNPACKED_BYTES, MAX_IMAGE_FILES};

/// Most entries (files and folders of any kind) an archive may list: its directory is read
/// whole before any image is looked at.
pub(crate) const MAX_ZIP_ENTRIES: usize = 4 * MAX_IMAGE_FILES;

/// Longest library message quoted in an error.
const ECHO: usize = 200;

fn clip(reason: impl std::fmt::Display) -> String {
    crate::params::Raw::clip(&reason.to_string(), ECHO)
}

/// The dataset of the class folders in the `.zip` archive `bytes`, each image brought to `size`
/// and split by `split`. `name` names the dataset, and the archive in messages.
pub fn images_from_zip(
    bytes: &[u8],
    size: ImageSize,
    split: Split,
    name: &str,
) -> Result<Dataset, ImagesError> {
    images_from_zip_within(bytes, size, split, name, MAX_IMAGES_UNPACKED_BYTES)
}

/// [`images_from_zip`] with the images' unpacked size capped at `unpack_limit` bytes.
pub(crate) fn images_from_zip_within(
    bytes: &[u8],
    size: ImageSize,
    split: Split,
    name: &str,
    unpack_limit: u64,
) -> Result<Dataset, ImagesError> {
    if bytes.len() as u64 > MAX_IMAGES_FILE_BYTES {
        return Err(ImagesError::FileTooLarge {
            file: name.to_string(),
            size: bytes.len() as u64,
            limit: MAX_IMAGES_FILE_BYTES,
        });
    }
    if let Some(count) = declared_entries(bytes).filter(|&n| n > MAX_ZIP_ENTRIES as u64) {
        return Err(ImagesError::TooManyFiles {
            count: usize::try_from(count).unwrap_or(usize::MAX),
            limit: MAX_ZIP_ENTRIES,
        });
    }
    let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| ImagesError::NotAZip {
        file: name.to_string(),
        reason: clip(e),
    })?;
    let mut entries = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let entry = archive
            .by_index_data(index)
            .map_err(|e| ImagesError::NotAZip {
                file: name.to_string(),
                reason: clip(e),
            })?;
        let path = match entry.name() {
            Ok(path) => path.into_owned(),
            Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
        };
        let mut e = Entry::new(&path, entry.is_dir(), entry.size());
        if entry.is_symlink() {
            e.parts.clear(); // never an image, nor a class
        }
        entries.push(e);
    }
    let request = Request {
        origin: name,
        name,
        size,
        split,
        unpack_limit,
    };
    assemble(&mut ZipSource { archive }, &entries, &request)
}

struct ZipSource<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
}

impl Source for ZipSource<'_> {
    fn read(&mut self, index: usize, cap: u64) -> Result<Vec<u8>, ImagesError> {
        let fail = |file: &str, reason: String| ImagesError::ZipEntry {
            file: file.to_string(),
            reason,
        };
        let file = self
            .archive
            .by_index(index)
            .map_err(|e| fail(&format!("entry {index}"), clip(e)))?;
        let path = file.name().map(|n| n.into_owned()).unwrap_or_default();
        let mut out = Vec::with_capacity(file.size().min(cap.saturating_add(1)) as usize);
        // Inflating stops one byte past the cap, whatever size the archive declared.
        file.take(cap.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| fail(&path, clip(e)))?;
        Ok(out)
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?).into())
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The number of entries the end of the archive declares (zip64 included), when it can be
/// found: a look at a few bytes, before the whole directory is read into memory.
fn declared_entries(b: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let earliest = b.len().saturating_sub(22 + 0xFFFF);
    let eocd = (earliest..=b.len().checked_sub(22)?).rev().find(|&at| {
        // The record ends the file, after its comment.
        &b[at..at + 4] == EOCD
            && u16_at(b, at + 20).is_some_and(|c| at as u64 + 22 + c == b.len() as u64)
    })?;
    let count = u16_at(b, eocd + 10)?;
    if count != 0xFFFF {
        return Some(count);
    }
    // Zip64: a locator just before the record points at the zip64 record.
    let locator = eocd.checked_sub(20)?;
    if b.get(locator..locator + 4)? != b"PK\x06\x07" {
        return Some(count);
    }
    let record = usize::try_from(u64_at(b, locator + 8)?).ok()?;
    if b.get(record..record + 4)? != b"PK\x06\x06" {
        return None;
    }
    u64_at(b, record + 32)
}
