//! Helpers shared by the subcommands: the error type, dataset loading with limits, output-path
//! checks made before any work, and JSON output.
//!
//! Main types: [`CliError`], [`Context`]; functions [`load_dataset`], [`check_fits`],
//! [`check_writable`], [`load_model`], [`print_json`].

use std::fmt::Display;
use std::path::Path;

use advlab::classifier::Classifier;
use advlab::data::{files, Dataset};
use advlab::nn::Model;

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

/// A parameter error as it is: it already names the parameter and the value.
impl From<advlab::params::ParamError> for CliError {
    fn from(e: advlab::params::ParamError) -> CliError {
        CliError(e.to_string())
    }
}

/// Loads a vendored dataset, keeping at most `train_limit` / `test_limit` samples (already
/// checked against their ranges by the options).
pub fn load_dataset(
    name: &str,
    train_limit: Option<usize>,
    test_limit: Option<usize>,
) -> Result<Dataset, CliError> {
    if !advlab::data::DATASET_NAMES.contains(&name) {
        return Err(CliError(format!(
            "unknown dataset {:?}; expected one of {}",
            advlab::params::Raw::clip(name, 40),
            advlab::data::DATASET_NAMES.join(", ")
        )));
    }
    let ds = files::load_dataset(name, &files::datasets_dir())
        .context(format_args!("loading dataset {name}"))?;
    Ok(ds.limited(train_limit, test_limit))
}

/// Reads a model file (at most `advlab::limits::MAX_MODEL_FILE_BYTES`); `flag` names the option.
pub fn load_model(path: &Path, flag: &str) -> Result<Model, CliError> {
    advlab::nn::file::load_model_file(path).context(format_args!("loading {flag}"))
}

/// Checks that a model and a dataset agree on input shape and class count, and that the model's
/// clip values cover the data's range.
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
    let (lo, hi) = clf.clip_values();
    if lo > ds.clip_values.0 || hi < ds.clip_values.1 {
        return Err(CliError(format!(
            "the model's clip values [{lo}, {hi}] do not cover the range [{}, {}] of {}",
            ds.clip_values.0, ds.clip_values.1, ds.name
        )));
    }
    Ok(())
}

/// Checks, before any work, that `path` can be written: its folder exists, it is not a folder,
/// and it can be opened for writing. A file that did not exist is not left behind.
pub fn check_writable(path: &Path, flag: &str) -> Result<(), CliError> {
    let fail = |why: String| CliError(format!("{flag} {}: {why}", path.display()));
    if path.is_dir() {
        return Err(fail("is a folder, not a file".into()));
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(fail(format!(
            "{} is not an existing folder",
            parent.display()
        )));
    }
    let existed = path.exists();
    match std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
    {
        Ok(_) => {
            if !existed {
                let _ = std::fs::remove_file(path);
            }
            Ok(())
        }
        Err(e) => Err(fail(format!("cannot be written ({e})"))),
    }
}

/// Writes `bytes` to `path` atomically ([`advlab::output::write_atomic`]): a failure never
/// leaves a half-written file or destroys the old one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    advlab::output::write_atomic(path, bytes)
        .map_err(|e| CliError(format!("writing {}: {e}", path.display())))
}

/// Writes an array as `.npy`, atomically.
pub fn write_npy_atomic<A, D>(path: &Path, a: &ndarray::ArrayBase<A, D>) -> Result<(), CliError>
where
    A: ndarray::Data,
    A::Elem: ndarray_npy::WritableElement,
    D: ndarray::Dimension,
{
    use ndarray_npy::WriteNpyExt as _;
    let mut bytes = Vec::new();
    a.write_npy(&mut bytes)
        .map_err(|e| CliError(format!("writing {}: {e}", path.display())))?;
    write_atomic(path, &bytes)
}

/// The line `train` and `defend` print at the end of each epoch: loss, training accuracy, the
/// time so far and, before the last epoch, about how long the rest will take.
pub fn epoch_line(p: &advlab::train::Progress, start: std::time::Instant) -> Option<String> {
    if p.batch != p.batches {
        return None;
    }
    let seconds = start.elapsed().as_secs_f64();
    let left = match p.epochs.saturating_sub(p.epoch) {
        0 => String::new(),
        rest => format!(
            ", about {:.0} s left",
            seconds * rest as f64 / p.epoch.max(1) as f64
        ),
    };
    Some(format!(
        "epoch {:>3}/{}  loss {:.4}  train accuracy {:.4}  ({seconds:.1} s{left})",
        p.epoch, p.epochs, p.loss, p.accuracy
    ))
}

/// A progress line on stderr for a long job: nothing for the first 2 seconds (short runs and
/// error messages stay one line), then the percentage and the time left, at most twice a second,
/// rewritten in place; `finish` ends the line.
pub struct Progress {
    what: String,
    on: bool,
    start: std::time::Instant,
    last: Option<std::time::Instant>,
}

impl Progress {
    /// Progress of `what`; `on` false prints nothing (`--quiet`, `--json`).
    pub fn new(what: &str, on: bool) -> Progress {
        Progress {
            what: what.to_string(),
            on,
            start: std::time::Instant::now(),
            last: None,
        }
    }

    /// Shows `fraction` (0 to 1) of the work done.
    pub fn show(&mut self, fraction: f32) {
        let elapsed = self.start.elapsed().as_secs_f64();
        let due = self.last.is_none_or(|t| t.elapsed().as_secs_f64() >= 0.5);
        if !self.on || elapsed < 2.0 || !due {
            return;
        }
        self.last = Some(std::time::Instant::now());
        let f = f64::from(fraction.clamp(0.0, 1.0));
        let left = if f > 0.0 {
            format!("about {:.0} s left", elapsed * (1.0 - f) / f)
        } else {
            "time left unknown".into()
        };
        eprint!("\r{}: {:>3.0}% ({left})   ", self.what, 100.0 * f);
    }

    /// Ends the progress line, if one was shown.
    pub fn finish(&mut self) {
        if self.last.is_some() {
            eprintln!();
        }
    }
}

/// Prints one JSON object on stdout, floats at f32 precision (`0.9`, not `0.8999999761581421`).
pub fn print_json(value: &serde_json::Value) {
    println!("{}", advlab::params::tidy_json(value.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_are_checked_without_leaving_files() {
        let dir = std::env::temp_dir().join(format!("advlab-writable-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let new = dir.join("new.bin");
        check_writable(&new, "--out").unwrap();
        assert!(!new.exists(), "the probe leaves nothing behind");
        let e = check_writable(&dir.join("missing/m.bin"), "--out").unwrap_err();
        assert!(e.0.contains("not an existing folder"), "{e}");
        let e = check_writable(&dir, "--out").unwrap_err();
        assert!(e.0.contains("is a folder"), "{e}");
        let file = dir.join("file.txt");
        std::fs::write(&file, "keep").unwrap();
        check_writable(&file, "--out").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
        assert!(check_writable(&file.join("x.md"), "--out").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
