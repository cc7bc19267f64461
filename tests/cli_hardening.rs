//! Issue 9's failure classes on the command line, one test per class: every bad input fails
//! with exit code 1 and one `error:` line naming the value, nothing runs unbounded, and no
//! output is written from bad input.

mod common;

use std::path::Path;
use std::process::Output;

use common::{advlab, assert_fails, iris_model, s, stdout_json, temp_dir};
use ndarray::{array, Array1, Array2};
use ndarray_npy::write_npy;

fn samples() -> Array2<f32> {
    Array2::from_shape_fn((3, 4), |(i, j)| 0.1 + 0.2 * ((i + j) % 4) as f32)
}

/// An `.npy` file whose header declares `shape` of float32 over a 16-byte body.
/// `advlab attack <name> --model m --input x --out out <extra...>`.
fn run_attack(name: &str, m: &Path, x: &Path, out: &Path, extra: &[&str]) -> Output {
    let base = [
        "attack",
        name,
        "--model",
        s(m),
        "--input",
        s(x),
        "--out",
        s(out),
    ];
    advlab(&[&base[..], extra].concat())
}

fn lying_npy(path: &Path, shape: &str) {
    let header = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}");
    let mut h = header.into_bytes();
    while (h.len() + 11) % 64 != 0 {
        h.push(b' ');
    }
    h.push(b'\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend((h.len() as u16).to_le_bytes());
    out.extend(h);
    out.extend([0u8; 16]);
    std::fs::write(path, out).unwrap();
}

