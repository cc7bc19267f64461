//! `.npy` input and output for the subcommands: model inputs (float32/float64, `(N, D)` or
//! `(N, *input_shape)`, at least one sample, every feature finite and inside the model's clip
//! values), class labels (integer or whole-float indices `(N,)`, or one-hot `(N, C)`), and writing
//! results back in the input's shape. Files are read through [`advlab::data::npy`], which checks
//! the declared sizes before allocating, and at most `advlab::limits::MAX_NPY_BYTES` of them.
//!
//! Main functions: [`read_input`], [`read_classes`], [`write_like`]. Every error names the file
//! and the offending value.

use std::path::Path;

use advlab::classifier::{check_samples, Classifier};
use advlab::data::npy::{read_floats, read_numbers};
use advlab::limits::{read_capped, MAX_NPY_BYTES};
use ndarray::{Array2, ArrayD, Ix2};

use super::common::{CliError, Context};

/// Samples read from a `.npy` file, flattened to `(N, D)`, with the file's own shape.
#[derive(Debug, Clone)]
pub struct Input {
    /// `(N, D)` samples.
    pub x: Array2<f32>,
    /// The shape in the file, e.g. `[N, 28, 28, 1]`.
    pub shape: Vec<usize>,
}

fn read_bytes(path: &Path, flag: &str) -> Result<Vec<u8>, CliError> {
    read_capped(path, MAX_NPY_BYTES)
        .map_err(|e| CliError(format!("{flag} {}: {e}", path.display())))
}

/// Reads the samples of `--input` for `model`: float32 or float64, shaped `(N, D)` or
/// `(N, *input_shape)`, at least one sample, every feature finite and inside the model's clip
/// values (the one rule for inputs, naming the sample and the feature).
pub fn read_input(path: &Path, model: &dyn Classifier) -> Result<Input, CliError> {
    let what = format!("--input {}", path.display());
    let x = read_floats(&read_bytes(path, "--input")?).context(&what)?;
    let shape = x.shape().to_vec();
    let x = flatten_input(x, model.input_shape()).context(&what)?;
    if x.nrows() == 0 {
        return Err(CliError(format!(
            "{what}: shape {shape:?} holds no samples; give at least one"
        )));
    }
    check_samples(x.view(), model.clip_values()).context(&what)?;
    Ok(Input { x, shape })
}

/// Flattens `(N, D)` or `(N, *input_shape)` to `(N, D)`, or says why the shape is wrong.
fn flatten_input(x: ArrayD<f32>, input_shape: &[usize]) -> Result<Array2<f32>, String> {
    let shape = x.shape().to_vec();
    let d: usize = input_shape.iter().product();
    let ok = shape.len() >= 2 && (shape[1..] == [d] || shape[1..] == *input_shape);
    if !ok {
        let dims = |s: &[usize]| {
            s.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let expected = if input_shape.len() == 1 {
            format!("(N, {d})")
        } else {
            format!("(N, {d}) or (N, {})", dims(input_shape))
        };
        return Err(format!(
            "shape {shape:?} does not match the model: expected {expected}"
        ));
    }
    let n = shape[0];
    let flat = x.as_standard_layout().into_owned();
    flat.into_shape_with_order((n, d))
        .map_err(|e| e.to_string())?
        .into_dimensionality::<Ix2>()
        .map_err(|e| e.to_string())
}

/// Reads one class per sample from `path` (named `flag` in errors): indices `(N,)` of any
/// integer dtype (or whole floats), or one-hot rows `(N, C)`. Booleans and `(N, 1)` columns are
/// refused as ambiguous. Checks the count and the range.
pub fn read_classes(
    path: &Path,
    flag: &str,
    n: usize,
    nb_classes: usize,
) -> Result<Vec<usize>, CliError> {
    let what = format!("{flag} {}", path.display());
    let a = read_numbers(&read_bytes(path, flag)?).context(&what)?;
    let classes = match a.shape() {
        [_] => a
            .iter()
            .enumerate()
            .map(|(i, &v)| index_of(v, i, &what))
            .collect::<Result<Vec<_>, _>>()?,
        [rows, 1] => {
            return Err(CliError(format!(
                "{what}: shape [{rows}, 1] is ambiguous (a column of class indices, or one-hot rows of one class?); give class indices as ({rows},), e.g. with numpy's ravel(), or one-hot rows as ({rows}, {nb_classes})"
            )))
        }
        [_, c] if *c == nb_classes => {
            let a = a.into_dimensionality::<Ix2>().context(&what)?;
            one_hot(&a, &what)?
        }
        shape => {
            return Err(CliError(format!(
                "{what}: shape {shape:?}; expected class indices (N,) or one-hot rows (N, {nb_classes})"
            )))
        }
    };
    if classes.len() != n {
        return Err(CliError(format!(
            "{what}: got {} labels for {n} samples",
            classes.len()
        )));
    }
    if let Some(i) = classes.iter().position(|&c| c >= nb_classes) {
        return Err(CliError(format!(
            "{what}: label {} of sample {i} is out of range (the model has {nb_classes} classes)",
            classes[i]
        )));
    }
    Ok(classes)
}

fn index_of(v: f64, i: usize, what: &str) -> Result<usize, CliError> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < u32::MAX as f64 {
        Ok(v as usize)
    } else {
        Err(CliError(format!(
            "{what}: label {v} of sample {i} is not a class index (a whole number >= 0)"
        )))
    }
}

/// The class of each one-hot row (exactly one 1, the rest 0).
fn one_hot(a: &ndarray::Array2<f64>, what: &str) -> Result<Vec<usize>, CliError> {
    a.rows()
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let ones: Vec<usize> = (0..row.len()).filter(|&j| row[j] == 1.0).collect();
            let zeros = row.iter().filter(|&&v| v == 0.0).count();
            match ones[..] {
                [c] if zeros == row.len() - 1 => Ok(c),
                _ => Err(CliError(format!(
                    "{what}: row {i} ({row}) is not one-hot (one 1, the rest 0)"
                ))),
            }
        })
        .collect()
}

/// Writes `(N, D)` samples as float32 in `shape` (the shape the inputs had).
pub fn write_like(path: &Path, x: Array2<f32>, shape: &[usize]) -> Result<(), CliError> {
    let out = x
        .into_shape_with_order(shape.to_vec())
        .context("reshaping the output")?;
    super::common::write_npy_atomic(path, &out)
}
