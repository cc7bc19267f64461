//! Three failure classes of the command line beside `cli_hardening.rs`: a write that fails (a full
//! disk, simulated with a file-size limit of zero) never destroys or half-writes a file; a
//! file that is not a regular file (a FIFO) is refused at once instead of blocking; and `predict`
//! applies the defence stack the model file carries, as `eval` and `attack` do.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{advlab, advlab_with_file_limit, iris_model, s, temp_dir, temporaries};
use ndarray::Array2;
use ndarray_npy::write_npy;

const BIN: &str = env!("CARGO_BIN_EXE_advlab");

#[test]
fn a_failed_write_leaves_the_old_file_untouched() {
    let dir = temp_dir("full-disk");
    let x = dir.join("x.npy");
    let y = dir.join("y.npy");
    write_npy(
        &x,
        &Array2::from_shape_fn((40, 4), |(i, j)| ((i * 7 + j * 3) % 10) as f32 / 10.0),
    )
    .unwrap();
    write_npy(&y, &ndarray::Array1::from_shape_fn(40, |i| (i % 3) as i64)).unwrap();
    let m = iris_model();
    let out = dir.join("keep.out");
    let commands: Vec<Vec<&str>> = vec![
        vec![
            "train",
            "--dataset",
            "iris",
            "--arch",
            "iris-linear",
            "--epochs",
            "1",
            "--out",
        ],
        vec!["predict", "--model", s(&m), "--input", s(&x), "--out"],
        vec![
            "attack",
            "fgsm",
            "--model",
            s(&m),
            "--input",
            s(&x),
            "--eps",
            "0.1",
            "--out",
        ],
        vec![
            "defend",
            "--model",
            s(&m),
            "--dataset",
            "iris",
            "--method",
            "adv-trainer",
            "--epochs",
            "1",
            "--out",
        ],
        vec![
            "defend",
            "rounded",
            "--model",
            s(&m),
            "--dataset",
            "iris",
            "--out",
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
            "0.1,0.2",
            "--dataset",
            "iris",
            "--csv",
        ],
    ];
    for args in commands {
        let keep: Vec<u8> = format!("an earlier result of {}", args[0]).into_bytes();
        std::fs::write(&out, &keep).unwrap();
        let run = advlab_with_file_limit(0, &[&args[..], &[s(&out)]].concat());
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("writing") || err.contains("saving"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(
            std::fs::read(&out).unwrap(),
            keep,
            "{args:?} changed the old file"
        );
        assert!(
            temporaries(&dir).is_empty(),
            "{args:?}: {:?}",
            temporaries(&dir)
        );
    }
    // The same commands without the limit do replace it (the check above is not vacuous).
    let run = advlab(&[
        "defend",
        "rounded",
        "--model",
        s(&m),
        "--dataset",
        "iris",
        "--out",
        s(&out),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    advlab::nn::file::load_model(&std::fs::read(&out).unwrap()).unwrap();
    let _ = y;
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs advlab and kills it after `secs`: returns None when it had to be killed.
fn bounded(args: &[&str], envs: &[(&str, &Path)], secs: u64) -> Option<Output> {
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn a_fifo_is_refused_instead_of_waited_on() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let m = iris_model();
    let arch = format!("@{}", s(&fifo));
    let cases: Vec<Vec<&str>> = vec![
        vec!["eval", "--model", s(&fifo), "--dataset", "iris"],
        vec![
            "predict",
            "--model",
            s(&m),
            "--input",
            s(&fifo),
            "--out",
            "/tmp/advlab-never.npy",
        ],
        vec![
            "train",
            "--dataset",
            "iris",
            "--arch",
            &arch,
            "--out",
            "/tmp/advlab-never.safetensors",
        ],
    ];
    for args in cases {
        let out = bounded(&args, &[], 20).unwrap_or_else(|| panic!("{args:?} blocked on the FIFO"));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
    // A dataset folder whose files are FIFOs.
    let data = dir.join("datasets");
    std::fs::create_dir_all(data.join("iris")).unwrap();
    for f in advlab::session::dataset_files("iris").unwrap() {
        let path = data.join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        assert!(Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap()
            .success());
    }
    let out = bounded(
        &["eval", "--model", s(&m), "--dataset", "iris"],
        &[("ADVLAB_DATASETS", &data)],
        20,
    )
    .expect("a FIFO in ADVLAB_DATASETS blocked");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn predict_applies_the_files_stack_unless_told_not_to() {
    let dir = temp_dir("predict-stack");
    let m = iris_model();
    let cl = dir.join("cl.safetensors");
    let out = advlab(&[
        "defend",
        "class-labels",
        "--model",
        s(&m),
        "--dataset",
        "iris",
        "--out",
        s(&cl),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let x = dir.join("x.npy");
    write_npy(
        &x,
        &Array2::from_shape_fn((5, 4), |(i, j)| ((i * 3 + j) % 7) as f32 / 7.0),
    )
    .unwrap();
    let scores = dir.join("s.npy");
    let v = common::stdout_json(&advlab(&[
        "predict",
        "--model",
        s(&cl),
        "--input",
        s(&x),
        "--out",
        s(&scores),
        "--json",
    ]));
    assert_eq!(v["stack"]["pieces"][0]["method"], "class-labels", "{v}");
    let labels: Array2<f32> = ndarray_npy::read_npy(&scores).unwrap();
    for row in labels.rows() {
        // One-hot: one 1, the rest 0.
        assert_eq!(row.iter().filter(|&&v| v == 1.0).count(), 1, "{labels}");
        assert_eq!(
            row.iter().filter(|&&v| v == 0.0).count(),
            row.len() - 1,
            "{labels}"
        );
    }
    let out = advlab(&[
        "predict",
        "--model",
        s(&cl),
        "--input",
        s(&x),
        "--out",
        s(&scores),
        "--no-stack",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let raw: Array2<f32> = ndarray_npy::read_npy(&scores).unwrap();
    assert!(
        raw.iter().any(|&v| v > 0.0 && v < 1.0),
        "the bare model's scores: {raw}"
    );
    // The same arg-max either way.
    for (a, b) in labels.rows().into_iter().zip(raw.rows()) {
        let top = |r: ndarray::ArrayView1<f32>| {
            (0..r.len()).max_by(|&i, &j| r[i].total_cmp(&r[j])).unwrap()
        };
        assert_eq!(top(a), top(b));
    }
    // A file whose stack metadata eval refuses is refused by predict too.
    let bad = dir.join("bad.safetensors");
    let bytes = std::fs::read(&cl).unwrap();
    let bytes =
        advlab::nn::file::with_metadata(&bytes, advlab::nn::file::STACK_KEY, "{not json").unwrap();
    std::fs::write(&bad, bytes).unwrap();
    let eval = advlab(&["eval", "--model", s(&bad), "--dataset", "iris"]);
    let pred = advlab(&[
        "predict",
        "--model",
        s(&bad),
        "--input",
        s(&x),
        "--out",
        s(&scores),
    ]);
    assert_eq!(eval.status.code(), Some(1));
    assert_eq!(
        pred.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&pred.stdout)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
