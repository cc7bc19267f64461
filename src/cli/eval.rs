//! `advlab eval`: test-set accuracy and loss of a saved model (the loss the model's output calls
//! for: cross-entropy on probabilities, softmax cross-entropy on logits).

use std::path::PathBuf;
use std::time::Instant;

use advlab::evaluation::evaluate;
use clap::Args;
use serde_json::json;

use super::common::{check_fits, print_json, CliError, Context};
use super::dataset::DatasetArgs;
use super::options::{load_stack, TestLimit};

/// Arguments of `advlab eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The .safetensors model.
    #[arg(long)]
    model: PathBuf,
    #[command(flatten)]
    dataset: DatasetArgs,
    #[command(flatten)]
    test_limit: TestLimit,
    /// The defence stack (replaces the model file's; `none` removes it), as in `advlab attack`.
    #[arg(long)]
    stack: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `advlab eval`.
pub fn run(a: EvalArgs) -> Result<(), CliError> {
    let test_limit = a.test_limit.value()?;
    let model = load_stack(
        &a.model,
        "--model",
        a.stack.as_deref(),
        Default::default(),
        0,
    )?;
    let ds = a.dataset.load(Some(1), test_limit)?;
    check_fits(&model, &ds)?;
    let start = Instant::now();
    let test = evaluate(&model, ds.x_test.view(), &ds.y_test).context("eval")?;
    let seconds = start.elapsed().as_secs_f64();
    let warnings: Vec<String> = model
        .config()
        .pieces
        .iter()
        .filter_map(|p| p.no_effect().map(|w| w.0))
        .collect();
    let flagged = model.detector().map(|d| {
        let f = d.flags(ds.x_test.view());
        f.iter().filter(|b| **b).count() as f64 / f.len().max(1) as f64
    });
    if a.json {
        print_json(&json!({
            "model": a.model.display().to_string(), "dataset": ds.name,
            "samples": test.samples, "accuracy": test.accuracy, "loss": test.loss,
            "no_prediction": test.no_prediction, "warnings": warnings,
            "seconds": seconds, "stack": model.config(), "detector_false_positive_rate": flagged,
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
        for w in &warnings {
            println!("warning: {w}");
        }
        if test.no_prediction > 0 {
            println!(
                "{} of {} samples got no prediction (every score zeroed by the stack, e.g. a HighConfidence cutoff above the top score): counted as wrong, left out of the loss",
                test.no_prediction, test.samples
            );
        }
        if !model.config().is_empty() {
            println!(
                "through the stack {}",
                serde_json::to_string(model.config()).unwrap_or_default()
            );
        }
        if let Some(f) = flagged {
            println!("the detector flags {f:.4} of the clean test samples");
        }
    }
    Ok(())
}
