//! Property and fuzz tests of everything that reads untrusted bytes: the `.safetensors`, `.npy`,
//! IDX and CSV parsers and the worker's request decoder (JSON to `Request`, then the session that
//! answers it). Inputs are valid files and requests, mutated (bit flips, cuts, splices, huge
//! numbers in headers, JSON values swapped for hostile ones) and plain random bytes, from a seeded
//! generator, so a failure is reproduced by its seed and input number.
//!
//! Every input must be answered without a panic, an abort or more than [`LIMIT`] bytes of memory
//! in use at once: a counting global allocator ([`alloc`]) measures the peak of every input, and
//! refuses any single allocation over the limit (the process then aborts, which fails the run).
//!
//! `make fuzz` also writes on a disk that fills up ([`writes`]): every output is either the old
//! file or a complete new one, never a part.
//!
//! `cargo test` runs a short round (60 000 inputs, about a second); `make fuzz` runs the long
//! one: `FUZZ_INPUTS=1000000 cargo test --test fuzz -- --ignored --nocapture` (`FUZZ_SEED` picks
//! the seed).

mod alloc;
#[path = "../common/mod.rs"]
mod common;
mod mutate;
mod targets;
mod writes;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Most memory one input may hold at once.
pub const LIMIT: usize = 256 << 20;

/// Runs `n` inputs spread over the targets; returns (inputs run, largest peak in bytes).
fn fuzz(n: u64, seed: u64, report: bool) -> (u64, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut targets = targets::all();
    let total_weight: u32 = targets.iter().map(|t| t.weight).sum();
    let mut worst = 0usize;
    let _measuring = alloc::measuring();
    let start = Instant::now();
    for i in 0..n {
        let mut pick = rng.random_range(0..total_weight);
        let target = targets
            .iter_mut()
            .find(|t| {
                if pick < t.weight {
                    true
                } else {
                    pick -= t.weight;
                    false
                }
            })
            .expect("weights cover the range");
        let input = (target.make)(&mut rng);
        let base = alloc::start_input();
        let outcome = catch_unwind(AssertUnwindSafe(|| (target.run)(&input)));
        let peak = alloc::peak_since(base);
        target.count += 1;
        target.accepted += u64::from(matches!(outcome, Ok(true)));
        worst = worst.max(peak);
        if outcome.is_err() || peak > LIMIT {
            let shown: String = input.iter().take(400).map(|b| format!("{b:02x}")).collect();
            panic!(
                "target {} input {i} (seed {seed}): {} with a peak of {peak} bytes; input ({} bytes) starts {shown}",
                target.name,
                if outcome.is_err() { "panicked" } else { "held too much memory" },
                input.len()
            );
        }
        if report && (i + 1) % 100_000 == 0 {
            eprintln!(
                "fuzz: {} inputs in {:.1} s, largest peak {} KiB",
                i + 1,
                start.elapsed().as_secs_f64(),
                worst >> 10
            );
        }
    }
    if report {
        for t in &targets {
            eprintln!(
                "fuzz: {:<12} {} inputs, {} accepted by the parser",
                t.name, t.count, t.accepted
            );
        }
        eprintln!(
            "fuzz: {n} inputs, seed {seed}, {:.1} s, largest peak {} KiB, no panic",
            start.elapsed().as_secs_f64(),
            worst >> 10
        );
    }
    (n, worst)
}

#[test]
fn a_short_round_of_hostile_inputs_is_answered_without_panic_or_excess_memory() {
    // Quiet: the panic hook would print any caught panic; `fuzz` fails with the input instead.
    let (n, worst) = fuzz(60_000, 9, false);
    assert_eq!(n, 60_000);
    assert!(worst <= LIMIT);
}

#[test]
#[ignore = "the long run: make fuzz"]
fn the_long_run() {
    let n = std::env::var("FUZZ_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    fuzz(n, seed, true);
}

#[test]
#[ignore = "the long run: make fuzz"]
fn writes_on_a_filling_disk_never_leave_a_partial_file() {
    let dir = std::env::temp_dir().join(format!("advlab-fuzz-writes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let runs = writes::run(&dir);
    println!("{runs} limited writes: each left the old file or a complete new one");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_counting_allocator_sees_allocations() {
    let _measuring = alloc::measuring();
    let base = alloc::start_input();
    let v = vec![0u8; 1 << 20];
    let peak = alloc::peak_since(base);
    drop(v);
    assert!(peak >= 1 << 20, "{peak}");
}
