//! Messages a user can act on: a negative infinity is a value, a missing option is named, an
//! unknown defence lists every name `defend` takes, the stack's JSON list is accepted, a bound is
//! the one that applies, and a dtype error says what is accepted.

mod common;

use std::path::Path;

use common::{advlab, assert_fails, iris_detector, iris_model, s, temp_dir};

/// An `.npy` file of dtype `descr` and shape (1, 4) with a zero body of `item` bytes per element.
fn npy(path: &Path, descr: &str, item: usize) {
    let mut h = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': (1, 4), }}");
    while (10 + h.len() + 1) % 64 != 0 {
        h.push(' ');
    }
    h.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((h.len() as u16).to_le_bytes());
    bytes.extend(h.as_bytes());
    bytes.extend(vec![0u8; 4 * item]);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn messages_name_what_to_do() {
    let dir = temp_dir("messages");
    let m = iris_model();
    let (x, out) = (dir.join("x.npy"), dir.join("out.npy"));
    npy(&x, "<f4", 4);
    for v in ["-inf", "inf", "NaN", "-1"] {
        let run = advlab(&[
            "attack",
            "fgsm",
            "--model",
            s(&m),
            "--input",
            s(&x),
            "--out",
            s(&out),
            "--eps",
            v,
        ]);
        assert_fails(
            &run,
            &format!("invalid parameter eps = {v}: must be a number from 0 to 1000"),
        );
    }
    // A usage error (exit code 2, as clap's) on one line that names the missing options.
    let run = advlab(&["eval"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&run.stderr).trim_end(),
        "error: the following required arguments were not provided: --model <MODEL>, --dataset <DATASET>"
    );
    let run = advlab(&[
        "defend",
        "total-var-min",
        "--model",
        s(&m),
        "--dataset",
        "iris",
        "--out",
        s(&out),
    ]);
    assert_fails(&run, "adv-trainer, madry-pgd, fast-fgsm");
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("class-labels") && err.contains("binary-input-detector"),
        "{err}"
    );
    // The pieces' JSON list, as a model file holds it.
    let run = advlab(&[
        "eval",
        "--model",
        s(&m),
        "--dataset",
        "iris",
        "--stack",
        r#"[{"method":"rounded"}]"#,
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("rounded"));
    assert_fails(
        &advlab(&[
            "eval",
            "--model",
            s(&m),
            "--dataset",
            "iris",
            "--stack",
            "rounded:2",
        ]),
        "--stack takes name:param=value",
    );
    // The detector's batch size is the stricter bound, and it is the one named.
    for b in ["0", "513"] {
        let run = advlab(&[
            "defend",
            "binary-input-detector",
            "--batch-size",
            b,
            "--model",
            s(&m),
            "--dataset",
            "iris",
            "--out",
            s(&out),
        ]);
        assert_fails(
            &run,
            &format!("batch_size = {b}: must be a whole number from 1 to 512"),
        );
    }
    for (descr, item) in [("<c8", 8), ("<i4", 4), ("|b1", 1)] {
        npy(&x, descr, item);
        let run = advlab(&[
            "predict",
            "--model",
            s(&m),
            "--input",
            s(&x),
            "--out",
            s(&out),
        ]);
        assert_fails(&run, "float32 or float64");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_malformed_detector_is_blamed_on_the_detector() {
    let dir = temp_dir("detector-blame");
    let (run, det) = iris_detector(&dir, "0.2");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&det).unwrap();
    let meta = advlab::nn::file::file_metadata(&bytes).unwrap();
    let desc: serde_json::Value =
        serde_json::from_str(&meta[advlab::nn::file::DETECTOR_KEY]).unwrap();
    let bad = dir.join("bad.safetensors");
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut d = desc.clone();
        f(&mut d);
        let b =
            advlab::nn::file::with_metadata(&bytes, advlab::nn::file::DETECTOR_KEY, &d.to_string())
                .unwrap();
        std::fs::write(&bad, b).unwrap();
        advlab(&["eval", "--model", s(&bad), "--dataset", "iris"])
    };
    // A threshold that is a list.
    let run = edit(&|d| d["threshold"] = serde_json::json!([0.5]));
    assert_fails(
        &run,
        "the detector (metadata advlab-detector, tensors detector.*): ",
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("threshold [0.5]"));
    // A three-class network is no binary detector.
    let run = edit(&|d| {
        d["spec"]["labels"] = serde_json::json!(["a", "b", "c"]);
        let layers = d["spec"]["layers"].as_array_mut().unwrap();
        let last = layers
            .iter_mut()
            .rev()
            .find(|l| l.get("units").is_some())
            .unwrap();
        last["units"] = serde_json::json!(3);
    });
    assert_fails(
        &run,
        "a binary detector has 2 output classes, this network has 3",
    );
    // A detector spec whose first layer no longer fits its tensors: the detector is named.
    let run = edit(&|d| {
        let layers = d["spec"]["layers"].as_array_mut().unwrap();
        layers[0]["units"] = serde_json::json!(13);
    });
    assert_fails(
        &run,
        "the detector (metadata advlab-detector, tensors detector.*)",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
