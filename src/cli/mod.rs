//! Subcommand dispatch for the `advlab` binary: one file per subcommand, each with its clap
//! argument struct and a `run` function returning [`CliError`]. The options that are parameters
//! (attack, defence and training parameters) are built from their descriptions in `options.rs`,
//! so their help, ranges and error messages are the worker's. Every output path is checked for
//! writability before any work.
//!
//! Main types: [`Cli`], [`Command`].

mod attack;
mod bench;
mod bench_attacks;
mod common;
mod dataset;
mod defend;
mod defend_stack;
mod eval;
mod models;
mod npy;
mod options;
mod predict;
mod presets;
mod reproduce;
mod sweep;
mod train;

pub use common::CliError;

use clap::{Parser, Subcommand};

/// An adversarial machine-learning lab: train, evaluate, attack and defend small models.
#[derive(Debug, Parser)]
#[command(name = "advlab", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train a model on a dataset and save it as .safetensors.
    Train(train::TrainArgs),
    /// Test-set accuracy of a saved model.
    Eval(eval::EvalArgs),
    /// Class scores of a saved model for inputs in a .npy file.
    Predict(predict::PredictArgs),
    /// Run an evasion attack on the samples of a .npy file (ART's parameter names).
    Attack(attack::AttackArgs),
    /// Train an adversarially defended copy of a model's architecture.
    Defend(defend::DefendArgs),
    /// Accuracy under an attack as one of its parameters varies, for one or two models.
    Sweep(sweep::SweepArgs),
    /// Train the shipped reference models (the report's recipes, seeded) into models/, or check them.
    Models(models::ModelsArgs),
    /// Run the report's experiments end to end and write reproduce.md.
    Reproduce(reproduce::ReproduceArgs),
    /// Benchmarks: training kernels (naive vs fast), per-image attack times.
    Bench(bench::BenchArgs),
    /// List the architecture presets.
    Presets(presets::PresetsArgs),
}

/// Parses the command line; a usage error exits with its first line only (`error: ...`), so every
/// failure is one line, while `--help` and `--version` print as usual.
pub fn parse_args() -> Cli {
    use clap::error::ErrorKind;
    match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        Err(e) => {
            eprintln!("{}", one_line(&e.render().to_string()));
            std::process::exit(e.exit_code());
        }
    }
}

/// clap's message as one line: its first line, with the indented items that follow it (the
/// missing required options, for one) joined onto it.
fn one_line(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("error: bad arguments").trim_end();
    let items: Vec<&str> = lines
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  "))
        .map(str::trim)
        .collect();
    if items.is_empty() {
        first.to_string()
    } else {
        format!("{} {}", first, items.join(", "))
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Train(a) => train::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Predict(a) => predict::run(a),
        Command::Attack(a) => attack::run(a),
        Command::Defend(a) => defend::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Models(a) => models::run(a),
        Command::Reproduce(a) => reproduce::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Presets(a) => presets::run(a),
    }
}
