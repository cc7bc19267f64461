//! `advlab attack`: runs one evasion attack on the samples of a `.npy` file and writes the
//! adversarial samples in the input's shape, with ART's parameter names.
//!
//! Main type: [`AttackArgs`]. Labels: `--labels` are the true classes (ART's `y` for untargeted
//! attacks, and the reference of the metrics); without them the model's predictions on the input
//! are both. `--targets` are the classes targeted attacks aim for (FGSM/PGD with `--targeted`,
//! JSMA); JSMA without targets draws a random wrong class per sample from `--seed`.

use std::path::PathBuf;
use std::time::Instant;

use advlab::attacks::jsma::random_wrong_classes;
use advlab::attacks::{attack_metrics, AttackConfig};
use advlab::classifier::Classifier;
use advlab::nn::file::load_model_file;
use advlab::nn::Model;
use clap::Args;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::attack_opts::{attack_config, AttackOpts};
use super::common::{print_json, CliError, Context};
use super::npy::{read_classes, read_input, write_like};

/// Arguments of `advlab attack`.
#[derive(Debug, Args)]
pub struct AttackArgs {
    /// fgsm, pgd, jsma, deepfool or newtonfool.
    attack: String,
    /// The .safetensors model.
    #[arg(long)]
    model: PathBuf,
    /// float32 .npy samples, (N, *input_shape) or (N, D).
    #[arg(long)]
    input: PathBuf,
    /// True classes: indices (N,) of any integer dtype (or whole floats), or one-hot (N, C).
    #[arg(long)]
    labels: Option<PathBuf>,
    /// Target classes for --targeted fgsm/pgd and for jsma, same forms as --labels.
    #[arg(long)]
    targets: Option<PathBuf>,
    #[command(flatten)]
    opts: AttackOpts,
    /// Samples per classifier call (does not change the result).
    #[arg(long)]
    batch_size: Option<usize>,
    /// Seed of random starts and of JSMA's random targets.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Where to write the float32 adversarial samples (same shape as --input).
    #[arg(long)]
    out: PathBuf,
    /// Print the metrics as one JSON object.
    #[arg(long)]
    json: bool,
}

/// The configuration from the attack name, its options and `--batch-size`.
fn config(a: &AttackArgs) -> Result<AttackConfig, CliError> {
    let cfg = attack_config(&a.attack, &a.opts)?;
    match a.batch_size {
        Some(b) => super::attack_opts::apply(&cfg, &[("batch_size", "--batch-size", json!(b))]),
        None => Ok(cfg),
    }
}

/// Class indices, one per sample.
type Classes = Option<Vec<usize>>;

/// What `y` the attack gets: targets for targeted attacks (drawn for JSMA when absent), the true
/// labels otherwise. Returns `(y for the attack, targets for the metrics)`.
fn attack_y(
    cfg: &AttackConfig,
    model: &Model,
    a: &AttackArgs,
    x: &ndarray::Array2<f32>,
    labels: Option<Vec<usize>>,
    rng: &mut ChaCha8Rng,
) -> Result<(Classes, Classes), CliError> {
    let (n, c) = (x.nrows(), model.nb_classes());
    let targets = match &a.targets {
        Some(p) => Some(read_classes(p, "--targets", n, c)?),
        None => None,
    };
    match (cfg, targets) {
        (AttackConfig::Deepfool(_) | AttackConfig::Newtonfool(_), Some(_)) => {
            Err(CliError(format!(
                "--targets does not apply to {} (it is untargeted)",
                cfg.name()
            )))
        }
        (AttackConfig::Jsma(_), None) => {
            let pred = model.predict_classes(x.view());
            let t = random_wrong_classes(&pred, c, rng).context("jsma")?;
            Ok((Some(t.clone()), Some(t)))
        }
        (_, Some(t)) if cfg.is_targeted() => Ok((Some(t.clone()), Some(t))),
        (_, Some(_)) => Err(CliError(format!(
            "--targets needs --targeted for {} (or use --labels for true classes)",
            cfg.name()
        ))),
        (_, None) if cfg.is_targeted() => Err(CliError(format!(
            "--targeted {} needs --targets T.npy",
            cfg.name()
        ))),
        (_, None) => Ok((labels, None)),
    }
}

/// Runs `advlab attack`.
pub fn run(a: AttackArgs) -> Result<(), CliError> {
    let cfg = config(&a)?;
    let mut model = load_model_file(&a.model).context("loading the model")?;
    let input = read_input(&a.input, model.input_shape())?;
    let (x, n) = (&input.x, input.x.nrows());
    let labels = match &a.labels {
        Some(p) => Some(read_classes(p, "--labels", n, model.nb_classes())?),
        None => None,
    };
    let y_true = labels
        .clone()
        .unwrap_or_else(|| model.predict_classes(x.view()));
    let mut rng = ChaCha8Rng::seed_from_u64(a.seed);
    let (y, targets) = attack_y(&cfg, &model, &a, x, labels, &mut rng)?;
    let start = Instant::now();
    let out = cfg
        .generate(&mut model, x.view(), y.as_deref(), &mut rng, None)
        .context(cfg.name())?;
    let seconds = start.elapsed().as_secs_f64();
    let m = attack_metrics(
        &model,
        x.view(),
        out.x_adv.view(),
        &y_true,
        targets.as_deref(),
        &out.iterations,
    );
    write_like(&a.out, out.x_adv, &input.shape)?;
    if a.json {
        print_json(&json!({
            "attack": cfg.name(), "params": cfg, "metrics": m, "targeted": targets.is_some(),
            "labels": if a.labels.is_some() { "given" } else { "predicted" },
            "seconds": seconds, "out": a.out.display().to_string(),
        }));
    } else {
        println!(
            "{} on {n} samples: accuracy {:.4} -> {:.4}, success rate {:.4}, mean L2 {:.4}, mean Linf {:.4} ({:.2} s); wrote {}",
            cfg.name(),
            m.clean_accuracy,
            m.adversarial_accuracy,
            m.success_rate,
            m.l2_mean,
            m.linf_mean,
            seconds,
            a.out.display()
        );
    }
    Ok(())
}
