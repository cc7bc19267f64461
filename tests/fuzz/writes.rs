//! Writes on a disk that fills up (`make fuzz`): `advlab` runs under every file-size limit from 0
//! to a file's whole size (in the shell's 512-byte blocks), for commands that write a model, an
//! `.npy` array and a CSV over an existing file. After each run the target holds either the old
//! bytes (the write failed: exit code 1) or a complete new file (it succeeded): never a part.

use std::path::Path;

use crate::common::{advlab_with_file_limit, iris_model, temporaries};

/// Every limit for every command (each with a check that the target's bytes are a whole
/// output); returns the number of runs.
pub fn run(dir: &Path) -> usize {
    let m = iris_model();
    let x = dir.join("x.npy");
    let mut header = "{'descr': '<f4', 'fortran_order': False, 'shape': (300, 4), }".to_string();
    while !(10 + header.len() + 1).is_multiple_of(64) {
        header.push(' ');
    }
    header.push('\n');
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    npy.extend((header.len() as u16).to_le_bytes());
    npy.extend(header.as_bytes());
    for i in 0..1200u32 {
        npy.extend(((i % 10) as f32 / 10.0).to_le_bytes());
    }
    std::fs::write(&x, npy).unwrap();
    let out = dir.join("target.out");
    let (m, x, o) = (
        m.to_str().unwrap(),
        x.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    type Check = fn(&[u8]) -> bool;
    let model_ok: Check = |b| advlab::nn::file::load_model(b).is_ok();
    let npy_ok: Check = |b| b.starts_with(b"\x93NUMPY") && b.len() == 128 + 300 * 3 * 4;
    let csv_ok: Check = |b| b.ends_with(b"\n") && b.iter().filter(|&&c| c == b'\n').count() == 3;
    let commands: Vec<(Vec<&str>, Check)> = vec![
        (
            vec![
                "defend",
                "rounded",
                "--model",
                m,
                "--dataset",
                "iris",
                "--out",
                o,
            ],
            model_ok,
        ),
        (
            vec!["predict", "--model", m, "--input", x, "--out", o],
            npy_ok,
        ),
        (
            vec![
                "sweep",
                "--model",
                m,
                "--attack",
                "fgsm",
                "--param",
                "eps",
                "--values",
                "0.1,0.2",
                "--dataset",
                "iris",
                "--csv",
                o,
            ],
            csv_ok,
        ),
    ];
    let mut runs = 0;
    for (args, complete) in commands {
        for blocks in 0..=10 {
            let old = format!("the old file, before limit {blocks}").into_bytes();
            std::fs::write(&out, &old).unwrap();
            let run = advlab_with_file_limit(blocks, &args);
            let now = std::fs::read(&out).unwrap();
            let err = String::from_utf8_lossy(&run.stderr);
            assert!(
                !err.contains("panicked"),
                "{args:?} at {blocks} blocks: {err}"
            );
            match run.status.code() {
                Some(0) => assert!(
                    complete(&now),
                    "{args:?} at {blocks} blocks wrote a partial file"
                ),
                Some(1) => assert_eq!(now, old, "{args:?} at {blocks} blocks changed the old file"),
                other => panic!("{args:?} at {blocks} blocks: exit {other:?}: {err}"),
            }
            assert!(
                temporaries(dir).is_empty(),
                "{args:?} at {blocks} blocks left a temporary file"
            );
            runs += 1;
        }
    }
    runs
}
