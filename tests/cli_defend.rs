//! `advlab defend` and `advlab sweep` end to end on an MNIST subset: the defended model loads and
//! is more robust to white-box FGSM than the undefended one, the sweep's CSV has a header and one
//! row per value, and bad options fail with one line naming them.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_fails, run_line, s, stdout_json, temp_dir, train};
use serde_json::Value;

const LIMITS: &str = "--train-limit 2000 --test-limit 300 --epochs 3";

/// Trains the defended model with FGSM eps 0.2 and checks the summary and the saved file.
fn defend(model: &Path, dir: &Path) -> PathBuf {
    let defended = dir.join("defended.safetensors");
    let (m, d) = (s(model), s(&defended));
    let v = stdout_json(&run_line(&format!(
        "defend --model {m} --dataset mnist --method adv-trainer {LIMITS} --eps 0.2 --seed 1 --out {d} --json"
    )));
    assert_eq!(v["defence"]["method"], "adv-trainer");
    assert_eq!(v["defence"]["attacks"][0]["eps"].as_f64().unwrap(), 0.2);
    assert_eq!(v["defence"]["ratio"].as_f64().unwrap(), 0.5);
    assert_eq!(v["arch"], "mnist-mlp");
    // 31 batches of 64 (32 replaced each) and one of 16 (8 replaced), for 3 epochs.
    assert_eq!(v["adversarial_samples"], 3 * 1000);
    assert!(
        v["test"]["defended"]["accuracy"].as_f64().unwrap() > 0.7,
        "{v}"
    );
    let e = stdout_json(&run_line(&format!(
        "eval --model {d} --dataset mnist --test-limit 300 --json"
    )));
    assert_eq!(e["accuracy"], v["test"]["defended"]["accuracy"]);
    defended
}

fn accuracy(points: &Value, i: usize) -> f64 {
    points[i]["metrics"]["adversarial_accuracy"]
        .as_f64()
        .unwrap()
}

/// Sweeps FGSM eps over both models: JSON, CSV and the text table.
fn sweep(model: &Path, defended: &Path, dir: &Path) {
    let csv = dir.join("sweep.csv");
    let line = format!(
        "sweep --model {} --defended {} --attack fgsm --param eps --values 0,0.1,0.2 --dataset mnist --test-limit 300",
        s(model),
        s(defended)
    );
    let v = stdout_json(&run_line(&format!("{line} --csv {} --json", s(&csv))));
    let (und, def) = (&v["results"]["model"], &v["results"]["defended"]);
    assert_eq!(und.as_array().unwrap().len(), 3);
    let clean = und[0]["metrics"]["clean_accuracy"].as_f64().unwrap();
    assert_eq!(accuracy(und, 0), clean, "eps 0 is clean");
    let (a, b) = (accuracy(def, 2), accuracy(und, 2));
    assert!(a > b + 0.2, "defended {a} vs undefended {b} under FGSM 0.2");
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with("eps,model_clean_accuracy,model_accuracy,"),
        "{text}"
    );
    assert!(lines[0].contains(",defended_accuracy,"), "{text}");
    for (row, value) in lines[1..].iter().zip(["0", "0.1", "0.2"]) {
        assert!(row.starts_with(&format!("{value},")), "{row}");
        assert_eq!(row.split(',').count(), 11, "{row}");
    }
    let table = run_line(&line);
    assert!(table.status.success());
    assert_eq!(String::from_utf8_lossy(&table.stdout).lines().count(), 5);
}

fn bad_options(model: &Path, dir: &Path) {
    let (m, out) = (s(model), dir.join("bad.safetensors"));
    let defend = format!("defend --model {m} --dataset mnist --out {}", s(&out));
    for (extra, needle) in [
        ("--method jpeg-compression", "jpeg-compression"),
        ("feature-squeezing --bit-depth 0", "bit_depth = 0"),
        ("feature-squeezing --cutoff 0.5", "--cutoff"),
        ("feature-squeezing --method rounded", "once"),
        ("rounded --decimals 0", "decimals = 0"),
        ("spatial-smoothing --window-size 99", "window_size = 99"),
        ("binary-input-detector --threshold 2", "threshold = 2"),
        ("binary-input-detector --attack fgsm --targeted", "targeted"),
        ("--method madry-pgd --threshold 0.5", "--threshold"),
        ("--method madry-pgd --ratio 0.5", "--ratio"),
        ("--method madry-pgd --theta 0.5", "--theta"),
        ("--method adv-trainer --theta 0.5", "--theta"),
        ("--method adv-trainer --ratio 1.5", "1.5"),
        ("--method adv-trainer --attack pgd --targeted", "targeted"),
        ("--method adv-trainer --attack cw", "\"cw\""),
        ("--method fast-fgsm --alpha -1", "-1"),
        ("--method fast-fgsm --quick", "--quick"),
        ("--method adv-trainer --epochs 0", "epochs"),
        ("--method adv-trainer --epochs -1", "-1"),
    ] {
        assert_fails(&run_line(&format!("{defend} {extra}")), needle);
    }
    assert!(!out.exists());
    let sweep = format!("sweep --model {m} --attack fgsm --dataset mnist --test-limit 10");
    for (extra, needle) in [
        ("--param eps --values 0.1,abc", "\"abc\""),
        ("--param theta --values 0.1", "theta"),
        ("--param eps --values -0.1", "-0.1"),
        ("--param eps --values 0.1 --targeted", "--targeted"),
        (
            "--param eps --values 0.1 --compare-adaptive magic",
            "compare_adaptive",
        ),
        (
            "--param eps --values 0.1 --adaptive magic",
            "adaptive = \"magic\"",
        ),
        (
            "--param eps --values 0.1 --stack rounded:decimals=0",
            "decimals = 0",
        ),
        ("--param eps --values 0.1 --stack jpeg", "\"jpeg\""),
    ] {
        assert_fails(&run_line(&format!("{sweep} {extra}")), needle);
    }
}

#[test]
fn defend_buys_robustness_and_sweep_writes_one_csv_row_per_value() {
    let dir = temp_dir("defend");
    let data = format!("--dataset mnist --arch mnist-mlp {LIMITS}");
    let data: Vec<&str> = data.split_whitespace().collect();
    let model = train(&dir, "mnist.safetensors", &data);
    let defended = defend(&model, &dir);
    sweep(&model, &defended, &dir);
    bad_options(&model, &dir);
    std::fs::remove_dir_all(&dir).unwrap();
}
