//! Defence stacks and detectors through the worker protocol: `SetStack` changes predictions and
//! is measured, attacks take `adaptive`, sweeps compare naive and adaptive curves, detectors
//! train as a job and score every prediction, and a model file carries its stack.

use super::helpers::{error_of, last, run, session_with, settings, train};
use crate::protocol::{parse_request, Event, Request, Slot};
use crate::session::Session;

fn request(json: &str) -> Request {
    parse_request(json).unwrap_or_else(|e| panic!("{json}: {}", e.message()))
}

fn iris_session() -> Session {
    let mut s = session_with(&["iris"]);
    train(&mut s, Slot::Undefended, settings("iris", "iris-seed", 60));
    s
}

#[test]
fn set_stack_changes_predictions_and_is_reported() {
    let mut s = iris_session();
    let before = s.handle(request(
        r#"{"type":"Predict","id":1,"dataset":"iris","input":{"kind":"test","index":0}}"#,
    ));
    let ev = s.handle(request(
        r#"{"type":"SetStack","id":2,"slot":"undefended","dataset":"iris",
            "stack":{"pieces":[{"method":"class-labels"}]}}"#,
    ));
    let Event::StackSet { model, .. } = last(&ev) else {
        panic!("{ev:?}")
    };
    assert_eq!(model.stack.pieces.len(), 1);
    assert!(model.stacked_test_accuracy.is_some());
    assert_eq!(model.stacked_test_samples, 45);
    let after = s.handle(request(
        r#"{"type":"Predict","id":3,"dataset":"iris","input":{"kind":"test","index":0}}"#,
    ));
    let scores = |ev: &[Event]| match last(ev) {
        Event::Prediction { result, .. } => result.scores.undefended.clone().unwrap().0,
        other => panic!("{other:?}"),
    };
    assert_ne!(scores(&before), scores(&after));
    assert!(scores(&after).iter().all(|v| *v == 0.0 || *v == 1.0));
    // Spatial smoothing needs images: refused, naming the value.
    let ev = s.handle(request(
        r#"{"type":"SetStack","id":4,"slot":"undefended","dataset":"iris",
            "stack":{"pieces":[{"method":"spatial-smoothing"}]}}"#,
    ));
    let (msg, field) = error_of(&ev);
    assert!(msg.contains("[4]"), "{msg}");
    assert_eq!(field.as_deref(), Some("method"));
    let bad = parse_request(
        r#"{"type":"SetStack","id":5,"slot":"undefended","dataset":"iris",
            "stack":{"pieces":[{"method":"rounded","decimals":-1}]}}"#,
    )
    .unwrap_err()
    .message();
    assert!(bad.contains("decimals = -1"), "{bad}");
}

#[test]
fn naive_and_adaptive_attacks_and_curves_through_a_stack() {
    let mut s = iris_session();
    s.handle(request(
        r#"{"type":"SetStack","id":1,"slot":"undefended","dataset":"iris",
            "stack":{"pieces":[{"method":"feature-squeezing","bit_depth":3}]}}"#,
    ));
    let attack = |adaptive: &str| {
        format!(
            r#"{{"type":"Attack","id":2,"settings":{{"dataset":"iris","model":"undefended",
            "samples":{{"kind":"test","start":0,"count":45}},
            "attack":{{"attack":"pgd","eps":0.2,"eps_step":0.02,"max_iter":20}},
            "adaptive":{{"adaptive":"{adaptive}"}}}}}}"#
        )
    };
    let acc = |s: &mut Session, mode: &str| match last(&run(s, request(&attack(mode)), 5)) {
        Event::AttackDone { result, .. } => {
            assert_eq!(result.adaptive.adaptive, mode);
            result.undefended.as_ref().unwrap().adversarial_accuracy
        }
        other => panic!("{other:?}"),
    };
    let naive = acc(&mut s, "none");
    let bpda = acc(&mut s, "bpda");
    assert!(bpda < naive, "bpda {bpda} vs naive {naive}");
    let ev = run(
        &mut s,
        request(
            r#"{"type":"Sweep","id":3,"settings":{"dataset":"iris","attack":{"attack":"pgd",
            "eps_step":0.02,"max_iter":10},"param":"eps","values":[0.1,0.2],"n":45,
            "compare_adaptive":"bpda"}}"#,
        ),
        5,
    );
    let Event::SweepDone { result, .. } = last(&ev) else {
        panic!("{ev:?}")
    };
    let modes: Vec<&str> = result.series.iter().map(|s| s.adaptive.as_str()).collect();
    assert_eq!(modes, ["none", "bpda"]);
    assert!(result.series[1].accuracy[1] < result.series[0].accuracy[1]);
    assert!(
        result
            .warning
            .as_deref()
            .unwrap_or("")
            .contains("hides gradients")
            || result.warning.is_some()
    );
    assert_eq!(result.warning.is_some(), result.warning_ko.is_some());
}

