//! The workbench the experiments run on: datasets and undefended models loaded or trained once
//! and shared between tables, defended training, and the wall time of every step (the attacks
//! are in `evaluate.rs`).
//!
//! Main types: [`Lab`] ([`Lab::run_table`] runs one [`TableSpec`]), [`Step`] and the private
//! `Budget` (sizes per [`Scale`]).

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use ndarray::s;

use super::evaluate::robustness;
use super::{ExperimentError, Options, Scale, TableResult, TableSpec};
use crate::classifier::{accuracy, Classifier};
use crate::data::{files, Dataset};
use crate::defences::DefenceConfig;
use crate::nn::presets::preset;
use crate::nn::Model;
use crate::train::{fit, BatchTransform, TrainConfig};

/// One timed step of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// What was done.
    pub name: String,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// Data and training budget of a [`Scale`] (IRIS always uses all of its 150 rows).
#[derive(Debug, Clone, Copy)]
struct Budget {
    /// MNIST-family training samples (`None`: all 60 000).
    train: Option<usize>,
    /// Test samples attacked (`None`: all 10 000).
    test: Option<usize>,
    /// Test samples for the expensive attack (DeepFool).
    expensive_test: usize,
    /// Epochs (`None`: the preset's).
    epochs: Option<usize>,
    /// Epochs of adversarial fine-tuning with the expensive attack.
    fine_tune_epochs: usize,
}

impl Budget {
    fn of(scale: Scale) -> Budget {
        match scale {
            Scale::Full => Budget {
                train: None,
                test: None,
                expensive_test: 2000,
                epochs: None,
                fine_tune_epochs: 1,
            },
            Scale::Quick => Budget {
                train: Some(10_000),
                test: Some(1000),
                expensive_test: 300,
                epochs: Some(2),
                fine_tune_epochs: 1,
            },
            Scale::Tiny => Budget {
                train: Some(300),
                test: Some(40),
                expensive_test: 20,
                epochs: Some(1),
                fine_tune_epochs: 1,
            },
        }
    }
}

/// Datasets, undefended models and timings shared by the tables of one run.
pub struct Lab {
    opts: Options,
    budget: Budget,
    datasets: HashMap<&'static str, Dataset>,
    undefended: HashMap<&'static str, (Model, usize)>,
    steps: Vec<Step>,
}

impl Lab {
    /// An empty lab for one run.
    pub fn new(opts: Options) -> Lab {
        Lab {
            opts,
            budget: Budget::of(opts.scale),
            datasets: HashMap::new(),
            undefended: HashMap::new(),
            steps: Vec::new(),
        }
    }

