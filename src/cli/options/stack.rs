//! The defence-stack options: `--stack` (the pieces in front of and behind the model), the
//! adaptive-attack options (`--adaptive none|bpda|eot`, `--eot-samples`, `--detector-aware`),
//! the stack pieces' own parameters for `advlab defend <piece>` (`--bit-depth`, `--window-size`,
//! ...) and the detector's (`--threshold`, `--arch`), all built from their descriptions.
//!
//! `--stack` takes JSON (`{"pieces": [...]}`, or the `[...]` list alone, as a model file holds
//! it), `@file.json`, `none` (no stack: ignores the model file's), or the short form
//! `name[:param=value...],name...`, e.g.
//! `feature-squeezing:bit_depth=1,rounded:decimals=2`; every value is read by the parameter's
//! own decoder, so a bad one is named.

use advlab::classifier::Classifier;
use advlab::defences::stack::file::load_stacked_file;
use advlab::defences::{
    Adaptive, AdaptiveSettings, DetectorParams, Stack, StackConfig, StackPiece,
};
use advlab::nn::Model;
use advlab::params::{Described, ParamError, ParamSpec, Raw};
use clap::{ArgMatches, Args, Command, FromArgMatches};
use ndarray::ArrayView2;
use serde_json::json;

use super::{arg_of, fields, given, help_of, Given};
use crate::cli::common::{CliError, Context};

/// Parameters of the stack pieces; JSMA's `--gamma` doubles as reverse-sigmoid's.
fn piece_specs() -> Vec<(ParamSpec, String)> {
    let mut out: Vec<(ParamSpec, Vec<&str>)> = Vec::new();
    for name in StackPiece::NAMES {
        for spec in StackPiece::specs_of(name).unwrap_or_default() {
            if spec.name == "gamma" {
                continue;
            }
            match out.iter_mut().find(|(s, _)| s.name == spec.name) {
                Some((_, pieces)) => pieces.push(name),
                None => out.push((spec, vec![name])),
            }
        }
    }
    out.into_iter()
        .map(|(spec, pieces)| {
            let help = help_of(&spec, &format!("{}: ", pieces.join(", ")));
            (spec, help)
        })
        .collect()
}

catalog_options!(
    /// The stack pieces' parameters (`advlab defend <piece>`).
    StackOpts,
    piece_specs()
);

catalog_options!(
    /// `--adaptive`, `--eot-samples`, `--detector-aware`.
    AdaptiveOpts,
    AdaptiveSettings::specs()
        .into_iter()
        .map(|s| {
            let help = help_of(&s, "");
            (s, help)
        })
        .collect()
);

catalog_options!(
    /// The detector's own options (`--threshold`, `--arch`); the training options are `defend`'s.
    DetectorOpts,
    DetectorParams::specs()
        .into_iter()
        .filter(|s| ["threshold", "arch"].contains(&s.name))
        .map(|s| {
            let help = help_of(&s, "binary-input-detector: ");
            (s, help)
        })
        .collect()
);

/// The attacks whose loss gradient a detector-aware attack adds the detector's loss to; the
/// others (class-gradient and black-box attacks) never read it.
pub const DETECTOR_AWARE_ATTACKS: [&str; 4] = ["fgsm", "pgd", "apgd", "autoattack"];

impl AdaptiveOpts {
    /// The adaptive settings given (defaults: naive).
    pub fn settings(&self) -> Result<AdaptiveSettings, ParamError> {
        AdaptiveSettings::from_fields(&fields(&self.given))
    }

    /// Refuses an adaptive option that would change nothing for `attack` on `model`, naming the
    /// option and why, so no option is echoed as if it had had an effect.
    pub fn check_applies(&self, model: &Stack<Model>, attack: &str) -> Result<(), CliError> {
        let s = self.settings()?;
        let refuse = |flag: &str, why: String| Err(CliError(format!("{flag}: {why}")));
        let given = |name: &str| self.given.iter().any(|g| g.name == name);
        if s.mode() != Adaptive::None && model.config().is_empty() {
            return refuse(
                &format!("--adaptive {}", s.adaptive),
                "the model has no defence stack for the attack to adapt to (BPDA and EOT only change how gradients pass its pre- and post-processors)".into(),
            );
        }
        if given("eot_samples") && s.mode() != Adaptive::Eot {
            return refuse("--eot-samples", "only --adaptive eot draws samples".into());
        }
        if s.detector_aware {
            if model.detector().is_none() {
                return refuse("--detector-aware", "the model file has no detector".into());
            }
            if !DETECTOR_AWARE_ATTACKS.contains(&attack) {
                return refuse(
                    "--detector-aware",
                    format!(
                        "{attack} does not ascend the loss the detector's is added to; only {} can evade the detector",
                        DETECTOR_AWARE_ATTACKS.join(", ")
                    ),
                );
            }
        }
        Ok(())
    }
}

