//! `advlab attack` end to end on an IRIS model trained by the CLI: FGSM's L-inf budget, JSMA's
//! direction, label and target files in every accepted form, the input's shape kept in the
//! output, and a one-line error naming the value for every bad argument.

mod common;

use std::path::{Path, PathBuf};

use common::{advlab, assert_fails, s, stdout_json, temp_dir, train};
use ndarray::{array, Array1, Array2, Array4, ArrayD};
use ndarray_npy::{read_npy, write_npy};

/// Six IRIS-like samples inside (0.2, 0.8), so a step of 0.1 is never clipped.
fn samples() -> Array2<f32> {
    Array2::from_shape_fn((6, 4), |(i, j)| 0.2 + 0.1 * ((i + 2 * j) % 7) as f32)
}

fn iris_model(dir: &Path) -> PathBuf {
    let args = [
        "--dataset",
        "iris",
        "--arch",
        "iris-linear",
        "--epochs",
        "60",
    ];
    train(dir, "iris.safetensors", &args)
}

fn attack(model: &Path, x: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let base = [
        "attack",
        extra[0],
        "--model",
        s(model),
        "--input",
        s(x),
        "--out",
        s(out),
    ];
    stdout_json(&advlab(&[&base[..], &extra[1..], &["--json"]].concat()))
}

