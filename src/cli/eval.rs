//! `advlab eval`: test-set accuracy and loss of a saved model.

use std::path::PathBuf;
use std::time::Instant;

use advlab::nn::file::load_model_file;
use clap::Args;
use serde_json::json;

use super::common::{check_fits, evaluate, load_dataset, print_json, CliError, Context};

/// Arguments of `advlab eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The .safetensors model.
    #[arg(long)]
    model: PathBuf,
    /// iris, mnist or fashion-mnist.
    #[arg(long)]
    dataset: String,
    /// Evaluate on at most this many test samples.
    #[arg(long)]
    test_limit: Option<usize>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `advlab eval`.
pub fn run(a: EvalArgs) -> Result<(), CliError> {
    let model = load_model_file(&a.model).context("loading the model")?;
    let ds = load_dataset(&a.dataset, Some(1), a.test_limit)?;
    check_fits(&model, &ds)?;
    let start = Instant::now();
    let test = evaluate(&model, ds.x_test.view(), &ds.y_test);
    let seconds = start.elapsed().as_secs_f64();
    if a.json {
        print_json(&json!({
            "model": a.model.display().to_string(), "dataset": ds.name,
            "samples": test.samples, "accuracy": test.accuracy, "loss": test.loss,
            "seconds": seconds,
        }));
    } else {
        println!(
            "{} on {}: test accuracy {:.4} on {} samples (loss {:.4}, {:.2} s)",
            a.model.display(),
            ds.name,
            test.accuracy,
            test.samples,
            test.loss,
            seconds
        );
    }
    Ok(())
}
