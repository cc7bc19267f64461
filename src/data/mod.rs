//! Datasets: the vendored IRIS, MNIST and Fashion-MNIST files and their loaders.
//!
//! Main types: [`Dataset`] (train and test splits as flattened `(N, D)` arrays in the model's
//! input range, with integer labels) and [`DataError`].
//!
//! Every loader works from bytes or text so the browser can feed it `fetch`ed files:
//! [`idx`] decodes (optionally gzipped) IDX files, [`mnist::mnist_from_bytes`] builds MNIST and
//! Fashion-MNIST, [`iris::iris_from_csv`] builds IRIS with ART's split, and
//! [`digitize::mnist_preprocess`] turns a hand-drawn canvas into an MNIST-like sample. The native
//! build adds [`files::load_dataset`], which reads the vendored `datasets/` folder, and [`npy`],
//! which reads `.npy` arrays with their declared sizes checked before allocating.

pub mod cifar;
pub mod digitize;
mod error;
#[cfg(not(target_arch = "wasm32"))]
pub mod files;
pub mod idx;
pub mod images;
pub mod iris;
pub mod mnist;
#[cfg(not(target_arch = "wasm32"))]
pub mod npy;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod real_data_tests;
pub mod sources;

pub use error::DataError;
pub use sources::{dataset_files, decode_files, DATASET_NAMES};

use ndarray::{s, Array2};

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

/// Per-class sample counts of both splits, as returned by [`Dataset::label_histogram`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelHistogram {
    /// `train[c]` = number of training samples labelled `c`.
    pub train: Vec<usize>,
    /// `test[c]` = number of test samples labelled `c`.
    pub test: Vec<usize>,
}

impl Dataset {
    /// Number of classes (`class_names.len()`).
    pub fn nb_classes(&self) -> usize {
        self.class_names.len()
    }

    /// Number of features per sample (the product of `input_shape`).
    pub fn n_features(&self) -> usize {
        self.input_shape.iter().product()
    }

    /// The first `n_train` training and first `n_test` test samples (clamped to what exists).
    ///
    /// Deterministic: no shuffling, so tests and experiments see the same rows every time.
    pub fn subset(&self, n_train: usize, n_test: usize) -> Dataset {
        let n_train = n_train.min(self.y_train.len());
        let n_test = n_test.min(self.y_test.len());
        Dataset {
            name: self.name.clone(),
            input_shape: self.input_shape.clone(),
            class_names: self.class_names.clone(),
            clip_values: self.clip_values,
            x_train: self.x_train.slice(s![..n_train, ..]).to_owned(),
            y_train: self.y_train[..n_train].to_vec(),
            x_test: self.x_test.slice(s![..n_test, ..]).to_owned(),
            y_test: self.y_test[..n_test].to_vec(),
        }
    }

    /// The dataset with at most `train_limit` training and `test_limit` test samples (the first
    /// ones, as [`Dataset::subset`]); itself, not a copy, when nothing is cut.
    pub fn limited(self, train_limit: Option<usize>, test_limit: Option<usize>) -> Dataset {
        let n_train = train_limit.unwrap_or(usize::MAX);
        let n_test = test_limit.unwrap_or(usize::MAX);
        if n_train >= self.y_train.len() && n_test >= self.y_test.len() {
            return self;
        }
        self.subset(n_train, n_test)
    }

    /// How many samples of each class the train and test splits hold.
    ///
    /// Labels outside `0..nb_classes` (which the loaders never produce) are not counted.
    pub fn label_histogram(&self) -> LabelHistogram {
        LabelHistogram {
            train: count_labels(&self.y_train, self.nb_classes()),
            test: count_labels(&self.y_test, self.nb_classes()),
        }
    }
}

/// `counts[c]` = how many entries of `labels` equal `c`, for `c < nb_classes`.
pub fn count_labels(labels: &[usize], nb_classes: usize) -> Vec<usize> {
    let mut counts = vec![0; nb_classes];
    for &label in labels {
        if let Some(slot) = counts.get_mut(label) {
            *slot += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn toy() -> Dataset {
        Dataset {
            name: "toy".into(),
            input_shape: vec![2],
            class_names: vec!["a".into(), "b".into(), "c".into()],
            clip_values: (0.0, 1.0),
            x_train: Array2::from_shape_fn((5, 2), |(i, j)| (i * 2 + j) as f32),
            y_train: vec![0, 1, 1, 2, 1],
            x_test: Array2::from_shape_fn((3, 2), |(i, j)| (10 + i * 2 + j) as f32),
            y_test: vec![2, 2, 0],
        }
    }

    #[test]
    fn subset_takes_the_first_rows_and_clamps() {
        let d = toy();
        let s = d.subset(2, 10);
        assert_eq!(s.x_train.dim(), (2, 2));
        assert_eq!(s.x_train[[1, 1]], 3.0);
        assert_eq!(s.y_train, vec![0, 1]);
        assert_eq!(s.x_test.dim(), (3, 2));
        assert_eq!(s.y_test, d.y_test);
        assert_eq!(s.class_names, d.class_names);
        assert_eq!(d.subset(0, 0).x_train.dim(), (0, 2));
        assert_eq!(d.clone().limited(None, Some(3)).x_train, d.x_train);
        assert_eq!(d.clone().limited(Some(2), None).y_train, vec![0, 1]);
        assert_eq!(d.clone().limited(None, Some(1)).y_test, vec![2]);
    }

    #[test]
    fn histogram_counts_each_split() {
        let h = toy().label_histogram();
        assert_eq!(h.train, vec![1, 3, 1]);
        assert_eq!(h.test, vec![1, 0, 2]);
        assert_eq!(count_labels(&[0, 7, 1], 2), vec![1, 1]);
    }

    #[test]
    fn sizes_follow_the_shape_and_names() {
        let d = toy();
        assert_eq!(d.nb_classes(), 3);
        assert_eq!(d.n_features(), 2);
    }
}
