//! `advlab reproduce`: runs the report's experiments (`advlab::experiments`) with the report's
//! recipes and protocol, and writes `reproduce.md` with advlab's numbers beside the report's and
//! the wall time of every step (`--json`: the figures on stdout as well).
//!
//! Main type: [`ReproduceArgs`]. The experiments themselves live in `src/experiments/`; this
//! file only parses the options, prints progress and writes the report.

use std::path::PathBuf;

use advlab::experiments::{run_all, Options, Scale};
use clap::Args;

use super::common::{check_writable, print_json, write_atomic, CliError, Context};

/// Arguments of `advlab reproduce`.
#[derive(Debug, Args)]
pub struct ReproduceArgs {
    /// 10 000 MNIST training images and one epoch per MNIST model instead of the report's 20,
    /// 1000 test images (IRIS in full): minutes instead of about an hour; the MNIST numbers differ.
    #[arg(long)]
    quick: bool,
    /// A pipeline test on a few hundred samples (for the test suite; the numbers mean nothing).
    #[arg(long, hide = true, conflicts_with = "quick")]
    tiny: bool,
    /// Run only these tables (1 to 4, comma-separated; 2 runs it on MNIST and Fashion-MNIST, or
    /// on CIFAR-10 with --cifar10).
    #[arg(long, value_delimiter = ',', value_parser = clap::value_parser!(u8).range(1..=4))]
    table: Vec<u8>,
    /// Also print the figures as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// Where to write the Markdown report.
    #[arg(long, default_value = "reproduce.md")]
    out: PathBuf,
    /// Seed of weights, shuffling and attacks.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// CIFAR-10 (cifar-10-binary.tar.gz from its authors, or the folder of its batch files):
    /// Table 2 then runs on it with the report's CIFAR-10 network and recipe, as in the report.
    #[arg(long, value_name = "PATH")]
    cifar10: Option<PathBuf>,
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
        tables: (!a.table.is_empty()).then(|| a.table.clone()),
        cifar10: a.cifar10.clone(),
    };
    eprintln!(
        "reproducing the report's experiments ({} mode)",
        scale.name()
    );
    let report = run_all(&opts, &mut |line| eprintln!("  {line}")).context("reproduce")?;
    write_atomic(&a.out, report.to_markdown().as_bytes())?;
    if a.json {
        print_json(&report.to_json());
    } else {
        println!(
            "wrote {} ({} tables, {:.1} s)",
            a.out.display(),
            report.tables.len(),
            report.seconds
        );
    }
    Ok(())
}
