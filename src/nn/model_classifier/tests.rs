//! Model-level tests: finite-difference checks of `loss_gradient`, `class_gradient` and the
//! training gradient (through SGD, with batchnorm and penalties).

use super::*;
use crate::nn::layers::gradcheck::{kernel_lock, random};
use crate::nn::{ModelSpec, OptimizerConfig};

pub(super) fn spec(input: &str, layers: &str, classes: usize) -> ModelSpec {
    let labels: Vec<String> = (0..classes).map(|i| format!("\"c{i}\"")).collect();
    ModelSpec::from_json(&format!(
        r#"{{"input_shape":{input},"clip_values":[0,1],"labels":[{}],"layers":[{layers}]}}"#,
        labels.join(",")
    ))
    .unwrap()
}

pub(super) fn mlp(softmax: bool) -> ModelSpec {
    let act = if softmax {
        r#","activation":"softmax""#
    } else {
        ""
    };
    spec(
        "[4]",
        &format!(
            r#"{{"type":"dense","units":6,"activation":"relu"}},{{"type":"dense","units":3{act}}}"#
        ),
        3,
    )
}

pub(super) fn convnet() -> ModelSpec {
    spec(
        "[6,6,2]",
        r#"{"type":"conv2d","filters":3,"kernel_size":[3,3],"padding":"same","kernel_initializer":"he_normal",
           "kernel_regularizer":{"l1":0.01,"l2":0.02}},
        {"type":"batchnorm"},{"type":"relu"},{"type":"maxpool2d","pool_size":[2,2]},
        {"type":"conv2d","filters":2,"kernel_size":[2,2],"strides":[1,1]},{"type":"flatten"},
        {"type":"dense","units":3,"kernel_regularizer":{"l2":0.05}},{"type":"softmax"}"#,
        3,
    )
}

/// Per-sample loss in inference mode (logit form, equal to Keras' clipped loss away from the clip).
fn sample_losses(m: &Model, x: &Array2<f32>, y: &[usize]) -> Vec<f64> {
    let out = m.predict(x.view());
    out.rows()
        .into_iter()
        .zip(y)
        .map(|(r, &t)| {
            if m.probs {
                -f64::from(r[t]).ln()
            } else {
                let lse = r.iter().map(|&v| f64::from(v).exp()).sum::<f64>().ln();
                lse - f64::from(r[t])
            }
        })
        .collect()
}

/// Central difference of `f` w.r.t. `x[i, j]`.
fn fd(x: &Array2<f32>, i: usize, j: usize, eps: f32, f: impl Fn(&Array2<f32>) -> f64) -> f64 {
    let mut xp = x.clone();
    xp[[i, j]] += eps;
    let up = f(&xp);
    xp[[i, j]] -= 2.0 * eps;
    (up - f(&xp)) / (2.0 * f64::from(eps))
}

fn close(a: f32, b: f64, tol: f64, what: &str) {
    assert!(
        (f64::from(a) - b).abs() <= tol * (1.0 + b.abs()),
        "{what}: analytic {a} vs fd {b}"
    );
}

pub(super) fn models() -> Vec<Model> {
    let mut conv = Model::new(convnet(), 3).unwrap();
    // give batchnorm non-trivial moving statistics so inference differs from identity
    conv.train_batch(
        random(8, 72, 9).mapv(|v| v.abs()).view(),
        &[0, 1, 2, 0, 1, 2, 0, 1],
    );
    vec![
        Model::new(mlp(true), 1).unwrap(),
        Model::new(mlp(false), 2).unwrap(),
        conv,
    ]
}

#[test]
fn loss_gradient_is_each_samples_own_and_matches_finite_differences() {
    let _fast = kernel_lock();
    for (k, mut m) in models().into_iter().enumerate() {
        let d = m.nb_features();
        let x = random(3, d, 20 + k as u64).mapv(|v| v.abs());
        let y = [2, 0, 1];
        let g = m.loss_gradient(x.view(), &y);
        for i in 0..3 {
            for j in (0..d).step_by(d.div_ceil(12)) {
                let f = fd(&x, i, j, 2e-3, |x| sample_losses(&m, x, &y).iter().sum());
                close(
                    g[[i, j]],
                    f,
                    2e-2,
                    &format!("model {k} loss_gradient[{i},{j}]"),
                );
            }
        }
        let alone = m.loss_gradient(x.slice(s![1..2, ..]), &y[1..2]);
        assert!(alone
            .iter()
            .zip(g.row(1))
            .all(|(a, b)| (a - b).abs() < 1e-6));
    }
}

#[test]
fn class_gradients_match_finite_differences_for_every_selection() {
    let _fast = kernel_lock();
    for (k, mut m) in models().into_iter().enumerate() {
        let d = m.nb_features();
        let x = random(2, d, 30 + k as u64).mapv(|v| v.abs());
        let all = m.class_gradient(x.view(), ClassSelection::All);
        assert_eq!(all.dim(), (2, 3, d));
        for i in 0..2 {
            for c in 0..3 {
                for j in (0..d).step_by(d.div_ceil(8)) {
                    let f = fd(&x, i, j, 2e-3, |x| f64::from(m.predict(x.view())[[i, c]]));
                    close(
                        all[[i, c, j]],
                        f,
                        2e-2,
                        &format!("model {k} d y[{i},{c}] / dx[{j}]"),
                    );
                }
            }
        }
        let one = m.class_gradient(x.view(), ClassSelection::One(1));
        assert_eq!(one.dim(), (2, 1, d));
        assert_eq!(one.slice(s![.., 0, ..]), all.slice(s![.., 1, ..]));
        let per = m.class_gradient(x.view(), ClassSelection::PerSample(&[2, 0]));
        assert_eq!(per.slice(s![0, 0, ..]), all.slice(s![0, 2, ..]));
        assert_eq!(per.slice(s![1, 0, ..]), all.slice(s![1, 0, ..]));
    }
}

