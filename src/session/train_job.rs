//! The training job: builds a model from a preset or JSON spec, trains it batch by batch
//! (optionally with a defence as the batch transform, whose crafting pauses between attack
//! iterations, so a Madry PGD batch does not hold up Cancel), then evaluates it on the test set in
//! chunks, and only then puts it into its slot, so a cancelled job never loses the old model.
//! With a target accuracy, the test set is measured after every epoch and training stops as soon
//! as the target is reached (Keras' early stopping on a baseline). With `start_from`, training
//! continues from a copy of another slot's model (fine-tuning), which stays in its slot.
//!
//! Data-parallel across workers (`parts`), every worker trains on its rows of each batch and the
//! gradients are exchanged (`train_job/parts.rs`); part 0 evaluates and fills the slot.
//!
//! Main type: [`TrainJob`].

use ndarray::s;

use super::error::SessionError;
use super::store::{ModelEntry, Store};
use crate::catalog::default_arch_for;
use crate::classifier::Classifier;
use crate::defences::AdversarialTrainer;
use crate::evaluation::EvalTally;
use crate::nn::presets::parse_arch;
use crate::nn::Model;
use crate::params::Described;
use crate::protocol::{Event, ModelInfo, Parts, Slot, TrainSettings};
use crate::train::{BatchTransform, TrainConfig, Trainer};

mod parts;

/// Data-parallel training reports progress every this many batches.
const SHARED_PROGRESS_EVERY: u64 = 16;

/// Rows evaluated per chunk in the evaluation phase.
const EVAL_CHUNK: usize = 500;
/// Share of the progress bar given to the evaluation phase.
const EVAL_SHARE: f32 = 0.05;

/// A running training job.
#[derive(Debug)]
pub struct TrainJob {
    id: u32,
    slot: Slot,
    settings: TrainSettings,
    arch: String,
    model: Model,
    trainer: Trainer,
    defence: Option<AdversarialTrainer>,
    n_train: usize,
    n_test: usize,
    tally: EvalTally,
    evaluating: bool,
    last_accuracy: Option<f32>,
    parts: Parts,
    shared: Option<parts::Shared>,
}

impl TrainJob {
    /// Checks the settings against the loaded dataset and prepares the model.
    pub fn new(
        id: u32,
        slot: Slot,
        settings: TrainSettings,
        parts: Option<Parts>,
        store: &Store,
    ) -> Result<TrainJob, SessionError> {
        settings.check()?;
        let parts = Parts::or_whole(parts)?;

        let ds = store.dataset(&settings.dataset)?;
        let arch = settings
            .arch
            .clone()
            .unwrap_or_else(|| default_arch_for(&settings.dataset, &ds.input_shape).to_string());
        let preset = parse_arch(&arch, ds)?;
        let cfg = TrainConfig {
            epochs: settings.epochs.unwrap_or(preset.epochs),
            batch_size: settings.batch_size.unwrap_or(preset.batch_size),
            seed: settings.seed,
        };
        let (mut model, arch) = match settings.start_from {
            Some(from) => {
                let entry = store.require(from, &settings.dataset)?;
                (entry.model.clone(), entry.info.arch.clone())
            }
            None => (
                Model::new(preset.spec.clone(), settings.seed)?,
                preset.name.to_string(),
            ),
        };
        let optimizer = settings.learning_rate.map_or(preset.optimizer, |lr| {
            preset.optimizer.with_learning_rate(lr)
        });
        model.set_optimizer(optimizer)?;
        let mut defence = settings.defence.as_ref().map(|d| d.trainer()).transpose()?;
        if let (Some(d), true) = (defence.as_mut(), parts.count > 1) {
            d.share(parts.count, parts.index)
                .map_err(|why| SessionError::invalid("part_count", parts.count, why))?;
        }
        let n_train = settings
            .train_limit
            .unwrap_or(usize::MAX)
            .min(ds.y_train.len());
        let n_test = settings
            .test_limit
            .unwrap_or(usize::MAX)
            .min(ds.y_test.len());
        let trainer = Trainer::new(cfg, n_train)?;
        Ok(TrainJob {
            id,
            slot,
            arch,
            settings,
            model,
            trainer,
            defence,
            n_train,
            n_test,
            tally: EvalTally::default(),
            evaluating: false,
            last_accuracy: None,
            shared: (parts.count > 1).then(|| parts::Shared::new(parts)),
            parts,
        })
    }

