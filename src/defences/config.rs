//! The defences the CLI and the page offer, as one serde enum, with data-range defaults and their
//! parameters described once (kind, range, English and Korean help).
//!
//! Main types: [`DefenceConfig`] (JSON: `{"method": "madry-pgd", "eps": 0.3}`; missing fields take
//! the defaults below), [`AdvTrainerParams`], [`MadryPgdParams`], [`FastFgsmParams`].
//!
//! Defaults are in the units of the data, for inputs in `[0, 1]` (MNIST, IRIS as ART loads it).
//! ART's `AdversarialTrainerMadryPGD` defaults (`eps=8, eps_step=2, max_iter=7`) are for CIFAR-10
//! pixels in 0-255 and would erase a `[0, 1]` image, so advlab uses Madry et al.'s MNIST setting:
//! `eps=0.3, eps_step=0.01, max_iter=40`. [`MadryPgdParams::quick`] is the cheaper setting the
//! browser offers first: ART's 7 iterations with ART's step-to-eps ratio (`eps_step = eps / 4`).

use serde::Serialize;

use super::adversarial_trainer::AdversarialTrainer;
use super::error::DefenceError;
use crate::attacks::{AttackConfig, FgsmParams, Norm, PgdParams};
use crate::described;
use crate::limits::{MAX_ITER, MAX_MAGNITUDE, MAX_RANDOM_INITS, MAX_TRAINER_ATTACKS};
use crate::params::{CrossCheck, Described, Kind, ParamError, ParamSpec, ParamValue, Raw};

const EPS: Kind = Kind::float(0.0, MAX_MAGNITUDE).slider(0.0, 1.0, 0.01);

described! {
    /// ART's `AdversarialTrainer(classifier, attacks, ratio)`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct AdvTrainerParams in "adv-trainer" {
        attacks: Vec<AttackConfig> = vec![AttackConfig::Fgsm(FgsmParams {
                eps: 0.2,
                ..FgsmParams::default()
            })],
            Kind::Attacks { max_len: MAX_TRAINER_ATTACKS },
            "The attacks crafting the adversarial samples, used in turn batch by batch (ART: attacks); the default is FGSM with eps 0.2, the report's defence.",
            "적대적 샘플을 만드는 공격들로, 배치마다 차례로 씁니다(ART: attacks). 기본값은 보고서의 방어인 eps 0.2의 FGSM입니다.";
        ratio: f32 = 0.5, Kind::positive(1.0).slider(0.0, 1.0, 0.05),
            "Fraction of each batch replaced by adversarial samples, in (0, 1].",
            "각 배치에서 적대적 샘플로 바꾸는 비율, (0, 1] 범위.";
    }
}

impl CrossCheck for AdvTrainerParams {
    /// ART refuses targeted attacks in adversarial training; JSMA (always targeted) is allowed
    /// with random targets, see [`AdversarialTrainer`].
    fn cross_check(&self) -> Result<(), ParamError> {
        match self
            .attacks
            .iter()
            .find(|a| a.is_targeted() && !matches!(a, AttackConfig::Jsma(_)))
        {
            Some(a) => Err(ParamError::invalid(
                "targeted",
                "true",
                crate::lang::text!(
                    "adversarial training with the targeted attack {} is not supported (ART refuses it too); set targeted to false",
                    "적대적 학습에는 표적 공격을 쓸 수 없습니다: {} (ART도 거부합니다). targeted를 false로 두세요";
                    a.name()
                ),
            )),
            None => Ok(()),
        }
    }
}

described! {
    /// ART's `AdversarialTrainerMadryPGD`: PGD adversarial training with ratio 1.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct MadryPgdParams in "madry-pgd" {
        eps: f32 = 0.3, EPS,
            "Radius of the L-inf ball.",
            "L-inf 공의 반지름.";
        eps_step: f32 = 0.01, Kind::positive(MAX_MAGNITUDE).slider(0.0, 0.5, 0.005),
            "PGD step size.",
            "PGD 걸음 크기.";
        max_iter: usize = 40, Kind::int(1, MAX_ITER),
            "PGD iterations per batch.",
            "배치마다 PGD를 반복하는 횟수.";
        num_random_init: usize = 1, Kind::int(0, MAX_RANDOM_INITS),
            "Random starts inside the ball (ART: 1).",
            "공 안의 무작위 시작점 수(ART: 1).";
    }
}

