//! [`StackPiece`]: one pre- or post-processor of a defence stack with its parameters, as one
//! serde enum (JSON: `{"method": "feature-squeezing", "bit_depth": 1}`; missing parameters take
//! ART's defaults), and what the stack needs to know about it: its stage, whether it is
//! differentiable, whether it draws randomness.

use serde::Serialize;

use crate::defences::postprocess::{
    GaussianNoiseParams, HighConfidenceParams, ReverseSigmoidParams, RoundedParams,
};
use crate::defences::preprocess::{
    FeatureSqueezingParams, GaussianAugmentationParams, SpatialSmoothingParams,
};
use crate::params::{Described, ParamError, ParamSpec, ParamValue, Raw};

/// Where a piece sits in the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Applied to the input, before the model.
    Pre,
    /// Applied to the model's probabilities.
    Post,
}

/// ART's `ClassLabels` has no parameters.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ClassLabelsParams {}

/// A pre- or post-processor and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum StackPiece {
    /// ART's `FeatureSqueezing`.
    FeatureSqueezing(FeatureSqueezingParams),
    /// ART's `SpatialSmoothing`.
    SpatialSmoothing(SpatialSmoothingParams),
    /// ART's `GaussianAugmentation` as test-time noise.
    GaussianAugmentation(GaussianAugmentationParams),
    /// ART's `HighConfidence`.
    HighConfidence(HighConfidenceParams),
    /// ART's `GaussianNoise`.
    GaussianNoise(GaussianNoiseParams),
    /// ART's `ReverseSigmoid`.
    ReverseSigmoid(ReverseSigmoidParams),
    /// ART's `Rounded`.
    Rounded(RoundedParams),
    /// ART's `ClassLabels`.
    ClassLabels(ClassLabelsParams),
}

impl StackPiece {
    /// The pieces, by their names in the serde tag (ART's class names in kebab case), pre-processors
    /// first.
    pub const NAMES: [&'static str; 8] = [
        "feature-squeezing",
        "spatial-smoothing",
        "gaussian-augmentation",
        "high-confidence",
        "gaussian-noise",
        "reverse-sigmoid",
        "rounded",
        "class-labels",
    ];

