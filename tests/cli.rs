//! End-to-end tests of the `advlab` binary: an IRIS train → eval → predict round trip, the
//! numpy-written fixture, and bad inputs that must fail with a one-line `error:` message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ndarray::{Array2, Array3};
use ndarray_npy::{read_npy, write_npy};

fn advlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_advlab"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("advlab-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stdout_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object on stdout")
}

/// Asserts a failure with a one-line `error: ...` message containing `needle`, and no panic.
fn assert_fails(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains(needle), "expected {needle:?} in {line:?}");
}

#[test]
fn iris_train_eval_predict_round_trip() {
    let dir = temp_dir("round-trip");
    let model = dir.join("iris.safetensors");
    let m = path_str(&model);
    let args = [
        "train",
        "--dataset",
        "iris",
        "--arch",
        "iris-linear",
        "--epochs",
        "60",
    ];
    let train = stdout_json(&advlab(
        &[&args[..], &["--seed", "3", "--out", m, "--json"]].concat(),
    ));
    let acc = train["test"]["accuracy"].as_f64().unwrap();
    assert!(acc > 0.8, "{train}");
    assert_eq!(train["arch"], "iris-linear");

    let eval = stdout_json(&advlab(&[
        "eval",
        "--model",
        m,
        "--dataset",
        "iris",
        "--json",
    ]));
    assert_eq!(eval["accuracy"].as_f64().unwrap(), acc);
    assert_eq!(eval["samples"], train["test"]["samples"]);

    let x = Array2::from_shape_fn((5, 4), |(i, j)| ((i * 4 + j) as f32 / 20.0).min(1.0));
    let (input, scores) = (dir.join("x.npy"), dir.join("p.npy"));
    write_npy(&input, &x).unwrap();
    let out = advlab(&[
        "predict",
        "--model",
        m,
        "--input",
        path_str(&input),
        "--out",
        path_str(&scores),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p: Array2<f32> = read_npy(&scores).unwrap();
    assert_eq!(p.dim(), (5, 3));
    for row in p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-5 && row.iter().all(|v| *v >= 0.0));
    }

    // Same seed, same file.
    let again = dir.join("again.safetensors");
    let out = advlab(
        &[
            &args[..],
            &["--seed", "3", "--out", path_str(&again), "--json"],
        ]
        .concat(),
    );
    assert!(out.status.success());
    assert_eq!(
        std::fs::read(&model).unwrap(),
        std::fs::read(&again).unwrap()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs `predict` on a numpy-written fixture and compares with numpy's probabilities.
fn check_fixture(model: &str, inputs: &str, expected: &str) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/model-numpy");
    let dir = temp_dir(model);
    let out_path = dir.join("p.npy");
    let out = advlab(&[
        "predict",
        "--model",
        path_str(&fixture.join(model)),
        "--input",
        path_str(&fixture.join(inputs)),
        "--out",
        path_str(&out_path),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Array2<f32> = read_npy(&out_path).unwrap();
    let want: Array2<f32> = read_npy(fixture.join(expected)).unwrap();
    assert_eq!(got.dim(), want.dim());
    for (g, w) in got.iter().zip(want.iter()) {
        assert!((g - w).abs() < 1e-5, "{got} vs {want}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_numpy_fixtures_predict_what_numpy_computed() {
    check_fixture("iris-dense.safetensors", "inputs.npy", "expected.npy");
    // (N, 5, 5, 2) NHWC input: conv kernel layout, pooling and flatten order.
    check_fixture("conv.safetensors", "conv_inputs.npy", "conv_expected.npy");
}

#[test]
fn bad_inputs_fail_with_a_message() {
    let dir = temp_dir("bad");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/model-numpy/iris-dense.safetensors");
    let good = path_str(&fixture);
    let missing = dir.join("missing.safetensors");
    let out = advlab(&["eval", "--model", path_str(&missing), "--dataset", "iris"]);
    assert_fails(&out, "missing.safetensors");

    let corrupt = dir.join("corrupt.safetensors");
    std::fs::write(&corrupt, b"\x10\0\0\0\0\0\0\0{\"a\": not json!}").unwrap();
    let out = advlab(&["eval", "--model", path_str(&corrupt), "--dataset", "iris"]);
    assert_fails(&out, "safetensors");

    let wrong = dir.join("wrong.npy");
    write_npy(&wrong, &Array3::<f32>::zeros((2, 3, 3))).unwrap();
    let p = dir.join("p.npy");
    let out = advlab(&[
        "predict",
        "--model",
        good,
        "--input",
        path_str(&wrong),
        "--out",
        path_str(&p),
    ]);
    assert_fails(&out, "[2, 3, 3]");
    let mut nan = Array2::<f32>::zeros((2, 4));
    nan[[1, 2]] = f32::NAN;
    write_npy(&wrong, &nan).unwrap();
    let out = advlab(&[
        "predict",
        "--model",
        good,
        "--input",
        path_str(&wrong),
        "--out",
        path_str(&p),
    ]);
    assert_fails(&out, "sample 1, feature 2 is NaN");
    std::fs::write(&wrong, b"not an npy file").unwrap();
    let out = advlab(&[
        "predict",
        "--model",
        good,
        "--input",
        path_str(&wrong),
        "--out",
        path_str(&p),
    ]);
    assert_fails(&out, "wrong.npy");

    let out = advlab(&["eval", "--model", good, "--dataset", "mnist"]);
    assert_fails(&out, "[28, 28, 1]");
    let out = advlab(&["eval", "--model", good, "--dataset", "cifar"]);
    assert_fails(&out, "cifar");
    let m = dir.join("m.safetensors");
    let out = advlab(&[
        "train",
        "--dataset",
        "iris",
        "--arch",
        "vgg",
        "--out",
        path_str(&m),
    ]);
    assert_fails(&out, "vgg");
    let out = advlab(&[
        "train",
        "--dataset",
        "iris",
        "--arch",
        "iris-linear",
        "--batch-size",
        "0",
        "--out",
        path_str(&m),
    ]);
    assert_fails(&out, "batch_size");
    assert!(!m.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn presets_lists_every_preset_as_json() {
    let v = stdout_json(&advlab(&["presets", "--json"]));
    let names: Vec<&str> = v["presets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"iris-seed") && names.contains(&"mnist-seed"),
        "{names:?}"
    );
    assert_eq!(v["presets"][0]["spec"]["format"], "advlab-model/1");
}

#[test]
fn bench_reports_both_kernels_and_rejects_bad_options() {
    let args = [
        "bench",
        "train",
        "--batch-size",
        "2",
        "--seconds",
        "0.001",
        "--json",
    ];
    let v = stdout_json(&advlab(&args));
    for what in ["train_step", "input_gradient"] {
        for k in ["naive", "fast", "ratio"] {
            assert!(v[what][k].as_f64().unwrap() > 0.0, "{v}");
        }
    }
    assert_fails(
        &advlab(&["bench", "train", "--batch-size", "0"]),
        "--batch-size",
    );
}
