//! The model description shared by presets, `--arch` JSON and the `.safetensors` metadata
//! (`docs/model-format.md`): [`ModelSpec`] and [`LayerSpec`], with shape inference
//! ([`ModelSpec::layer_shapes`]) and the list of weight tensors a file must hold
//! ([`ModelSpec::expected_tensors`]).

use crate::lang::{say, Bilingual, Lang, Text};
use serde::{Deserialize, Serialize};

/// The `format` tag written into model files.
pub const FORMAT: &str = "advlab-model/1";

/// Keras-style weight initialiser of a dense or conv2d kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Initializer {
    /// Keras' default: uniform in ±sqrt(6 / (fan_in + fan_out)).
    #[default]
    GlorotUniform,
    /// Normal with std sqrt(2 / fan_in) (Keras truncates at two std).
    HeNormal,
}

/// L1/L2 penalty on a kernel, added to the loss as `l1·Σ|w| + l2·Σw²` (Keras `L1L2`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Regularizer {
    /// L1 factor.
    #[serde(default)]
    pub l1: f32,
    /// L2 factor.
    #[serde(default)]
    pub l2: f32,
}

/// An activation that dense/conv2d may carry as a shorthand for a following layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// Identity (Keras `linear`).
    Linear,
    /// `max(0, x)`.
    Relu,
    /// Softmax over the last axis.
    Softmax,
}

/// Conv2d padding, Keras semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Padding {
    /// No padding: output `(in - k) / s + 1`.
    #[default]
    Valid,
    /// Zero padding so the output is `ceil(in / s)`; extra padding goes to the bottom/right.
    Same,
}

fn one_one() -> [usize; 2] {
    [1, 1]
}
fn bn_epsilon() -> f32 {
    1e-3
}
fn bn_momentum() -> f32 {
    0.99
}

/// One layer of a sequential model. Serialised with a `"type"` tag, as in model files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum LayerSpec {
    /// Fully connected: kernel `[in, units]`, bias `[units]`.
    Dense {
        /// Output width.
        units: usize,
        /// Optional fused activation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        activation: Option<Activation>,
        /// Kernel initialiser (training from scratch only).
        #[serde(default, skip_serializing_if = "is_default")]
        kernel_initializer: Initializer,
        /// Optional kernel penalty.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kernel_regularizer: Option<Regularizer>,
    },
    /// 2-D convolution over NHWC: kernel `[kh, kw, in_channels, filters]`, bias `[filters]`.
    Conv2d {
        /// Output channels.
        filters: usize,
        /// `[kh, kw]`.
        kernel_size: [usize; 2],
        /// `[sh, sw]`, default `[1, 1]`.
        #[serde(default = "one_one")]
        strides: [usize; 2],
        /// `valid` (default) or `same`.
        #[serde(default)]
        padding: Padding,
        /// Optional fused activation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        activation: Option<Activation>,
        /// Kernel initialiser (training from scratch only).
        #[serde(default, skip_serializing_if = "is_default")]
        kernel_initializer: Initializer,
        /// Optional kernel penalty.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kernel_regularizer: Option<Regularizer>,
    },
    /// Max pooling over H and W, valid padding; strides default to the pool size.
    Maxpool2d {
        /// `[ph, pw]`.
        pool_size: [usize; 2],
        /// `[sh, sw]`, default `pool_size`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        strides: Option<[usize; 2]>,
    },
    /// Row-major flatten over `(h, w, c)`.
    Flatten,
    /// `max(0, x)`.
    Relu,
    /// Softmax over the last axis; a model ending in it outputs probabilities.
    Softmax,
    /// Inverted dropout, active in training mode only.
    Dropout {
        /// Fraction dropped, in `[0, 1)`.
        rate: f32,
    },
    /// Batch normalisation over the last axis (channels): gamma, beta, moving mean and variance.
    Batchnorm {
        /// Added to the variance.
        #[serde(default = "bn_epsilon")]
        epsilon: f32,
        /// Moving-average momentum (Keras: `moving = m·moving + (1-m)·batch`).
        #[serde(default = "bn_momentum")]
        momentum: f32,
    },
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A sequential model: input shape, clip values, class labels and layers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Always [`FORMAT`] in files; may be omitted in `--arch` JSON.
    #[serde(default = "format_tag")]
    pub format: String,
    /// Shape of one sample, e.g. `[28, 28, 1]` or `[4]`.
    pub input_shape: Vec<usize>,
    /// Valid input range `(min, max)`.
    pub clip_values: (f32, f32),
    /// One name per output class.
    pub labels: Vec<String>,
    /// The layers in order.
    pub layers: Vec<LayerSpec>,
}

fn format_tag() -> String {
    FORMAT.to_string()
}

/// Why a [`ModelSpec`] is not a buildable model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpecError {
    /// The `format` tag is not [`FORMAT`].
    Format(String),
    /// The spec could not be parsed as JSON (serde's message, in English).
    Json(String),
    /// A structural problem, naming the layer.
    Layer {
        /// Layer index.
        index: usize,
        /// Layer type.
        kind: &'static str,
        /// What is wrong, with the offending value.
        reason: Text,
    },
    /// A problem with the model as a whole.
    Model(Text),
}

impl Bilingual for SpecError {
    fn say(&self, lang: Lang) -> String {
        match self {
            SpecError::Format(found) => say!(
                lang,
                "unsupported model format {found:?} (expected \"{FORMAT}\")",
                "지원하지 않는 모델 형식입니다: {found:?} (\"{FORMAT}\" 형식이어야 합니다)"
            ),
            SpecError::Json(e) => say!(
                lang,
                "model description is not valid JSON: {e}",
                "모델 설명이 올바른 JSON이 아닙니다: {e}"
            ),
            SpecError::Layer {
                index,
                kind,
                reason,
            } => {
                let reason = reason.get(lang);
                say!(
                    lang,
                    "layer {index} ({kind}): {reason}",
                    "층 {index} ({kind}): {reason}"
                )
            }
            SpecError::Model(why) => why.get(lang).to_string(),
        }
    }
}

crate::lang::english_display!(SpecError);

impl LayerSpec {
    /// The layer's type tag as written in JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            LayerSpec::Dense { .. } => "dense",
            LayerSpec::Conv2d { .. } => "conv2d",
            LayerSpec::Maxpool2d { .. } => "maxpool2d",
            LayerSpec::Flatten => "flatten",
            LayerSpec::Relu => "relu",
            LayerSpec::Softmax => "softmax",
            LayerSpec::Dropout { .. } => "dropout",
            LayerSpec::Batchnorm { .. } => "batchnorm",
        }
    }

    /// The fused activation of a dense/conv2d layer, if any.
    pub fn activation(&self) -> Option<Activation> {
        match self {
            LayerSpec::Dense { activation, .. } | LayerSpec::Conv2d { activation, .. } => {
                *activation
            }
            _ => None,
        }
    }
}

/// Output length of a strided window over `n` inputs.
pub fn window_out(n: usize, k: usize, s: usize, padding: Padding) -> Option<usize> {
    match padding {
        Padding::Valid => n.checked_sub(k).map(|d| d / s + 1),
        Padding::Same => Some(n.div_ceil(s)),
    }
}