impl CrossCheck for MadryPgdParams {}

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

described! {
    /// Fast adversarial training (Wong, Rice and Kolter 2020, "Fast is better than free").
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct FastFgsmParams in "fast-fgsm" {
        eps: f32 = 0.3, EPS,
            "Radius of the L-inf ball.",
            "L-inf 공의 반지름.";
        alpha: Option<f32> = None, Kind::positive(MAX_MAGNITUDE).slider(0.0, 1.0, 0.01),
            "FGSM step from the random start; null means the paper's 1.25 eps.",
            "무작위 시작점에서 내딛는 FGSM 걸음 크기. 비워 두면 논문의 1.25 eps.";
    }
}

impl CrossCheck for FastFgsmParams {}

/// A defence: how the "defended" model is trained.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The methods, by their names in the serde tag.
    pub const NAMES: [&'static str; 3] = ["adv-trainer", "madry-pgd", "fast-fgsm"];

    /// The method's name, as in the serde tag.
    pub fn name(&self) -> &'static str {
        match self {
            DefenceConfig::AdvTrainer(_) => "adv-trainer",
            DefenceConfig::MadryPgd(_) => "madry-pgd",
            DefenceConfig::FastFgsm(_) => "fast-fgsm",
        }
    }

    /// The parameters of the method called `name`, described (None for an unknown name).
    pub fn specs_of(name: &str) -> Option<Vec<ParamSpec>> {
        Some(match name {
            "adv-trainer" => AdvTrainerParams::specs(),
            "madry-pgd" => MadryPgdParams::specs(),
            "fast-fgsm" => FastFgsmParams::specs(),
            _ => return None,
        })
    }

    /// The method `name` from `(parameter, value)` pairs, checked.
    pub fn from_fields(name: &str, fields: &[(String, Raw)]) -> Result<DefenceConfig, ParamError> {
        Ok(match name {
            "adv-trainer" => DefenceConfig::AdvTrainer(AdvTrainerParams::from_fields(fields)?),
            "madry-pgd" => DefenceConfig::MadryPgd(MadryPgdParams::from_fields(fields)?),
            "fast-fgsm" => DefenceConfig::FastFgsm(FastFgsmParams::from_fields(fields)?),
            other => return Err(unknown_method(&Raw::Str(other.to_string()))),
        })
    }

    /// The defence from a raw object `{"method": name, ...parameters}`, checked.
    pub fn from_raw(raw: &Raw) -> Result<DefenceConfig, ParamError> {
        let (name, rest) = raw.tagged("method", "defence", &Self::NAMES, unknown_method)?;
        Self::from_fields(name, &rest)
    }

    /// Checks the parameters.
    pub fn check(&self) -> Result<(), ParamError> {
        match self {
            DefenceConfig::AdvTrainer(p) => p.check(),
            DefenceConfig::MadryPgd(p) => p.check(),
            DefenceConfig::FastFgsm(p) => p.check(),
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

    /// Checks the parameters once and builds the batch transform.
    pub fn trainer(&self) -> Result<AdversarialTrainer, DefenceError> {
        self.check()?;
        let (attacks, ratio) = self.attacks_and_ratio();
        AdversarialTrainer::new(attacks, ratio)
    }
}

fn unknown_method(value: &Raw) -> ParamError {
    ParamError::invalid(
        "method",
        value.show(),
        crate::params::one_of(&DefenceConfig::NAMES),
    )
}

impl<'de> serde::Deserialize<'de> for DefenceConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Raw::deserialize(d)?;
        DefenceConfig::from_raw(&raw).map_err(crate::params::decode::fail::<D::Error>)
    }
}

/// A defence as a parameter of the training settings.
impl ParamValue for DefenceConfig {
    fn from_raw(raw: &Raw, _: &ParamSpec) -> Result<DefenceConfig, ParamError> {
        DefenceConfig::from_raw(raw)
    }

    fn check(&self, _: &ParamSpec) -> Result<(), ParamError> {
        DefenceConfig::check(self)
    }
}
