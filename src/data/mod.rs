//! Datasets: the vendored IRIS, MNIST and Fashion-MNIST files and their loaders.
//!
//! Main types: [`Dataset`] (train and test splits as flattened `(N, D)` arrays in the model's
//! input range, with integer labels) and [`DataError`].

use ndarray::Array2;

/// A labelled dataset with a train and a test split.
///
/// Samples are flattened row-major over their `input_shape` (NHWC for images), features already
/// scaled to `clip_values`.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Short name: `iris`, `mnist`, `fashion-mnist`.
    pub name: String,
    /// Shape of one sample, e.g. `[4]` or `[28, 28, 1]`.
    pub input_shape: Vec<usize>,
    /// Human-readable class names, one per class.
    pub class_names: Vec<String>,
    /// Valid feature range `(min, max)`.
    pub clip_values: (f32, f32),
    /// Training samples `(N_train, D)`.
    pub x_train: Array2<f32>,
    /// Training labels, `len == N_train`.
    pub y_train: Vec<usize>,
    /// Test samples `(N_test, D)`.
    pub x_test: Array2<f32>,
    /// Test labels, `len == N_test`.
    pub y_test: Vec<usize>,
}

/// Why a dataset could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// Placeholder until the loaders land.
    #[error("{0}")]
    Invalid(String),
}
