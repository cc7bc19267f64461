//! Defence tests: ART's validation rules, the ratio and rotation of the adversarial trainer, the
//! budgets of Madry PGD and fast FGSM, parameter setting for sweeps, and an end-to-end check on
//! real MNIST that adversarial training buys robustness.

use ndarray::{array, s, Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::attacks::test_classifiers::{LinearClassifier, LinearOutput, MlpClassifier};
use crate::attacks::{AttackConfig, FgsmParams, JsmaParams, PgdParams};
use crate::classifier::Classifier;
use crate::params::Raw;
use crate::train::BatchTransform;

fn fgsm(eps: f32) -> AttackConfig {
    AttackConfig::Fgsm(FgsmParams {
        eps,
        ..FgsmParams::default()
    })
}

fn data(n: usize, d: usize, seed: u64) -> (Array2<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = Array2::from_shape_fn((n, d), |_| rng.random_range(0.2f32..0.8));
    let y = (0..n).map(|i| i % 3).collect();
    (x, y)
}

fn linf(a: &Array2<f32>, b: &Array2<f32>) -> f32 {
    (a - b).iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

#[test]
fn the_trainer_validates_like_art() {
    let err = AdversarialTrainer::new(vec![], 0.5).unwrap_err();
    assert!(err.to_string().contains("attacks"), "{err}");
    for ratio in [0.0, -0.1, 1.5, f32::NAN] {
        let err = AdversarialTrainer::new(vec![fgsm(0.1)], ratio).unwrap_err();
        assert!(err.to_string().contains("ratio"), "{err}");
    }
    let targeted = AttackConfig::Pgd(PgdParams {
        targeted: true,
        ..PgdParams::default()
    });
    let err = AdversarialTrainer::new(vec![fgsm(0.1), targeted], 1.0).unwrap_err();
    assert!(
        matches!(err, DefenceError::TargetedAttack { attack: "pgd" }),
        "{err}"
    );
    let err = AdversarialTrainer::new(vec![fgsm(-1.0)], 1.0).unwrap_err();
    assert!(err.to_string().contains("eps"), "{err}");
    let jsma = AttackConfig::Jsma(JsmaParams::default());
    assert!(AdversarialTrainer::new(vec![jsma], 0.5).is_ok());
}

#[test]
fn ceil_of_ratio_times_batch_rows_are_replaced_by_the_attacks_output() {
    let mut clf = MlpClassifier::new(6, 8, 3, true, 1);
    let (x, y) = data(7, 6, 2);
    let mut t = AdversarialTrainer::new(vec![fgsm(0.1)], 0.5).unwrap();
    assert_eq!(t.nb_adv(7), 4);
    assert_eq!(t.nb_adv(1), 1);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let (out, ids) = t.craft_batch(&mut clf, x.clone(), &y, &mut rng).unwrap();
    assert_eq!(ids.len(), 4);
    let ys: Vec<usize> = ids.iter().map(|&i| y[i]).collect();
    let expected = fgsm(0.1)
        .generate(
            &mut clf,
            x.select(Axis(0), &ids).view(),
            Some(&ys),
            &mut rng,
            None,
        )
        .unwrap()
        .x_adv;
    for i in 0..7 {
        match ids.iter().position(|&k| k == i) {
            Some(k) => assert_eq!(out.row(i), expected.row(k), "row {i}"),
            None => assert_eq!(out.row(i), x.row(i), "untouched row {i}"),
        }
    }
    assert_eq!(t.crafted(), 4);
    // A different seed picks different rows at some point.
    let picks: std::collections::HashSet<Vec<usize>> = (0..10)
        .map(|s| {
            let mut r = ChaCha8Rng::seed_from_u64(s);
            t.craft_batch(&mut clf, x.clone(), &y, &mut r).unwrap().1
        })
        .collect();
    assert!(picks.len() > 1);
}

#[test]
fn attacks_rotate_batch_by_batch() {
    let mut clf = MlpClassifier::new(6, 8, 3, true, 4);
    let (x, y) = data(9, 6, 5);
    let mut t = AdversarialTrainer::new(vec![fgsm(0.05), fgsm(0.15)], 1.0).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let sizes: Vec<f32> = (0..4)
        .map(|_| {
            let out = t.craft_batch(&mut clf, x.clone(), &y, &mut rng).unwrap().0;
            linf(&out, &x)
        })
        .collect();
    for (got, want) in sizes.iter().zip([0.05, 0.15, 0.05, 0.15]) {
        assert!((got - want).abs() < 1e-6, "{sizes:?}");
    }
}

#[test]
fn madry_and_fast_fgsm_stay_in_the_ball_and_use_random_starts() {
    let clf = MlpClassifier::new(6, 8, 3, true, 7);
    let (x, y) = data(16, 6, 8);
    for cfg in [
        DefenceConfig::MadryPgd(MadryPgdParams::quick(0.1)),
        DefenceConfig::MadryPgd(MadryPgdParams {
            eps: 0.1,
            max_iter: 5,
            ..MadryPgdParams::default()
        }),
        DefenceConfig::FastFgsm(FastFgsmParams {
            eps: 0.1,
            alpha: None,
        }),
    ] {
        let mut t = cfg.trainer().unwrap();
        assert_eq!(t.ratio(), 1.0);
        let run = |seed| {
            let mut t = cfg.trainer().unwrap();
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            t.craft_batch(&mut clf.clone(), x.clone(), &y, &mut rng)
                .unwrap()
                .0
        };
        let out = t
            .craft_batch(
                &mut clf.clone(),
                x.clone(),
                &y,
                &mut ChaCha8Rng::seed_from_u64(1),
            )
            .unwrap()
            .0;
        assert!(linf(&out, &x) <= 0.1 + 1e-6, "{}", cfg.name());
        assert!(linf(&out, &x) > 0.05, "{} moved the inputs", cfg.name());
        assert_ne!(
            run(1),
            run(2),
            "{}: the random start depends on the seed",
            cfg.name()
        );
        assert_eq!(run(3), run(3), "{}: deterministic for one seed", cfg.name());
    }
    let fast = DefenceConfig::FastFgsm(FastFgsmParams::default());
    match &fast.attacks_and_ratio().0[0] {
        AttackConfig::Pgd(p) => {
            assert_eq!((p.max_iter, p.num_random_init), (1, 1));
            assert!((p.eps_step - 1.25 * p.eps).abs() < 1e-6);
        }
        other => panic!("fast FGSM should be one PGD step, got {other:?}"),
    }
}

#[test]
fn defence_configs_parse_with_data_range_defaults_and_reject_bad_values() {
    let madry: DefenceConfig = serde_json::from_str(r#"{"method":"madry-pgd"}"#).unwrap();
    assert_eq!(madry, DefenceConfig::MadryPgd(MadryPgdParams::default()));
    assert_eq!(
        MadryPgdParams::default(),
        MadryPgdParams {
            eps: 0.3,
            eps_step: 0.01,
            max_iter: 40,
            num_random_init: 1
        }
    );
    let adv: DefenceConfig = serde_json::from_str(
        r#"{"method":"adv-trainer","attacks":[{"attack":"fgsm","eps":0.1},{"attack":"deepfool"}],"ratio":0.25}"#,
    )
    .unwrap();
    let (attacks, ratio) = adv.attacks_and_ratio();
    assert_eq!((attacks.len(), ratio), (2, 0.25));
    assert_eq!(attacks[0], fgsm(0.1));
    assert!(serde_json::from_str::<DefenceConfig>(r#"{"method":"feature-squeezing"}"#).is_err());
    let bad = [
        DefenceConfig::MadryPgd(MadryPgdParams {
            max_iter: 0,
            ..MadryPgdParams::default()
        }),
        DefenceConfig::MadryPgd(MadryPgdParams {
            eps_step: 0.0,
            ..MadryPgdParams::default()
        }),
        DefenceConfig::FastFgsm(FastFgsmParams {
            eps: 0.1,
            alpha: Some(f32::INFINITY),
        }),
        DefenceConfig::AdvTrainer(AdvTrainerParams {
            attacks: vec![fgsm(0.1)],
            ratio: 2.0,
        }),
    ];
    for cfg in bad {
        let err = cfg.trainer().unwrap_err().to_string();
        assert!(err.contains("invalid parameter"), "{err}");
    }
}

#[test]
fn set_param_changes_one_numeric_parameter_and_validates_it() {
    let pgd = AttackConfig::Pgd(PgdParams::default());
    match set_param(&pgd, "max_iter", Raw::Float(12.0)).unwrap() {
        AttackConfig::Pgd(p) => assert_eq!(p.max_iter, 12),
        other => panic!("{other:?}"),
    }
    match set_param(&pgd, "eps", Raw::Float(0.25)).unwrap() {
        AttackConfig::Pgd(p) => assert_eq!((p.eps, p.max_iter), (0.25, 100)),
        other => panic!("{other:?}"),
    }
    let jsma = AttackConfig::Jsma(JsmaParams::default());
    match set_param(&jsma, "theta", Raw::Float(-0.3)).unwrap() {
        AttackConfig::Jsma(p) => assert_eq!(p.theta, -0.3),
        other => panic!("{other:?}"),
    }
    let err = set_param(&pgd, "max_iter", Raw::Float(2.5))
        .unwrap_err()
        .to_string();
    assert!(err.contains("2.5"), "{err}");
    let err = set_param(&jsma, "eps", Raw::Float(0.1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("theta") && err.contains("gamma"), "{err}");
    assert!(!err.contains("batch_size"), "{err}");
    let err = set_param(&pgd, "eps", Raw::Float(-1.0))
        .unwrap_err()
        .to_string();
    assert!(err.contains("eps") && err.contains("-1"), "{err}");
    assert!(
        set_param(&pgd, "norm", Raw::Float(2.0)).is_err(),
        "norm is not numeric"
    );
}

#[test]
fn a_sweep_starts_at_clean_accuracy_falls_with_eps_and_does_not_depend_on_chunking() {
    let w = array![[3.0f32, -2.0, 1.0, 0.5], [-1.0, 2.5, -0.5, 1.0]];
    let mut clf = LinearClassifier::new(w, array![0.1, -0.1], LinearOutput::Softmax, (0.0, 1.0));
    let (x, _) = data(60, 4, 9);
    let y = clf.predict_classes(x.view());
    let values = [0.0, 0.05, 0.1, 0.2, 0.4];
    let points = sweep(
        &mut clf,
        x.view(),
        &y,
        &fgsm(0.1),
        "eps",
        &values,
        1,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(points.len(), 5);
    assert_eq!(points[0].metrics.adversarial_accuracy, 1.0);
    assert_eq!(points[0].metrics.linf_max, 0.0);
    for pair in points.windows(2) {
        assert!(pair[1].metrics.adversarial_accuracy <= pair[0].metrics.adversarial_accuracy);
    }
    assert!(points[4].metrics.adversarial_accuracy < 0.5, "{points:?}");
    let mut run = RobustnessSweep::new(&fgsm(0.1), "eps", &values, 60, 7, 1).unwrap();
    let mut steps = 0;
    while !run.is_done() {
        assert!(run.fraction() < 1.0);
        run.step(&mut clf, x.view(), &y).unwrap();
        steps += 1;
    }
    // Nine chunks of clean predictions, then one FGSM step per chunk and value.
    assert_eq!(steps, 9 + 5 * 9);
    assert_eq!(run.fraction(), 1.0);
    assert_eq!(run.points(), &points[..]);
    assert!(RobustnessSweep::new(&fgsm(0.1), "eps", &[], 60, 7, 1).is_err());
    assert!(RobustnessSweep::new(&fgsm(0.1), "eps", &[0.1, -0.2], 60, 7, 1).is_err());
}

/// Real data, end to end: on an MNIST subset, FGSM adversarial training (ratio 0.5, the report's
/// Table 1 defence) keeps far more accuracy under a white-box FGSM attack than clean training.
#[test]
fn fgsm_adversarial_training_buys_robustness_on_mnist() {
    use crate::data::files::{datasets_dir, load_dataset};
    use crate::nn::{presets::preset, Model};
    use crate::train::{fit, TrainConfig};
    let ds = load_dataset("mnist", &datasets_dir())
        .unwrap()
        .subset(3000, 500);
    let p = preset("mnist-mlp").unwrap();
    let cfg = TrainConfig {
        epochs: 4,
        batch_size: 32,
        seed: 1,
    };
    let attack = fgsm(0.2);
    let train = |defence: Option<DefenceConfig>| {
        let mut m = Model::new(p.spec.clone(), 1).unwrap();
        m.set_optimizer(p.optimizer).unwrap();
        let mut t = defence.map(|d| d.trainer().unwrap());
        let t = t.as_mut().map(|t| t as &mut dyn BatchTransform);
        let cancel = Default::default();
        fit(
            &mut m,
            ds.x_train.view(),
            &ds.y_train,
            &cfg,
            t,
            &mut |_| {},
            &cancel,
        )
        .unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let x = ds.x_test.slice(s![.., ..]);
        let adv = attack.generate(&mut m, x, None, &mut rng, None).unwrap();
        let clean = crate::classifier::accuracy(&m.predict(x), &ds.y_test);
        let robust = crate::classifier::accuracy(&m.predict(adv.x_adv.view()), &ds.y_test);
        (clean, robust)
    };
    let (clean_u, robust_u) = train(None);
    let (clean_d, robust_d) = train(Some(DefenceConfig::AdvTrainer(AdvTrainerParams::default())));
    assert!(
        clean_u > 0.85 && clean_d > 0.8,
        "clean {clean_u} / {clean_d}"
    );
    assert!(robust_u < 0.3, "undefended under FGSM 0.2: {robust_u}");
    assert!(
        robust_d > robust_u + 0.3,
        "defended {robust_d} vs undefended {robust_u}"
    );
}
