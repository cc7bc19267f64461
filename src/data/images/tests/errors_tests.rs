//! Archives that cannot make a dataset, and what the messages say.

use super::super::archive::{images_from_zip_within, MAX_ZIP_ENTRIES};
use super::super::assemble::{assemble, Request, Source};
use super::super::layout::{layout, Entry};
use super::super::{images_from_zip, ImageSize};
use super::*;
use crate::limits::{MAX_IMAGE_CLASSES, MAX_IMAGE_FILES, MAX_IMAGE_SIDE};

fn zip_err(files: &[(String, Vec<u8>)], s: Split) -> ImagesError {
    images_from_zip(&zip_owned(files), ImageSize::Grey28, s, "mine.zip").unwrap_err()
}

#[test]
fn bytes_that_are_not_a_zip() {
    let e = images_from_zip(
        b"hello, world",
        ImageSize::Grey28,
        split(0.2, 0),
        "mine.zip",
    );
    let e = e.unwrap_err();
    assert!(matches!(e, ImagesError::NotAZip { .. }), "{e:?}");
    says(&e, &["mine.zip"], &["not a zip archive"]);
    // A real archive cut short loses its directory.
    let bytes = zip_owned(&red_blue("", 2, 4, 4));
    let e = images_from_zip(
        &bytes[..bytes.len() - 30],
        ImageSize::Grey28,
        split(0.2, 0),
        "cut.zip",
    );
    says(&e.unwrap_err(), &["cut.zip"], &[]);
}

#[test]
fn corrupt_data_names_the_file() {
    let mut files = red_blue("", 2, 4, 4);
    files.push(("red/big.png".into(), vec![7; 5000]));
    let mut bytes = zip_owned(&files);
    // Flip bytes inside big.png's deflated data (its local header is found by its name).
    let at = bytes.windows(11).position(|w| w == b"red/big.png").unwrap() + 11 + 4;
    for b in &mut bytes[at..at + 6] {
        *b ^= 0x5a;
    }
    let e = images_from_zip(&bytes, ImageSize::Grey28, split(0.2, 0), "mine.zip").unwrap_err();
    assert!(matches!(e, ImagesError::ZipEntry { .. }), "{e:?}");
    says(&e, &["red/big.png"], &[]);
}

