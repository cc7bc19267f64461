//! Datasets the user brings to the page (`LoadDataset` with `cifar10` or `images`): CIFAR-10 as
//! its authors distribute it (the `.tar.gz`, or its batch files, train 1-5, test and optionally
//! `batches.meta.txt`, in that order) and a `.zip` of class folders resized to `image_size`.
//! Files are checked against the same limits as on the command line.

use crate::data::cifar::{cifar10_from_archive, cifar10_from_batches};
use crate::data::images::{images_from_zip, ImageSize, Split};
use crate::data::Dataset;
use crate::lang::text;
use crate::limits::{MAX_CIFAR_FILE_BYTES, MAX_IMAGES_FILE_BYTES};
use crate::protocol::Bytes;

use super::store::checked_files;
use super::SessionError;

/// The datasets made of files the user picked.
pub const OWN_DATASETS: [&str; 2] = ["cifar10", "images"];

/// Decodes any dataset `LoadDataset` names: a vendored one from its files, or one of the user's.
/// `image_size` applies to `images` only.
pub fn any_dataset(
    name: &str,
    files: &[Bytes],
    image_size: Option<&str>,
) -> Result<Dataset, SessionError> {
    if let (Some(s), false) = (image_size, name == "images") {
        return Err(SessionError::invalid(
            "image_size",
            s,
            text!(
                "applies to a dataset of images only",
                "이미지 데이터셋에만 쓸 수 있습니다"
            ),
        ));
    }
    match name {
        "cifar10" => cifar10(&checked_files(files, MAX_CIFAR_FILE_BYTES)?),
        "images" => images(&checked_files(files, MAX_IMAGES_FILE_BYTES)?, image_size),
        _ => super::decode_dataset(name, files),
    }
}

/// CIFAR-10 from its `.tar.gz`, or from its batch files.
fn cifar10(files: &[&[u8]]) -> Result<Dataset, SessionError> {
    Ok(match files {
        [archive] => cifar10_from_archive(archive)?,
        [b1, b2, b3, b4, b5, test, meta @ ..] if meta.len() <= 1 => {
            let meta = meta
                .first()
                .map(|m| String::from_utf8_lossy(m).into_owned());
            cifar10_from_batches(&[b1, b2, b3, b4, b5], test, meta.as_deref())?
        }
        _ => {
            return Err(file_count(
                files.len(),
                text!(
                "must be the .tar.gz, or data_batch_1-5.bin, test_batch.bin and batches.meta.txt",
                ".tar.gz, 또는 data_batch_1-5.bin, test_batch.bin, batches.meta.txt여야 합니다"
            ),
            ))
        }
    })
}

/// A `.zip` of class folders, resized to `image_size` (32×32 colour when not given).
fn images(files: &[&[u8]], image_size: Option<&str>) -> Result<Dataset, SessionError> {
    let size = match image_size {
        None => ImageSize::Colour32,
        Some(s) => ImageSize::from_name(s).ok_or_else(|| {
            SessionError::invalid(
                "image_size",
                s,
                text!(
                    "must be grey28 or colour32",
                    "grey28 또는 colour32여야 합니다"
                ),
            )
        })?,
    };
    match files {
        [zip] => Ok(images_from_zip(zip, size, Split::default(), "images")
            .map_err(crate::data::DataError::from)?),
        _ => Err(file_count(
            files.len(),
            text!(
                "must be one .zip of class folders",
                "클래스 폴더가 든 .zip 하나여야 합니다"
            ),
        )),
    }
}

fn file_count(n: usize, reason: crate::lang::Text) -> SessionError {
    SessionError::invalid("files", format!("{n} files"), reason)
}
