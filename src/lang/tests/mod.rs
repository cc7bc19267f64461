//! Every error that can reach the page says itself in Korean too: for a sample of each error type,
//! the Korean is not empty, is not the English, has Hangul in it, and keeps the parameter's name
//! and the offending value wherever the English has them.

use super::*;
use crate::attacks::AttackError;
use crate::classifier::{NonFiniteOutput, SampleError};
use crate::data::DataError;
use crate::defences::DefenceError;
use crate::nn::file::ModelFileError;
use crate::nn::presets::PresetError;
use crate::nn::NnError;
use crate::params::ParamError;
use crate::protocol::{parse_request, Slot};
use crate::session::SessionError;
use crate::train::TrainError;

/// The English and Korean of `e` differ, the Korean has Hangul, and both keep every `kept` text.
fn says_both(e: &(impl Bilingual + std::fmt::Display), kept: &[&str]) {
    let (en, ko) = (e.to_string(), e.ko());
    assert_eq!(en, e.say(Lang::En), "Display is the English");
    assert!(!ko.is_empty() && ko != en, "{en} / {ko}");
    assert!(has_hangul(&ko), "no Hangul in {ko:?} ({en})");
    for k in kept {
        assert!(en.contains(k), "{k:?} not in the English {en:?}");
        assert!(ko.contains(k), "{k:?} not in the Korean {ko:?} ({en})");
    }
}

#[test]
fn text_is_english_when_displayed_and_korean_when_asked() {
    let n = 3;
    let t = text!("needs {n} items", "항목 {n}개가 필요합니다");
    assert_eq!(t.to_string(), "needs 3 items");
    assert_eq!(t.ko(), "항목 3개가 필요합니다");
    assert_eq!(Text::of(&t), t);
    assert_eq!(say!(Lang::Ko, "{} a", "{} 가"; 1), "1 가");
    assert!(has_hangul(&t.ko) && !has_hangul(&t.en));
    assert_eq!(Text::verbatim("os says no").ko, "os says no");
    assert_eq!(Lang::from_code("ko"), Lang::Ko);
    assert_eq!(Lang::from_code("fr"), Lang::En);
    assert_eq!(serde_json::to_string(&Lang::Ko).unwrap(), "\"ko\"");
}

#[test]
fn parameter_errors_keep_the_name_and_the_value() {
    let e = crate::catalog::check_value("fgsm", "eps", &serde_json::json!(-1)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid parameter eps = -1: must be a number from 0 to 1000"
    );
    assert_eq!(
        e.ko(),
        "잘못된 매개변수 eps = -1: 0부터 1000까지의 수여야 합니다"
    );
    for (group, name, value, kept) in [
        ("training", "epochs", serde_json::json!(2.5), "epochs = 2.5"),
        ("jsma", "theta", serde_json::json!(0), "theta = 0"),
        ("fgsm", "norm", serde_json::json!("3"), "norm = \"3\""),
        ("training", "arch", serde_json::json!(true), "arch = true"),
        ("fgsm", "minimal", serde_json::json!(7), "minimal = 7"),
        ("sweep", "values", serde_json::json!([]), "values"),
        ("fgsm", "nope", serde_json::json!(1), "\"nope\""),
        (
            "adv-trainer",
            "attacks",
            serde_json::json!([{"attack": "zzz"}]),
            "zzz",
        ),
    ] {
        let e = crate::catalog::check_value(group, name, &value).unwrap_err();
        says_both(&e, &[kept]);
    }
    // Constraints between fields, and values checked against data.
    let e = ParamError::invalid("eps_step", 0.001, text!("must be small", "작아야 합니다"));
    says_both(&e, &["eps_step = 0.001"]);
    let e = ParamError::NotAnObject {
        group: "fgsm".into(),
        value: "3".into(),
    };
    says_both(&e, &["fgsm", "3"]);
    let e = crate::defences::StackConfig::from_raw(&crate::params::Raw::Str("x".into()));
    says_both(&e.unwrap_err(), &["stack", "\"x\""]);
}

