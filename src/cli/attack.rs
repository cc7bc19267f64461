//! `advlab attack`: runs one evasion attack on the samples of a `.npy` file and writes the
//! adversarial samples in the input's shape, with ART's parameter names.
//!
//! Main type: [`AttackArgs`]. Labels: `--labels` are the true classes (ART's `y` for untargeted
//! attacks, and the reference of the metrics); without them the model's predictions on the input
//! are both. `--targets` are the classes targeted attacks aim for (FGSM/PGD with `--targeted`,
//! JSMA); JSMA without targets draws a random wrong class per sample from `--seed`. `--json`
//! adds, beside the metrics, the median L2 and L-inf of the successful examples (how minimal
//! attacks such as C&W and HopSkipJump are compared), the queries per sample of the black-box
//! attacks, and for AutoAttack how many samples each attack fooled first.

use std::path::PathBuf;
use std::time::Instant;

use advlab::attacks::jsma::random_wrong_classes;
use advlab::attacks::{attack_metrics, AttackConfig};
use advlab::classifier::Classifier;
use advlab::params::Raw;
use clap::Args;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::common::{check_writable, print_json, CliError, Context, Progress};
use super::npy::{read_classes, read_input, write_like};
use super::options::{
    detector_summary, fields, flag_of, load_stack, print_stack, AdaptiveOpts, AttackOpts,
    AttackSeed, Given,
};

/// Arguments of `advlab attack`.
#[derive(Debug, Args)]
pub struct AttackArgs {
    /// fgsm, pgd, jsma, deepfool, newtonfool, cw-l2, apgd, autoattack, square or hopskipjump.
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
    /// The defence stack in front of and behind the model (replaces the model file's; `none`
    /// removes it): `feature-squeezing:bit_depth=1,rounded:decimals=2`, JSON or @file.json.
    #[arg(long)]
    stack: Option<String>,
    #[command(flatten)]
    adaptive: AdaptiveOpts,
    /// Samples per classifier call (does not change the result; default: the attack's).
    #[arg(long, allow_negative_numbers = true)]
    batch_size: Option<String>,
    #[command(flatten)]
    seed: AttackSeed,
    /// Where to write the float32 adversarial samples (same shape as --input).
    #[arg(long)]
    out: PathBuf,
    /// Print the metrics as one JSON object.
    #[arg(long)]
    json: bool,
    /// No progress line on stderr (a run that lasts over 2 s shows its percentage and time left).
    #[arg(long)]
    quiet: bool,
}

/// The attack `name` from the options given: an option the attack does not have is an error
/// naming it and listing the attack's options; values are checked by the attack's description.
pub fn attack_from(name: &str, given: &[Given]) -> Result<AttackConfig, CliError> {
    let specs = AttackConfig::specs_of(name).ok_or_else(|| {
        CliError(format!(
            "unknown attack {:?}; expected one of {}",
            Raw::clip(name, 40),
            AttackConfig::NAMES.join(", ")
        ))
    })?;
    if let Some(g) = given
        .iter()
        .find(|g| !specs.iter().any(|s| s.name == g.name))
    {
        let known: Vec<String> = specs
            .iter()
            .filter(|s| s.name != "batch_size")
            .map(|s| flag_of(s.name))
            .collect();
        return Err(CliError(format!(
            "{} does not apply to {name}; its options are {}",
            g.flag,
            known.join(", ")
        )));
    }
    Ok(AttackConfig::from_fields(name, &fields(given))?)
}

/// The options with `--batch-size` added when given.
pub fn with_batch_size(given: &[Given], batch_size: Option<&str>) -> Vec<Given> {
    let mut out = given.to_vec();
    if let Some(b) = batch_size {
        out.push(Given {
            name: "batch_size",
            flag: "--batch-size".into(),
            value: Raw::Text(b.to_string()),
        });
    }
    out
}

/// The configuration from the attack name, its options and `--batch-size`.
fn config(a: &AttackArgs) -> Result<AttackConfig, CliError> {
    attack_from(
        &a.attack,
        &with_batch_size(&a.opts.given, a.batch_size.as_deref()),
    )
}

/// Class indices, one per sample.
type Classes = Option<Vec<usize>>;

