//! `advlab reproduce`: runs the report's experiments (`advlab::experiments`) and writes
//! `reproduce.md` with advlab's numbers beside the report's and the wall time of every step.
//!
//! Main type: [`ReproduceArgs`]. The experiments themselves live in `src/experiments/`; this
//! file only parses the options, prints progress and writes the report.

use std::path::PathBuf;

use advlab::experiments::{run_all, Options, Scale};
use clap::Args;

use super::common::{check_writable, CliError, Context};

/// Arguments of `advlab reproduce`.
#[derive(Debug, Args)]
pub struct ReproduceArgs {
    /// Subsets and fewer epochs: under two minutes in a release build (the numbers are lower).
    #[arg(long)]
    quick: bool,
    /// A pipeline test on a few hundred samples (for the test suite; the numbers mean nothing).
    #[arg(long, hide = true, conflicts_with = "quick")]
    tiny: bool,
    /// Where to write the Markdown report.
    #[arg(long, default_value = "reproduce.md")]
    out: PathBuf,
    /// Seed of weights, shuffling and attacks.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    seed: u64,
}

/// Runs `advlab reproduce`.
pub fn run(a: ReproduceArgs) -> Result<(), CliError> {
    check_writable(&a.out, "--out")?;
    let scale = match (a.quick, a.tiny) {
        (_, true) => Scale::Tiny,
        (true, false) => Scale::Quick,
        (false, false) => Scale::Full,
    };
    let opts = Options {
        scale,
        seed: a.seed,
    };
    eprintln!(
        "reproducing the report's experiments ({} mode)",
        scale.name()
    );
    let report = run_all(&opts, &mut |line| eprintln!("  {line}")).context("reproduce")?;
    std::fs::write(&a.out, report.to_markdown())
        .context(format_args!("writing {}", a.out.display()))?;
    println!(
        "wrote {} ({} tables, {:.1} s)",
        a.out.display(),
        report.tables.len(),
        report.seconds
    );
    Ok(())
}
