//! Named architectures with their training defaults, and `--arch` parsing.
//!
//! Main types: [`Preset`] (a [`ModelSpec`] plus batch size, epochs and optimiser) and
//! [`PresetError`]. [`preset`] looks one up by name, [`parse_arch`] accepts a preset name, a
//! JSON spec or `@path.json` and checks it against a [`Dataset`].

use super::spec::{Activation, Initializer, LayerSpec, ModelSpec, Regularizer, SpecError, FORMAT};
use super::OptimizerConfig;
use crate::data::Dataset;
use crate::lang::{say, text, Bilingual, Lang, Text};
use crate::params::Help;

/// A named architecture and how to train it.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// Name used by `--arch`.
    pub name: &'static str,
    /// One-line description, in English and Korean.
    pub description: Help,
    /// Dataset family it is built for: `iris`, `mnist` (mnist presets also fit fashion-mnist and
    /// 28×28 grey datasets of your own) or `cifar10` (also 32×32 colour datasets of your own).
    pub dataset: &'static str,
    /// The model.
    pub spec: ModelSpec,
    /// Default batch size.
    pub batch_size: usize,
    /// Default number of epochs.
    pub epochs: usize,
    /// Default optimiser.
    pub optimizer: OptimizerConfig,
}

/// Why an `--arch` value was rejected.
#[derive(Debug, thiserror::Error)]
pub enum PresetError {
    /// Neither a preset name nor JSON.
    Unknown {
        /// The value given.
        name: String,
    },
    /// `@path` could not be read.
    Io {
        /// The path.
        path: String,
        /// Why (the OS error, in English only, or the browser's refusal).
        reason: Text,
    },
    /// The inline spec is too long.
    TooLarge {
        /// Its length.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// The JSON is not a valid spec.
    Spec(#[from] SpecError),
    /// The spec does not fit the dataset.
    Mismatch {
        /// Preset name or `custom`.
        arch: String,
        /// Dataset name.
        dataset: String,
        /// What differs, with both values.
        reason: Text,
    },
}

impl Bilingual for PresetError {
    fn say(&self, lang: Lang) -> String {
        match self {
            PresetError::Unknown { name } => {
                let presets = PRESETS.join(", ");
                say!(
                    lang,
                    "unknown architecture {name:?}; presets are {presets}, or pass a JSON model spec or @file.json",
                    "알 수 없는 구조 {name:?}입니다. 프리셋({presets}) 중 하나를 고르거나 JSON 모델 설명 또는 @file.json을 주세요"
                )
            }
            PresetError::Io { path, reason } => {
                let reason = reason.get(lang);
                say!(
                    lang,
                    "cannot read architecture file {path}: {reason}",
                    "구조 파일을 읽을 수 없습니다: {path}: {reason}"
                )
            }
            PresetError::TooLarge { bytes, limit } => say!(
                lang,
                "the architecture is {bytes} bytes, more than the limit of {limit}",
                "구조가 {bytes}바이트로 한도 {limit}바이트를 넘습니다"
            ),
            PresetError::Spec(e) => {
                let e = e.say(lang);
                say!(lang, "bad architecture: {e}", "잘못된 구조: {e}")
            }
            PresetError::Mismatch {
                arch,
                dataset,
                reason,
            } => {
                let reason = reason.get(lang);
                say!(
                    lang,
                    "architecture {arch} does not fit dataset {dataset}: {reason}",
                    "데이터셋 {dataset}에 맞지 않는 구조 {arch}: {reason}"
                )
            }
        }
    }
}

crate::lang::english_display!(PresetError);

const PRESETS: &[&str] = &[
    "iris-seed",
    "iris-linear",
    "mnist-seed",
    "mnist-small",
    "mnist-mlp",
    "mnist-linear",
    "cifar-seed",
    "cifar-small",
];

/// Every preset name, in display order.
pub fn preset_names() -> &'static [&'static str] {
    PRESETS
}

fn dense(units: usize, act: Activation, init: Initializer, reg: Option<f32>) -> LayerSpec {
    LayerSpec::Dense {
        units,
        activation: Some(act),
        kernel_initializer: init,
        kernel_regularizer: reg.map(|r| Regularizer { l1: r, l2: r }),
    }
}

fn conv(filters: usize, k: usize, stride: usize) -> LayerSpec {
    LayerSpec::Conv2d {
        filters,
        kernel_size: [k, k],
        strides: [stride, stride],
        padding: Default::default(),
        activation: Some(Activation::Relu),
        kernel_initializer: Initializer::GlorotUniform,
        kernel_regularizer: None,
    }
}

fn same(conv: LayerSpec) -> LayerSpec {
    match conv {
        LayerSpec::Conv2d {
            filters,
            kernel_size,
            strides,
            activation,
            kernel_initializer,
            kernel_regularizer,
            ..
        } => LayerSpec::Conv2d {
            filters,
            kernel_size,
            strides,
            padding: super::spec::Padding::Same,
            activation,
            kernel_initializer,
            kernel_regularizer,
        },
        other => other,
    }
}

/// The report's CIFAR-10 CNN (its listing for Table 2, Keras' CIFAR-10 example): two blocks of
/// a `same` and a `valid` 3×3 convolution, max-pooling and dropout 0.25, then dense 512 with
/// dropout 0.5.
fn cifar_seed_layers() -> Vec<LayerSpec> {
    use Activation::{Relu, Softmax};
    let glorot = Initializer::GlorotUniform;
    vec![
        same(conv(32, 3, 1)),
        conv(32, 3, 1),
        pool(2),
        LayerSpec::Dropout { rate: 0.25 },
        same(conv(64, 3, 1)),
        conv(64, 3, 1),
        pool(2),
        LayerSpec::Dropout { rate: 0.25 },
        LayerSpec::Flatten,
        dense(512, Relu, glorot, None),
        LayerSpec::Dropout { rate: 0.5 },
        dense(10, Softmax, glorot, None),
    ]
}

fn pool(k: usize) -> LayerSpec {
    LayerSpec::Maxpool2d {
        pool_size: [k, k],
        strides: None,
    }
}

fn spec(input_shape: &[usize], classes: usize, layers: Vec<LayerSpec>) -> ModelSpec {
    ModelSpec {
        format: FORMAT.to_string(),
        input_shape: input_shape.to_vec(),
        clip_values: (0.0, 1.0),
        labels: (0..classes).map(|i| i.to_string()).collect(),
        layers,
    }
}

fn iris_seed_layers() -> Vec<LayerSpec> {
    use Activation::{Relu, Softmax};
    let he = Initializer::HeNormal;
    let bn = || LayerSpec::Batchnorm {
        epsilon: 1e-3,
        momentum: 0.99,
    };
    vec![
        dense(10, Relu, he, None),
        bn(),
        LayerSpec::Dropout { rate: 0.3 },
        dense(7, Relu, he, Some(0.001)),
        bn(),
        LayerSpec::Dropout { rate: 0.3 },
        dense(5, Relu, he, Some(0.001)),
        dense(3, Softmax, Initializer::GlorotUniform, None),
    ]
}

/// The preset family whose input shape `input_shape` is: `iris`, `mnist`, `cifar10`, or `None`.
pub fn family_of(input_shape: &[usize]) -> Option<&'static str> {
    match input_shape {
        [4] => Some("iris"),
        [28, 28, 1] => Some("mnist"),
        [32, 32, 3] => Some("cifar10"),
        _ => None,
    }
}

