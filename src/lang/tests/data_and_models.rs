//! The Korean of the errors about data, training, attacks, defences, models, charts and .npy
//! files, and the presets' descriptions.

use super::super::*;
use super::says_both;
use crate::attacks::AttackError;
use crate::charts::ChartError;
use crate::classifier::SampleError;
use crate::data::DataError;
use crate::defences::DefenceError;
use crate::nn::file::ModelFileError;
use crate::nn::presets::PresetError;
use crate::nn::spec::SpecError;
use crate::nn::NnError;
use crate::params::ParamError;
use crate::train::TrainError;

#[test]
fn data_errors_say_themselves_in_korean() {
    let samples: Vec<(DataError, Vec<&str>)> = vec![
        (
            DataError::BadMagic {
                what: "train images",
                expected: 2051,
                found: 7,
            },
            vec!["train images", "0x00000007", "0x00000803"],
        ),
        (
            DataError::Truncated {
                what: "labels",
                expected: 60,
                actual: 3,
            },
            vec!["labels", "60", "3"],
        ),
        (
            DataError::LabelOutOfRange {
                index: 4,
                label: 12,
                nb_classes: 10,
            },
            vec!["4", "12", "10"],
        ),
        (
            DataError::WrongImageSize {
                what: "test images",
                rows: 27,
                cols: 28,
                expected_rows: 28,
                expected_cols: 28,
            },
            vec!["27x28", "28x28"],
        ),
        (DataError::BadTestFraction(1.5), vec!["test_set", "1.5"]),
        (
            DataError::BadCanvas {
                width: 3,
                height: 4,
                expected: 12,
                actual: 11,
            },
            vec!["3x4", "12", "11"],
        ),
        (
            DataError::FileCount {
                name: "mnist".into(),
                expected: "a, b, c, d".into(),
                actual: 2,
            },
            vec!["mnist", "4", "a, b, c, d", "2"],
        ),
        (
            DataError::UnknownDataset {
                name: "cifar".into(),
                valid: "iris, mnist".into(),
            },
            vec!["\"cifar\"", "iris, mnist"],
        ),
    ];
    for (e, kept) in &samples {
        says_both(e, kept);
    }
    let bad_csv = "5.1,3.5,1.4,0.2,setosa\n4.9,x,1.4,0.2,setosa\n";
    let e = crate::data::iris::iris_from_csv(bad_csv).unwrap_err();
    says_both(&e, &["CSV", "2", "\"x\""]);
    let e = crate::data::iris::iris_from_csv("5.1,3.5,1.4,0.2,setosa\n").unwrap_err();
    says_both(&e, &["1", "3"]);
}

#[test]
fn training_errors_say_themselves_in_korean() {
    let cfg = crate::train::TrainConfig {
        epochs: 0,
        batch_size: 8,
        seed: 0,
    };
    says_both(&cfg.validate().unwrap_err(), &["epochs", "0"]);
    let e = crate::train::Trainer::new(
        crate::train::TrainConfig {
            epochs: 1,
            batch_size: 8,
            seed: 0,
        },
        0,
    )
    .unwrap_err();
    says_both(&e, &[]);
    let e = TrainError::Transform(text!("returned shape (3, 2)", "돌려준 모양 (3, 2)"));
    says_both(&e, &["(3, 2)"]);
}

#[test]
fn attack_and_defence_errors_say_themselves_in_korean() {
    let samples = [
        (
            AttackError::FeatureMismatch {
                expected: 4,
                got: 3,
            },
            vec!["4", "3"],
        ),
        (
            AttackError::LabelCount {
                expected: 5,
                got: 2,
            },
            vec!["5", "2"],
        ),
        (
            AttackError::LabelOutOfRange {
                index: 1,
                label: 9,
                nb_classes: 3,
            },
            vec!["1", "9", "3"],
        ),
        (
            AttackError::TargetsRequired { attack: "jsma" },
            vec!["`jsma`", "`y`"],
        ),
        (
            AttackError::NeedsClasses {
                attack: "apgd-dlr",
                need: 3,
                nb_classes: 2,
            },
            vec!["apgd-dlr", "3", "2"],
        ),
        (
            AttackError::InvalidClipValues { min: 1.0, max: 0.0 },
            vec!["(1, 0)"],
        ),
        (
            AttackError::Sample(SampleError::OutOfRange {
                sample: 0,
                feature: 2,
                value: 1.5,
                min: 0.0,
                max: 1.0,
            }),
            vec!["1.5", "[0, 1]"],
        ),
    ];
    for (e, kept) in &samples {
        says_both(e, kept);
    }
    for (e, kept) in [
        (
            DefenceError::UnknownParam {
                attack: "fgsm",
                param: "zzz".into(),
                known: "eps, eps_step".into(),
            },
            vec!["`fgsm`", "\"zzz\"", "eps, eps_step"],
        ),
        (
            DefenceError::Attack(AttackError::TargetsRequired { attack: "jsma" }),
            vec!["`jsma`"],
        ),
        (
            DefenceError::Param(ParamError::invalid(
                "ratio",
                2,
                text!("must be at most 1", "1 이하여야 합니다"),
            )),
            vec!["ratio = 2"],
        ),
    ] {
        says_both(&e, &kept);
    }
}

