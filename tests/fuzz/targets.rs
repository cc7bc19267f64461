//! The fuzz targets: how each makes an input from its valid seeds, and what it runs on it.

use advlab::data::idx::{decode_images, decode_labels};
use advlab::data::iris::iris_from_csv;
use advlab::data::mnist::mnist_from_bytes;
use advlab::data::npy::{read_floats, read_numbers};
use advlab::nn::file::{load_model, save_model};
use advlab::nn::presets::{parse_arch, preset};
use advlab::nn::Model;
use advlab::protocol::{parse_request, Event, Request, Slot};
use advlab::session::Session;
use flate2::write::GzEncoder;
use flate2::Compression;
use ndarray::{array, Array1, Array2, Array3};
use ndarray_npy::WriteNpyExt;
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::io::Write;

use super::mutate;

/// Makes an input from the generator.
pub type Maker = Box<dyn FnMut(&mut ChaCha8Rng) -> Vec<u8>>;
/// Runs an input; true when the parser accepted it.
pub type Runner = Box<dyn FnMut(&[u8]) -> bool>;

/// One parser under test.
pub struct Target {
    /// Its name in reports.
    pub name: &'static str,
    /// Its share of the inputs.
    pub weight: u32,
    /// Inputs run so far.
    pub count: u64,
    /// Makes an input.
    pub make: Maker,
    /// Inputs the parser accepted.
    pub accepted: u64,
    /// Runs it (must not panic); true when the parser accepted the input.
    pub run: Runner,
}

/// Mutated seeds most of the time, random bytes behind the format's magic otherwise.
fn from_seeds(seeds: Vec<Vec<u8>>, magic: &'static [u8]) -> Maker {
    Box::new(move |rng| {
        if rng.random_bool(0.1) {
            mutate::random(rng, magic)
        } else {
            let seed = seeds.choose(rng).expect("seeds").clone();
            mutate::bytes(rng, &seed)
        }
    })
}

fn datasets() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets")
}

fn safetensors() -> Target {
    let iris = advlab::data::files::load_dataset("iris", &datasets()).expect("iris");
    let seeds = ["iris-linear", "iris-seed"]
        .iter()
        .map(|n| {
            let p = parse_arch(n, &iris).expect("preset");
            save_model(&Model::new(p.spec, 1).expect("model")).expect("bytes")
        })
        .chain(std::iter::once({
            let p = preset("mnist-small").expect("preset");
            save_model(&Model::new(p.spec, 2).expect("model")).expect("bytes")
        }))
        .collect();
    let spec = {
        let p = parse_arch("iris-linear", &iris).expect("preset");
        p.spec.to_json()
    };
    let mut mutated = from_seeds(seeds, b"\x40\0\0\0\0\0\0\0{");
    Target {
        name: "safetensors",
        weight: 20,
        count: 0,
        accepted: 0,
        make: Box::new(move |rng| {
            if rng.random_bool(0.3) {
                mutate::safetensors_structured(rng, &spec)
            } else {
                mutated(rng)
            }
        }),
        run: Box::new(|bytes| load_model(bytes).is_ok()),
    }
}

fn npy_bytes<A: WriteNpyExt>(a: &A) -> Vec<u8> {
    let mut out = Vec::new();
    a.write_npy(&mut out).expect("npy");
    out
}

