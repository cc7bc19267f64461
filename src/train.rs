//! The training loop: seeded shuffling and batching, one progress callback, a cancellation flag.
//!
//! Main types: [`TrainConfig`], [`Trainer`] (resumable: [`Trainer::step`] runs a few batches and
//! returns, and [`Trainer::work`] may also pause in the middle of a batch whose adversarial
//! samples are being crafted, so a single-threaded browser worker can stay responsive),
//! [`Progress`], [`BatchTransform`] (adversarial training replaces part of each batch, step by
//! step) and [`TrainError`]. [`fit`] is the native convenience that loops `step` to the end.
//!
//! Determinism: the trainer owns a `ChaCha8Rng` seeded from [`TrainConfig::seed`]; it shuffles
//! the sample order at the start of every epoch and is lent to the batch transform, so the same
//! seed, data and starting weights give bit-identical weights however the steps are sliced,
//! including pauses inside a batch transform (it draws from the trainer's generator only when it
//! begins a batch).

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::{Array2, ArrayView2, Axis};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::classifier::Classifier;
use crate::lang::text;

mod parts;
mod types;
pub use parts::{part_rows, PartStep};
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
    /// The current batch was handed to the transform, which has not returned it yet.
    transforming: bool,
}

impl Trainer {
    /// A trainer for `n_samples` training samples (at least 1).
    pub fn new(cfg: TrainConfig, n_samples: usize) -> Result<Trainer, TrainError> {
        cfg.validate()?;
        if n_samples == 0 {
            return Err(TrainError::Data(text!(
                "the training set is empty",
                "학습 세트가 비어 있습니다"
            )));
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
            transforming: false,
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
            return Err(TrainError::Config(text!(
                "max_batches must be >= 1, got 0",
                "max_batches는 1 이상이어야 합니다. 받은 값: 0"
            )));
        }
        for _ in 0..max_batches {
            if self.is_done() {
                break;
            }
            let t = transform
                .as_mut()
                .map(|t| &mut **t as &mut dyn BatchTransform);
            self.work(clf, x, y, t, &mut || false)?;
        }
        Ok(self.progress())
    }

    /// Runs one batch, or the part of it that fits before `pause()` says stop: begins the batch
    /// (shuffling at the start of an epoch and handing it to the transform), advances the
    /// transform one unit at a time, asking `pause()` after each unit, then takes the optimiser
    /// step. Returns the progress after a finished batch, or `None` when it paused inside the
    /// transform; the next call resumes there (pass the same transform).
    pub fn work(
        &mut self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        y: &[usize],
        transform: Option<&mut dyn BatchTransform>,
        pause: &mut dyn FnMut() -> bool,
    ) -> Result<Option<Progress>, TrainError> {
        self.check_data(&*clf, x, y)?;
        if self.is_done() {
            return Ok(Some(self.progress()));
        }
        if self.run_batch(clf, x, y, transform, pause)? {
            Ok(Some(self.progress()))
        } else {
            Ok(None)
        }
    }

    fn check_data(
        &self,
        clf: &dyn Classifier,
        x: ArrayView2<f32>,
        y: &[usize],
    ) -> Result<(), TrainError> {
        if x.nrows() != y.len() || y.len() != self.n_samples {
            let (rows, labels, n) = (x.nrows(), y.len(), self.n_samples);
            return Err(TrainError::Data(text!(
                "{rows} samples and {labels} labels, trainer built for {n}",
                "샘플 {rows}개와 레이블 {labels}개인데 학습기는 {n}개에 맞춰 만들었습니다"
            )));
        }
        if x.ncols() != clf.nb_features() {
            let (got, expected) = (x.ncols(), clf.nb_features());
            return Err(TrainError::Data(text!(
                "samples have {got} features, the classifier expects {expected}",
                "샘플의 특성은 {got}개인데 분류기는 {expected}개를 받습니다"
            )));
        }
        let c = clf.nb_classes();
        match y.iter().position(|&l| l >= c) {
            Some(i) => Err(TrainError::Data(text!(
                "label {} of sample {i} is out of range for {c} classes",
                "샘플 {i}의 레이블 {}: 클래스 {c}개의 범위를 벗어났습니다";
                y[i]
            ))),
            None => Ok(()),
        }
    }

