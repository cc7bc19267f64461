//! CIFAR-10 files made here in the exact binary format: records decode to the right pixels and
//! labels, the archive and the folder give the same dataset, and every malformed input is refused
//! with a message that names the file and the value.

use super::synthetic::archive;
use super::*;
use flate2::write::GzEncoder;
use std::io::Write;

/// `n` records whose label is `(k + seed) % 10` and whose pixel `p` of channel `c` is
/// `(p + 7 c + k) % 256`: every byte is known, so any mix-up of planes, rows or records shows.
pub fn batch(n: usize, seed: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * RECORD_BYTES);
    for k in 0..n {
        out.push(((k + seed) % 10) as u8);
        for c in 0..3 {
            for p in 0..PIXELS {
                out.push(((p + 7 * c + k) % 256) as u8);
            }
        }
    }
    out
}

/// Every file of a small CIFAR-10: `n` records per training batch, `n` test records.
pub fn small_files(n: usize) -> Vec<(&'static str, Vec<u8>)> {
    let mut files: Vec<(&str, Vec<u8>)> = TRAIN_FILES
        .iter()
        .enumerate()
        .map(|(i, f)| (*f, batch(n, i)))
        .collect();
    files.push((TEST_FILE, batch(n, 5)));
    files.push((META_FILE, CLASS_NAMES.join("\n").into_bytes()));
    files
}

#[test]
fn records_become_nhwc_pixels_in_zero_one_with_their_labels() {
    let files = small_files(3);
    let train: Vec<&[u8]> = files[..5].iter().map(|(_, d)| d.as_slice()).collect();
    let d = cifar10_from_batches(&train, &files[5].1, None).unwrap();
    assert_eq!(d.input_shape, [32, 32, 3]);
    assert_eq!(d.x_train.dim(), (15, 3072));
    assert_eq!(d.x_test.dim(), (3, 3072));
    assert_eq!(d.class_names[0], "airplane");
    // Record k of batch i: label (k + i) % 10; pixel (row 1, column 2), channel c.
    assert_eq!(d.y_train[..4], [0, 1, 2, 1]);
    assert_eq!(d.y_test, [5, 6, 7]);
    let (k, p) = (4, 32 + 2); // the second record of batch 2, pixel 34
    for c in 0..3 {
        let byte = ((p + 7 * c + 1) % 256) as f32;
        assert_eq!(d.x_train[[k, p * 3 + c]], byte / 255.0, "channel {c}");
    }
}

#[test]
fn the_archive_and_the_folder_give_the_same_dataset() {
    let files = small_files(4);
    let from_archive = cifar10_from_archive(&archive(&files)).unwrap();
    let dir = std::env::temp_dir().join(format!("advlab-cifar-{}", std::process::id()));
    let inner = dir.join("cifar-10-batches-bin");
    std::fs::create_dir_all(&inner).unwrap();
    for (name, data) in &files {
        std::fs::write(inner.join(name), data).unwrap();
    }
    let from_dir = cifar10_from_path(&dir).unwrap();
    let from_file = {
        let p = dir.join("cifar-10-binary.tar.gz");
        std::fs::write(&p, archive(&files)).unwrap();
        cifar10_from_path(&p).unwrap()
    };
    std::fs::remove_dir_all(&dir).unwrap();
    for d in [&from_dir, &from_file] {
        assert_eq!(d.x_train, from_archive.x_train);
        assert_eq!(d.y_test, from_archive.y_test);
        assert_eq!(d.class_names, from_archive.class_names);
    }
}

#[test]
fn malformed_files_are_refused_naming_the_file_and_the_value() {
    let mut files = small_files(2);
    let msg = |files: &[(&str, Vec<u8>)]| {
        cifar10_from_archive(&archive(files))
            .unwrap_err()
            .to_string()
    };
    // A record cut short.
    files[2].1.pop();
    let e = msg(&files);
    assert!(
        e.contains("data_batch_3.bin") && e.contains("6145 bytes") && e.contains("3072 left over"),
        "{e}"
    );
    // A label of 10 (CIFAR-10 has 0-9).
    files[2].1 = batch(2, 0);
    files[5].1[RECORD_BYTES] = 10;
    let e = msg(&files);
    assert!(e.contains("label 10") && e.contains("index 1"), "{e}");
    // A missing batch.
    files[5].1 = batch(2, 0);
    let without: Vec<_> = files
        .iter()
        .filter(|(n, _)| *n != "data_batch_4.bin")
        .cloned()
        .collect();
    let e = msg(&without);
    assert!(e.contains("no data_batch_4.bin in the archive"), "{e}");
    // Nine class names.
    let mut nine = files.clone();
    nine[6].1 = CLASS_NAMES[..9].join("\n").into_bytes();
    assert!(msg(&nine).contains("names 9 classes"));
    // Not a tar, and a gzip bomb.
    let e = cifar10_from_archive(b"definitely not an archive")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("tar") || e.contains("no data_batch_1.bin"),
        "{e}"
    );
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..(MAX_CIFAR_UNPACKED_BYTES >> 20) + 1 {
        gz.write_all(&zeros).unwrap();
    }
    let bomb = gz.finish().unwrap();
    assert!(matches!(
        cifar10_from_archive(&bomb),
        Err(DataError::TooLarge { .. })
    ));
}

#[test]
fn the_meta_file_names_the_classes() {
    let mut files = small_files(1);
    files[6].1 = b"plane\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n".to_vec();
    let d = cifar10_from_archive(&archive(&files)).unwrap();
    assert_eq!(d.class_names[1], "car");
    files.pop();
    assert_eq!(
        cifar10_from_archive(&archive(&files)).unwrap().class_names[1],
        "automobile"
    );
}

#[test]
fn the_separable_files_decode_with_their_squares() {
    let files = super::synthetic::separable_files(20);
    let d = cifar10_from_archive(&archive(&files)).unwrap();
    assert_eq!(d.x_train.dim(), (100, 3072));
    // Record 0 of the test batch has label 7: a square at rows 20-27, columns 12-19, bright in
    // channel 1 only.
    assert_eq!(d.y_test[0], 7);
    let px = |row: usize, col: usize, c: usize| d.x_test[[0, (row * 32 + col) * 3 + c]];
    assert_eq!(
        (px(20, 12, 1), px(20, 12, 0), px(27, 19, 1)),
        (1.0, 0.0, 1.0)
    );
    assert!(px(0, 0, 1) < 0.25);
}
