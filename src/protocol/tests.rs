//! The protocol's JSON shapes, as the page writes and reads them.

use super::*;
use crate::attacks::AttackConfig;

#[test]
fn requests_and_events_round_trip_through_json() {
    let req: Request = serde_json::from_str(r#"{"type":"Hello","id":7}"#).unwrap();
    assert_eq!(req, Request::Hello { id: 7 });
    assert_eq!(req.id(), 7);
    let ev = Event::error(
        Some(3),
        crate::lang::Text::new("bad", "잘못됨"),
        Some("eps".into()),
    );
    let text = serde_json::to_string(&ev).unwrap();
    assert_eq!(
        text,
        r#"{"type":"Error","id":3,"message":"bad","ko":"잘못됨","field":"eps"}"#
    );
}

#[test]
fn a_refused_request_s_error_event_says_it_in_english_and_korean() {
    let mut session = crate::session::Session::new();
    let request = parse_request(r#"{"type":"Cancel","id":5}"#).unwrap();
    let events = session.handle(request);
    let json = serde_json::to_value(&events[0]).unwrap();
    assert_eq!(json["type"], "Error");
    assert_eq!(json["message"], "nothing to cancel: no job is running");
    let ko = json["ko"].as_str().unwrap();
    assert!(crate::lang::has_hangul(ko), "{ko}");
    let e = parse_request(
        r#"{"type":"Train","id":2,"slot":"undefended","settings":{"dataset":"iris","epochs":-5}}"#,
    )
    .unwrap_err();
    let ev = Event::error(Some(2), crate::lang::Text::of(&e), e.field());
    let json = serde_json::to_value(&ev).unwrap();
    assert_eq!(
        json["message"],
        "invalid parameter epochs = -5: must be a whole number from 1 to 1000"
    );
    assert_eq!(
        json["ko"],
        "잘못된 매개변수 epochs = -5: 1부터 1000까지의 정수여야 합니다"
    );
    assert_eq!(json["field"], "epochs");
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
            parts: None,
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
            Err(e) => assert!(e.message().contains(needle), "{}", e.message()),
            Ok(req) => panic!("expected an error, got {req:?}"),
        }
    }
}

#[test]
fn values_the_worker_cannot_decode_name_their_field_in_plain_words() {
    let train = |settings: &str| {
        format!(
            r#"{{"type":"Train","id":3,"slot":"undefended","settings":{{"dataset":"iris"{settings}}}}}"#
        )
    };
    for (text, field, message) in [
        (
            train(r#","epochs":-5"#),
            "epochs",
            "invalid parameter epochs = -5: must be a whole number from 1 to 1000",
        ),
        (
            train(r#","learning_rate":"abc""#),
            "learning_rate",
            "invalid parameter learning_rate = \"abc\": must be a number greater than 0 and at most 1",
        ),
        (
            train(r#","epochs":2.5"#),
            "epochs",
            "invalid parameter epochs = 2.5: must be a whole number from 1 to 1000",
        ),
        (
            train(r#","defence":{"method":"madry-pgd","max_iter":1e20}"#),
            "max_iter",
            "invalid parameter max_iter = 1e20: must be a whole number from 1 to 1000",
        ),
        (
            train(&format!(r#","arch":"{}""#, "x".repeat(1 << 20 | 1))),
            "arch",
            "invalid parameter arch = \"xxxxxxxx",
        ),
        (
            train(r#","epohcs":3"#),
            "epohcs",
            "training has no parameter \"epohcs\"",
        ),
        (
            r#"{"type":"Attack","id":4,"settings":{"dataset":"iris","model":"undefended","samples":{"kind":"test","start":-1,"count":1},"attack":{"attack":"fgsm"}}}"#.to_string(),
            "start",
            "invalid parameter start = -1: must be a whole number from 0 to 1000000",
        ),
        (
            r#"{"type":"Attack","id":4,"settings":{"dataset":"iris","model":"undefended","samples":{"kind":"test","start":0,"count":1},"attack":{"attack":"pgd","eps":1e39}}}"#.to_string(),
            "eps",
            "invalid parameter eps = 1e39: must be a number from 0 to 1000",
        ),
        (
            r#"{"type":"Sweep","id":5,"settings":{"dataset":"iris","attack":{"attack":"cw"},"param":"eps","values":[0.1],"n":10}}"#.to_string(),
            "attack",
            "invalid parameter attack = \"cw\": must be one of fgsm, pgd, jsma, deepfool, newtonfool",
        ),
        (
            r#"{"type":"Hello","id":-1}"#.to_string(),
            "id",
            "invalid parameter id = -1",
        ),
    ] {
        let e = parse_request(&text).unwrap_err();
        assert_eq!(e.field().as_deref(), Some(field), "{text}");
        assert!(e.message().starts_with(message), "{} vs {message}", e.message());
        assert!(!e.message().contains("expected usize"), "{}", e.message());
    }
    let e = parse_request("[1, 2]").unwrap_err();
    assert!(e.message().starts_with("bad request: "), "{}", e.message());
    assert_eq!(e.field(), None);
}