    /// A new epoch's order and running means.
    fn begin_epoch(&mut self) {
        self.order.shuffle(&mut self.rng);
        self.loss_sum = 0.0;
        self.hits_sum = 0.0;
        self.epoch_seen = 0;
    }

    /// The current batch's sample indices and labels.
    fn batch_rows(&self, y: &[usize]) -> (Vec<usize>, Vec<usize>) {
        let start = self.batch * self.cfg.batch_size;
        let idx = self.order[start..(start + self.cfg.batch_size).min(self.n_samples)].to_vec();
        let yb = idx.iter().map(|&i| y[i]).collect();
        (idx, yb)
    }

    /// Returns true once the batch was trained on, false when paused inside the transform.
    fn run_batch(
        &mut self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        y: &[usize],
        transform: Option<&mut dyn BatchTransform>,
        pause: &mut dyn FnMut() -> bool,
    ) -> Result<bool, TrainError> {
        if !self.transforming && self.batch == 0 {
            self.begin_epoch();
        }
        let (idx, yb) = self.batch_rows(y);
        match self.batch_input(clf, x, &idx, &yb, transform, pause)? {
            Some(xb) => {
                self.train_on(clf, xb, &yb)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The current batch `x[idx]` as it is trained on: through the transform when there is one
    /// (begun here, drawing from the trainer's generator, unless it already has the batch, then
    /// advanced until it returns the batch). `None` when `pause()` stopped it inside the
    /// transform; the next call resumes there (pass the same transform).
    fn batch_input(
        &mut self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        idx: &[usize],
        yb: &[usize],
        transform: Option<&mut dyn BatchTransform>,
        pause: &mut dyn FnMut() -> bool,
    ) -> Result<Option<Array2<f32>>, TrainError> {
        let Some(t) = transform else {
            if self.transforming {
                return Err(TrainError::Transform(text!(
                    "a batch was being transformed but no transform was given",
                    "배치를 변환하던 중인데 변환이 주어지지 않았습니다"
                )));
            }
            return Ok(Some(x.select(Axis(0), idx)));
        };
        if !self.transforming {
            t.begin(clf, x.select(Axis(0), idx), yb, &mut self.rng)
                .map_err(TrainError::Transform)?;
            self.transforming = true;
        }
        loop {
            if let Some(xb) = t.advance(clf).map_err(TrainError::Transform)? {
                self.transforming = false;
                let shape = (idx.len(), x.ncols());
                if xb.dim() != shape {
                    let got = xb.dim();
                    return Err(TrainError::Transform(text!(
                        "returned shape {got:?}, expected {shape:?}",
                        "돌려준 모양은 {got:?}인데 예상한 모양은 {shape:?}입니다"
                    )));
                }
                return Ok(Some(xb));
            }
            if pause() {
                return Ok(None);
            }
        }
    }

    /// The optimiser step on the (transformed) batch, and the running means.
    fn train_on(
        &mut self,
        clf: &mut dyn Classifier,
        xb: Array2<f32>,
        yb: &[usize],
    ) -> Result<(), TrainError> {
        let stats = clf.train_batch(xb.view(), yb);
        self.record(stats.loss, f64::from(stats.accuracy), yb.len())
    }

    /// Counts a trained batch of `n` rows with its loss and accuracy, and moves to the next one.
    fn record(&mut self, loss: f32, accuracy: f64, n: usize) -> Result<(), TrainError> {
        if !loss.is_finite() {
            return Err(TrainError::Diverged {
                loss,
                epoch: self.epoch + 1,
                batch: self.batch + 1,
            });
        }
        self.loss_sum += loss as f64 * n as f64;
        self.hits_sum += accuracy * n as f64;
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
mod tests;
