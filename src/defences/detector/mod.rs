//! ART's `BinaryInputDetector` (art.defences.detector.evasion, after Metzen et al. 2017): a
//! second, small network trained to tell clean inputs (label 0) from adversarial ones (label 1)
//! crafted by an attack on the defended model, with its detection rate (adversarial test inputs
//! flagged) and false-positive rate (clean test inputs flagged) on the test set, and a score per
//! input (its probability of "adversarial").
//!
//! Main types: [`BinaryInputDetector`], [`DetectorParams`] (the catalog's
//! `binary-input-detector` group), [`DetectorReport`], [`DetectorTraining`] (the resumable job:
//! craft on the training subset, train, craft on the test subset and measure; pauses between
//! attack iterations and optimiser steps) and [`evaluate_detector`] (the rates against any
//! attack, e.g. a detector-aware one).
//!
//! The detector's network is one of the dataset's presets (`arch`) with its last dense layer
//! cut to two classes, built and trained with the same engine as the classifiers.
//!
//! Files: `training.rs`, `tests.rs`.

mod training;

#[cfg(test)]
mod tests;

use ndarray::{Array2, ArrayView2};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use training::{evaluate_detector, DetectorTraining};

use crate::attacks::{AttackConfig, FgsmParams};
use crate::classifier::Classifier;
use crate::defences::DefenceError;
use crate::described;
use crate::lang::{text, Text};
use crate::limits::{MAX_EPOCHS, MAX_SAMPLE_LIMIT, MAX_SEED, MAX_TRAIN_BATCH};
use crate::nn::presets::preset;
use crate::nn::{LayerSpec, Model, ModelSpec};
use crate::params::{CrossCheck, Kind, ParamError};

described! {
    /// ART's `BinaryInputDetector` and how to train it.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct DetectorParams in "binary-input-detector" {
        attack: AttackConfig = AttackConfig::Fgsm(FgsmParams { eps: 0.2, ..FgsmParams::default() }),
            Kind::Attack,
            "The attack crafting the adversarial training inputs on the defended model (untargeted).",
            "방어 모델에서 적대적 학습 입력을 만드는 공격(비표적).";
        arch: Option<String> = None, Kind::Text { max_len: 64 },
            "The detector's network: a preset of the dataset, its last layer cut to two classes (null: mnist-small for images, iris-seed for IRIS).",
            "탐지기의 신경망: 데이터셋의 프리셋이며 마지막 층을 두 클래스로 줄입니다(비워 두면 이미지는 mnist-small, IRIS는 iris-seed).";
        epochs: usize = 5, Kind::int(1, MAX_EPOCHS),
            "Passes over the clean and adversarial training inputs.",
            "깨끗한 입력과 적대적 입력으로 된 학습 데이터를 도는 횟수.";
        batch_size: usize = 64, Kind::int(1, MAX_TRAIN_BATCH),
            "Inputs per optimiser step.",
            "옵티마이저가 한 걸음에 쓰는 입력 수.";
        learning_rate: f32 = 0.001, Kind::positive(1.0),
            "Adam's learning rate.",
            "Adam의 학습률.";
        train_limit: usize = 2000, Kind::int(1, MAX_SAMPLE_LIMIT),
            "Training samples attacked (each gives a clean and an adversarial input).",
            "공격할 학습 샘플 수(샘플마다 깨끗한 입력과 적대적 입력이 하나씩 생깁니다).";
        test_limit: usize = 500, Kind::int(1, MAX_SAMPLE_LIMIT),
            "Test samples on which the detection and false-positive rates are measured.",
            "탐지율과 오탐율을 잴 테스트 샘플 수.";
        threshold: f32 = 0.5, Kind::float(0.0, 1.0).slider(0.0, 1.0, 0.05),
            "An input is flagged as adversarial when the detector's score reaches this.",
            "탐지기 점수가 이 값에 이르면 입력을 적대적이라고 표시합니다.";
        seed: u64 = 0, Kind::int(0, MAX_SEED),
            "Seed of the detector's initialisation, shuffling and the attack.",
            "탐지기 초기화, 섞기, 공격에 쓰는 시드.";
    }
}

impl CrossCheck for DetectorParams {
    fn cross_check(&self) -> Result<(), ParamError> {
        if self.attack.is_targeted() && !matches!(self.attack, AttackConfig::Jsma(_)) {
            return Err(ParamError::invalid(
                "targeted",
                "true",
                text!(
                    "the detector is trained on untargeted attacks; set targeted to false",
                    "탐지기는 비표적 공격으로 학습합니다. targeted를 false로 두세요"
                ),
            ));
        }
        Ok(())
    }
}

