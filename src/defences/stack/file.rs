//! Model files with their defence stack: the stack's JSON under the `advlab-stack` metadata key
//! and the detector's description and weights (`detector.` tensors) beside the model's, so a
//! downloaded model reloads with its stack. Files without them load with an empty stack.
//!
//! Main items: [`StackedModel`], [`save_stacked`], [`load_stacked`].

use super::StackConfig;
use crate::defences::detector::BinaryInputDetector;
use crate::lang::{text, Bilingual, Text};
use crate::nn::file::{read_model_file_bytes, write_model_file_bytes, ModelFileError};
use crate::nn::{Model, SpecError};
use crate::params::decode::decode_recording;

/// A model, its stack and its detector, as a file holds them.
#[derive(Debug, Clone)]
pub struct StackedModel {
    /// The model.
    pub model: Model,
    /// Its pre- and post-processors (empty for older files).
    pub stack: StackConfig,
    /// Its detector, if one was trained.
    pub detector: Option<BinaryInputDetector>,
}

/// Serialises a model with its stack (written only when not empty) and detector.
pub fn save_stacked(
    model: &Model,
    stack: &StackConfig,
    detector: Option<&BinaryInputDetector>,
) -> Result<Vec<u8>, ModelFileError> {
    let stack_json = if stack.is_empty() {
        None
    } else {
        Some(
            serde_json::to_string(stack)
                .map_err(|e| ModelFileError::Model(Text::verbatim(e.to_string())))?,
        )
    };
    let dt = detector.map(|d| (d.threshold, d.model.tensors()));
    let det = match (&dt, detector) {
        (Some((t, tensors)), Some(d)) => Some((*t, d.model.spec(), tensors.as_slice())),
        _ => None,
    };
    write_model_file_bytes(model.spec(), &model.tensors(), stack_json.as_deref(), det)
}

/// A model file whose defence stack is refused.
fn stack_error(why: Text) -> ModelFileError {
    ModelFileError::Spec(SpecError::Model(why))
}

/// Reads a model file with its stack and detector (checked: an unknown piece or a bad value is
/// an error naming it).
pub fn load_stacked(bytes: &[u8]) -> Result<StackedModel, ModelFileError> {
    let parts = read_model_file_bytes(bytes)?;
    let stack = match &parts.stack {
        Some(text) => decode_recording(|| serde_json::from_str::<StackConfig>(text)).map_err(
            |(e, param)| {
                let en = e.to_string();
                let ko = param.map_or_else(|| en.clone(), |p| p.ko());
                stack_error(text!("defence stack: {en}", "방어 스택: {ko}"))
            },
        )?,
        None => StackConfig::default(),
    };
    let model = Model::from_tensors(parts.spec, &parts.tensors)
        .map_err(|e| ModelFileError::Model(Text::of(&e)))?;
    for p in &stack.pieces {
        p.check_shape(crate::classifier::Classifier::input_shape(&model))
            .map_err(|e| {
                let (en, ko) = (e.to_string(), e.ko());
                stack_error(text!("defence stack: {en}", "방어 스택: {ko}"))
            })?;
    }
    let detector = match parts.detector {
        Some((threshold, spec, tensors)) => Some(BinaryInputDetector {
            model: Model::from_tensors(spec, &tensors).map_err(|e| {
                let (en, ko) = (e.to_string(), e.ko());
                ModelFileError::Model(text!("detector: {en}", "탐지기: {ko}"))
            })?,
            threshold,
        }),
        None => None,
    };
    Ok(StackedModel {
        model,
        stack,
        detector,
    })
}

/// Native helper: [`load_stacked`] from a path (at most
/// [`crate::limits::MAX_MODEL_FILE_BYTES`]).
#[cfg(not(target_arch = "wasm32"))]
pub fn load_stacked_file(path: &std::path::Path) -> Result<StackedModel, ModelFileError> {
    let bytes = crate::limits::read_capped(path, crate::limits::MAX_MODEL_FILE_BYTES).map_err(
        |reason| ModelFileError::Io {
            path: path.display().to_string(),
            reason,
        },
    )?;
    load_stacked(&bytes)
}

/// Native helper: [`save_stacked`] to a path.
#[cfg(not(target_arch = "wasm32"))]
pub fn save_stacked_file(
    path: &std::path::Path,
    model: &Model,
    stack: &StackConfig,
    detector: Option<&BinaryInputDetector>,
) -> Result<(), ModelFileError> {
    let bytes = save_stacked(model, stack, detector)?;
    crate::output::write_atomic(path, &bytes).map_err(|reason| ModelFileError::Io {
        path: path.display().to_string(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defences::postprocess::RoundedParams;
    use crate::defences::preprocess::FeatureSqueezingParams;
    use crate::defences::StackPiece;
    use crate::nn::file::{load_model, save_model};
    use crate::nn::presets::preset;

    fn model() -> Model {
        Model::new(preset("iris-seed").unwrap().spec, 1).unwrap()
    }

    #[test]
    fn stacks_and_detectors_round_trip_and_old_files_still_load() {
        let m = model();
        let stack = StackConfig {
            pieces: vec![
                StackPiece::FeatureSqueezing(FeatureSqueezingParams { bit_depth: 3 }),
                StackPiece::Rounded(RoundedParams { decimals: 2 }),
            ],
        };
        let det = BinaryInputDetector {
            model: Model::new(
                crate::defences::detector::detector_spec("iris-linear", &[4], (0.0, 1.0)).unwrap(),
                2,
            )
            .unwrap(),
            threshold: 0.7,
        };
        let bytes = save_stacked(&m, &stack, Some(&det)).unwrap();
        let back = load_stacked(&bytes).unwrap();
        assert_eq!(back.stack, stack);
        assert_eq!(back.model.tensors(), m.tensors());
        let d = back.detector.unwrap();
        assert_eq!(d.threshold, 0.7);
        assert_eq!(d.model.tensors(), det.model.tensors());
        // The plain loader reads a stacked file as its model.
        assert_eq!(load_model(&bytes).unwrap().tensors(), m.tensors());
        // An old file loads with an empty stack and no detector.
        let old = load_stacked(&save_model(&m).unwrap()).unwrap();
        assert!(old.stack.is_empty() && old.detector.is_none());
    }

    #[test]
    fn a_bad_stack_in_a_file_is_refused_naming_the_value() {
        let m = model();
        let bytes = crate::nn::file::write_model_file_bytes(
            m.spec(),
            &m.tensors(),
            Some(r#"{"pieces":[{"method":"rounded","decimals":99}]}"#),
            None,
        )
        .unwrap();
        let e = load_stacked(&bytes).unwrap_err().to_string();
        assert!(e.contains("decimals = 99"), "{e}");
        let bytes = crate::nn::file::write_model_file_bytes(
            m.spec(),
            &m.tensors(),
            Some(r#"{"pieces":[{"method":"spatial-smoothing"}]}"#),
            None,
        )
        .unwrap();
        let e = load_stacked(&bytes).unwrap_err().to_string();
        assert!(e.contains("[4]"), "{e}");
    }
}
