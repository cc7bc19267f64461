//! The five newer attacks as runs: the same seed gives the same result, a run stepped one step
//! at a time with other work in between gives what `generate` gives (frames included), and bad
//! parameters are refused naming the parameter and its value.

use super::nonlinear::trained;
use super::*;
use crate::attacks::test_classifiers::MlpClassifier;
use crate::params::Raw;
use ndarray::Array2;

/// Small budgets of each attack.
fn configs() -> Vec<AttackConfig> {
    vec![
        AttackConfig::CwL2(CwL2Params {
            binary_search_steps: 3,
            max_iter: 4,
            batch_size: 7,
            ..Default::default()
        }),
        AttackConfig::Apgd(ApgdParams {
            eps: 0.08,
            eps_step: 0.16,
            max_iter: 6,
            nb_random_init: 2,
            ..Default::default()
        }),
        AttackConfig::Autoattack(AutoAttackParams {
            eps: 0.1,
            ..Default::default()
        }),
        AttackConfig::Square(SquareParams {
            eps: 0.1,
            max_iter: 30,
            nb_restarts: 2,
            ..Default::default()
        }),
        AttackConfig::Hopskipjump(HopSkipJumpParams {
            max_iter: 3,
            max_eval: 200,
            ..Default::default()
        }),
    ]
}

fn generate(
    cfg: &AttackConfig,
    m: &mut MlpClassifier,
    x: &Array2<f32>,
    seed: u64,
) -> (AttackOutput, Vec<Array2<f32>>) {
    let mut trace = Vec::new();
    let out = cfg
        .generate(
            m,
            x.view(),
            None,
            &mut ChaCha8Rng::seed_from_u64(seed),
            Some(&mut trace),
        )
        .unwrap();
    (out, trace)
}

#[test]
fn the_same_seed_gives_the_same_result() {
    let (mut m, x, _) = trained(true);
    let x = x.slice(ndarray::s![..12, ..]).to_owned();
    for cfg in configs() {
        let (a, _) = generate(&cfg, &mut m, &x, 3);
        let (b, _) = generate(&cfg, &mut m, &x, 3);
        assert_eq!(a, b, "{}", cfg.name());
        if cfg.name() != "cw-l2" {
            let (c, _) = generate(&cfg, &mut m, &x, 4);
            assert_ne!(a.x_adv, c.x_adv, "{} depends on its seed", cfg.name());
        }
    }
}

#[test]
fn a_paused_run_gives_what_an_unpaused_one_gives() {
    let (mut m, x, _) = trained(true);
    let x = x.slice(ndarray::s![..12, ..]).to_owned();
    let other = AttackConfig::Pgd(PgdParams {
        max_iter: 1000,
        ..Default::default()
    })
    .check()
    .unwrap();
    for cfg in configs() {
        let (want, want_frames) = generate(&cfg, &mut m, &x, 9);
        let mut run = cfg
            .check()
            .unwrap()
            .start(&mut m, x.view(), None, ChaCha8Rng::seed_from_u64(9))
            .unwrap();
        // another attack uses the same classifier between every two steps
        let mut busy = other
            .start(&mut m, x.view(), None, ChaCha8Rng::seed_from_u64(1))
            .unwrap();
        let (mut frames, mut last) = (Vec::new(), 0.0);
        while !run.is_done() {
            let step = run.step(&mut m).unwrap();
            if step.frame {
                frames.push(run.current());
            }
            busy.step(&mut m).unwrap();
            assert!(
                run.fraction() >= last,
                "{}: progress goes forward",
                cfg.name()
            );
            last = run.fraction();
            if let Some(q) = run.queries() {
                assert_eq!(q.len(), 12);
            }
        }
        assert!(run.step(&mut m).unwrap().done);
        assert_eq!(run.finish(), want, "{}", cfg.name());
        assert_eq!(frames, want_frames, "{}", cfg.name());
        assert!(!frames.is_empty(), "{} can be stepped through", cfg.name());
        assert_eq!(
            frames.last(),
            Some(&want.x_adv),
            "{} ends on its result",
            cfg.name()
        );
    }
}

