//! `.safetensors` model files (`docs/model-format.md`): the [`ModelSpec`] JSON sits in the
//! header's `__metadata__` under key `"advlab"`, the weights are little-endian F32 tensors named
//! exactly as [`ModelSpec::expected_tensors`] lists them.
//!
//! Two layers: the tensor level ([`write_model_bytes`], [`read_model_bytes`]) knows nothing about
//! `Model`; the model level (`save_model`, `load_model`) converts to and from a trained model.
//! Every problem with a file is a [`ModelFileError`] naming it.

use std::collections::HashMap;

use super::spec::{ModelSpec, SpecError};
use super::Model;
use crate::lang::{say, Bilingual, Lang, Text};

/// The `__metadata__` key holding the spec JSON.
pub const METADATA_KEY: &str = "advlab";

/// Largest header accepted (the JSON between the 8-byte length prefix and the data).
pub const MAX_HEADER_BYTES: u64 = 1 << 20;

/// Tensors keyed by name: `(shape, values)` in row-major order.
pub type TensorMap = HashMap<String, (Vec<usize>, Vec<f32>)>;

/// Why a model file could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
    /// Shorter than the 8-byte header-length prefix.
    TooShort(usize),
    /// The header-length prefix exceeds [`MAX_HEADER_BYTES`].
    HeaderTooLarge(u64),
    /// The header-length prefix points past the end of the file.
    Truncated {
        /// Header length from the prefix.
        claimed: u64,
        /// Bytes after the prefix.
        available: usize,
    },
    /// The safetensors crate rejected the bytes (bad JSON, bad offsets, wrong data length); its
    /// message, in English.
    Safetensors(String),
    /// No `"advlab"` entry in `__metadata__`.
    MissingMetadata,
    /// The detector saved beside the model (its description under `advlab-detector`, its
    /// tensors named `detector.*`) is malformed; the model itself may be fine.
    Detector(Box<ModelFileError>),
    /// The spec JSON does not parse or does not describe a valid model.
    Spec(#[from] SpecError),
    /// A tensor is not F32.
    Dtype {
        /// Tensor name.
        name: String,
        /// The dtype found.
        found: String,
    },
    /// The spec needs a tensor the file lacks.
    MissingTensor(String),
    /// The file holds a tensor the spec does not use.
    ExtraTensor(String),
    /// A tensor has the wrong shape.
    Shape {
        /// Tensor name.
        name: String,
        /// Shape required by the spec.
        expected: Vec<usize>,
        /// Shape in the file.
        found: Vec<usize>,
    },
    /// A tensor's value count does not match its shape (writing only).
    Length {
        /// Tensor name.
        name: String,
        /// Declared shape.
        shape: Vec<usize>,
        /// Number of values given.
        found: usize,
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
    /// The weights do not build a model (model level).
    Model(Text),
    /// Reading or writing a file on disk (native helpers).
    Io {
        /// The path.
        path: String,
        /// The OS error (in English: native helpers only).
        reason: String,
    },
}

impl Bilingual for ModelFileError {
    fn say(&self, lang: Lang) -> String {
        match self {
            ModelFileError::TooShort(n) => say!(
                lang,
                "not a safetensors file: only {n} bytes, need at least 8",
                "safetensors 파일이 아닙니다: {n}바이트뿐인데 8바이트 이상이어야 합니다"
            ),
            ModelFileError::HeaderTooLarge(n) => say!(
                lang,
                "header of {n} bytes is larger than the {MAX_HEADER_BYTES}-byte limit",
                "헤더가 {n}바이트로 한도 {MAX_HEADER_BYTES}바이트보다 큽니다"
            ),
            ModelFileError::Truncated { claimed, available } => say!(
                lang,
                "truncated file: header claims {claimed} bytes but only {available} follow",
                "잘린 파일입니다: 헤더는 {claimed}바이트라고 하지만 뒤따르는 바이트는 {available}개뿐입니다"
            ),
            ModelFileError::Safetensors(e) => say!(
                lang,
                "not a valid safetensors file: {e}",
                "올바른 safetensors 파일이 아닙니다: {e}"
            ),
            ModelFileError::MissingMetadata => say!(
                lang,
                "no \"advlab\" model description in the file's __metadata__",
                "파일의 __metadata__에 \"advlab\" 모델 설명이 없습니다"
            ),
            ModelFileError::Detector(e) => {
                let e = e.say(lang);
                say!(
                    lang,
                    "the detector (metadata advlab-detector, tensors detector.*): {e}",
                    "탐지기(메타데이터 advlab-detector, 텐서 detector.*): {e}"
                )
            }
            ModelFileError::Spec(e) => {
                let e = e.say(lang);
                say!(
                    lang,
                    "bad model description: {e}",
                    "잘못된 모델 설명: {e}"
                )
            }
            ModelFileError::Dtype { name, found } => say!(
                lang,
                "tensor {name}: dtype {found}, expected F32",
                "텐서 {name}: dtype이 {found}인데 F32여야 합니다"
            ),
            ModelFileError::MissingTensor(name) => say!(
                lang,
                "missing tensor {name}",
                "텐서가 없습니다: {name}"
            ),
            ModelFileError::ExtraTensor(name) => say!(
                lang,
                "unexpected tensor {name} (not used by the model description)",
                "모델 설명이 쓰지 않는 텐서가 있습니다: {name}"
            ),
            ModelFileError::Shape {
                name,
                expected,
                found,
            } => say!(
                lang,
                "tensor {name}: shape {found:?}, expected {expected:?}",
                "텐서 {name}: 모양이 {found:?}인데 예상한 모양은 {expected:?}입니다"
            ),
            ModelFileError::Length { name, shape, found } => say!(
                lang,
                "tensor {name}: {found} values for shape {shape:?}",
                "텐서 {name}: 모양 {shape:?}에 값이 {found}개입니다"
            ),
            ModelFileError::NonFinite { name, index, value } => say!(
                lang,
                "tensor {name}: non-finite value {value} at flat index {index}",
                "텐서 {name}: 평탄화 위치 {index}에 유한하지 않은 값이 있습니다: {value}"
            ),
            ModelFileError::Model(why) => {
                let why = why.get(lang);
                say!(
                    lang,
                    "cannot build the model: {why}",
                    "모델을 만들 수 없습니다: {why}"
                )
            }
            ModelFileError::Io { path, reason } => format!("{path}: {reason}"),
        }
    }
}

crate::lang::english_display!(ModelFileError);

/// Checks a tensor set against the spec: every expected tensor present with its shape, no
/// extra tensor, the right number of values, all finite.
pub fn check_tensors(spec: &ModelSpec, tensors: &TensorMap) -> Result<(), ModelFileError> {
    let expected = spec.expected_tensors()?;
    for (name, shape) in &expected {
        let (found, values) = tensors
            .get(name)
            .ok_or_else(|| ModelFileError::MissingTensor(name.clone()))?;
        if found != shape {
            return Err(ModelFileError::Shape {
                name: name.clone(),
                expected: shape.clone(),
                found: found.clone(),
            });
        }
        check_values(name, shape, values)?;
    }
    let mut extra: Vec<&String> = tensors
        .keys()
        .filter(|k| !expected.iter().any(|(n, _)| n == *k))
        .collect();
    extra.sort();
    match extra.first() {
        Some(name) => Err(ModelFileError::ExtraTensor((*name).clone())),
        None => Ok(()),
    }
}

fn check_values(name: &str, shape: &[usize], values: &[f32]) -> Result<(), ModelFileError> {
    if values.len() != shape.iter().product::<usize>() {
        return Err(ModelFileError::Length {
            name: name.to_string(),
            shape: shape.to_vec(),
            found: values.len(),
        });
    }
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(ModelFileError::NonFinite {
            name: name.to_string(),
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// Serialises a spec and its weights into safetensors bytes, after the same checks
/// [`read_model_bytes`] applies (so a written file always reads back).
pub fn write_model_bytes(
    spec: &ModelSpec,
    tensors: &[(String, Vec<usize>, Vec<f32>)],
) -> Result<Vec<u8>, ModelFileError> {
    write_model_file_bytes(spec, tensors, None, None)
}

fn checked_map(
    spec: &ModelSpec,
    tensors: &[(String, Vec<usize>, Vec<f32>)],
) -> Result<TensorMap, ModelFileError> {
    let mut map = TensorMap::new();
    for (name, shape, values) in tensors {
        check_values(name, shape, values)?;
        map.insert(name.clone(), (shape.clone(), values.clone()));
    }
    check_tensors(spec, &map)?;
    Ok(map)
}

/// Checks the 8-byte little-endian header length before handing the bytes to safetensors.
fn check_prefix(bytes: &[u8]) -> Result<(), ModelFileError> {
    let Some(prefix) = bytes.get(..8) else {
        return Err(ModelFileError::TooShort(bytes.len()));
    };
    let mut arr = [0u8; 8];
    arr.copy_from_slice(prefix);
    let n = u64::from_le_bytes(arr);
    if n > MAX_HEADER_BYTES {
        return Err(ModelFileError::HeaderTooLarge(n));
    }
    let available = bytes.len() - 8;
    if n > available as u64 {
        return Err(ModelFileError::Truncated {
            claimed: n,
            available,
        });
    }
    Ok(())
}

/// Parses and validates a model file: the spec from the metadata, then every tensor
/// (F32, expected names and shapes, finite values). A stack or detector saved beside the model
/// is checked and left out.
pub fn read_model_bytes(bytes: &[u8]) -> Result<(ModelSpec, TensorMap), ModelFileError> {
    read_model_file_bytes(bytes).map(|p| (p.spec, p.tensors))
}

/// Serialises a model (spec and current weights, batchnorm statistics included).
pub fn save_model(m: &Model) -> Result<Vec<u8>, ModelFileError> {
    write_model_bytes(m.spec(), &m.tensors())
}

/// Reads and validates a model file and builds the model from it.
pub fn load_model(bytes: &[u8]) -> Result<Model, ModelFileError> {
    let (spec, tensors) = read_model_bytes(bytes)?;
    Model::from_tensors(spec, &tensors).map_err(|e| ModelFileError::Model(Text::of(&e)))
}

/// Native helper: [`save_model`] to a path, atomically ([`crate::output::write_atomic`]).
#[cfg(not(target_arch = "wasm32"))]
pub fn save_model_file(m: &Model, path: &std::path::Path) -> Result<(), ModelFileError> {
    let bytes = save_model(m)?;
    crate::output::write_atomic(path, &bytes).map_err(|reason| ModelFileError::Io {
        path: path.display().to_string(),
        reason,
    })
}

/// Native helper: [`load_model`] from a path, reading at most
/// [`crate::limits::MAX_MODEL_FILE_BYTES`].
#[cfg(not(target_arch = "wasm32"))]
pub fn load_model_file(path: &std::path::Path) -> Result<Model, ModelFileError> {
    let bytes = crate::limits::read_capped(path, crate::limits::MAX_MODEL_FILE_BYTES).map_err(
        |reason| ModelFileError::Io {
            path: path.display().to_string(),
            reason,
        },
    )?;
    load_model(&bytes)
}

mod parts;

pub use parts::{
    file_metadata, read_model_file_bytes, with_metadata, write_model_file_bytes, DetectorTensors,
    ModelFileParts, DETECTOR_KEY, DETECTOR_PREFIX, PROVENANCE_KEY, STACK_KEY,
};

#[cfg(test)]
mod tests;
