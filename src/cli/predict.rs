//! `advlab predict`: class scores `(N, C)` float32 of a saved model for the float32 inputs of a
//! `.npy` file shaped `(N, D)` or `(N, *input_shape)` (float64 is converted).

use std::path::PathBuf;

use advlab::classifier::Classifier;
use advlab::nn::file::load_model_file;
use clap::Args;
use ndarray_npy::write_npy;

use super::common::{CliError, Context};
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
    let model = load_model_file(&a.model).context("loading the model")?;
    let x = read_input(&a.input, model.input_shape())?.x;
    model.check_input(x.view()).context("input")?;
    let scores = model.predict(x.view());
    write_npy(&a.out, &scores).context(format_args!("writing {}", a.out.display()))?;
    eprintln!(
        "wrote {} scores of {} classes to {}",
        scores.nrows(),
        scores.ncols(),
        a.out.display()
    );
    Ok(())
}
