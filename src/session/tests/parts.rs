//! Attacks, sweeps and training split across workers (`Parts`): every part attacked by its own session and passed to
//! the coordinator gives the unsplit result for a deterministic attack, one result per seed and
//! worker count for a random one, and parts that do not fit are refused with the field named.

use super::helpers::*;
use crate::attacks::{AttackConfig, FgsmParams, PgdParams};
use crate::protocol::{
    AttackPart, AttackResult, AttackSettings, Event, ModelBytes, ModelInfo, PartGradient, Parts,
    Request, Samples, Slot, SweepPart, SweepResult, SweepSettings, TrainSettings,
};
use crate::session::Session;

/// Three sessions holding the same IRIS models in both slots, as the page's workers would after
/// passing the model files on.
fn workers() -> Vec<Session> {
    let mut first = session_with(&["iris"]);
    train(
        &mut first,
        Slot::Undefended,
        settings("iris", "iris-seed", 60),
    );
    train(
        &mut first,
        Slot::Defended,
        settings("iris", "iris-linear", 40),
    );
    let mut all = vec![first];
    for _ in 1..3 {
        let mut s = session_with(&["iris"]);
        for slot in [Slot::Undefended, Slot::Defended] {
            let ev = all[0].handle(Request::ExportModel { id: 1, slot });
            let Event::ModelFile { file, .. } = last(&ev) else {
                panic!("{ev:?}")
            };
            let file = ModelBytes {
                filename: file.filename.clone(),
                bytes: file.bytes.clone(),
            };
            let ev = s.handle(Request::ImportModel {
                id: 2,
                slot,
                dataset: "iris".into(),
                file,
                origin: None,
            });
            assert!(matches!(last(&ev), Event::Trained { .. }), "{ev:?}");
        }
        all.push(s);
    }
    all
}

fn attack(config: AttackConfig, seed: u64) -> AttackSettings {
    AttackSettings {
        adaptive: None,
        dataset: "iris".into(),
        model: Slot::Undefended,
        samples: Samples::Test {
            start: 0,
            count: 45,
        },
        attack: config,
        targets: None,
        seed,
        trace: false,
        parts: None,
    }
}

fn pgd() -> AttackConfig {
    AttackConfig::Pgd(PgdParams {
        eps: 0.3,
        eps_step: 0.05,
        max_iter: 10,
        num_random_init: 1,
        ..PgdParams::default()
    })
}

fn done(events: &[Event]) -> AttackResult {
    match last(events) {
        Event::AttackDone { result, .. } => (**result).clone(),
        other => panic!("{other:?}"),
    }
}

/// Part `k` of `count` on worker `k`: the helper's part as its `AttackPartDone` carries it.
fn helper_part(s: &mut Session, settings: &AttackSettings, count: usize, k: usize) -> AttackPart {
    let mut settings = settings.clone();
    settings.parts = Some(Parts { count, index: k });
    let ev = run(
        s,
        Request::Attack {
            id: 40 + k as u32,
            settings,
        },
        3,
    );
    match last(&ev) {
        Event::AttackPartDone { part, .. } => (**part).clone(),
        other => panic!("{other:?}"),
    }
}

/// The attack split across the first `count` workers, the coordinator on worker 0.
fn split(ws: &mut [Session], settings: &AttackSettings, count: usize) -> AttackResult {
    let mut coordinated = settings.clone();
    coordinated.parts = Some(Parts { count, index: 0 });
    let first = run(
        &mut ws[0],
        Request::Attack {
            id: 30,
            settings: coordinated,
        },
        3,
    );
    if count == 1 {
        return done(&first);
    }
    assert!(matches!(last(&first), Event::Progress { .. }), "{first:?}");
    assert!(
        !ws[0].busy(),
        "a coordinator waiting for parts is not ticked"
    );
    let parts: Vec<AttackPart> = (1..count)
        .map(|k| helper_part(&mut ws[k], settings, count, k))
        .collect();
    let mut events = Vec::new();
    for (k, part) in parts.into_iter().enumerate().rev() {
        let answer = ws[0].handle(Request::AttackPart {
            id: 50 + k as u32,
            job: 30,
            part: Box::new(part),
        });
        assert!(answer.is_empty(), "{answer:?}");
    }
    events.extend(run(&mut ws[0], Request::Hello { id: 60 }, 3));
    events.retain(|e| !matches!(e, Event::Ready { .. }));
    done(&events)
}

