//! Neural-network engine: layers with forward and backward side by side, losses, initialisers,
//! optimisers, the sequential model and `.safetensors` model files.
//!
//! Main types: [`ModelSpec`] / [`LayerSpec`] (the JSON model description shared by presets,
//! `--arch` and model files), [`Model`] (the trainable sequential network implementing
//! [`crate::classifier::Classifier`]), [`OptimizerConfig`] and [`NnError`].

pub mod bench;
mod error;
pub mod file;
pub mod layers;
pub mod loss;
mod model;
mod model_build;
mod model_classifier;
pub mod optim;
pub mod param;
pub mod presets;
mod shapes;
pub mod spec;

pub use error::NnError;
pub use layers::set_naive_kernels;
pub use model::Model;
pub use model_classifier::PartGradients;
pub use optim::OptimizerConfig;
pub use shapes::MAX_TENSOR_ELEMENTS;
pub use spec::{Activation, Initializer, LayerSpec, ModelSpec, Padding, Regularizer, SpecError};