#[test]
fn too_many_files_or_classes() {
    let entries: Vec<Entry> = (0..=MAX_IMAGE_FILES)
        .map(|i| Entry::new(&format!("c{}/{i}.png", i % 2), false, 10))
        .collect();
    let e = layout(&entries).unwrap_err();
    assert_eq!(
        e,
        ImagesError::TooManyFiles {
            count: MAX_IMAGE_FILES + 1,
            limit: MAX_IMAGE_FILES
        }
    );
    says(&e, &["100001", "100000"], &[]);
    // An archive whose end declares more entries than the limit is refused before its
    // directory is read: a zip64 record, its locator and the end record.
    let mut bytes = b"PK\x06\x06".to_vec();
    bytes.extend([0; 28]);
    bytes.extend((MAX_ZIP_ENTRIES as u64 + 1).to_le_bytes());
    bytes.extend([0; 16]);
    let locator = bytes.len();
    bytes.extend(b"PK\x06\x07\0\0\0\0");
    bytes.extend(0u64.to_le_bytes());
    bytes.extend([1, 0, 0, 0]);
    assert_eq!(bytes.len() - locator, 20);
    bytes.extend(b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff");
    bytes.extend([0xff; 8]);
    bytes.extend([0, 0]);
    let e = images_from_zip(&bytes, ImageSize::Grey28, split(0.2, 0), "z").unwrap_err();
    assert_eq!(
        e,
        ImagesError::TooManyFiles {
            count: MAX_ZIP_ENTRIES + 1,
            limit: MAX_ZIP_ENTRIES
        }
    );

    let mut files: Vec<(String, Vec<u8>)> = (0..=MAX_IMAGE_CLASSES)
        .map(|i| (format!("class{i:04}/"), vec![]))
        .collect();
    files.push(("class0000/a.png".into(), solid(2, 2, RED)));
    let e = zip_err(&files, split(0.2, 0));
    assert_eq!(
        e,
        ImagesError::TooManyClasses {
            count: MAX_IMAGE_CLASSES + 1,
            limit: MAX_IMAGE_CLASSES
        }
    );
    says(&e, &["1001", "1000"], &[]);
}

#[test]
fn a_zip_bomb_stops_at_the_limit() {
    let mut files = red_blue("", 2, 4, 4);
    files.push(("red/bomb.png".into(), vec![0; 200_000]));
    let bytes = zip_owned(&files);
    // Declared sizes: refused before anything is inflated.
    let e = images_from_zip_within(
        &bytes,
        ImageSize::Grey28,
        split(0.2, 0),
        "bomb.zip",
        100_000,
    );
    let e = e.unwrap_err();
    assert!(
        matches!(e, ImagesError::UnpackedTooLarge { limit: 100_000, .. }),
        "{e:?}"
    );
    says(&e, &["bomb.zip", "100000"], &[]);
    // Sizes that lie: the bomb claims 100 bytes. The zip reader stops at the declared size.
    let mut lying = bytes.clone();
    for (sig, at, name_at) in [(b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)] {
        let starts: Vec<usize> = (0..lying.len() - 4)
            .filter(|&i| &lying[i..i + 4] == sig)
            .collect();
        for start in starts {
            if lying[start + name_at..].starts_with(b"red/bomb.png") {
                lying[start + at..start + at + 4].copy_from_slice(&100u32.to_le_bytes());
            }
        }
    }
    let e = images_from_zip_within(
        &lying,
        ImageSize::Grey28,
        split(0.2, 0),
        "bomb.zip",
        100_000,
    );
    let e = e.unwrap_err();
    assert!(matches!(e, ImagesError::ZipEntry { .. }), "{e:?}");
    says(&e, &["red/bomb.png"], &["declared"]);
    // And should a source give more than it declared, unpacking stops at the limit.
    let entries: Vec<Entry> = ["a/1.png", "a/2.png", "b/1.png", "b/2.png"]
        .iter()
        .map(|p| Entry::new(p, false, 10))
        .collect();
    let request = Request {
        origin: "lies.zip",
        name: "lies",
        size: ImageSize::Grey28,
        split: split(0.5, 0),
        unpack_limit: 1000,
    };
    let e = assemble(&mut Liar, &entries, &request).unwrap_err();
    assert_eq!(
        e,
        ImagesError::UnpackStopped {
            file: "a/1.png".into(),
            limit: 1000
        }
    );
    says(&e, &["a/1.png", "1000"], &[]);
}

/// A source whose every entry inflates without end.
struct Liar;

impl Source for Liar {
    fn read(&mut self, _: usize, cap: u64) -> Result<Vec<u8>, ImagesError> {
        Ok(vec![0; cap as usize + 1])
    }
}

#[test]
fn empty_and_small_classes() {
    let mut files = red_blue("", 2, 4, 4);
    files.push(("green/".into(), vec![]));
    files.push(("green/notes.txt".into(), b"no images".to_vec()));
    let e = zip_err(&files, split(0.2, 0));
    assert_eq!(
        e,
        ImagesError::EmptyClass {
            class: "green".into()
        }
    );
    says(&e, &["\"green\"", "PNG"], &[]);

    let mut files = red_blue("", 2, 4, 4);
    files.push(("green/only.png".into(), solid(4, 4, [0, 255, 0])));
    let e = zip_err(&files, split(0.2, 0));
    assert_eq!(
        e,
        ImagesError::ClassTooSmall {
            class: "green".into(),
            count: 1
        }
    );
    says(&e, &["\"green\""], &["at least 2"]);
    // Without a test set one image is enough.
    let d = images_from_zip(&zip_owned(&files), ImageSize::Grey28, split(0.0, 0), "z").unwrap();
    assert_eq!(d.label_histogram().train, vec![2, 1, 2]);
}

#[test]
fn fewer_than_two_classes() {
    let files = vec![
        ("cats/a.png".to_string(), solid(4, 4, RED)),
        ("cats/b.png".into(), solid(4, 4, RED)),
    ];
    let e = zip_err(&files, split(0.2, 0));
    assert_eq!(
        e,
        ImagesError::TooFewClasses {
            found: vec!["cats".into()]
        }
    );
    says(&e, &["\"cats\""], &["at least 2"]);
    // Loose images, with no class folder.
    let files = vec![
        ("a.png".to_string(), solid(4, 4, RED)),
        ("b.png".into(), solid(4, 4, BLUE)),
    ];
    let e = zip_err(&files, split(0.2, 0));
    assert_eq!(e, ImagesError::TooFewClasses { found: vec![] });
    says(&e, &["cat/001.png"], &["0 class(es)"]);
}

#[test]
fn images_that_do_not_decode_or_are_too_large() {
    let mut files = red_blue("", 2, 4, 4);
    files.push((
        "blue/broken.png".into(),
        b"\x89PNG\r\n\x1a\nnot really".to_vec(),
    ));
    let e = zip_err(&files, split(0.2, 0));
    assert!(
        matches!(&e, ImagesError::BadImage { file, .. } if file == "blue/broken.png"),
        "{e:?}"
    );
    says(&e, &["blue/broken.png"], &[]);

    let mut files = red_blue("", 2, 4, 4);
    files.push(("blue/gif.png".into(), b"GIF89a\x01\0\x01\0\0\0\0;".to_vec()));
    says(&zip_err(&files, split(0.2, 0)), &["blue/gif.png"], &[]);

    let side = MAX_IMAGE_SIDE + 1;
    let mut files = red_blue("", 2, 4, 4);
    files.push(("red/wide.png".into(), solid(side, 1, RED)));
    let e = zip_err(&files, split(0.2, 0));
    assert_eq!(
        e,
        ImagesError::ImageTooLarge {
            file: "red/wide.png".into(),
            width: side,
            height: 1,
            limit: MAX_IMAGE_SIDE
        }
    );
    says(&e, &["red/wide.png", "8193x1", "8192"], &[]);
}

#[test]
fn files_over_the_size_limit() {
    // Too large to build here: the message alone.
    let e = ImagesError::FileTooLarge {
        file: "huge.zip".into(),
        size: 300 << 20,
        limit: 256 << 20,
    };
    says(
        &e,
        &["huge.zip", "314572800", "268435456"],
        &["more than the limit"],
    );
}

#[test]
fn test_fractions_outside_zero_to_one() {
    let files = red_blue("", 2, 4, 4);
    for f in [1.0, -0.1, f64::NAN, 2.0] {
        let e = zip_err(&files, split(f, 0));
        assert!(matches!(e, ImagesError::BadTestFraction(_)), "{e:?}");
        says(&e, &[&f.to_string()], &[]);
    }
}
