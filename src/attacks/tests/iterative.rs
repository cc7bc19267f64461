//! JSMA, DeepFool and NewtonFool.

use super::*;
use ndarray::{array, Array2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

#[test]
fn jsma_respects_gamma_and_theta_direction() {
    let mut clf = linear(LinearOutput::Softmax);
    let x = inputs(12, 11);
    for (theta, gamma) in [(0.1f32, 0.4f32), (-0.2, 1.0), (0.05, 0.2)] {
        let p = JsmaParams {
            theta,
            gamma,
            batch_size: 5,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let out = AttackConfig::Jsma(p)
            .generate(&mut clf, x.view(), None, &mut rng, None)
            .unwrap();
        let d = &out.x_adv - &x;
        for i in 0..12 {
            let changed = d.row(i).iter().filter(|v| v.abs() > 1e-7).count();
            // ART keeps going while the used fraction is <= gamma, and each step uses two features
            assert!(
                changed as f32 <= gamma * 5.0 + 2.0,
                "theta {theta}: {changed} features"
            );
            assert!(
                d.row(i).iter().all(|&v| v * theta >= 0.0),
                "only in theta's direction"
            );
        }
        assert!(out.x_adv.iter().all(|&v| (0.0..=1.0).contains(&v)));
        assert!(out.iterations.iter().any(|&k| k > 0));
    }
}

#[test]
fn jsma_reaches_explicit_targets_and_draws_wrong_random_ones() {
    let mut clf = linear(LinearOutput::Softmax);
    let x = inputs(9, 12);
    let pred = clf.predict_classes(x.view());
    let targets: Vec<usize> = pred.iter().map(|&c| (c + 1) % 3).collect();
    let p = JsmaParams {
        theta: 1.0,
        gamma: 1.0,
        batch_size: 4,
    };
    let out = run(&AttackConfig::Jsma(p.clone()), &mut clf, &x, Some(&targets));
    let reached = clf
        .predict_classes(out.x_adv.view())
        .iter()
        .zip(&targets)
        .filter(|(a, b)| a == b)
        .count();
    assert!(reached >= 5, "reached {reached} of 9 targets");
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let random = jsma::random_wrong_classes(&pred, 3, &mut rng).unwrap();
    assert!(random.iter().zip(&pred).all(|(r, p)| r != p && *r < 3));
    assert!(matches!(
        jsma::random_wrong_classes(&[0], 1, &mut rng),
        Err(AttackError::TooFewClasses { .. })
    ));
}

#[test]
fn jsma_ends_even_when_theta_cannot_move_a_feature() {
    let mut clf = linear(LinearOutput::Softmax);
    let x = inputs(3, 16);
    let pred = clf.predict_classes(x.view());
    let targets: Vec<usize> = pred.iter().map(|&c| (c + 1) % 3).collect();
    let cfg = AttackConfig::Jsma(JsmaParams {
        theta: 1e-12,
        gamma: 1.0,
        batch_size: 2,
    });
    let mut trace = Vec::new();
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let out = cfg
        .generate(
            &mut clf,
            x.view(),
            Some(&targets),
            &mut rng,
            Some(&mut trace),
        )
        .unwrap();
    assert_eq!(out.x_adv, x);
    assert_eq!(trace.len(), *out.iterations.iter().max().unwrap());
}

/// The closed-form smallest L2 step onto the nearest decision boundary of a linear logits model.
fn closed_form_deepfool(clf: &LinearClassifier, x: &Array2<f32>, i: usize) -> ndarray::Array1<f32> {
    let z = clf.logits(x.view());
    let k = clf.predict_classes(x.view())[i];
    let mut best: Option<(f32, ndarray::Array1<f32>)> = None;
    for l in (0..clf.w.nrows()).filter(|&l| l != k) {
        let w = &clf.w.row(l) - &clf.w.row(k);
        let gap = (z[[i, k]] - z[[i, l]]) / w.dot(&w).sqrt();
        if best.as_ref().is_none_or(|(g, _)| gap < *g) {
            let r = &w * ((z[[i, k]] - z[[i, l]]) / w.dot(&w));
            best = Some((gap, r));
        }
    }
    best.unwrap().1
}

#[test]
fn deepfool_on_a_linear_model_takes_the_closed_form_step() {
    let mut multi = linear(LinearOutput::Logits);
    multi.w.row_mut(0)[4] = 0.01; // avoid the degenerate zero column for this test
    let binary = LinearClassifier::new(
        multi.w.slice(ndarray::s![..2, ..]).to_owned(),
        array![0.05f32, -0.05],
        LinearOutput::Logits,
        (0.0, 1.0),
    );
    let x = inputs(8, 13) * 0.2 + 0.4; // near the centre so no step is clipped
    for mut clf in [multi, binary] {
        let one = DeepFoolParams {
            max_iter: 1,
            epsilon: 0.0,
            nb_grads: 10,
            batch_size: 3,
        };
        let out = run(&AttackConfig::Deepfool(one), &mut clf, &x, None);
        for i in 0..8 {
            let r = closed_form_deepfool(&clf, &x, i);
            let got = &out.x_adv.row(i) - &x.row(i);
            for j in 0..5 {
                assert!(
                    (got[j] - r[j]).abs() < 1e-4,
                    "sample {i} feature {j}: {} vs {}",
                    got[j],
                    r[j]
                );
            }
        }
        let p = DeepFoolParams {
            max_iter: 50,
            epsilon: 0.02,
            nb_grads: 10,
            batch_size: 3,
        };
        let out = run(&AttackConfig::Deepfool(p), &mut clf, &x, None);
        let before = clf.predict_classes(x.view());
        let after = clf.predict_classes(out.x_adv.view());
        assert!(
            before.iter().zip(&after).all(|(a, b)| a != b),
            "overshoot crosses the boundary"
        );
    }
}

#[test]
fn newtonfool_lowers_the_predicted_class_score() {
    let mut clf = linear(LinearOutput::Softmax);
    let x = inputs(10, 14);
    let pred = clf.predict_classes(x.view());
    let mut trace = Vec::new();
    let cfg = AttackConfig::Newtonfool(NewtonFoolParams {
        max_iter: 15,
        eta: 0.05,
        batch_size: 4,
    });
    let out = cfg
        .generate(
            &mut clf,
            x.view(),
            None,
            &mut ChaCha8Rng::seed_from_u64(0),
            Some(&mut trace),
        )
        .unwrap();
    assert_eq!(trace.len(), 15);
    let (before, after) = (clf.predict(x.view()), clf.predict(out.x_adv.view()));
    for (i, &c) in pred.iter().enumerate() {
        assert!(after[[i, c]] < before[[i, c]] - 1e-3, "sample {i}");
    }
    assert!(out.x_adv.iter().all(|&v| (0.0..=1.0).contains(&v)));
}
