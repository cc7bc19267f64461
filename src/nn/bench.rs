//! Kernel throughput of `mnist-seed` (examples per second of a training step and of the input
//! gradient), shared by `advlab bench train` and the wasm export `bench_kernels`, so the native
//! and the browser figures measure the same work. Inputs are seeded random MNIST-shaped batches.
//! The clock is passed in (`std::time::Instant` does not exist on wasm32-unknown-unknown).

use super::layers::set_naive_kernels;
use super::presets::preset;
use super::{Model, NnError};
use crate::classifier::Classifier;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Examples per second of a training step and of the input gradient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KernelRates {
    /// `train_batch` (forward, backward with weight gradients, Adam step).
    pub train: f64,
    /// `loss_gradient` (forward, input-gradient-only backward).
    pub input_gradient: f64,
}

/// Examples per second of `f` on batches of `n`, repeated for at least `seconds` (and twice),
/// timed by `now` (seconds).
fn rate(n: usize, seconds: f64, now: &mut dyn FnMut() -> f64, mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    let start = now();
    let mut reps = 0usize;
    while reps < 2 || now() - start < seconds {
        f();
        reps += 1;
    }
    (reps * n) as f64 / (now() - start).max(1e-9)
}

/// Measures `mnist-seed` on batches of `batch` (1 to 4096) with the naive or the fast kernels
/// (the switch is left on the fast ones), each for at least `seconds`.
pub fn kernel_rates(
    naive: bool,
    batch: usize,
    seconds: f64,
    now: &mut dyn FnMut() -> f64,
) -> Result<KernelRates, NnError> {
    kernel_rates_of("mnist-seed", naive, batch, seconds, now)
}

/// [`kernel_rates`] of the preset `arch` (`mnist-seed`, `cifar-seed`, ...; an unknown name
/// measures `mnist-seed`).
pub fn kernel_rates_of(
    arch: &str,
    naive: bool,
    batch: usize,
    seconds: f64,
    now: &mut dyn FnMut() -> f64,
) -> Result<KernelRates, NnError> {
    let batch = batch.clamp(1, 4096);
    let p = preset(arch).unwrap_or_else(|| preset("mnist-seed").expect("mnist-seed is a preset"));
    let (d, classes) = (p.spec.input_shape.iter().product(), p.spec.labels.len());
    let mut model = Model::new(p.spec, 0)?;
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let x = Array2::from_shape_fn((batch, d), |_| rng.random::<f32>());
    let y: Vec<usize> = (0..batch).map(|i| i % classes).collect();
    set_naive_kernels(naive);
    let train = rate(batch, seconds, now, || {
        model.train_batch(x.view(), &y);
    });
    let input_gradient = rate(batch, seconds, now, || {
        model.loss_gradient(x.view(), &y);
    });
    set_naive_kernels(false);
    Ok(KernelRates {
        train,
        input_gradient,
    })
}
