//! From a list of entries and a way to read them (a zip archive, a folder) to a [`Dataset`]:
//! find the classes, plan the split, then decode each image straight into its row.

use ndarray::Array2;

use super::decode::decode_into;
use super::layout::{layout, Entry};
use super::split::{check_fraction, plan};
use super::{ImageSize, ImagesError, Split};
use crate::data::Dataset;

/// Where the bytes of entries come from.
pub(crate) trait Source {
    /// The bytes of entry `index`: all of them, or at least `cap + 1` when there are more than
    /// `cap` (so the caller can tell).
    fn read(&mut self, index: usize, cap: u64) -> Result<Vec<u8>, ImagesError>;
}

/// What to build and within which limit.
pub(crate) struct Request<'a> {
    /// The archive or folder, for messages.
    pub origin: &'a str,
    /// The dataset's name.
    pub name: &'a str,
    /// The size images are brought to.
    pub size: ImageSize,
    /// The train/test split.
    pub split: Split,
    /// Most bytes all images may unpack to.
    pub unpack_limit: u64,
}

/// The dataset of the images among `entries`, read from `source`.
pub(crate) fn assemble(
    source: &mut impl Source,
    entries: &[Entry],
    req: &Request<'_>,
) -> Result<Dataset, ImagesError> {
    check_fraction(req.split)?;
    let found = layout(entries)?;
    let declared = found
        .files
        .iter()
        .fold(0u64, |sum, &(i, _)| sum.saturating_add(entries[i].size));
    if declared > req.unpack_limit {
        return Err(ImagesError::UnpackedTooLarge {
            file: req.origin.to_string(),
            size: declared,
            limit: req.unpack_limit,
        });
    }
    let labels: Vec<usize> = found.files.iter().map(|&(_, label)| label).collect();
    let plan = plan(&labels, &found.class_names, req.split)?;
    let d = req.size.n_features();
    let mut x_train = Array2::<f32>::zeros((plan.train.len(), d));
    let mut x_test = Array2::<f32>::zeros((plan.test.len(), d));
    let mut left = req.unpack_limit;
    let destinations = plan.destinations(found.files.len());
    for (&(index, _), &(is_test, row)) in found.files.iter().zip(&destinations) {
        let file = &entries[index].path;
        let bytes = source.read(index, left)?;
        if bytes.len() as u64 > left {
            return Err(ImagesError::UnpackStopped {
                file: file.clone(),
                limit: req.unpack_limit,
            });
        }
        left -= bytes.len() as u64;
        let x = if is_test { &mut x_test } else { &mut x_train };
        let mut out = x.row_mut(row);
        let out = out
            .as_slice_mut()
            .expect("a row of a standard-layout array is contiguous");
        decode_into(&bytes, file, req.size, out)?;
    }
    Ok(Dataset {
        name: req.name.to_string(),
        input_shape: req.size.input_shape().to_vec(),
        class_names: found.class_names,
        clip_values: (0.0, 1.0),
        y_train: plan.train.iter().map(|&i| labels[i]).collect(),
        y_test: plan.test.iter().map(|&i| labels[i]).collect(),
        x_train,
        x_test,
    })
}
