//! `advlab predict`: class scores `(N, C)` float32 of a saved model for the float32 inputs of a
//! `.npy` file shaped `(N, D)` or `(N, *input_shape)` (float64 is converted). Scores that a
//! layer's overflow would make meaningless are an error, not an output.

use std::path::PathBuf;

use advlab::classifier::Classifier;
use clap::Args;

use super::common::{check_writable, load_model, CliError, Context};
use super::npy::read_input;

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
}

/// Runs `advlab predict`.
pub fn run(a: PredictArgs) -> Result<(), CliError> {
    check_writable(&a.out, "--out")?;
    let model = load_model(&a.model, "--model")?;
    let x = read_input(&a.input, &model)?.x;
    let scores = model.predict_checked(x.view()).context("predict")?;
    super::common::write_npy_atomic(&a.out, &scores)?;
    eprintln!(
        "wrote {} scores of {} classes to {}",
        scores.nrows(),
        scores.ncols(),
        a.out.display()
    );
    Ok(())
}