/// The preset called `name`, if any.
pub fn preset(name: &str) -> Option<Preset> {
    use Activation::{Relu, Softmax};
    let glorot = Initializer::GlorotUniform;
    let mnist = [28, 28, 1];
    let (description, dataset, layers, batch_size, epochs, lr) = match name {
        "iris-seed" => (
            Help {
                en: "the report's IRIS net: 3 hidden dense layers with batchnorm, dropout, L1L2 (its recipe: Adam 0.001, batch 7, 700 epochs)",
                ko: "보고서의 IRIS 신경망: batchnorm, dropout, L1L2를 쓴 은닉 dense 층 3개 (보고서의 학습 방법: Adam 0.001, 배치 7, 700 에포크)",
            },
            "iris",
            iris_seed_layers(),
            7,
            700,
            0.001,
        ),
        "iris-linear" => (
            Help {
                en: "softmax regression on the 4 IRIS features",
                ko: "IRIS 특성 4개에 대한 소프트맥스 회귀",
            },
            "iris",
            vec![dense(3, Softmax, glorot, None)],
            8,
            100,
            0.05,
        ),
        "mnist-seed" => (
            Help {
                en: "the report's MNIST CNN: conv 4@5x5, pool, conv 10@5x5, pool, dense 100 (its recipe: Adam 0.01, batch 64, 20 epochs)",
                ko: "보고서의 MNIST CNN: conv 4@5x5, pool, conv 10@5x5, pool, dense 100 (보고서의 학습 방법: Adam 0.01, 배치 64, 20 에포크)",
            },
            "mnist",
            vec![
                conv(4, 5, 1),
                pool(2),
                conv(10, 5, 1),
                pool(2),
                LayerSpec::Flatten,
                dense(100, Relu, glorot, None),
                dense(10, Softmax, glorot, None),
            ],
            64,
            20,
            0.01,
        ),
        "mnist-small" => (
            Help {
                en: "a quick CNN for the browser: conv 8@3x3 stride 2, conv 16@3x3 stride 2, dense",
                ko: "브라우저에서 빨리 도는 CNN: conv 8@3x3 (보폭 2), conv 16@3x3 (보폭 2), dense",
            },
            "mnist",
            vec![
                conv(8, 3, 2),
                conv(16, 3, 2),
                LayerSpec::Flatten,
                dense(10, Softmax, glorot, None),
            ],
            64,
            3,
            0.003,
        ),
        "mnist-mlp" => (
            Help {
                en: "flatten, dense 128 relu, dense 10 softmax",
                ko: "다층 퍼셉트론: flatten, dense 128 relu, dense 10 softmax",
            },
            "mnist",
            vec![
                LayerSpec::Flatten,
                dense(128, Relu, glorot, None),
                dense(10, Softmax, glorot, None),
            ],
            64,
            5,
            0.001,
        ),
        "mnist-linear" => (
            Help {
                en: "softmax regression on the 784 pixels",
                ko: "픽셀 784개에 대한 소프트맥스 회귀",
            },
            "mnist",
            vec![LayerSpec::Flatten, dense(10, Softmax, glorot, None)],
            64,
            5,
            0.003,
        ),
        "cifar-seed" => (
            Help {
                en: "the report's CIFAR-10 CNN: conv 32@3x3 same, conv 32@3x3, pool, dropout, conv 64@3x3 same, conv 64@3x3, pool, dropout, dense 512 (its recipe: Adam 0.001, batch 64, 20 epochs)",
                ko: "보고서의 CIFAR-10 CNN: conv 32@3x3 same, conv 32@3x3, pool, dropout, conv 64@3x3 same, conv 64@3x3, pool, dropout, dense 512 (보고서의 학습 방법: Adam 0.001, 배치 64, 20 에포크)",
            },
            "cifar10",
            cifar_seed_layers(),
            64,
            20,
            0.001,
        ),
        "cifar-small" => (
            Help {
                en: "a quick colour CNN for the browser: conv 16@3x3 stride 2, conv 32@3x3 stride 2, dense",
                ko: "브라우저에서 빨리 도는 컬러 CNN: conv 16@3x3 (보폭 2), conv 32@3x3 (보폭 2), dense",
            },
            "cifar10",
            vec![
                conv(16, 3, 2),
                conv(32, 3, 2),
                LayerSpec::Flatten,
                dense(10, Softmax, glorot, None),
            ],
            64,
            5,
            0.003,
        ),
        _ => return None,
    };
    let (shape, classes) = match dataset {
        "iris" => (&[4][..], 3),
        "cifar10" => (&[32, 32, 3][..], 10),
        _ => (&mnist[..], 10),
    };
    let name = PRESETS.iter().find(|p| **p == name)?;
    Some(Preset {
        name,
        description,
        dataset,
        spec: spec(shape, classes, layers),
        batch_size,
        epochs,
        optimizer: OptimizerConfig::adam(lr),
    })
}

