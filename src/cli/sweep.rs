//! `advlab sweep`: accuracy under an attack as one of its numeric parameters varies, on a test set,
//! for a model and optionally a defended one, with `advlab::defences::sweep`.
//!
//! Main type: [`SweepArgs`]. Every value is checked as a value of the swept parameter before any
//! work, and an option that sets the swept parameter itself (`--eps` with `--param eps`) is
//! refused. As in the report (ART's `generate(x)`), the attack gets no labels:
//! untargeted attacks move away from the model's own prediction and JSMA aims at a random wrong
//! class; accuracy is measured against the true labels. Prints a table; `--csv` writes one row per
//! value, `--json` prints every metric.

use std::fmt::Write as _;
use std::path::PathBuf;

use advlab::defences::{set_param, sweep, SweepPoint};
use advlab::limits::MAX_SWEEP_VALUES;
use advlab::nn::Model;
use advlab::params::Raw;
use clap::Args;
use serde_json::json;

use super::attack::{attack_from, with_batch_size};
use super::common::{check_fits, check_writable, print_json, CliError, Progress};
use super::dataset::DatasetArgs;
use super::options::{load_stack, AdaptiveOpts, AttackOpts, AttackSeed, TestLimit};
use advlab::defences::{Adaptive, AdaptiveSettings, Stack};

/// Arguments of `advlab sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The .safetensors model.
    #[arg(long)]
    model: PathBuf,
    /// A defended model to sweep beside it.
    #[arg(long)]
    defended: Option<PathBuf>,
    /// fgsm, pgd, jsma, deepfool, newtonfool, cw-l2, apgd, autoattack, square or hopskipjump.
    #[arg(long)]
    attack: String,
    /// The numeric parameter to vary, by its ART name (eps, theta, epsilon, max_iter, ...).
    #[arg(long)]
    param: String,
    /// Comma-separated values, e.g. 0.1,0.2,0.3 (at most 50; whole numbers for whole-number
    /// parameters such as max_iter).
    #[arg(long, allow_hyphen_values = true)]
    values: String,
    #[command(flatten)]
    dataset: DatasetArgs,
    #[command(flatten)]
    test_limit: TestLimit,
    #[command(flatten)]
    opts: AttackOpts,
    /// The defence stack of every model (replaces the files'; `none` removes them), as in
    /// `advlab attack`.
    #[arg(long)]
    stack: Option<String>,
    #[command(flatten)]
    adaptive: AdaptiveOpts,
    /// Also run every model with this adaptive mode (bpda or eot), as extra columns named
    /// `<model>-<mode>`: the naive and the adaptive attack on the same stack side by side.
    #[arg(long, value_name = "bpda|eot")]
    compare_adaptive: Option<String>,
    /// Samples per classifier call (does not change the result).
    #[arg(long, default_value = "128", allow_negative_numbers = true)]
    batch_size: String,
    #[command(flatten)]
    seed: AttackSeed,
    /// Write the table as CSV here.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
    /// No progress line on stderr (a sweep that lasts over 2 s shows its percentage and time left).
    #[arg(long)]
    quiet: bool,
}

/// The values of `--values`, each checked as a value of `param` of `cfg` (so a whole-number
/// parameter takes integers only: `1e20` is refused, not saturated).
fn parse_values(
    text: &str,
    cfg: &advlab::attacks::AttackConfig,
    param: &str,
) -> Result<Vec<f32>, CliError> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if parts.len() > MAX_SWEEP_VALUES {
        return Err(CliError(format!(
            "--values: {} values, at most {MAX_SWEEP_VALUES}",
            parts.len()
        )));
    }
    parts
        .iter()
        .map(|v| {
            set_param(cfg, param, Raw::Text(v.to_string())).map_err(|e| CliError(e.to_string()))?;
            v.parse::<f32>()
                .map_err(|_| CliError(format!("--values: {v:?} is not a number")))
        })
        .collect()
}

/// The CSV: one header, one row per value; `models` names the columns' prefixes.
pub fn to_csv(param: &str, models: &[(&str, Vec<SweepPoint>)]) -> String {
    let mut out = param.to_string();
    for (name, _) in models {
        for col in [
            "clean_accuracy",
            "accuracy",
            "success_rate",
            "l2_mean",
            "linf_mean",
        ] {
            let _ = write!(out, ",{name}_{col}");
        }
    }
    out.push('\n');
    for i in 0..models.first().map_or(0, |m| m.1.len()) {
        let _ = write!(out, "{}", models[0].1[i].value);
        for (_, points) in models {
            let m = points[i].metrics;
            let _ = write!(
                out,
                ",{},{},{},{},{}",
                m.clean_accuracy, m.adversarial_accuracy, m.success_rate, m.l2_mean, m.linf_mean
            );
        }
        out.push('\n');
    }
    out
}

fn print_table(param: &str, models: &[(&str, Vec<SweepPoint>)]) {
    let mut head = format!("{param:>10}");
    for (name, _) in models {
        let _ = write!(head, " | {name:>9} acc  success  mean L2  mean Linf");
    }
    println!("{head}");
    for i in 0..models[0].1.len() {
        let mut row = format!("{:>10}", models[0].1[i].value);
        for (name, points) in models {
            let m = points[i].metrics;
            let w = name.len().max(9) + 4;
            let _ = write!(
                row,
                " | {:>w$.4} {:>8.4} {:>8.4} {:>10.4}",
                m.adversarial_accuracy, m.success_rate, m.l2_mean, m.linf_mean
            );
        }
        println!("{row}");
    }
}

