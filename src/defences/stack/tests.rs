//! Stack tests: identities, the three gradient modes, naive gradients against finite
//! differences, EOT with no randomness equal to the plain attack, configuration errors.

use ndarray::{Array2, ArrayView2};

use super::*;
use crate::attacks::{AttackConfig, PgdParams};
use crate::classifier::{ClassSelection, Classifier};
use crate::defences::postprocess::{HighConfidenceParams, ReverseSigmoidParams};
use crate::defences::preprocess::{
    FeatureSqueezingParams, GaussianAugmentationParams, SpatialSmoothingParams,
};
use crate::nn::{Model, ModelSpec};
use rand::SeedableRng;

/// A small image model: `[4, 4, 1]` → 3 classes.
fn image_model(softmax: bool) -> Model {
    let act = if softmax {
        r#","activation":"softmax""#
    } else {
        ""
    };
    let spec = ModelSpec::from_json(&format!(
        r#"{{"input_shape":[4,4,1],"clip_values":[0,1],"labels":["a","b","c"],"layers":[
            {{"type":"flatten"}},{{"type":"dense","units":8,"activation":"relu"}},
            {{"type":"dense","units":3{act}}}]}}"#
    ))
    .unwrap();
    Model::new(spec, 7).unwrap()
}

/// Inputs on the 8-bit grid.
fn grid_inputs(n: usize) -> Array2<f32> {
    Array2::from_shape_fn((n, 16), |(i, j)| ((i * 37 + j * 101) % 256) as f32 / 255.0)
}

fn stack(pieces: Vec<StackPiece>, mode: Adaptive) -> Stack<Model> {
    let mut s = Stack::new(image_model(true), &StackConfig { pieces }, 1).unwrap();
    s.set_adaptive(AdaptiveSettings::of(mode, 5));
    s
}

fn max_diff(a: ArrayView2<f32>, b: ArrayView2<f32>) -> f32 {
    (&a - &b).iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

#[test]
fn identity_pre_processors_leave_predictions_and_bpda_gradients_unchanged() {
    let x = grid_inputs(5);
    let y = [0, 1, 2, 1, 0];
    let mut plain = image_model(true);
    let g_plain = plain.loss_gradient(x.view(), &y);
    let c_plain = plain.class_gradient(x.view(), ClassSelection::All);
    for piece in [
        StackPiece::FeatureSqueezing(FeatureSqueezingParams { bit_depth: 8 }),
        StackPiece::SpatialSmoothing(SpatialSmoothingParams { window_size: 1 }),
    ] {
        let mut s = stack(vec![piece.clone()], Adaptive::Bpda);
        assert_eq!(
            s.predict(x.view()),
            plain.predict(x.view()),
            "{}",
            piece.name()
        );
        assert_eq!(s.loss_gradient(x.view(), &y), g_plain, "{}", piece.name());
        let c = s.class_gradient(x.view(), ClassSelection::All);
        assert_eq!(c.dim(), c_plain.dim());
        let d = (&c - &c_plain).iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(d < 1e-5, "{}: {d}", piece.name());
    }
}

#[test]
fn feature_squeezing_masks_the_naive_gradient_and_bpda_recovers_it() {
    let x = grid_inputs(4);
    let y = [0, 1, 2, 1];
    let fs = StackPiece::FeatureSqueezing(FeatureSqueezingParams { bit_depth: 1 });
    let mut naive = stack(vec![fs.clone()], Adaptive::None);
    assert!(naive.loss_gradient(x.view(), &y).iter().all(|v| *v == 0.0));
    let mut bpda = stack(vec![fs], Adaptive::Bpda);
    let g = bpda.loss_gradient(x.view(), &y);
    // BPDA: the model's gradient at the squeezed input.
    let squeezed = FeatureSqueezingParams { bit_depth: 1 }.apply(x.view(), (0.0, 1.0));
    assert_eq!(g, image_model(true).loss_gradient(squeezed.view(), &y));
    assert!(g.iter().any(|v| *v != 0.0));
}

#[test]
fn naive_gradient_through_post_processors_matches_finite_differences() {
    let x = Array2::from_shape_fn((2, 16), |(i, j)| {
        0.2 + 0.6 * (((i * 5 + j * 3) % 7) as f32 / 7.0)
    });
    let y = [1, 2];
    let pieces = vec![
        StackPiece::ReverseSigmoid(ReverseSigmoidParams {
            beta: 0.5,
            gamma: 0.3,
        }),
        StackPiece::HighConfidence(HighConfidenceParams { cutoff: 0.01 }),
    ];
    for softmax in [true, false] {
        let mut s = Stack::new(
            image_model(softmax),
            &StackConfig {
                pieces: pieces.clone(),
            },
            1,
        )
        .unwrap();
        let g = s.loss_gradient(x.view(), &y);
        let loss = |x: &Array2<f32>| -> f64 {
            let p = s.predict(x.view());
            y.iter()
                .enumerate()
                .map(|(i, &c)| -f64::from(p[[i, c]].max(1e-7)).ln())
                .sum()
        };
        let h = 1e-3;
        for j in [0, 3, 7, 12] {
            for i in 0..2 {
                let mut xp = x.clone();
                xp[[i, j]] += h;
                let mut xm = x.clone();
                xm[[i, j]] -= h;
                let fd = ((loss(&xp) - loss(&xm)) / (2.0 * f64::from(h))) as f32;
                assert!(
                    (fd - g[[i, j]]).abs() < 2e-2 * (1.0 + fd.abs()),
                    "softmax {softmax} ({i},{j}): {fd} vs {}",
                    g[[i, j]]
                );
            }
        }
    }
}

#[test]
fn class_labels_hide_the_naive_gradient_but_not_the_bpda_one() {
    let x = grid_inputs(3);
    let y = [0, 1, 2];
    let cl = StackPiece::ClassLabels(ClassLabelsParams {});
    let mut naive = stack(vec![cl.clone()], Adaptive::None);
    let p = naive.predict(x.view());
    assert!(p.iter().all(|v| *v == 0.0 || *v == 1.0));
    assert!(naive.loss_gradient(x.view(), &y).iter().all(|v| *v == 0.0));
    let mut bpda = stack(vec![cl], Adaptive::Bpda);
    assert_eq!(
        bpda.loss_gradient(x.view(), &y),
        image_model(true).loss_gradient(x.view(), &y)
    );
}

#[test]
fn eot_with_sigma_0_is_the_plain_attack() {
    let x = grid_inputs(6);
    let y = [0, 1, 2, 0, 1, 2];
    let pgd = AttackConfig::Pgd(PgdParams {
        eps: 0.2,
        eps_step: 0.05,
        max_iter: 5,
        num_random_init: 1,
        ..PgdParams::default()
    });
    let run = |clf: &mut dyn Classifier| {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        pgd.generate(clf, x.view(), Some(&y), &mut rng, None)
            .unwrap()
            .x_adv
    };
    let mut plain = image_model(true);
    let ga = StackPiece::GaussianAugmentation(GaussianAugmentationParams { sigma: 0.0 });
    let mut eot = stack(vec![ga], Adaptive::Eot);
    assert_eq!(run(&mut eot), run(&mut plain));
}

#[test]
fn eot_averages_random_draws() {
    let x = grid_inputs(2);
    let y = [0, 1];
    let ga = StackPiece::GaussianAugmentation(GaussianAugmentationParams { sigma: 0.3 });
    let spread = |mode: Adaptive, samples: usize| -> f32 {
        let mut s = Stack::new(
            image_model(true),
            &StackConfig {
                pieces: vec![ga.clone()],
            },
            3,
        )
        .unwrap();
        s.set_adaptive(AdaptiveSettings::of(mode, samples));
        let a = s.loss_gradient(x.view(), &y);
        let b = s.loss_gradient(x.view(), &y);
        max_diff(a.view(), b.view())
    };
    // One draw: two calls disagree a lot; 100 draws: much less.
    assert!(spread(Adaptive::Eot, 100) < 0.5 * spread(Adaptive::Bpda, 1));
}

#[test]
fn detector_aware_gradient_adds_the_detectors() {
    use crate::defences::detector::{BinaryInputDetector, DetectorParams};
    let x = grid_inputs(3);
    let y = [0, 1, 2];
    let params = DetectorParams {
        arch: Some("mnist-linear".into()),
        ..DetectorParams::default()
    };
    // A detector on 4x4 images: reuse the classifier's architecture through a custom spec.
    let det = BinaryInputDetector {
        model: {
            let spec = ModelSpec::from_json(
                r#"{"input_shape":[4,4,1],"clip_values":[0,1],"labels":["clean","adversarial"],"layers":[
                {"type":"flatten"},{"type":"dense","units":2,"activation":"softmax"}]}"#,
            )
            .unwrap();
            Model::new(spec, 3).unwrap()
        },
        threshold: params.threshold,
    };
    let mut s = stack(Vec::new(), Adaptive::None);
    s.set_detector(Some(det.clone()));
    let plain = s.loss_gradient(x.view(), &y);
    s.set_adaptive(AdaptiveSettings {
        detector_aware: true,
        ..AdaptiveSettings::default()
    });
    let aware = s.loss_gradient(x.view(), &y);
    let mut d = det;
    let expected = plain + d.loss_gradient_adversarial(x.view());
    assert!(max_diff(aware.view(), expected.view()) < 1e-6);
    assert_eq!(s.detector_scores(x.view()).unwrap().len(), 3);
}