#[test]
fn declared_npy_sizes_are_checked_before_allocating() {
    let dir = temp_dir("hard-npy");
    let (m, x, out) = (iris_model(), dir.join("x.npy"), dir.join("out.npy"));
    write_npy(&x, &samples()).unwrap();
    let huge = dir.join("huge.npy");
    lying_npy(&huge, "(1000000000, 8)");
    let needle =
        "declares shape [1000000000, 8] of <f4 (32000000000 bytes of data) but the file holds 16";
    let predict = [
        "predict",
        "--model",
        s(&m),
        "--input",
        s(&huge),
        "--out",
        s(&out),
    ];
    assert_fails(&advlab(&predict), needle);
    let attack = [
        "attack",
        "fgsm",
        "--model",
        s(&m),
        "--input",
        s(&huge),
        "--out",
        s(&out),
    ];
    assert_fails(&advlab(&attack), needle);
    lying_npy(&huge, "(1000000000,)");
    let labels = [
        "attack",
        "fgsm",
        "--model",
        s(&m),
        "--input",
        s(&x),
        "--labels",
        s(&huge),
        "--out",
        s(&out),
    ];
    assert_fails(&advlab(&labels), "declares shape [1000000000]");
    lying_npy(&huge, "(99999999999999999999,)");
    assert_fails(&advlab(&predict), "a dimension does not fit in memory");
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_read_is_capped_at_a_documented_size() {
    let dir = temp_dir("hard-caps");
    let zero = "/dev/zero";
    let out = dir.join("m.safetensors");
    assert_fails(
        &advlab(&["eval", "--model", zero, "--dataset", "iris"]),
        "more than the limit of 67108864 bytes",
    );
    let arch = format!("@{zero}");
    assert_fails(
        &advlab(&[
            "train",
            "--dataset",
            "iris",
            "--arch",
            &arch,
            "--out",
            s(&out),
        ]),
        "more than the limit of 1048576 bytes",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn non_finite_and_overflowing_float_options_name_the_parameter() {
    let dir = temp_dir("hard-floats");
    let (m, x, out) = (iris_model(), dir.join("x.npy"), dir.join("a.npy"));
    write_npy(&x, &samples()).unwrap();
    let attack = |extra: &[&str]| run_attack(extra[0], &m, &x, &out, &extra[1..]);
    for (args, needle) in [
        (
            &["fgsm", "--eps", "NaN"][..],
            "invalid parameter eps = NaN: must be a number from 0 to 1000",
        ),
        (&["fgsm", "--eps", "inf"], "invalid parameter eps = inf:"),
        (
            &["pgd", "--eps-step", "1e39"],
            "invalid parameter eps_step = 1e39:",
        ),
        (
            &["jsma", "--theta", "0"],
            "invalid parameter theta = 0: must be a non-zero number",
        ),
        (
            &["deepfool", "--epsilon", "-1"],
            "invalid parameter epsilon = -1:",
        ),
        (
            &["newtonfool", "--eta", "abc"],
            "invalid parameter eta = \"abc\":",
        ),
    ] {
        assert_fails(&attack(args), needle);
    }
    let defend = [
        "defend",
        "--model",
        s(&m),
        "--dataset",
        "iris",
        "--method",
        "fast-fgsm",
        "--alpha",
        "NaN",
        "--out",
        s(&out),
    ];
    assert_fails(&advlab(&defend), "invalid parameter alpha = NaN:");
    let train = [
        "train",
        "--dataset",
        "iris",
        "--arch",
        "iris-linear",
        "--learning-rate",
        "nan",
        "--out",
        s(&out),
    ];
    assert_fails(&advlab(&train), "invalid parameter learning_rate = nan:");
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn inputs_outside_the_clip_values_are_refused_naming_sample_and_feature() {
    let dir = temp_dir("hard-clip");
    let (m, x, out) = (iris_model(), dir.join("x.npy"), dir.join("a.npy"));
    let mut big = samples();
    big[[1, 2]] = 1.5;
    write_npy(&x, &big).unwrap();
    let needle = "sample 1, feature 2 is 1.5, outside the model's clip values [0, 1]";
    assert_fails(
        &advlab(&[
            "predict",
            "--model",
            s(&m),
            "--input",
            s(&x),
            "--out",
            s(&out),
        ]),
        needle,
    );
    write_npy(&x, &samples().mapv(|v| v * 1e30)).unwrap();
    let deepfool = [
        "attack",
        "deepfool",
        "--model",
        s(&m),
        "--input",
        s(&x),
        "--out",
        s(&out),
    ];
    assert_fails(
        &advlab(&deepfool),
        "sample 0, feature 0 is 100000000000000000000000000000",
    );
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_count_has_an_upper_bound_checked_before_any_work() {
    let dir = temp_dir("hard-counts");
    let (m, x, out) = (iris_model(), dir.join("x.npy"), dir.join("a.npy"));
    write_npy(&x, &samples()).unwrap();
    let attack = |extra: &[&str]| run_attack(extra[0], &m, &x, &out, &extra[1..]);
    assert_fails(
        &attack(&["pgd", "--max-iter", "1000000000"]),
        "invalid parameter max_iter = 1000000000: must be a whole number from 0 to 1000",
    );
    assert_fails(
        &attack(&["fgsm", "--num-random-init", "1000000000"]),
        "num_random_init = 1000000000: must be a whole number from 0 to 100",
    );
    assert_fails(&attack(&["deepfool", "--nb-grads", "0"]), "nb_grads = 0");
    assert_fails(&attack(&["fgsm", "--batch-size", "-3"]), "batch_size = -3");
    let sweep = |param: &str, values: &str| {
        advlab(&[
            "sweep",
            "--model",
            s(&m),
            "--attack",
            "pgd",
            "--param",
            param,
            "--values",
            values,
            "--dataset",
            "iris",
        ])
    };
    assert_fails(
        &sweep("max_iter", "1,1e20"),
        "invalid parameter max_iter = 1e20: must be a whole number from 0 to 1000",
    );
    assert_fails(&sweep("max_iter", "2.5"), "max_iter = 2.5");
    let many = vec!["0.1"; 51].join(",");
    assert_fails(&sweep("eps", &many), "51 values, at most 50");
    let train = |flag: &str, v: &str| {
        advlab(&[
            "train",
            "--dataset",
            "iris",
            "--arch",
            "iris-linear",
            flag,
            v,
            "--out",
            s(&out),
        ])
    };
    assert_fails(
        &train("--epochs", "100000"),
        "epochs = 100000: must be a whole number from 1 to 1000",
    );
    assert_fails(
        &train("--batch-size", "5000"),
        "batch_size = 5000: must be a whole number from 1 to 512",
    );
    assert_fails(&train("--seed", "-1"), "seed = -1");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The fixture with every weight set to `value` (and the spec's layers changed by `edit`).
fn model_file(path: &Path, value: Option<f32>, edit: impl FnOnce(&mut advlab::nn::ModelSpec)) {
    let m = advlab::nn::file::load_model_file(&iris_model()).unwrap();
    let mut spec = m.spec().clone();
    edit(&mut spec);
    let tensors: Vec<_> = m
        .tensors()
        .into_iter()
        .map(|(n, shape, v)| match value {
            Some(w) if !n.contains("variance") => (n, shape, vec![w; v.len()]),
            _ => (n, shape, v),
        })
        .collect();
    let bytes = advlab::nn::file::write_model_bytes(&spec, &tensors).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn overflowing_weights_are_reported_instead_of_a_fake_prediction() {
    let dir = temp_dir("hard-overflow");
    let (huge, x, out) = (
        dir.join("huge.safetensors"),
        dir.join("x.npy"),
        dir.join("p.npy"),
    );
    model_file(&huge, Some(3e38), |_| {});
    write_npy(&x, &samples()).unwrap();
    let needle = "the model computes a non-finite value";
    assert_fails(
        &advlab(&[
            "predict",
            "--model",
            s(&huge),
            "--input",
            s(&x),
            "--out",
            s(&out),
        ]),
        needle,
    );
    assert_fails(
        &advlab(&["eval", "--model", s(&huge), "--dataset", "iris"]),
        needle,
    );
    let attack = [
        "attack",
        "fgsm",
        "--model",
        s(&huge),
        "--input",
        s(&x),
        "--out",
        s(&out),
    ];
    assert_fails(&advlab(&attack), needle);
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_paths_are_checked_before_any_work() {
    let dir = temp_dir("hard-out");
    let (m, x) = (iris_model(), dir.join("x.npy"));
    write_npy(&x, &samples()).unwrap();
    let missing = dir.join("missing-dir/out.bin");
    let a_file = dir.join("x.npy/out.md");
    let needle = "is not an existing folder";
    let train = advlab(&[
        "train",
        "--dataset",
        "iris",
        "--arch",
        "iris-linear",
        "--out",
        s(&missing),
    ]);
    assert_fails(&train, needle);
    assert!(train.stdout.is_empty(), "nothing was trained");
    let reproduce = advlab(&["reproduce", "--tiny", "--out", s(&a_file)]);
    assert_fails(&reproduce, needle);
    for args in [
        vec![
            "predict",
            "--model",
            s(&m),
            "--input",
            s(&x),
            "--out",
            s(&missing),
        ],
        vec![
            "attack",
            "fgsm",
            "--model",
            s(&m),
            "--input",
            s(&x),
            "--out",
            s(&missing),
        ],
        vec![
            "defend",
            "--model",
            s(&m),
            "--dataset",
            "iris",
            "--method",
            "fast-fgsm",
            "--out",
            s(&missing),
        ],
        vec![
            "sweep",
            "--model",
            s(&m),
            "--attack",
            "fgsm",
            "--param",
            "eps",
            "--values",
            "0.1",
            "--dataset",
            "iris",
            "--csv",
            s(&missing),
        ],
    ] {
        let out = advlab(&args);
        assert_fails(&out, needle);
        assert!(out.stdout.is_empty(), "{args:?} did work first");
    }
    assert_fails(
        &advlab(&[
            "predict",
            "--model",
            s(&m),
            "--input",
            s(&x),
            "--out",
            s(&dir),
        ]),
        "is a folder",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn eval_reads_the_loss_from_the_models_output_kind() {
    let dir = temp_dir("hard-loss");
    let logits = dir.join("logits.safetensors");
    // The same weights without the final softmax: the model outputs logits.
    model_file(&logits, None, |spec| {
        spec.layers.pop();
    });
    let eval = |p: &Path| {
        stdout_json(&advlab(&[
            "eval",
            "--model",
            s(p),
            "--dataset",
            "iris",
            "--json",
        ]))
    };
    let (a, b) = (eval(&iris_model()), eval(&logits));
    assert_eq!(a["accuracy"], b["accuracy"]);
    let (la, lb) = (a["loss"].as_f64().unwrap(), b["loss"].as_f64().unwrap());
    assert!((la - lb).abs() < 1e-4, "softmax {la} vs logits {lb}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn empty_inputs_ambiguous_labels_and_conflicting_options_are_refused() {
    let dir = temp_dir("hard-shapes");
    let (m, x, out, y) = (
        iris_model(),
        dir.join("x.npy"),
        dir.join("a.npy"),
        dir.join("y.npy"),
    );
    write_npy(&x, &Array2::<f32>::zeros((0, 4))).unwrap();
    let attack = |extra: &[&str]| run_attack("fgsm", &m, &x, &out, extra);
    assert_fails(&attack(&[]), "shape [0, 4] holds no samples");
    assert_fails(
        &advlab(&[
            "predict",
            "--model",
            s(&m),
            "--input",
            s(&x),
            "--out",
            s(&out),
        ]),
        "holds no samples",
    );
    write_npy(&x, &samples()).unwrap();
    write_npy(&y, &array![true, false, true]).unwrap();
    assert_fails(&attack(&["--labels", s(&y)]), "not booleans");
    write_npy(&y, &array![[0i64], [1], [2]]).unwrap();
    assert_fails(&attack(&["--labels", s(&y)]), "shape [3, 1] is ambiguous");
    write_npy(&y, &Array1::from(vec![0i64, 1, 2])).unwrap();
    stdout_json(&attack(&["--labels", s(&y), "--json"]));
    let sweep = advlab(&[
        "sweep",
        "--model",
        s(&m),
        "--attack",
        "fgsm",
        "--eps",
        "0.5",
        "--param",
        "eps",
        "--values",
        "0.1",
        "--dataset",
        "iris",
    ]);
    assert_fails(&sweep, "--eps conflicts with --param eps");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn messages_are_one_short_line_saying_what_is_wrong() {
    let dir = temp_dir("hard-messages");
    let (m, x, out) = (iris_model(), dir.join("x.npy"), dir.join("p.npy"));
    write_npy(&x, &Array2::<f32>::zeros((2, 3))).unwrap();
    let predict = [
        "predict",
        "--model",
        s(&m),
        "--input",
        s(&x),
        "--out",
        s(&out),
    ];
    let run = advlab(&predict);
    assert_fails(&run, "expected (N, 4)");
    assert!(!String::from_utf8_lossy(&run.stderr).contains(" or (N"));
    let header = "{'descr': '<f4', 'fortran_order': False, 'shaper': (2, 4), }";
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((header.len() as u16 + 1).to_le_bytes());
    bytes.extend(header.as_bytes());
    bytes.push(b'\n');
    std::fs::write(&x, &bytes).unwrap();
    assert_fails(&advlab(&predict), "unknown key \"shaper\"");
    let long = format!(
        "{{'descr': '<f4{}', 'fortran_order': False, 'shape': (2,), }}",
        "x".repeat(5000)
    );
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((long.len() as u16 + 1).to_le_bytes());
    bytes.extend(long.as_bytes());
    bytes.push(b'\n');
    std::fs::write(&x, &bytes).unwrap();
    let run = advlab(&predict);
    assert_fails(&run, "dtype");
    assert!(run.stderr.len() < 300, "{} bytes", run.stderr.len());
    let eval = advlab(&[
        "eval",
        "--model",
        s(&m),
        "--dataset",
        "iris",
        "--test-limit",
        "0",
    ]);
    assert_fails(&eval, "invalid parameter test_limit = 0");
    assert!(!String::from_utf8_lossy(&eval.stderr).contains("train"));
    let epochs = [
        "train",
        "--dataset",
        "iris",
        "--arch",
        "iris-linear",
        "--epochs",
        "-1",
        "--out",
        s(&out),
    ];
    assert_fails(
        &advlab(&epochs),
        "invalid parameter epochs = -1: must be a whole number from 1 to 1000",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
