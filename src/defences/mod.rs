//! Defences: adversarial training with ART's semantics, and robustness sweeps.
//!
//! Main types:
//! - [`AdversarialTrainer`] (ART's `AdversarialTrainer`): a [`crate::train::BatchTransform`] that
//!   replaces `ceil(ratio * B)` randomly chosen samples of every batch by adversarial ones crafted
//!   on the model being trained, rotating through its attacks batch by batch; crafting advances
//!   one attack iteration at a time, so training can pause inside a batch.
//! - [`DefenceConfig`]: the three defences the CLI and the page offer, all built on
//!   [`AdversarialTrainer`]: `adv-trainer` (any untargeted attacks, a ratio), `madry-pgd`
//!   ([`MadryPgdParams`], ART's `AdversarialTrainerMadryPGD`: PGD with a random start, ratio 1) and
//!   `fast-fgsm` ([`FastFgsmParams`], Wong, Rice and Kolter 2020: a random start in the eps-ball
//!   and one FGSM step of `1.25 * eps`, ratio 1).
//! - [`RobustnessSweep`] and [`sweep`]: accuracy under an attack as one of its parameters varies
//!   (ART's eps or theta sweeps), resumable one attack iteration at a time so the browser can
//!   show progress and honour Cancel.
//! - Pre-processors ([`preprocess`]: FeatureSqueezing, SpatialSmoothing, GaussianAugmentation)
//!   and post-processors ([`postprocess`]: HighConfidence, GaussianNoise, ReverseSigmoid,
//!   Rounded, ClassLabels) with ART's names, defaults and semantics.
//! - [`Stack`] ([`stack`]): pre-processors, the model, post-processors and an optional
//!   [`BinaryInputDetector`] ([`detector`]) as one classifier, with the adaptive views the
//!   attacks take gradients through (naive, BPDA, EOT, detector-aware).
//! - [`DefenceError`].
//!
//! Files: `adversarial_trainer.rs`, `config.rs`, `sweep.rs`, `error.rs`, `tests.rs`, and the
//! folders `preprocess/`, `postprocess/`, `stack/`, `detector/`.

mod adversarial_trainer;
mod config;
pub mod detector;
mod error;
pub mod postprocess;
pub mod preprocess;
pub mod stack;
mod sweep;

#[cfg(test)]
mod tests;

pub use adversarial_trainer::AdversarialTrainer;
pub use config::{AdvTrainerParams, DefenceConfig, FastFgsmParams, MadryPgdParams};
pub use detector::{BinaryInputDetector, DetectorParams, DetectorReport, DetectorTraining};
pub use error::DefenceError;
pub use stack::{Adaptive, AdaptiveSettings, Stack, StackConfig, StackPiece, Stage};
pub use sweep::{numeric_params, set_param, sweep, sweepable_params, RobustnessSweep, SweepPoint};
