//! `advlab defend <piece>` and `advlab defend binary-input-detector`: the defences that do not
//! retrain the model. A piece is appended to the model file's defence stack (its weights are
//! unchanged) and the clean accuracy with and without it is reported; a detector is trained on
//! clean and adversarial inputs crafted on the model with its stack, its detection and
//! false-positive rates on the test set reported, and it is saved in the model file.

use std::time::Instant;

use advlab::defences::stack::file::{load_stacked_file, save_stacked_file};
use advlab::defences::{DetectorParams, DetectorTraining, Stack, StackConfig, StackPiece};
use advlab::evaluation::evaluate;
use advlab::params::{Described, Raw};
use serde_json::json;

use super::attack::{attack_from, with_batch_size};
use super::common::{check_fits, check_writable, print_json, CliError, Context};
use super::defend::DefendArgs;
use super::options::{fields, piece_from, Given};

/// The `--help` text of the defences of this file.
pub const HELP: &str = "\
Stack pieces (ART's pre- and post-processors; the model file gets the piece appended to its
stack, its weights unchanged; see docs/defences.md):
  feature-squeezing (--bit-depth), spatial-smoothing (--window-size), gaussian-augmentation
  (--sigma), high-confidence (--cutoff), gaussian-noise (--scale), reverse-sigmoid (--beta,
  --gamma), rounded (--decimals), class-labels.
  e.g. advlab defend feature-squeezing --bit-depth 1 --model m.safetensors --dataset mnist --out fs.safetensors
Detector:
  binary-input-detector  ART's BinaryInputDetector: a second network (--arch, default
               mnist-small or iris-seed, last layer cut to two classes) trained on clean and
               adversarial training inputs crafted by --attack (default fgsm, eps 0.2, with the
               attack options) on the model with its stack; reports the detection and
               false-positive rates on the test set (--threshold) and saves the detector in the
               model file. Training options: --epochs (5), --batch-size (64), --learning-rate
               (0.001), --seed, --train-limit (2000), --test-limit (500).";

/// The defences of this file: `Some` with the outcome for a stack piece or the detector, or
/// for a defence named twice or not at all; `None` for a training method (`defend` runs it).
pub fn dispatch(a: &DefendArgs) -> Option<Result<(), CliError>> {
    match (&a.name, &a.method) {
        (Some(_), Some(_)) => {
            return Some(Err(CliError(
                "name the defence once: as the first argument or with --method".into(),
            )))
        }
        (None, None) => {
            return Some(Err(CliError(
                "name a defence: advlab defend <name> (see --help)".into(),
            )))
        }
        _ => {}
    }
    let method = a.method().to_string();
    let piece = StackPiece::stage_of(&method).is_some();
    let detector = method == "binary-input-detector";
    if let Some(g) = a.pieces.given.first().filter(|_| !piece) {
        return Some(Err(CliError(format!(
            "{} does not apply to {method}",
            g.flag
        ))));
    }
    if let Some(g) = a.detector.given.first().filter(|_| !detector) {
        return Some(Err(CliError(format!(
            "{} does not apply to {method}",
            g.flag
        ))));
    }
    if piece {
        return Some(run_piece(a, &method));
    }
    if detector {
        return Some(run_detector(a));
    }
    None
}

