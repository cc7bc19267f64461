//! Helpers shared by the CLI integration tests: run the binary, temporary folders, JSON output
//! and one-line error checks.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `advlab` binary with `args`.
pub fn advlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_advlab"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The numpy-written IRIS model of the fixtures (dense, batchnorm, dense, softmax; clip values
/// [0, 1]).
pub fn iris_model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/model-numpy/iris-dense.safetensors")
}

/// `advlab defend binary-input-detector` against FGSM at `eps` on the fixtures' IRIS model,
/// written to `dir/det.safetensors`; returns the command's output and the path.
pub fn iris_detector(dir: &Path, eps: &str) -> (Output, PathBuf) {
    let det = dir.join("det.safetensors");
    let m = iris_model();
    let out = advlab(&[
        "defend",
        "binary-input-detector",
        "--attack",
        "fgsm",
        "--eps",
        eps,
        "--epochs",
        "2",
        "--model",
        s(&m),
        "--dataset",
        "iris",
        "--out",
        s(&det),
    ]);
    (out, det)
}

/// Runs advlab with a file-size limit of `blocks` (the shell's 512-byte blocks; SIGXFSZ ignored,
/// so a write past it fails with EFBIG instead of killing the process): a disk that fills up.
pub fn advlab_with_file_limit(blocks: u64, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_advlab"))
        .args(args)
        .output()
        .expect("sh runs")
}

/// The files in `dir` whose names mark an unfinished atomic write.
pub fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("advlab-tmp"))
        .collect()
}

/// A fresh folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("advlab-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A path as `&str`.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Asserts success and parses stdout as one JSON object.
pub fn stdout_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object on stdout")
}

/// Asserts a failure with exit code 1 and exactly one line on stderr, `error: ...` containing
/// `needle`.
pub fn assert_fails(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "should fail with exit code 1: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(
        lines[0].contains(needle),
        "expected {needle:?} in {:?}",
        lines[0]
    );
}

/// Trains a model with the CLI and returns its path.
pub fn train(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let model = dir.join(name);
    let out = advlab(
        &[
            &["train"],
            args,
            &["--seed", "1", "--json", "--out", s(&model)],
        ]
        .concat(),
    );
    stdout_json(&out);
    model
}

/// Splits a command line on whitespace (for arguments without spaces).
pub fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_string).collect()
}

/// Runs `advlab` with a whitespace-separated command line.
pub fn run_line(line: &str) -> Output {
    let args = words(line);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    advlab(&refs)
}
