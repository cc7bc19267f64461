//! Post-processors (ART's `art.defences.postprocessor`): applied to a model's probabilities
//! before they are reported. Each keeps ART's name, defaults and semantics, and gives the exact
//! derivative a naive attack follows through it (zero for `Rounded` and `ClassLabels`).
//!
//! Files: `high_confidence.rs`, `gaussian_noise.rs`, `reverse_sigmoid.rs`, `rounded.rs`,
//! `class_labels.rs`. The stack (`super::stack`) chains them.

mod class_labels;
mod gaussian_noise;
mod high_confidence;
mod reverse_sigmoid;
mod rounded;

pub use class_labels::class_labels;
pub use gaussian_noise::GaussianNoiseParams;
pub use high_confidence::HighConfidenceParams;
pub use reverse_sigmoid::ReverseSigmoidParams;
pub use rounded::RoundedParams;
