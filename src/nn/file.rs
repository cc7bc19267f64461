//! `.safetensors` model files (`docs/model-format.md`): the [`ModelSpec`] JSON sits in the
//! header's `__metadata__` under key `"advlab"`, the weights are little-endian F32 tensors named
//! exactly as [`ModelSpec::expected_tensors`] lists them.
//!
//! Two layers: the tensor level ([`write_model_bytes`], [`read_model_bytes`]) knows nothing about
//! `Model`; the model level (`save_model`, `load_model`) converts to and from a trained model.
//! Every problem with a file is a [`ModelFileError`] naming it.

use std::collections::HashMap;

use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use super::spec::{ModelSpec, SpecError};
use super::Model;

/// The `__metadata__` key holding the spec JSON.
pub const METADATA_KEY: &str = "advlab";

/// The `__metadata__` key holding a defence stack's JSON (`{"pieces": [...]}`), when the model
/// was saved with one. Older files have none and load with an empty stack.
pub const STACK_KEY: &str = "advlab-stack";

/// The `__metadata__` key holding a detector's description, `{"threshold": t, "spec": {...}}`;
/// its weights are the tensors named with [`DETECTOR_PREFIX`].
pub const DETECTOR_KEY: &str = "advlab-detector";

/// The prefix of a detector's tensor names (`detector.dense_0/kernel`).
pub const DETECTOR_PREFIX: &str = "detector.";

/// Everything a model file holds: the model, and the defence stack and detector when saved
/// with them (`docs/model-format.md`, `docs/defences.md`).
#[derive(Debug, Clone)]
pub struct ModelFileParts {
    /// The model's spec.
    pub spec: ModelSpec,
    /// The model's tensors.
    pub tensors: TensorMap,
    /// The stack's JSON, unparsed (the defences module reads it).
    pub stack: Option<String>,
    /// The detector: threshold, spec and tensors (names without the prefix).
    pub detector: Option<(f32, ModelSpec, TensorMap)>,
}

/// A detector as written in a file: threshold, spec and tensors.
pub type DetectorTensors<'a> = (f32, &'a ModelSpec, &'a [(String, Vec<usize>, Vec<f32>)]);

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

/// [`write_model_bytes`] with a defence stack's JSON and a detector beside the model.
pub fn write_model_file_bytes(
    spec: &ModelSpec,
    tensors: &[(String, Vec<usize>, Vec<f32>)],
    stack: Option<&str>,
    detector: Option<DetectorTensors<'_>>,
) -> Result<Vec<u8>, ModelFileError> {
    checked_map(spec, tensors)?;
    let mut all: Vec<(String, Vec<usize>, Vec<f32>)> = tensors.to_vec();
    let mut meta = HashMap::from([(METADATA_KEY.to_string(), spec.to_json())]);
    if let Some(stack) = stack {
        meta.insert(STACK_KEY.to_string(), stack.to_string());
    }
    if let Some((threshold, dspec, dtensors)) = detector {
        checked_map(dspec, dtensors)?;
        let desc = serde_json::json!({"threshold": threshold, "spec": dspec});
        meta.insert(DETECTOR_KEY.to_string(), desc.to_string());
        all.extend(
            dtensors
                .iter()
                .map(|(n, s, v)| (format!("{DETECTOR_PREFIX}{n}"), s.clone(), v.clone())),
        );
    }
    let bytes: Vec<(String, Vec<usize>, Vec<u8>)> = all
        .iter()
        .map(|(n, s, v)| {
            (
                n.clone(),
                s.clone(),
                v.iter().flat_map(|x| x.to_le_bytes()).collect(),
            )
        })
        .collect();
    let mut views = Vec::with_capacity(bytes.len());
    for (name, shape, data) in &bytes {
        let view = TensorView::new(Dtype::F32, shape.clone(), data)
            .map_err(|e| ModelFileError::Safetensors(e.to_string()))?;
        views.push((name.as_str(), view));
    }
    safetensors::serialize(views, Some(meta))
        .map_err(|e| ModelFileError::Safetensors(e.to_string()))
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

/// Parses and validates a model file with its stack and detector, if any.
pub fn read_model_file_bytes(bytes: &[u8]) -> Result<ModelFileParts, ModelFileError> {
    check_prefix(bytes)?;
    let (_, meta) = SafeTensors::read_metadata(bytes)
        .map_err(|e| ModelFileError::Safetensors(e.to_string()))?;
    let metadata = meta.metadata().as_ref();
    let json = metadata
        .and_then(|m| m.get(METADATA_KEY))
        .ok_or(ModelFileError::MissingMetadata)?;
    let spec = ModelSpec::from_json(json)?;
    let stack = metadata.and_then(|m| m.get(STACK_KEY)).cloned();
    let detector_desc = match metadata.and_then(|m| m.get(DETECTOR_KEY)) {
        Some(text) => Some(detector_description(text)?),
        None => None,
    };
    let st =
        SafeTensors::deserialize(bytes).map_err(|e| ModelFileError::Safetensors(e.to_string()))?;
    let mut map = TensorMap::new();
    for (name, view) in st.iter() {
        if view.dtype() != Dtype::F32 {
            return Err(ModelFileError::Dtype {
                name: name.to_string(),
                found: format!("{:?}", view.dtype()),
            });
        }
        let values = view
            .data()
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        map.insert(name.to_string(), (view.shape().to_vec(), values));
    }
    let detector = match detector_desc {
        Some((threshold, dspec)) => {
            let names: Vec<String> = map
                .keys()
                .filter(|k| k.starts_with(DETECTOR_PREFIX))
                .cloned()
                .collect();
            let mut dmap = TensorMap::new();
            for n in names {
                if let Some(t) = map.remove(&n) {
                    dmap.insert(n[DETECTOR_PREFIX.len()..].to_string(), t);
                }
            }
            check_tensors(&dspec, &dmap)?;
            Some((threshold, dspec, dmap))
        }
        None => None,
    };
    check_tensors(&spec, &map)?;
    Ok(ModelFileParts {
        spec,
        tensors: map,
        stack,
        detector,
    })
}

/// A detector's description from the file: threshold in `[0, 1]` and spec.
fn detector_description(text: &str) -> Result<(f32, ModelSpec), ModelFileError> {
    let bad = |why: String| ModelFileError::Spec(SpecError::Model(format!("detector: {why}")));
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    let threshold = v["threshold"]
        .as_f64()
        .filter(|t| (0.0..=1.0).contains(t))
        .ok_or_else(|| {
            bad(format!(
                "threshold {} is not a number from 0 to 1",
                v["threshold"]
            ))
        })?;
    let spec = ModelSpec::from_json(&v["spec"].to_string())?;
    Ok((threshold as f32, spec))
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

/// Native helper: [`save_model`] to a path.
pub fn save_model_file(m: &Model, path: &std::path::Path) -> Result<(), ModelFileError> {
    let bytes = save_model(m)?;
    std::fs::write(path, bytes).map_err(|e| io_error(path, e))
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

fn io_error(path: &std::path::Path, e: std::io::Error) -> ModelFileError {
    ModelFileError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests;
