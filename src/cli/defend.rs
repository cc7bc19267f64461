//! `advlab defend`: trains an adversarially defended model with the architecture of a saved one,
//! using `DefenceConfig::trainer()` as the batch transform of the shared training loop.
//!
//! Main type: [`DefendArgs`]. The defence's options are read by its description, so an option
//! the method does not have (`--ratio` for madry-pgd, `--alpha` for adv-trainer) is an error
//! naming it, and a value out of range names the parameter and the value. Training defaults (epochs, batch size, optimiser) come from the preset whose
//! architecture the model has, else 10 epochs, batch 32, Adam 0.001.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use advlab::data::Dataset;
use advlab::defences::{AdvTrainerParams, AdversarialTrainer, DefenceConfig, MadryPgdParams};
use advlab::evaluation::evaluate;
use advlab::nn::file::save_model_file;
use advlab::nn::presets::{preset, preset_names};
use advlab::nn::{Model, ModelSpec, OptimizerConfig};
use advlab::params::{Described, Raw};
use advlab::train::{fit, Progress, TrainConfig};
use clap::Args;
use serde_json::json;

use super::attack::{attack_from, with_batch_size};
use super::common::{
    check_fits, check_writable, epoch_line, load_model, print_json, CliError, Context,
};
use super::dataset::DatasetArgs;
use super::options::{
    fields, DefenceOpts, DetectorOpts, Given, StackOpts, TrainOpts, TrainerAttackOpts,
};

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
#[command(after_help = format!("{AFTER_HELP}\n\n{}", super::defend_stack::HELP))]
pub struct DefendArgs {
    /// The defence, as --method: a training method, a stack piece or binary-input-detector.
    pub(super) name: Option<String>,
    /// The .safetensors model whose architecture is trained.
    #[arg(long)]
    pub(super) model: PathBuf,
    #[command(flatten)]
    pub(super) dataset: DatasetArgs,
    /// adv-trainer, madry-pgd or fast-fgsm (see below), or a stack piece or
    /// binary-input-detector (also given without --method).
    #[arg(long)]
    pub(super) method: Option<String>,
    /// adv-trainer: the attack crafting the adversarial samples (default fgsm).
    #[arg(long)]
    pub(super) attack: Option<String>,
    #[command(flatten)]
    pub(super) defence: DefenceOpts,
    #[command(flatten)]
    pub(super) pieces: StackOpts,
    #[command(flatten)]
    pub(super) detector: DetectorOpts,
    /// madry-pgd: MadryPgdParams::quick (7 iterations of eps / 4) instead of 40 of 0.01.
    #[arg(long)]
    pub(super) quick: bool,
    #[command(flatten)]
    pub(super) opts: TrainerAttackOpts,
    /// Epochs, batch size (also the attack's), learning rate, seed, subsets (defaults: the
    /// preset's for this architecture).
    #[command(flatten)]
    pub(super) train: TrainOpts,
    /// Continue from the model's weights instead of fresh ones.
    #[arg(long)]
    pub(super) from_weights: bool,
    /// Where to write the defended .safetensors model.
    #[arg(long)]
    pub(super) out: PathBuf,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    pub(super) json: bool,
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

impl DefendArgs {
    /// The defence's name (checked by `defend_stack::dispatch` to be given once).
    pub(super) fn method(&self) -> &str {
        self.method
            .as_deref()
            .or(self.name.as_deref())
            .unwrap_or("")
    }
}

/// The defence from `--method` and its options; the attack's batch size is the training one.
fn defence(a: &DefendArgs, batch_size: usize) -> Result<DefenceConfig, CliError> {
    let method = a.method();
    let refuse = |set: bool, flag: &str| match set {
        true => Err(CliError(format!(
            "{flag} does not apply to --method {method}"
        ))),
        false => Ok(()),
    };
    let specs = DefenceConfig::specs_of(method).ok_or_else(|| {
        CliError(format!(
            "unknown --method {:?}; expected a training method ({}), a stack piece ({}) or binary-input-detector",
            Raw::clip(method, 40),
            DefenceConfig::NAMES.join(", "),
            advlab::defences::StackPiece::NAMES.join(", ")
        ))
    })?;
    for g in &a.defence.given {
        refuse(!specs.iter().any(|s| s.name == g.name), &g.flag)?;
    }
    if method == "adv-trainer" {
        refuse(a.quick, "--quick")?;
        let name = a.attack.as_deref().unwrap_or("fgsm");
        // FGSM starts from eps 0.2 (the report's Table 1 defence), the others from ART's defaults.
        let mut given: Vec<Given> = Vec::new();
        if name == "fgsm" && a.opts.get("eps").is_none() {
            given.push(Given {
                name: "eps",
                flag: "--eps".into(),
                value: Raw::Float(0.2),
            });
        }
        given.extend(with_batch_size(
            &a.opts.given,
            Some(&batch_size.to_string()),
        ));
        let attack = attack_from(name, &given)?;
        let ratio: Vec<(String, Raw)> = fields(&a.defence.given);
        let mut params = AdvTrainerParams::from_fields(&ratio)?;
        params.attacks = vec![attack];
        params.check()?;
        return Ok(DefenceConfig::AdvTrainer(params));
    }
    refuse(a.attack.is_some(), "--attack")?;
    refuse(a.quick && method != "madry-pgd", "--quick")?;
    for g in &a.opts.given {
        if !specs.iter().any(|s| s.name == g.name) {
            return Err(CliError(format!(
                "{} does not apply to --method {method} (see `advlab defend --help`)",
                g.flag
            )));
        }
    }
    let mut given = fields(&a.opts.given);
    given.extend(fields(&a.defence.given));
    if a.quick {
        // The quick setting's step and iterations, unless given; eps from --eps (default 0.3).
        let eps = match a.opts.get("eps") {
            Some(g) => eps_value(&g.value)?,
            None => 0.3,
        };
        let q = MadryPgdParams::quick(eps);
        for (name, v) in [
            ("eps_step", Raw::Float(f64::from(q.eps_step))),
            ("max_iter", Raw::Int(q.max_iter as i64)),
        ] {
            if !given.iter().any(|(k, _)| k == name) {
                given.push((name.to_string(), v));
            }
        }
    }
    Ok(DefenceConfig::from_fields(method, &given)?)
}

/// Reads `--eps` the way madry-pgd's eps parameter does.
fn eps_value(raw: &Raw) -> Result<f32, CliError> {
    let spec = MadryPgdParams::specs()
        .into_iter()
        .find(|s| s.name == "eps")
        .expect("madry-pgd has eps");
    Ok(<f32 as advlab::params::ParamValue>::from_raw(raw, &spec)?)
}

/// The model training starts from: fresh weights seeded by `--seed`, or the given model's.
fn starting_model(a: &DefendArgs, source: &Model, seed: u64) -> Result<Model, CliError> {
    if a.from_weights {
        let mut m = source.clone();
        m.set_seed(seed);
        return Ok(m);
    }
    Model::new(source.spec().clone(), seed).context("building the model")
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
        if !a.json {
            if let Some(line) = epoch_line(p, start) {
                println!("{line}");
            }
        }
    };
    let (x, y) = (ds.x_train.view(), &ds.y_train);
    let cancel = AtomicBool::new(false);
    fit(model, x, y, cfg, Some(trainer), &mut report, &cancel).context("adversarial training")
}