#[test]
fn a_split_attack_gives_the_unsplit_result_or_one_result_per_worker_count() {
    let mut ws = workers();
    let fgsm = attack(
        AttackConfig::Fgsm(FgsmParams {
            eps: 0.3,
            ..FgsmParams::default()
        }),
        0,
    );
    let whole = done(&run(
        &mut ws[0],
        Request::Attack {
            id: 1,
            settings: fgsm.clone(),
        },
        3,
    ));
    assert!(
        whole.undefended.as_ref().unwrap().adversarial_accuracy < 0.9,
        "{whole:?}"
    );
    assert_eq!(split(&mut ws, &fgsm, 3), whole, "FGSM has no randomness");
    assert_eq!(split(&mut ws, &fgsm, 2), whole);

    let random = attack(pgd(), 5);
    let whole = done(&run(
        &mut ws[0],
        Request::Attack {
            id: 2,
            settings: random.clone(),
        },
        3,
    ));
    assert_eq!(
        split(&mut ws, &random, 1),
        whole,
        "one part is the unsplit attack"
    );
    let three = split(&mut ws, &random, 3);
    assert_eq!(
        split(&mut ws, &random, 3),
        three,
        "a seed and a worker count give one result"
    );
    assert_eq!(three.n, 45);
    assert!(
        three.iterations.iter().all(|&i| i > 0),
        "every row was attacked"
    );
}

#[test]
fn parts_that_do_not_fit_are_refused_and_a_waiting_attack_can_be_cancelled() {
    let mut ws = workers();
    let fgsm = attack(AttackConfig::Fgsm(FgsmParams::default()), 0);
    let mut bad = fgsm.clone();
    bad.parts = Some(Parts { count: 2, index: 2 });
    let ev = ws[0].handle(Request::Attack {
        id: 1,
        settings: bad,
    });
    assert_eq!(error_of(&ev).1.as_deref(), Some("part_index"), "{ev:?}");

    let part = helper_part(&mut ws[1], &fgsm, 2, 1);
    let ev = ws[0].handle(Request::AttackPart {
        id: 2,
        job: 9,
        part: Box::new(part.clone()),
    });
    assert_eq!(
        error_of(&ev).1.as_deref(),
        Some("job"),
        "no job runs: {ev:?}"
    );

    let mut coordinated = fgsm.clone();
    coordinated.parts = Some(Parts { count: 2, index: 0 });
    run(
        &mut ws[0],
        Request::Attack {
            id: 3,
            settings: coordinated,
        },
        3,
    );
    let mut short = part.clone();
    short.x_adv.0.pop();
    let ev = ws[0].handle(Request::AttackPart {
        id: 4,
        job: 3,
        part: Box::new(short),
    });
    assert_eq!(error_of(&ev).1.as_deref(), Some("part"), "{ev:?}");
    let mut wrong = part.clone();
    wrong.predictions[0].adversarial[0] = 3;
    let ev = ws[0].handle(Request::AttackPart {
        id: 5,
        job: 3,
        part: Box::new(wrong),
    });
    assert!(
        error_of(&ev).0.contains("predictions"),
        "a class IRIS does not have: {ev:?}"
    );
    let mut own = part.clone();
    own.index = 0;
    let ev = ws[0].handle(Request::AttackPart {
        id: 6,
        job: 3,
        part: Box::new(own),
    });
    assert!(
        error_of(&ev).0.contains("does not wait for that part"),
        "{ev:?}"
    );

    assert!(!ws[0].busy());
    assert_eq!(
        ws[0].handle(Request::Cancel { id: 7 }),
        vec![Event::Cancelled { id: 3, by: 7 }]
    );
    let ev = ws[0].handle(Request::AttackPart {
        id: 8,
        job: 3,
        part: Box::new(part),
    });
    assert_eq!(error_of(&ev).1.as_deref(), Some("job"), "cancelled: {ev:?}");
}

fn sweep_settings() -> SweepSettings {
    SweepSettings {
        compare_adaptive: "none".into(),
        eot_samples: 10,
        dataset: "iris".into(),
        attack: AttackConfig::Fgsm(FgsmParams::default()),
        param: "eps".into(),
        values: vec![0.0, 0.05, 0.1, 0.2, 0.3],
        n: 45,
        seed: 3,
        pgd_check: true,
        blackbox_check: true,
        transfer: false,
    }
}

fn sweep_done(events: &[Event]) -> SweepResult {
    match last(events) {
        Event::SweepDone { result, .. } => (**result).clone(),
        other => panic!("{other:?}"),
    }
}