/// Reads `--stack` (see the module documentation).
pub fn parse_stack(text: &str) -> Result<StackConfig, CliError> {
    let t = text.trim();
    if t.is_empty() || t == "none" {
        return Ok(StackConfig::default());
    }
    let json = if let Some(path) = t.strip_prefix('@') {
        let bytes =
            advlab::limits::read_capped(std::path::Path::new(path), advlab::limits::MAX_SPEC_BYTES)
                .map_err(|e| CliError(format!("--stack {path}: {e}")))?;
        Some(String::from_utf8(bytes).map_err(|_| CliError(format!("--stack {path}: not UTF-8")))?)
    } else if t.starts_with('{') {
        Some(t.to_string())
    } else if t.starts_with('[') {
        // The pieces' list alone, as the model file's "pieces" holds it.
        Some(format!("{{\"pieces\": {t}}}"))
    } else {
        None
    };
    if let Some(json) = json {
        return serde_json::from_str::<StackConfig>(&json)
            .map_err(|e| CliError(format!("--stack: {e}")));
    }
    let mut pieces = Vec::new();
    for part in t.split(',') {
        let mut bits = part.trim().split(':');
        let name = bits.next().unwrap_or("").trim();
        let mut given: Vec<(String, Raw)> = Vec::new();
        for kv in bits {
            let (k, v) = kv.split_once('=').ok_or_else(|| {
                CliError(format!(
                    "--stack: {:?} is not param=value (in {:?}); --stack takes name:param=value,... (feature-squeezing:bit_depth=4,class-labels), JSON ({{\"pieces\": [...]}} or the [...] list) or @file.json",
                    Raw::clip(kv, 40),
                    Raw::clip(name, 40)
                ))
            })?;
            given.push((k.trim().replace('-', "_"), Raw::Text(v.trim().to_string())));
        }
        pieces.push(
            StackPiece::from_fields(name, &given).map_err(|e| CliError(format!("--stack: {e}")))?,
        );
    }
    let cfg = StackConfig { pieces };
    cfg.check().map_err(|e| CliError(format!("--stack: {e}")))?;
    Ok(cfg)
}

/// Loads a model file with its stack and detector; `--stack` replaces the file's stack.
pub fn load_stack(
    path: &std::path::Path,
    flag: &str,
    stack: Option<&str>,
    adaptive: AdaptiveSettings,
    seed: u64,
) -> Result<Stack<Model>, CliError> {
    let file = load_stacked_file(path).context(format_args!("loading {flag}"))?;
    let config = match stack {
        Some(text) => parse_stack(text)?,
        None => file.stack,
    };
    let mut s =
        Stack::new(file.model, &config, seed).map_err(|e| CliError(format!("--stack: {e}")))?;
    s.set_detector(file.detector);
    s.set_adaptive(adaptive);
    Ok(s)
}

/// The piece `name` from its options (and JSMA's `--gamma` from the attack options).
pub fn piece_from(name: &str, opts: &StackOpts, attack: &[Given]) -> Result<StackPiece, CliError> {
    let specs = StackPiece::specs_of(name).unwrap_or_default();
    let mut given: Vec<Given> = opts.given.clone();
    given.extend(attack.iter().filter(|g| g.name == "gamma").cloned());
    if let Some(g) = given
        .iter()
        .find(|g| !specs.iter().any(|s| s.name == g.name))
    {
        let known: Vec<String> = specs.iter().map(|s| super::flag_of(s.name)).collect();
        return Err(CliError(format!(
            "{} does not apply to {name}; its options are {}",
            g.flag,
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )));
    }
    Ok(StackPiece::from_fields(name, &fields(&given))?)
}

/// What the stack's detector says about an attack (None without a detector): the fractions of
/// clean and adversarial samples flagged, and of samples fooled and not flagged.
pub fn detector_summary(
    model: &Stack<Model>,
    x: ArrayView2<f32>,
    adv: ArrayView2<f32>,
    y_true: &[usize],
    targets: Option<&[usize]>,
) -> Option<serde_json::Value> {
    let d = model.detector()?;
    let rate = |f: Vec<bool>| f.iter().filter(|b| **b).count() as f64 / f.len().max(1) as f64;
    let flags = d.flags(adv);
    let pred = model.predict_classes(adv);
    let evaded: Vec<bool> = (0..pred.len())
        .map(|i| {
            let fooled = match targets {
                Some(t) => pred[i] == t[i],
                None => pred[i] != y_true[i],
            };
            fooled && !flags[i]
        })
        .collect();
    Some(
        json!({"clean_flagged": rate(d.flags(x)), "adversarial_flagged": rate(flags),
        "fooled_undetected": rate(evaded), "threshold": d.threshold}),
    )
}

/// The lines `advlab attack` prints about the stack and its detector.
pub fn print_stack(model: &Stack<Model>, adaptive: &str, detector: Option<&serde_json::Value>) {
    if !model.config().is_empty() {
        println!(
            "through the stack {} with adaptive {adaptive}",
            serde_json::to_string(model.config()).unwrap_or_default()
        );
    }
    if let Some(d) = detector {
        println!(
            "detector flags {} of the clean and {} of the adversarial samples; {} fool the model undetected",
            d["clean_flagged"], d["adversarial_flagged"], d["fooled_undetected"]
        );
    }
}
