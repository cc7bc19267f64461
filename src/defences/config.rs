//! The defences the CLI and the page offer, as one serde enum, with data-range defaults.
//!
//! Main types: [`DefenceConfig`] (JSON: `{"method": "madry-pgd", "eps": 0.3}`; missing fields take
//! the defaults below), [`AdvTrainerParams`], [`MadryPgdParams`], [`FastFgsmParams`].
//!
//! Defaults are in the units of the data, for inputs in `[0, 1]` (MNIST, IRIS as ART loads it).
//! ART's `AdversarialTrainerMadryPGD` defaults (`eps=8, eps_step=2, max_iter=7`) are for CIFAR-10
//! pixels in 0-255 and would erase a `[0, 1]` image, so advlab uses Madry et al.'s MNIST setting:
//! `eps=0.3, eps_step=0.01, max_iter=40`. [`MadryPgdParams::quick`] is the cheaper setting the
//! browser offers first: ART's 7 iterations with ART's step-to-eps ratio (`eps_step = eps / 4`).

use serde::{Deserialize, Serialize};

use super::adversarial_trainer::AdversarialTrainer;
use super::error::DefenceError;
use crate::attacks::{AttackConfig, FgsmParams, Norm, PgdParams};

/// ART's `AdversarialTrainer(classifier, attacks, ratio)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdvTrainerParams {
    /// The attacks, rotated batch by batch (ART: `attacks`).
    pub attacks: Vec<AttackConfig>,
    /// Fraction of each batch replaced by adversarial samples (ART: `ratio`, default 0.5).
    pub ratio: f32,
}

impl Default for AdvTrainerParams {
    /// FGSM with eps 0.2 at ratio 0.5: the report's Table 1 defence.
    fn default() -> Self {
        AdvTrainerParams {
            attacks: vec![AttackConfig::Fgsm(FgsmParams {
                eps: 0.2,
                ..FgsmParams::default()
            })],
            ratio: 0.5,
        }
    }
}

/// ART's `AdversarialTrainerMadryPGD`: PGD adversarial training with ratio 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MadryPgdParams {
    /// Radius of the L-inf ball.
    pub eps: f32,
    /// PGD step size.
    pub eps_step: f32,
    /// PGD iterations per batch.
    pub max_iter: usize,
    /// Random starts inside the ball (ART: `num_random_init=True`, i.e. 1).
    pub num_random_init: usize,
}

impl Default for MadryPgdParams {
    fn default() -> Self {
        MadryPgdParams {
            eps: 0.3,
            eps_step: 0.01,
            max_iter: 40,
            num_random_init: 1,
        }
    }
}

impl MadryPgdParams {
    /// The cheaper setting for a browser tab: 7 iterations of `eps / 4` with a random start.
    pub fn quick(eps: f32) -> MadryPgdParams {
        MadryPgdParams {
            eps,
            eps_step: eps / 4.0,
            max_iter: 7,
            num_random_init: 1,
        }
    }
}

/// Fast adversarial training (Wong, Rice and Kolter 2020, "Fast is better than free").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FastFgsmParams {
    /// Radius of the L-inf ball.
    pub eps: f32,
    /// FGSM step from the random start; `None` means the paper's `1.25 * eps`.
    pub alpha: Option<f32>,
}

impl Default for FastFgsmParams {
    fn default() -> Self {
        FastFgsmParams {
            eps: 0.3,
            alpha: None,
        }
    }
}

/// A defence: how the "defended" model is trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum DefenceConfig {
    /// ART's `AdversarialTrainer`.
    AdvTrainer(AdvTrainerParams),
    /// ART's `AdversarialTrainerMadryPGD`.
    MadryPgd(MadryPgdParams),
    /// Fast FGSM training.
    FastFgsm(FastFgsmParams),
}

impl DefenceConfig {
    /// The method's name, as in the serde tag.
    pub fn name(&self) -> &'static str {
        match self {
            DefenceConfig::AdvTrainer(_) => "adv-trainer",
            DefenceConfig::MadryPgd(_) => "madry-pgd",
            DefenceConfig::FastFgsm(_) => "fast-fgsm",
        }
    }

    /// The attacks and ratio the defence trains with (every defence is an adversarial trainer).
    pub fn attacks_and_ratio(&self) -> (Vec<AttackConfig>, f32) {
        match self {
            DefenceConfig::AdvTrainer(p) => (p.attacks.clone(), p.ratio),
            DefenceConfig::MadryPgd(p) => (
                vec![AttackConfig::Pgd(PgdParams {
                    norm: Norm::Inf,
                    eps: p.eps,
                    eps_step: p.eps_step,
                    max_iter: p.max_iter,
                    targeted: false,
                    num_random_init: p.num_random_init,
                    batch_size: 128,
                })],
                1.0,
            ),
            DefenceConfig::FastFgsm(p) => (
                vec![AttackConfig::Pgd(PgdParams {
                    norm: Norm::Inf,
                    eps: p.eps,
                    eps_step: p.alpha.unwrap_or(1.25 * p.eps),
                    max_iter: 1,
                    targeted: false,
                    num_random_init: 1,
                    batch_size: 128,
                })],
                1.0,
            ),
        }
    }

    /// Checks the parameters and builds the batch transform.
    pub fn trainer(&self) -> Result<AdversarialTrainer, DefenceError> {
        if let DefenceConfig::MadryPgd(p) = self {
            if p.max_iter == 0 {
                return Err(DefenceError::invalid(
                    "max_iter",
                    p.max_iter,
                    "must be positive",
                ));
            }
        }
        if let DefenceConfig::FastFgsm(FastFgsmParams { alpha: Some(a), .. }) = self {
            if !a.is_finite() || *a <= 0.0 {
                return Err(DefenceError::invalid(
                    "alpha",
                    a,
                    "must be finite and positive",
                ));
            }
        }
        let (attacks, ratio) = self.attacks_and_ratio();
        AdversarialTrainer::new(attacks, ratio)
    }
}
