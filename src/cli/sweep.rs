//! `advlab sweep`: accuracy under an attack as one of its numeric parameters varies, on a test set,
//! for a model and optionally a defended one, with `advlab::defences::sweep`.
//!
//! Main type: [`SweepArgs`]. As in the report (ART's `generate(x)`), the attack gets no labels:
//! untargeted attacks move away from the model's own prediction and JSMA aims at a random wrong
//! class; accuracy is measured against the true labels. Prints a table; `--csv` writes one row per
//! value, `--json` prints every metric.

use std::fmt::Write as _;
use std::path::PathBuf;

use advlab::defences::{sweep, SweepPoint};
use advlab::nn::file::load_model_file;
use advlab::nn::Model;
use clap::Args;
use serde_json::json;

use super::attack_opts::{apply, attack_config, AttackOpts};
use super::common::{check_fits, load_dataset, print_json, CliError, Context};

/// Arguments of `advlab sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The .safetensors model.
    #[arg(long)]
    model: PathBuf,
    /// A defended model to sweep beside it.
    #[arg(long)]
    defended: Option<PathBuf>,
    /// fgsm, pgd, jsma, deepfool or newtonfool.
    #[arg(long)]
    attack: String,
    /// The numeric parameter to vary, by its ART name (eps, theta, epsilon, max_iter, ...).
    #[arg(long)]
    param: String,
    /// Comma-separated values, e.g. 0.1,0.2,0.3.
    #[arg(long, allow_hyphen_values = true)]
    values: String,
    /// iris, mnist or fashion-mnist: the test split is attacked.
    #[arg(long)]
    dataset: String,
    /// Attack at most this many test samples.
    #[arg(long)]
    test_limit: Option<usize>,
    #[command(flatten)]
    opts: AttackOpts,
    /// Samples per classifier call (does not change the result).
    #[arg(long, default_value_t = 128)]
    batch_size: usize,
    /// Seed of random starts and JSMA's targets.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write the table as CSV here.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
}

fn parse_values(text: &str) -> Result<Vec<f32>, CliError> {
    text.split(',')
        .map(|v| {
            let v = v.trim();
            v.parse::<f32>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| CliError(format!("--values: {v:?} is not a finite number")))
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
    if a.opts.targeted {
        return Err(CliError(
            "--targeted is not supported by sweep: it attacks without labels or targets".into(),
        ));
    }
    let cfg = attack_config(&a.attack, &a.opts)?;
    let cfg = apply(&cfg, &[("batch_size", "--batch-size", json!(a.batch_size))])?;
    let values = parse_values(&a.values)?;
    let mut models: Vec<(&str, Model)> = vec![(
        "model",
        load_model_file(&a.model).context("loading --model")?,
    )];
    if let Some(p) = &a.defended {
        models.push((
            "defended",
            load_model_file(p).context("loading --defended")?,
        ));
    }
    let ds = load_dataset(&a.dataset, Some(1), a.test_limit)?;
    let mut results = Vec::new();
    for (name, mut m) in models {
        check_fits(&m, &ds).context(name)?;
        let (x, y) = (ds.x_test.view(), &ds.y_test);
        let points = sweep(&mut m, x, y, &cfg, &a.param, &values, a.seed).context("sweep")?;
        results.push((name, points));
    }
    if let Some(path) = &a.csv {
        std::fs::write(path, to_csv(&a.param, &results))
            .context(format_args!("writing {}", path.display()))?;
    }
    if a.json {
        let runs: serde_json::Map<String, serde_json::Value> = results
            .iter()
            .map(|(n, p)| (n.to_string(), json!(p)))
            .collect();
        print_json(&json!({
            "attack": cfg.name(), "params": cfg, "param": a.param, "dataset": ds.name,
            "samples": ds.y_test.len(), "results": runs,
        }));
    } else {
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
