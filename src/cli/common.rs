//! Helpers shared by the subcommands: the error type, dataset loading with limits, batched
//! evaluation and JSON output.
//!
//! Main types: [`CliError`], [`Context`], [`Evaluation`].

use std::fmt::Display;

use advlab::classifier::Classifier;
use advlab::data::{files, Dataset};

/// A one-line reason the command failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CliError(pub String);

/// Prefixes an error with what was being done.
pub trait Context<T> {
    /// Maps the error to a [`CliError`] reading `what: error`.
    fn context(self, what: impl Display) -> Result<T, CliError>;
}

impl<T, E: Display> Context<T> for Result<T, E> {
    fn context(self, what: impl Display) -> Result<T, CliError> {
        self.map_err(|e| CliError(format!("{what}: {e}")))
    }
}

/// Loads a vendored dataset, keeping at most `train_limit` / `test_limit` samples.
pub fn load_dataset(
    name: &str,
    train_limit: Option<usize>,
    test_limit: Option<usize>,
) -> Result<Dataset, CliError> {
    if !advlab::data::DATASET_NAMES.contains(&name) {
        return Err(CliError(format!(
            "unknown dataset {name:?}; expected one of {}",
            advlab::data::DATASET_NAMES.join(", ")
        )));
    }
    let ds = files::load_dataset(name, &files::datasets_dir())
        .context(format_args!("loading dataset {name}"))?;
    if train_limit == Some(0) || test_limit == Some(0) {
        return Err(CliError(
            "--train-limit and --test-limit must be >= 1".into(),
        ));
    }
    let n_train = train_limit.unwrap_or(usize::MAX).min(ds.y_train.len());
    let n_test = test_limit.unwrap_or(usize::MAX).min(ds.y_test.len());
    if n_train == ds.y_train.len() && n_test == ds.y_test.len() {
        return Ok(ds);
    }
    Ok(ds.subset(n_train, n_test))
}

pub use advlab::evaluation::evaluate;

/// Checks that a model and a dataset agree on input shape and class count.
pub fn check_fits(clf: &dyn Classifier, ds: &Dataset) -> Result<(), CliError> {
    if clf.input_shape() != ds.input_shape.as_slice() || clf.nb_classes() != ds.nb_classes() {
        return Err(CliError(format!(
            "the model takes {:?} with {} classes but {} has {:?} with {} classes",
            clf.input_shape(),
            clf.nb_classes(),
            ds.name,
            ds.input_shape,
            ds.nb_classes()
        )));
    }
    Ok(())
}

/// Prints one JSON object on stdout, floats at f32 precision (`0.9`, not `0.8999999761581421`).
pub fn print_json(value: &serde_json::Value) {
    println!("{}", tidy(value.clone()));
}

/// Rounds every non-integer number to its shortest f32 representation.
fn tidy(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let short = n.as_f64().map(|f| (f as f32).to_string().parse::<f64>());
            match short {
                Some(Ok(f)) => {
                    serde_json::Number::from_f64(f).map_or(Value::Number(n), Value::Number)
                }
                _ => Value::Number(n),
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(tidy).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, tidy(v))).collect()),
        other => other,
    }
}
