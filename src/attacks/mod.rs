//! Evasion attacks with ART 1.20's parameter names, defaults and semantics, one per file, and their
//! metrics. Every attack is written once against `&mut dyn Classifier` and runs vectorised over
//! the batch, calling the classifier `batch_size` samples at a time.
//!
//! Main types: [`AttackConfig`] (an attack and its parameters, as JSON and on the command line),
//! [`CheckedAttack`] (what [`AttackConfig::check`] returns; the only way to run an attack),
//! [`AttackRun`] (an attack in progress, advanced one bounded step at a time: see [`run`] for the
//! design), the parameter structs ([`FgsmParams`], [`PgdParams`], [`JsmaParams`],
//! [`DeepFoolParams`], [`NewtonFoolParams`] in `params.rs`; [`CwL2Params`], [`ApgdParams`],
//! [`AutoAttackParams`], [`SquareParams`], [`HopSkipJumpParams`] in `params_robust.rs`; each
//! described once with its ranges and help), [`Norm`], [`AttackOutput`], [`AttackError`],
//! [`AttackMetrics`] with [`attack_metrics`] and [`PerturbationNorms`].
//!
//! Files: `fgsm.rs`, `pgd.rs`, `jsma.rs`, `deepfool.rs`, `newtonfool.rs` (the report's gradient
//! attacks), `cw_l2/`, `apgd/`, `autoattack.rs` (the white-box attacks of a robustness
//! evaluation), `square/` and `hopskipjump/` (black-box attacks that only call `predict` and
//! count their queries), each a resumable run; `run.rs` (the run trait), `params.rs`,
//! `params_robust.rs`, `config.rs` (with `config_param.rs`), `checked.rs`, `norm.rs`, `error.rs`,
//! `metrics.rs`, `batch.rs` (chunked classifier calls and input checks), `test_classifiers/` (linear and MLP classifiers
//! with closed-form gradients, and an oracle that hides gradients, used by the unit tests and by
//! `tests/attacks_golden.rs`, which compares against ART's own outputs) and `tests/`.
//!
//! Where we knowingly differ from ART 1.20.1 (everything else follows its source; each of the
//! five newer attacks lists its own differences in its module documentation):
//! - JSMA without targets draws a random wrong class per sample (ART: one per predicted class),
//!   and a feature `theta` cannot move in f32 leaves the search space (ART would loop forever).
//! - FGSM `minimal` refuses more than 100 000 eps steps, and every count and size has an upper
//!   bound (`crate::limits`).
//! - Inputs must be finite and inside the classifier's clip values (the sample and the feature
//!   are named otherwise); ART accepts them and its attacks then disagree (some clip, some do not).
//! - Random starts use our seeded ChaCha8 stream (same distributions as ART's `random_sphere`,
//!   the L2 radius drawn as `eps * u^(1/d)`), so they are not bit-comparable with numpy's.
//! - We compute in f32; ART wraps scikit-learn models in f64.
//! - Losses built on logits (C&W, APGD's DLR) read the model's real logits
//!   ([`crate::classifier::Classifier::logits`]) even when it ends in softmax.

pub mod apgd;
pub mod autoattack;
pub mod batch;
pub mod checked;
pub mod config;
mod config_param;
pub mod cw_l2;
pub mod deepfool;
pub mod error;
pub mod fgsm;
pub mod hopskipjump;
pub mod jsma;
pub mod metrics;
pub mod newtonfool;
pub mod norm;
pub mod params;
pub mod params_robust;
pub mod pgd;
pub mod run;
pub mod square;
pub mod test_classifiers;

#[cfg(test)]
mod tests;

pub use config::{AttackConfig, AttackOutput, CheckedAttack};
pub use error::AttackError;
pub use metrics::{attack_metrics, metrics_from_predictions, AttackMetrics, PerturbationNorms};
pub use norm::Norm;
pub use params::{DeepFoolParams, FgsmParams, JsmaParams, NewtonFoolParams, PgdParams};
pub use params_robust::{
    ApgdLoss, ApgdParams, AutoAttackParams, CwL2Params, HopSkipJumpParams, SquareParams,
};
pub use run::{AttackRun, RunState, Step};
