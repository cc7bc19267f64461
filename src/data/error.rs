//! [`DataError`]: everything that can go wrong while decoding or loading a dataset.
//!
//! Every variant carries the offending values so a message is actionable on its own.

use std::path::PathBuf;

/// Why a dataset could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// An IDX file starts with the wrong magic number.
    #[error("{what}: bad IDX magic number 0x{found:08x}, expected 0x{expected:08x}")]
    BadMagic {
        what: &'static str,
        expected: u32,
        found: u32,
    },
    /// A file is shorter than its header says.
    #[error("{what}: truncated, expected {expected} bytes but got {actual}")]
    Truncated {
        what: &'static str,
        expected: usize,
        actual: usize,
    },
    /// A file is longer than its header says.
    #[error("{what}: {actual} bytes but the header describes only {expected}")]
    TrailingBytes {
        what: &'static str,
        expected: usize,
        actual: usize,
    },
    /// The data starts like gzip but does not decompress.
    #[error("bad gzip stream: {0}")]
    BadGzip(String),
    /// Decompression would exceed the size cap (protects against gzip bombs).
    #[error("decompressed data exceeds the limit of {limit} bytes")]
    TooLarge { limit: usize },
    /// A label is not a valid class index.
    #[error("label {label} at index {index} is out of range for {nb_classes} classes")]
    LabelOutOfRange {
        index: usize,
        label: usize,
        nb_classes: usize,
    },
    /// Image and label files describe a different number of samples.
    #[error("{split}: {images} images but {labels} labels")]
    CountMismatch {
        split: &'static str,
        images: usize,
        labels: usize,
    },
    /// Images have an unexpected size.
    #[error("{what}: images are {rows}x{cols}, expected {expected_rows}x{expected_cols}")]
    WrongImageSize {
        what: &'static str,
        rows: usize,
        cols: usize,
        expected_rows: usize,
        expected_cols: usize,
    },
    /// A CSV line could not be understood.
    #[error("CSV line {line}: {reason}")]
    Csv { line: usize, reason: String },
    /// The CSV's classes are not laid out as the split requires.
    #[error("class layout: {0}")]
    ClassLayout(String),
    /// A split fraction outside `(0, 1)`.
    #[error("test_set fraction {0} must lie strictly between 0 and 1")]
    BadTestFraction(f64),
    /// A canvas whose buffer does not match its declared size.
    #[error("canvas of {width}x{height} needs {expected} pixels, got {actual}")]
    BadCanvas {
        width: usize,
        height: usize,
        expected: usize,
        actual: usize,
    },
    /// A pixel that is NaN or infinite.
    #[error("pixel {index} is not finite ({value})")]
    NonFinitePixel { index: usize, value: f32 },
    /// A dataset name the loader does not know.
    #[error("unknown dataset {name:?}; valid names are {valid}")]
    UnknownDataset { name: String, valid: String },
    /// The wrong number of files for a dataset.
    #[error("{name} needs {count} files ({expected}), got {actual}", count = expected.split(", ").count())]
    FileCount {
        name: String,
        expected: String,
        actual: usize,
    },
    /// A vendored file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
