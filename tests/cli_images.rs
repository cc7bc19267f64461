//! Datasets of your own from the command line: a folder (or `.zip`) of class sub-folders of PNG
//! files, resized to either image size, and a pair of `.npy` arrays; an image preset gets one
//! output per class; bad input is one clear error line.

mod common;

use std::path::Path;

use common::{advlab, assert_fails, s, stdout_json, temp_dir, train};
use image::{Rgb, RgbImage};
use ndarray::{Array1, Array4};

/// `dir/<class>/<k>.png`: 12 images per class, 40×30, in the class's colour with some noise.
fn class_folders(dir: &Path) {
    for (c, (name, colour)) in [
        ("red", [220u8, 20, 20]),
        ("green", [20, 200, 30]),
        ("blue", [30, 40, 210]),
    ]
    .iter()
    .enumerate()
    {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        for k in 0..12u32 {
            let img = RgbImage::from_fn(40, 30, |x, y| {
                let n = ((x * 7 + y * 13 + k * 31 + c as u32 * 17) % 40) as u8;
                Rgb(colour.map(|v| v.saturating_add(n) - n / 2))
            });
            img.save(dir.join(name).join(format!("{k}.png"))).unwrap();
        }
    }
}

#[test]
fn a_folder_of_class_folders_trains_at_either_size() {
    let dir = temp_dir("images-folder");
    let data = dir.join("colours");
    class_folders(&data);
    let colour = ["--dataset", "images", "--data", s(&data)];
    let m = train(
        &dir,
        "c.safetensors",
        &[&colour[..], &["--arch", "cifar-small", "--epochs", "20"]].concat(),
    );
    let eval = stdout_json(&advlab(
        &[&["eval", "--json", "--model", s(&m)], &colour[..]].concat(),
    ));
    assert!(eval["accuracy"].as_f64().unwrap() > 0.6, "{eval}");
    assert_eq!(
        eval["samples"], 6,
        "a fifth of each class is for testing: {eval}"
    );
    let grey = [&colour[..], &["--image-size", "grey28"]].concat();
    let g = train(
        &dir,
        "g.safetensors",
        &[&grey[..], &["--arch", "mnist-small", "--epochs", "1"]].concat(),
    );
    assert!(g.exists());
    // A model for 32x32 colour does not take 28x28 grey.
    assert_fails(
        &advlab(&[&["eval", "--model", s(&m)], &grey[..]].concat()),
        "the model takes [32, 32, 3]",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_pair_of_npy_arrays_is_a_dataset_too() {
    let dir = temp_dir("images-npy");
    let n = 40;
    let x = Array4::<u8>::from_shape_fn(
        (n, 32, 32, 3),
        |(i, _, _, c)| if c == i % 2 { 230 } else { 20 },
    );
    let y = Array1::<i64>::from_shape_fn(n, |i| (i % 2) as i64);
    ndarray_npy::write_npy(dir.join("x.npy"), &x).unwrap();
    ndarray_npy::write_npy(dir.join("y.npy"), &y).unwrap();
    let pair = format!("{},{}", s(&dir.join("x.npy")), s(&dir.join("y.npy")));
    let m = train(
        &dir,
        "m.safetensors",
        &[
            "--dataset",
            "npy",
            "--data",
            &pair,
            "--arch",
            "cifar-small",
            "--epochs",
            "3",
        ],
    );
    let eval = stdout_json(&advlab(&[
        "eval",
        "--json",
        "--model",
        s(&m),
        "--dataset",
        "npy",
        "--data",
        &pair,
    ]));
    assert!(eval["accuracy"].as_f64().unwrap() > 0.7, "{eval}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_datasets_of_your_own_are_one_clear_line() {
    let dir = temp_dir("images-bad");
    let data = dir.join("colours");
    class_folders(&data);
    let out = dir.join("m.safetensors");
    assert_fails(
        &advlab(&[
            "train",
            "--dataset",
            "mnist",
            "--image-size",
            "grey28",
            "--arch",
            "mnist-small",
            "--out",
            s(&out),
        ]),
        "--image-size applies to --dataset images only",
    );
    assert_fails(
        &advlab(&[
            "train",
            "--dataset",
            "images",
            "--arch",
            "cifar-small",
            "--out",
            s(&out),
        ]),
        "--dataset images needs --data PATH",
    );
    std::fs::create_dir_all(data.join("empty")).unwrap();
    let out_run = advlab(&[
        "train",
        "--dataset",
        "images",
        "--data",
        s(&data),
        "--arch",
        "cifar-small",
        "--out",
        s(&out),
    ]);
    assert_fails(&out_run, "empty");
    std::fs::write(dir.join("x.npy"), b"not numpy").unwrap();
    let pair = format!("{},{}", s(&dir.join("x.npy")), s(&dir.join("x.npy")));
    assert_fails(
        &advlab(&[
            "train",
            "--dataset",
            "npy",
            "--data",
            &pair,
            "--arch",
            "cifar-small",
            "--out",
            s(&out),
        ]),
        "x.npy",
    );
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
