//! Loading the vendored datasets from disk (native builds only).
//!
//! Main functions: [`load_dataset`] (by name, from a `datasets/` folder) and [`datasets_dir`]
//! (where that folder is). The file list and the decoding live in `sources.rs`, shared with the
//! browser worker, which fetches the same files.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::{dataset_files, decode_files, DataError, Dataset, DATASET_NAMES};

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
    let names = dataset_files(name).ok_or_else(|| DataError::UnknownDataset {
        name: name.to_string(),
        valid: DATASET_NAMES.join(", "),
    })?;
    let files = names
        .iter()
        .map(|f| read(&root.join(f)))
        .collect::<Result<Vec<_>, _>>()?;
    let views: Vec<&[u8]> = files.iter().map(Vec::as_slice).collect();
    decode_files(name, &views)
}

/// Reads a dataset file through the same capped reader as every other input (a FIFO or a huge
/// file in `ADVLAB_DATASETS` is refused, not waited on or read whole).
fn read(path: &Path) -> Result<Vec<u8>, DataError> {
    read_file(path, crate::limits::MAX_DATASET_FILE_BYTES)
}

/// Reads a data file of at most `limit` bytes with [`crate::limits::read_capped`]; a failure is
/// a [`DataError::Io`] naming the path.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, DataError> {
    crate::limits::read_capped(path, limit).map_err(|reason| DataError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(reason),
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
        for name in DATASET_NAMES {
            for f in dataset_files(name).unwrap() {
                assert!(dir.join(f).is_file(), "{f}");
            }
        }
    }
}
