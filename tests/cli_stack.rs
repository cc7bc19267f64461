//! Defence stacks from the command line on IRIS: `defend <piece>` appends to the model file's
//! stack, `eval` and `attack` go through it, `--adaptive bpda` beats the naive attack on feature
//! squeezing, `sweep --compare-adaptive` adds the adaptive columns, and a detector trains and
//! travels in the file.

mod common;

use common::{run_line, s, stdout_json, temp_dir, train};

#[test]
fn stacks_adaptive_attacks_and_detectors_from_the_cli() {
    let dir = temp_dir("stack");
    let m = train(
        &dir,
        "iris.safetensors",
        &["--dataset", "iris", "--arch", "iris-seed"],
    );
    let fs = dir.join("fs.safetensors");
    let v = stdout_json(&run_line(&format!(
        "defend feature-squeezing --bit-depth 3 --model {} --dataset iris --out {} --json",
        s(&m),
        s(&fs)
    )));
    assert_eq!(v["stack"]["pieces"][0]["method"], "feature-squeezing");
    let e = stdout_json(&run_line(&format!(
        "eval --model {} --dataset iris --json",
        s(&fs)
    )));
    assert_eq!(e["accuracy"], v["test"]["stacked"]["accuracy"]);
    let line = format!(
        "sweep --model {} --attack pgd --eps-step 0.02 --max-iter 20 --param eps --values 0.2 --dataset iris --compare-adaptive bpda --json",
        s(&fs)
    );
    let v = stdout_json(&run_line(&line));
    let acc = |k: &str| {
        v["results"][k][0]["metrics"]["adversarial_accuracy"]
            .as_f64()
            .unwrap()
    };
    assert!(acc("model-bpda") < acc("model"), "{v}");
    // --stack none strips the file's stack: the plain model.
    let plain = stdout_json(&run_line(&format!(
        "eval --model {} --dataset iris --stack none --json",
        s(&fs)
    )));
    let orig = stdout_json(&run_line(&format!(
        "eval --model {} --dataset iris --json",
        s(&m)
    )));
    assert_eq!(plain["accuracy"], orig["accuracy"]);
    // FGSM cannot move through feature squeezing (its naive gradient is zero): a detector
    // trained against it would see clean and "adversarial" samples that are the same, and is
    // refused.
    let det = dir.join("det.safetensors");
    let run = run_line(&format!(
        "defend binary-input-detector --attack fgsm --eps 0.3 --epochs 20 --arch iris-seed --model {} --dataset iris --out {}",
        s(&fs),
        s(&det)
    ));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("it changed none of the training samples"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Behind a differentiable piece it moves, and a detector trains, reports its rates and is
    // saved with the stack: it flags more attacked samples than clean ones.
    let ga = dir.join("ga.safetensors");
    stdout_json(&run_line(&format!(
        "defend gaussian-augmentation --sigma 0.05 --model {} --dataset iris --out {} --json",
        s(&m),
        s(&ga)
    )));
    let v = stdout_json(&run_line(&format!(
        "defend binary-input-detector --attack fgsm --eps 0.3 --epochs 20 --arch iris-seed --model {} --dataset iris --out {} --json",
        s(&ga),
        s(&det)
    )));
    let r = &v["report"];
    assert_eq!(r["test_samples"], 45);
    let rate = |k: &str| r[k].as_f64().unwrap();
    assert!(rate("detection_rate") > rate("false_positive_rate"), "{r}");
    let e = stdout_json(&run_line(&format!(
        "eval --model {} --dataset iris --json",
        s(&det)
    )));
    assert!(
        (0.0..=1.0).contains(&e["detector_false_positive_rate"].as_f64().unwrap()),
        "{e}"
    );
    assert_eq!(e["stack"]["pieces"][0]["method"], "gaussian-augmentation");
}
