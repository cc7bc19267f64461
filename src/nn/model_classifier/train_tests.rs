//! Model-level tests: learning toy problems, determinism, the naive-kernel switch, tensor
//! loading and input validation, plus an ignored MNIST-sized timing run.

use super::tests::{convnet, mlp, models, spec};
use super::*;
use crate::nn::layers::gradcheck::{kernel_lock, random};
use crate::nn::{set_naive_kernels, ModelSpec, NnError, OptimizerConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

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
    let _fast = kernel_lock();
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
fn tensors_round_trip_exactly() {
    let _fast = kernel_lock();
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
}

#[test]
fn bad_tensors_are_rejected_naming_the_tensor() {
    let m = Model::new(convnet(), 4).unwrap();
    let named: HashMap<_, _> = m
        .tensors()
        .into_iter()
        .map(|(n, s, v)| (n, (s, v)))
        .collect();
    assert!(Model::from_tensors(convnet(), &named).is_ok());
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

#[test]
fn the_naive_kernel_switch_gives_the_same_model_outputs_and_gradients() {
    let _lock = kernel_lock();
    let mut m = models().pop().unwrap();
    // SGD, not Adam: the conv bias before batchnorm has a zero gradient up to rounding, which
    // Adam's normalised step would amplify into a full learning-rate step of either sign
    m.set_optimizer(OptimizerConfig::sgd(0.1, 0.0)).unwrap();
    let x = random(5, 72, 60).mapv(|v| v.abs());
    let y = [0, 1, 2, 0, 1];
    let fast = (m.predict(x.view()), m.loss_gradient(x.view(), &y));
    let mut trained_fast = m.clone();
    trained_fast.train_batch(x.view(), &y);
    set_naive_kernels(true);
    let naive = (m.predict(x.view()), m.loss_gradient(x.view(), &y));
    let mut trained_naive = m.clone();
    trained_naive.train_batch(x.view(), &y);
    set_naive_kernels(false);
    let near =
        |a: &Array2<f32>, b: &Array2<f32>| a.iter().zip(b).all(|(p, q)| (p - q).abs() < 1e-5);
    assert!(near(&fast.0, &naive.0) && near(&fast.1, &naive.1));
    for (a, b) in trained_fast.tensors().iter().zip(trained_naive.tensors()) {
        assert!(
            a.2.iter().zip(&b.2).all(|(p, q)| (p - q).abs() < 1e-5),
            "{}",
            a.0
        );
    }
}

#[test]
fn a_model_that_is_only_a_softmax_has_gradients() {
    let mut m = Model::new(spec("[3]", r#"{"type":"softmax"}"#, 3), 0).unwrap();
    let x = ndarray::array![[1.0f32, 2.0, 0.5]];
    let g = m.loss_gradient(x.view(), &[0]);
    let p = m.predict(x.view());
    assert!((g[[0, 0]] - (p[[0, 0]] - 1.0)).abs() < 1e-6 && (g[[0, 1]] - p[[0, 1]]).abs() < 1e-6);
    assert_eq!(m.num_params(), 0);
    assert!(m.train_batch(x.view(), &[0]).loss > 0.0);
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

#[test]
fn fresh_weights_follow_keras_initialisers_and_fans() {
    let layers = r#"{"type":"conv2d","filters":32,"kernel_size":[5,5],"kernel_initializer":"he_normal"},
        {"type":"batchnorm"},{"type":"flatten"},{"type":"dense","units":2}"#;
    let m = Model::new(spec("[9,9,3]", layers, 2), 11).unwrap();
    let t = m.tensors();
    let names: Vec<&str> = t.iter().map(|(n, _, _)| n.as_str()).collect();
    let expected = m.spec().expected_tensors().unwrap();
    assert_eq!(
        names,
        expected.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>()
    );
    let std = |v: &[f32]| (v.iter().map(|x| x * x).sum::<f32>() / v.len() as f32).sqrt();
    let he = (2.0f32 / 75.0).sqrt(); // fan_in = 5·5·3
    assert!(
        (std(&t[0].2) - he).abs() < 0.05 * he,
        "conv std {} vs {he}",
        std(&t[0].2)
    );
    assert!(t[1].2.iter().all(|&b| b == 0.0));
    assert_eq!(
        (t[2].2[0], t[3].2[0], t[4].2[0], t[5].2[0]),
        (1.0, 0.0, 0.0, 1.0)
    );
    let limit = (6.0f32 / (800.0 + 2.0)).sqrt(); // dense 5·5·32 -> 2
    assert!(t[6].2.iter().all(|w| w.abs() <= limit));
    assert!(t[6].2.iter().any(|w| w.abs() > 0.9 * limit));
}
