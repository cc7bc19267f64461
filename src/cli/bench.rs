//! `advlab bench train`: examples per second of a training step and of the input gradient of
//! `mnist-seed` (or `--arch cifar-seed`, three-channel `same` convolutions), with the naive and
//! the fast kernels (`set_naive_kernels`), and their ratio.
//! Uses seeded random MNIST-shaped inputs, so no dataset is needed. `advlab bench attacks` lives
//! in `bench_attacks.rs`.

use std::time::Instant;

use advlab::nn::bench::kernel_rates_of;
use clap::{Args, Subcommand};
use serde_json::json;

use super::common::{print_json, CliError, Context};

/// Arguments of `advlab bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Which benchmark.
    #[command(subcommand)]
    what: BenchWhat,
}

/// The benchmarks.
#[derive(Debug, Subcommand)]
enum BenchWhat {
    /// Training step and input gradient of mnist-seed (or cifar-seed), naive vs fast kernels.
    Train(TrainBench),
    /// Per-image time of each of the five attacks on mnist-seed.
    Attacks(super::bench_attacks::AttacksBench),
}

#[derive(Debug, Args)]
struct TrainBench {
    /// The preset measured: mnist-seed, or cifar-seed for the three-channel convolutions.
    #[arg(long, default_value = "mnist-seed", value_parser = ["mnist-seed", "cifar-seed"])]
    arch: String,
    /// Samples per batch.
    #[arg(long, default_value_t = 64, allow_negative_numbers = true)]
    batch_size: usize,
    /// Minimum seconds spent on each measurement.
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    seconds: f64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Skip the naive kernels (for profiling the fast ones).
    #[arg(long)]
    fast_only: bool,
}

/// (training-step rate, input-gradient rate) with the chosen kernels.
fn measure(naive: bool, b: &TrainBench) -> Result<(f64, f64), CliError> {
    let t0 = Instant::now();
    let r = kernel_rates_of(&b.arch, naive, b.batch_size, b.seconds, &mut || {
        t0.elapsed().as_secs_f64()
    })
    .context(format_args!("building {}", b.arch))?;
    Ok((r.train, r.input_gradient))
}

/// Runs `advlab bench`.
pub fn run(a: BenchArgs) -> Result<(), CliError> {
    let b = match a.what {
        BenchWhat::Train(b) => b,
        BenchWhat::Attacks(b) => return super::bench_attacks::run(b),
    };
    let ok = (1..=4096).contains(&b.batch_size) && b.seconds > 0.0 && b.seconds <= 600.0;
    if !ok {
        return Err(CliError(format!(
            "--batch-size must be from 1 to 4096 and --seconds greater than 0 and at most 600, got {} and {}",
            b.batch_size, b.seconds
        )));
    }
    let (naive_train, naive_grad) = if b.fast_only {
        (f64::NAN, f64::NAN)
    } else {
        measure(true, &b)?
    };
    let (fast_train, fast_grad) = measure(false, &b)?;
    if b.json {
        print_json(&json!({
            "model": b.arch, "batch_size": b.batch_size,
            "train_step": {"naive": naive_train, "fast": fast_train, "ratio": fast_train / naive_train},
            "input_gradient": {"naive": naive_grad, "fast": fast_grad, "ratio": fast_grad / naive_grad},
        }));
    } else {
        println!("{}, batch {}: examples per second", b.arch, b.batch_size);
        println!("{:<16} {:>10} {:>10} {:>7}", "", "naive", "fast", "ratio");
        for (what, n, f) in [
            ("training step", naive_train, fast_train),
            ("input gradient", naive_grad, fast_grad),
        ] {
            println!("{what:<16} {n:>10.0} {f:>10.0} {:>6.1}x", f / n);
        }
    }
    Ok(())
}
