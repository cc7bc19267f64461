//! What the worker keeps between requests: decoded datasets and the two model slots.
//!
//! Main types: [`Store`], [`ModelEntry`]. Also [`dataset_files`] (which files the worker script
//! fetches for a dataset) and [`decode_dataset`] (files to [`Dataset`]).

use std::collections::HashMap;

use ndarray::ArrayView2;

use super::error::SessionError;
use crate::classifier::Classifier;
pub use crate::data::dataset_files;
use crate::data::{decode_files, Dataset};
use crate::defences::{BinaryInputDetector, Stack, StackConfig};
use crate::lang::text;
use crate::nn::presets::{preset, preset_names};
use crate::nn::Model;
use crate::protocol::{
    Bytes, DatasetInfo, F32s, ModelInfo, PresetInfo, Slot, SlotDetector, SlotScores,
};

/// Decodes a dataset from the bytes of its [`dataset_files`] (each at most
/// [`crate::limits::MAX_DATASET_FILE_BYTES`]).
pub fn decode_dataset(name: &str, files: &[Bytes]) -> Result<Dataset, SessionError> {
    if dataset_files(name).is_none() {
        return Err(SessionError::UnknownDataset(name.into()));
    }
    let views = checked_files(files, crate::limits::MAX_DATASET_FILE_BYTES)?;
    Ok(decode_files(name, &views)?)
}

/// The files' bytes, once each is known to be at most `limit` bytes long.
pub(super) fn checked_files(files: &[Bytes], limit: u64) -> Result<Vec<&[u8]>, SessionError> {
    if let Some((i, f)) = files
        .iter()
        .enumerate()
        .find(|(_, f)| f.len() as u64 > limit)
    {
        return Err(SessionError::invalid(
            "files",
            format!("file {i} of {} bytes", f.len()),
            text!(
                "a dataset file must be at most {limit} bytes",
                "데이터셋 파일은 {limit}바이트 이하여야 합니다"
            ),
        ));
    }
    Ok(files.iter().map(|f| f.as_slice()).collect())
}

/// The page's description of a dataset.
pub fn dataset_info(ds: &Dataset) -> DatasetInfo {
    let feature_names = if ds.name == "iris" {
        ["sepal length", "sepal width", "petal length", "petal width"]
            .map(String::from)
            .to_vec()
    } else {
        Vec::new()
    };
    DatasetInfo {
        name: ds.name.clone(),
        train: ds.y_train.len(),
        test: ds.y_test.len(),
        input_shape: ds.input_shape.clone(),
        class_names: ds.class_names.clone(),
        feature_names,
        clip_values: ds.clip_values,
        presets: presets_for(ds),
        catalog: crate::catalog::catalog_for(&ds.name),
    }
}

/// The presets built for the dataset's input shape (MNIST presets also fit Fashion-MNIST).
fn presets_for(ds: &Dataset) -> Vec<PresetInfo> {
    let family = crate::nn::presets::family_of(&ds.input_shape);
    preset_names()
        .iter()
        .filter_map(|n| preset(n))
        .filter(|p| Some(p.dataset) == family)
        .map(|p| PresetInfo {
            name: p.name.into(),
            description: p.description.en.into(),
            description_ko: p.description.ko.into(),
            epochs: p.epochs,
            batch_size: p.batch_size,
            learning_rate: p.optimizer.learning_rate(),
        })
        .collect()
}

/// A model in a slot, with what the page shows about it.
#[derive(Debug, Clone)]
pub struct ModelEntry {
    /// The network.
    pub model: Model,
    /// Its description.
    pub info: ModelInfo,
    /// The slot's defence stack (empty: the plain model).
    pub stack: StackConfig,
    /// The slot's detector, if one was trained or loaded.
    pub detector: Option<BinaryInputDetector>,
}

impl ModelEntry {
    /// A model with no stack or detector.
    pub fn plain(model: Model, info: ModelInfo) -> ModelEntry {
        ModelEntry {
            model,
            info,
            stack: StackConfig::default(),
            detector: None,
        }
    }

    /// A copy of the model behind its stack and detector (naive gradients); the randomised
    /// pieces draw from `seed`.
    pub fn stacked(&self, seed: u64) -> Stack<Model> {
        let mut s = Stack::new(self.model.clone(), &self.stack, seed)
            .unwrap_or_else(|_| Stack::plain(self.model.clone()));
        s.set_detector(self.detector.clone());
        s
    }
}

/// Datasets and model slots.
#[derive(Debug, Default)]
pub struct Store {
    /// Decoded datasets by name.
    pub datasets: HashMap<String, Dataset>,
    undefended: Option<ModelEntry>,
    defended: Option<ModelEntry>,
}

impl Store {
    /// A loaded dataset, or why not (`cifar10` and `images` are the user's own files).
    pub fn dataset(&self, name: &str) -> Result<&Dataset, SessionError> {
        if dataset_files(name).is_none() && !super::own_data::OWN_DATASETS.contains(&name) {
            return Err(SessionError::UnknownDataset(name.into()));
        }
        self.datasets
            .get(name)
            .ok_or_else(|| SessionError::NotLoaded(name.into()))
    }

