//! One serde enum naming an attack and its parameters, and the single entry point that runs it.
//!
//! Main types: [`AttackConfig`] (JSON: `{"attack": "pgd", "eps": 0.1, ...}`, missing fields take
//! ART's defaults) and [`AttackOutput`].

use super::batch::check_inputs;
use super::error::AttackError;
use super::params::{DeepFoolParams, FgsmParams, JsmaParams, NewtonFoolParams, PgdParams};
use super::{deepfool, fgsm, jsma, newtonfool, pgd};
use crate::classifier::Classifier;
use ndarray::{Array2, ArrayView2};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// An attack and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "attack", rename_all = "lowercase")]
pub enum AttackConfig {
    /// Fast gradient method.
    Fgsm(FgsmParams),
    /// Projected gradient descent (BIM without random init).
    Pgd(PgdParams),
    /// Jacobian saliency map attack (always targeted).
    Jsma(JsmaParams),
    /// DeepFool (untargeted).
    Deepfool(DeepFoolParams),
    /// NewtonFool (untargeted).
    Newtonfool(NewtonFoolParams),
}

/// The result of an attack.
#[derive(Debug, Clone, PartialEq)]
pub struct AttackOutput {
    /// Adversarial samples `(N, D)`, within the classifier's clip values.
    pub x_adv: Array2<f32>,
    /// Iterations spent on each sample (FGSM: 1, or the eps steps tried when `minimal`; PGD:
    /// `max_iter * max(1, num_random_init)`; NewtonFool: `max_iter`; JSMA and DeepFool: steps taken
    /// before the sample stopped).
    pub iterations: Vec<usize>,
}

impl AttackConfig {
    /// The attack's short name, as in the serde tag.
    pub fn name(&self) -> &'static str {
        match self {
            AttackConfig::Fgsm(_) => "fgsm",
            AttackConfig::Pgd(_) => "pgd",
            AttackConfig::Jsma(_) => "jsma",
            AttackConfig::Deepfool(_) => "deepfool",
            AttackConfig::Newtonfool(_) => "newtonfool",
        }
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), AttackError> {
        match self {
            AttackConfig::Fgsm(p) => p.validate(),
            AttackConfig::Pgd(p) => p.validate(),
            AttackConfig::Jsma(p) => p.validate(),
            AttackConfig::Deepfool(p) => p.validate(),
            AttackConfig::Newtonfool(p) => p.validate(),
        }
    }

    /// Whether `y` means target classes (FGSM/PGD with `targeted`, and JSMA always).
    pub fn is_targeted(&self) -> bool {
        match self {
            AttackConfig::Fgsm(p) => p.targeted,
            AttackConfig::Pgd(p) => p.targeted,
            AttackConfig::Jsma(_) => true,
            AttackConfig::Deepfool(_) | AttackConfig::Newtonfool(_) => false,
        }
    }

    /// Runs the attack. `y`: true labels (untargeted) or target classes (targeted / JSMA); `None`
    /// means the model's predictions (untargeted), random wrong classes from `rng` (JSMA), or an
    /// error for targeted FGSM/PGD. DeepFool and NewtonFool ignore `y` apart from checking it, as
    /// ART does. `trace`: when `Some`, the attack pushes the whole batch `(N, D)` after every
    /// iteration (FGSM: once). An empty batch returns an empty output.
    pub fn generate(
        &self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        y: Option<&[usize]>,
        rng: &mut ChaCha8Rng,
        trace: Option<&mut Vec<Array2<f32>>>,
    ) -> Result<AttackOutput, AttackError> {
        self.validate()?;
        check_inputs(clf, x, y)?;
        if x.nrows() == 0 {
            return Ok(AttackOutput {
                x_adv: x.to_owned(),
                iterations: Vec::new(),
            });
        }
        match self {
            AttackConfig::Fgsm(p) => fgsm::fgsm(clf, x, y, p, rng, trace),
            AttackConfig::Pgd(p) => pgd::pgd(clf, x, y, p, rng, trace),
            AttackConfig::Jsma(p) => jsma::jsma(clf, x, y, p, rng, trace),
            AttackConfig::Deepfool(p) => deepfool::deepfool(clf, x, p, trace),
            AttackConfig::Newtonfool(p) => newtonfool::newtonfool(clf, x, p, trace),
        }
    }
}