/// How well a detector separates clean from adversarial test inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectorReport {
    /// The attack the adversarial test inputs were crafted with.
    pub attack: String,
    /// Fraction of adversarial test inputs flagged.
    pub detection_rate: f32,
    /// Fraction of clean test inputs flagged.
    pub false_positive_rate: f32,
    /// The classifier's accuracy on the adversarial test inputs.
    pub adversarial_accuracy: f32,
    /// Test samples used (each clean and attacked).
    pub test_samples: usize,
    /// Training samples used (each clean and attacked), 0 for an evaluation only.
    pub train_samples: usize,
    /// The score at which an input is flagged.
    pub threshold: f32,
}

/// A trained detector: the network and its threshold.
#[derive(Debug, Clone)]
pub struct BinaryInputDetector {
    /// The two-class network (0: clean, 1: adversarial).
    pub model: Model,
    /// The score at which an input is flagged.
    pub threshold: f32,
}

/// The detector network for a classifier's inputs: preset `arch`, last dense layer cut to two.
pub fn detector_spec(
    arch: &str,
    input_shape: &[usize],
    clip: (f32, f32),
) -> Result<ModelSpec, DefenceError> {
    let bad = |reason: Text| {
        DefenceError::Param(ParamError::invalid("arch", format!("{arch:?}"), reason))
    };
    let p = preset(arch).ok_or_else(|| {
        bad(text!(
            "must be a preset name such as mnist-small or iris-seed",
            "mnist-small이나 iris-seed 같은 프리셋 이름이어야 합니다"
        ))
    })?;
    if p.spec.input_shape != input_shape {
        let takes = &p.spec.input_shape;
        return Err(bad(text!(
            "takes inputs {takes:?}, the model {input_shape:?}",
            "입력 모양이 {takes:?}인데 모델의 입력은 {input_shape:?}입니다"
        )));
    }
    let mut spec = p.spec;
    spec.clip_values = clip;
    spec.labels = vec!["clean".into(), "adversarial".into()];
    match spec
        .layers
        .iter_mut()
        .rev()
        .find(|l| matches!(l, LayerSpec::Dense { .. }))
    {
        Some(LayerSpec::Dense { units, .. }) => *units = 2,
        _ => {
            return Err(bad(text!(
                "has no dense layer to cut to two classes",
                "두 클래스로 줄일 dense 층이 없습니다"
            )))
        }
    }
    Ok(spec)
}

/// The default detector network for inputs of `shape`.
pub fn default_detector_arch(shape: &[usize]) -> &'static str {
    if shape.len() == 1 {
        "iris-seed"
    } else {
        "mnist-small"
    }
}

impl BinaryInputDetector {
    /// An untrained detector for a classifier's inputs.
    pub fn new(
        params: &DetectorParams,
        input_shape: &[usize],
        clip: (f32, f32),
    ) -> Result<BinaryInputDetector, DefenceError> {
        let arch = params
            .arch
            .clone()
            .unwrap_or_else(|| default_detector_arch(input_shape).to_string());
        let spec = detector_spec(&arch, input_shape, clip)?;
        let mut model = Model::new(spec, params.seed)
            .map_err(|e| DefenceError::Param(ParamError::invalid("arch", &arch, Text::of(&e))))?;
        model
            .set_optimizer(crate::nn::OptimizerConfig::adam(params.learning_rate))
            .map_err(|e| {
                DefenceError::Param(ParamError::invalid(
                    "learning_rate",
                    params.learning_rate,
                    Text::of(&e),
                ))
            })?;
        Ok(BinaryInputDetector {
            model,
            threshold: params.threshold,
        })
    }

    /// The probability of "adversarial" for every input.
    pub fn scores(&self, x: ArrayView2<f32>) -> Vec<f32> {
        let p = self.model.predict(x);
        let p = match self.model.output_kind() {
            crate::classifier::OutputKind::Probabilities => p,
            crate::classifier::OutputKind::Logits => p.mapv(f32::exp),
        };
        p.rows()
            .into_iter()
            .map(|r| {
                let s: f32 = r.sum();
                if s > 0.0 {
                    r[1] / s
                } else {
                    0.5
                }
            })
            .collect()
    }

    /// Whether each input is flagged.
    pub fn flags(&self, x: ArrayView2<f32>) -> Vec<bool> {
        self.scores(x)
            .into_iter()
            .map(|s| s >= self.threshold)
            .collect()
    }

    /// The gradient of the detector's loss for the label "adversarial" (ascending it lowers the
    /// score): the detector's part of a detector-aware attack.
    pub fn loss_gradient_adversarial(&mut self, x: ArrayView2<f32>) -> Array2<f32> {
        let y = vec![1; x.nrows()];
        self.model.loss_gradient(x, &y)
    }
}

/// The generator a detector job's attacks draw from.
pub(crate) fn attack_rng(seed: u64) -> ChaCha8Rng {
    use rand::SeedableRng;
    ChaCha8Rng::seed_from_u64(seed ^ 0x0de7_ec70)
}
