//! What issue 9 asked of the worker: jobs pause between attack iterations (training with Madry
//! PGD included) with results that do not depend on the slicing, traces carry the norms of every
//! frame, and bad inputs (samples outside the clip values, oversized uploads, models whose
//! computation overflows) are refused with a message instead of a result.

use super::helpers::*;
use crate::attacks::{AttackConfig, PgdParams};
use crate::defences::{DefenceConfig, MadryPgdParams};
use crate::protocol::{
    AttackSettings, Bytes, Event, F32s, ModelBytes, PredictInput, Request, Samples, Slot,
    SweepSettings,
};

fn madry_settings() -> crate::protocol::TrainSettings {
    let mut t = settings("iris", "iris-linear", 1);
    t.batch_size = Some(16);
    t.defence = Some(DefenceConfig::MadryPgd(MadryPgdParams {
        eps: 0.05,
        eps_step: 0.01,
        max_iter: 40,
        num_random_init: 1,
    }));
    t
}

fn exported(s: &mut crate::session::Session, slot: Slot) -> Vec<u8> {
    match &s.handle(Request::ExportModel { id: 90, slot })[0] {
        Event::ModelFile { file, .. } => file.bytes.to_vec(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn madry_pgd_training_pauses_inside_a_batch_and_ends_with_the_same_model() {
    let train_with = |units: usize| {
        let mut s = session_with(&["iris"]);
        let req = Request::Train {
            id: 1,
            slot: Slot::Defended,
            settings: madry_settings(),
            parts: None,
        };
        let events = run(&mut s, req, units);
        assert!(matches!(last(&events), Event::Trained { .. }), "{events:?}");
        let paused_in_first_batch = events
            .iter()
            .filter(|e| {
                matches!(e, Event::Progress { phase, train: Some(p), .. }
                    if phase == "train" && p.samples_seen == 0)
            })
            .count();
        (exported(&mut s, Slot::Defended), paused_in_first_batch)
    };
    let (whole, _) = train_with(1_000_000);
    let (sliced, paused) = train_with(1);
    // 40 PGD iterations per batch: the job yielded inside the first batch at every iteration.
    assert!(paused >= 39, "paused {paused} times inside the first batch");
    assert_eq!(
        whole, sliced,
        "bit-identical weights however the work is sliced"
    );
}

fn pgd_attack(trace: bool, count: usize) -> AttackSettings {
    AttackSettings {
        adaptive: None,
        dataset: "iris".into(),
        model: Slot::Undefended,
        samples: Samples::Test { start: 0, count },
        attack: AttackConfig::Pgd(PgdParams {
            eps: 0.1,
            eps_step: 0.01,
            max_iter: 40,
            num_random_init: 2,
            ..PgdParams::default()
        }),
        targets: None,
        seed: 3,
        trace,
        parts: None,
    }
}

#[test]
fn attacks_and_sweeps_pause_between_iterations_with_the_same_results() {
    let mut s = session_with(&["iris"]);
    train(
        &mut s,
        Slot::Undefended,
        settings("iris", "iris-linear", 40),
    );
    let attack = |s: &mut crate::session::Session, units| {
        let req = Request::Attack {
            id: 2,
            settings: pgd_attack(true, 10),
        };
        let events = run(s, req, units);
        let progress = events
            .iter()
            .filter(|e| matches!(e, Event::Progress { .. }))
            .count();
        match last(&events) {
            Event::AttackDone { result, .. } => (result.clone(), progress),
            other => panic!("{other:?}"),
        }
    };
    let (whole, _) = attack(&mut s, 1_000_000);
    let (sliced, progress) = attack(&mut s, 1);
    assert_eq!(whole, sliced);
    // Two restarts of 40 iterations on the traced sample, then on the other nine.
    assert!(progress >= 2 * 80, "{progress} progress events");
    let trace = sliced.trace.as_ref().unwrap();
    assert_eq!(trace.frames, 1 + 80);
    assert_eq!(trace.norms.linf.len(), trace.frames);
    assert_eq!(trace.norms.linf[0], 0.0, "frame 0 is the clean sample");
    assert!(trace.norms.linf.iter().all(|&v| v <= 0.1 + 1e-6));
    assert!(trace.norms.l2.iter().skip(1).any(|&v| v > 0.0));

    let sweep = |s: &mut crate::session::Session, units| {
        let settings = SweepSettings {
            compare_adaptive: "none".into(),
            eot_samples: 10,
            dataset: "iris".into(),
            attack: pgd_attack(false, 1).attack,
            param: "eps".into(),
            values: vec![0.05, 0.1],
            n: 45,
            seed: 1,
            pgd_check: false,
            blackbox_check: false,
            transfer: false,
        };
        let events = run(
            s,
            Request::Sweep {
                id: 3,
                settings,
                parts: None,
            },
            units,
        );
        let progress = events
            .iter()
            .filter(|e| matches!(e, Event::Progress { .. }))
            .count();
        match last(&events) {
            Event::SweepDone { result, .. } => (result.clone(), progress),
            other => panic!("{other:?}"),
        }
    };
    let (whole, _) = sweep(&mut s, 1_000_000);
    let (sliced, progress) = sweep(&mut s, 1);
    assert_eq!(whole, sliced);
    assert!(progress >= 2 * 80, "one yield per iteration: {progress}");
}

#[test]
fn samples_outside_the_clip_values_are_refused_naming_sample_and_feature() {
    let mut s = session_with(&["iris"]);
    train(&mut s, Slot::Undefended, settings("iris", "iris-linear", 5));
    let x = F32s(vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 1.5, 0.5]);
    let ev = s.handle(Request::Predict {
        id: 1,
        dataset: "iris".into(),
        input: PredictInput::Given { x: x.clone() },
    });
    let (msg, field) = error_of(&ev);
    assert_eq!(field.as_deref(), Some("x"));
    assert!(
        msg.contains("sample 1, feature 2 is 1.5, outside the model's clip values [0, 1]"),
        "{msg}"
    );
    let mut attack = pgd_attack(false, 1);
    attack.samples = Samples::Given { x, labels: None };
    let (msg, _) = error_of(&s.handle(Request::Attack {
        id: 2,
        settings: attack,
    }));
    assert!(msg.contains("sample 1, feature 2 is 1.5"), "{msg}");
}

#[test]
fn oversized_uploads_and_overflowing_models_are_refused() {
    let mut s = session_with(&["iris"]);
    let big = Bytes::from(vec![0u8; crate::limits::MAX_MODEL_FILE_BYTES as usize + 1]);
    let ev = s.handle(Request::ImportModel {
        id: 1,
        slot: Slot::Undefended,
        dataset: "iris".into(),
        file: ModelBytes {
            filename: "big.safetensors".into(),
            bytes: big,
        },
        origin: None,
    });
    let (msg, field) = error_of(&ev);
    assert_eq!(field.as_deref(), Some("file"), "{msg}");
    assert!(msg.contains("at most 67108864 bytes"), "{msg}");
    let ev = s.handle(Request::LoadDataset {
        id: 2,
        dataset: "iris".into(),
        files: vec![Bytes::from(vec![
            b' ';
            crate::limits::MAX_DATASET_FILE_BYTES
                as usize
                + 1
        ])],
        image_size: None,
    });
    assert_eq!(error_of(&ev).1.as_deref(), Some("files"));

    // Weights of 3e38 overflow to infinity in the first layer: the upload is refused instead of
    // predicting one fake row for every input.
    let ds = s.store().dataset("iris").unwrap();
    let p = crate::nn::presets::parse_arch("iris-linear", ds).unwrap();
    let model = crate::nn::Model::new(p.spec.clone(), 0).unwrap();
    let huge: Vec<_> = model
        .tensors()
        .into_iter()
        .map(|(n, shape, v)| (n, shape, v.iter().map(|_| 3e38f32).collect()))
        .collect();
    let bytes = crate::nn::file::write_model_bytes(model.spec(), &huge).unwrap();
    let ev = s.handle(Request::ImportModel {
        id: 3,
        slot: Slot::Undefended,
        dataset: "iris".into(),
        file: ModelBytes {
            filename: "huge.safetensors".into(),
            bytes: Bytes::from(bytes),
        },
        origin: None,
    });
    let (msg, _) = error_of(&ev);
    assert!(
        msg.contains("non-finite value (inf) in node 0 (dense)"),
        "{msg}"
    );
    assert!(s.store().entry(Slot::Undefended).is_none());
}
