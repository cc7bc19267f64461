//! Model-level tests: finite-difference checks of `loss_gradient`, `class_gradient` and the
//! training gradient (through SGD), determinism, learning, and tensor loading.

use super::*;
use crate::nn::layers::gradcheck::random;
use crate::nn::{ModelSpec, NnError, OptimizerConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

fn spec(input: &str, layers: &str, classes: usize) -> ModelSpec {
    let labels: Vec<String> = (0..classes).map(|i| format!("\"c{i}\"")).collect();
    ModelSpec::from_json(&format!(
        r#"{{"input_shape":{input},"clip_values":[0,1],"labels":[{}],"layers":[{layers}]}}"#,
        labels.join(",")
    ))
    .unwrap()
}

fn mlp(softmax: bool) -> ModelSpec {
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

fn convnet() -> ModelSpec {
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

fn models() -> Vec<Model> {
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

fn blobs(n: usize, seed: u64) -> (Array2<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centres = [
        [0.2f32, 0.2, 0.8, 0.5],
        [0.8, 0.3, 0.2, 0.5],
        [0.5, 0.8, 0.5, 0.1],
    ];
    let y: Vec<usize> = (0..n).map(|i| i % 3).collect();
    let x = Array2::from_shape_fn((n, 4), |(i, j)| {
        centres[y[i]][j] + rng.random_range(-0.15..0.15)
    });
    (x, y)
}

#[test]
fn an_mlp_learns_blobs_and_training_is_deterministic() {
    let (x, y) = blobs(300, 1);
    let layers = r#"{"type":"dense","units":16,"activation":"relu"},{"type":"dropout","rate":0.2},
        {"type":"dense","units":3,"activation":"softmax"}"#;
    let train = |seed| {
        let mut m = Model::new(spec("[4]", layers, 3), seed).unwrap();
        m.set_optimizer(OptimizerConfig::adam(0.01)).unwrap();
        let mut last = None;
        for _ in 0..40 {
            for b in 0..10 {
                let r = b * 30..(b + 1) * 30;
                last = Some(m.train_batch(x.slice(s![r.clone(), ..]), &y[r]));
            }
        }
        (m, last.unwrap())
    };
    let (m, stats) = train(7);
    let (test_x, test_y) = blobs(150, 2);
    let acc = crate::classifier::accuracy(&m.predict(test_x.view()), &test_y);
    assert!(acc > 0.95, "test accuracy {acc}, last batch {stats:?}");
    let (m2, _) = train(7);
    assert_eq!(m.tensors(), m2.tensors(), "same seed, same weights");
    let (m3, _) = train(8);
    assert_ne!(m.tensors(), m3.tensors());
}

/// 8×8 images of a bright horizontal (class 0) or vertical (class 1) bar on noise.
fn bars(n: usize, seed: u64) -> (Array2<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut x = Array2::from_shape_fn((n, 64), |_| rng.random_range(0.0..0.3));
    let y: Vec<usize> = (0..n).map(|i| i % 2).collect();
    for (i, &c) in y.iter().enumerate() {
        let at = rng.random_range(1..7);
        for k in 0..8 {
            let (r, col) = if c == 0 { (at, k) } else { (k, at) };
            x[[i, r * 8 + col]] = 1.0;
        }
    }
    (x, y)
}

#[test]
fn a_tiny_convnet_learns_bars() {
    let layers = r#"{"type":"conv2d","filters":4,"kernel_size":[3,3],"activation":"relu"},
        {"type":"maxpool2d","pool_size":[2,2]},{"type":"flatten"},{"type":"dense","units":2}"#;
    let mut m = Model::new(spec("[8,8,1]", layers, 2), 3).unwrap();
    m.set_optimizer(OptimizerConfig::adam(0.01)).unwrap();
    let (x, y) = bars(200, 4);
    for _ in 0..10 {
        for b in 0..10 {
            let r = b * 20..(b + 1) * 20;
            m.train_batch(x.slice(s![r.clone(), ..]), &y[r]);
        }
    }
    let (tx, ty) = bars(100, 5);
    let acc = crate::classifier::accuracy(&m.predict(tx.view()), &ty);
    assert!(acc > 0.9, "test accuracy {acc}");
}

#[test]
fn tensors_round_trip_and_bad_tensors_are_named() {
    let m = models().pop().unwrap();
    let named: HashMap<_, _> = m
        .tensors()
        .into_iter()
        .map(|(n, s, v)| (n, (s, v)))
        .collect();
    assert_eq!(
        m.tensors().len(),
        convnet().expected_tensors().unwrap().len()
    );
    let loaded = Model::from_tensors(convnet(), &named).unwrap();
    let x = random(5, 72, 50);
    assert_eq!(loaded.predict(x.view()), m.predict(x.view()));
    assert_eq!(loaded.num_params(), m.num_params());
    assert_eq!(
        m.num_params(),
        3 * 3 * 2 * 3 + 3 + 4 * 3 + 2 * 2 * 3 * 2 + 2 + 8 * 3 + 3
    );

    let mut missing = named.clone();
    missing.remove("layers.1.gamma");
    let e = Model::from_tensors(convnet(), &missing).unwrap_err();
    assert!(
        matches!(&e, NnError::MissingTensor { name, .. } if name == "layers.1.gamma"),
        "{e}"
    );
    let mut extra = named.clone();
    extra.insert("layers.9.kernel".into(), (vec![1], vec![0.0]));
    let e = Model::from_tensors(convnet(), &extra)
        .unwrap_err()
        .to_string();
    assert!(e.contains("layers.9.kernel"), "{e}");
    let mut shaped = named.clone();
    shaped.insert("layers.6.kernel".into(), (vec![3, 8], vec![0.0; 24]));
    let e = Model::from_tensors(convnet(), &shaped)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("layers.6.kernel") && e.contains("[3, 8]") && e.contains("[8, 3]"),
        "{e}"
    );
    let mut short = named.clone();
    short.insert("layers.0.bias".into(), (vec![3], vec![0.0; 2]));
    assert!(matches!(
        Model::from_tensors(convnet(), &short),
        Err(NnError::TensorShape { .. })
    ));
    let mut nan = named.clone();
    nan.get_mut("layers.4.bias").unwrap().1[1] = f32::NAN;
    let e = Model::from_tensors(convnet(), &nan)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("layers.4.bias") && e.contains("NaN") && e.contains("index 1"),
        "{e}"
    );
    let mut neg = named;
    neg.get_mut("layers.1.moving_variance").unwrap().1[0] = -1.0;
    assert!(matches!(
        Model::from_tensors(convnet(), &neg),
        Err(NnError::NegativeVariance { .. })
    ));
}

#[test]
fn inputs_labels_and_optimizers_are_validated() {
    let mut m = Model::new(mlp(true), 0).unwrap();
    let e = m
        .check_input(random(2, 5, 1).view())
        .unwrap_err()
        .to_string();
    assert!(e.contains('5') && e.contains('4'), "{e}");
    assert!(m.check_batch(random(2, 4, 1).view(), &[0, 3]).is_err());
    assert!(m.check_batch(random(2, 4, 1).view(), &[0]).is_err());
    assert!(m.check_batch(random(2, 4, 1).view(), &[0, 2]).is_ok());
    assert!(m
        .set_optimizer(OptimizerConfig::sgd(f32::NAN, 0.0))
        .is_err());
    assert_eq!(m.optimizer(), OptimizerConfig::adam(0.001));
    let bad = mlp(true).to_json().replace(
        r#""units":6"#,
        r#""units":6,"kernel_regularizer":{"l2":-1.0}"#,
    );
    let e = Model::new(ModelSpec::from_json(&bad).unwrap(), 0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("layer 0") && e.contains("-1"), "{e}");
    assert_eq!(m.predict(Array2::zeros((0, 4)).view()).dim(), (0, 3));
    assert_eq!(m.train_batch(Array2::zeros((0, 4)).view(), &[]).loss, 0.0);
}

/// The `mnist-seed` architecture (Conv 4@5×5 → pool → Conv 10@5×5 → pool → 100 → 10).
fn mnist_seed() -> ModelSpec {
    spec(
        "[28,28,1]",
        r#"{"type":"conv2d","filters":4,"kernel_size":[5,5],"activation":"relu"},
        {"type":"maxpool2d","pool_size":[2,2]},
        {"type":"conv2d","filters":10,"kernel_size":[5,5],"activation":"relu"},
        {"type":"maxpool2d","pool_size":[2,2]},{"type":"flatten"},
        {"type":"dense","units":100,"activation":"relu"},{"type":"dense","units":10,"activation":"softmax"}"#,
        10,
    )
}

/// Timing of one epoch of 60k random MNIST-shaped images (run with `--ignored --nocapture`).
#[test]
#[ignore]
fn bench_mnist_seed_epoch() {
    let batch: usize = std::env::var("BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let n: usize = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60_000);
    let mut m = Model::new(mnist_seed(), 0).unwrap();
    let x = random(n, 784, 1).mapv(|v| v.abs());
    let y: Vec<usize> = (0..n).map(|i| i % 10).collect();
    let t = std::time::Instant::now();
    for b in 0..n / batch {
        let r = b * batch..(b + 1) * batch;
        m.train_batch(x.slice(s![r.clone(), ..]), &y[r]);
    }
    let train = t.elapsed();
    let t = std::time::Instant::now();
    m.predict(x.slice(s![..10_000.min(n), ..]));
    println!(
        "batch {batch}: train {n} in {train:?}, predict 10k in {:?}",
        t.elapsed()
    );
}