#[test]
fn a_detector_trains_as_a_job_scores_predictions_and_travels_in_the_file() {
    let mut s = iris_session();
    let ev = run(
        &mut s,
        request(
            r#"{"type":"TrainDetector","id":1,"slot":"undefended","dataset":"iris",
            "settings":{"attack":{"attack":"fgsm","eps":0.3},"arch":"iris-seed","epochs":20,
            "learning_rate":0.01,"train_limit":105,"test_limit":45}}"#,
        ),
        3,
    );
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Progress { phase, .. } if phase == "train-detector")));
    let Event::DetectorTrained { model, report, .. } = last(&ev) else {
        panic!("{ev:?}")
    };
    assert!(model.has_detector);
    assert_eq!(report.test_samples, 45);
    assert!((0.0..=1.0).contains(&report.detection_rate));
    let ev = s.handle(request(
        r#"{"type":"Predict","id":2,"dataset":"iris","input":{"kind":"test","index":3}}"#,
    ));
    let Event::Prediction { result, .. } = last(&ev) else {
        panic!("{ev:?}")
    };
    assert_eq!(result.detector.undefended.as_ref().map(Vec::len), Some(1));
    assert!(result.detector.defended.is_none());
    let ev = run(
        &mut s,
        request(
            r#"{"type":"Attack","id":3,"settings":{"dataset":"iris","model":"undefended",
            "samples":{"kind":"test","start":0,"count":10},"attack":{"attack":"fgsm","eps":0.3},
            "adaptive":{"detector_aware":true}}}"#,
        ),
        5,
    );
    let Event::AttackDone { result, .. } = last(&ev) else {
        panic!("{ev:?}")
    };
    assert_eq!(result.detector.len(), 1);
    assert_eq!(result.detector[0].adversarial_scores.len(), 10);
    // Export and import: the stack and the detector come back.
    s.handle(request(
        r#"{"type":"SetStack","id":4,"slot":"undefended","dataset":"iris",
            "stack":{"pieces":[{"method":"rounded","decimals":2}]}}"#,
    ));
    let ev = s.handle(request(
        r#"{"type":"ExportModel","id":5,"slot":"undefended"}"#,
    ));
    let Event::ModelFile { file, .. } = last(&ev) else {
        panic!("{ev:?}")
    };
    let ev = s.handle(Request::ImportModel {
        id: 6,
        slot: Slot::Defended,
        dataset: "iris".into(),
        file: file.clone(),
        origin: None,
    });
    let Event::Trained { model, .. } = last(&ev) else {
        panic!("{ev:?}")
    };
    assert_eq!(model.stack.pieces.len(), 1);
    assert!(model.has_detector);
    // Removing the detector.
    let ev = s.handle(request(
        r#"{"type":"SetStack","id":7,"slot":"defended","dataset":"iris","stack":{"pieces":[]},
            "remove_detector":true}"#,
    ));
    let Event::StackSet { model, .. } = last(&ev) else {
        panic!("{ev:?}")
    };
    assert!(!model.has_detector && model.stack.pieces.is_empty());
}
