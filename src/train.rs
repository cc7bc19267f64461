//! The training loop: seeded shuffling and batching, one progress callback, a cancellation flag.
//!
//! Main types: [`TrainConfig`], [`Trainer`] (resumable: [`Trainer::step`] runs a few batches and
//! returns, so a single-threaded browser worker can stay responsive), [`Progress`],
//! [`BatchTransform`] (adversarial training replaces part of each batch) and [`TrainError`].
//! [`fit`] is the native convenience that loops `step` to the end.
//!
//! Determinism: the trainer owns a `ChaCha8Rng` seeded from [`TrainConfig::seed`]; it shuffles
//! the sample order at the start of every epoch and is lent to the batch transform, so the same
//! seed, data and starting weights give bit-identical weights however the steps are sliced.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::{ArrayView2, Axis};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::classifier::Classifier;

mod types;
pub use types::{BatchTransform, Progress, TrainConfig, TrainError};

/// A resumable training run: configuration, position, this epoch's order, running means, rng.
#[derive(Debug, Clone)]
pub struct Trainer {
    cfg: TrainConfig,
    n_samples: usize,
    batches: usize,
    epoch: usize,
    batch: usize,
    order: Vec<usize>,
    loss_sum: f64,
    hits_sum: f64,
    epoch_seen: usize,
    samples_seen: usize,
    rng: ChaCha8Rng,
}

impl Trainer {
    /// A trainer for `n_samples` training samples (at least 1).
    pub fn new(cfg: TrainConfig, n_samples: usize) -> Result<Trainer, TrainError> {
        cfg.validate()?;
        if n_samples == 0 {
            return Err(TrainError::Data("the training set is empty".into()));
        }
        Ok(Trainer {
            cfg,
            n_samples,
            batches: n_samples.div_ceil(cfg.batch_size),
            epoch: 0,
            batch: 0,
            order: (0..n_samples).collect(),
            loss_sum: 0.0,
            hits_sum: 0.0,
            epoch_seen: 0,
            samples_seen: 0,
            rng: ChaCha8Rng::seed_from_u64(cfg.seed),
        })
    }

    /// True once every epoch has run.
    pub fn is_done(&self) -> bool {
        self.epoch >= self.cfg.epochs
    }

    /// The configuration.
    pub fn config(&self) -> &TrainConfig {
        &self.cfg
    }

    /// The current progress without training.
    pub fn progress(&self) -> Progress {
        let seen = self.epoch_seen.max(1) as f64;
        let done = self.is_done();
        // Between epochs (batch 0) the means still describe the epoch that just ended.
        let (epoch, batch) = match (done, self.batch) {
            (true, _) => (self.cfg.epochs, self.batches),
            (false, 0) if self.epoch > 0 => (self.epoch, self.batches),
            _ => (self.epoch + 1, self.batch),
        };
        Progress {
            epoch,
            epochs: self.cfg.epochs,
            batch,
            batches: self.batches,
            loss: (self.loss_sum / seen) as f32,
            accuracy: (self.hits_sum / seen) as f32,
            samples_seen: self.samples_seen,
            done,
        }
    }

    /// Runs up to `max_batches` batches, returns the latest progress (done=true at the end).
    pub fn step(
        &mut self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        y: &[usize],
        max_batches: usize,
        mut transform: Option<&mut dyn BatchTransform>,
    ) -> Result<Progress, TrainError> {
        if max_batches == 0 {
            return Err(TrainError::Config("max_batches must be >= 1, got 0".into()));
        }
        self.check_data(&*clf, x, y)?;
        for _ in 0..max_batches {
            if self.is_done() {
                break;
            }
            let t = transform
                .as_mut()
                .map(|t| &mut **t as &mut dyn BatchTransform);
            self.run_batch(clf, x, y, t)?;
        }
        Ok(self.progress())
    }

    fn check_data(
        &self,
        clf: &dyn Classifier,
        x: ArrayView2<f32>,
        y: &[usize],
    ) -> Result<(), TrainError> {
        if x.nrows() != y.len() || y.len() != self.n_samples {
            return Err(TrainError::Data(format!(
                "{} samples and {} labels, trainer built for {}",
                x.nrows(),
                y.len(),
                self.n_samples
            )));
        }
        if x.ncols() != clf.nb_features() {
            return Err(TrainError::Data(format!(
                "samples have {} features, the classifier expects {}",
                x.ncols(),
                clf.nb_features()
            )));
        }
        let c = clf.nb_classes();
        match y.iter().position(|&l| l >= c) {
            Some(i) => Err(TrainError::Data(format!(
                "label {} of sample {i} is out of range for {c} classes",
                y[i]
            ))),
            None => Ok(()),
        }
    }

    fn run_batch(
        &mut self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        y: &[usize],
        transform: Option<&mut dyn BatchTransform>,
    ) -> Result<(), TrainError> {
        if self.batch == 0 {
            self.order.shuffle(&mut self.rng);
            self.loss_sum = 0.0;
            self.hits_sum = 0.0;
            self.epoch_seen = 0;
        }
        let start = self.batch * self.cfg.batch_size;
        let idx = &self.order[start..(start + self.cfg.batch_size).min(self.n_samples)];
        let yb: Vec<usize> = idx.iter().map(|&i| y[i]).collect();
        let mut xb = x.select(Axis(0), idx);
        if let Some(t) = transform {
            let shape = xb.dim();
            xb = t
                .transform(clf, xb, &yb, &mut self.rng)
                .map_err(TrainError::Transform)?;
            if xb.dim() != shape {
                return Err(TrainError::Transform(format!(
                    "returned shape {:?}, expected {shape:?}",
                    xb.dim()
                )));
            }
        }
        let stats = clf.train_batch(xb.view(), &yb);
        if !stats.loss.is_finite() {
            return Err(TrainError::Diverged {
                loss: stats.loss,
                epoch: self.epoch + 1,
                batch: self.batch + 1,
            });
        }
        let n = idx.len();
        self.loss_sum += stats.loss as f64 * n as f64;
        self.hits_sum += stats.accuracy as f64 * n as f64;
        self.epoch_seen += n;
        self.samples_seen += n;
        self.batch += 1;
        if self.batch == self.batches {
            self.batch = 0;
            self.epoch += 1;
        }
        Ok(())
    }
}

/// Convenience for native use: loops [`Trainer::step`] one batch at a time, calling `progress`
/// after every batch and checking `cancel` between batches. A cancelled run returns `Ok` with
/// `done == false` (the classifier keeps the weights trained so far).
pub fn fit(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    y: &[usize],
    cfg: &TrainConfig,
    mut transform: Option<&mut dyn BatchTransform>,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<Progress, TrainError> {
    let mut trainer = Trainer::new(*cfg, y.len())?;
    let mut last = trainer.progress();
    while !trainer.is_done() && !cancel.load(Ordering::Relaxed) {
        let t = transform
            .as_mut()
            .map(|t| &mut **t as &mut dyn BatchTransform);
        last = trainer.step(clf, x, y, 1, t)?;
        progress(&last);
    }
    Ok(last)
}

#[cfg(test)]
#[path = "train/tests.rs"]
mod tests;
