//! CIFAR-10 in its binary distribution, as its authors publish it: `cifar-10-binary.tar.gz`
//! (a gzipped tar of `cifar-10-batches-bin/`), or the extracted batch files.
//!
//! A batch file is a run of 3,073-byte records: one label byte (0-9), then the 32×32 image as
//! 1,024 red, 1,024 green and 1,024 blue bytes, each plane row-major. `data_batch_1.bin` to
//! `data_batch_5.bin` are the 50,000 training images, `test_batch.bin` the 10,000 test images,
//! and `batches.meta.txt` names the classes, one per line. The images become the crate's NHWC
//! layout (`[32, 32, 3]`), scaled to [0, 1].
//!
//! Main items: [`cifar10_from_archive`] (the `.tar.gz`, or a plain `.tar`),
//! [`cifar10_from_batches`] (the batch files' bytes) and, natively, [`cifar10_from_path`] (the
//! archive or the folder holding the batch files); [`synthetic`] makes small files in the same
//! format.

use ndarray::Array2;

use super::{DataError, Dataset};
use crate::limits::{MAX_CIFAR_RECORDS_PER_FILE, MAX_CIFAR_UNPACKED_BYTES};

/// Bytes of one record: a label and three 32×32 planes.
pub const RECORD_BYTES: usize = 1 + PIXELS * 3;
const SIDE: usize = 32;
const PIXELS: usize = SIDE * SIDE;

/// The training batches, in order, and the test batch.
pub const TRAIN_FILES: [&str; 5] = [
    "data_batch_1.bin",
    "data_batch_2.bin",
    "data_batch_3.bin",
    "data_batch_4.bin",
    "data_batch_5.bin",
];
/// The test batch.
pub const TEST_FILE: &str = "test_batch.bin";
/// The class names' file.
pub const META_FILE: &str = "batches.meta.txt";

/// CIFAR-10's classes, used when `batches.meta.txt` is absent.
pub const CLASS_NAMES: [&str; 10] = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
];

/// Builds the dataset from the five training batches, the test batch and, if present, the
/// text of `batches.meta.txt`.
pub fn cifar10_from_batches(
    train: &[&[u8]],
    test: &[u8],
    meta: Option<&str>,
) -> Result<Dataset, DataError> {
    let class_names = match meta {
        Some(text) => class_names(text)?,
        None => CLASS_NAMES.map(String::from).to_vec(),
    };
    let train_records: Vec<(&str, &[u8])> = TRAIN_FILES
        .iter()
        .copied()
        .zip(train.iter().copied())
        .collect();
    let (x_train, y_train) = decode(&train_records)?;
    let (x_test, y_test) = decode(&[(TEST_FILE, test)])?;
    Ok(Dataset {
        name: "cifar10".into(),
        input_shape: vec![SIDE, SIDE, 3],
        class_names,
        clip_values: (0.0, 1.0),
        x_train,
        y_train,
        x_test,
        y_test,
    })
}

/// The ten names of `batches.meta.txt` (blank lines ignored).
fn class_names(text: &str) -> Result<Vec<String>, DataError> {
    let names: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| crate::params::Raw::clip(l, 40))
        .collect();
    if names.len() != CLASS_NAMES.len() {
        return Err(DataError::CifarMeta { found: names.len() });
    }
    Ok(names)
}

/// The records of `files` (name, bytes), in order, as `(N, 3072)` NHWC pixels and labels.
fn decode(files: &[(&str, &[u8])]) -> Result<(Array2<f32>, Vec<usize>), DataError> {
    let mut n = 0;
    for (name, bytes) in files {
        if bytes.len() % RECORD_BYTES != 0 {
            return Err(DataError::CifarRecordSize {
                file: name.to_string(),
                len: bytes.len(),
            });
        }
        let records = bytes.len() / RECORD_BYTES;
        if records > MAX_CIFAR_RECORDS_PER_FILE {
            return Err(DataError::CifarTooManyRecords {
                file: name.to_string(),
                records,
            });
        }
        n += records;
    }
    let mut x = Array2::<f32>::zeros((n, PIXELS * 3));
    let mut y = Vec::with_capacity(n);
    let records = files
        .iter()
        .flat_map(|(_, bytes)| bytes.chunks_exact(RECORD_BYTES));
    for ((i, record), mut row) in records.enumerate().zip(x.rows_mut()) {
        let label = usize::from(record[0]);
        if label >= CLASS_NAMES.len() {
            return Err(DataError::LabelOutOfRange {
                index: i,
                label,
                nb_classes: CLASS_NAMES.len(),
            });
        }
        y.push(label);
        // Planes (C, H, W) to the crate's (H, W, C).
        let planes = &record[1..];
        for p in 0..PIXELS {
            for c in 0..3 {
                row[p * 3 + c] = f32::from(planes[c * PIXELS + p]) / 255.0;
            }
        }
    }
    Ok((x, y))
}

