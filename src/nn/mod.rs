//! Neural-network engine: layers with forward and backward side by side, losses, initialisers,
//! optimisers, the sequential model and `.safetensors` model files.
//!
//! Main types: [`ModelSpec`] / [`LayerSpec`] (the JSON model description shared by presets,
//! `--arch` and model files).

pub mod file;
pub mod presets;
mod shapes;
pub mod spec;

pub use shapes::MAX_TENSOR_ELEMENTS;
pub use spec::{Activation, Initializer, LayerSpec, ModelSpec, Padding, Regularizer, SpecError};
