//! CIFAR-10 from the command line, on small files made in the exact binary format (no registry
//! ships the real one): `--dataset cifar10 --data` takes the `.tar.gz` and the folder of batch
//! files, a colour CNN learns a separable task, DeepFool runs on the report's CIFAR-10 network,
//! `reproduce --cifar10` runs Table 2 on it, and a missing `--data` or a broken file is one clear
//! error line.

mod common;

use advlab::data::cifar::synthetic::{archive, separable_files};
use common::{advlab, assert_fails, s, stdout_json, temp_dir, train};

#[test]
fn a_colour_cnn_learns_from_a_cifar10_archive_and_deepfool_runs_on_cifar_seed() {
    let dir = temp_dir("cifar-train");
    let data = dir.join("cifar-10-binary.tar.gz");
    std::fs::write(&data, archive(&separable_files(200))).unwrap();
    let args = ["--dataset", "cifar10", "--data", s(&data)];
    let small = train(
        &dir,
        "small.safetensors",
        &[&args[..], &["--arch", "cifar-small", "--epochs", "4"]].concat(),
    );
    let eval = stdout_json(&advlab(
        &[&["eval", "--json", "--model", s(&small)], &args[..]].concat(),
    ));
    let acc = eval["accuracy"].as_f64().unwrap();
    assert!(
        acc > 0.5,
        "accuracy {acc} on a separable task with 10 classes (chance 0.1)"
    );
    // The report's network, one short epoch, then its DeepFool on a few test images.
    let seed = train(
        &dir,
        "seed.safetensors",
        &[
            &args[..],
            &[
                "--arch",
                "cifar-seed",
                "--epochs",
                "1",
                "--train-limit",
                "64",
            ],
        ]
        .concat(),
    );
    let sweep = advlab(
        &[
            &[
                "sweep",
                "--attack",
                "deepfool",
                "--max-iter",
                "5",
                "--param",
                "epsilon",
                "--values",
                "0.2",
                "--test-limit",
                "8",
                "--json",
                "--model",
                s(&seed),
            ],
            &args[..],
        ]
        .concat(),
    );
    let json = stdout_json(&sweep);
    assert_eq!(json["dataset"], "cifar10", "{json}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_folder_of_batch_files_works_too_and_bad_input_is_one_clear_line() {
    let dir = temp_dir("cifar-folder");
    let batches = dir.join("cifar-10-batches-bin");
    std::fs::create_dir_all(&batches).unwrap();
    for (name, bytes) in separable_files(10) {
        std::fs::write(batches.join(name), bytes).unwrap();
    }
    let model = train(
        &dir,
        "m.safetensors",
        &[
            "--dataset",
            "cifar10",
            "--data",
            s(&dir),
            "--arch",
            "cifar-small",
            "--epochs",
            "1",
        ],
    );
    assert!(model.exists());
    assert_fails(
        &advlab(&[
            "train",
            "--dataset",
            "cifar10",
            "--arch",
            "cifar-small",
            "--out",
            s(&dir.join("x.safetensors")),
        ]),
        "--dataset cifar10 needs --data PATH",
    );
    assert_fails(
        &advlab(&[
            "eval",
            "--dataset",
            "mnist",
            "--data",
            s(&dir),
            "--model",
            s(&model),
        ]),
        "--data does not apply to mnist",
    );
    std::fs::remove_file(batches.join("test_batch.bin")).unwrap();
    assert_fails(
        &advlab(&[
            "eval",
            "--dataset",
            "cifar10",
            "--data",
            s(&dir),
            "--model",
            s(&model),
        ]),
        "no test_batch.bin in",
    );
    let broken = dir.join("broken.tar.gz");
    let mut files = separable_files(2);
    files[0].1.truncate(100);
    std::fs::write(&broken, archive(&files)).unwrap();
    assert_fails(
        &advlab(&[
            "eval",
            "--dataset",
            "cifar10",
            "--data",
            s(&broken),
            "--model",
            s(&model),
        ]),
        "data_batch_1.bin: 100 bytes is not a whole number of CIFAR-10 records",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn reproduce_runs_table_2_on_cifar10_when_it_is_given() {
    let dir = temp_dir("cifar-reproduce");
    let data = dir.join("cifar-10-binary.tar.gz");
    std::fs::write(&data, archive(&separable_files(40))).unwrap();
    let out = dir.join("reproduce.md");
    let run = advlab(&[
        "reproduce",
        "--tiny",
        "--table",
        "2",
        "--json",
        "--cifar10",
        s(&data),
        "--out",
        s(&out),
    ]);
    let json = stdout_json(&run);
    let text = json.to_string();
    assert!(
        text.contains("cifar10") && text.contains("cifar-seed"),
        "{text}"
    );
    assert!(
        !text.contains("fashion-mnist"),
        "Table 2 runs on CIFAR-10 alone: {text}"
    );
    assert!(std::fs::read_to_string(&out).unwrap().contains("CIFAR-10"));
    std::fs::remove_dir_all(&dir).unwrap();
}
