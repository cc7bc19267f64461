//! `--dataset` and `--data`: the dataset a command trains on, evaluates or attacks. The vendored
//! ones (iris, mnist, fashion-mnist) need only their name. The others are read from `--data`:
//! CIFAR-10, which no registry ships, from the file its authors distribute
//! (`--dataset cifar10 --data cifar-10-binary.tar.gz`) or the folder of its batch files; images
//! of your own from a folder (or `.zip`) of class sub-folders (`--dataset images`), resized to
//! `--image-size`; arrays of your own from a pair of `.npy` files (`--dataset npy --data x.npy,y.npy`).
//! Images and arrays are split into train and test sets per class: a fifth for testing, seed 0.

use std::path::PathBuf;

use clap::Args;

use advlab::data::files::read_file;
use advlab::data::images::{self, ImageSize, Split};
use advlab::data::{cifar, DataError, Dataset, DATASET_NAMES};
use advlab::limits::MAX_IMAGES_FILE_BYTES;

use super::common::{CliError, Context};

/// The datasets read from `--data`.
pub const FROM_DATA: [&str; 3] = ["cifar10", "images", "npy"];

/// The dataset options of every command that takes a dataset.
#[derive(Debug, Clone, Args)]
pub struct DatasetArgs {
    /// iris, mnist or fashion-mnist (vendored), or cifar10, images or npy with --data.
    #[arg(long = "dataset", id = "dataset", value_name = "DATASET")]
    pub name: String,
    /// Where a dataset that is not vendored is. cifar10: cifar-10-binary.tar.gz as its authors
    /// distribute it, or the folder of its batch files. images: a folder or .zip of class
    /// sub-folders of PNG or JPEG files. npy: two files, X.npy,Y.npy (images N×H×W×C, labels N).
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,
    /// images: the size the images are resized to, grey28 (28×28 grey, as MNIST) or colour32
    /// (32×32 colour, as CIFAR-10, the default).
    #[arg(long, value_name = "SIZE", value_parser = clap::builder::PossibleValuesParser::new(ImageSize::ALL.map(ImageSize::name)))]
    pub image_size: Option<String>,
}

impl DatasetArgs {
    /// Loads the dataset, keeping at most `train_limit` / `test_limit` samples (already checked
    /// against their ranges by the options).
    pub fn load(
        &self,
        train_limit: Option<usize>,
        test_limit: Option<usize>,
    ) -> Result<Dataset, CliError> {
        let name = self.name.as_str();
        if self.image_size.is_some() && name != "images" {
            return Err(CliError(format!(
                "--image-size applies to --dataset images only, not {name}"
            )));
        }
        let ds = match (FROM_DATA.contains(&name), &self.data) {
            (true, Some(path)) => self
                .read(path)
                .context(format_args!("loading --data {}", path.display()))?,
            (true, None) => return Err(CliError(needs_data(name))),
            (false, Some(_)) if DATASET_NAMES.contains(&name) => {
                return Err(CliError(format!(
                    "--data does not apply to {name}, which comes with advlab"
                )))
            }
            (false, _) => return super::common::load_dataset(name, train_limit, test_limit),
        };
        Ok(ds.limited(train_limit, test_limit))
    }
}

impl DatasetArgs {
    /// Reads `--data` for a dataset of [`FROM_DATA`].
    fn read(&self, path: &std::path::Path) -> Result<Dataset, DataError> {
        let size = (self.image_size.as_deref())
            .and_then(ImageSize::from_name)
            .unwrap_or(ImageSize::Colour32);
        let split = Split::default();
        let read = |p: &std::path::Path| read_file(p, MAX_IMAGES_FILE_BYTES);
        match self.name.as_str() {
            "cifar10" => cifar::cifar10_from_path(path),
            "images" if path.is_dir() => Ok(images::images_from_dir(path, size, split, "images")?),
            "images" => Ok(images::images_from_zip(
                &read(path)?,
                size,
                split,
                "images",
            )?),
            _ => {
                let text = path.to_string_lossy();
                let Some((x, y)) = text.split_once(',') else {
                    return Err(DataError::FileCount {
                        name: "npy".into(),
                        expected: "X.npy, Y.npy".into(),
                        actual: 1,
                    });
                };
                let (x, y) = (read(x.as_ref())?, read(y.as_ref())?);
                Ok(images::dataset_from_npy(&x, &y, split, "npy")?)
            }
        }
    }
}

/// What `--dataset name` needs `--data` to be.
fn needs_data(name: &str) -> String {
    let what = match name {
        "cifar10" => "cifar-10-binary.tar.gz from CIFAR-10's authors \
                      (https://www.cs.toronto.edu/~kriz/cifar.html), or the folder of its batch files",
        "images" => "a folder or .zip with one sub-folder of PNG or JPEG images per class",
        _ => "two .npy files, X.npy,Y.npy (images N×H×W×C, labels N)",
    };
    format!("--dataset {name} needs --data PATH: {what}")
}