/// A conv net whose every layer stacks seeds (no batchnorm): `ClassSelection::All` takes the
/// one-backward path, which must equal one backward per class bit for bit and the finite
/// differences.
#[test]
fn stacked_class_gradients_equal_one_backward_per_class() {
    let _fast = kernel_lock();
    let spec = spec(
        "[7,6,2]",
        r#"{"type":"conv2d","filters":3,"kernel_size":[3,3],"padding":"same","activation":"relu"},
        {"type":"maxpool2d","pool_size":[2,2]},{"type":"dropout","rate":0.3},
        {"type":"conv2d","filters":4,"kernel_size":[2,2],"activation":"relu"},{"type":"flatten"},
        {"type":"dense","units":5,"activation":"relu"},{"type":"dense","units":3,"activation":"softmax"}"#,
        3,
    );
    let mut m = Model::new(spec, 4).unwrap();
    assert!(m.nodes.iter().all(|n| n.stacks_seeds()));
    let d = m.nb_features();
    let x = random(5, d, 60).mapv(|v| v.abs());
    let all = m.class_gradient(x.view(), ClassSelection::All);
    for c in 0..3 {
        let one = m.class_gradient(x.view(), ClassSelection::One(c));
        assert_eq!(
            one.slice(s![.., 0, ..]),
            all.slice(s![.., c, ..]),
            "class {c}"
        );
    }
    // groups of two seeds (the memory bound of wide models): the same bits
    let sel: Vec<Vec<usize>> = (0..3).map(|c| vec![c; 5]).collect();
    let (scores, grouped) = m.class_gradient_groups(x.view(), &sel, Some(2));
    m.clear_caches();
    assert_eq!(grouped, all);
    assert_eq!(scores, m.predict(x.view()));
    assert!(m.seeds_per_backward(5) >= 3);
    for (i, c, j) in [(0, 0, 3), (2, 1, 40), (4, 2, 77), (3, 0, 20)] {
        let f = fd(&x, i, j, 2e-3, |x| f64::from(m.predict(x.view())[[i, c]]));
        close(all[[i, c, j]], f, 2e-2, &format!("d y[{i},{c}] / dx[{j}]"));
    }
}

#[test]
fn training_gradient_with_batchnorm_and_penalties_matches_finite_differences() {
    let base = Model::new(convnet(), 5).unwrap();
    let x = random(4, 72, 40).mapv(|v| v.abs());
    let y = [0, 2, 1, 2];
    let train_loss = |m: &Model| -> f64 {
        let mut m = m.clone();
        let out = m.forward_cached(x.view(), true, false);
        let data = crate::nn::loss::cross_entropy_probs(out.view(), &y);
        f64::from(data) + m.params().map(|p| f64::from(p.penalty())).sum::<f64>()
    };
    // SGD with lr 1 and no momentum moves every weight by exactly minus its gradient.
    let mut stepped = base.clone();
    stepped
        .set_optimizer(OptimizerConfig::sgd(1.0, 0.0))
        .unwrap();
    let stats = stepped.train_batch(x.view(), &y);
    assert!((f64::from(stats.loss) - train_loss(&base)).abs() < 1e-4);
    let before: Vec<_> = base.params().cloned().collect();
    let after: Vec<_> = stepped.params().cloned().collect();
    for (k, (p, q)) in before.iter().zip(&after).enumerate() {
        if !p.is_trainable() {
            continue;
        }
        for i in (0..p.value.len()).step_by(p.value.len().div_ceil(10)) {
            let grad = p.value[i] - q.value[i];
            let bump = |delta: f32| {
                let mut m = base.clone();
                m.nodes
                    .iter_mut()
                    .flat_map(|n| n.params_mut().iter_mut())
                    .nth(k)
                    .unwrap()
                    .value[i] += delta;
                train_loss(&m)
            };
            let f = (bump(5e-3) - bump(-5e-3)) / 1e-2;
            close(grad, f, 3e-2, &format!("{} [{i}]", p.name));
        }
    }
}

#[test]
fn logits_and_their_vector_jacobian_product_match_finite_differences() {
    let _fast = kernel_lock();
    for (k, mut m) in models().into_iter().enumerate() {
        let d = m.nb_features();
        let x = random(2, d, 50 + k as u64).mapv(|v| v.abs());
        let z = m.logits(x.view());
        let p = m.predict(x.view());
        for i in 0..2 {
            // softmax(logits) is the output (or the logits are the output)
            let shift = if m.probs {
                p[[i, 0]].ln() - z[[i, 0]]
            } else {
                0.0
            };
            for c in 0..3 {
                let want = if m.probs { p[[i, c]].ln() } else { p[[i, c]] };
                assert!((z[[i, c]] + shift - want).abs() < 1e-4, "model {k}");
            }
        }
        let seed = ndarray::array![[1.0f32, -2.0, 0.5], [0.0, 1.0, -1.0]];
        let g = m.logit_vjp(x.view(), seed.view());
        for i in 0..2 {
            for j in (0..d).step_by(d.div_ceil(8)) {
                let f = fd(&x, i, j, 2e-3, |x| {
                    let z = m.logits(x.view());
                    (0..3).map(|c| f64::from(seed[[i, c]] * z[[i, c]])).sum()
                });
                close(g[[i, j]], f, 2e-2, &format!("model {k} vjp[{i},{j}]"));
            }
        }
    }
}
