//! The five newer attacks in the worker's jobs: query counts in progress events and results,
//! AutoAttack's first successes, traces of every attack, the black-box masking check.

use super::helpers::*;
use crate::attacks::{
    ApgdParams, AttackConfig, AutoAttackParams, CwL2Params, HopSkipJumpParams, SquareParams,
};
use crate::protocol::{
    AttackSettings, Event, QueryCount, Request, Samples, Slot, SweepSeries, SweepSettings,
};
use crate::session::masking_warning;

fn attack(attack: AttackConfig, count: usize, trace: bool) -> AttackSettings {
    AttackSettings {
        adaptive: None,
        dataset: "iris".into(),
        model: Slot::Undefended,
        samples: Samples::Test { start: 0, count },
        attack,
        targets: None,
        seed: 2,
        trace,
        parts: None,
    }
}

fn iris() -> crate::session::Session {
    let mut s = session_with(&["iris"]);
    train(
        &mut s,
        Slot::Undefended,
        settings("iris", "iris-linear", 60),
    );
    s
}

#[test]
fn black_box_jobs_count_queries_while_they_run() {
    let mut s = iris();
    let square = AttackConfig::Square(SquareParams {
        eps: 0.2,
        max_iter: 200,
        ..Default::default()
    });
    let hsj = AttackConfig::Hopskipjump(HopSkipJumpParams {
        max_iter: 5,
        max_eval: 300,
        ..Default::default()
    });
    for (i, cfg) in [square, hsj].into_iter().enumerate() {
        let settings = attack(cfg, 20, false);
        let events = run(
            &mut s,
            Request::Attack {
                id: i as u32,
                settings,
            },
            1,
        );
        let counts: Vec<QueryCount> = events
            .iter()
            .filter_map(|e| match e {
                Event::Progress { queries, .. } => *queries,
                _ => None,
            })
            .collect();
        assert!(
            counts.len() >= 3,
            "{} progress events with queries",
            counts.len()
        );
        assert!(counts.windows(2).all(|w| w[0].total <= w[1].total));
        assert!(counts
            .iter()
            .all(|c| c.samples <= 20 && c.total >= c.samples as u64));
        let Event::AttackDone { result, .. } = last(&events) else {
            panic!("{events:?}")
        };
        let q = result.queries.as_ref().expect("queries per sample");
        assert_eq!(q.len(), 20);
        let total: usize = q.iter().sum();
        assert!(total as u64 >= counts.last().unwrap().total);
        assert!(result.first_success.is_none());
    }
    // white-box attacks have no query counter
    let settings = attack(AttackConfig::CwL2(CwL2Params::default()), 10, false);
    let events = run(&mut s, Request::Attack { id: 9, settings }, 1);
    assert!(events.iter().all(|e| !matches!(
        e,
        Event::Progress {
            queries: Some(_),
            ..
        }
    )));
}

#[test]
fn every_new_attack_can_be_stepped_through_and_autoattack_names_its_winners() {
    let mut s = iris();
    for cfg in [
        AttackConfig::CwL2(CwL2Params::default()),
        AttackConfig::Apgd(ApgdParams {
            eps: 0.2,
            eps_step: 0.4,
            max_iter: 10,
            nb_random_init: 1,
            ..Default::default()
        }),
        AttackConfig::Autoattack(AutoAttackParams {
            eps: 0.15,
            eps_step: 0.3,
            ..Default::default()
        }),
        AttackConfig::Square(SquareParams {
            eps: 0.2,
            ..Default::default()
        }),
        AttackConfig::Hopskipjump(HopSkipJumpParams {
            max_iter: 4,
            max_eval: 200,
            ..Default::default()
        }),
    ] {
        let name = cfg.name();
        let events = run(
            &mut s,
            Request::Attack {
                id: 1,
                settings: attack(cfg, 6, true),
            },
            2,
        );
        let Event::AttackDone { result, .. } = last(&events) else {
            panic!("{name}: {events:?}")
        };
        let trace = result.trace.as_ref().expect("a trace");
        assert!(trace.frames >= 2, "{name}: {} frames", trace.frames);
        assert!(trace.frames <= 401);
        let last_frame = &trace.x.0[(trace.frames - 1) * 4..];
        assert_eq!(
            last_frame,
            &result.x_adv.0[..4],
            "{name}: the trace ends on the result"
        );
        if name == "autoattack" {
            let first = result.first_success.as_ref().expect("winners");
            assert_eq!(first.len(), 6);
            let m = result.undefended.unwrap();
            let robust = first.iter().filter(|f| f.is_none()).count();
            assert!(
                (m.adversarial_accuracy - robust as f32 / 6.0).abs() < 1e-6,
                "{first:?}"
            );
        }
    }
}

