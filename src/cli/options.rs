//! Command-line options built from the parameter descriptions ([`advlab::params::ParamSpec`]):
//! one `--flag` per parameter (`eps_step` is `--eps-step`), its help, range and default written
//! once in Rust, and its value read by the same decoder the worker uses, so `--epochs -5` fails
//! with `invalid parameter epochs = -5: must be a whole number from 1 to 1000`.
//!
//! Main types: [`AttackOpts`] (every attack's parameters, for `attack` and `sweep`;
//! [`TrainerAttackOpts`] for `defend`, whose `--learning-rate` is the training's),
//! [`TrainOpts`] (the training settings `train` and `defend` take), [`TestLimit`],
//! [`AttackSeed`], [`DefenceOpts`] (`--ratio`, `--alpha`) and [`Given`] (the options given, with
//! their values).

use advlab::attacks::AttackConfig;
use advlab::defences::DefenceConfig;
use advlab::params::{Described, Kind, ParamError, ParamSpec, ParamValue, Raw};
use advlab::protocol::{SweepSettings, TrainSettings};
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

/// One option given on the command line: the parameter's name, the flag, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    /// The parameter (`eps_step`).
    pub name: &'static str,
    /// The flag as typed (`--eps-step`).
    pub flag: String,
    /// The value: [`Raw::Text`] for valued options, [`Raw::Bool`] for switches.
    pub value: Raw,
}

/// `--eps-step` for `eps_step`.
pub fn flag_of(name: &str) -> String {
    format!("--{}", name.replace('_', "-"))
}

/// The help line of a parameter: `prefix` (which attacks have it), the help, range and default.
fn help_of(spec: &ParamSpec, prefix: &str) -> String {
    let range = match spec.kind {
        Kind::Bool => String::new(),
        kind => format!(
            " Valid: {}.",
            kind.describe().en.trim_start_matches("must be ")
        ),
    };
    let default = match &spec.default {
        serde_json::Value::Null => String::new(),
        serde_json::Value::Number(n) => format!(" Default {n}."),
        serde_json::Value::Bool(_) => String::new(),
        other => format!(" Default {other}."),
    };
    format!("{prefix}{}{range}{default}", spec.help.en)
}

/// The clap argument of a parameter.
fn arg_of(spec: &ParamSpec, help: String) -> Arg {
    let mut arg = Arg::new(spec.name)
        .long(spec.name.replace('_', "-"))
        .help(help);
    if spec.name == "learning_rate" {
        arg = arg.visible_alias("lr");
    }
    match spec.kind {
        Kind::Bool => arg.action(ArgAction::SetTrue),
        Kind::Choice { choices } => arg
            .value_name(choices.join("|"))
            .num_args(1)
            .allow_negative_numbers(true),
        Kind::Int { .. } => arg.value_name("N").num_args(1).allow_negative_numbers(true),
        // Any value, `-inf` included (clap does not take it for a number): the parameter's
        // check then names what is wrong with it.
        Kind::Float { .. } => arg.value_name("X").num_args(1).allow_hyphen_values(true),
        _ => arg.value_name("X").num_args(1).allow_negative_numbers(true),
    }
}

/// The options among `specs` that were given.
fn given(m: &ArgMatches, specs: &[ParamSpec]) -> Vec<Given> {
    let mut out = Vec::new();
    for spec in specs {
        let value = match spec.kind {
            Kind::Bool => m.get_flag(spec.name).then_some(Raw::Bool(true)),
            _ => m.get_one::<String>(spec.name).map(|v| Raw::Text(v.clone())),
        };
        if let Some(value) = value {
            out.push(Given {
                name: spec.name,
                flag: flag_of(spec.name),
                value,
            });
        }
    }
    out
}

/// Declares an options struct built from a list of parameter specs.
macro_rules! catalog_options {
    ($(#[$meta:meta])* $name:ident, $specs:expr $(,)?) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            /// The options given.
            pub given: Vec<Given>,
        }

        impl $name {
            /// The parameters these options stand for, with their help lines.
            fn specs() -> Vec<(ParamSpec, String)> {
                $specs
            }

            /// The option given for parameter `name`, if any (not every command asks).
            #[allow(dead_code)]
            pub fn get(&self, name: &str) -> Option<&Given> {
                self.given.iter().find(|g| g.name == name)
            }
        }

        impl FromArgMatches for $name {
            fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
                let specs: Vec<ParamSpec> = Self::specs().into_iter().map(|(s, _)| s).collect();
                Ok($name {
                    given: given(m, &specs),
                })
            }

            fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
                *self = Self::from_arg_matches(m)?;
                Ok(())
            }
        }

        impl Args for $name {
            fn augment_args(cmd: Command) -> Command {
                Self::specs()
                    .into_iter()
                    .fold(cmd, |cmd, (spec, help)| cmd.arg(arg_of(&spec, help)))
            }

            fn augment_args_for_update(cmd: Command) -> Command {
                Self::augment_args(cmd)
            }
        }
    };
}