/// Refuses the options of training methods.
fn refuse_training_options(a: &DefendArgs, what: &str) -> Result<(), CliError> {
    let flags: Vec<&str> = [
        a.quick.then_some("--quick"),
        a.from_weights.then_some("--from-weights"),
        a.defence.given.first().map(|g| g.flag.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    match flags.first() {
        Some(f) => Err(CliError(format!("{f} does not apply to {what}"))),
        None => Ok(()),
    }
}

/// `advlab defend <piece>`.
pub fn run_piece(a: &DefendArgs, name: &str) -> Result<(), CliError> {
    refuse_training_options(a, name)?;
    if a.attack.is_some() {
        return Err(CliError(format!("--attack does not apply to {name}")));
    }
    if let Some(g) = a.opts.given.iter().find(|g| g.name != "gamma") {
        return Err(CliError(format!("{} does not apply to {name}", g.flag)));
    }
    if let Some(g) = a.train.given.iter().find(|g| g.name != "test_limit") {
        return Err(CliError(format!("{} does not apply to {name}", g.flag)));
    }
    let piece = piece_from(name, &a.pieces, &a.opts.given)?;
    let warnings: Vec<String> = piece.no_effect().map(|w| w.0).into_iter().collect();
    check_writable(&a.out, "--out")?;
    let file = load_stacked_file(&a.model).context("loading --model")?;
    let mut config = file.stack.clone();
    config.pieces.push(piece);
    let test_limit = a.train.settings()?.test_limit;
    let ds = a.dataset.load(Some(1), test_limit)?;
    let before = Stack::new(file.model.clone(), &file.stack, 0)
        .map_err(|e| CliError(format!("the model's stack: {e}")))?;
    let after = Stack::new(file.model.clone(), &config, 0).map_err(|e| CliError(e.to_string()))?;
    check_fits(&after, &ds)?;
    let acc_before = evaluate(&before, ds.x_test.view(), &ds.y_test).context("the model")?;
    let acc_after = evaluate(&after, ds.x_test.view(), &ds.y_test).context("the stacked model")?;
    save_stacked_file(&a.out, &file.model, &config, file.detector.as_ref())
        .context("saving the model")?;
    if a.json {
        print_json(&json!({
            "dataset": ds.name, "stack": config, "test": {"model": acc_before, "stacked": acc_after},
            "out": a.out.display().to_string(), "warnings": warnings,
        }));
    } else {
        for w in &warnings {
            println!("warning: {w}");
        }
        println!(
            "stack {}: clean test accuracy {:.4} on {} samples (without {name}: {:.4}); saved {}",
            serde_json::to_string(&config).unwrap_or_default(),
            acc_after.accuracy,
            acc_after.samples,
            acc_before.accuracy,
            a.out.display()
        );
    }
    Ok(())
}

/// The detector's parameters from `--attack` and the attack, training and detector options.
fn detector_params(a: &DefendArgs) -> Result<DetectorParams, CliError> {
    let name = a.attack.as_deref().unwrap_or("fgsm");
    let mut given: Vec<Given> = Vec::new();
    if name == "fgsm" && !a.opts.given.iter().any(|g| g.name == "eps") {
        given.push(Given {
            name: "eps",
            flag: "--eps".into(),
            value: Raw::Float(0.2),
        });
    }
    let batch = a.train.given.iter().find(|g| g.name == "batch_size");
    let batch_text = batch.map(|g| match &g.value {
        Raw::Text(t) => t.clone(),
        other => other.show(),
    });
    given.extend(with_batch_size(
        &a.opts.given,
        batch_text.as_deref().or(Some("128")),
    ));
    // The detector's own parameters first: its batch size (1-512) is the stricter of the two
    // that --batch-size sets, so the first message names the bound that applies.
    let mut f = fields(&a.train.given);
    f.extend(fields(&a.detector.given));
    let mut p = DetectorParams::from_fields(&f)?;
    p.attack = attack_from(name, &given)?;
    p.check()?;
    Ok(p)
}

/// `advlab defend binary-input-detector`.
pub fn run_detector(a: &DefendArgs) -> Result<(), CliError> {
    refuse_training_options(a, "binary-input-detector")?;
    let params = detector_params(a)?;
    check_writable(&a.out, "--out")?;
    let file = load_stacked_file(&a.model).context("loading --model")?;
    let ds = a
        .dataset
        .load(Some(params.train_limit), Some(params.test_limit))?;
    let mut clf = Stack::new(file.model.clone(), &file.stack, params.seed)
        .map_err(|e| CliError(format!("the model's stack: {e}")))?;
    check_fits(&clf, &ds)?;
    if !a.json {
        println!(
            "training a binary-input-detector on {} clean and {} adversarial inputs ({}), {} epochs",
            ds.y_train.len(),
            ds.y_train.len(),
            serde_json::to_string(&params.attack).unwrap_or_default(),
            params.epochs
        );
    }
    let start = Instant::now();
    let job = DetectorTraining::new(
        params.clone(),
        &clf,
        ds.x_train.view(),
        &ds.y_train,
        ds.x_test.view(),
        &ds.y_test,
    )
    .map_err(|e| CliError(e.to_string()))?;
    let (detector, report) = job
        .run_to_end(&mut clf)
        .map_err(|e| CliError(format!("binary-input-detector: {e}")))?;
    let seconds = start.elapsed().as_secs_f64();
    let stack: &StackConfig = &file.stack;
    save_stacked_file(&a.out, &file.model, stack, Some(&detector)).context("saving the model")?;
    if a.json {
        print_json(&json!({
            "dataset": ds.name, "detector": params, "report": report, "seconds": seconds,
            "out": a.out.display().to_string(),
        }));
    } else {
        println!(
            "{} on {} test samples: detection rate {:.4}, false-positive rate {:.4} (threshold {}); the model's accuracy on them {:.4}; {:.1} s; saved {}",
            report.attack,
            report.test_samples,
            report.detection_rate,
            report.false_positive_rate,
            report.threshold,
            report.adversarial_accuracy,
            seconds,
            a.out.display()
        );
    }
    Ok(())
}