#[test]
fn a_square_curve_beating_a_gradient_attack_warns_of_masking() {
    let series = |attack: &str, acc: Vec<f32>| SweepSeries {
        adaptive: "none".into(),
        slot: Slot::Defended,
        read_by: None,
        clean_accuracy: 1.0,
        attack: attack.into(),
        accuracy: acc,
        success_rate: vec![],
        linf_mean: vec![],
        l2_mean: vec![],
    };
    let values = [0.1, 0.3];
    let fine = [
        series("pgd", vec![0.6, 0.2]),
        series("square", vec![0.65, 0.25]),
    ];
    assert_eq!(masking_warning(&fine, &values), None);
    let masked = [
        series("apgd", vec![0.7, 0.6]),
        series("square", vec![0.65, 0.2]),
    ];
    let w = masking_warning(&masked, &values).unwrap();
    let en = &w.en;
    assert!(
        en.contains("APGD") && en.contains("black-box Square") && en.contains("60%"),
        "{en}"
    );
    assert!(en.contains("20%") && en.contains("0.3"), "{en}");
    let ko = &w.ko;
    assert!(
        ko.contains("APGD") && ko.contains("블랙박스 Square") && ko.contains("60%"),
        "{ko}"
    );
}

#[test]
fn an_eps_curve_gets_its_black_box_check() {
    let mut s = iris();
    for (base, want) in [
        (
            AttackConfig::Apgd(ApgdParams {
                max_iter: 5,
                nb_random_init: 1,
                ..Default::default()
            }),
            ["apgd", "square"],
        ),
        (
            AttackConfig::Square(SquareParams::default()),
            ["square", "pgd"],
        ),
    ] {
        let settings = SweepSettings {
            compare_adaptive: "none".into(),
            eot_samples: 10,
            dataset: "iris".into(),
            attack: base,
            param: "eps".into(),
            values: vec![0.0, 0.3],
            n: 30,
            seed: 0,
            pgd_check: true,
            blackbox_check: true,
            transfer: false,
        };
        let events = run(
            &mut s,
            Request::Sweep {
                id: 4,
                settings,
                parts: None,
            },
            4,
        );
        let Event::SweepDone { result, .. } = last(&events) else {
            panic!("{events:?}")
        };
        let names: Vec<&str> = result.series.iter().map(|s| s.attack.as_str()).collect();
        assert_eq!(names, want);
        for series in &result.series {
            assert!(series.accuracy[1] <= series.accuracy[0], "{series:?}");
        }
    }
}

#[test]
fn a_transfer_series_reads_the_undefended_models_examples_with_the_defended_one() {
    let mut s = iris();
    let mut defended = settings("iris", "iris-linear", 60);
    defended.seed = 7;
    train(&mut s, Slot::Defended, defended);
    let sweep = |transfer: bool| SweepSettings {
        compare_adaptive: "none".into(),
        eot_samples: 10,
        dataset: "iris".into(),
        attack: AttackConfig::Fgsm(Default::default()),
        param: "eps".into(),
        values: vec![0.0, 0.05],
        n: 45,
        seed: 0,
        pgd_check: false,
        blackbox_check: false,
        transfer,
    };
    let result = |s: &mut crate::session::Session, transfer: bool| {
        let events = run(
            s,
            Request::Sweep {
                id: 9,
                settings: sweep(transfer),
                parts: None,
            },
            3,
        );
        let Event::SweepDone { result, .. } = last(&events) else {
            panic!("{events:?}")
        };
        result.clone()
    };
    let plain = result(&mut s, false);
    assert!(plain.series.iter().all(|x| x.read_by.is_none()));
    let with = result(&mut s, true);
    assert_eq!(with.series.len(), plain.series.len() + 1);
    let transfer = with.series.last().unwrap();
    assert_eq!(
        (transfer.slot, transfer.read_by),
        (Slot::Undefended, Some(Slot::Defended))
    );
    let defended = with
        .series
        .iter()
        .find(|x| x.slot == Slot::Defended)
        .unwrap();
    let undefended = with
        .series
        .iter()
        .find(|x| x.slot == Slot::Undefended && x.read_by.is_none())
        .unwrap();
    // Clean points are the reading model's; at eps 0 nothing moves, so transfer = clean.
    assert_eq!(transfer.clean_accuracy, defended.clean_accuracy);
    assert_eq!(transfer.accuracy[0], defended.clean_accuracy);
    // The same examples as the undefended series (same perturbation sizes), read by another model:
    // what an attack job crafted on the undefended model reports for the defended one.
    assert_eq!(transfer.linf_mean, undefended.linf_mean);
    let fgsm = AttackConfig::Fgsm(crate::attacks::FgsmParams {
        eps: 0.05,
        ..Default::default()
    });
    let events = run(
        &mut s,
        Request::Attack {
            id: 10,
            settings: attack(fgsm, 45, false),
        },
        3,
    );
    let Event::AttackDone { result, .. } = last(&events) else {
        panic!("{events:?}")
    };
    let read = result.defended.expect("both models read the examples");
    assert_eq!(transfer.accuracy[1], read.adversarial_accuracy);
    // The series without transfer are unchanged by it.
    assert_eq!(&with.series[..plain.series.len()], &plain.series[..]);
}
