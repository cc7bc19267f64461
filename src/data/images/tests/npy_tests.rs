//! `.npy` pairs: dtypes, shapes, labels, names, the split, and every malformed case.

use super::super::{dataset_from_npy, dataset_from_npy_with_names};
use super::*;

/// `n` 2×2 grey images, image `i` filled with value `i`, labels `i % 2`.
fn pair_u8(n: usize) -> (Vec<u8>, Vec<u8>) {
    let x: Vec<u8> = (0..n).flat_map(|i| [i as u8; 4]).collect();
    let y: Vec<i64> = (0..n as i64).map(|i| i % 2).collect();
    (
        npy("|u1", &[n, 2, 2, 1], &x),
        npy("<i8", &[n], &i64_bytes(&y)),
    )
}

fn err(x: &[u8], y: &[u8]) -> ImagesError {
    dataset_from_npy(x, y, split(0.2, 0), "mine").unwrap_err()
}

#[test]
fn bytes_become_values_in_zero_to_one() {
    let (x, y) = pair_u8(10);
    let d = dataset_from_npy(&x, &y, split(0.2, 4), "mine").unwrap();
    assert_eq!(d.name, "mine");
    assert_eq!(d.input_shape, vec![2, 2, 1]);
    assert_eq!(d.class_names, vec!["0", "1"]);
    assert_eq!((d.x_train.nrows(), d.x_test.nrows()), (8, 2));
    assert_eq!(d.label_histogram().test, vec![1, 1]);
    // Image i holds i / 255 everywhere, and its label is i % 2.
    for (x, &y) in d
        .x_train
        .rows()
        .into_iter()
        .chain(d.x_test.rows())
        .zip(d.y_train.iter().chain(&d.y_test))
    {
        let i = (x[0] * 255.0).round() as usize;
        assert_eq!(i % 2, y);
        assert!(x.iter().all(|&v| v == i as f32 / 255.0));
    }
    let again = dataset_from_npy(&x, &y, split(0.2, 4), "mine").unwrap();
    assert_eq!((d.x_train, d.y_test), (again.x_train, again.y_test));
}

#[test]
fn floats_colour_and_names() {
    // Three 1×1 RGB float32 images per class; labels as whole float64s; classes named.
    let n = 9;
    let x: Vec<f32> = (0..n).flat_map(|i| [i as f32 / 10.0, 0.5, 1.0]).collect();
    let y: Vec<f64> = (0..n).map(|i| (i % 3) as f64).collect();
    let x = npy("<f4", &[n, 1, 1, 3], &f32_bytes(&x));
    let yb: Vec<u8> = y.iter().flat_map(|v| v.to_le_bytes()).collect();
    let y = npy("<f8", &[n], &yb);
    let names: Vec<String> = ["cat", "dog", "eel"].map(String::from).to_vec();
    let d = dataset_from_npy_with_names(&x, &y, &names, split(0.34, 2), "pets").unwrap();
    assert_eq!(d.class_names, names);
    assert_eq!(d.input_shape, vec![1, 1, 3]);
    assert_eq!(d.label_histogram().test, vec![1, 1, 1]);
    for (x, &y) in d.x_train.rows().into_iter().zip(&d.y_train) {
        let i = (x[0] * 10.0).round() as usize;
        assert_eq!((i % 3, x[1], x[2]), (y, 0.5, 1.0));
    }
    // float64 images and int32 or uint8 labels; classes without samples are allowed.
    let x64: Vec<u8> = [0.0f64, 1.0, 0.25, 0.75]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let x = npy("<f8", &[4, 1, 1, 1], &x64);
    let y32: Vec<u8> = [0i32, 2, 0, 2]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let d = dataset_from_npy(&x, &npy("<i4", &[4], &y32), split(0.5, 0), "m").unwrap();
    assert_eq!(d.class_names, vec!["0", "1", "2"]);
    assert_eq!(d.label_histogram().train, vec![1, 0, 1]);
    let d = dataset_from_npy(&x, &npy("|u1", &[4], &[1, 0, 1, 0]), split(0.0, 0), "m").unwrap();
    assert_eq!((d.x_train.nrows(), d.x_test.nrows()), (4, 0));
}

#[test]
fn headers_that_do_not_parse() {
    let (x, y) = pair_u8(4);
    let e = err(b"PK\x03\x04 not npy", &y);
    assert!(
        matches!(e, ImagesError::NpyHeader { which: "x", .. }),
        "{e:?}"
    );
    says(&e, &["x.npy", "\\x93NUMPY"], &[]);
    let e = err(
        &x,
        &npy_raw("{'descr': '<i8', 'fortran_order': False}\n", &[]),
    );
    says(&e, &["y.npy"], &["missing"]);
    let e = err(
        &x,
        &npy_raw(
            "{'descr': '<i8', 'fortran_order': False, 'shape': (4,), 'extra': 1}",
            &[0; 32],
        ),
    );
    says(&e, &["y.npy", "\"extra\""], &[]);
    let e = err(
        &x,
        &npy_raw(
            "{'descr': '<i8' 'fortran_order': False, 'shape': (4,)}",
            &[0; 32],
        ),
    );
    says(&e, &["y.npy", "','"], &[]);
    let e = err(
        &x,
        &npy_raw(
            "{'descr': '<i8', 'fortran_order': False, 'shape': (4,,)}",
            &[0; 32],
        ),
    );
    says(&e, &["y.npy", "(2, 28, 28, 1)"], &[]);
    let e = err(
        &x,
        &npy_raw(
            "{'descr': '<i8', 'fortran_order': True, 'shape': (4,)}",
            &[0; 32],
        ),
    );
    says(&e, &["y.npy"], &["Fortran"]);
    // Data that does not match the shape.
    let e = err(&x, &npy("<i8", &[4], &[0; 31]));
    says(&e, &["y.npy", "32", "31"], &["32 bytes"]);
    let e = err(&x, &npy("<i8", &[usize::MAX, 2], &[]));
    says(&e, &["y.npy"], &["too large"]);
    let mut cut = x.clone();
    cut.truncate(20);
    says(&err(&cut, &y), &["x.npy"], &["cut short"]);
}

