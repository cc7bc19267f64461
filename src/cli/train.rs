//! `advlab train`: builds a preset or JSON architecture, trains it with the shared training
//! loop, reports progress per epoch and the final test accuracy, and saves the model file.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use advlab::evaluation::evaluate;
use advlab::nn::file::save_model_file;
use advlab::nn::presets::parse_arch;
use advlab::nn::Model;
use advlab::train::{fit, Progress, TrainConfig};
use clap::Args;
use serde_json::json;

use super::common::{check_writable, epoch_line, print_json, CliError, Context};
use super::dataset::DatasetArgs;
use super::options::TrainOpts;

/// Arguments of `advlab train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    dataset: DatasetArgs,
    /// A preset name (see `advlab presets`), a JSON model spec, or @file.json (at most 1 MiB).
    #[arg(long)]
    arch: String,
    #[command(flatten)]
    train: TrainOpts,
    /// Where to write the .safetensors model.
    #[arg(long)]
    out: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `advlab train`.
pub fn run(a: TrainArgs) -> Result<(), CliError> {
    let t = a.train.settings()?;
    check_writable(&a.out, "--out")?;
    let ds = a.dataset.load(t.train_limit, t.test_limit)?;
    let preset = parse_arch(&a.arch, &ds).context("--arch")?;
    let cfg = TrainConfig {
        epochs: t.epochs.unwrap_or(preset.epochs),
        batch_size: t.batch_size.unwrap_or(preset.batch_size),
        seed: t.seed,
    };
    let optimizer = t.learning_rate.map_or(preset.optimizer, |lr| {
        preset.optimizer.with_learning_rate(lr)
    });
    let mut model = Model::new(preset.spec.clone(), t.seed).context("building the model")?;
    model.set_optimizer(optimizer).context("--learning-rate")?;
    if !a.json {
        println!(
            "training {} ({} parameters) on {}: {} train / {} test samples, {} epochs, batch {}, {:?}",
            preset.name,
            model.num_params(),
            ds.name,
            ds.y_train.len(),
            ds.y_test.len(),
            cfg.epochs,
            cfg.batch_size,
            optimizer
        );
    }
    let start = Instant::now();
    let mut report = |p: &Progress| {
        if !a.json {
            if let Some(line) = epoch_line(p, start) {
                println!("{line}");
            }
        }
    };
    let cancel = AtomicBool::new(false);
    let last = fit(
        &mut model,
        ds.x_train.view(),
        &ds.y_train,
        &cfg,
        None,
        &mut report,
        &cancel,
    )
    .context("training")?;
    let train_seconds = start.elapsed().as_secs_f64();
    let test = evaluate(&model, ds.x_test.view(), &ds.y_test).context("evaluating")?;
    save_model_file(&model, &a.out).context("saving the model")?;
    let seconds = start.elapsed().as_secs_f64();
    if a.json {
        print_json(&json!({
            "dataset": ds.name, "arch": preset.name, "params": model.num_params(),
            "epochs": cfg.epochs, "batch_size": cfg.batch_size, "seed": cfg.seed,
            "optimizer": optimizer, "train_samples": ds.y_train.len(),
            "train_loss": last.loss, "train_accuracy": last.accuracy,
            "test": test, "train_seconds": train_seconds, "seconds": seconds,
            "out": a.out.display().to_string(),
        }));
    } else {
        println!(
            "test accuracy {:.4} on {} samples (loss {:.4}); trained in {:.1} s; saved {}",
            test.accuracy,
            test.samples,
            test.loss,
            train_seconds,
            a.out.display()
        );
    }
    Ok(())
}