    /// The model in `slot`, whatever its dataset.
    pub fn entry(&self, slot: Slot) -> Option<&ModelEntry> {
        match slot {
            Slot::Undefended => self.undefended.as_ref(),
            Slot::Defended => self.defended.as_ref(),
        }
    }

    /// The model in `slot` if it was made for `dataset`.
    pub fn model_for(&self, slot: Slot, dataset: &str) -> Option<&ModelEntry> {
        self.entry(slot).filter(|e| e.info.dataset == dataset)
    }

    /// Like [`Store::model_for`] but an error when missing.
    pub fn require(&self, slot: Slot, dataset: &str) -> Result<&ModelEntry, SessionError> {
        self.model_for(slot, dataset)
            .ok_or_else(|| SessionError::NoModel {
                slot,
                dataset: Some(dataset.into()),
            })
    }

    /// Puts a model into its slot (replacing the previous one).
    pub fn install(&mut self, entry: ModelEntry) {
        match entry.info.slot {
            Slot::Undefended => self.undefended = Some(entry),
            Slot::Defended => self.defended = Some(entry),
        }
    }

    /// Copies of the models that fit `dataset`, by slot, behind their stacks (naive
    /// gradients, random pieces seeded with 0).
    pub fn models_for(&self, dataset: &str) -> Vec<(Slot, Stack<Model>)> {
        self.stacks_for(dataset, 0)
    }

    /// Copies of both slots' models behind their stacks, the random pieces seeded with `seed`.
    pub fn stacks_for(&self, dataset: &str, seed: u64) -> Vec<(Slot, Stack<Model>)> {
        Slot::BOTH
            .iter()
            .filter_map(|&s| self.model_for(s, dataset).map(|e| (s, e.stacked(seed))))
            .collect()
    }

    /// The entry in a slot, mutably.
    pub fn entry_mut(&mut self, slot: Slot) -> Option<&mut ModelEntry> {
        match slot {
            Slot::Undefended => self.undefended.as_mut(),
            Slot::Defended => self.defended.as_mut(),
        }
    }

    /// Scores of both slots' models (those that fit `dataset`) on `x`, through their stacks.
    pub fn scores(&self, dataset: &str, x: ArrayView2<f32>) -> Result<SlotScores, SessionError> {
        let stacks = self.models_for(dataset);
        slot_scores(
            |slot| stacks.iter().find(|(s, _)| *s == slot).map(|(_, m)| m),
            x,
        )
    }

    /// Each slot's detector scores on `x`, for the slots (fitting `dataset`) with a detector.
    pub fn detector_scores(&self, dataset: &str, x: ArrayView2<f32>) -> SlotDetector {
        let score = |slot| {
            self.model_for(slot, dataset)
                .and_then(|e| e.detector.as_ref())
                .map(|d| d.scores(x))
        };
        SlotDetector {
            undefended: score(Slot::Undefended),
            defended: score(Slot::Defended),
        }
    }
}

/// Scores of `x` under each slot's model, as `model_of` finds them (`None`: no scores), or an
/// error when a model's computation overflows on `x`. The model predicts in small chunks
/// itself, so `x` may be large.
pub fn slot_scores<'a, C: Classifier + 'a>(
    model_of: impl Fn(Slot) -> Option<&'a C>,
    x: ArrayView2<f32>,
) -> Result<SlotScores, SessionError> {
    let score = |slot| -> Result<Option<F32s>, SessionError> {
        match model_of(slot) {
            Some(m) => Ok(Some(F32s(m.predict_checked(x)?.iter().copied().collect()))),
            None => Ok(None),
        }
    };
    Ok(SlotScores {
        undefended: score(Slot::Undefended)?,
        defended: score(Slot::Defended)?,
    })
}

/// Checks that `model` takes the dataset's samples and classes, and that every sample of the
/// dataset lies inside its clip values (so attacks on the dataset's samples are well defined).
pub fn check_fits(model: &Model, ds: &Dataset) -> Result<(), SessionError> {
    let (lo, hi) = model.clip_values();
    if lo > ds.clip_values.0 || hi < ds.clip_values.1 {
        return Err(SessionError::invalid(
            "model",
            format!("clip values [{lo}, {hi}]"),
            text!(
                "must cover the data range [{}, {}] of {}",
                "{2}의 데이터 범위를 덮어야 합니다: [{0}, {1}]";
                ds.clip_values.0, ds.clip_values.1, ds.name
            ),
        ));
    }
    if model.input_shape() != ds.input_shape.as_slice() || model.nb_classes() != ds.nb_classes() {
        return Err(SessionError::invalid(
            "model",
            format!("{:?} → {} classes", model.input_shape(), model.nb_classes()),
            text!(
                "{} needs inputs {:?} and {} classes",
                "{}에는 모양이 {:?}인 입력과 클래스 {}개가 필요합니다";
                ds.name,
                ds.input_shape,
                ds.nb_classes()
            ),
        ));
    }
    Ok(())
}
