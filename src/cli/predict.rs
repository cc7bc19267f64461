//! `advlab predict`: class scores `(N, C)` float32 of a saved model for the float32 inputs of a
//! `.npy` file shaped `(N, D)` or `(N, *input_shape)` (float64 is converted). The model file's
//! defence stack is applied (a ClassLabels stack gives one-hot labels) and its detector's verdict
//! is reported per row, through the same loader as `eval` and `attack`; `--no-stack` gives the
//! bare model's scores on purpose. Scores that a layer's overflow would make meaningless are an
//! error, not an output.

use std::path::PathBuf;

use advlab::classifier::Classifier;
use clap::Args;
use serde_json::json;

use super::common::{check_writable, print_json, CliError, Context};
use super::npy::read_input;
use super::options::load_stack;

/// Arguments of `advlab predict`.
#[derive(Debug, Args)]
pub struct PredictArgs {
    /// The .safetensors model.
    #[arg(long)]
    model: PathBuf,
    /// float32 .npy of shape (N, D) or (N, *input_shape).
    #[arg(long)]
    input: PathBuf,
    /// Where to write the float32 (N, C) scores.
    #[arg(long)]
    out: PathBuf,
    /// Ignore the defence stack and detector saved in the model file: the bare model's scores.
    #[arg(long)]
    no_stack: bool,
    /// Print a JSON summary (rows, classes, the stack applied, the detector's flag per row).
    #[arg(long)]
    json: bool,
}

/// Runs `advlab predict`.
pub fn run(a: PredictArgs) -> Result<(), CliError> {
    check_writable(&a.out, "--out")?;
    let model = if a.no_stack {
        advlab::defences::Stack::plain(super::common::load_model(&a.model, "--model")?)
    } else {
        load_stack(&a.model, "--model", None, Default::default(), 0)?
    };
    let x = read_input(&a.input, &model)?.x;
    let scores = model.predict_checked(x.view()).context("predict")?;
    let flags = model.detector().map(|d| d.flags(x.view()));
    super::common::write_npy_atomic(&a.out, &scores)?;
    if a.json {
        print_json(&json!({
            "rows": scores.nrows(), "classes": scores.ncols(), "out": a.out.display().to_string(),
            "stack": model.config(), "detector_flags": flags,
        }));
        return Ok(());
    }
    eprintln!(
        "wrote {} scores of {} classes to {}",
        scores.nrows(),
        scores.ncols(),
        a.out.display()
    );
    if !model.config().is_empty() {
        eprintln!(
            "through the stack {}",
            serde_json::to_string(model.config()).unwrap_or_default()
        );
    }
    if let Some(f) = flags {
        let flagged: Vec<String> = (0..f.len())
            .filter(|&i| f[i])
            .map(|i| i.to_string())
            .collect();
        eprintln!(
            "the detector flags {} of {} rows as adversarial{}{}",
            flagged.len(),
            f.len(),
            if flagged.is_empty() { "" } else { ": rows " },
            flagged.join(", ")
        );
    }
    Ok(())
}
