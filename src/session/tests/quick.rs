//! The quick requests (predictions, maps, model files) and the errors every request can raise.

use super::helpers::*;
use crate::attacks::{AttackConfig, JsmaParams};
use crate::protocol::{
    Bytes, Event, MapSettings, ModelBytes, PredictInput, Request, Slot, SweepSeries,
};
use crate::session::masking_warning;

#[test]
fn a_drawn_stroke_is_digitised_and_scored_by_every_fitting_model() {
    let mut s = session_with(&["mnist"]);
    let mut t = settings("mnist", "mnist-linear", 1);
    t.train_limit = Some(1000);
    t.test_limit = Some(100);
    train(&mut s, Slot::Defended, t);
    let (w, h) = (200, 200);
    let mut ink = vec![0u8; w * h];
    for y in 30..170 {
        for x in 95..110 {
            ink[y * w + x] = 255;
        }
    }
    let ev = s.handle(Request::Predict {
        id: 1,
        dataset: "mnist".into(),
        input: PredictInput::Drawing {
            width: w,
            height: h,
            ink: Bytes::from(ink),
        },
    });
    let Event::Prediction { result, .. } = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!((result.n, result.x.len()), (1, 784));
    assert!(result.x.0[14 * 28 + 14] > 0.5, "the stroke is centred");
    assert!(
        result.scores.undefended.is_none(),
        "no undefended model yet"
    );
    let p: f32 = result.scores.defended.as_ref().unwrap().0.iter().sum();
    assert!((p - 1.0).abs() < 1e-4);
    let ev = s.handle(Request::Predict {
        id: 2,
        dataset: "mnist".into(),
        input: PredictInput::Test {
            index: Some(0),
            seed: 0,
        },
    });
    let Event::Prediction { result, .. } = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!(
        (result.labels.as_deref(), result.index),
        (Some(&[7usize][..]), Some(0))
    );
    let ev = s.handle(Request::Predict {
        id: 3,
        dataset: "mnist".into(),
        input: PredictInput::Test {
            index: Some(10_000),
            seed: 0,
        },
    });
    assert_eq!(error_of(&ev).1.as_deref(), Some("index"));
}

#[test]
fn the_iris_map_shades_regions_and_draws_attacked_points() {
    let mut s = session_with(&["iris"]);
    train(
        &mut s,
        Slot::Undefended,
        settings("iris", "iris-linear", 100),
    );
    let map = MapSettings {
        dataset: "iris".into(),
        features: [2, 3],
        resolution: Some(20),
        attack: Some(AttackConfig::Jsma(JsmaParams {
            theta: 0.2,
            ..JsmaParams::default()
        })),
        seed: 1,
    };
    let ev = s.handle(Request::Map {
        id: 1,
        settings: map.clone(),
    });
    let Event::DecisionMap { result, .. } = &ev[0] else {
        panic!("{ev:?}")
    };
    let grid = result.undefended.as_ref().unwrap();
    assert_eq!(grid.len(), 400);
    let classes: std::collections::HashSet<u8> = grid.iter().copied().collect();
    assert_eq!(
        classes.len(),
        3,
        "petal features separate all three species"
    );
    assert_eq!((result.points.len(), result.labels.len()), (90, 45));
    assert_eq!(result.arrows.len(), 1);
    assert!(result.arrows[0].fooled.iter().any(|&f| f));
    let bad = s.handle(Request::Map {
        id: 2,
        settings: MapSettings {
            features: [1, 1],
            ..map
        },
    });
    assert_eq!(error_of(&bad).1.as_deref(), Some("features"));
}

#[test]
fn models_export_and_import_bit_for_bit() {
    let mut s = session_with(&["iris"]);
    let acc = train(
        &mut s,
        Slot::Undefended,
        settings("iris", "iris-linear", 50),
    );
    let ev = s.handle(Request::ExportModel {
        id: 1,
        slot: Slot::Undefended,
    });
    let Event::ModelFile { file, .. } = &ev[0] else {
        panic!("{ev:?}")
    };
    assert!(file.filename.ends_with(".safetensors"));
    let ev = s.handle(Request::ImportModel {
        id: 2,
        slot: Slot::Defended,
        dataset: "iris".into(),
        file: file.clone(),
        origin: None,
    });
    let Event::Trained { model, .. } = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!(
        (model.arch.as_str(), model.slot, model.test_accuracy),
        ("imported", Slot::Defended, acc)
    );
    // A model restored from the browser's storage keeps how it was made.
    let origin = crate::protocol::ModelOrigin {
        arch: "iris-linear".into(),
        defence: Some("fast-fgsm".into()),
        epochs: 50,
        train_samples: 105,
    };
    let ev = s.handle(Request::ImportModel {
        id: 4,
        slot: Slot::Defended,
        dataset: "iris".into(),
        file: file.clone(),
        origin: Some(origin),
    });
    let Event::Trained { model, .. } = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!(
        (model.arch.as_str(), model.defence.as_deref(), model.epochs),
        ("iris-linear", Some("fast-fgsm"), 50)
    );
    let junk = ModelBytes {
        filename: "x".into(),
        bytes: Bytes::from(vec![1, 2, 3]),
    };
    let ev = s.handle(Request::ImportModel {
        id: 3,
        slot: Slot::Defended,
        dataset: "iris".into(),
        file: junk,
        origin: None,
    });
    assert!(error_of(&ev).0.contains("model file"), "{ev:?}");
    assert_eq!(
        s.store().entry(Slot::Defended).unwrap().info.test_accuracy,
        acc,
        "a bad upload keeps the model"
    );
}

