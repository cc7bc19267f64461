//! The report's experiments, end to end (`advlab reproduce`): train the undefended and the
//! defended models, attack both, and set advlab's numbers beside the report's.
//!
//! Main types: [`Options`] and [`Scale`] (full, quick or tiny runs), [`TableSpec`] (one table of
//! the report: dataset, attack, swept parameter, defence and the report's figures, defined in
//! `src/scenarios/tables.rs` and shared with the page's one-click scenarios), [`TableResult`] and [`Row`] (what advlab measured), [`Report`] (all tables plus
//! the wall time of each step, rendered as Markdown by [`Report::to_markdown`]) and
//! [`ExperimentError`]. [`run_all`] runs everything.
//!
//! Every defended model is evaluated twice: on adversarial examples crafted against the
//! undefended model (the transfer setting the report most likely used) and under a white-box
//! attack on the defended model itself. Attacks get no labels, as the report called ART's
//! `generate(x)`; accuracy is against the true labels.
//!
//! Files: `lab.rs` (datasets, training), `evaluate.rs` (white-box
//! and transfer attacks), `report.rs` (Markdown).

mod evaluate;
mod lab;
mod report;

pub use crate::scenarios::tables::{table_specs, Recipe, Reported, TableSpec};
pub use lab::{recipe_text, Lab, Step};
pub use report::Report;

use crate::attacks::{AttackError, AttackMetrics};
use crate::data::DataError;
use crate::defences::DefenceError;
use crate::nn::NnError;
use crate::train::TrainError;

/// How much of the data and training the run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The report's recipes on the full datasets.
    Full,
    /// 10 000 MNIST training images, one epoch per MNIST model, 1000 test images (IRIS in
    /// full): a few minutes natively (release build).
    Quick,
    /// A few hundred samples and one epoch, for tests of the pipeline only.
    Tiny,
}

impl Scale {
    /// The name shown in the report.
    pub fn name(self) -> &'static str {
        match self {
            Scale::Full => "full",
            Scale::Quick => "quick",
            Scale::Tiny => "tiny",
        }
    }
}

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Data and training budget.
    pub scale: Scale,
    /// Seed of weights, shuffling and attacks.
    pub seed: u64,
    /// The tables to run (`None`: all), by number: 2 runs Tables 2a and 2b.
    pub tables: Option<Vec<u8>>,
    /// CIFAR-10 (`cifar-10-binary.tar.gz` or the folder of its batch files): Table 2 then runs
    /// on it, as in the report, instead of on MNIST and Fashion-MNIST.
    pub cifar10: Option<std::path::PathBuf>,
}

impl Options {
    /// Whether the run includes `spec` (Table 2 is "Table 2a" and "Table 2b").
    pub fn wants(&self, spec: &TableSpec) -> bool {
        let number = spec
            .id
            .trim_start_matches("Table ")
            .trim_end_matches(['a', 'b']);
        self.tables
            .as_ref()
            .is_none_or(|t| t.iter().any(|n| n.to_string() == number))
    }
}

/// One value of the swept parameter: accuracies of the undefended and the defended model.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Row {
    /// The parameter's value.
    pub value: f32,
    /// White-box attack on the undefended model.
    pub undefended: AttackMetrics,
    /// Accuracy of the defended model on the examples crafted against the undefended one.
    pub transfer: f32,
    /// White-box attack on the defended model.
    pub defended: AttackMetrics,
}

/// What advlab measured for one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableResult {
    /// The experiment.
    pub spec: TableSpec,
    /// Training and test samples.
    pub sizes: (usize, usize),
    /// How the undefended model was trained.
    pub recipe: Recipe,
    /// How the defended model was trained (epochs, starting point).
    pub defended_training: String,
    /// Clean test accuracy of the undefended model (the defended models' is in each row).
    pub clean: f32,
    /// One row per swept value.
    pub rows: Vec<Row>,
}

/// Why an experiment could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// A dataset failed to load.
    #[error("loading dataset {dataset}: {source}")]
    Data {
        /// The dataset's name.
        dataset: String,
        /// The loader's error.
        source: DataError,
    },
    /// A preset name is unknown.
    #[error("unknown preset {0:?}")]
    Preset(String),
    /// A model could not be built.
    #[error("building a model: {0}")]
    Nn(#[from] NnError),
    /// Training failed.
    #[error("training {what}: {source}")]
    Train {
        /// Which model.
        what: String,
        /// The training loop's error.
        source: TrainError,
    },
    /// A defence or a parameter sweep refused its configuration.
    #[error(transparent)]
    Defence(#[from] DefenceError),
    /// An attack failed.
    #[error(transparent)]
    Attack(#[from] AttackError),
}

/// Runs every table of the report; `log` receives one line per finished step.
pub fn run_all(opts: &Options, log: &mut dyn FnMut(&str)) -> Result<Report, ExperimentError> {
    let start = std::time::Instant::now();
    let mut lab = Lab::new(opts.clone());
    let mut tables = Vec::new();
    let mut specs = table_specs();
    if opts.cifar10.is_some() {
        specs.retain(|s| !s.id.starts_with("Table 2"));
        let at = specs
            .iter()
            .position(|s| s.id == "Table 3")
            .unwrap_or(specs.len());
        specs.insert(at, crate::scenarios::cifar_table::table_2_cifar());
    }
    for spec in specs.into_iter().filter(|s| opts.wants(s)) {
        let t = lab.run_table(&spec, log)?;
        for r in &t.rows {
            log(&format!(
                "{} {} {}: accuracy undefended {:.4}, defended transfer {:.4}, white-box {:.4}",
                spec.id,
                spec.param,
                r.value,
                r.undefended.adversarial_accuracy,
                r.transfer,
                r.defended.adversarial_accuracy
            ));
        }
        tables.push(t);
    }
    Ok(Report {
        options: opts.clone(),
        tables,
        steps: lab.steps().to_vec(),
        seconds: start.elapsed().as_secs_f64(),
    })
}
