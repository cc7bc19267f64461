//! The three jobs end to end: training (with progress, cancel, busy and a defence), attacks with
//! traces and the transfer setting, and robustness sweeps.

use super::helpers::*;
use crate::attacks::{AttackConfig, FgsmParams, PgdParams};
use crate::defences::{AdvTrainerParams, DefenceConfig};
use crate::protocol::{AttackSettings, Event, Request, Samples, Slot, SweepSettings};

#[test]
fn iris_trains_to_the_report_s_accuracy_with_rising_progress() {
    let mut s = session_with(&["iris"]);
    let events = run(
        &mut s,
        Request::Train {
            id: 1,
            slot: Slot::Undefended,
            settings: settings("iris", "iris-seed", 500),
            parts: None,
        },
        25,
    );
    let fractions: Vec<f32> = events
        .iter()
        .filter_map(|e| match e {
            Event::Progress { fraction, .. } => Some(*fraction),
            _ => None,
        })
        .collect();
    assert!(fractions.len() > 20, "{} progress events", fractions.len());
    assert!(
        fractions.windows(2).all(|w| w[1] >= w[0]),
        "progress never goes back"
    );
    match last(&events) {
        Event::Trained { id: 1, model } => {
            assert!(model.test_accuracy >= 0.9, "{model:?}");
            assert_eq!(
                (model.test_samples, model.train_samples, model.epochs),
                (45, 105, 500)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cancel_stops_training_and_keeps_the_previous_model() {
    let mut s = session_with(&["iris"]);
    let first = train(
        &mut s,
        Slot::Undefended,
        settings("iris", "iris-linear", 30),
    );
    let ev = s.handle(Request::Train {
        id: 7,
        slot: Slot::Undefended,
        settings: settings("iris", "iris-seed", 500),
        parts: None,
    });
    assert!(matches!(ev[0], Event::Progress { id: 7, .. }));
    s.tick(&mut || true);
    let busy = s.handle(Request::Attack {
        id: 8,
        settings: fgsm_on_test("iris", 0.1, 1),
    });
    assert!(
        error_of(&busy)
            .0
            .contains("another job is running (training)"),
        "{busy:?}"
    );
    assert_eq!(
        s.handle(Request::Cancel { id: 9 }),
        vec![Event::Cancelled { id: 7, by: 9 }]
    );
    assert!(!s.busy());
    let kept = s.store().entry(Slot::Undefended).unwrap();
    assert_eq!(
        (kept.info.arch.as_str(), kept.info.test_accuracy),
        ("iris-linear", first)
    );
    let nothing = s.handle(Request::Cancel { id: 10 });
    assert!(error_of(&nothing).0.contains("nothing to cancel"));
}

fn fgsm_on_test(dataset: &str, eps: f32, count: usize) -> AttackSettings {
    AttackSettings {
        adaptive: None,
        dataset: dataset.into(),
        model: Slot::Undefended,
        samples: Samples::Test { start: 0, count },
        attack: AttackConfig::Fgsm(FgsmParams {
            eps,
            ..FgsmParams::default()
        }),
        targets: None,
        seed: 0,
        trace: false,
        parts: None,
    }
}

#[test]
fn mnist_attacks_report_eps_as_linf_traces_and_the_transfer_setting() {
    let mut s = session_with(&["mnist"]);
    let mut t = settings("mnist", "mnist-small", 1);
    t.train_limit = Some(3000);
    t.test_limit = Some(500);
    assert!(train(&mut s, Slot::Undefended, t.clone()) > 0.75);
    t.defence = Some(DefenceConfig::AdvTrainer(AdvTrainerParams::default()));
    assert!(train(&mut s, Slot::Defended, t) > 0.6);
    let events = run(
        &mut s,
        Request::Attack {
            id: 3,
            settings: fgsm_on_test("mnist", 0.15, 20),
        },
        1,
    );
    let Event::AttackDone { result, .. } = last(&events) else {
        panic!("{events:?}")
    };
    assert_eq!(
        (result.n, result.d, result.x_adv.len()),
        (20, 784, 20 * 784)
    );
    assert!(
        result.norms.linf.iter().all(|&v| (v - 0.15).abs() < 1e-5),
        "{:?}",
        result.norms.linf
    );
    let (u, d) = (result.undefended.unwrap(), result.defended.unwrap());
    assert_eq!(
        (u.n, d.n),
        (20, 20),
        "both models are measured on the same examples"
    );
    assert!(result.adv_scores.defended.as_ref().unwrap().len() == 200);
    let mut pgd = fgsm_on_test("mnist", 0.1, 3);
    pgd.attack = AttackConfig::Pgd(PgdParams {
        eps: 0.1,
        eps_step: 0.02,
        max_iter: 12,
        ..PgdParams::default()
    });
    pgd.trace = true;
    let events = run(
        &mut s,
        Request::Attack {
            id: 4,
            settings: pgd,
        },
        1,
    );
    let Event::AttackDone { result, .. } = last(&events) else {
        panic!("{events:?}")
    };
    let trace = result.trace.as_ref().unwrap();
    assert_eq!(
        trace.frames, 13,
        "the clean sample and one frame per iteration"
    );
    assert_eq!(trace.x.len(), 13 * 784);
    assert_eq!(
        &trace.x.0[12 * 784..],
        &result.x_adv.0[..784],
        "the last frame is the result"
    );
    assert_eq!(trace.scores.undefended.as_ref().unwrap().len(), 130);
    let mut many = fgsm_on_test("mnist", 0.1, 100);
    many.model = Slot::Defended;
    let events = run(
        &mut s,
        Request::Attack {
            id: 5,
            settings: many,
        },
        1,
    );
    let Event::AttackDone { result, .. } = last(&events) else {
        panic!("{events:?}")
    };
    assert!(
        result.x_adv.is_empty() && result.adv_scores.undefended.is_none(),
        "no detail past 64 samples"
    );
    assert_eq!(result.crafted_on, Slot::Defended);
}

#[test]
fn an_iris_sweep_has_a_curve_per_model_and_attack_starting_at_clean_accuracy() {
    let mut s = session_with(&["iris"]);
    train(
        &mut s,
        Slot::Undefended,
        settings("iris", "iris-linear", 100),
    );
    let sweep = SweepSettings {
        compare_adaptive: "none".into(),
        eot_samples: 10,
        dataset: "iris".into(),
        attack: AttackConfig::Fgsm(FgsmParams::default()),
        param: "eps".into(),
        values: vec![0.0, 0.05, 0.2],
        n: 45,
        seed: 0,
        pgd_check: true,
        blackbox_check: true,
        transfer: false,
    };
    let events = run(
        &mut s,
        Request::Sweep {
            id: 6,
            settings: sweep,
            parts: None,
        },
        1,
    );
    assert!(
        events
            .iter()
            .filter(|e| matches!(e, Event::Progress { .. }))
            .count()
            >= 6
    );
    let Event::SweepDone { result, .. } = last(&events) else {
        panic!("{events:?}")
    };
    let names: Vec<&str> = result.series.iter().map(|s| s.attack.as_str()).collect();
    assert_eq!(names, ["fgsm", "pgd", "square"]);
    let clean = s
        .store()
        .entry(Slot::Undefended)
        .unwrap()
        .info
        .test_accuracy;
    for series in &result.series {
        assert!((series.accuracy[0] - clean).abs() < 1e-6, "{series:?}");
        assert!(series.accuracy[2] < series.accuracy[0], "{series:?}");
    }
    assert!(
        result.series[1].accuracy[2] <= result.series[0].accuracy[2] + 1e-6,
        "PGD is at least as strong"
    );
}

#[test]
fn a_target_accuracy_stops_training_at_the_first_epoch_that_reaches_it() {
    let mut s = session_with(&["iris"]);
    let mut t = settings("iris", "iris-linear", 300);
    t.target_accuracy = Some(0.85);
    let events = run(
        &mut s,
        Request::Train {
            id: 1,
            slot: Slot::Undefended,
            settings: t,
            parts: None,
        },
        5,
    );
    let measured: Vec<f32> = events
        .iter()
        .filter_map(|e| match e {
            Event::Progress { test_accuracy, .. } => *test_accuracy,
            _ => None,
        })
        .collect();
    assert!(!measured.is_empty(), "per-epoch accuracy is reported");
    let (reached, before) = measured.split_last().unwrap();
    assert!(
        *reached >= 0.85,
        "the last progress shows the accuracy reached"
    );
    assert!(
        before.iter().all(|&a| a < 0.85),
        "it stops at the first epoch that reaches the target"
    );
    match last(&events) {
        Event::Trained { model, .. } => {
            assert!(model.test_accuracy >= 0.85, "{model:?}");
            assert!(model.epochs < 300 && model.epochs > 1, "{model:?}");
        }
        other => panic!("{other:?}"),
    }
    let mut bad = settings("iris", "iris-linear", 3);
    bad.target_accuracy = Some(1.5);
    let ev = s.handle(Request::Train {
        id: 2,
        slot: Slot::Undefended,
        settings: bad,
        parts: None,
    });
    assert_eq!(error_of(&ev).1.as_deref(), Some("target_accuracy"));
}

#[test]
fn a_model_can_continue_from_the_other_slot_s_weights() {
    let mut s = session_with(&["iris"]);
    let first = train(&mut s, Slot::Undefended, settings("iris", "iris-seed", 300));
    // One epoch from fresh weights is far from trained; one epoch from the trained weights is not.
    let fresh = train(&mut s, Slot::Defended, settings("iris", "iris-seed", 1));
    let mut t = settings("iris", "iris-seed", 1);
    t.start_from = Some(Slot::Undefended);
    let continued = train(&mut s, Slot::Defended, t);
    assert!(first >= 0.9 && fresh < 0.8, "{first} {fresh}");
    assert!(continued >= first - 0.1, "{continued} after {first}");
    let info = &s.store().entry(Slot::Defended).unwrap().info;
    assert_eq!((info.arch.as_str(), info.epochs), ("iris-seed", 1));
    assert!(
        s.store().entry(Slot::Undefended).is_some(),
        "the start stays in its slot"
    );
    let mut empty = session_with(&["iris"]);
    let mut t = settings("iris", "iris-seed", 1);
    t.start_from = Some(Slot::Undefended);
    let ev = empty.handle(Request::Train {
        id: 9,
        slot: Slot::Defended,
        settings: t,
        parts: None,
    });
    assert!(
        error_of(&ev).0.contains("undefended"),
        "{:?}",
        error_of(&ev)
    );
}
