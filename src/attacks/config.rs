//! One serde enum naming an attack and its parameters, and what running one returns.
//!
//! Main types: [`AttackConfig`] (JSON: `{"attack": "pgd", "eps": 0.1, ...}`, missing fields take
//! ART's defaults; [`AttackConfig::check`] gives the [`CheckedAttack`] of `checked.rs`, what
//! every attack requires) and [`AttackOutput`].

use ndarray::{Array2, ArrayView2};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

pub use super::checked::CheckedAttack;
use super::error::AttackError;
use super::params::{DeepFoolParams, FgsmParams, JsmaParams, NewtonFoolParams, PgdParams};
use super::params_robust::{
    ApgdParams, AutoAttackParams, CwL2Params, HopSkipJumpParams, SquareParams,
};
use crate::classifier::Classifier;
use crate::params::{Described, ParamError, ParamSpec, Raw};

/// An attack and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Carlini & Wagner L2.
    #[serde(rename = "cw-l2")]
    CwL2(CwL2Params),
    /// Auto-PGD.
    Apgd(ApgdParams),
    /// AutoAttack (APGD-CE, APGD-DLR, DeepFool, Square; untargeted).
    Autoattack(AutoAttackParams),
    /// Square attack (scores only; untargeted).
    Square(SquareParams),
    /// HopSkipJump (labels only).
    Hopskipjump(HopSkipJumpParams),
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
    /// Model queries per sample, for attacks that count them (black-box attacks); `None` for the
    /// white-box attacks.
    pub queries: Option<Vec<usize>>,
    /// AutoAttack only: per sample, the first attack of the ensemble that fooled the model within
    /// the budget (`apgd-ce`, `apgd-dlr`, `deepfool`, `square`), `misclassified` when the
    /// clean sample was already misclassified, or `None` when the sample stayed robust.
    pub first_success: Option<Vec<Option<&'static str>>>,
}

impl AttackConfig {
    /// The attacks, by their names in the serde tag.
    pub const NAMES: [&'static str; 10] = [
        "fgsm",
        "pgd",
        "jsma",
        "deepfool",
        "newtonfool",
        "cw-l2",
        "apgd",
        "autoattack",
        "square",
        "hopskipjump",
    ];

    /// The black-box attacks: they only call [`Classifier::predict`] and count their queries.
    pub const BLACK_BOX: [&'static str; 2] = ["square", "hopskipjump"];

    /// The attack's short name, as in the serde tag.
    pub fn name(&self) -> &'static str {
        match self {
            AttackConfig::Fgsm(_) => "fgsm",
            AttackConfig::Pgd(_) => "pgd",
            AttackConfig::Jsma(_) => "jsma",
            AttackConfig::Deepfool(_) => "deepfool",
            AttackConfig::Newtonfool(_) => "newtonfool",
            AttackConfig::CwL2(_) => "cw-l2",
            AttackConfig::Apgd(_) => "apgd",
            AttackConfig::Autoattack(_) => "autoattack",
            AttackConfig::Square(_) => "square",
            AttackConfig::Hopskipjump(_) => "hopskipjump",
        }
    }

    /// Whether the attack needs only the model's scores or labels (no gradients).
    pub fn is_black_box(&self) -> bool {
        Self::BLACK_BOX.contains(&self.name())
    }

    /// ART's default configuration of the attack called `name`.
    pub fn default_for(name: &str) -> Option<AttackConfig> {
        Some(match name {
            "fgsm" => AttackConfig::Fgsm(FgsmParams::default()),
            "pgd" => AttackConfig::Pgd(PgdParams::default()),
            "jsma" => AttackConfig::Jsma(JsmaParams::default()),
            "deepfool" => AttackConfig::Deepfool(DeepFoolParams::default()),
            "newtonfool" => AttackConfig::Newtonfool(NewtonFoolParams::default()),
            "cw-l2" => AttackConfig::CwL2(CwL2Params::default()),
            "apgd" => AttackConfig::Apgd(ApgdParams::default()),
            "autoattack" => AttackConfig::Autoattack(AutoAttackParams::default()),
            "square" => AttackConfig::Square(SquareParams::default()),
            "hopskipjump" => AttackConfig::Hopskipjump(HopSkipJumpParams::default()),
            _ => return None,
        })
    }

    /// The parameters of the attack called `name`, described (None for an unknown name).
    pub fn specs_of(name: &str) -> Option<Vec<ParamSpec>> {
        Some(match name {
            "fgsm" => FgsmParams::specs(),
            "pgd" => PgdParams::specs(),
            "jsma" => JsmaParams::specs(),
            "deepfool" => DeepFoolParams::specs(),
            "newtonfool" => NewtonFoolParams::specs(),
            "cw-l2" => CwL2Params::specs(),
            "apgd" => ApgdParams::specs(),
            "autoattack" => AutoAttackParams::specs(),
            "square" => SquareParams::specs(),
            "hopskipjump" => HopSkipJumpParams::specs(),
            _ => return None,
        })
    }