/// The sweep split across the first `count` workers; also returns each helper's part.
fn split_sweep(ws: &mut [Session], count: usize) -> (SweepResult, Vec<SweepPart>) {
    let settings = sweep_settings();
    let parts = |index| Some(Parts { count, index });
    let first = run(
        &mut ws[0],
        Request::Sweep {
            id: 70,
            settings: settings.clone(),
            parts: parts(0),
        },
        5,
    );
    if count == 1 {
        return (sweep_done(&first), Vec::new());
    }
    assert!(!ws[0].busy(), "waiting for the other points");
    let mut helpers = Vec::new();
    for (k, s) in ws.iter_mut().enumerate().take(count).skip(1) {
        let ev = run(
            s,
            Request::Sweep {
                id: 71,
                settings: settings.clone(),
                parts: parts(k),
            },
            5,
        );
        let Event::SweepPartDone { part, .. } = last(&ev) else {
            panic!("{ev:?}")
        };
        helpers.push((**part).clone());
    }
    for part in &helpers {
        let answer = ws[0].handle(Request::SweepPart {
            id: 72,
            job: 70,
            part: Box::new(part.clone()),
        });
        assert!(answer.is_empty(), "{answer:?}");
    }
    (
        sweep_done(&run(&mut ws[0], Request::Hello { id: 73 }, 5)),
        helpers,
    )
}

#[test]
fn a_split_sweep_is_the_unsplit_sweep_with_any_number_of_workers() {
    let mut ws = workers();
    let whole = sweep_done(&run(
        &mut ws[0],
        Request::Sweep {
            id: 1,
            settings: sweep_settings(),
            parts: None,
        },
        5,
    ));
    assert!(
        whole.series.len() >= 4,
        "FGSM, PGD and Square on two models: {whole:?}"
    );
    assert_eq!(split_sweep(&mut ws, 1).0, whole);
    assert_eq!(split_sweep(&mut ws, 2).0, whole);
    let (three, parts) = split_sweep(&mut ws, 3);
    assert_eq!(three, whole);

    // Points that are not the part's, or a part sent twice, are refused.
    let settings = sweep_settings();
    run(
        &mut ws[0],
        Request::Sweep {
            id: 80,
            settings,
            parts: Some(Parts { count: 3, index: 0 }),
        },
        5,
    );
    let mut stolen = parts[0].clone();
    stolen.index = 2;
    let ev = ws[0].handle(Request::SweepPart {
        id: 81,
        job: 80,
        part: Box::new(stolen),
    });
    assert_eq!(error_of(&ev).1.as_deref(), Some("part"), "{ev:?}");
    let ok = ws[0].handle(Request::SweepPart {
        id: 82,
        job: 80,
        part: Box::new(parts[0].clone()),
    });
    assert!(ok.is_empty(), "{ok:?}");
    let twice = ws[0].handle(Request::SweepPart {
        id: 83,
        job: 80,
        part: Box::new(parts[0].clone()),
    });
    assert_eq!(error_of(&twice).1.as_deref(), Some("part"), "{twice:?}");
    let ev = ws[0].handle(Request::SweepPart {
        id: 84,
        job: 99,
        part: Box::new(parts[1].clone()),
    });
    assert_eq!(error_of(&ev).1.as_deref(), Some("job"), "{ev:?}");
}

/// Trains `t` data-parallel on the first `count` sessions, passing every `Gradient` event on to
/// the other workers as the page does; returns the coordinator's `Trained` model info.
fn train_split(ws: &mut [Session], t: &TrainSettings, count: usize) -> ModelInfo {
    let mut inbox: Vec<Vec<Event>> = (0..count)
        .map(|k| {
            ws[k].handle(Request::Train {
                id: 90 + k as u32,
                slot: Slot::Undefended,
                settings: t.clone(),
                parts: Some(Parts { count, index: k }),
            })
        })
        .collect();
    for _ in 0..1_000_000 {
        for (s, inbox) in ws.iter_mut().zip(&mut inbox) {
            while s.busy() {
                inbox.extend(s.tick(&mut || true));
            }
        }
        let mut sent = false;
        let events: Vec<Vec<Event>> = inbox.iter_mut().map(std::mem::take).collect();
        for (k, events) in events.into_iter().enumerate() {
            for ev in events {
                match ev {
                    Event::Gradient { gradient, .. } => {
                        for j in (0..count).filter(|&j| j != k) {
                            let answer = ws[j].handle(Request::Gradient {
                                id: 1,
                                job: 90 + j as u32,
                                gradient: gradient.clone(),
                            });
                            assert!(answer.is_empty(), "{answer:?}");
                        }
                        sent = true;
                    }
                    Event::Trained { model, .. } if k == 0 => {
                        for s in ws.iter_mut().take(count).skip(1) {
                            s.handle(Request::Cancel { id: 2 });
                        }
                        return model;
                    }
                    Event::Error { message, .. } => panic!("worker {k}: {message}"),
                    _ => {}
                }
            }
        }
        assert!(sent || (0..count).any(|k| ws[k].busy()), "nobody moves");
    }
    panic!("training never ended")
}