#[test]
fn bad_parameters_are_refused_naming_the_value() {
    let f = |k: &str, v: Raw| vec![(k.to_string(), v)];
    for (attack, fields, want) in [
        (
            "cw-l2",
            f("learning_rate", Raw::Float(f64::NAN)),
            "learning_rate = NaN",
        ),
        (
            "cw-l2",
            f("confidence", Raw::Float(f64::INFINITY)),
            "confidence = inf",
        ),
        (
            "cw-l2",
            f("binary_search_steps", Raw::Int(101)),
            "binary_search_steps = 101",
        ),
        ("cw-l2", f("max_halving", Raw::Int(0)), "max_halving = 0"),
        (
            "cw-l2",
            f("initial_const", Raw::Float(0.0)),
            "initial_const = 0",
        ),
        (
            "apgd",
            f("nb_random_init", Raw::Int(0)),
            "nb_random_init = 0",
        ),
        (
            "apgd",
            f("loss_type", Raw::Str("hinge".into())),
            "loss_type = \"hinge\"",
        ),
        (
            "apgd",
            f("eps", Raw::Float(f64::NEG_INFINITY)),
            "eps = -inf",
        ),
        ("apgd", f("max_iter", Raw::Int(1001)), "max_iter = 1001"),
        (
            "autoattack",
            f("eps_step", Raw::Float(f64::NAN)),
            "eps_step = NaN",
        ),
        (
            "autoattack",
            f("max_iter", Raw::Int(5)),
            "autoattack has no parameter",
        ),
        ("square", f("norm", Raw::Int(1)), "norm = 1"),
        (
            "square",
            f("p_init", Raw::Float(1.0)),
            "p_init = 1: must be less than 1",
        ),
        (
            "square",
            f("max_iter", Raw::Int(10_001)),
            "max_iter = 10001",
        ),
        (
            "hopskipjump",
            f("norm", Raw::Str("1".into())),
            "norm = 1: must be one of 2, inf",
        ),
        (
            "hopskipjump",
            f("max_eval", Raw::Float(1e9)),
            "max_eval = 1000000000",
        ),
        (
            "hopskipjump",
            f("init_eval", Raw::Int(20_000)),
            "init_eval = 20000: must be at most max_eval",
        ),
        ("hopskipjump", f("init_size", Raw::Int(0)), "init_size = 0"),
    ] {
        let e = AttackConfig::from_fields(attack, &fields).unwrap_err();
        assert!(e.to_string().contains(want), "{attack}: {e}");
    }
    let apgd: AttackConfig = serde_json::from_str(
        r#"{"attack": "apgd", "loss_type": "difference_logits_ratio", "norm": 2}"#,
    )
    .unwrap();
    let json = serde_json::to_value(&apgd).unwrap();
    assert_eq!(json["loss_type"], "difference_logits_ratio");
    let cw: AttackConfig = serde_json::from_str(r#"{"attack": "cw-l2"}"#).unwrap();
    assert_eq!(cw.name(), "cw-l2");
    assert_eq!(serde_json::to_value(&cw).unwrap()["attack"], "cw-l2");
}

#[test]
fn defaults_are_arts() {
    let c = CwL2Params::default();
    assert_eq!(
        (
            c.confidence,
            c.learning_rate,
            c.binary_search_steps,
            c.max_iter
        ),
        (0.0, 0.01, 10, 10)
    );
    assert_eq!(
        (c.initial_const, c.max_halving, c.max_doubling, c.batch_size),
        (0.01, 5, 5, 1)
    );
    let a = ApgdParams::default();
    assert_eq!(
        (
            a.eps,
            a.eps_step,
            a.max_iter,
            a.nb_random_init,
            a.batch_size
        ),
        (0.3, 0.1, 100, 5, 32)
    );
    let s = SquareParams::default();
    assert_eq!(
        (s.eps, s.max_iter, s.p_init, s.nb_restarts, s.batch_size),
        (0.3, 100, 0.8, 1, 128)
    );
    let h = HopSkipJumpParams::default();
    assert_eq!(
        (
            h.norm,
            h.max_iter,
            h.max_eval,
            h.init_eval,
            h.init_size,
            h.batch_size
        ),
        (Norm::L2, 50, 10000, 100, 100, 64)
    );
    let auto = AutoAttackParams::default();
    assert_eq!(
        (auto.norm, auto.eps, auto.eps_step, auto.batch_size),
        (Norm::Inf, 0.3, 0.1, 32)
    );
}