/// Runs `advlab sweep`.
pub fn run(a: SweepArgs) -> Result<(), CliError> {
    if a.opts.get("targeted").is_some() {
        return Err(CliError(
            "--targeted is not supported by sweep: it attacks without labels or targets".into(),
        ));
    }
    if let Some(g) = a.opts.get(&a.param) {
        return Err(CliError(format!(
            "{} conflicts with --param {}: the sweep sets {} to each of --values",
            g.flag, a.param, a.param
        )));
    }
    let cfg = attack_from(
        &a.attack,
        &with_batch_size(&a.opts.given, Some(&a.batch_size)),
    )?;
    let values = parse_values(&a.values, &cfg, &a.param)?;
    let (test_limit, seed) = (a.test_limit.value()?, a.seed.value()?);
    if let Some(path) = &a.csv {
        check_writable(path, "--csv")?;
    }
    let adaptive = a.adaptive.settings()?;
    let stack = a.stack.as_deref();
    let mut models: Vec<(String, Stack<Model>)> = vec![(
        "model".into(),
        load_stack(&a.model, "--model", stack, adaptive.clone(), seed)?,
    )];
    if let Some(p) = &a.defended {
        models.push((
            "defended".into(),
            load_stack(p, "--defended", stack, adaptive.clone(), seed)?,
        ));
    }
    // An adaptive option that applies to none of the models is refused; one that applies to
    // some is a warning for the others (their columns are then the naive attack's).
    let mut warnings: Vec<String> = Vec::new();
    let refusals: Vec<String> = models
        .iter()
        .filter_map(|(name, m)| {
            let e = a.adaptive.check_applies(m, cfg.name()).err()?;
            Some(format!("{name}: {}", e.0))
        })
        .collect();
    if refusals.len() == models.len() {
        if let Some(first) = refusals.into_iter().next() {
            return Err(CliError(first));
        }
    } else {
        warnings.extend(refusals);
    }
    if let Some(name) = &a.compare_adaptive {
        let mode = match name.as_str() {
            "bpda" => Adaptive::Bpda,
            "eot" => Adaptive::Eot,
            other => {
                return Err(CliError(format!(
                    "invalid parameter compare_adaptive = {:?}: must be one of bpda, eot",
                    Raw::clip(other, 40)
                )))
            }
        };
        if adaptive.mode() != Adaptive::None {
            return Err(CliError(format!(
                "--compare-adaptive {name} runs the naive attack beside the adaptive one: leave --adaptive at none (it is {})",
                adaptive.adaptive
            )));
        }
        if models.iter().all(|(_, m)| m.config().is_empty()) {
            return Err(CliError(format!(
                "--compare-adaptive {name}: no model has a defence stack, so every adaptive column would repeat the naive one"
            )));
        }
        for (column, _) in models.iter().filter(|(_, m)| m.config().is_empty()) {
            warnings.push(format!(
                "--compare-adaptive {name}: {column} has no defence stack, so it gets no adaptive column (it would repeat the naive one)"
            ));
        }
        let extra: Vec<(String, Stack<Model>)> = models
            .iter()
            .filter(|(_, m)| !m.config().is_empty())
            .map(|(n, m)| {
                let mut m = m.clone();
                m.set_adaptive(AdaptiveSettings {
                    adaptive: AdaptiveSettings::of(mode, 1).adaptive,
                    ..adaptive.clone()
                });
                (format!("{n}-{}", m.adaptive().adaptive), m)
            })
            .collect();
        models.extend(extra);
    }
    let ds = a.dataset.load(Some(1), test_limit)?;
    let mut results = Vec::new();
    for (name, mut m) in models {
        check_fits(&m, &ds).map_err(|e| CliError(format!("{name}: {e}")))?;
        let (x, y) = (ds.x_test.view(), &ds.y_test);
        let mut progress = Progress::new(&format!("sweep, {name}"), !a.quiet && !a.json);
        let points = sweep(&mut m, x, y, &cfg, &a.param, &values, seed, &mut |f| {
            progress.show(f)
        })
        .map_err(|e| CliError(format!("sweep: {e}")))?;
        progress.finish();
        results.push((name, points));
    }
    let results: Vec<(&str, Vec<SweepPoint>)> = results
        .iter()
        .map(|(n, p)| (n.as_str(), p.clone()))
        .collect();
    if let Some(path) = &a.csv {
        super::common::write_atomic(path, to_csv(&a.param, &results).as_bytes())?;
    }
    if a.json {
        let runs: serde_json::Map<String, serde_json::Value> = results
            .iter()
            .map(|(n, p)| (n.to_string(), json!(p)))
            .collect();
        print_json(&json!({
            "attack": cfg.name(), "params": cfg, "param": a.param, "dataset": ds.name,
            "samples": ds.y_test.len(), "results": runs, "warnings": warnings,
        }));
    } else {
        for w in &warnings {
            println!("warning: {w}");
        }
        println!(
            "{} on {} test samples of {}",
            cfg.name(),
            ds.y_test.len(),
            ds.name
        );
        print_table(&a.param, &results);
    }
    Ok(())
}
