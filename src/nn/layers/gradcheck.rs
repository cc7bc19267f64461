//! Test helper: central finite-difference checks of a layer's input and parameter gradients,
//! using the scalar `L = Σ r ⊙ forward(x)` for a fixed random `r`.

use super::{Layer, Pass};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::{Mutex, MutexGuard};

static KERNEL_SWITCH: Mutex<()> = Mutex::new(());

/// Serialises tests that flip [`super::set_naive_kernels`] with tests that compare results
/// bit for bit (the switch is process-global).
pub fn kernel_lock() -> MutexGuard<'static, ()> {
    KERNEL_SWITCH.lock().unwrap_or_else(|e| e.into_inner())
}

/// `Σ r ⊙ forward(x)` in f64, with a fresh dropout generator so every call draws the same masks.
fn probe<L: Layer>(layer: &mut L, x: &Array2<f32>, r: &Array2<f32>, training: bool) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut pass = Pass {
        training,
        param_grads: true,
        rng: &mut rng,
    };
    let y = layer.forward(x.view(), &mut pass);
    y.iter()
        .zip(r)
        .map(|(&a, &b)| f64::from(a) * f64::from(b))
        .sum()
}

/// Random matrix with entries uniform in `[-1, 1)`.
pub fn random(rows: usize, cols: usize, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((rows, cols), |_| rng.random_range(-1.0..1.0))
}

fn assert_close(what: &str, i: usize, analytic: f32, fd: f64, tol: f64) {
    let a = f64::from(analytic);
    assert!(
        (a - fd).abs() <= tol * (1.0 + fd.abs()),
        "{what}[{i}]: analytic {a} vs finite difference {fd}"
    );
}

/// Checks input and parameter gradients of `layer` at `x` against central differences with
/// step `eps`, for every coordinate (or an even sample of at most 80 per tensor).
pub fn check_layer<L: Layer + Clone>(
    layer: &L,
    x: &Array2<f32>,
    training: bool,
    eps: f32,
    tol: f64,
) {
    // infer and forward are compared bit for bit below: keep the kernel switch still
    let _lock = kernel_lock();
    let mut l = layer.clone();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut pass = Pass {
        training,
        param_grads: true,
        rng: &mut rng,
    };
    let y = l.forward(x.view(), &mut pass);
    let r = random(y.nrows(), y.ncols(), 99);
    l.params_mut().iter_mut().for_each(|p| p.zero_grad());
    let dx = l.backward(r.view());
    assert_eq!(dx.dim(), x.dim(), "input gradient shape");
    // the by-value variants give the same bits
    let mut owned = layer.clone();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut pass = Pass {
        training,
        param_grads: true,
        rng: &mut rng,
    };
    let y_owned = owned.forward_owned(x.clone(), &mut pass);
    owned.params_mut().iter_mut().for_each(|p| p.zero_grad());
    let dx_owned = owned.backward_owned(r.clone());
    let bits = |a: &Array2<f32>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&y_owned), bits(&y), "forward_owned");
    assert_eq!(bits(&dx_owned), bits(&dx), "backward_owned");
    for (p, q) in owned.params().iter().zip(l.params()) {
        assert_eq!(p.grad, q.grad, "parameter gradients of the by-value pass");
    }
    let step = |n: usize| n.div_ceil(80).max(1);
    for i in (0..x.len()).step_by(step(x.len())) {
        let mut xp = x.clone();
        xp.as_slice_mut().unwrap()[i] += eps;
        let up = probe(&mut layer.clone(), &xp, &r, training);
        xp.as_slice_mut().unwrap()[i] -= 2.0 * eps;
        let down = probe(&mut layer.clone(), &xp, &r, training);
        let fd = (up - down) / (2.0 * f64::from(eps));
        assert_close("input", i, dx.as_slice().unwrap()[i], fd, tol);
    }
    for (k, p) in l.params().iter().enumerate() {
        if !p.is_trainable() {
            continue;
        }
        for i in (0..p.value.len()).step_by(step(p.value.len())) {
            let mut lp = layer.clone();
            lp.params_mut()[k].value[i] += eps;
            let up = probe(&mut lp, x, &r, training);
            lp.params_mut()[k].value[i] -= 2.0 * eps;
            let down = probe(&mut lp, x, &r, training);
            let fd = (up - down) / (2.0 * f64::from(eps));
            assert_close(&p.name, i, p.grad[i], fd, tol);
        }
    }
    if !training {
        let cached = layer.clone().forward(
            x.view(),
            &mut Pass {
                training,
                param_grads: false,
                rng: &mut rng,
            },
        );
        assert_eq!(cached, layer.infer(x.view()), "infer and forward disagree");
    }
}