#[test]
fn request_errors_say_the_field_in_both_languages() {
    let e = parse_request(
        r#"{"type":"Train","id":2,"slot":"undefended","settings":{"dataset":"iris","learning_rate":"abc"}}"#,
    )
    .unwrap_err();
    says_both(&e, &["learning_rate = \"abc\""]);
    let e = parse_request(r#"{"type":"Nope","id":2}"#).unwrap_err();
    says_both(&e, &["Nope"]);
    assert_eq!(e.message(), e.to_string());
    let e = parse_request(r#"{"type":"Map","id":1,"settings":{"dataset":"iris","features":[0]}}"#)
        .unwrap_err();
    says_both(&e, &["features"]);
}

#[test]
fn session_errors_say_themselves_in_korean() {
    let samples = [
        (
            SessionError::UnknownDataset("cifar".into()),
            vec!["\"cifar\""],
        ),
        (SessionError::NotLoaded("mnist".into()), vec!["mnist"]),
        (
            SessionError::NoModel {
                slot: Slot::Defended,
                dataset: Some("iris".into()),
            },
            vec!["iris"],
        ),
        (
            SessionError::NoModel {
                slot: Slot::Undefended,
                dataset: None,
            },
            vec![],
        ),
        (SessionError::Busy(text!("training", "학습")), vec![]),
        (
            SessionError::invalid(
                "count",
                0,
                text!("must be 1 or more", "1 이상이어야 합니다"),
            ),
            vec!["count = 0"],
        ),
        (
            SessionError::Sample(SampleError::NonFinite {
                sample: 3,
                feature: 7,
                value: f32::NAN,
            }),
            vec!["x: ", "3", "7", "NaN"],
        ),
        (
            SessionError::Data(DataError::TooLarge { limit: 1000 }),
            vec!["1000"],
        ),
        (
            SessionError::Arch(PresetError::Unknown { name: "big".into() }),
            vec!["\"big\"", "mnist-small"],
        ),
        (
            SessionError::ModelFile(ModelFileError::TooShort(5)),
            vec!["5"],
        ),
        (
            SessionError::Train(TrainError::Diverged {
                loss: f32::INFINITY,
                epoch: 2,
                batch: 9,
            }),
            vec!["inf", "2", "9"],
        ),
        (
            SessionError::Attack(AttackError::TooFewClasses { nb_classes: 1 }),
            vec!["1"],
        ),
        (
            SessionError::Defence(DefenceError::TargetedAttack { attack: "pgd" }),
            vec!["pgd", "targeted"],
        ),
        (
            SessionError::Model(NnError::GradientLength {
                got: 5,
                expected: 9,
            }),
            vec!["5", "9"],
        ),
        (
            SessionError::NonFinite(NonFiniteOutput {
                sample: 4,
                layer: text!("node 2 (dense)", "노드 2 (dense)"),
                value: f32::NAN,
            }),
            vec!["4", "NaN", "(dense)"],
        ),
    ];
    for (e, kept) in &samples {
        says_both(e, kept);
    }
    // The slot is named in Korean as the page names it.
    let e = &samples[2].0;
    assert!(e.ko().contains("방어한 모델"), "{}", e.ko());
    assert!(e.to_string().contains("defended model for iris"), "{e}");
}

#[test]
fn a_session_s_errors_become_bilingual_error_events() {
    let mut session = crate::session::Session::new();
    let request = parse_request(r#"{"type":"ExportModel","id":9,"slot":"defended"}"#).unwrap();
    let events = session.handle(request);
    let json = serde_json::to_value(&events[0]).unwrap();
    assert_eq!(json["type"], "Error");
    assert_eq!(
        json["message"],
        "there is no defended model for any dataset yet: train or upload one first"
    );
    assert_eq!(
        json["ko"],
        "방어한 모델이 아직 없습니다. 먼저 학습하거나 올리세요"
    );
    let request =
        parse_request(r#"{"type":"Predict","id":3,"dataset":"mnist","input":{"kind":"test"}}"#)
            .unwrap();
    let json = serde_json::to_value(&session.handle(request)[0]).unwrap();
    assert_eq!(json["message"], "dataset mnist is not loaded yet");
    assert!(has_hangul(json["ko"].as_str().unwrap()), "{json}");
    assert_eq!(json["field"], "dataset");
}

mod data_and_models;
