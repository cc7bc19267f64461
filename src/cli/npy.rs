//! `.npy` input and output for the subcommands: model inputs (float32/float64, `(N, D)` or
//! `(N, *input_shape)`), class labels in any common numeric dtype (indices `(N,)` or one-hot
//! `(N, C)`), and writing results back in the input's shape.
//!
//! Main functions: [`read_input`], [`read_classes`], [`write_like`]. Every error names the file
//! and the offending value.

use std::path::Path;

use ndarray::{Array2, ArrayD, Ix2};
use ndarray_npy::{read_npy, write_npy, ReadNpyError};

use super::common::{CliError, Context};

/// Samples read from a `.npy` file, flattened to `(N, D)`, with the file's own shape.
#[derive(Debug, Clone)]
pub struct Input {
    /// `(N, D)` samples.
    pub x: Array2<f32>,
    /// The shape in the file, e.g. `[N, 28, 28, 1]`.
    pub shape: Vec<usize>,
}

/// Reads any numeric `.npy` array as f64, trying the dtypes numpy writes most.
fn read_any(path: &Path) -> Result<ArrayD<f64>, CliError> {
    macro_rules! attempt {
        ($($t:ty),*) => {$(
            match read_npy::<_, ArrayD<$t>>(path) {
                Ok(a) => return Ok(a.mapv(|v| v as f64)),
                Err(ReadNpyError::WrongDescriptor(_)) => {}
                Err(e) => return Err(CliError(format!("reading {}: {e}", path.display()))),
            }
        )*};
    }
    attempt!(f64, f32, i64, i32, i16, i8, u8, u16, u32, u64);
    match read_npy::<_, ArrayD<bool>>(path) {
        Ok(a) => Ok(a.mapv(|v| if v { 1.0 } else { 0.0 })),
        Err(e) => Err(CliError(format!(
            "reading {}: unsupported dtype ({e}); expected float or integer values",
            path.display()
        ))),
    }
}

/// Reads float32 (or float64) samples shaped `(N, D)` or `(N, *input_shape)`; every value must
/// be finite.
pub fn read_input(path: &Path, input_shape: &[usize]) -> Result<Input, CliError> {
    let x: ArrayD<f32> = match read_npy::<_, ArrayD<f32>>(path) {
        Ok(x) => x,
        Err(ReadNpyError::WrongDescriptor(_)) => read_npy::<_, ArrayD<f64>>(path)
            .map(|a| a.mapv(|v| v as f32))
            .context(format_args!(
                "reading {} (expected float32 or float64)",
                path.display()
            ))?,
        Err(e) => return Err(CliError(format!("reading {}: {e}", path.display()))),
    };
    let shape = x.shape().to_vec();
    let x = flatten_input(x, input_shape)?;
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        let (n, d) = (i / x.ncols(), i % x.ncols());
        return Err(CliError(format!(
            "input sample {n}, feature {d} is {}, expected a finite value",
            x[[n, d]]
        )));
    }
    Ok(Input { x, shape })
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

/// Reads one class per sample from `path` (named `flag` in errors): indices `(N,)` or `(N, 1)`
/// with whole values, or one-hot rows `(N, C)`. Checks the count and the range.
pub fn read_classes(
    path: &Path,
    flag: &str,
    n: usize,
    nb_classes: usize,
) -> Result<Vec<usize>, CliError> {
    let a = read_any(path)?;
    let what = format!("{flag} {}", path.display());
    let classes = match a.shape() {
        [_] | [_, 1] => a
            .iter()
            .enumerate()
            .map(|(i, &v)| index_of(v, i, &what))
            .collect::<Result<Vec<_>, _>>()?,
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
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < usize::MAX as f64 {
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
    write_npy(path, &out).context(format_args!("writing {}", path.display()))
}
