//! No option is accepted and then ignored: an adaptive option that would change nothing for the
//! model or the attack is refused with the option's name and why (or, in a sweep where it applies
//! to another model, reported in `warnings`), and `--compare-adaptive` never mislabels a column.

mod common;

use std::path::Path;

use common::{advlab, assert_fails, iris_detector, iris_model, s, stdout_json, temp_dir};
use ndarray::Array2;
use ndarray_npy::write_npy;

fn made(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn adaptive_options_that_would_do_nothing_are_refused_or_reported() {
    let dir = temp_dir("options");
    let m = iris_model();
    let fs = dir.join("fs.safetensors");
    made(&advlab(&[
        "defend",
        "feature-squeezing",
        "--bit-depth",
        "2",
        "--model",
        s(&m),
        "--dataset",
        "iris",
        "--out",
        s(&fs),
    ]));
    let (run, det) = iris_detector(&dir, "0.2");
    made(&run);
    let x = dir.join("x.npy");
    write_npy(
        &x,
        &Array2::from_shape_fn((6, 4), |(i, j)| ((i + 2 * j) % 5) as f32 / 5.0),
    )
    .unwrap();
    let out = dir.join("adv.npy");
    let attack = |model: &Path, extra: &[&str]| {
        let base = [
            "attack",
            extra[0],
            "--model",
            s(model),
            "--input",
            s(&x),
            "--out",
            s(&out),
        ];
        advlab(&[&base[..], &extra[1..]].concat())
    };
    assert_fails(
        &attack(&m, &["fgsm", "--adaptive", "bpda"]),
        "--adaptive bpda: the model has no defence stack",
    );
    made(&attack(&fs, &["fgsm", "--adaptive", "bpda"]));
    assert_fails(
        &attack(&fs, &["fgsm", "--adaptive", "bpda", "--eot-samples", "5"]),
        "--eot-samples: only --adaptive eot",
    );
    made(&attack(
        &fs,
        &["fgsm", "--adaptive", "eot", "--eot-samples", "5"],
    ));
    assert_fails(
        &attack(&m, &["fgsm", "--detector-aware"]),
        "--detector-aware: the model file has no detector",
    );
    assert_fails(
        &attack(&det, &["deepfool", "--detector-aware"]),
        "--detector-aware: deepfool does not ascend",
    );
    let v = stdout_json(&attack(
        &det,
        &["pgd", "--eps", "0.1", "--detector-aware", "--json"],
    ));
    assert_eq!(v["adaptive"]["detector_aware"], true);

    let sweep = |extra: &[&str]| {
        let base = [
            "sweep",
            "--attack",
            "fgsm",
            "--param",
            "eps",
            "--values",
            "0.1,0.2",
            "--dataset",
            "iris",
        ];
        advlab(&[&base[..], extra].concat())
    };
    assert_fails(
        &sweep(&[
            "--model",
            s(&fs),
            "--compare-adaptive",
            "bpda",
            "--adaptive",
            "eot",
        ]),
        "leave --adaptive at none",
    );
    assert_fails(
        &sweep(&["--model", s(&m), "--compare-adaptive", "bpda"]),
        "no model has a defence stack",
    );
    let v = stdout_json(&sweep(&[
        "--model",
        s(&m),
        "--defended",
        s(&fs),
        "--compare-adaptive",
        "bpda",
        "--json",
    ]));
    let mut columns: Vec<&str> = v["results"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    columns.sort();
    assert_eq!(columns, ["defended", "defended-bpda", "model"]);
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{v}");
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .contains("model has no defence stack"),
        "{v}"
    );
    // An adaptive mode for two models of which one has a stack: a warning for the other.
    let v = stdout_json(&sweep(&[
        "--model",
        s(&m),
        "--defended",
        s(&fs),
        "--adaptive",
        "bpda",
        "--json",
    ]));
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("model: --adaptive bpda"),
        "{v}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pieces_that_change_nothing_are_reported_and_withheld_scores_are_no_prediction() {
    let dir = temp_dir("no-op-pieces");
    let m = iris_model();
    let out = dir.join("p.safetensors");
    for (piece, flag, value, needle) in [
        (
            "gaussian-augmentation",
            "--sigma",
            "-0",
            "sigma 0 adds no noise",
        ),
        (
            "high-confidence",
            "--cutoff",
            "0",
            "cutoff 0 zeroes no score",
        ),
        (
            "feature-squeezing",
            "--bit-depth",
            "64",
            "8-bit images (MNIST, Fashion-MNIST) pass unchanged",
        ),
    ] {
        let v = stdout_json(&advlab(&[
            "defend",
            piece,
            flag,
            value,
            "--model",
            s(&m),
            "--dataset",
            "iris",
            "--out",
            s(&out),
            "--json",
        ]));
        assert!(v["warnings"][0].as_str().unwrap().contains(needle), "{v}");
    }
    // A piece with an effect: no warning.
    let v = stdout_json(&advlab(&[
        "defend",
        "feature-squeezing",
        "--bit-depth",
        "2",
        "--model",
        s(&m),
        "--dataset",
        "iris",
        "--out",
        s(&out),
        "--json",
    ]));
    assert_eq!(v["warnings"], serde_json::json!([]));
    // A HighConfidence cutoff above every top score: no prediction for any sample, never NaN.
    let v = stdout_json(&advlab(&[
        "eval",
        "--model",
        s(&m),
        "--dataset",
        "iris",
        "--stack",
        "high-confidence:cutoff=0.99",
        "--json",
    ]));
    assert_eq!(v["no_prediction"], 45, "{v}");
    assert_eq!(v["accuracy"], 0.0);
    assert!(v["loss"].as_f64().unwrap().is_finite(), "{v}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_detector_whose_attack_changes_nothing_is_refused() {
    let dir = temp_dir("detector-eps0");
    let (run, out) = iris_detector(&dir, "0");
    assert_fails(&run, "it changed none of the training samples");
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