    /// Trains (then evaluates) until `out_of_time` says stop; returns a progress event for every
    /// epoch that ended in the slice (so curves of small datasets get a point per epoch) and one
    /// for the slice, or the final `Trained` event once the model is in its slot.
    pub fn advance(
        &mut self,
        store: &mut Store,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<(Vec<Event>, bool), SessionError> {
        let mut events = Vec::new();
        let (event, done) = self.advance_inner(store, out_of_time, &mut events)?;
        if done {
            // The curves' last point: where training ended.
            events.push(self.progress("train"));
        }
        events.push(event);
        Ok((events, done))
    }

    fn advance_inner(
        &mut self,
        store: &mut Store,
        out_of_time: &mut dyn FnMut() -> bool,
        epoch_ends: &mut Vec<Event>,
    ) -> Result<(Event, bool), SessionError> {
        let ds = store.dataset(&self.settings.dataset)?;
        let (x, y) = (
            ds.x_train.slice(s![..self.n_train, ..]),
            &ds.y_train[..self.n_train],
        );
        loop {
            if !self.evaluating {
                if self.trainer.is_done() {
                    if self.parts.index > 0 {
                        return Ok((self.progress("train"), false)); // a helper waits for Cancel
                    }
                    self.evaluating = true;
                    continue;
                }
                let p = if self.shared.is_some() {
                    match self.shared_move(x, y, out_of_time)? {
                        parts::Move::Sent(event) => return Ok((*event, false)),
                        parts::Move::Waiting => return Ok((self.progress("train"), false)),
                        parts::Move::Paused => return Ok((self.progress("train"), false)),
                        parts::Move::Applied(p) => {
                            let step = p.samples_seen / self.trainer.config().batch_size.max(1);
                            if self.parts.index == 0
                                && (step as u64).is_multiple_of(SHARED_PROGRESS_EVERY)
                            {
                                epoch_ends.push(self.progress("train"));
                            }
                            p
                        }
                    }
                } else {
                    let t = self.defence.as_mut().map(|d| d as &mut dyn BatchTransform);
                    // One batch, or the part of its adversarial crafting that fits in the slice.
                    let Some(p) = self.trainer.work(&mut self.model, x, y, t, out_of_time)? else {
                        return Ok((self.progress("train"), false));
                    };
                    p
                };
                // With a target accuracy, the test set is measured at the end of every epoch.
                let epoch_end = p.batch == p.batches;
                self.evaluating =
                    self.parts.index == 0 && self.settings.target_accuracy.is_some() && epoch_end;
                let slice_ends = out_of_time();
                if epoch_end && !p.done && !slice_ends && !self.evaluating {
                    epoch_ends.push(self.progress("train"));
                }
                if slice_ends {
                    return Ok((self.progress("train"), false));
                }
                continue;
            }
            self.evaluate_chunk(ds)?;
            if self.tally.samples() < self.n_test {
                if out_of_time() {
                    return Ok((self.progress("evaluate"), false));
                }
                continue;
            }
            let accuracy = self.tally.finish().accuracy;
            self.last_accuracy = Some(accuracy);
            let target = self.settings.target_accuracy;
            if self.trainer.is_done() || target.is_some_and(|t| accuracy >= t) {
                break;
            }
            (self.evaluating, self.tally) = (false, EvalTally::default());
        }
        let entry = self.entry();
        let event = Event::Trained {
            id: self.id,
            model: entry.info.clone(),
        };
        store.install(entry);
        Ok((event, true))
    }

    fn evaluate_chunk(&mut self, ds: &crate::data::Dataset) -> Result<(), SessionError> {
        let start = self.tally.samples();
        let end = (start + EVAL_CHUNK).min(self.n_test);
        let scores = self
            .model
            .predict_checked(ds.x_test.slice(s![start..end, ..]))?;
        let kind = self.model.output_kind();
        self.tally.add(&scores, &ds.y_test[start..end], kind);
        Ok(())
    }

    fn progress(&self, phase: &str) -> Event {
        let p = self.trainer.progress();
        let total = (p.epochs * self.n_train).max(1) as f32;
        let train_part = p.samples_seen as f32 / total;
        let eval_part = self.tally.samples() as f32 / self.n_test.max(1) as f32;
        Event::Progress {
            id: self.id,
            phase: phase.into(),
            fraction: (train_part * (1.0 - EVAL_SHARE) + eval_part * EVAL_SHARE).min(1.0),
            train: Some(p),
            test_accuracy: self.last_accuracy,
            queries: None,
        }
    }

    fn entry(&self) -> ModelEntry {
        let test = self.tally.finish();
        let info = ModelInfo {
            slot: self.slot,
            dataset: self.settings.dataset.clone(),
            arch: self.arch.clone(),
            params: self.model.num_params(),
            defence: self.settings.defence.as_ref().map(|d| d.name().to_string()),
            test_accuracy: test.accuracy,
            test_loss: test.loss,
            test_samples: self.n_test,
            train_samples: self.n_train,
            epochs: self.trainer.progress().epoch,
            stack: Default::default(),
            stacked_test_accuracy: None,
            stacked_test_samples: 0,
            detector: None,
            has_detector: false,
        };
        ModelEntry::plain(self.model.clone(), info)
    }
}