    /// Every timed step so far.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    fn timed<T>(
        &mut self,
        name: String,
        log: &mut dyn FnMut(&str),
        f: impl FnOnce(&mut Lab) -> Result<T, ExperimentError>,
    ) -> Result<T, ExperimentError> {
        let start = Instant::now();
        let out = f(self)?;
        let seconds = start.elapsed().as_secs_f64();
        log(&format!("{name}: {seconds:.1} s"));
        self.steps.push(Step { name, seconds });
        Ok(out)
    }

    fn dataset(&mut self, name: &'static str) -> Result<Dataset, ExperimentError> {
        if let Some(ds) = self.datasets.get(name) {
            return Ok(ds.clone());
        }
        let ds = files::load_dataset(name, &files::datasets_dir()).map_err(|source| {
            ExperimentError::Data {
                dataset: name.to_string(),
                source,
            }
        })?;
        let ds = match name {
            "iris" => ds,
            _ => ds.subset(
                self.budget.train.unwrap_or(usize::MAX),
                self.budget.test.unwrap_or(usize::MAX),
            ),
        };
        self.datasets.insert(name, ds.clone());
        Ok(ds)
    }

    /// Epochs for a preset at this scale (IRIS keeps the preset's except in tiny runs).
    fn epochs(&self, dataset: &str, preset_epochs: usize) -> usize {
        match (dataset, self.opts.scale) {
            ("iris", Scale::Tiny) => 20,
            ("iris", _) => preset_epochs,
            _ => self.budget.epochs.unwrap_or(preset_epochs),
        }
    }

    /// Trains `preset` on `ds`, from `start` or fresh weights, optionally with a defence.
    fn train(
        &self,
        ds: &Dataset,
        preset_name: &str,
        epochs: usize,
        start: Option<&Model>,
        defence: Option<&DefenceConfig>,
    ) -> Result<Model, ExperimentError> {
        let p = preset(preset_name).ok_or_else(|| ExperimentError::Preset(preset_name.into()))?;
        let mut model = match start {
            Some(m) => m.clone(),
            None => Model::new(p.spec.clone(), self.opts.seed)?,
        };
        model.set_optimizer(p.optimizer)?;
        let cfg = TrainConfig {
            epochs,
            batch_size: p.batch_size,
            seed: self.opts.seed,
        };
        let mut trainer = defence.map(|d| d.trainer()).transpose()?;
        let t = trainer.as_mut().map(|t| t as &mut dyn BatchTransform);
        let (x, y) = (ds.x_train.view(), &ds.y_train);
        let cancel = AtomicBool::new(false);
        fit(&mut model, x, y, &cfg, t, &mut |_| {}, &cancel).map_err(|source| {
            ExperimentError::Train {
                what: format!("{preset_name} on {}", ds.name),
                source,
            }
        })?;
        Ok(model)
    }

    /// The undefended model of a dataset, trained on first use.
    fn undefended(
        &mut self,
        spec: &TableSpec,
        log: &mut dyn FnMut(&str),
    ) -> Result<(Model, usize), ExperimentError> {
        if let Some(m) = self.undefended.get(spec.dataset) {
            return Ok(m.clone());
        }
        let ds = self.dataset(spec.dataset)?;
        let p = preset(spec.preset).ok_or_else(|| ExperimentError::Preset(spec.preset.into()))?;
        let epochs = self.epochs(spec.dataset, p.epochs);
        let name = format!(
            "train undefended {} on {} ({epochs} epochs)",
            spec.preset, ds.name
        );
        let m = self.timed(name, log, |lab| {
            lab.train(&ds, spec.preset, epochs, None, None)
        })?;
        self.undefended.insert(spec.dataset, (m.clone(), epochs));
        Ok((m, epochs))
    }

    /// Runs one table: models, then white-box and transfer attacks for every value.
    pub fn run_table(
        &mut self,
        spec: &TableSpec,
        log: &mut dyn FnMut(&str),
    ) -> Result<TableResult, ExperimentError> {
        let ds = self.dataset(spec.dataset)?;
        let (mut undefended, epochs) = self.undefended(spec, log)?;
        let (start, def_epochs, how) = match spec.expensive {
            true => {
                let e = self.budget.fine_tune_epochs;
                (
                    Some(&undefended),
                    e,
                    format!("continued from the undefended weights for {e} epoch(s)"),
                )
            }
            false => (None, epochs, format!("fresh weights, {epochs} epochs")),
        };
        let name = format!("{}: train defended {} ({how})", spec.id, spec.defence_name);
        let mut defended = self.timed(name, log, |lab| {
            lab.train(&ds, spec.preset, def_epochs, start, Some(&spec.defence))
        })?;
        let n = match spec.expensive {
            true => self.budget.expensive_test.min(ds.y_test.len()),
            false => ds.y_test.len(),
        };
        let (x, y) = (ds.x_test.slice(s![..n, ..]), &ds.y_test[..n]);
        let clean = (
            accuracy(&undefended.predict(x), y),
            accuracy(&defended.predict(x), y),
        );
        let name = format!(
            "{}: attack both models, {} values of {} on {n} test samples",
            spec.id,
            spec.values.len(),
            spec.param
        );
        let seed = self.opts.seed;
        let rows = self.timed(name, log, |_| {
            robustness(&mut undefended, &mut defended, x, y, spec, seed)
        })?;
        Ok(TableResult {
            spec: spec.clone(),
            sizes: (ds.y_train.len(), n, epochs),
            defended_training: how,
            clean,
            rows,
        })
    }
}
