//! `advlab defend`: trains an adversarially defended model with the architecture of a saved one,
//! using `DefenceConfig::trainer()` as the batch transform of the shared training loop.
//!
//! Main type: [`DefendArgs`]. The defence's options are set through its serde form, so an option
//! the method does not have (`--ratio` for madry-pgd, `--alpha` for adv-trainer) is an error
//! naming it. Training defaults (epochs, batch size, optimiser) come from the preset whose
//! architecture the model has, else 10 epochs, batch 32, Adam 0.001.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use advlab::data::Dataset;
use advlab::defences::{AdvTrainerParams, AdversarialTrainer, DefenceConfig, MadryPgdParams};
use advlab::nn::file::{load_model_file, save_model_file};
use advlab::nn::presets::{preset, preset_names};
use advlab::nn::{Model, ModelSpec, OptimizerConfig};
use advlab::train::{fit, Progress, TrainConfig};
use clap::Args;
use serde_json::{json, Value};

use super::attack_opts::{apply, default_attack, AttackOpts};
use super::common::{check_fits, evaluate, load_dataset, print_json, CliError, Context};

const AFTER_HELP: &str = "\
Methods:
  adv-trainer  ART's AdversarialTrainer: ceil(ratio * B) samples of every batch are replaced by
               adversarial ones crafted on the current model. --attack defaults to fgsm with
               eps 0.2 (the report's Table 1 defence); other attacks start from ART's defaults.
               --ratio defaults to 0.5. Takes the attack options of `advlab attack`.
  madry-pgd    ART's AdversarialTrainerMadryPGD: PGD with a random start on every sample
               (ratio 1). ART's defaults (eps 8, eps_step 2, max_iter 7) are for CIFAR-10 pixels
               in 0-255 and would erase [0, 1] data; advlab's defaults (eps 0.3, eps_step 0.01,
               max_iter 40, Madry et al.'s MNIST setting) fit [0, 1] data. --quick selects
               MadryPgdParams::quick, the cheaper setting: 7 iterations of eps / 4.
               Options: --eps, --eps-step, --max-iter, --num-random-init, --quick.
  fast-fgsm    Wong, Rice and Kolter 2020: a random start in the eps-ball and one FGSM step of
               --alpha (default 1.25 * eps) on every sample. Options: --eps (default 0.3), --alpha.

Weights: by default the defended model starts from fresh weights (seeded by --seed), as the
report trained its defended models; --from-weights continues from the model's weights instead,
as ART's trainer.fit does (the optimiser state is not stored in model files and starts afresh).";

/// Arguments of `advlab defend`.
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct DefendArgs {
    /// The .safetensors model whose architecture is trained.
    #[arg(long)]
    model: PathBuf,
    /// iris, mnist or fashion-mnist.
    #[arg(long)]
    dataset: String,
    /// adv-trainer, madry-pgd or fast-fgsm (see below).
    #[arg(long)]
    method: String,
    /// adv-trainer: the attack crafting the adversarial samples (default fgsm).
    #[arg(long)]
    attack: Option<String>,
    /// adv-trainer: fraction of each batch replaced, in (0, 1] (default 0.5).
    #[arg(long, allow_negative_numbers = true)]
    ratio: Option<f32>,
    /// fast-fgsm: size of the FGSM step from the random start (default 1.25 * eps).
    #[arg(long, allow_negative_numbers = true)]
    alpha: Option<f32>,
    /// madry-pgd: MadryPgdParams::quick (7 iterations of eps / 4) instead of 40 of 0.01.
    #[arg(long)]
    quick: bool,
    #[command(flatten)]
    opts: AttackOpts,
    /// Epochs (default: the preset's for this architecture).
    #[arg(long)]
    epochs: Option<usize>,
    /// Training batch size (default: the preset's); also the attack's batch size.
    #[arg(long)]
    batch_size: Option<usize>,
    /// Learning rate (default: the preset's).
    #[arg(long, allow_negative_numbers = true)]
    lr: Option<f32>,
    /// Seed of the fresh weights, dropout, shuffling and the attacks' randomness.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Continue from the model's weights instead of fresh ones.
    #[arg(long)]
    from_weights: bool,
    /// Train on at most this many samples.
    #[arg(long)]
    train_limit: Option<usize>,
    /// Evaluate on at most this many test samples.
    #[arg(long)]
    test_limit: Option<usize>,
    /// Where to write the defended .safetensors model.
    #[arg(long)]
    out: PathBuf,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
}

/// Training defaults of the preset with this architecture: (name, epochs, batch, optimiser).
pub fn training_defaults(spec: &ModelSpec) -> (&'static str, usize, usize, OptimizerConfig) {
    preset_names()
        .iter()
        .filter_map(|n| preset(n))
        .find(|p| p.spec.layers == spec.layers && p.spec.input_shape == spec.input_shape)
        .map(|p| (p.name, p.epochs, p.batch_size, p.optimizer))
        .unwrap_or(("custom", 10, 32, OptimizerConfig::adam(0.001)))
}

/// Sets `given` options on a serde object, refusing keys it does not have.
fn set_keys(
    json: &mut Value,
    method: &str,
    given: &[(&'static str, &'static str, Value)],
) -> Result<(), CliError> {
    let obj = json
        .as_object_mut()
        .ok_or_else(|| CliError("defence configurations are objects".into()))?;
    for (key, flag, value) in given {
        if !obj.contains_key(*key) {
            return Err(CliError(format!(
                "{flag} does not apply to --method {method} (see `advlab defend --help`)"
            )));
        }
        obj.insert(key.to_string(), value.clone());
    }
    Ok(())
}

/// The defence from `--method` and its options; the attack's batch size is the training one.
fn defence(a: &DefendArgs, batch_size: usize) -> Result<DefenceConfig, CliError> {
    let mut given = a.opts.given()?;
    let method = a.method.as_str();
    let refuse = |set: bool, flag: &str| match set {
        true => Err(CliError(format!(
            "{flag} does not apply to --method {method}"
        ))),
        false => Ok(()),
    };
    if method == "adv-trainer" {
        refuse(a.alpha.is_some(), "--alpha")?;
        refuse(a.quick, "--quick")?;
        let base = match a.attack.as_deref() {
            None | Some("fgsm") => AdvTrainerParams::default().attacks[0].clone(),
            Some(name) => default_attack(name)?,
        };
        given.push(("batch_size", "--batch-size", json!(batch_size)));
        let attack = apply(&base, &given)?;
        return Ok(DefenceConfig::AdvTrainer(AdvTrainerParams {
            attacks: vec![attack],
            ratio: a.ratio.unwrap_or(0.5),
        }));
    }
    refuse(a.attack.is_some(), "--attack")?;
    refuse(a.ratio.is_some(), "--ratio (the ratio is 1)")?;
    let base = match method {
        "madry-pgd" if a.quick => {
            DefenceConfig::MadryPgd(MadryPgdParams::quick(a.opts.eps.unwrap_or(0.3)))
        }
        "madry-pgd" => DefenceConfig::MadryPgd(MadryPgdParams::default()),
        "fast-fgsm" => {
            serde_json::from_value(json!({"method": "fast-fgsm"})).context("fast-fgsm")?
        }
        other => {
            return Err(CliError(format!(
                "unknown --method {other:?}; expected adv-trainer, madry-pgd or fast-fgsm"
            )))
        }
    };
    refuse(a.quick && method != "madry-pgd", "--quick")?;
    if let Some(alpha) = a.alpha {
        given.push(("alpha", "--alpha", json!(alpha)));
    }
    let mut json = serde_json::to_value(&base).context("defence")?;
    set_keys(&mut json, method, &given)?;
    serde_json::from_value(json).context(format_args!("--method {method}"))
}

/// The model training starts from: fresh weights seeded by `--seed`, or the given model's.
fn starting_model(a: &DefendArgs, source: &Model) -> Result<Model, CliError> {
    if a.from_weights {
        let mut m = source.clone();
        m.set_seed(a.seed);
        return Ok(m);
    }
    Model::new(source.spec().clone(), a.seed).context("building the model")
}

/// Adversarial training with progress lines per epoch (unless `--json`).
fn train(
    a: &DefendArgs,
    model: &mut Model,
    ds: &Dataset,
    cfg: &TrainConfig,
    trainer: &mut AdversarialTrainer,
) -> Result<Progress, CliError> {
    let start = Instant::now();
    let mut report = |p: &Progress| {
        if !a.json && p.batch == p.batches {
            println!(
                "epoch {:>3}/{}  loss {:.4}  train accuracy {:.4}  ({:.1} s)",
                p.epoch,
                p.epochs,
                p.loss,
                p.accuracy,
                start.elapsed().as_secs_f64()
            );
        }
    };
    let (x, y) = (ds.x_train.view(), &ds.y_train);
    let cancel = AtomicBool::new(false);
    fit(model, x, y, cfg, Some(trainer), &mut report, &cancel).context("adversarial training")
}

/// Runs `advlab defend`.
pub fn run(a: DefendArgs) -> Result<(), CliError> {
    let source = load_model_file(&a.model).context("loading the model")?;
    let ds = load_dataset(&a.dataset, a.train_limit, a.test_limit)?;
    check_fits(&source, &ds)?;
    let (arch, epochs, batch_size, optimizer) = training_defaults(source.spec());
    let cfg = TrainConfig {
        epochs: a.epochs.unwrap_or(epochs),
        batch_size: a.batch_size.unwrap_or(batch_size),
        seed: a.seed,
    };
    cfg.validate().context("training options")?;
    let defence = defence(&a, cfg.batch_size)?;
    let mut trainer = defence
        .trainer()
        .context(format_args!("--method {}", a.method))?;
    let mut model = starting_model(&a, &source)?;
    let optimizer =
        a.lr.map_or(optimizer, |lr| optimizer.with_learning_rate(lr));
    model.set_optimizer(optimizer).context("--lr")?;
    if !a.json {
        println!(
            "defending {arch} on {} with {}: {} train samples, {} epochs, batch {}, {}",
            ds.name,
            serde_json::to_string(&defence).context("defence")?,
            ds.y_train.len(),
            cfg.epochs,
            cfg.batch_size,
            if a.from_weights {
                "from the model's weights"
            } else {
                "fresh weights"
            }
        );
    }
    let start = Instant::now();
    let last = train(&a, &mut model, &ds, &cfg, &mut trainer)?;
    let seconds = start.elapsed().as_secs_f64();
    let before = evaluate(&source, ds.x_test.view(), &ds.y_test);
    let after = evaluate(&model, ds.x_test.view(), &ds.y_test);
    save_model_file(&model, &a.out).context("saving the model")?;
    if a.json {
        print_json(&json!({
            "dataset": ds.name, "arch": arch, "defence": defence, "from_weights": a.from_weights,
            "epochs": cfg.epochs, "batch_size": cfg.batch_size, "seed": cfg.seed,
            "optimizer": optimizer, "train_samples": ds.y_train.len(),
            "adversarial_samples": trainer.crafted(), "train_loss": last.loss,
            "train_accuracy": last.accuracy, "test": {"model": before, "defended": after},
            "seconds": seconds, "out": a.out.display().to_string(),
        }));
    } else {
        println!(
            "clean test accuracy {:.4} on {} samples (the given model: {:.4}); trained in {:.1} s; saved {}",
            after.accuracy, after.samples, before.accuracy, seconds, a.out.display()
        );
    }
    Ok(())
}