/// A preset of the MNIST or CIFAR-10 family for a dataset of `classes` classes (images of your
/// own): its last dense layer gets one unit per class. IRIS presets and 10 classes stay as built.
fn with_classes(mut p: Preset, classes: usize) -> Preset {
    if p.dataset == "iris" || classes == p.spec.labels.len() || classes < 2 {
        return p;
    }
    if let Some(LayerSpec::Dense { units, .. }) = p
        .spec
        .layers
        .iter_mut()
        .rev()
        .find(|l| matches!(l, LayerSpec::Dense { .. }))
    {
        *units = classes;
        p.spec.labels = (0..classes).map(|i| i.to_string()).collect();
    }
    p
}

/// Resolves `--arch`: a preset name, a JSON [`ModelSpec`] (starting with `{`) or `@path.json`.
/// The spec's input shape, class count and clip values must match the dataset; its labels are
/// replaced by the dataset's class names (so mnist presets serve fashion-mnist too; an image preset
/// gets one output per class of a dataset of your own). JSON specs
/// get the defaults batch 32, 10 epochs, Adam 0.001.
pub fn parse_arch(arch: &str, dataset: &Dataset) -> Result<Preset, PresetError> {
    let text = arch.trim();
    let limit = crate::limits::MAX_SPEC_BYTES;
    if text.len() as u64 > limit {
        return Err(PresetError::TooLarge {
            bytes: text.len() as u64,
            limit,
        });
    }
    let mut p = if let Some(path) = text.strip_prefix('@') {
        custom(ModelSpec::from_json(&read_spec_file(path)?)?)
    } else if text.starts_with('{') {
        custom(ModelSpec::from_json(text)?)
    } else {
        let p = preset(text).ok_or_else(|| PresetError::Unknown {
            name: text.to_string(),
        })?;
        with_classes(p, dataset.nb_classes())
    };
    let mismatch = |reason: Text| PresetError::Mismatch {
        arch: p.name.to_string(),
        dataset: dataset.name.clone(),
        reason,
    };
    let s = &p.spec;
    if s.input_shape != dataset.input_shape {
        let (ours, theirs) = (&s.input_shape, &dataset.input_shape);
        return Err(mismatch(text!(
            "input shape {ours:?} vs the dataset's {theirs:?}",
            "입력 모양 {ours:?}, 데이터셋의 입력 모양 {theirs:?}"
        )));
    }
    if s.labels.len() != dataset.class_names.len() {
        let (ours, theirs) = (s.labels.len(), dataset.class_names.len());
        return Err(mismatch(text!(
            "{ours} classes vs the dataset's {theirs}",
            "클래스 {ours}개, 데이터셋의 클래스 {theirs}개"
        )));
    }
    if s.clip_values != dataset.clip_values {
        let (ours, theirs) = (s.clip_values, dataset.clip_values);
        return Err(mismatch(text!(
            "clip values {ours:?} vs the dataset's {theirs:?}",
            "클립 값 {ours:?}, 데이터셋의 클립 값 {theirs:?}"
        )));
    }
    p.spec.labels = dataset.class_names.clone();
    Ok(p)
}

