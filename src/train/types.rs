//! The plain data types of the training loop: [`TrainConfig`], [`Progress`], the
//! [`BatchTransform`] hook and [`TrainError`].

use ndarray::Array2;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::classifier::Classifier;
use crate::lang::{say, text, Bilingual, Lang, Text};

/// How long and in what chunks to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Passes over the training set, at least 1.
    pub epochs: usize,
    /// Samples per optimiser step, at least 1 (the last batch of an epoch may be smaller).
    pub batch_size: usize,
    /// Seed of the shuffling generator.
    pub seed: u64,
}

impl TrainConfig {
    /// Checks that epochs and batch size are positive.
    pub fn validate(&self) -> Result<(), TrainError> {
        if self.epochs == 0 {
            return Err(TrainError::Config(text!(
                "epochs must be >= 1, got {}",
                "epochs는 1 이상이어야 합니다. 받은 값: {}";
                self.epochs
            )));
        }
        if self.batch_size == 0 {
            return Err(TrainError::Config(text!(
                "batch_size must be >= 1, got {}",
                "batch_size는 1 이상이어야 합니다. 받은 값: {}";
                self.batch_size
            )));
        }
        Ok(())
    }
}

/// Where training stands after a step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Current epoch, 1-based (equals `epochs` once done).
    pub epoch: usize,
    /// Total epochs.
    pub epochs: usize,
    /// Batches finished in the current epoch (equals `batches` at the end of an epoch).
    pub batch: usize,
    /// Batches per epoch.
    pub batches: usize,
    /// Sample-weighted mean training loss over the current epoch so far.
    pub loss: f32,
    /// Sample-weighted mean training accuracy over the current epoch so far.
    pub accuracy: f32,
    /// Samples trained on since the start, over all epochs.
    pub samples_seen: usize,
    /// True once every epoch has run.
    pub done: bool,
}

/// Replaces part of a batch before the optimiser step (adversarial training uses it), as a
/// resumable piece of work so that the trainer can pause in the middle of crafting a batch.
///
/// The trainer calls [`BatchTransform::begin`] once per batch, then [`BatchTransform::advance`]
/// until it returns the batch to train on. Randomness is drawn from the trainer's generator in
/// `begin` only, so the weights do not depend on where the work was paused.
pub trait BatchTransform {
    /// Starts transforming the batch `x` with labels `y` (draws from `rng` here, and only here).
    fn begin(
        &mut self,
        clf: &mut dyn Classifier,
        x: Array2<f32>,
        y: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Result<(), Text>;

    /// One bounded unit of work on the batch begun last; the batch to train on (same shape as
    /// the one begun) once it is ready.
    fn advance(&mut self, clf: &mut dyn Classifier) -> Result<Option<Array2<f32>>, Text>;

    /// From now on, transform only rows `part_rows(count, k, batch)` of every batch begun (the
    /// others come back unchanged): one worker's share in data-parallel training. `begin` must
    /// still draw from its generator exactly as for the whole batch, so every worker's trainer
    /// stays in step. A transform that cannot do this says why.
    fn share(&mut self, count: usize, k: usize) -> Result<(), Text> {
        let _ = (count, k);
        Err(text!(
            "this batch transform cannot be shared out across workers",
            "이 배치 변환은 여러 워커에 나눌 수 없습니다"
        ))
    }
}

/// Why training could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    /// Bad epochs, batch size or step size.
    Config(Text),
    /// The data does not match the classifier or the trainer.
    Data(Text),
    /// The batch transform failed or returned the wrong shape.
    Transform(Text),
    /// The loss became NaN or infinite.
    Diverged {
        /// The loss value.
        loss: f32,
        /// 1-based epoch.
        epoch: usize,
        /// 1-based batch.
        batch: usize,
    },
}

impl Bilingual for TrainError {
    fn say(&self, lang: Lang) -> String {
        match self {
            TrainError::Config(why) => {
                let why = why.get(lang);
                say!(
                    lang,
                    "invalid training configuration: {why}",
                    "잘못된 학습 설정: {why}"
                )
            }
            TrainError::Data(why) => {
                let why = why.get(lang);
                say!(
                    lang,
                    "invalid training data: {why}",
                    "잘못된 학습 데이터: {why}"
                )
            }
            TrainError::Transform(why) => {
                let why = why.get(lang);
                say!(
                    lang,
                    "batch transform failed: {why}",
                    "배치 변환 실패: {why}"
                )
            }
            TrainError::Diverged { loss, epoch, batch } => say!(
                lang,
                "training diverged: loss {loss} at epoch {epoch}, batch {batch}",
                "학습이 발산했습니다: 에포크 {epoch}, 배치 {batch}에서 손실 {loss}"
            ),
        }
    }
}

crate::lang::english_display!(TrainError);
