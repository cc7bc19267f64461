//! Pre-processors (ART's `art.defences.preprocessor`): applied to the input before the model.
//! Each keeps ART's name, defaults and semantics, declares whether it is differentiable, and has
//! the exact backward pass a naive attack would take through it beside BPDA's (Athalye,
//! Carlini and Wagner 2018) identity.
//!
//! Files: `feature_squeezing.rs`, `spatial_smoothing.rs`, `gaussian_augmentation.rs`.
//! `TotalVarMin` is not offered: ART solves an L-BFGS problem per sample, too slow for a
//! browser tab. The stack (`super::stack`) chains them.

mod feature_squeezing;
mod gaussian_augmentation;
mod spatial_smoothing;

pub use feature_squeezing::FeatureSqueezingParams;
pub use gaussian_augmentation::GaussianAugmentationParams;
pub use spatial_smoothing::SpatialSmoothingParams;
