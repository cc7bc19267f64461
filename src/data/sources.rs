//! Which files make up each vendored dataset, and how their bytes become a [`Dataset`]: the one
//! list and the one decoder behind both the native loader (`files.rs`, reading `datasets/`) and
//! the browser worker (which fetches the same files and hands over their bytes).
//!
//! Main items: [`DATASET_NAMES`], [`dataset_files`], [`decode_files`].

use super::iris::iris_from_csv;
use super::mnist::mnist_from_bytes;
use super::{DataError, Dataset};

/// The datasets advlab knows.
pub const DATASET_NAMES: [&str; 3] = ["iris", "mnist", "fashion-mnist"];

/// The files of each dataset, relative to the `datasets/` folder, in decoding order (MNIST-format
/// datasets: train images, train labels, test images, test labels).
pub fn dataset_files(name: &str) -> Option<&'static [&'static str]> {
    const IRIS: &[&str] = &["iris/iris.csv"];
    const MNIST: &[&str] = &[
        "mnist/train-images-idx3-ubyte.gz",
        "mnist/train-labels-idx1-ubyte.gz",
        "mnist/t10k-images-idx3-ubyte.gz",
        "mnist/t10k-labels-idx1-ubyte.gz",
    ];
    const FASHION: &[&str] = &[
        "fashion-mnist/train-images-idx3-ubyte.gz",
        "fashion-mnist/train-labels-idx1-ubyte.gz",
        "fashion-mnist/t10k-images-idx3-ubyte.gz",
        "fashion-mnist/t10k-labels-idx1-ubyte.gz",
    ];
    match name {
        "iris" => Some(IRIS),
        "mnist" => Some(MNIST),
        "fashion-mnist" => Some(FASHION),
        _ => None,
    }
}

/// Decodes dataset `name` from the bytes of its [`dataset_files`], in that order.
pub fn decode_files(name: &str, files: &[&[u8]]) -> Result<Dataset, DataError> {
    let expected = dataset_files(name).ok_or_else(|| DataError::UnknownDataset {
        name: name.to_string(),
        valid: DATASET_NAMES.join(", "),
    })?;
    if files.len() != expected.len() {
        return Err(DataError::FileCount {
            name: name.to_string(),
            expected: expected.join(", "),
            actual: files.len(),
        });
    }
    match files {
        [csv] => {
            let text = std::str::from_utf8(csv).map_err(|e| DataError::Csv {
                line: 0,
                reason: crate::lang::text!("not UTF-8 text: {e}", "UTF-8 텍스트가 아닙니다: {e}"),
            })?;
            iris_from_csv(text)
        }
        [a, b, c, d] => mnist_from_bytes(name, a, b, c, d),
        _ => unreachable!("every dataset has one or four files"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_has_files_and_bad_inputs_are_named() {
        for name in DATASET_NAMES {
            assert!(dataset_files(name).is_some(), "{name}");
        }
        let err = decode_files("cifar10", &[]).unwrap_err().to_string();
        assert!(
            err.contains("cifar10") && err.contains("fashion-mnist"),
            "{err}"
        );
        let err = decode_files("mnist", &[b"x"]).unwrap_err().to_string();
        assert!(err.contains("4 files") && err.contains("got 1"), "{err}");
        let err = decode_files("iris", &[&[0xff, 0xfe]])
            .unwrap_err()
            .to_string();
        assert!(err.contains("UTF-8"), "{err}");
    }
}
