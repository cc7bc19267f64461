//! Subcommand dispatch for the `advlab` binary: one file per subcommand, each with its clap
//! argument struct and a `run` function returning [`CliError`].
//!
//! Main types: [`Cli`], [`Command`].

mod bench;
mod common;
mod eval;
mod predict;
mod presets;
mod train;

pub use common::CliError;

use clap::{Parser, Subcommand};

/// An adversarial machine-learning lab: train, evaluate and attack small models.
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
    /// Throughput benchmarks (naive vs fast kernels).
    Bench(bench::BenchArgs),
    /// List the architecture presets.
    Presets(presets::PresetsArgs),
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Train(a) => train::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Predict(a) => predict::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Presets(a) => presets::run(a),
    }
}
