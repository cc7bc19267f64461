//! `advlab models`: trains every shipped reference model (`advlab::scenarios::reference_models`)
//! natively and seeded, through the same training job the page runs, and writes them to
//! `models/` with their provenance in the safetensors metadata; `--check` trains them again and
//! compares with the files there instead (weights bit for bit, and the provenance's recipe).
//!
//! Main type: [`ModelsArgs`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use advlab::data::files::datasets_dir;
use advlab::nn::file::{file_metadata, with_metadata, PROVENANCE_KEY};
use advlab::protocol::{Bytes, Event, ModelBytes, Request, Slot};
use advlab::scenarios::{reference_models, ReferenceModel};
use advlab::session::{dataset_files, Session};
use clap::Args;
use safetensors::SafeTensors;

use super::common::{print_json, write_atomic, CliError};

/// Arguments of `advlab models`.
#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// The folder the models are written to (or compared with, with --check).
    #[arg(long, default_value = "models")]
    dir: PathBuf,
    /// Train them again and check the files in --dir are exactly what training gives.
    #[arg(long)]
    check: bool,
    /// Only these models (comma-separated names; their bases are trained too).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

fn fail(what: impl std::fmt::Display) -> CliError {
    CliError(what.to_string())
}

/// Runs one request to its end on the session; returns its last event (an error event is an
/// error).
fn run_job(s: &mut Session, req: Request) -> Result<Event, CliError> {
    let mut events = s.handle(req);
    while s.busy() {
        events.extend(s.tick(&mut || false));
    }
    match events.pop() {
        Some(Event::Error { message, .. }) => Err(fail(message)),
        Some(ev) => Ok(ev),
        None => Err(fail("the training job answered nothing")),
    }
}

fn load_dataset(s: &mut Session, name: &str) -> Result<(), CliError> {
    let files = dataset_files(name)
        .ok_or_else(|| fail(format!("unknown dataset {name}")))?
        .iter()
        .map(|f| {
            let path = datasets_dir().join(f);
            std::fs::read(&path)
                .map(Bytes::from)
                .map_err(|e| fail(format!("reading {}: {e}", path.display())))
        })
        .collect::<Result<Vec<_>, _>>()?;
    run_job(
        s,
        Request::LoadDataset {
            id: 1,
            dataset: name.into(),
            files,
            image_size: None,
        },
    )?;
    Ok(())
}

/// Trains `m` (its base must be in `made`) and returns the file with its provenance.
fn train(
    s: &mut Session,
    m: &ReferenceModel,
    made: &HashMap<&str, Vec<u8>>,
) -> Result<(Vec<u8>, f32), CliError> {
    if let Some(base) = m.base {
        let bytes = made
            .get(base)
            .ok_or_else(|| fail(format!("{}: its base {base} was not trained", m.name)))?;
        run_job(
            s,
            Request::ImportModel {
                id: 2,
                slot: Slot::Undefended,
                dataset: m.settings.dataset.clone(),
                file: ModelBytes {
                    filename: format!("{base}.safetensors"),
                    bytes: Bytes::from(bytes.clone()),
                },
                origin: None,
            },
        )?;
    }
    let ev = run_job(
        s,
        Request::Train {
            id: 3,
            slot: m.slot,
            settings: m.settings.clone(),
            parts: None,
        },
    )?;
    let Event::Trained { model, .. } = ev else {
        return Err(fail(format!("{}: training ended with {ev:?}", m.name)));
    };
    let Event::ModelFile { file, .. } = run_job(
        s,
        Request::ExportModel {
            id: 4,
            slot: m.slot,
        },
    )?
    else {
        return Err(fail(format!("{}: no model file", m.name)));
    };
    let provenance = serde_json::json!({
        "name": m.name,
        "recipe": m.settings,
        "continues": m.base,
        "seed": m.settings.seed,
        "clean_accuracy": model.test_accuracy,
        "test_samples": model.test_samples,
        "command": "make models (advlab models)",
        "advlab_version": env!("CARGO_PKG_VERSION"),
    });
    let bytes = with_metadata(&file.bytes, PROVENANCE_KEY, &provenance.to_string())
        .map_err(|e| fail(format!("{}: {e}", m.name)))?;
    Ok((bytes, model.test_accuracy))
}

