//! Errors of the neural-network engine: [`NnError`], wrapping [`SpecError`] and naming the
//! offending tensor, value or shape.

use super::spec::SpecError;
use crate::lang::{say, Bilingual, Lang, Text};

/// Why a model could not be built, loaded, configured or fed.
#[derive(Debug, thiserror::Error)]
pub enum NnError {
    /// The model description is invalid.
    Spec(#[from] SpecError),
    /// An optimiser hyper-parameter is out of range.
    Optimizer(Text),
    /// A tensor the spec requires is absent.
    MissingTensor {
        /// Tensor name.
        name: String,
        /// Shape the spec requires.
        expected: Vec<usize>,
    },
    /// A tensor the spec does not know about was supplied.
    UnexpectedTensor {
        /// Tensor name.
        name: String,
        /// Its shape.
        shape: Vec<usize>,
    },
    /// A tensor's shape (or its data length) does not match the spec.
    TensorShape {
        /// Tensor name.
        name: String,
        /// Shape the spec requires.
        expected: Vec<usize>,
        /// Shape supplied.
        got: Vec<usize>,
        /// Number of values supplied.
        len: usize,
    },
    /// Gradients from another worker do not have the model's parameter count.
    GradientLength {
        /// Values supplied.
        got: usize,
        /// Parameters of the model.
        expected: usize,
    },
    /// A tensor holds NaN or infinity.
    NonFinite {
        /// Tensor name.
        name: String,
        /// Flat index of the first bad value.
        index: usize,
        /// The value.
        value: f32,
    },
    /// A batch does not have the model's sample width.
    InputWidth {
        /// Features supplied.
        got: usize,
        /// Features expected.
        expected: usize,
        /// The model's input shape.
        shape: Vec<usize>,
    },
    /// A batchnorm moving variance is negative.
    NegativeVariance {
        /// Tensor name.
        name: String,
        /// Flat index of the first bad value.
        index: usize,
        /// The value.
        value: f32,
    },
    /// Labels do not match the batch or the classes.
    Labels(Text),
}

impl Bilingual for NnError {
    fn say(&self, lang: Lang) -> String {
        match self {
            NnError::Spec(e) => e.say(lang),
            NnError::Optimizer(why) => {
                let why = why.get(lang);
                say!(lang, "optimizer: {why}", "옵티마이저: {why}")
            }
            NnError::MissingTensor { name, expected } => say!(
                lang,
                "tensor {name} (shape {expected:?}) is missing",
                "텐서가 없습니다: {name} (모양 {expected:?})"
            ),
            NnError::UnexpectedTensor { name, shape } => say!(
                lang,
                "unexpected tensor {name} (shape {shape:?}) is not part of the model",
                "모델에 속하지 않는 텐서가 있습니다: {name} (모양 {shape:?})"
            ),
            NnError::TensorShape {
                name,
                expected,
                got,
                len,
            } => say!(
                lang,
                "tensor {name} has shape {got:?} with {len} values, expected shape {expected:?}",
                "텐서 {name}의 모양은 {got:?}(값 {len}개)인데 예상한 모양은 {expected:?}입니다"
            ),
            NnError::GradientLength { got, expected } => say!(
                lang,
                "gradients: got {got} values for a model with {expected} parameters",
                "그래디언트: 매개변수가 {expected}개인 모델에 값이 {got}개 왔습니다"
            ),
            NnError::NonFinite { name, index, value } => say!(
                lang,
                "tensor {name} holds a non-finite value {value} at index {index}",
                "텐서 {name}의 위치 {index}에 유한하지 않은 값이 있습니다: {value}"
            ),
            NnError::InputWidth {
                got,
                expected,
                shape,
            } => say!(
                lang,
                "input has {got} features per sample, the model expects {expected} (shape {shape:?})",
                "입력의 샘플당 특성은 {got}개인데 모델은 {expected}개를 받습니다(모양 {shape:?})"
            ),
            NnError::NegativeVariance { name, index, value } => say!(
                lang,
                "tensor {name} holds a negative variance {value} at index {index}",
                "텐서 {name}의 위치 {index}에 음수 분산이 있습니다: {value}"
            ),
            NnError::Labels(why) => {
                let why = why.get(lang);
                say!(lang, "labels: {why}", "레이블: {why}")
            }
        }
    }
}

crate::lang::english_display!(NnError);