    /// The attack `name` from `(parameter, value)` pairs, checked. An unknown attack or
    /// parameter, or a bad value, is an error naming it.
    pub fn from_fields(name: &str, fields: &[(String, Raw)]) -> Result<AttackConfig, ParamError> {
        Ok(match name {
            "fgsm" => AttackConfig::Fgsm(FgsmParams::from_fields(fields)?),
            "pgd" => AttackConfig::Pgd(PgdParams::from_fields(fields)?),
            "jsma" => AttackConfig::Jsma(JsmaParams::from_fields(fields)?),
            "deepfool" => AttackConfig::Deepfool(DeepFoolParams::from_fields(fields)?),
            "newtonfool" => AttackConfig::Newtonfool(NewtonFoolParams::from_fields(fields)?),
            "cw-l2" => AttackConfig::CwL2(CwL2Params::from_fields(fields)?),
            "apgd" => AttackConfig::Apgd(ApgdParams::from_fields(fields)?),
            "autoattack" => AttackConfig::Autoattack(AutoAttackParams::from_fields(fields)?),
            "square" => AttackConfig::Square(SquareParams::from_fields(fields)?),
            "hopskipjump" => AttackConfig::Hopskipjump(HopSkipJumpParams::from_fields(fields)?),
            other => return Err(unknown_attack(&Raw::Str(other.to_string()))),
        })
    }

    /// The attack from a raw object `{"attack": name, ...parameters}`, checked.
    pub fn from_raw(raw: &Raw) -> Result<AttackConfig, ParamError> {
        let (name, rest) = raw.tagged("attack", "attack", &Self::NAMES, unknown_attack)?;
        Self::from_fields(name, &rest)
    }

    /// The same attack with the parameter `name` set from `value`, checked (a sweep's point).
    pub fn with_param(&self, name: &str, value: Raw) -> Result<AttackConfig, ParamError> {
        let json = serde_json::to_value(self).expect("attack configs serialise");
        let mut fields: Vec<(String, Raw)> = json
            .as_object()
            .expect("attack configs are objects")
            .iter()
            .filter(|(k, _)| *k != "attack")
            .map(|(k, v)| (k.clone(), raw_of_json(v)))
            .collect();
        match fields.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => fields.push((name.to_string(), value)),
        }
        Self::from_fields(self.name(), &fields)
    }

    /// Checks the parameters once; the checked attack is what runs.
    pub fn check(&self) -> Result<CheckedAttack, AttackError> {
        Ok(match self {
            AttackConfig::Fgsm(p) => CheckedAttack::Fgsm(p.clone().checked()?),
            AttackConfig::Pgd(p) => CheckedAttack::Pgd(p.clone().checked()?),
            AttackConfig::Jsma(p) => CheckedAttack::Jsma(p.clone().checked()?),
            AttackConfig::Deepfool(p) => CheckedAttack::Deepfool(p.clone().checked()?),
            AttackConfig::Newtonfool(p) => CheckedAttack::Newtonfool(p.clone().checked()?),
            AttackConfig::CwL2(p) => CheckedAttack::CwL2(p.clone().checked()?),
            AttackConfig::Apgd(p) => CheckedAttack::Apgd(p.clone().checked()?),
            AttackConfig::Autoattack(p) => CheckedAttack::Autoattack(p.clone().checked()?),
            AttackConfig::Square(p) => CheckedAttack::Square(p.clone().checked()?),
            AttackConfig::Hopskipjump(p) => CheckedAttack::Hopskipjump(p.clone().checked()?),
        })
    }

    /// Whether `y` means target classes (`targeted` set, and JSMA always).
    pub fn is_targeted(&self) -> bool {
        match self {
            AttackConfig::Fgsm(p) => p.targeted,
            AttackConfig::Pgd(p) => p.targeted,
            AttackConfig::Jsma(_) => true,
            AttackConfig::CwL2(p) => p.targeted,
            AttackConfig::Apgd(p) => p.targeted,
            AttackConfig::Hopskipjump(p) => p.targeted,
            AttackConfig::Deepfool(_)
            | AttackConfig::Newtonfool(_)
            | AttackConfig::Autoattack(_)
            | AttackConfig::Square(_) => false,
        }
    }

    /// Checks the parameters, then runs the attack to its end (see [`CheckedAttack::generate`]).
    pub fn generate(
        &self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        y: Option<&[usize]>,
        rng: &mut ChaCha8Rng,
        trace: Option<&mut Vec<Array2<f32>>>,
    ) -> Result<AttackOutput, AttackError> {
        self.check()?.generate(clf, x, y, rng, trace)
    }
}

fn unknown_attack(value: &Raw) -> ParamError {
    ParamError::invalid(
        "attack",
        value.show(),
        crate::params::one_of(&AttackConfig::NAMES),
    )
}

/// A JSON value (from serialising a configuration) as a [`Raw`] value.
pub(crate) fn raw_of_json(v: &serde_json::Value) -> Raw {
    use serde_json::Value;
    match v {
        Value::Null => Raw::Null,
        Value::Bool(b) => Raw::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Raw::Int(i),
            (_, Some(u), _) => Raw::UInt(u),
            (_, _, f) => Raw::Float(f.unwrap_or(f64::NAN)),
        },
        Value::String(s) => Raw::Str(s.clone()),
        Value::Array(items) => Raw::Seq(items.iter().map(raw_of_json).collect()),
        Value::Object(map) => Raw::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), raw_of_json(v)))
                .collect(),
        ),
    }
}

impl<'de> serde::Deserialize<'de> for AttackConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Raw::deserialize(d)?;
        AttackConfig::from_raw(&raw).map_err(crate::params::decode::fail::<D::Error>)
    }
}
