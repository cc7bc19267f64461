//! The same class folders on disk give the same dataset as in a zip.

use std::path::PathBuf;

use super::super::{images_from_dir, images_from_zip, ImageSize};
use super::*;

/// A fresh folder under the system's temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("advlab-images-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, files: &[(String, Vec<u8>)]) {
        for (name, bytes) in files {
            let path = self.0.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_folder_reads_like_its_zip() {
    let mut files = red_blue("pets/", 3, 12, 9);
    files.push(("pets/.DS_Store".into(), vec![1, 2, 3]));
    files.push(("pets/blue/info.txt".into(), b"text".to_vec()));
    let dir = TempDir::new("same");
    dir.write(&files);
    let s = split(0.34, 11);
    let from_dir = images_from_dir(&dir.0, ImageSize::Colour32, s, "pets").unwrap();
    let from_zip = images_from_zip(&zip_owned(&files), ImageSize::Colour32, s, "pets").unwrap();
    assert_eq!(from_dir.class_names, vec!["blue", "red"]);
    assert_eq!(from_dir.class_names, from_zip.class_names);
    assert_eq!(from_dir.x_train, from_zip.x_train);
    assert_eq!(from_dir.y_train, from_zip.y_train);
    assert_eq!(from_dir.x_test, from_zip.x_test);
    assert_eq!(from_dir.y_test, from_zip.y_test);
    // The wrapping folder itself works as the root too.
    let inner = images_from_dir(&dir.0.join("pets"), ImageSize::Colour32, s, "pets").unwrap();
    assert_eq!(inner.y_train, from_zip.y_train);
}

#[test]
fn folder_errors_name_the_path() {
    let dir = TempDir::new("errors");
    let missing = dir.0.join("missing");
    let e = images_from_dir(&missing, ImageSize::Grey28, split(0.2, 0), "m").unwrap_err();
    assert!(matches!(e, ImagesError::Io { .. }), "{e:?}");
    says(&e, &["missing"], &[]);
    let mut files = red_blue("", 2, 4, 4);
    files.push(("red/bad.jpg".into(), b"\xff\xd8\xff junk".to_vec()));
    dir.write(&files);
    let e = images_from_dir(&dir.0, ImageSize::Grey28, split(0.2, 0), "m").unwrap_err();
    says(&e, &["red/bad.jpg"], &[]);
    let file = dir.0.join("red/000.png");
    let e = images_from_dir(&file, ImageSize::Grey28, split(0.2, 0), "m").unwrap_err();
    says(&e, &["000.png", "not a folder"], &[]);
}