/// The dataset from `cifar-10-binary.tar.gz` (or the same archive not gzipped). The batch files
/// may sit at any depth in the archive (the official one has them in `cifar-10-batches-bin/`).
pub fn cifar10_from_archive(bytes: &[u8]) -> Result<Dataset, DataError> {
    let tar = super::idx::gunzip_capped(bytes, MAX_CIFAR_UNPACKED_BYTES as usize)?;
    let mut archive = tar::Archive::new(tar.as_ref());
    let mut found: Vec<(String, Vec<u8>)> = Vec::new();
    let entries = archive
        .entries()
        .map_err(|e| DataError::BadArchive(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| DataError::BadArchive(e.to_string()))?;
        let path = entry
            .path()
            .map_err(|e| DataError::BadArchive(e.to_string()))?
            .into_owned();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let wanted = TRAIN_FILES.contains(&name) || name == TEST_FILE || name == META_FILE;
        if wanted && !found.iter().any(|(n, _)| n == name) {
            let name = name.to_string();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut data)
                .map_err(|e| DataError::BadArchive(e.to_string()))?;
            found.push((name, data));
        }
    }
    let get = |file: &str| {
        found
            .iter()
            .find(|(n, _)| n == file)
            .map(|(_, d)| d.as_slice())
    };
    let missing = |file: &str| DataError::CifarMissing {
        file: file.to_string(),
        looked_in: "the archive".into(),
    };
    let train = TRAIN_FILES
        .iter()
        .map(|f| get(f).ok_or_else(|| missing(f)))
        .collect::<Result<Vec<_>, _>>()?;
    let test = get(TEST_FILE).ok_or_else(|| missing(TEST_FILE))?;
    let meta = get(META_FILE).map(String::from_utf8_lossy);
    cifar10_from_batches(&train, test, meta.as_deref())
}

/// The dataset from a path: the archive (`.tar.gz` or `.tar`), or a folder holding the batch
/// files directly or in a `cifar-10-batches-bin/` sub-folder.
#[cfg(not(target_arch = "wasm32"))]
pub fn cifar10_from_path(path: &std::path::Path) -> Result<Dataset, DataError> {
    let read =
        |p: &std::path::Path| super::files::read_file(p, crate::limits::MAX_CIFAR_FILE_BYTES);
    if !path.is_dir() {
        return cifar10_from_archive(&read(path)?);
    }
    let inner = path.join("cifar-10-batches-bin");
    let dir = if inner.is_dir() {
        inner
    } else {
        path.to_path_buf()
    };
    let load = |file: &str| {
        let p = dir.join(file);
        if !p.exists() {
            return Err(DataError::CifarMissing {
                file: file.to_string(),
                looked_in: dir.display().to_string(),
            });
        }
        read(&p)
    };
    let train = TRAIN_FILES
        .iter()
        .map(|f| load(f))
        .collect::<Result<Vec<_>, _>>()?;
    let test = load(TEST_FILE)?;
    let meta = match dir.join(META_FILE).exists() {
        true => Some(String::from_utf8_lossy(&load(META_FILE)?).into_owned()),
        false => None,
    };
    let views: Vec<&[u8]> = train.iter().map(Vec::as_slice).collect();
    cifar10_from_batches(&views, &test, meta.as_deref())
}

pub mod synthetic;
#[cfg(test)]
mod tests;