    /// The piece's name.
    pub fn name(&self) -> &'static str {
        match self {
            StackPiece::FeatureSqueezing(_) => "feature-squeezing",
            StackPiece::SpatialSmoothing(_) => "spatial-smoothing",
            StackPiece::GaussianAugmentation(_) => "gaussian-augmentation",
            StackPiece::HighConfidence(_) => "high-confidence",
            StackPiece::GaussianNoise(_) => "gaussian-noise",
            StackPiece::ReverseSigmoid(_) => "reverse-sigmoid",
            StackPiece::Rounded(_) => "rounded",
            StackPiece::ClassLabels(_) => "class-labels",
        }
    }

    /// The stage of the piece called `name` (None for an unknown name).
    pub fn stage_of(name: &str) -> Option<Stage> {
        match name {
            "feature-squeezing" | "spatial-smoothing" | "gaussian-augmentation" => Some(Stage::Pre),
            "high-confidence" | "gaussian-noise" | "reverse-sigmoid" | "rounded"
            | "class-labels" => Some(Stage::Post),
            _ => None,
        }
    }

    /// Its stage.
    pub fn stage(&self) -> Stage {
        Self::stage_of(self.name()).unwrap_or(Stage::Pre)
    }

    /// Whether the piece called `name` is differentiable: its gradient is informative. The
    /// others mask gradients (their true derivative is zero or misleading) and are attacked with
    /// BPDA or with gradients taken before them.
    pub fn differentiable_of(name: &str) -> bool {
        matches!(
            name,
            "gaussian-augmentation" | "high-confidence" | "gaussian-noise"
        )
    }

    /// Whether the piece called `name` draws new randomness at every prediction (EOT averages
    /// over draws).
    pub fn randomised_of(name: &str) -> bool {
        matches!(name, "gaussian-augmentation" | "gaussian-noise")
    }

    /// Whether this piece is differentiable.
    pub fn differentiable(&self) -> bool {
        Self::differentiable_of(self.name())
    }

    /// Why this piece, with its parameters, leaves its input unchanged (or, for
    /// feature-squeezing, leaves 8-bit images such as MNIST's unchanged), in English and Korean,
    /// if it does: such a piece is saved and evaluated as asked, with this warning beside it.
    pub fn no_effect(&self) -> Option<(String, String)> {
        Some(match self {
            StackPiece::FeatureSqueezing(p) if p.bit_depth >= 8 => (
                format!("feature-squeezing with bit_depth {} keeps at least 256 levels: 8-bit images (MNIST, Fashion-MNIST) pass unchanged", p.bit_depth),
                format!("bit_depth {}의 feature-squeezing은 256단계 이상을 남기므로 8비트 이미지(MNIST, Fashion-MNIST)는 그대로 통과합니다", p.bit_depth),
            ),
            StackPiece::SpatialSmoothing(p) if p.window_size == 1 => (
                "spatial-smoothing with window_size 1 is the identity".into(),
                "window_size 1의 spatial-smoothing은 입력을 바꾸지 않습니다".into(),
            ),
            StackPiece::GaussianAugmentation(p) if p.sigma == 0.0 => (
                "gaussian-augmentation with sigma 0 adds no noise".into(),
                "sigma 0의 gaussian-augmentation은 잡음을 더하지 않습니다".into(),
            ),
            StackPiece::HighConfidence(p) if p.cutoff == 0.0 => (
                "high-confidence with cutoff 0 zeroes no score".into(),
                "cutoff 0의 high-confidence는 어떤 점수도 0으로 만들지 않습니다".into(),
            ),
            _ => return None,
        })
    }

    /// Whether this piece, with its parameters, draws randomness.
    pub fn is_random(&self) -> bool {
        match self {
            StackPiece::GaussianAugmentation(p) => p.is_random(),
            StackPiece::GaussianNoise(_) => true,
            _ => false,
        }
    }

    /// The parameters of the piece called `name`, described (None for an unknown name).
    pub fn specs_of(name: &str) -> Option<Vec<ParamSpec>> {
        Some(match name {
            "feature-squeezing" => FeatureSqueezingParams::specs(),
            "spatial-smoothing" => SpatialSmoothingParams::specs(),
            "gaussian-augmentation" => GaussianAugmentationParams::specs(),
            "high-confidence" => HighConfidenceParams::specs(),
            "gaussian-noise" => GaussianNoiseParams::specs(),
            "reverse-sigmoid" => ReverseSigmoidParams::specs(),
            "rounded" => RoundedParams::specs(),
            "class-labels" => Vec::new(),
            _ => return None,
        })
    }

    /// The piece `name` from `(parameter, value)` pairs, checked.
    pub fn from_fields(name: &str, fields: &[(String, Raw)]) -> Result<StackPiece, ParamError> {
        Ok(match name {
            "feature-squeezing" => {
                StackPiece::FeatureSqueezing(FeatureSqueezingParams::from_fields(fields)?)
            }
            "spatial-smoothing" => {
                StackPiece::SpatialSmoothing(SpatialSmoothingParams::from_fields(fields)?)
            }
            "gaussian-augmentation" => {
                StackPiece::GaussianAugmentation(GaussianAugmentationParams::from_fields(fields)?)
            }
            "high-confidence" => {
                StackPiece::HighConfidence(HighConfidenceParams::from_fields(fields)?)
            }
            "gaussian-noise" => {
                StackPiece::GaussianNoise(GaussianNoiseParams::from_fields(fields)?)
            }
            "reverse-sigmoid" => {
                StackPiece::ReverseSigmoid(ReverseSigmoidParams::from_fields(fields)?)
            }
            "rounded" => StackPiece::Rounded(RoundedParams::from_fields(fields)?),
            "class-labels" => match fields.first() {
                None => StackPiece::ClassLabels(ClassLabelsParams {}),
                Some((k, _)) => {
                    return Err(ParamError::Unknown {
                        group: "class-labels".into(),
                        name: Raw::clip(k, 40),
                        known: "(none)".into(),
                    })
                }
            },
            other => return Err(unknown_piece(&Raw::Str(other.to_string()))),
        })
    }

    /// The piece from a raw object `{"method": name, ...parameters}`, checked.
    pub fn from_raw(raw: &Raw) -> Result<StackPiece, ParamError> {
        let (name, rest) = raw.tagged("method", "stack piece", &Self::NAMES, unknown_piece)?;
        Self::from_fields(name, &rest)
    }

    /// Checks the parameters.
    pub fn check(&self) -> Result<(), ParamError> {
        match self {
            StackPiece::FeatureSqueezing(p) => p.check(),
            StackPiece::SpatialSmoothing(p) => p.check(),
            StackPiece::GaussianAugmentation(p) => p.check(),
            StackPiece::HighConfidence(p) => p.check(),
            StackPiece::GaussianNoise(p) => p.check(),
            StackPiece::ReverseSigmoid(p) => p.check(),
            StackPiece::Rounded(p) => p.check(),
            StackPiece::ClassLabels(_) => Ok(()),
        }
    }

    /// Checks the piece against the model's input shape (spatial smoothing needs images).
    pub fn check_shape(&self, shape: &[usize]) -> Result<(), ParamError> {
        match self {
            StackPiece::SpatialSmoothing(p) => p.check_shape(shape),
            _ => Ok(()),
        }
    }
}

fn unknown_piece(value: &Raw) -> ParamError {
    ParamError::invalid(
        "method",
        value.show(),
        crate::params::one_of(&StackPiece::NAMES),
    )
}

impl<'de> serde::Deserialize<'de> for StackPiece {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Raw::deserialize(d)?;
        StackPiece::from_raw(&raw).map_err(crate::params::decode::fail::<D::Error>)
    }
}

impl ParamValue for StackPiece {
    fn from_raw(raw: &Raw, _: &ParamSpec) -> Result<StackPiece, ParamError> {
        StackPiece::from_raw(raw)
    }

    fn check(&self, _: &ParamSpec) -> Result<(), ParamError> {
        StackPiece::check(self)
    }
}