/// Why `ours` (just trained) and the file `path` differ, or None when the weights are the same
/// bits and the provenance names the same recipe.
fn difference(ours: &[u8], path: &Path) -> Option<String> {
    let theirs = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Some(format!("cannot read it ({e})")),
    };
    let (Ok(a), Ok(b)) = (
        SafeTensors::deserialize(ours),
        SafeTensors::deserialize(&theirs),
    ) else {
        return Some("not a safetensors file".into());
    };
    let mut names = a.names();
    names.sort();
    let mut other = b.names();
    other.sort();
    if names != other {
        return Some(format!("tensors {other:?}, expected {names:?}"));
    }
    for name in names {
        let (x, y) = (a.tensor(name).ok()?, b.tensor(name).ok()?);
        if x.shape() != y.shape() || x.data() != y.data() {
            return Some(format!("tensor {name} differs"));
        }
    }
    let recipe = |bytes: &[u8]| {
        let meta = file_metadata(bytes).ok()?;
        let v: serde_json::Value = serde_json::from_str(meta.get(PROVENANCE_KEY)?).ok()?;
        Some(v["recipe"].clone())
    };
    (recipe(ours) != recipe(&theirs)).then(|| "its provenance names another recipe".into())
}

/// Runs `advlab models`.
pub fn run(a: ModelsArgs) -> Result<(), CliError> {
    let all = reference_models();
    let mut wanted: Vec<&ReferenceModel> = all.iter().collect();
    if !a.only.is_empty() {
        for name in &a.only {
            if !all.iter().any(|m| m.name == name) {
                let names: Vec<_> = all.iter().map(|m| m.name).collect();
                return Err(fail(format!(
                    "--only {name}: no such model; the models are {}",
                    names.join(", ")
                )));
            }
        }
        // The asked-for models and the bases they continue.
        wanted.retain(|m| {
            a.only.iter().any(|n| n == m.name)
                || all
                    .iter()
                    .any(|o| a.only.iter().any(|n| n == o.name) && o.base == Some(m.name))
        });
    }
    if !a.check {
        std::fs::create_dir_all(&a.dir)
            .map_err(|e| fail(format!("--dir {}: {e}", a.dir.display())))?;
    }
    let start = Instant::now();
    let mut session = Session::new();
    let mut loaded = Vec::new();
    let mut made: HashMap<&str, Vec<u8>> = HashMap::new();
    let mut rows = Vec::new();
    let mut mismatches = Vec::new();
    for m in wanted {
        if !loaded.contains(&m.settings.dataset) {
            load_dataset(&mut session, &m.settings.dataset)?;
            loaded.push(m.settings.dataset.clone());
        }
        let t = Instant::now();
        let (bytes, acc) = train(&mut session, m, &made)?;
        let seconds = t.elapsed().as_secs_f64();
        let path = a.dir.join(m.file_name());
        let verdict = if a.check {
            match difference(&bytes, &path) {
                Some(why) => {
                    mismatches.push(format!("{}: {why}", path.display()));
                    "DIFFERS"
                }
                None => "same",
            }
        } else {
            write_atomic(&path, &bytes)?;
            "written"
        };
        eprintln!(
            "{:<28} clean accuracy {:.4}  {:>6.1} s  {} ({} bytes)",
            m.name,
            acc,
            seconds,
            verdict,
            bytes.len()
        );
        rows.push(serde_json::json!({"name": m.name, "clean_accuracy": acc, "seconds": seconds, "bytes": bytes.len(), "verdict": verdict}));
        made.insert(m.name, bytes);
    }
    let total = start.elapsed().as_secs_f64();
    print_json(&serde_json::json!({"models": rows, "seconds": total, "check": a.check}));
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(fail(format!(
            "{} model(s) differ from what training gives: {}",
            mismatches.len(),
            mismatches.join("; ")
        )))
    }
}
