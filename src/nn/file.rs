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
    #[error("not a safetensors file: only {0} bytes, need at least 8")]
    TooShort(usize),
    /// The header-length prefix exceeds [`MAX_HEADER_BYTES`].
    #[error("header of {0} bytes is larger than the {MAX_HEADER_BYTES}-byte limit")]
    HeaderTooLarge(u64),
    /// The header-length prefix points past the end of the file.
    #[error("truncated file: header claims {claimed} bytes but only {available} follow")]
    Truncated {
        /// Header length from the prefix.
        claimed: u64,
        /// Bytes after the prefix.
        available: usize,
    },
    /// The safetensors crate rejected the bytes (bad JSON, bad offsets, wrong data length).
    #[error("not a valid safetensors file: {0}")]
    Safetensors(String),
    /// No `"advlab"` entry in `__metadata__`.
    #[error("no \"advlab\" model description in the file's __metadata__")]
    MissingMetadata,
    /// The detector saved beside the model (its description under `advlab-detector`, its
    /// tensors named `detector.*`) is malformed; the model itself may be fine.
    #[error("the detector (metadata advlab-detector, tensors detector.*): {0}")]
    Detector(Box<ModelFileError>),
    /// The spec JSON does not parse or does not describe a valid model.
    #[error("bad model description: {0}")]
    Spec(#[from] SpecError),
    /// A tensor is not F32.
    #[error("tensor {name}: dtype {found}, expected F32")]
    Dtype {
        /// Tensor name.
        name: String,
        /// The dtype found.
        found: String,
    },
    /// The spec needs a tensor the file lacks.
    #[error("missing tensor {0}")]
    MissingTensor(String),
    /// The file holds a tensor the spec does not use.
    #[error("unexpected tensor {0} (not used by the model description)")]
    ExtraTensor(String),
    /// A tensor has the wrong shape.
    #[error("tensor {name}: shape {found:?}, expected {expected:?}")]
    Shape {
        /// Tensor name.
        name: String,
        /// Shape required by the spec.
        expected: Vec<usize>,
        /// Shape in the file.
        found: Vec<usize>,
    },
    /// A tensor's value count does not match its shape (writing only).
    #[error("tensor {name}: {found} values for shape {shape:?}")]
    Length {
        /// Tensor name.
        name: String,
        /// Declared shape.
        shape: Vec<usize>,
        /// Number of values given.
        found: usize,
    },
    /// A tensor holds NaN or infinity.
    #[error("tensor {name}: non-finite value {value} at flat index {index}")]
    NonFinite {
        /// Tensor name.
        name: String,
        /// Flat index of the first bad value.
        index: usize,
        /// The value.
        value: f32,
    },
    /// The weights do not build a model (model level).
    #[error("cannot build the model: {0}")]
    Model(String),
    /// Reading or writing a file on disk (native helpers).
    #[error("{path}: {reason}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        reason: String,
    },
}

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
    Model::from_tensors(spec, &tensors).map_err(|e| ModelFileError::Model(e.to_string()))
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