/// Every attack parameter once (except `batch_size`, which each command sets itself), with the
/// attacks that have it.
fn attack_specs() -> Vec<(ParamSpec, String)> {
    attack_specs_without(&[])
}

/// [`attack_specs`] without the parameters named in `skip` (those a command already has).
fn attack_specs_without(skip: &[&str]) -> Vec<(ParamSpec, String)> {
    let mut out: Vec<(ParamSpec, Vec<&str>)> = Vec::new();
    for name in AttackConfig::NAMES {
        for spec in AttackConfig::specs_of(name).unwrap_or_default() {
            if spec.name == "batch_size" || skip.contains(&spec.name) {
                continue;
            }
            match out.iter_mut().find(|(s, _)| s.name == spec.name) {
                Some((_, attacks)) => attacks.push(name),
                None => out.push((spec, vec![name])),
            }
        }
    }
    out.into_iter()
        .map(|(spec, attacks)| {
            let help = help_of(&spec, &format!("{}: ", attacks.join(", ")));
            (spec, help)
        })
        .collect()
}

catalog_options!(
    /// Attack parameters with ART's names; every one is optional and defaults to ART's value.
    AttackOpts,
    attack_specs()
);

catalog_options!(
    /// The attack parameters of `defend`: as [`AttackOpts`], but `--learning-rate` is the
    /// training's (so a C&W trainer attack keeps ART's default `learning_rate`).
    TrainerAttackOpts,
    attack_specs_without(&["learning_rate"])
);

/// The training settings a command takes from the `training` group.
fn training_specs(names: &[&str]) -> Vec<(ParamSpec, String)> {
    TrainSettings::specs()
        .into_iter()
        .filter(|s| names.contains(&s.name))
        .map(|s| {
            let help = help_of(&s, "");
            (s, help)
        })
        .collect()
}

catalog_options!(
    /// How to train: epochs, batch size, learning rate, seed and subsets.
    TrainOpts,
    training_specs(&[
        "epochs",
        "batch_size",
        "learning_rate",
        "seed",
        "train_limit",
        "test_limit"
    ])
);

catalog_options!(
    /// How many test samples to use.
    TestLimit,
    training_specs(&["test_limit"])
);

/// The `sweep` group's parameters named.
fn sweep_specs(names: &[&str]) -> Vec<(ParamSpec, String)> {
    SweepSettings::specs()
        .into_iter()
        .filter(|s| names.contains(&s.name))
        .map(|s| {
            let help = help_of(&s, "");
            (s, help)
        })
        .collect()
}

catalog_options!(
    /// The seed of an attack's randomness (random starts, JSMA's random targets).
    AttackSeed,
    sweep_specs(&["seed"])
);

impl AttackSeed {
    /// The seed given, or 0.
    pub fn value(&self) -> Result<u64, ParamError> {
        Ok(value_of(&self.given, &Self::specs(), "seed")?.unwrap_or(0))
    }
}

impl TestLimit {
    /// The limit given, if any.
    pub fn value(&self) -> Result<Option<usize>, ParamError> {
        value_of(&self.given, &Self::specs(), "test_limit")
    }
}

/// The value of option `name` among `given`, read as its parameter, if it was given.
fn value_of<T: ParamValue>(
    given: &[Given],
    specs: &[(ParamSpec, String)],
    name: &str,
) -> Result<Option<T>, ParamError> {
    let (Some(g), Some((spec, _))) = (
        given.iter().find(|g| g.name == name),
        specs.iter().find(|(s, _)| s.name == name),
    ) else {
        return Ok(None);
    };
    T::from_raw(&g.value, spec).map(Some)
}

/// The defence parameters that are not attack parameters (`ratio`, `alpha`).
fn defence_specs() -> Vec<(ParamSpec, String)> {
    let mut out = Vec::new();
    for name in DefenceConfig::NAMES {
        for spec in DefenceConfig::specs_of(name).unwrap_or_default() {
            if matches!(spec.name, "ratio" | "alpha") {
                let help = help_of(&spec, &format!("{name}: "));
                out.push((spec, help));
            }
        }
    }
    out
}

catalog_options!(
    /// `--ratio` (adv-trainer) and `--alpha` (fast-fgsm).
    DefenceOpts,
    defence_specs()
);

impl TrainOpts {
    /// The training settings these options give (the others take their defaults), checked.
    pub fn settings(&self) -> Result<TrainSettings, ParamError> {
        TrainSettings::from_fields(&fields(&self.given))
    }
}

/// The `(name, value)` pairs of given options, as a parameter group reads them.
pub fn fields(given: &[Given]) -> Vec<(String, Raw)> {
    given
        .iter()
        .map(|g| (g.name.to_string(), g.value.clone()))
        .collect()
}

mod stack;
pub use stack::{
    detector_summary, load_stack, piece_from, print_stack, AdaptiveOpts, DetectorOpts, StackOpts,
};

#[cfg(test)]
mod tests;
