//! Model files with a defence stack and a detector beside the model (`docs/defences.md`): the
//! stack's JSON under [`STACK_KEY`], the detector's description under [`DETECTOR_KEY`] and its
//! weights as tensors named with [`DETECTOR_PREFIX`]. Files without them read as before.

use std::collections::HashMap;

use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use super::{check_prefix, check_tensors, checked_map, ModelFileError, TensorMap, METADATA_KEY};
use crate::lang::{text, Text};
use crate::nn::spec::{ModelSpec, SpecError};

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

/// [`super::write_model_bytes`] with a defence stack's JSON and a detector beside the model.
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
    let in_detector = |e: ModelFileError| ModelFileError::Detector(Box::new(e));
    let detector_desc = match metadata.and_then(|m| m.get(DETECTOR_KEY)) {
        Some(text) => Some(detector_description(text).map_err(in_detector)?),
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
            check_tensors(&dspec, &dmap).map_err(in_detector)?;
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
    let bad = |why: Text| ModelFileError::Spec(SpecError::Model(why));
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| bad(Text::verbatim(e.to_string())))?;
    let threshold = v["threshold"]
        .as_f64()
        .filter(|t| (0.0..=1.0).contains(t))
        .ok_or_else(|| {
            let t = &v["threshold"];
            bad(text!(
                "threshold {t} is not a number from 0 to 1",
                "threshold {t}: 0부터 1까지의 수가 아닙니다"
            ))
        })?;
    let spec = ModelSpec::from_json(&v["spec"].to_string())?;
    // A binary detector answers "clean" or "adversarial": two classes, no more.
    if spec.labels.len() != 2 {
        let n = spec.labels.len();
        return Err(bad(text!(
            "a binary detector has 2 output classes, this network has {n}",
            "이진 탐지기의 출력 클래스는 2개인데 이 신경망은 {n}개입니다"
        )));
    }
    Ok((threshold as f32, spec))
}

/// The `__metadata__` key holding how a shipped reference model was made (`advlab models`):
/// recipe, seed, clean accuracy, the command and the advlab version, as JSON.
pub const PROVENANCE_KEY: &str = "advlab-provenance";

/// The entries of a file's `__metadata__` (empty when it has none).
pub fn file_metadata(bytes: &[u8]) -> Result<HashMap<String, String>, ModelFileError> {
    check_prefix(bytes)?;
    let (_, meta) = SafeTensors::read_metadata(bytes)
        .map_err(|e| ModelFileError::Safetensors(e.to_string()))?;
    Ok(meta.metadata().clone().unwrap_or_default())
}

/// The file `bytes` with `key` set to `value` in its `__metadata__`; the tensors are unchanged.
pub fn with_metadata(bytes: &[u8], key: &str, value: &str) -> Result<Vec<u8>, ModelFileError> {
    let bad = |e: safetensors::SafeTensorError| ModelFileError::Safetensors(e.to_string());
    let mut meta = file_metadata(bytes)?;
    meta.insert(key.to_string(), value.to_string());
    let st = SafeTensors::deserialize(bytes).map_err(bad)?;
    let mut tensors = st.tensors();
    tensors.sort_by(|a, b| a.0.cmp(&b.0));
    safetensors::serialize(tensors, Some(meta)).map_err(bad)
}