/// Runs `advlab defend`.
pub fn run(a: DefendArgs) -> Result<(), CliError> {
    if let Some(done) = super::defend_stack::dispatch(&a) {
        return done;
    }
    let t = a.train.settings()?;
    check_writable(&a.out, "--out")?;
    let source = load_model(&a.model, "--model")?;
    let (arch, epochs, batch_size, optimizer) = training_defaults(source.spec());
    let cfg = TrainConfig {
        epochs: t.epochs.unwrap_or(epochs),
        batch_size: t.batch_size.unwrap_or(batch_size),
        seed: t.seed,
    };
    let defence = defence(&a, cfg.batch_size)?;
    let mut trainer = defence
        .trainer()
        .context(format_args!("--method {}", a.method()))?;
    let ds = a.dataset.load(t.train_limit, t.test_limit)?;
    check_fits(&source, &ds)?;
    let mut model = starting_model(&a, &source, t.seed)?;
    let optimizer = t
        .learning_rate
        .map_or(optimizer, |lr| optimizer.with_learning_rate(lr));
    model.set_optimizer(optimizer).context("--learning-rate")?;
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
    let before = evaluate(&source, ds.x_test.view(), &ds.y_test).context("the given model")?;
    let after = evaluate(&model, ds.x_test.view(), &ds.y_test).context("the defended model")?;
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