#[test]
fn model_errors_say_themselves_in_korean() {
    let e = crate::nn::file::load_model(&[1, 2, 3]).unwrap_err();
    says_both(&e, &["3", "8"]);
    let e = crate::nn::file::load_model(&[0xff; 64]).unwrap_err();
    says_both(&e, &[]);
    for (e, kept) in [
        (
            ModelFileError::MissingMetadata,
            vec!["\"advlab\"", "__metadata__"],
        ),
        (
            ModelFileError::Dtype {
                name: "layers.0.kernel".into(),
                found: "F16".into(),
            },
            vec!["layers.0.kernel", "F16", "F32"],
        ),
        (
            ModelFileError::Shape {
                name: "layers.0.bias".into(),
                expected: vec![3],
                found: vec![4],
            },
            vec!["layers.0.bias", "[3]", "[4]"],
        ),
        (
            ModelFileError::Detector(Box::new(ModelFileError::MissingTensor(
                "detector.layers.0.kernel".into(),
            ))),
            vec!["advlab-detector", "detector.layers.0.kernel"],
        ),
    ] {
        says_both(&e, &kept);
    }
    let spec = |layers: &str| {
        format!(
            r#"{{"format":"advlab-model/1","input_shape":[4],"clip_values":[0.0,1.0],
            "labels":["a","b","c"],"layers":[{layers}]}}"#
        )
    };
    let e = crate::nn::ModelSpec::from_json(&spec(r#"{"type":"dense","units":7}"#)).unwrap_err();
    says_both(&e, &["[7]", "3"]);
    let e = crate::nn::ModelSpec::from_json(&spec(r#"{"type":"dropout","rate":1.5}"#)).unwrap_err();
    says_both(&e, &["(dropout)", "1.5"]);
    let e = crate::nn::ModelSpec::from_json("{").unwrap_err();
    says_both(&e, &["JSON"]);
    let e = SpecError::Format("v9".into());
    says_both(&e, &["\"v9\"", "advlab-model/1"]);
    let e = NnError::MissingTensor {
        name: "layers.1.gamma".into(),
        expected: vec![10],
    };
    says_both(&e, &["layers.1.gamma", "[10]"]);
    let e = crate::nn::OptimizerConfig::adam(-1.0)
        .validate()
        .unwrap_err();
    says_both(&e, &["learning_rate", "-1"]);
    let e = PresetError::TooLarge {
        bytes: 70000,
        limit: 65536,
    };
    says_both(&e, &["70000", "65536"]);
    let e = PresetError::Mismatch {
        arch: "mnist-small".into(),
        dataset: "iris".into(),
        reason: text!(
            "input shape [28, 28, 1] vs the dataset's [4]",
            "입력 모양 [28, 28, 1], 데이터셋의 입력 모양 [4]"
        ),
    };
    says_both(&e, &["mnist-small", "iris", "[28, 28, 1]", "[4]"]);
}

#[test]
fn chart_and_npy_errors_say_themselves_in_korean() {
    let e = ChartError::OutOfRange {
        field: "y_max".into(),
        value: -1.0,
        allowed: text!("must be above 0", "0보다 커야 합니다"),
    };
    says_both(&e, &["y_max = -1"]);
    #[cfg(not(target_arch = "wasm32"))]
    {
        let e = crate::data::npy::read_floats(b"not an npy file").unwrap_err();
        says_both(&e, &["NUMPY"]);
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
        bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(&[0; 8]);
        let e = crate::data::npy::read_floats(&bytes).unwrap_err();
        says_both(&e, &["[3]", "<f4", "12", "8"]);
    }
}

#[test]
fn preset_descriptions_are_in_both_languages() {
    for name in crate::nn::presets::preset_names() {
        let p = crate::nn::presets::preset(name).unwrap();
        let d = p.description;
        assert!(
            !d.en.is_empty() && has_hangul(d.ko) && d.en != d.ko,
            "{name}"
        );
    }
}