#[test]
fn dtypes_ranks_and_channels() {
    let (x, y) = pair_u8(4);
    let e = err(&x, &npy(">i8", &[4], &[0; 32]));
    assert!(
        matches!(&e, ImagesError::NpyDtype { which: "y", descr, .. } if descr == ">i8"),
        "{e:?}"
    );
    says(&e, &["y.npy", "\">i8\""], &[]);
    says(&err(&x, &npy("<i2", &[4], &[0; 8])), &["\"<i2\""], &[]);
    let e = err(&npy("<i4", &[4, 2, 2, 1], &[0; 64]), &y);
    says(&e, &["x.npy", "\"<i4\"", "uint8"], &[]);
    let e = err(&npy("|u1", &[4, 4], &[0; 16]), &y);
    assert!(
        matches!(e, ImagesError::NpyShape { which: "x", .. }),
        "{e:?}"
    );
    says(&e, &["x.npy", "[4, 4]"], &[]);
    says(
        &err(&npy("|u1", &[4, 0, 2, 1], &[]), &y),
        &["[4, 0, 2, 1]"],
        &[],
    );
    let e = err(&x, &npy("<i8", &[4, 1], &[0; 32]));
    says(&e, &["y.npy", "[4, 1]"], &[]);
    let e = err(&npy("|u1", &[4, 2, 2, 2], &[0; 32]), &y);
    assert_eq!(e, ImagesError::NpyChannels { channels: 2 });
    says(&e, &["x.npy"], &["2 channels"]);
    let e = err(&x, &npy("<i8", &[3], &i64_bytes(&[0, 1, 0])));
    assert_eq!(e, ImagesError::CountMismatch { x: 4, y: 3 });
    says(&e, &["4", "3"], &[]);
}

#[test]
fn labels_and_pixels_out_of_range() {
    let (x, _) = pair_u8(4);
    let e = err(&x, &npy("<i8", &[4], &i64_bytes(&[0, 1, -1, 0])));
    assert_eq!(
        e,
        ImagesError::LabelOutOfRange {
            index: 2,
            label: -1.0,
            nb_classes: 1000
        }
    );
    says(&e, &["-1", "0", "999"], &["index 2"]);
    let y = npy("<i8", &[4], &i64_bytes(&[0, 1, 2, 0]));
    let names = vec!["a".to_string(), "b".into()];
    let e = dataset_from_npy_with_names(&x, &y, &names, split(0.2, 0), "m").unwrap_err();
    assert_eq!(
        e,
        ImagesError::LabelOutOfRange {
            index: 2,
            label: 2.0,
            nb_classes: 2
        }
    );
    says(&e, &["y.npy"], &["label 2", "0 to 1"]);
    let halves: Vec<u8> = [0.0f64, 1.5, 1.0, 0.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let e = err(&x, &npy("<f8", &[4], &halves));
    assert_eq!(
        e,
        ImagesError::LabelNotInteger {
            index: 1,
            value: 1.5
        }
    );
    says(&e, &["1.5"], &["index 1"]);
    let all_zero = npy("<i8", &[4], &i64_bytes(&[0; 4]));
    assert_eq!(
        err(&x, &all_zero),
        ImagesError::TooFewClasses {
            found: vec!["0".into()]
        }
    );

    let y = npy("<i8", &[4], &i64_bytes(&[0, 1, 0, 1]));
    for (bad, position) in [(1.5f32, 3), (-0.1, 0), (f32::NAN, 2), (f32::INFINITY, 1)] {
        let mut values = vec![0.5f32; 16];
        values[4 + position] = bad;
        let e = err(&npy("<f4", &[4, 2, 2, 1], &f32_bytes(&values)), &y);
        assert!(
            matches!(e, ImagesError::PixelOutOfRange { sample: 1, position: p, .. } if p == position),
            "{e:?}"
        );
        says(
            &e,
            &["x.npy"],
            &["image 1", &format!("position {position}")],
        );
    }
    let one_each = npy("<f4", &[2, 1, 1, 1], &f32_bytes(&[0.0, 1.0]));
    let e = err(&one_each, &npy("<i8", &[2], &i64_bytes(&[0, 1])));
    assert_eq!(
        e,
        ImagesError::ClassTooSmall {
            class: "0".into(),
            count: 1
        }
    );
}
