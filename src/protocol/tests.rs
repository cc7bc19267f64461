//! The protocol's JSON shapes, as the page writes and reads them.

use super::*;
use crate::attacks::AttackConfig;

#[test]
fn requests_and_events_round_trip_through_json() {
    let req: Request = serde_json::from_str(r#"{"type":"Hello","id":7}"#).unwrap();
    assert_eq!(req, Request::Hello { id: 7 });
    assert_eq!(req.id(), 7);
    let ev = Event::error(Some(3), "bad", Some("eps".into()));
    let text = serde_json::to_string(&ev).unwrap();
    assert_eq!(
        text,
        r#"{"type":"Error","id":3,"message":"bad","field":"eps"}"#
    );
}

#[test]
fn the_page_s_train_and_attack_requests_parse() {
    let train = r#"{"type":"Train","id":2,"slot":"defended","settings":{"dataset":"mnist",
        "arch":"mnist-small","epochs":2,"learning_rate":0.003,"seed":1,"train_limit":5000,
        "defence":{"method":"adv-trainer","ratio":0.5,"attacks":[{"attack":"fgsm","eps":0.2}]}}}"#;
    match parse_request(train).unwrap() {
        Request::Train {
            id: 2,
            slot: Slot::Defended,
            settings,
        } => {
            assert_eq!(settings.epochs, Some(2));
            assert_eq!(settings.batch_size, None);
            assert_eq!(settings.defence.unwrap().name(), "adv-trainer");
        }
        other => panic!("{other:?}"),
    }
    let attack = r#"{"type":"Attack","id":4,"settings":{"dataset":"iris","model":"undefended",
        "samples":{"kind":"test","start":3,"count":2},"attack":{"attack":"jsma","theta":-0.2},
        "targets":[1,2],"trace":true}}"#;
    match parse_request(attack).unwrap() {
        Request::Attack { settings, .. } => {
            assert_eq!(settings.samples, Samples::Test { start: 3, count: 2 });
            assert!(matches!(settings.attack, AttackConfig::Jsma(ref p) if p.theta == -0.2));
            assert_eq!((settings.seed, settings.trace), (0, true));
        }
        other => panic!("{other:?}"),
    }
    let sweep = r#"{"type":"Sweep","id":5,"settings":{"dataset":"mnist","attack":{"attack":"fgsm"},
        "param":"eps","values":[0.1,0.2],"n":100}}"#;
    match parse_request(sweep).unwrap() {
        Request::Sweep { settings, .. } => {
            assert!(settings.pgd_check, "the PGD check is on by default")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_requests_and_bad_fields_are_errors_naming_them() {
    for (text, needle) in [
        (r#"{"type":"Explode","id":1}"#, "Explode"),
        (
            r#"{"type":"Train","id":1,"slot":"middle","settings":{"dataset":"iris","arch":"x"}}"#,
            "middle",
        ),
        (
            r#"{"type":"Attack","id":1,"settings":{"dataset":"iris","model":"undefended","samples":{"kind":"test","start":0,"count":1},"attack":{"attack":"cw"}}}"#,
            "cw",
        ),
    ] {
        match parse_request(text) {
            Err(message) => assert!(message.contains(needle), "{message}"),
            Ok(req) => panic!("expected an error, got {req:?}"),
        }
    }
}
