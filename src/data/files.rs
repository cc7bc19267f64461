//! Loading the vendored datasets from disk (native builds only).
//!
//! Main functions: [`load_dataset`] (by name, from a `datasets/` folder) and [`datasets_dir`]
//! (where that folder is). The browser fetches the same files and calls the byte-level loaders.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::iris::iris_from_csv;
use super::mnist::mnist_from_bytes;
use super::{DataError, Dataset};

/// Names accepted by [`load_dataset`].
pub const DATASET_NAMES: [&str; 3] = ["iris", "mnist", "fashion-mnist"];

/// The four IDX files of an MNIST-format dataset, in `mnist_from_bytes` argument order.
pub const IDX_FILES: [&str; 4] = [
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
];

/// The `datasets/` folder: `$ADVLAB_DATASETS` if set and non-empty, else the crate's own copy.
pub fn datasets_dir() -> PathBuf {
    datasets_dir_from(std::env::var_os("ADVLAB_DATASETS"))
}

/// [`datasets_dir`] given the value of `ADVLAB_DATASETS` (kept apart so it is testable).
fn datasets_dir_from(env_value: Option<OsString>) -> PathBuf {
    match env_value {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets"),
    }
}

/// Loads `iris`, `mnist` or `fashion-mnist` from `root` (a folder laid out like `datasets/`).
pub fn load_dataset(name: &str, root: &Path) -> Result<Dataset, DataError> {
    match name {
        "iris" => {
            let path = root.join("iris").join("iris.csv");
            let text = std::fs::read_to_string(&path).map_err(|source| DataError::Io {
                path: path.clone(),
                source,
            })?;
            iris_from_csv(&text)
        }
        "mnist" | "fashion-mnist" => {
            let dir = root.join(name);
            let [a, b, c, d] = IDX_FILES.map(|f| read(&dir.join(f)));
            mnist_from_bytes(name, &a?, &b?, &c?, &d?)
        }
        _ => Err(DataError::UnknownDataset {
            name: name.to_string(),
            valid: DATASET_NAMES.join(", "),
        }),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, DataError> {
    std::fs::read(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_name_lists_the_valid_ones() {
        let err = load_dataset("cifar10", &datasets_dir()).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, DataError::UnknownDataset { .. }));
        assert!(
            msg.contains("cifar10") && msg.contains("fashion-mnist"),
            "{msg}"
        );
    }

    #[test]
    fn missing_folder_is_an_io_error_naming_the_path() {
        let root = Path::new("/nonexistent/advlab-datasets");
        let err = load_dataset("mnist", root).unwrap_err();
        assert!(matches!(err, DataError::Io { .. }));
        assert!(
            err.to_string().contains("train-images-idx3-ubyte.gz"),
            "{err}"
        );
        assert!(matches!(
            load_dataset("iris", root),
            Err(DataError::Io { .. })
        ));
    }

    #[test]
    fn env_variable_overrides_the_default_dir() {
        let custom = datasets_dir_from(Some("/srv/advlab-data".into()));
        assert_eq!(custom, PathBuf::from("/srv/advlab-data"));
        assert_eq!(datasets_dir_from(Some("".into())), datasets_dir_from(None));
        assert!(datasets_dir_from(None).ends_with("datasets"));
    }

    #[test]
    fn default_dir_holds_the_vendored_files() {
        let dir = datasets_dir_from(None);
        assert!(dir.join("iris/iris.csv").is_file());
        for f in IDX_FILES {
            assert!(dir.join("mnist").join(f).is_file(), "{f}");
        }
    }
}
