//! `advlab bench attacks`: per-image time of each attack (`--attacks` picks some), with ART's
//! default parameters, on `mnist-seed` and the first MNIST test images, and the model queries
//! per image of the black-box attacks (Square, HopSkipJump); then issue 10's PGD-40 and one pass
//! of AdversarialTrainer (FGSM). `--naive` times every row again with the naive kernels.
//!
//! Main type: [`AttacksBench`]. The weights are, by default, mnist-seed trained for one epoch on
//! the first `--train-samples` MNIST training images (attack cost depends on how soon samples
//! flip, so trained weights are the realistic case); `--random-weights` uses fresh weights and
//! `--model` a saved model. The comparison with ART runs only where `python3` can import `art` and
//! `torch`; otherwise one line says it was skipped and why.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use advlab::attacks::{attack_metrics, AttackConfig};
use advlab::classifier::Classifier;
use advlab::defences::AdversarialTrainer;
use advlab::nn::file::load_model_file;
use advlab::nn::presets::preset;
use advlab::nn::{set_naive_kernels, Model};
use advlab::train::{fit, TrainConfig};
use clap::Args;
use ndarray::{s, ArrayView2, Axis};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::common::{load_dataset, print_json, CliError, Context};
use advlab::evaluation::evaluate;
use advlab::params::Raw;

/// Arguments of `advlab bench attacks`.
#[derive(Debug, Args)]
pub struct AttacksBench {
    /// MNIST test images attacked.
    #[arg(long, default_value_t = 100, allow_negative_numbers = true)]
    images: usize,
    /// Samples per classifier call.
    #[arg(long, default_value_t = 32, allow_negative_numbers = true)]
    batch_size: usize,
    /// Train mnist-seed for one epoch on this many MNIST training images.
    #[arg(long, default_value_t = 10_000, allow_negative_numbers = true)]
    train_samples: usize,
    /// Use fresh random weights instead of training.
    #[arg(long)]
    random_weights: bool,
    /// Use this saved MNIST model instead.
    #[arg(long)]
    model: Option<PathBuf>,
    /// The Python interpreter tried for the ART comparison.
    #[arg(long, default_value = "python3")]
    python: String,
    /// Comma-separated attacks to time (default: every attack, then `pgd-40`, issue 10's PGD with
    /// eps 0.3, eps_step 0.01 and 40 iterations, and `adv-trainer`, one pass of ART's
    /// AdversarialTrainer with FGSM eps 0.2 and ratio 0.5 over the images in batches of 64).
    #[arg(long)]
    attacks: Option<String>,
    /// Also time every row with the naive kernels (dense and conv2d loops) and print the ratio.
    #[arg(long)]
    naive: bool,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
}

/// The model and a sentence saying which weights it has.
fn bench_model(b: &AttacksBench) -> Result<(Model, String), CliError> {
    if let Some(p) = &b.model {
        let m = load_model_file(p).context("loading --model")?;
        return Ok((m, format!("weights of {}", p.display())));
    }
    let p = preset("mnist-seed").ok_or_else(|| CliError("preset mnist-seed is missing".into()))?;
    let mut m = Model::new(p.spec, 0).context("building mnist-seed")?;
    if b.random_weights {
        return Ok((m, "random weights (seed 0)".into()));
    }
    m.set_optimizer(p.optimizer).context("optimizer")?;
    let ds = load_dataset("mnist", Some(b.train_samples), Some(1))?;
    let cfg = TrainConfig {
        epochs: 1,
        batch_size: p.batch_size,
        seed: 0,
    };
    let (x, y) = (ds.x_train.view(), &ds.y_train);
    fit(
        &mut m,
        x,
        y,
        &cfg,
        None,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .context("training")?;
    let what = format!("trained 1 epoch on {} MNIST training images", y.len());
    Ok((m, what))
}

/// Why the ART comparison cannot run here, or `None` when `art` and `torch` import.
fn art_unavailable(python: &str) -> Option<String> {
    let out = Command::new(python)
        .args(["-c", "import art, torch"])
        .output();
    match out {
        Err(e) => Some(format!("cannot run {python}: {e}")),
        Ok(o) if o.status.success() => None,
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr);
            let last = err.lines().last().unwrap_or("import failed").trim();
            Some(format!("`{python} -c 'import art, torch'` failed ({last})"))
        }
    }
}

/// One row: the attack `name` (or `pgd-40`, or `adv-trainer`) timed on `x`.
fn time_row(
    name: &str,
    b: &AttacksBench,
    model: &mut Model,
    x: ArrayView2<f32>,
    y: &[usize],
) -> Result<serde_json::Value, CliError> {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let batch = ("batch_size".to_string(), Raw::Int(b.batch_size as i64));
    if name == "adv-trainer" {
        return time_adv_trainer(model.clone(), x, y);
    }
    let cfg = if name == "pgd-40" {
        let fields = [
            batch,
            ("eps".to_string(), Raw::Float(0.3)),
            ("eps_step".to_string(), Raw::Float(0.01)),
            ("max_iter".to_string(), Raw::Int(40)),
        ];
        AttackConfig::from_fields("pgd", &fields)?
    } else {
        AttackConfig::from_fields(name, &[batch])?
    };
    let start = Instant::now();
    let out = cfg.generate(model, x, None, &mut rng, None).context(name)?;
    let ms = start.elapsed().as_secs_f64() * 1000.0 / y.len() as f64;
    let m = attack_metrics(model, x, out.x_adv.view(), y, None, &out.iterations);
    let queries = out
        .queries
        .map(|q| q.iter().sum::<usize>() as f64 / q.len().max(1) as f64);
    Ok(json!({"attack": name, "params": cfg, "ms_per_image": ms,
        "adversarial_accuracy": m.adversarial_accuracy, "iterations_mean": m.iterations_mean,
        "queries_per_image": queries}))
}