#[test]
fn bad_requests_name_their_field_and_leave_the_session_working() {
    let mut s = session_with(&["iris"]);
    let mut t = settings("iris", "iris-linear", 0);
    assert_eq!(
        error_of(&s.handle(Request::Train {
            id: 1,
            slot: Slot::Undefended,
            settings: t.clone(),
            parts: None,
        }))
        .1
        .as_deref(),
        Some("epochs")
    );
    t.epochs = Some(5);
    t.learning_rate = Some(-1.0);
    assert_eq!(
        error_of(&s.handle(Request::Train {
            id: 2,
            slot: Slot::Undefended,
            settings: t.clone(),
            parts: None,
        }))
        .1
        .as_deref(),
        Some("learning_rate")
    );
    t.learning_rate = None;
    t.arch = Some("mnist-seed".into());
    assert_eq!(
        error_of(&s.handle(Request::Train {
            id: 3,
            slot: Slot::Undefended,
            settings: t.clone(),
            parts: None,
        }))
        .1
        .as_deref(),
        Some("arch")
    );
    t.arch = Some("iris-linear".into());
    t.dataset = "mnist".into();
    let (msg, field) = error_of(&s.handle(Request::Train {
        id: 4,
        slot: Slot::Undefended,
        settings: t.clone(),
        parts: None,
    }));
    assert_eq!(
        (msg.as_str(), field.as_deref()),
        ("dataset mnist is not loaded yet", Some("dataset"))
    );
    t.dataset = "iris".into();
    train(&mut s, Slot::Undefended, t);
    let mut attack = crate::protocol::AttackSettings {
        adaptive: None,
        dataset: "iris".into(),
        model: Slot::Undefended,
        samples: crate::protocol::Samples::Test {
            start: 40,
            count: 10,
        },
        attack: AttackConfig::Jsma(JsmaParams {
            gamma: 1.5,
            ..JsmaParams::default()
        }),
        targets: None,
        seed: 0,
        trace: false,
        parts: None,
    };
    let (msg, field) = error_of(&s.handle(Request::Attack {
        id: 5,
        settings: attack.clone(),
    }));
    assert_eq!(field.as_deref(), Some("gamma"), "{msg}");
    assert!(msg.contains("1.5"), "{msg}");
    attack.attack = AttackConfig::Jsma(JsmaParams::default());
    assert_eq!(
        error_of(&s.handle(Request::Attack {
            id: 6,
            settings: attack.clone()
        }))
        .1
        .as_deref(),
        Some("start")
    );
    attack.samples = crate::protocol::Samples::Test { start: 0, count: 2 };
    attack.model = Slot::Defended;
    assert!(error_of(&s.handle(Request::Attack {
        id: 7,
        settings: attack
    }))
    .0
    .contains("no defended model"));
    let ev = s.handle(Request::Hello { id: 8 });
    assert!(
        matches!(ev[0], Event::Ready { id: Some(8), .. }),
        "still answering"
    );
}

#[test]
fn a_large_fgsm_pgd_gap_warns_of_gradient_masking() {
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
        series("fgsm", vec![0.9, 0.8]),
        series("pgd", vec![0.85, 0.7]),
    ];
    assert_eq!(masking_warning(&fine, &values), None);
    let masked = [
        series("fgsm", vec![0.9, 0.85]),
        series("pgd", vec![0.8, 0.1]),
    ];
    let w = masking_warning(&masked, &values).unwrap();
    let en = &w.en;
    assert!(
        en.contains("defended") && en.contains("85%") && en.contains("10%") && en.contains("0.3"),
        "{en}"
    );
    let ko = &w.ko;
    assert!(
        ko.contains("방어한 모델")
            && ko.contains("85%")
            && ko.contains("10%")
            && ko.contains("0.3"),
        "{ko}"
    );
}
