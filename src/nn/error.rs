//! Errors of the neural-network engine: [`NnError`], wrapping [`SpecError`] and naming the
//! offending tensor, value or shape.

use super::spec::SpecError;

/// Why a model could not be built, loaded, configured or fed.
#[derive(Debug, thiserror::Error)]
pub enum NnError {
    /// The model description is invalid.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// An optimiser hyper-parameter is out of range.
    #[error("optimizer: {0}")]
    Optimizer(String),
    /// A tensor the spec requires is absent.
    #[error("tensor {name} (shape {expected:?}) is missing")]
    MissingTensor {
        /// Tensor name.
        name: String,
        /// Shape the spec requires.
        expected: Vec<usize>,
    },
    /// A tensor the spec does not know about was supplied.
    #[error("unexpected tensor {name} (shape {shape:?}) is not part of the model")]
    UnexpectedTensor {
        /// Tensor name.
        name: String,
        /// Its shape.
        shape: Vec<usize>,
    },
    /// A tensor's shape (or its data length) does not match the spec.
    #[error("tensor {name} has shape {got:?} with {len} values, expected shape {expected:?}")]
    TensorShape {
        /// Tensor name.
        name: String,
        /// Shape the spec requires.
        expected: Vec<usize>,
        /// Shape supplied.
        got: Vec<usize>,
        /// Number of values supplied.
        len: usize,
    },
    /// Gradients from another worker do not have the model's parameter count.
    #[error("gradients: got {got} values for a model with {expected} parameters")]
    GradientLength {
        /// Values supplied.
        got: usize,
        /// Parameters of the model.
        expected: usize,
    },
    /// A tensor holds NaN or infinity.
    #[error("tensor {name} holds a non-finite value {value} at index {index}")]
    NonFinite {
        /// Tensor name.
        name: String,
        /// Flat index of the first bad value.
        index: usize,
        /// The value.
        value: f32,
    },
    /// A batch does not have the model's sample width.
    #[error("input has {got} features per sample, the model expects {expected} (shape {shape:?})")]
    InputWidth {
        /// Features supplied.
        got: usize,
        /// Features expected.
        expected: usize,
        /// The model's input shape.
        shape: Vec<usize>,
    },
    /// A batchnorm moving variance is negative.
    #[error("tensor {name} holds a negative variance {value} at index {index}")]
    NegativeVariance {
        /// Tensor name.
        name: String,
        /// Flat index of the first bad value.
        index: usize,
        /// The value.
        value: f32,
    },
    /// Labels do not match the batch or the classes.
    #[error("labels: {0}")]
    Labels(String),
}
