//! Zip archives of class folders that decode: pixels, labels, class names and the split.

use image::ImageFormat;

use super::super::{images_from_zip, ImageSize};
use super::*;

#[test]
fn red_and_blue_classes_keep_their_colour() {
    let bytes = zip_owned(&red_blue("", 5, 40, 40));
    let d = images_from_zip(&bytes, ImageSize::Colour32, split(0.2, 1), "colours").unwrap();
    assert_eq!(d.name, "colours");
    assert_eq!(d.class_names, vec!["blue", "red"]);
    assert_eq!(d.input_shape, vec![32, 32, 3]);
    assert_eq!(d.clip_values, (0.0, 1.0));
    assert_eq!(d.x_train.dim(), (8, 32 * 32 * 3));
    assert_eq!(d.x_test.dim(), (2, 32 * 32 * 3));
    assert_eq!(d.label_histogram().train, vec![4, 4]);
    assert_eq!(d.label_histogram().test, vec![1, 1]);
    for (x, &y) in d
        .x_train
        .rows()
        .into_iter()
        .chain(d.x_test.rows())
        .zip(d.y_train.iter().chain(&d.y_test))
    {
        let want = if d.class_names[y] == "red" {
            [1.0, 0.0, 0.0]
        } else {
            [0.0, 0.0, 1.0]
        };
        for pixel in x.as_slice().unwrap().chunks(3) {
            for (v, w) in pixel.iter().zip(want) {
                assert!((v - w).abs() < 1e-5, "{pixel:?} in class {y}");
            }
        }
    }
}

#[test]
fn grey_images_keep_where_they_are_bright() {
    // Bright top half against bright bottom half, 56×56, so each output pixel averages 2×2.
    let top = |_: u32, y: u32| if y < 28 { [255; 3] } else { [0; 3] };
    let bottom = |_: u32, y: u32| if y >= 28 { [255; 3] } else { [0; 3] };
    let mut files = Vec::new();
    for i in 0..3 {
        files.push((
            format!("top/{i}.png"),
            encode(56, 56, ImageFormat::Png, top),
        ));
        files.push((
            format!("bottom/{i}.png"),
            encode(56, 56, ImageFormat::Png, bottom),
        ));
    }
    let d = images_from_zip(
        &zip_owned(&files),
        ImageSize::Grey28,
        split(0.34, 3),
        "halves",
    )
    .unwrap();
    assert_eq!(d.input_shape, vec![28, 28, 1]);
    assert_eq!(d.class_names, vec!["bottom", "top"]);
    assert_eq!((d.y_train.len(), d.y_test.len()), (4, 2));
    for (x, &y) in d.x_train.rows().into_iter().zip(&d.y_train) {
        let (upper, lower) = (x[5 * 28 + 7], x[20 * 28 + 7]);
        match d.class_names[y].as_str() {
            "top" => assert_eq!((upper, lower), (1.0, 0.0)),
            _ => assert_eq!((upper, lower), (0.0, 1.0)),
        }
        assert_eq!(
            x[13 * 28],
            if y == 1 { 1.0 } else { 0.0 },
            "row 13 is above the middle"
        );
    }
}

#[test]
fn a_wrapping_folder_and_clutter_are_looked_through() {
    let mut files = red_blue("pets/", 2, 8, 8);
    files.push(("pets/red/deeper/more.PNG".into(), solid(8, 8, RED)));
    files.push((
        "pets/blue/photo.jpg".into(),
        encode(16, 16, ImageFormat::Jpeg, |_, _| BLUE),
    ));
    files.push(("pets/blue/notes.txt".into(), b"not an image".to_vec()));
    files.push(("pets/.DS_Store".into(), vec![0; 10]));
    files.push(("pets/red/.hidden.png".into(), b"junk".to_vec()));
    files.push(("__MACOSX/pets/red/._000.png".into(), b"junk".to_vec()));
    files.push(("pets/README.md".into(), b"# pets".to_vec()));
    let d = images_from_zip(
        &zip_owned(&files),
        ImageSize::Colour32,
        split(0.0, 0),
        "pets",
    )
    .unwrap();
    assert_eq!(d.class_names, vec!["blue", "red"]);
    assert_eq!(d.label_histogram().train, vec![3, 3]);
    assert_eq!(d.x_test.dim(), (0, 32 * 32 * 3));
    // The JPEG is blue, within JPEG's error.
    for (x, &y) in d.x_train.rows().into_iter().zip(&d.y_train) {
        let centre = &x.as_slice().unwrap()[(16 * 32 + 16) * 3..][..3];
        let blue = y == 0;
        assert!(
            (centre[2] - if blue { 1.0 } else { 0.0 }).abs() < 0.03,
            "{centre:?}"
        );
        assert!(
            (centre[0] - if blue { 0.0 } else { 1.0 }).abs() < 0.03,
            "{centre:?}"
        );
    }
}

#[test]
fn folders_sort_and_the_archive_order_does_not_matter() {
    let mut files = red_blue("", 4, 6, 6);
    files.push(("apple/0.png".into(), solid(6, 6, [0, 255, 0])));
    files.push(("apple/1.png".into(), solid(6, 6, [0, 255, 0])));
    let a = images_from_zip(&zip_owned(&files), ImageSize::Grey28, split(0.25, 9), "a").unwrap();
    files.reverse();
    let b = images_from_zip(&zip_owned(&files), ImageSize::Grey28, split(0.25, 9), "a").unwrap();
    assert_eq!(a.class_names, vec!["apple", "blue", "red"]);
    assert_eq!(
        (a.x_train.clone(), a.y_train.clone()),
        (b.x_train, b.y_train)
    );
    assert_eq!((a.x_test.clone(), a.y_test.clone()), (b.x_test, b.y_test));
    assert_eq!(a.label_histogram().test, vec![1, 1, 1]);
    // Luminance of pure green, red and blue (Rec. 709 weights).
    let mut seen: Vec<(usize, u8)> = a
        .x_train
        .rows()
        .into_iter()
        .zip(&a.y_train)
        .map(|(x, &y)| (y, (x[0] * 255.0).round() as u8))
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, vec![(0, 182), (1, 18), (2, 54)]);
}

#[test]
fn the_split_follows_the_seed() {
    let bytes = zip_owned(&red_blue("", 10, 4, 4));
    let one = |seed| images_from_zip(&bytes, ImageSize::Grey28, split(0.3, seed), "s").unwrap();
    let (a, b, c) = (one(5), one(5), one(6));
    assert_eq!(a.y_train, b.y_train);
    assert_eq!(a.x_train, b.x_train);
    assert_eq!(a.y_test, b.y_test);
    assert_eq!(a.label_histogram().test, vec![3, 3]);
    assert_eq!(a.label_histogram().train, vec![7, 7]);
    assert_ne!(a.y_train, c.y_train, "another seed, another order");
    // Classes are mixed: the first rows already hold both.
    assert!(
        a.y_train[..4].contains(&0) && a.y_train[..4].contains(&1),
        "{:?}",
        a.y_train
    );
}