/// Reads `--arch @path` (at most [`crate::limits::MAX_SPEC_BYTES`]).
#[cfg(not(target_arch = "wasm32"))]
fn read_spec_file(path: &str) -> Result<String, PresetError> {
    let io = |reason: Text| PresetError::Io {
        path: path.to_string(),
        reason,
    };
    let bytes =
        crate::limits::read_capped(std::path::Path::new(path), crate::limits::MAX_SPEC_BYTES)
            .map_err(|e| io(Text::verbatim(e)))?;
    String::from_utf8(bytes).map_err(|_| io(text!("not UTF-8 text", "UTF-8 텍스트가 아닙니다")))
}

/// The browser has no files: `@path` is refused.
#[cfg(target_arch = "wasm32")]
fn read_spec_file(path: &str) -> Result<String, PresetError> {
    Err(PresetError::Io {
        path: path.to_string(),
        reason: text!(
            "files cannot be read here; paste the JSON spec instead",
            "여기서는 파일을 읽을 수 없습니다. 대신 JSON 설명을 붙여 넣으세요"
        ),
    })
}

fn custom(spec: ModelSpec) -> Preset {
    Preset {
        name: "custom",
        description: Help {
            en: "a JSON model spec",
            ko: "JSON 모델 설명",
        },
        dataset: "any",
        spec,
        batch_size: 32,
        epochs: 10,
        optimizer: OptimizerConfig::adam(0.001),
    }
}

#[cfg(test)]
mod tests;
