//! The attack options shared by `advlab attack`, `sweep` and `defend`, with ART's names
//! (`--eps-step` is ART's `eps_step`), and how they become an [`AttackConfig`].
//!
//! Main type: [`AttackOpts`]; functions [`attack_config`] and [`apply`]. An option that the chosen
//! attack does not have is an error naming the option and listing the attack's options, so
//! `--theta` on FGSM is never silently ignored. The options an attack has are read off its
//! serialised parameters, so they stay in step with `advlab::attacks::params`.

use advlab::attacks::{AttackConfig, Norm};
use clap::Args;
use serde_json::{json, Value};

use super::common::CliError;

/// The attack names, in the order of the help.
pub const ATTACKS: &[&str] = &["fgsm", "pgd", "jsma", "deepfool", "newtonfool"];

/// Attack parameters with ART's names; every one is optional and defaults to ART's value.
#[derive(Debug, Clone, Default, Args)]
pub struct AttackOpts {
    /// fgsm, pgd: size of the perturbation (ART default 0.3).
    #[arg(long, allow_negative_numbers = true)]
    pub eps: Option<f32>,
    /// fgsm (with --minimal), pgd: step size (ART default 0.1).
    #[arg(long, allow_negative_numbers = true)]
    pub eps_step: Option<f32>,
    /// fgsm, pgd: norm of the perturbation, inf, 1 or 2 (default inf).
    #[arg(long)]
    pub norm: Option<String>,
    /// pgd, deepfool, newtonfool: iterations (ART default 100).
    #[arg(long)]
    pub max_iter: Option<usize>,
    /// jsma: change per step; its sign says increase or decrease (ART default 0.1).
    #[arg(long, allow_negative_numbers = true)]
    pub theta: Option<f32>,
    /// jsma: largest fraction of features changed, in (0, 1] (ART default 1).
    #[arg(long, allow_negative_numbers = true)]
    pub gamma: Option<f32>,
    /// deepfool: overshoot (ART default 1e-6).
    #[arg(long, allow_negative_numbers = true)]
    pub epsilon: Option<f32>,
    /// deepfool: number of top classes considered (ART default 10).
    #[arg(long)]
    pub nb_grads: Option<usize>,
    /// newtonfool: step-size coefficient (ART default 0.01).
    #[arg(long, allow_negative_numbers = true)]
    pub eta: Option<f32>,
    /// fgsm, pgd: random starts in the eps-ball (default 0).
    #[arg(long)]
    pub num_random_init: Option<usize>,
    /// fgsm, pgd: move towards --targets instead of away from the labels.
    #[arg(long)]
    pub targeted: bool,
    /// fgsm: smallest eps (in steps of --eps-step up to --eps) that fools each sample.
    #[arg(long)]
    pub minimal: bool,
}

impl AttackOpts {
    /// The options given on the command line: `(ART name, flag, value)`.
    pub fn given(&self) -> Result<Vec<(&'static str, &'static str, Value)>, CliError> {
        let mut out = Vec::new();
        let mut put = |art, flag, v: Option<Value>| {
            if let Some(v) = v {
                out.push((art, flag, v));
            }
        };
        put("eps", "--eps", self.eps.map(|v| json!(v)));
        put("eps_step", "--eps-step", self.eps_step.map(|v| json!(v)));
        put("max_iter", "--max-iter", self.max_iter.map(|v| json!(v)));
        put("theta", "--theta", self.theta.map(|v| json!(v)));
        put("gamma", "--gamma", self.gamma.map(|v| json!(v)));
        put("epsilon", "--epsilon", self.epsilon.map(|v| json!(v)));
        put("nb_grads", "--nb-grads", self.nb_grads.map(|v| json!(v)));
        put("eta", "--eta", self.eta.map(|v| json!(v)));
        let random = self.num_random_init.map(|v| json!(v));
        put("num_random_init", "--num-random-init", random);
        put(
            "targeted",
            "--targeted",
            self.targeted.then_some(Value::Bool(true)),
        );
        put(
            "minimal",
            "--minimal",
            self.minimal.then_some(Value::Bool(true)),
        );
        if let Some(s) = &self.norm {
            let norm = Norm::parse(s)
                .ok_or_else(|| CliError(format!("--norm {s:?}: expected inf, 1 or 2")))?;
            out.push(("norm", "--norm", json!(norm.to_string())));
        }
        Ok(out)
    }
}

/// ART's default configuration of the attack called `name`.
pub fn default_attack(name: &str) -> Result<AttackConfig, CliError> {
    if !ATTACKS.contains(&name) {
        return Err(CliError(format!(
            "unknown attack {name:?}; expected one of {}",
            ATTACKS.join(", ")
        )));
    }
    serde_json::from_value(json!({ "attack": name }))
        .map_err(|e| CliError(format!("attack {name:?}: {e}")))
}

/// The attack `name` with ART's defaults overridden by the options given.
pub fn attack_config(name: &str, opts: &AttackOpts) -> Result<AttackConfig, CliError> {
    apply(&default_attack(name)?, &opts.given()?)
}

/// `base` with the `given` options set; an option the attack lacks is an error, and the result
/// is validated (so `--eps -1` fails with the attack's own message).
pub fn apply(
    base: &AttackConfig,
    given: &[(&'static str, &'static str, Value)],
) -> Result<AttackConfig, CliError> {
    let mut json = serde_json::to_value(base).map_err(|e| CliError(e.to_string()))?;
    let obj = json
        .as_object_mut()
        .ok_or_else(|| CliError("attack configurations are objects".into()))?;
    for (art, flag, value) in given {
        if !obj.contains_key(*art) {
            let known: Vec<String> = obj
                .keys()
                .filter(|k| *k != "attack")
                .map(|k| format!("--{}", k.replace('_', "-")))
                .collect();
            return Err(CliError(format!(
                "{flag} does not apply to {}; its options are {}",
                base.name(),
                known.join(", ")
            )));
        }
        obj.insert(art.to_string(), value.clone());
    }
    let cfg: AttackConfig = serde_json::from_value(json)
        .map_err(|e| CliError(format!("{} options: {e}", base.name())))?;
    cfg.validate().map_err(|e| CliError(e.to_string()))?;
    Ok(cfg)
}