#[test]
fn configurations_are_checked_and_errors_name_the_value() {
    let e = StackConfig::from_raw(&crate::params::Raw::Map(vec![(
        "pieces".into(),
        crate::params::Raw::Seq(vec![crate::params::Raw::Map(vec![(
            "method".into(),
            crate::params::Raw::Str("jpeg".into()),
        )])]),
    )]))
    .unwrap_err()
    .to_string();
    assert!(e.contains("method = \"jpeg\""), "{e}");
    let cfg: StackConfig = serde_json::from_str(
        r#"{"pieces":[{"method":"rounded"},{"method":"feature-squeezing","bit_depth":2}]}"#,
    )
    .unwrap();
    assert_eq!(cfg.pre().len(), 1);
    assert_eq!(cfg.post().len(), 1);
    let back: StackConfig = serde_json::from_value(serde_json::to_value(&cfg).unwrap()).unwrap();
    assert_eq!(back, cfg);
    let e =
        serde_json::from_str::<StackConfig>(r#"{"pieces":[{"method":"rounded","decimals":0}]}"#)
            .unwrap_err()
            .to_string();
    assert!(e.contains("decimals = 0"), "{e}");
    let too_many = format!(
        r#"{{"pieces":[{}]}}"#,
        [r#"{"method":"rounded"}"#; 9].join(",")
    );
    assert!(serde_json::from_str::<StackConfig>(&too_many).is_err());
    // Spatial smoothing needs images.
    let spec = crate::nn::presets::preset("iris-seed").unwrap().spec;
    let iris = Model::new(spec, 0).unwrap();
    let ss = StackConfig {
        pieces: vec![StackPiece::SpatialSmoothing(
            SpatialSmoothingParams::default(),
        )],
    };
    let e = Stack::new(iris, &ss, 0).unwrap_err().to_string();
    assert!(e.contains("[4]"), "{e}");
}
