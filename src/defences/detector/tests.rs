//! Detector tests on a toy dataset: a detector trained on FGSM examples of a small network tells
//! them from clean inputs, the job pauses and resumes to the same result, bad settings are named.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::attacks::{AttackConfig, FgsmParams};
use crate::defences::stack::{AdaptiveSettings, Stack};
use crate::params::{Described, Raw};

/// Four features in the middle of `[0, 1]`; the class is which of the first three is largest.
fn toy(n: usize, seed: u64) -> (Array2<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = Array2::from_shape_fn((n, 4), |_| rng.random_range(0.35f32..0.65));
    let y = x
        .rows()
        .into_iter()
        .map(|r| (0..3).max_by(|&a, &b| r[a].total_cmp(&r[b])).unwrap_or(0))
        .collect();
    (x, y)
}

fn classifier() -> crate::nn::Model {
    let spec = crate::nn::presets::preset("iris-linear").unwrap().spec;
    crate::nn::Model::new(spec, 1).unwrap()
}

fn params() -> DetectorParams {
    DetectorParams {
        attack: AttackConfig::Fgsm(FgsmParams {
            eps: 0.3,
            ..FgsmParams::default()
        }),
        arch: Some("iris-seed".into()),
        epochs: 60,
        batch_size: 32,
        learning_rate: 0.01,
        train_limit: 300,
        test_limit: 200,
        ..DetectorParams::default()
    }
}

#[test]
fn detector_separates_fgsm_examples_from_clean_inputs() {
    let (xtr, ytr) = toy(300, 1);
    let (xte, yte) = toy(200, 2);
    let mut clf = classifier();
    let job = DetectorTraining::new(params(), &clf, xtr.view(), &ytr, xte.view(), &yte).unwrap();
    let (det, report) = job.run_to_end(&mut clf).unwrap();
    assert_eq!(report.test_samples, 200);
    assert_eq!(report.train_samples, 300);
    assert!(report.detection_rate > 0.8, "{report:?}");
    assert!(report.false_positive_rate < 0.2, "{report:?}");
    let s = det.scores(xte.view());
    assert_eq!(s.len(), 200);
    assert!(s.iter().all(|v| (0.0..=1.0).contains(v)));

    // A detector-aware attacker lowers the detection rate.
    let mut stack = Stack::plain(classifier());
    stack.set_detector(Some(det.clone()));
    stack.set_adaptive(AdaptiveSettings {
        detector_aware: true,
        ..AdaptiveSettings::default()
    });
    let pgd = AttackConfig::Pgd(crate::attacks::PgdParams {
        eps: 0.3,
        eps_step: 0.02,
        max_iter: 30,
        ..Default::default()
    })
    .check()
    .unwrap();
    let aware = evaluate_detector(&det, &mut stack, &pgd, xte.view(), &yte, 0).unwrap();
    let mut plain_stack = Stack::plain(classifier());
    let naive = evaluate_detector(&det, &mut plain_stack, &pgd, xte.view(), &yte, 0).unwrap();
    assert!(
        aware.detection_rate < naive.detection_rate,
        "{aware:?} vs {naive:?}"
    );
}

#[test]
fn the_job_pauses_and_resumes_to_the_same_detector() {
    let (xtr, ytr) = toy(60, 3);
    let (xte, yte) = toy(40, 4);
    let p = DetectorParams {
        epochs: 2,
        train_limit: 60,
        test_limit: 40,
        ..params()
    };
    let mut clf = classifier();
    let whole = DetectorTraining::new(p.clone(), &clf, xtr.view(), &ytr, xte.view(), &yte)
        .unwrap()
        .run_to_end(&mut clf)
        .unwrap();
    let mut job = DetectorTraining::new(p, &clf, xtr.view(), &ytr, xte.view(), &yte).unwrap();
    let mut slices = 0;
    let sliced = loop {
        slices += 1;
        if let Some(done) = job.advance(&mut clf, &mut || true).unwrap() {
            break done;
        }
        assert!(job.fraction() <= 1.0);
    };
    assert!(slices > 3);
    assert_eq!(sliced.1, whole.1);
    assert_eq!(sliced.0.model.tensors(), whole.0.model.tensors());
}

#[test]
fn bad_settings_are_refused_naming_the_value() {
    let e = DetectorParams::from_fields(&[("threshold".into(), Raw::Float(1.5))])
        .unwrap_err()
        .to_string();
    assert!(e.contains("threshold = 1.5"), "{e}");
    let clf = classifier();
    let (x, y) = toy(5, 0);
    let p = DetectorParams {
        arch: Some("mnist-small".into()),
        ..params()
    };
    let e = DetectorTraining::new(p, &clf, x.view(), &y, x.view(), &y)
        .unwrap_err()
        .to_string();
    assert!(e.contains("arch = \"mnist-small\""), "{e}");
    let targeted = AttackConfig::Fgsm(FgsmParams {
        targeted: true,
        ..FgsmParams::default()
    });
    let p = DetectorParams {
        attack: targeted,
        ..params()
    };
    assert!(p.check().unwrap_err().to_string().contains("targeted"));
}
