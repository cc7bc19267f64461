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
use super::{ExperimentError, Options, Recipe, Scale, TableResult, TableSpec};
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
    /// Epochs of MNIST-family models (`None`: the table's recipe).
    epochs: Option<usize>,
    /// Epochs of IRIS models (`None`: the table's recipe).
    iris_epochs: Option<usize>,
}

impl Budget {
    fn of(scale: Scale) -> Budget {
        match scale {
            Scale::Full => Budget {
                train: None,
                test: None,
                epochs: None,
                iris_epochs: None,
            },
            Scale::Quick => Budget {
                train: Some(10_000),
                test: Some(1000),
                epochs: Some(1),
                iris_epochs: None,
            },
            Scale::Tiny => Budget {
                train: Some(300),
                test: Some(40),
                epochs: Some(1),
                iris_epochs: Some(20),
            },
        }
    }
}

/// Datasets, undefended models and timings shared by the tables of one run.
pub struct Lab {
    opts: Options,
    budget: Budget,
    datasets: HashMap<&'static str, Dataset>,
    undefended: HashMap<(&'static str, &'static str), Model>,
    steps: Vec<Step>,
}

impl Lab {
    /// An empty lab for one run.
    pub fn new(opts: Options) -> Lab {
        Lab {
            budget: Budget::of(opts.scale),
            opts,
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
        let loaded = match (name, &self.opts.cifar10) {
            ("cifar10", Some(path)) => crate::data::cifar::cifar10_from_path(path),
            _ => files::load_dataset(name, &files::datasets_dir()),
        };
        let ds = loaded.map_err(|source| ExperimentError::Data {
            dataset: name.to_string(),
            source,
        })?;
        let ds = match name {
            "iris" => ds,
            _ => ds.limited(self.budget.train, self.budget.test),
        };
        self.datasets.insert(name, ds.clone());
        Ok(ds)
    }

    /// The recipe at this scale: its epochs cut to the scale's budget.
    fn recipe(&self, dataset: &str, r: Recipe) -> Recipe {
        let cut = match dataset {
            "iris" => self.budget.iris_epochs,
            _ => self.budget.epochs,
        };
        Recipe {
            epochs: cut.map_or(r.epochs, |e| e.min(r.epochs)),
            ..r
        }
    }

    /// Trains `preset` on `ds`, from `start` or fresh weights, optionally with a defence.
    fn train(
        &self,
        ds: &Dataset,
        preset_name: &str,
        recipe: Recipe,
        start: Option<&Model>,
        defence: Option<&DefenceConfig>,
    ) -> Result<Model, ExperimentError> {
        let p = preset(preset_name).ok_or_else(|| ExperimentError::Preset(preset_name.into()))?;
        let mut model = match start {
            Some(m) => m.clone(),
            None => Model::new(p.spec.clone(), self.opts.seed)?,
        };
        model.set_optimizer(p.optimizer.with_learning_rate(recipe.learning_rate))?;
        let cfg = TrainConfig {
            epochs: recipe.epochs,
            batch_size: recipe.batch_size,
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

    /// The undefended model of a dataset, trained with the table's recipe on first use.
    fn undefended(
        &mut self,
        spec: &TableSpec,
        log: &mut dyn FnMut(&str),
    ) -> Result<(Model, Recipe), ExperimentError> {
        let recipe = self.recipe(spec.dataset, spec.recipe);
        let key = (spec.dataset, spec.preset);
        if let Some(m) = self.undefended.get(&key) {
            return Ok((m.clone(), recipe));
        }
        let ds = self.dataset(spec.dataset)?;
        let name = format!(
            "train undefended {} on {} ({})",
            spec.preset,
            ds.name,
            recipe_text(recipe)
        );
        let m = self.timed(name, log, |lab| {
            lab.train(&ds, spec.preset, recipe, None, None)
        })?;
        self.undefended.insert(key, m.clone());
        Ok((m, recipe))
    }

    /// Runs one table: the undefended model, the defended model(s) continuing it (one per column
    /// where the report trained one per column), then the attacks of every column.
    pub fn run_table(
        &mut self,
        spec: &TableSpec,
        log: &mut dyn FnMut(&str),
    ) -> Result<TableResult, ExperimentError> {
        let ds = self.dataset(spec.dataset)?;
        let (mut undefended, recipe) = self.undefended(spec, log)?;
        let def_recipe = self.recipe(spec.dataset, spec.defence_recipe);
        let columns: Vec<Option<f32>> = match spec.per_column {
            true => spec.values.iter().map(|&v| Some(v)).collect(),
            false => vec![None],
        };
        let mut defended = Vec::new();
        for column in columns {
            let defence = spec.defence_at(column.unwrap_or(spec.values[0]))?;
            let which = column.map_or(String::new(), |v| format!(" at {} {v}", spec.param));
            let name = format!(
                "{}: train defended{which} ({}, continuing the undefended model, {})",
                spec.id,
                spec.defence_name,
                recipe_text(def_recipe)
            );
            let model = self.timed(name, log, |lab| {
                lab.train(
                    &ds,
                    spec.preset,
                    def_recipe,
                    Some(&undefended),
                    Some(&defence),
                )
            })?;
            defended.push(model);
        }
        let n = ds.y_test.len();
        let (x, y) = (ds.x_test.slice(s![..n, ..]), &ds.y_test[..n]);
        let clean = accuracy(&undefended.predict(x), y);
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
        let how = format!(
            "{}{}, continuing the undefended model ({})",
            spec.defence_name,
            if spec.per_column {
                format!(", one model per {}", spec.param)
            } else {
                String::new()
            },
            recipe_text(def_recipe)
        );
        Ok(TableResult {
            spec: spec.clone(),
            sizes: (ds.y_train.len(), n),
            recipe,
            defended_training: how,
            clean,
            rows,
        })
    }
}

/// "Adam 0.01, batch 64, 20 epochs".
pub fn recipe_text(r: Recipe) -> String {
    format!(
        "Adam {}, batch {}, {} epoch{}",
        r.learning_rate,
        r.batch_size,
        r.epochs,
        if r.epochs == 1 { "" } else { "s" }
    )
}
