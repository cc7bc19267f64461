//! MNIST and Fashion-MNIST from their four IDX files (gzipped or not).
//!
//! Main function: [`mnist_from_bytes`], which builds a [`Dataset`] with pixels scaled to `[0, 1]`,
//! `input_shape` `[28, 28, 1]` (NHWC with one channel) and the class names of the named dataset.

use ndarray::Array2;

use super::idx::{decode_images, decode_labels, IdxImages};
use super::{DataError, Dataset};

/// Side of an MNIST image in pixels.
pub const MNIST_SIDE: usize = 28;
/// Number of MNIST classes.
pub const MNIST_CLASSES: usize = 10;

/// Fashion-MNIST's class names, in label order (from Zalando's README).
pub const FASHION_CLASS_NAMES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// Class names for `name`: Fashion-MNIST's garments for `fashion-mnist`, else the digits `"0"..="9"`.
pub fn class_names_for(name: &str) -> Vec<String> {
    if name == "fashion-mnist" {
        FASHION_CLASS_NAMES.iter().map(|s| s.to_string()).collect()
    } else {
        (0..MNIST_CLASSES).map(|d| d.to_string()).collect()
    }
}

/// Builds an MNIST-format dataset from its four IDX files.
///
/// `name` is stored in the dataset and picks the class names (`"fashion-mnist"` gets the garment
/// names, anything else the digits). Images must be 28x28 and each split's image and label counts
/// must agree.
pub fn mnist_from_bytes(
    name: &str,
    train_images: &[u8],
    train_labels: &[u8],
    test_images: &[u8],
    test_labels: &[u8],
) -> Result<Dataset, DataError> {
    let (x_train, y_train) = split_from_bytes("train", train_images, train_labels)?;
    let (x_test, y_test) = split_from_bytes("test", test_images, test_labels)?;
    Ok(Dataset {
        name: name.to_string(),
        input_shape: vec![MNIST_SIDE, MNIST_SIDE, 1],
        class_names: class_names_for(name),
        clip_values: (0.0, 1.0),
        x_train,
        y_train,
        x_test,
        y_test,
    })
}

/// Decodes one split: `(N, 784)` pixels in `[0, 1]` and `N` labels.
fn split_from_bytes(
    split: &'static str,
    images: &[u8],
    labels: &[u8],
) -> Result<(Array2<f32>, Vec<usize>), DataError> {
    let images = decode_images(images)?;
    if images.rows != MNIST_SIDE || images.cols != MNIST_SIDE {
        return Err(DataError::WrongImageSize {
            what: split,
            rows: images.rows,
            cols: images.cols,
            expected_rows: MNIST_SIDE,
            expected_cols: MNIST_SIDE,
        });
    }
    let labels = decode_labels(labels, MNIST_CLASSES)?;
    if labels.len() != images.count {
        return Err(DataError::CountMismatch {
            split,
            images: images.count,
            labels: labels.len(),
        });
    }
    Ok((images_to_unit_range(&images), labels))
}

/// `(count, rows * cols)` array of the grey levels divided by 255.
fn images_to_unit_range(images: &IdxImages) -> Array2<f32> {
    let d = images.rows * images.cols;
    let values = images.pixels.iter().map(|&p| p as f32 / 255.0).collect();
    Array2::from_shape_vec((images.count, d), values)
        .expect("decode_images guarantees count * rows * cols pixels")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::idx::tests::{gzip, image_file, label_file};

    #[test]
    fn builds_a_small_dataset_in_unit_range() {
        let labels: Vec<u8> = (0..3).collect();
        let d = mnist_from_bytes(
            "mnist",
            &gzip(&image_file(3, 28, 28)),
            &label_file(&labels),
            &image_file(2, 28, 28),
            &gzip(&label_file(&[9, 4])),
        )
        .unwrap();
        assert_eq!(d.x_train.dim(), (3, 784));
        assert_eq!(d.x_test.dim(), (2, 784));
        assert_eq!(d.y_test, vec![9, 4]);
        assert_eq!(d.input_shape, vec![28, 28, 1]);
        assert_eq!(d.class_names[7], "7");
        // pixel value = flat index mod 256 in the fixture
        assert_eq!(d.x_train[[0, 255]], 1.0);
        assert_eq!(d.x_train[[0, 51]], 51.0 / 255.0);
        assert!(d.x_train.iter().all(|&v| (0.0..=1.0).contains(&v)));
    }

    #[test]
    fn fashion_gets_garment_names() {
        let img = image_file(1, 28, 28);
        let lab = label_file(&[0]);
        let d = mnist_from_bytes("fashion-mnist", &img, &lab, &img, &lab).unwrap();
        assert_eq!(d.class_names[9], "Ankle boot");
        assert_eq!(d.name, "fashion-mnist");
    }

    #[test]
    fn count_mismatch_and_wrong_size_are_errors() {
        let img = image_file(2, 28, 28);
        let err = mnist_from_bytes("mnist", &img, &label_file(&[1]), &img, &label_file(&[1, 2]))
            .unwrap_err();
        assert!(matches!(
            err,
            DataError::CountMismatch {
                split: "train",
                images: 2,
                labels: 1
            }
        ));
        let small = image_file(1, 27, 28);
        let lab = label_file(&[1]);
        let err = mnist_from_bytes("mnist", &img, &label_file(&[1, 2]), &small, &lab).unwrap_err();
        assert!(matches!(
            err,
            DataError::WrongImageSize {
                what: "test",
                rows: 27,
                ..
            }
        ));
    }
}