/// One pass of ART's AdversarialTrainer (FGSM eps 0.2, ratio 0.5) over `x` in batches of 64:
/// crafting plus the training step, per image.
fn time_adv_trainer(
    mut model: Model,
    x: ArrayView2<f32>,
    y: &[usize],
) -> Result<serde_json::Value, CliError> {
    let fgsm = [("eps".to_string(), Raw::Float(0.2))];
    let attack = AttackConfig::from_fields("fgsm", &fgsm)?;
    let mut trainer = AdversarialTrainer::new(vec![attack], 0.5).context("adv-trainer")?;
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let start = Instant::now();
    for (i, xb) in x.axis_chunks_iter(Axis(0), 64).enumerate() {
        let yb = &y[i * 64..i * 64 + xb.nrows()];
        let (xa, _) = trainer
            .craft_batch(&mut model, xb.to_owned(), yb, &mut rng)
            .context("adv-trainer")?;
        model.train_batch(xa.view(), yb);
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / y.len() as f64;
    Ok(
        json!({"attack": "adv-trainer", "params": {"attack": "fgsm", "eps": 0.2, "ratio": 0.5},
        "ms_per_image": ms}),
    )
}

/// Runs `advlab bench attacks`.
pub fn run(b: AttacksBench) -> Result<(), CliError> {
    let ok = |v: usize, max: usize| (1..=max).contains(&v);
    if !ok(b.images, 10_000) || !ok(b.batch_size, 4096) || !ok(b.train_samples, 60_000) {
        return Err(CliError(format!(
            "--images (1 to 10000), --batch-size (1 to 4096) and --train-samples (1 to 60000) are out of range: {}, {} and {}",
            b.images, b.batch_size, b.train_samples
        )));
    }
    let (mut model, weights) = bench_model(&b)?;
    let ds = load_dataset("mnist", Some(1), Some(b.images))?;
    super::common::check_fits(&model, &ds)?;
    let (x, y) = (ds.x_test.slice(s![.., ..]), &ds.y_test);
    let clean = evaluate(&model, x, y).context("the model")?.accuracy;
    let names: Vec<String> = match &b.attacks {
        None => AttackConfig::NAMES
            .iter()
            .map(|n| n.to_string())
            .chain(["pgd-40".to_string(), "adv-trainer".to_string()])
            .collect(),
        Some(list) => list.split(',').map(|n| n.trim().to_string()).collect(),
    };
    let mut rows = Vec::new();
    for name in &names {
        let name = name.as_str();
        let mut row = time_row(name, &b, &mut model, x, y)?;
        if b.naive {
            set_naive_kernels(true);
            let naive = time_row(name, &b, &mut model, x, y);
            set_naive_kernels(false);
            let naive_ms = naive?["ms_per_image"].as_f64().unwrap_or(f64::NAN);
            let fast_ms = row["ms_per_image"].as_f64().unwrap_or(f64::NAN);
            row["naive_ms_per_image"] = json!(naive_ms);
            row["speedup"] = json!(naive_ms / fast_ms);
        }
        rows.push(row);
    }
    let art = match art_unavailable(&b.python) {
        Some(why) => format!("ART comparison skipped: {why}"),
        None => {
            "ART comparison: art and torch import here; run scripts/art_compare.py (docs/art-comparison.md)"
                .into()
        }
    };
    if b.json {
        print_json(
            &json!({"model": "mnist-seed", "weights": weights, "images": y.len(),
            "batch_size": b.batch_size, "clean_accuracy": clean, "attacks": rows, "art": art}),
        );
        return Ok(());
    }
    println!("mnist-seed ({weights}), {} MNIST test images (clean accuracy {clean:.4}), batch {}, ART's default parameters", y.len(), b.batch_size);
    println!(
        "{:<11} {:>12} {:>13} {:>11} {:>16} {:>12} {:>8}",
        "attack",
        "ms / image",
        "adv accuracy",
        "iterations",
        "queries / image",
        "naive ms",
        "speedup"
    );
    for r in &rows {
        let queries = r["queries_per_image"]
            .as_f64()
            .map_or("-".to_string(), |q| format!("{q:.1}"));
        let num = |k: &str, d: usize| {
            r[k].as_f64()
                .map_or("-".to_string(), |v| format!("{v:.d$}"))
        };
        println!(
            "{:<11} {:>12} {:>13} {:>11} {:>16} {:>12} {:>8}",
            r["attack"].as_str().unwrap_or("?"),
            num("ms_per_image", 3),
            num("adversarial_accuracy", 4),
            num("iterations_mean", 1),
            queries,
            num("naive_ms_per_image", 3),
            num("speedup", 1)
        );
    }
    println!("{art}");
    Ok(())
}
