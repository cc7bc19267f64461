//! `advlab predict`: class scores `(N, C)` float32 of a saved model for the float32 inputs of a
//! `.npy` file shaped `(N, D)` or `(N, *input_shape)`.

use std::path::PathBuf;

use advlab::classifier::Classifier;
use advlab::nn::file::load_model_file;
use clap::Args;
use ndarray::{Array2, ArrayD, Ix2};
use ndarray_npy::{read_npy, write_npy};

use super::common::{CliError, Context};

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

/// Flattens `(N, D)` or `(N, *input_shape)` to `(N, D)`, or says why the shape is wrong.
fn flatten_input(x: ArrayD<f32>, input_shape: &[usize]) -> Result<Array2<f32>, CliError> {
    let shape = x.shape().to_vec();
    let d: usize = input_shape.iter().product();
    let ok = shape.len() >= 2 && (shape[1..] == [d] || shape[1..] == *input_shape);
    if !ok {
        return Err(CliError(format!(
            "input shape {shape:?} does not match the model: expected (N, {d}) or (N, {})",
            input_shape
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let n = shape[0];
    let flat = x.as_standard_layout().into_owned();
    flat.into_shape_with_order((n, d))
        .context("reshaping the input")?
        .into_dimensionality::<Ix2>()
        .context("reshaping the input")
}

/// Runs `advlab predict`.
pub fn run(a: PredictArgs) -> Result<(), CliError> {
    let model = load_model_file(&a.model).context("loading the model")?;
    let x: ArrayD<f32> =
        read_npy(&a.input).context(format_args!("reading {}", a.input.display()))?;
    let x = flatten_input(x, model.input_shape())?;
    model.check_input(x.view()).context("input")?;
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        let (n, d) = (i / x.ncols(), i % x.ncols());
        return Err(CliError(format!(
            "input sample {n}, feature {d} is {}, expected a finite value",
            x[[n, d]]
        )));
    }
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
