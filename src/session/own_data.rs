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

use super::SessionError;

/// The datasets made of files the user picked.
pub const OWN_DATASETS: [&str; 2] = ["cifar10", "images"];

/// Decodes any dataset `LoadDataset` names: a vendored one from its files, or one of the user's.
pub fn any_dataset(
    name: &str,
    files: &[Bytes],
    image_size: Option<&str>,
) -> Result<Dataset, SessionError> {
    if OWN_DATASETS.contains(&name) {
        return own_dataset(name, files, image_size);
    }
    if let Some(s) = image_size {
        return Err(SessionError::invalid(
            "image_size",
            s,
            text!(
                "applies to a dataset of images only",
                "이미지 데이터셋에만 쓸 수 있습니다"
            ),
        ));
    }
    super::decode_dataset(name, files)
}

/// Decodes a dataset of the user's files: `cifar10` or `images`.
pub fn own_dataset(
    name: &str,
    files: &[Bytes],
    image_size: Option<&str>,
) -> Result<Dataset, SessionError> {
    let limit = match name {
        "cifar10" => MAX_CIFAR_FILE_BYTES,
        _ => MAX_IMAGES_FILE_BYTES,
    };
    if let Some((i, f)) = files
        .iter()
        .enumerate()
        .find(|(_, f)| f.len() as u64 > limit)
    {
        return Err(SessionError::invalid(
            "files",
            format!("file {i} of {} bytes", f.len()),
            text!(
                "a {name} file must be at most {limit} bytes",
                "{name} 파일은 {limit}바이트 이하여야 합니다"
            ),
        ));
    }
    let size = match (name, image_size) {
        (_, None) => ImageSize::Colour32,
        ("images", Some(s)) => ImageSize::from_name(s).ok_or_else(|| {
            SessionError::invalid(
                "image_size",
                s,
                text!(
                    "must be grey28 or colour32",
                    "grey28 또는 colour32여야 합니다"
                ),
            )
        })?,
        (_, Some(s)) => {
            return Err(SessionError::invalid(
                "image_size",
                s,
                text!(
                    "applies to a dataset of images only",
                    "이미지 데이터셋에만 쓸 수 있습니다"
                ),
            ))
        }
    };
    let views: Vec<&[u8]> = files.iter().map(|f| f.as_slice()).collect();
    let count = |expected: &str| {
        SessionError::invalid(
            "files",
            format!("{} files", views.len()),
            text!("must be {expected}", "{expected}이어야 합니다"),
        )
    };
    Ok(match (name, views.as_slice()) {
        ("cifar10", [archive]) => cifar10_from_archive(archive)?,
        ("cifar10", [b1, b2, b3, b4, b5, test, meta @ ..]) if meta.len() <= 1 => {
            let meta = meta
                .first()
                .map(|m| String::from_utf8_lossy(m).into_owned());
            cifar10_from_batches(&[b1, b2, b3, b4, b5], test, meta.as_deref())?
        }
        ("cifar10", _) => {
            return Err(count(
                "the .tar.gz, or data_batch_1-5.bin, test_batch.bin and batches.meta.txt",
            ))
        }
        (_, [zip]) => images_from_zip(zip, size, Split::default(), "images")
            .map_err(crate::data::DataError::from)?,
        _ => return Err(count("one .zip of class folders")),
    })
}
