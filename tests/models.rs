//! The shipped reference models (`models/`, `make models`): training them again gives the
//! committed files bit for bit (the IRIS ones here, in seconds; `make models` checks them all),
//! their metadata says how they were made, and a file that is not what training gives is caught.

mod common;

use common::{advlab, assert_fails, s, stdout_json, temp_dir};

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models");

#[test]
fn the_iris_models_are_what_their_recipes_give() {
    let v = stdout_json(&advlab(&[
        "models",
        "--check",
        "--dir",
        MODELS,
        "--only",
        "iris-seed-jsma,iris-seed-madry-art,iris-seed-fgsm",
    ]));
    let rows = v["models"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    // The asked-for models and the model they continue, in training order.
    assert_eq!(
        names,
        [
            "iris-seed",
            "iris-seed-jsma",
            "iris-seed-madry-art",
            "iris-seed-fgsm"
        ]
    );
    assert!(rows.iter().all(|r| r["verdict"] == "same"), "{v}");
    // ART's Madry defaults (eps 8 on [0, 1] features) leave the model at chance: 15 of 45.
    let madry = rows[2]["clean_accuracy"].as_f64().unwrap();
    assert!((madry - 1.0 / 3.0).abs() < 1e-4, "{madry}");
}

#[test]
fn every_shipped_file_carries_its_provenance() {
    for entry in std::fs::read_dir(MODELS).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "safetensors") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let meta = advlab::nn::file::file_metadata(&bytes).unwrap();
        let p: serde_json::Value =
            serde_json::from_str(&meta[advlab::nn::file::PROVENANCE_KEY]).unwrap();
        let name = path.file_stem().unwrap().to_str().unwrap();
        assert_eq!(p["name"], name);
        let reference = advlab::scenarios::reference_model(name).expect("a listed model");
        assert_eq!(
            p["recipe"],
            serde_json::to_value(&reference.settings).unwrap()
        );
        assert_eq!(p["seed"], 0);
        assert!(p["clean_accuracy"].as_f64().unwrap() > 0.3, "{p}");
        assert!(p["command"].as_str().unwrap().contains("make models"));
        assert!(p["advlab_version"].is_string());
        // The file loads as a model.
        advlab::nn::file::load_model(&bytes).unwrap();
    }
    // Every listed model is there.
    for m in advlab::scenarios::reference_models() {
        assert!(
            std::path::Path::new(MODELS).join(m.file_name()).is_file(),
            "{}",
            m.name
        );
    }
}

#[test]
fn a_file_that_is_not_what_training_gives_is_caught() {
    let dir = temp_dir("models-check");
    for name in ["iris-seed", "iris-seed-fgsm"] {
        std::fs::copy(
            format!("{MODELS}/{name}.safetensors"),
            dir.join(format!("{name}.safetensors")),
        )
        .unwrap();
    }
    // The undefended model's file in place of the defended one.
    std::fs::copy(
        dir.join("iris-seed.safetensors"),
        dir.join("iris-seed-fgsm.safetensors"),
    )
    .unwrap();
    let out = advlab(&[
        "models",
        "--check",
        "--dir",
        s(&dir),
        "--only",
        "iris-seed-fgsm",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: 1 model(s) differ") && last.contains("iris-seed-fgsm.safetensors"),
        "{err}"
    );
    assert!(
        err.contains("DIFFERS") && !err.contains("panicked"),
        "{err}"
    );
    let out = advlab(&["models", "--check", "--dir", s(&dir), "--only", "nonsense"]);
    assert_fails(&out, "--only nonsense: no such model");
    std::fs::remove_dir_all(&dir).unwrap();
}
