//! Evasion attacks with ART 1.20's parameter names, defaults and semantics, one per file, and their
//! metrics. Every attack is written once against `&mut dyn Classifier` and runs vectorised over
//! the batch, calling the classifier `batch_size` samples at a time.
//!
//! Main types: [`AttackConfig`] (the entry point, [`AttackConfig::generate`]), the parameter structs
//! ([`FgsmParams`], [`PgdParams`], [`JsmaParams`], [`DeepFoolParams`], [`NewtonFoolParams`]),
//! [`Norm`], [`AttackOutput`], [`AttackError`], [`AttackMetrics`] with [`attack_metrics`].
//!
//! Files: `fgsm.rs`, `pgd.rs`, `jsma.rs`, `deepfool.rs`, `newtonfool.rs` (the algorithms),
//! `params.rs`, `config.rs`, `norm.rs`, `error.rs`, `metrics.rs`, `batch.rs` (chunked classifier
//! calls and input checks) and `testing.rs` (linear classifiers with closed-form gradients, used by
//! the unit tests and by `tests/attacks_golden.rs`, which compares against ART's own outputs).
//!
//! Where we knowingly differ from ART 1.20.1 (everything else follows its source):
//! - JSMA without targets draws a random wrong class per sample (ART: one per predicted class),
//!   and a feature `theta` cannot move in f32 leaves the search space (ART would loop forever).
//! - FGSM `minimal` refuses more than 100 000 eps steps.
//! - Random starts use our seeded ChaCha8 stream (same distributions as ART's `random_sphere`,
//!   the L2 radius drawn as `eps * u^(1/d)`), so they are not bit-comparable with numpy's.
//! - We compute in f32; ART wraps scikit-learn models in f64.

pub mod batch;
pub mod config;
pub mod deepfool;
pub mod error;
pub mod fgsm;
pub mod jsma;
pub mod metrics;
pub mod newtonfool;
pub mod norm;
pub mod params;
pub mod pgd;
pub mod testing;

#[cfg(test)]
mod tests;

pub use config::{AttackConfig, AttackOutput};
pub use error::AttackError;
pub use metrics::{attack_metrics, AttackMetrics};
pub use norm::Norm;
pub use params::{DeepFoolParams, FgsmParams, JsmaParams, NewtonFoolParams, PgdParams};
