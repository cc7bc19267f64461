//! Invalid inputs and parameters, and the JSON form of the configuration.

use super::*;
use crate::params::Described;
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

#[test]
fn bad_inputs_are_errors_and_empty_batches_are_fine() {
    let mut clf = linear(LinearOutput::Softmax);
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let configs = [
        AttackConfig::Fgsm(FgsmParams::default()),
        AttackConfig::Pgd(PgdParams {
            max_iter: 2,
            ..Default::default()
        }),
        AttackConfig::Jsma(JsmaParams::default()),
        AttackConfig::Deepfool(DeepFoolParams::default()),
        AttackConfig::Newtonfool(NewtonFoolParams::default()),
        AttackConfig::CwL2(CwL2Params {
            max_iter: 2,
            binary_search_steps: 2,
            ..Default::default()
        }),
        AttackConfig::Apgd(ApgdParams {
            max_iter: 2,
            ..Default::default()
        }),
        AttackConfig::Autoattack(AutoAttackParams::default()),
        AttackConfig::Square(SquareParams {
            max_iter: 2,
            ..Default::default()
        }),
        AttackConfig::Hopskipjump(HopSkipJumpParams {
            max_iter: 1,
            ..Default::default()
        }),
    ];
    let x = inputs(3, 15);
    for cfg in &configs {
        let empty = Array2::<f32>::zeros((0, 5));
        let out = cfg
            .generate(&mut clf, empty.view(), None, &mut rng, None)
            .unwrap();
        assert_eq!(out.x_adv.dim(), (0, 5));
        let e = cfg
            .generate(&mut clf, x.view(), Some(&[0, 1]), &mut rng, None)
            .unwrap_err();
        assert_eq!(
            e,
            AttackError::LabelCount {
                expected: 3,
                got: 2
            },
            "{}",
            cfg.name()
        );
        let e = cfg
            .generate(&mut clf, x.view(), Some(&[0, 1, 7]), &mut rng, None)
            .unwrap_err();
        assert!(e.to_string().contains('7'));
        let wide = Array2::<f32>::zeros((2, 6));
        let e = cfg
            .generate(&mut clf, wide.view(), None, &mut rng, None)
            .unwrap_err();
        assert_eq!(
            e,
            AttackError::FeatureMismatch {
                expected: 5,
                got: 6
            }
        );
    }
    let bad = AttackConfig::Pgd(PgdParams {
        eps: f32::INFINITY,
        ..Default::default()
    });
    let e = bad
        .generate(&mut clf, x.view(), None, &mut rng, None)
        .unwrap_err();
    assert!(e.to_string().contains("inf"), "{e}");
}

#[test]
fn config_json_uses_the_attack_tag_and_art_names() {
    let cfg: AttackConfig =
        serde_json::from_str(r#"{"attack": "pgd", "eps": 0.05, "norm": "2"}"#).unwrap();
    match &cfg {
        AttackConfig::Pgd(p) => assert_eq!((p.eps, p.norm, p.max_iter), (0.05, Norm::L2, 100)),
        other => panic!("wrong variant {other:?}"),
    }
    assert_eq!(cfg.name(), "pgd");
    let json = serde_json::to_string(&AttackConfig::Deepfool(DeepFoolParams::default())).unwrap();
    assert!(json.contains("\"attack\":\"deepfool\"") && json.contains("\"nb_grads\":10"));
    let back: AttackConfig = serde_json::from_str(&json).unwrap();
    assert_eq!(back, AttackConfig::Deepfool(DeepFoolParams::default()));
    assert!(serde_json::from_str::<AttackConfig>(r#"{"attack": "cw"}"#).is_err());
}

#[test]
fn defaults_are_arts() {
    let p = PgdParams::default();
    assert_eq!(
        (p.eps, p.eps_step, p.max_iter, p.num_random_init),
        (0.3, 0.1, 100, 0)
    );
    let d = DeepFoolParams::default();
    assert_eq!(
        (d.max_iter, d.epsilon, d.nb_grads, d.batch_size),
        (100, 1e-6, 10, 1)
    );
    let n = NewtonFoolParams::default();
    assert_eq!((n.max_iter, n.eta), (100, 0.01));
    let j = JsmaParams::default();
    assert_eq!((j.theta, j.gamma), (0.1, 1.0));
    assert!(p.check().is_ok() && d.check().is_ok() && n.check().is_ok());
    assert!(j.check().is_ok() && FgsmParams::default().check().is_ok());
}

#[test]
fn errors_carry_the_offending_value() {
    let bad = FgsmParams {
        eps: -0.5,
        ..Default::default()
    };
    let msg = bad.check().unwrap_err().to_string();
    assert!(msg.contains("eps") && msg.contains("-0.5"), "{msg}");
    let bad = PgdParams {
        eps_step: 0.0,
        ..Default::default()
    };
    assert!(bad.check().unwrap_err().to_string().contains("eps_step"));
    let bad = JsmaParams {
        gamma: 1.5,
        ..Default::default()
    };
    assert!(bad.check().unwrap_err().to_string().contains("1.5"));
    let bad = JsmaParams {
        theta: 0.0,
        ..Default::default()
    };
    assert!(bad.check().unwrap_err().to_string().contains("theta"));
    let bad = DeepFoolParams {
        nb_grads: 0,
        ..Default::default()
    };
    assert!(bad.check().unwrap_err().to_string().contains("nb_grads"));
    let bad = NewtonFoolParams {
        eta: f32::NAN,
        ..Default::default()
    };
    assert!(bad.check().unwrap_err().to_string().contains("NaN"));
    let bad = NewtonFoolParams {
        batch_size: 0,
        ..Default::default()
    };
    assert!(bad.check().unwrap_err().to_string().contains("batch_size"));
    let bad = FgsmParams {
        minimal: true,
        eps: 1.0,
        eps_step: 1e-7,
        ..Default::default()
    };
    assert!(bad.check().is_err());
}

#[test]
fn serde_fills_missing_fields_with_defaults() {
    let p: PgdParams = serde_json::from_str(r#"{"eps": 0.1, "norm": 2}"#).unwrap();
    assert_eq!(p.norm, Norm::L2);
    assert_eq!(p.eps, 0.1);
    assert_eq!(p.max_iter, 100);
}