fn npy() -> Target {
    let f = Array2::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as f32 / 12.0);
    let seeds = vec![
        npy_bytes(&f),
        npy_bytes(&f.t()),
        npy_bytes(&Array3::<f64>::zeros((2, 2, 2))),
        npy_bytes(&Array1::from(vec![0i64, 2, 1, 1])),
        npy_bytes(&array![true, false]),
        npy_bytes(&Array2::<u8>::ones((2, 3))),
        npy_bytes(&Array1::<f32>::zeros(0)),
    ];
    let mut mutated = from_seeds(seeds, b"\x93NUMPY\x01\x00");
    Target {
        name: "npy",
        weight: 25,
        count: 0,
        accepted: 0,
        make: Box::new(move |rng| {
            if rng.random_bool(0.3) {
                mutate::npy_structured(rng)
            } else {
                mutated(rng)
            }
        }),
        run: Box::new(|bytes| {
            let floats = read_floats(bytes).is_ok();
            read_numbers(bytes).is_ok() || floats
        }),
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

fn idx_images(count: u32, side: u32) -> Vec<u8> {
    let mut v = Vec::new();
    for w in [0x0803, count, side, side] {
        v.extend_from_slice(&u32::to_be_bytes(w));
    }
    v.extend((0..count * side * side).map(|i| (i % 256) as u8));
    v
}

fn idx_labels(labels: &[u8]) -> Vec<u8> {
    let mut v = 0x0801u32.to_be_bytes().to_vec();
    v.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    v.extend_from_slice(labels);
    v
}

fn idx() -> Target {
    let images = idx_images(2, 28);
    let labels = idx_labels(&[3, 7]);
    let seeds = vec![
        images.clone(),
        labels.clone(),
        gzip(&images),
        gzip(&labels),
        idx_images(3, 2),
    ];
    Target {
        name: "idx",
        weight: 20,
        count: 0,
        accepted: 0,
        make: from_seeds(seeds, &[0, 0, 8, 3]),
        run: Box::new(move |bytes| {
            let a = decode_images(bytes).is_ok();
            let b = decode_labels(bytes, 10).is_ok();
            let _ = mnist_from_bytes("mnist", bytes, &labels, &images, bytes);
            a || b
        }),
    }
}

fn csv() -> Target {
    let text = std::fs::read(datasets().join("iris/iris.csv")).expect("iris.csv");
    let short: Vec<u8> = text
        .split(|&b| b == b'\n')
        .take(7)
        .collect::<Vec<_>>()
        .join(&b'\n');
    Target {
        name: "csv",
        weight: 10,
        count: 0,
        accepted: 0,
        make: from_seeds(vec![text, short], b"5.1,3.5,1.4,0.2,setosa\n"),
        run: Box::new(|bytes| iris_from_csv(&String::from_utf8_lossy(bytes)).is_ok()),
    }
}

/// One valid request of every kind the page sends.
fn request_seeds(iris_csv: &[u8]) -> Vec<Value> {
    let x: Vec<u8> = [0.2f32, 0.4, 0.5, 0.1]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let train = json!({"dataset": "iris", "arch": "iris-linear", "epochs": 2, "batch_size": 8,
        "learning_rate": 0.05, "seed": 1, "train_limit": 30, "test_limit": 20,
        "target_accuracy": 0.9});
    vec![
        json!({"type": "Hello", "id": 1}),
        json!({"type": "LoadDataset", "id": 2, "dataset": "iris", "files": [iris_csv]}),
        json!({"type": "Train", "id": 3, "slot": "undefended", "settings": train}),
        json!({"type": "Train", "id": 4, "slot": "defended", "settings": {"dataset": "iris",
            "defence": {"method": "madry-pgd", "eps": 0.1, "eps_step": 0.02, "max_iter": 7},
            "start_from": "undefended"}}),
        json!({"type": "Train", "id": 5, "slot": "defended", "settings": {"dataset": "iris",
            "defence": {"method": "adv-trainer", "ratio": 0.5,
                "attacks": [{"attack": "fgsm", "eps": 0.1}]}}}),
        json!({"type": "Cancel", "id": 6}),
        json!({"type": "Predict", "id": 7, "dataset": "iris", "input": {"kind": "given", "x": x}}),
        json!({"type": "Predict", "id": 8, "dataset": "iris", "input": {"kind": "test", "index": 3}}),
        json!({"type": "Predict", "id": 9, "dataset": "mnist", "input": {"kind": "drawing",
            "width": 2, "height": 2, "ink": [0, 255, 9, 0]}}),
        json!({"type": "Attack", "id": 10, "settings": {"dataset": "iris", "model": "undefended",
            "samples": {"kind": "test", "start": 0, "count": 3},
            "attack": {"attack": "pgd", "eps": 0.1, "eps_step": 0.02, "max_iter": 5},
            "trace": true, "seed": 2}}),
        json!({"type": "Attack", "id": 11, "settings": {"dataset": "iris", "model": "undefended",
            "samples": {"kind": "given", "x": x, "labels": [1]},
            "attack": {"attack": "jsma", "theta": -0.2, "gamma": 0.5}, "targets": [2]}}),
        json!({"type": "Attack", "id": 12, "settings": {"dataset": "iris", "model": "undefended",
            "samples": {"kind": "test", "start": 5, "count": 2},
            "attack": {"attack": "deepfool", "max_iter": 10, "nb_grads": 2}}}),
        json!({"type": "Map", "id": 13, "settings": {"dataset": "iris", "features": [2, 3],
            "resolution": 10, "attack": {"attack": "fgsm", "eps": 0.1}}}),
        json!({"type": "Sweep", "id": 14, "settings": {"dataset": "iris",
            "attack": {"attack": "fgsm"}, "param": "eps", "values": [0.0, 0.1], "n": 20}}),
        json!({"type": "ExportModel", "id": 15, "slot": "undefended"}),
        json!({"type": "ImportModel", "id": 16, "slot": "defended", "dataset": "iris",
            "file": {"filename": "m.safetensors", "bytes": [16, 0, 0, 0, 0, 0, 0, 0]},
            "origin": {"arch": "iris-linear", "epochs": 3}}),
        json!({"type": "SetStack", "id": 17, "slot": "undefended", "dataset": "iris",
            "stack": {"pieces": [{"method": "feature-squeezing", "bit_depth": 2},
                {"method": "gaussian-augmentation", "sigma": 0.1},
                {"method": "reverse-sigmoid", "beta": 0.5, "gamma": 0.2},
                {"method": "rounded", "decimals": 2}]}, "remove_detector": false}),
        json!({"type": "TrainDetector", "id": 18, "slot": "undefended", "dataset": "iris",
            "settings": {"attack": {"attack": "fgsm", "eps": 0.1}, "arch": "iris-linear",
                "epochs": 1, "train_limit": 20, "test_limit": 10, "threshold": 0.5}}),
        json!({"type": "Attack", "id": 19, "settings": {"dataset": "iris", "model": "undefended",
            "samples": {"kind": "test", "start": 0, "count": 3},
            "attack": {"attack": "pgd", "eps": 0.1, "eps_step": 0.02, "max_iter": 3},
            "adaptive": {"adaptive": "eot", "eot_samples": 2, "detector_aware": true}}}),
        json!({"type": "Sweep", "id": 20, "settings": {"dataset": "iris",
            "attack": {"attack": "fgsm"}, "param": "eps", "values": [0.1], "n": 10,
            "compare_adaptive": "bpda"}}),
        // work split across workers (docs/workers.md)
        json!({"type": "Attack", "id": 21, "settings": {"dataset": "iris", "model": "undefended",
            "samples": {"kind": "test", "start": 0, "count": 6},
            "attack": {"attack": "fgsm", "eps": 0.1}, "parts": {"count": 2, "index": 1}}}),
        json!({"type": "AttackPart", "id": 22, "job": 21, "part": {"index": 1, "x_adv": x,
            "iterations": [1], "predictions": [{"slot": "undefended", "clean": [0],
                "adversarial": [1]}]}}),
        json!({"type": "Sweep", "id": 23, "settings": {"dataset": "iris",
            "attack": {"attack": "fgsm"}, "param": "eps", "values": [0.0, 0.1], "n": 10},
            "parts": {"count": 3, "index": 0}}),
        json!({"type": "SweepPart", "id": 24, "job": 23, "part": {"index": 1, "points": []}}),
        json!({"type": "Train", "id": 25, "slot": "undefended", "settings": train,
            "parts": {"count": 2, "index": 0}}),
        json!({"type": "Gradient", "id": 0, "job": 25, "gradient": {"step": 0, "part": 1,
            "values": x, "loss_sum": 1.5, "hits": 3.0, "rows": 4}}),
    ]
}

/// Requests decoded as the worker decodes them, then handled by a session with IRIS and a
/// trained model (a job gets one unit of work, then is cancelled).
fn requests() -> Target {
    let csv = std::fs::read(datasets().join("iris/iris.csv")).expect("iris.csv");
    let seeds = request_seeds(&csv);
    let texts: Vec<Vec<u8>> = seeds.iter().map(|v| v.to_string().into_bytes()).collect();
    let mut session = Session::new();
    let load = parse_request(&seeds[1].to_string()).expect("seed decodes");
    assert!(matches!(
        session.handle(load)[0],
        Event::DatasetLoaded { .. }
    ));
    let train = parse_request(&seeds[2].to_string()).expect("seed decodes");
    session.handle(train);
    while session.busy() {
        session.tick(&mut || false);
    }
    assert!(session.store().entry(Slot::Undefended).is_some());
    Target {
        name: "request",
        weight: 25,
        count: 0,
        accepted: 0,
        make: Box::new(move |rng| match rng.random_range(0..20) {
            0..=10 => {
                let seed = seeds.choose(rng).expect("seeds").clone();
                mutate::json(rng, &seed).to_string().into_bytes()
            }
            11..=18 => {
                let seed = texts.choose(rng).expect("seeds").clone();
                mutate::bytes(rng, &seed)
            }
            _ => mutate::random(rng, b"{\"type\":\"Train\",\"id\":1,"),
        }),
        run: Box::new(move |bytes| {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return false;
            };
            let request = match parse_request(text) {
                Ok(r) => r,
                Err(e) => {
                    // Every decode error says something readable.
                    assert!(!e.message().is_empty());
                    return false;
                }
            };
            if matches!(request, Request::DebugPanic { .. }) {
                return true;
            }
            session.handle(request);
            if session.busy() {
                session.tick(&mut || true);
                session.handle(Request::Cancel { id: 0 });
            }
            true
        }),
    }
}

/// Every target.
pub fn all() -> Vec<Target> {
    vec![safetensors(), npy(), idx(), csv(), requests()]
}