/// What `y` the attack gets: targets for targeted attacks (drawn for JSMA when absent), the true
/// labels otherwise. Returns `(y for the attack, targets for the metrics)`.
fn attack_y(
    cfg: &AttackConfig,
    model: &dyn Classifier,
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
        (
            AttackConfig::Deepfool(_)
            | AttackConfig::Newtonfool(_)
            | AttackConfig::Autoattack(_)
            | AttackConfig::Square(_),
            Some(_),
        ) => Err(CliError(format!(
            "--targets does not apply to {} (it is untargeted)",
            cfg.name()
        ))),
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
    let seed = a.seed.value()?;
    check_writable(&a.out, "--out")?;
    let adaptive = a.adaptive.settings()?;
    let mut model = load_stack(
        &a.model,
        "--model",
        a.stack.as_deref(),
        adaptive.clone(),
        seed,
    )?;
    a.adaptive.check_applies(&model, cfg.name())?;
    let input = read_input(&a.input, &model)?;
    let (x, n) = (&input.x, input.x.nrows());
    let labels = match &a.labels {
        Some(p) => Some(read_classes(p, "--labels", n, model.nb_classes())?),
        None => None,
    };
    let clean = model.predict_checked(x.view()).context("the model")?;
    let y_true = labels
        .clone()
        .unwrap_or_else(|| advlab::classifier::argmax_rows(&clean));
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (y, targets) = attack_y(&cfg, &model, &a, x, labels, &mut rng)?;
    let checked = cfg.check().context(cfg.name())?;
    let start = Instant::now();
    let mut run = checked
        .start(&mut model, x.view(), y.as_deref(), rng)
        .context(cfg.name())?;
    let mut progress = Progress::new(cfg.name(), !a.quiet && !a.json);
    while !run.is_done() {
        run.step(&mut model).context(cfg.name())?;
        progress.show(run.fraction());
    }
    progress.finish();
    let out = run.finish();
    let seconds = start.elapsed().as_secs_f64();
    let m = attack_metrics(
        &model,
        x.view(),
        out.x_adv.view(),
        &y_true,
        targets.as_deref(),
        &out.iterations,
    );
    let extra = summary(&model, x, &out, &y_true, targets.as_deref());
    let detector = detector_summary(
        &model,
        x.view(),
        out.x_adv.view(),
        &y_true,
        targets.as_deref(),
    );
    write_like(&a.out, out.x_adv, &input.shape)?;
    if a.json {
        print_json(&json!({
            "attack": cfg.name(), "params": cfg, "metrics": m, "targeted": targets.is_some(),
            "labels": if a.labels.is_some() { "given" } else { "predicted" },
            "seconds": seconds, "out": a.out.display().to_string(),
            "successful": extra["successful"], "queries": extra["queries"],
            "first_success": extra["first_success"],
            "stack": model.config(), "adaptive": adaptive, "detector": detector,
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
        if let Some(q) = extra["queries"].as_object() {
            println!(
                "queries per sample: mean {}, median {}",
                q["mean"], q["median"]
            );
        }
        if let Some(f) = extra["first_success"].as_object() {
            println!("first success: {}", serde_json::Value::Object(f.clone()));
        }
        print_stack(&model, &adaptive.adaptive, detector.as_ref());
    }
    Ok(())
}

fn median(mut v: Vec<f32>) -> Option<f32> {
    v.sort_by(f32::total_cmp);
    let k = v.len();
    (k > 0).then(|| {
        if k % 2 == 1 {
            v[k / 2]
        } else {
            (v[k / 2 - 1] + v[k / 2]) / 2.0
        }
    })
}

/// What the metrics leave out: the median perturbation of the successful examples (how C&W and
/// HopSkipJump are compared), the queries per sample of black-box attacks, and AutoAttack's
/// count of first successes per attack.
fn summary(
    model: &dyn Classifier,
    x: &ndarray::Array2<f32>,
    out: &advlab::attacks::AttackOutput,
    y_true: &[usize],
    targets: Option<&[usize]>,
) -> serde_json::Value {
    let clean = model.predict_classes(x.view());
    let adv = model.predict_classes(out.x_adv.view());
    let norms = advlab::attacks::PerturbationNorms::of(x.view(), out.x_adv.view());
    let ok: Vec<usize> = (0..adv.len())
        .filter(|&i| match targets {
            Some(t) => adv[i] == t[i],
            None => clean[i] == y_true[i] && adv[i] != y_true[i],
        })
        .collect();
    let pick = |v: &[f32]| median(ok.iter().map(|&i| v[i]).collect());
    let queries = out.queries.as_ref().map(|q| {
        let total: usize = q.iter().sum();
        let med = median(q.iter().map(|&v| v as f32).collect());
        json!({"total": total, "mean": total as f64 / q.len().max(1) as f64, "median": med,
            "per_sample": q})
    });
    let first = out.first_success.as_ref().map(|f| {
        let mut counts = serde_json::Map::new();
        for w in f {
            let key = w.unwrap_or("robust");
            let n = counts
                .get(key)
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0);
            counts.insert(key.to_string(), json!(n + 1));
        }
        counts
    });
    json!({
        "successful": {"n": ok.len(), "l2_median": pick(&norms.l2), "linf_median": pick(&norms.linf)},
        "queries": queries,
        "first_success": first,
    })
}
