//! advlab: an adversarial machine-learning lab whose numerical core is plain Rust.
//!
//! The crate is split so that a newcomer can read the architecture off the folder tree:
//!
//! - [`data`]: the vendored datasets (IRIS, MNIST, Fashion-MNIST) and their loaders ([`data::Dataset`]).
//! - [`nn`]: layers with forward and backward side by side, losses, initialisers, optimisers, the
//!   [`nn::Model`] (a Keras-like sequential network), presets and the `.safetensors` model files.
//! - [`params`]: parameters described once (kind, range, default, English and Korean help), the
//!   one decoder and checker behind the CLI, the worker and JSON; [`limits`]: every size and count
//!   bound in one place, and the capped reader of input files; `output` (native only): atomic
//!   writes of every output file.
//! - [`classifier`]: the [`classifier::Classifier`] trait, modelled on ART's estimator API; every attack
//!   and defence is written once against it.
//! - [`evaluation`]: clean test accuracy and loss, shared by the CLI and the worker.
//! - [`train`]: the seeded training loop with one progress callback and a cancellation flag.
//! - [`attacks`]: FGSM, PGD, JSMA, DeepFool and NewtonFool with ART's parameter names, plus metrics.
//! - [`defences`]: adversarial training (ART's AdversarialTrainer, Madry PGD, fast FGSM) and sweeps.
//! - [`scenarios`]: the report's four experiments as data (its recipes, figures, attacks,
//!   defences), the shipped reference models made with those recipes, and the one-click versions
//!   the page opens on them.
//! - [`experiments`] (native only): the report's experiments, end to end (`advlab reproduce`).
//! - [`charts`]: bar, line and decision-map charts drawn by plotters on any backend (canvas on the
//!   page's main thread, SVG in native tests), described by one serde enum [`charts::Chart`].
//! - [`lang`]: the page's two languages: every message Rust writes for the page (errors, warnings,
//!   chart legends) in English and Korean ([`lang::Bilingual`], [`lang::Text`]).
//! - [`catalog`]: every attack, defence, training and sweep parameter with its range, default,
//!   help (English and Korean) and the lab's per-dataset starting values, for the page's forms.
//! - [`protocol`]: the worker protocol, one serde enum per direction (pure Rust, tested natively).
//! - [`session`]: the worker's state (datasets, the two model slots) and the resumable jobs that
//!   answer the protocol, in plain Rust.
//! - `wasm` (only on `wasm32`): the thin shell that exposes the worker and the chart entry points to JS;
//!   the only module that imports wasm-bindgen, web-sys, js-sys or serde-wasm-bindgen.
//!
//! The native CLI lives in `src/main.rs` and `src/cli/`.

pub mod attacks;
pub mod catalog;
pub mod charts;
pub mod classifier;
pub mod data;
pub mod defences;
pub mod evaluation;
#[cfg(not(target_arch = "wasm32"))]
pub mod experiments;
pub mod lang;
pub mod limits;
pub mod nn;
#[cfg(not(target_arch = "wasm32"))]
pub mod output;
pub mod params;
pub mod protocol;
pub mod scenarios;
pub mod session;
pub mod train;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The crate's version, reported by the worker's `Ready` event.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