#[test]
fn data_parallel_training_repeats_itself_with_or_without_a_defence() {
    let mut ws: Vec<Session> = (0..3).map(|_| session_with(&["iris"])).collect();
    let t = settings("iris", "iris-linear", 40);
    let plain = train(&mut ws[0], Slot::Undefended, t.clone());
    let one = train_split(&mut ws, &t, 1);
    assert_eq!(one.test_accuracy, plain, "one part is plain training");
    let two = train_split(&mut ws, &t, 2);
    assert_eq!(
        train_split(&mut ws, &t, 2),
        two,
        "a seed and a worker count give one model"
    );
    let three = train_split(&mut ws, &t, 3);
    assert_eq!((two.epochs, three.epochs), (40, 40));
    for m in [&two, &three] {
        assert!(
            (m.test_accuracy - plain).abs() <= 0.05,
            "{} vs {plain}",
            m.test_accuracy
        );
    }
    // Adversarial training shares out the crafting too: one model per seed and worker count.
    let mut madry = t.clone();
    madry.defence = Some(crate::defences::DefenceConfig::MadryPgd(
        crate::defences::MadryPgdParams {
            eps: 0.1,
            eps_step: 0.02,
            max_iter: 5,
            num_random_init: 1,
        },
    ));
    let defended = train_split(&mut ws, &madry, 2);
    assert_eq!(train_split(&mut ws, &madry, 2), defended);
    assert_eq!(defended.defence.as_deref(), Some("madry-pgd"));
    let alone = train(&mut ws[0], Slot::Undefended, madry);
    assert!(
        (defended.test_accuracy - alone).abs() <= 0.1,
        "{defended:?} vs {alone}"
    );
    // With a target accuracy only the coordinator evaluates; it stops every worker early.
    let mut early = t.clone();
    early.target_accuracy = Some(0.5);
    early.epochs = Some(200);
    let stopped = train_split(&mut ws, &early, 2);
    assert!(
        stopped.epochs < 200 && stopped.test_accuracy >= 0.5,
        "{stopped:?}"
    );
}

#[test]
fn gradients_that_do_not_fit_are_refused() {
    let mut s = session_with(&["iris"]);
    let t = settings("iris", "iris-linear", 5);
    let parts = Some(Parts { count: 2, index: 0 });
    s.handle(Request::Train {
        id: 2,
        slot: Slot::Undefended,
        settings: t,
        parts,
    });
    let mut events = Vec::new();
    while s.busy() {
        events.extend(s.tick(&mut || true));
    }
    let Some(Event::Gradient { gradient, .. }) =
        events.iter().find(|e| matches!(e, Event::Gradient { .. }))
    else {
        panic!("{events:?}")
    };
    let send = |s: &mut Session, g: PartGradient, job| {
        s.handle(Request::Gradient {
            id: 3,
            job,
            gradient: Box::new(g),
        })
    };
    let own = (**gradient).clone();
    assert_eq!(
        error_of(&send(&mut s, own.clone(), 2)).1.as_deref(),
        Some("gradient"),
        "its own part"
    );
    let mut other = own.clone();
    other.part = 1;
    assert_eq!(
        error_of(&send(&mut s, other.clone(), 7)).1.as_deref(),
        Some("job")
    );
    let mut short = other.clone();
    short.values.0.pop();
    assert!(error_of(&send(&mut s, short, 2)).0.contains("values"));
    let mut late = other.clone();
    late.step = 5;
    assert!(error_of(&send(&mut s, late, 2)).0.contains("not awaited"));
    assert!(send(&mut s, other.clone(), 2).is_empty());
    assert!(s.busy(), "every part is in: the batch can be applied");
}