#[test]
fn fgsm_moves_every_feature_by_eps_and_jsma_only_in_thetas_direction() {
    let dir = temp_dir("attack-budget");
    let model = iris_model(&dir);
    let (x_path, a_path) = (dir.join("x.npy"), dir.join("a.npy"));
    let x = samples();
    write_npy(&x_path, &x).unwrap();

    let v = attack(&model, &x_path, &a_path, &["fgsm", "--eps", "0.1"]);
    assert_eq!(v["attack"], "fgsm");
    assert_eq!(v["params"]["eps"].as_f64().unwrap(), 0.1);
    let a: Array2<f32> = read_npy(&a_path).unwrap();
    assert_eq!(a.dim(), x.dim());
    for (p, q) in x.iter().zip(a.iter()) {
        assert!(((q - p).abs() - 0.1).abs() < 1e-5, "{p} -> {q}");
    }
    assert!((v["metrics"]["linf_max"].as_f64().unwrap() - 0.1).abs() < 1e-5);
    assert_eq!(v["metrics"]["n"], 6);

    for (theta, up) in [("0.2", true), ("-0.2", false)] {
        let v = attack(
            &model,
            &x_path,
            &a_path,
            &["jsma", "--theta", theta, "--seed", "3"],
        );
        let a: Array2<f32> = read_npy(&a_path).unwrap();
        let moved = x.iter().zip(a.iter()).filter(|(p, q)| p != q).count();
        assert!(moved > 0, "theta {theta} moved nothing");
        for (p, q) in x.iter().zip(a.iter()) {
            assert!(
                if up { q >= p } else { q <= p },
                "theta {theta}: {p} -> {q}"
            );
        }
        assert_eq!(v["targeted"], true, "JSMA draws random targets");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn labels_and_targets_are_read_in_every_form() {
    let dir = temp_dir("attack-labels");
    let model = iris_model(&dir);
    let (x_path, a_path, y_path) = (dir.join("x.npy"), dir.join("a.npy"), dir.join("y.npy"));
    write_npy(&x_path, &samples()).unwrap();
    let y = [2usize, 0, 1, 1, 2, 0];
    let run = |y_file: &Path| {
        let args = ["fgsm", "--eps", "0.05", "--labels", s(y_file)];
        attack(&model, &x_path, &a_path, &args)["metrics"].clone()
    };
    write_npy(&y_path, &Array1::from_iter(y.iter().map(|&c| c as i64))).unwrap();
    let reference = run(&y_path);
    write_npy(&y_path, &Array1::from_iter(y.iter().map(|&c| c as i32))).unwrap();
    assert_eq!(run(&y_path), reference);
    write_npy(&y_path, &Array1::from_iter(y.iter().map(|&c| c as u8))).unwrap();
    assert_eq!(run(&y_path), reference);
    write_npy(&y_path, &Array1::from_iter(y.iter().map(|&c| c as f64))).unwrap();
    assert_eq!(run(&y_path), reference);
    let one_hot = Array2::from_shape_fn((6, 3), |(i, c)| if y[i] == c { 1.0f32 } else { 0.0 });
    write_npy(&y_path, &one_hot).unwrap();
    assert_eq!(run(&y_path), reference);
    // Without labels the model's predictions are the reference: clean accuracy is 1.
    let own = attack(&model, &x_path, &a_path, &["fgsm", "--eps", "0.05"]);
    assert_eq!(own["metrics"]["clean_accuracy"], 1.0);
    assert_eq!(own["labels"], "predicted");

    assert_ne!(
        reference["clean_accuracy"], 1.0,
        "the given labels are used"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn targeted_pgd_reports_the_fraction_that_reached_its_target() {
    let dir = temp_dir("attack-targets");
    let model = iris_model(&dir);
    let (x_path, a_path) = (dir.join("x.npy"), dir.join("a.npy"));
    write_npy(&x_path, &samples()).unwrap();
    let p_path = dir.join("p.npy");
    let predict = |input: &Path| -> Vec<usize> {
        let out = advlab(&[
            "predict",
            "--model",
            s(&model),
            "--input",
            s(input),
            "--out",
            s(&p_path),
        ]);
        assert!(out.status.success());
        let p: Array2<f32> = read_npy(&p_path).unwrap();
        advlab::classifier::argmax_rows(&p)
    };
    let targets: Vec<u8> = predict(&x_path)
        .iter()
        .map(|&c| ((c + 1) % 3) as u8)
        .collect();
    let t_path = dir.join("t.npy");
    write_npy(&t_path, &Array1::from(targets.clone())).unwrap();
    let args = [
        "pgd",
        "--targeted",
        "--targets",
        s(&t_path),
        "--eps",
        "0.3",
        "--eps-step",
        "0.05",
        "--max-iter",
        "20",
    ];
    let v = attack(&model, &x_path, &a_path, &args);
    let hits = predict(&a_path)
        .iter()
        .zip(&targets)
        .filter(|(p, t)| **p == **t as usize)
        .count();
    assert!(hits > 0, "targeted PGD reached no target");
    let rate = v["metrics"]["success_rate"].as_f64().unwrap();
    assert!((rate - hits as f64 / 6.0).abs() < 1e-6, "{v}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_output_keeps_the_inputs_shape() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/model-numpy");
    let dir = temp_dir("attack-shape");
    let a_path = dir.join("a.npy");
    let model = fixture.join("conv.safetensors");
    let x: ArrayD<f32> = read_npy(fixture.join("conv_inputs.npy")).unwrap();
    assert_eq!(x.ndim(), 4);
    let args = ["deepfool", "--max-iter", "3", "--batch-size", "4"];
    attack(&model, &fixture.join("conv_inputs.npy"), &a_path, &args);
    let a: Array4<f32> = read_npy(&a_path).unwrap();
    assert_eq!(a.shape(), x.shape());
    let flat_path = dir.join("flat.npy");
    let n = x.shape()[0];
    let flat = x.into_shape_with_order((n, 50)).unwrap();
    write_npy(&flat_path, &flat).unwrap();
    attack(&model, &flat_path, &a_path, &args);
    let a: Array2<f32> = read_npy(&a_path).unwrap();
    assert_eq!(a.dim(), (n, 50));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_fail_with_one_line_naming_the_value() {
    let dir = temp_dir("attack-bad");
    let model = iris_model(&dir);
    let (x, a) = (dir.join("x.npy"), dir.join("a.npy"));
    write_npy(&x, &samples()).unwrap();
    let file = |name: &str, make: &dyn Fn(&Path)| {
        let p = dir.join(name);
        make(&p);
        p
    };
    let short = file("short.npy", &|p| {
        write_npy(p, &array![0i64, 1, 2, 0, 1]).unwrap()
    });
    let range = file("range.npy", &|p| {
        write_npy(p, &array![0i64, 1, 7, 0, 1, 2]).unwrap()
    });
    let half = file("half.npy", &|p| {
        write_npy(p, &array![0.0f64, 1.5, 2.0, 0.0, 1.0, 2.0]).unwrap()
    });
    let not_hot = file("hot.npy", &|p| {
        write_npy(p, &Array2::<f32>::ones((6, 3))).unwrap()
    });
    let valid = file("valid.npy", &|p| {
        write_npy(p, &array![1u8, 2, 0, 1, 2, 0]).unwrap()
    });
    let missing = dir.join("missing.npy");
    let (m, xs, out) = (s(&model), s(&x), s(&a));
    let run = |extra: &[&str]| {
        let base = [
            "attack", extra[0], "--model", m, "--input", xs, "--out", out,
        ];
        advlab(&[&base[..], &extra[1..]].concat())
    };
    assert_fails(&run(&["fgs"]), "\"fgs\"");
    assert_fails(&run(&["fgsm", "--theta", "0.1"]), "--theta");
    assert_fails(&run(&["jsma", "--eps", "0.1"]), "--eps");
    assert_fails(&run(&["fgsm", "--eps", "-1"]), "-1");
    assert_fails(&run(&["pgd", "--norm", "3"]), "norm = 3");
    assert_fails(
        &run(&["fgsm", "--labels", s(&short)]),
        "got 5 labels for 6 samples",
    );
    assert_fails(
        &run(&["fgsm", "--labels", s(&range)]),
        "label 7 of sample 2",
    );
    assert_fails(&run(&["fgsm", "--labels", s(&half)]), "1.5");
    assert_fails(&run(&["fgsm", "--labels", s(&not_hot)]), "not one-hot");
    assert_fails(&run(&["fgsm", "--labels", s(&missing)]), "missing.npy");
    assert_fails(&run(&["deepfool", "--targets", s(&short)]), "--targets");
    assert_fails(&run(&["pgd", "--targeted"]), "--targets");
    assert_fails(&run(&["fgsm", "--targets", s(&valid)]), "--targeted");
    assert_fails(&run(&["jsma", "--targeted"]), "--targeted");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_inputs_and_models_fail_with_one_line_naming_the_file() {
    let dir = temp_dir("attack-bad-files");
    let model = iris_model(&dir);
    let (x, a) = (dir.join("x.npy"), dir.join("a.npy"));
    write_npy(&x, &samples()).unwrap();
    let wide = dir.join("wide.npy");
    write_npy(&wide, &Array2::<f32>::zeros((6, 3))).unwrap();
    let missing = dir.join("missing.npy");
    let (m, xs, out) = (s(&model), s(&x), s(&a));
    let bad_input = [
        "attack",
        "fgsm",
        "--model",
        m,
        "--input",
        s(&wide),
        "--out",
        out,
    ];
    assert_fails(&advlab(&bad_input), "[6, 3]");
    let no_input = [
        "attack",
        "fgsm",
        "--model",
        m,
        "--input",
        s(&missing),
        "--out",
        out,
    ];
    assert_fails(&advlab(&no_input), "missing.npy");
    let no_model = [
        "attack",
        "fgsm",
        "--model",
        s(&missing),
        "--input",
        xs,
        "--out",
        out,
    ];
    assert_fails(&advlab(&no_model), "missing.npy");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_robustness_attacks_report_norms_queries_and_first_successes() {
    let dir = temp_dir("attack-robust");
    let model = iris_model(&dir);
    let (x_path, a_path) = (dir.join("x.npy"), dir.join("a.npy"));
    write_npy(&x_path, &samples()).unwrap();
    let v = attack(&model, &x_path, &a_path, &["cw-l2", "--max-iter", "20"]);
    assert_eq!(v["params"]["binary_search_steps"], 10, "ART's default");
    assert!(v["successful"]["n"].as_u64().unwrap() >= 4, "{v}");
    assert!(v["successful"]["l2_median"].as_f64().unwrap() > 0.0);
    assert!(v["queries"].is_null() && v["first_success"].is_null());
    for name in ["square", "hopskipjump"] {
        let v = attack(&model, &x_path, &a_path, &[name, "--seed", "4"]);
        let q = &v["queries"];
        assert_eq!(q["per_sample"].as_array().unwrap().len(), 6, "{v}");
        assert!(q["mean"].as_f64().unwrap() >= 1.0, "{v}");
    }
    let v = attack(
        &model,
        &x_path,
        &a_path,
        &["autoattack", "--eps", "0.2", "--eps-step", "0.4"],
    );
    let counts = v["first_success"].as_object().unwrap();
    let total: u64 = counts.values().map(|c| c.as_u64().unwrap()).sum();
    assert_eq!(total, 6, "{v}");
    let robust = counts.get("robust").and_then(|c| c.as_u64()).unwrap_or(0);
    let acc = v["metrics"]["adversarial_accuracy"].as_f64().unwrap();
    assert!((acc - robust as f64 / 6.0).abs() < 1e-6, "{v}");
    let base = [
        "attack",
        "--model",
        s(&model),
        "--input",
        s(&x_path),
        "--out",
        s(&a_path),
    ];
    let run = |name: &str, extra: &[&str]| {
        let mut args = vec![base[0], name];
        args.extend_from_slice(&base[1..]);
        args.extend_from_slice(extra);
        advlab(&args)
    };
    assert_fails(
        &run("square", &["--norm", "1"]),
        "invalid parameter norm = 1",
    );
    assert_fails(
        &run("square", &["--theta", "0.1"]),
        "--theta does not apply to square",
    );
    assert_fails(
        &run("apgd", &["--loss-type", "hinge"]),
        "loss_type = \"hinge\"",
    );
    assert_fails(
        &run("hopskipjump", &["--init-eval", "500", "--max-eval", "100"]),
        "init_eval = 500: must be at most max_eval (100)",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
