//! Tests against the vendored files themselves: counts, label histograms and pixel statistics
//! published for MNIST, Fashion-MNIST and IRIS. Each large dataset is decoded once per test run.

use std::sync::OnceLock;

use super::files::{datasets_dir, load_dataset};
use super::idx::decode_labels;
use super::Dataset;

fn mnist() -> &'static Dataset {
    static MNIST: OnceLock<Dataset> = OnceLock::new();
    MNIST.get_or_init(|| load_dataset("mnist", &datasets_dir()).expect("vendored MNIST loads"))
}

#[test]
fn mnist_has_the_published_counts_and_histograms() {
    let d = mnist();
    assert_eq!(d.x_train.dim(), (60_000, 784));
    assert_eq!(d.x_test.dim(), (10_000, 784));
    let h = d.label_histogram();
    assert_eq!(
        h.train,
        vec![5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    );
    assert_eq!(
        h.test,
        vec![980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    );
    assert_eq!(&d.y_train[..5], &[5, 0, 4, 1, 9]);
    assert_eq!(&d.y_test[..3], &[7, 2, 1]);
}

#[test]
fn mnist_pixels_are_in_unit_range_with_the_known_mean() {
    let d = mnist();
    let (mut sum, mut lo, mut hi) = (0.0f64, f32::MAX, f32::MIN);
    for &v in d.x_train.iter() {
        sum += v as f64;
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let mean = sum / d.x_train.len() as f64;
    assert!((mean - 0.1307).abs() < 5e-4, "mean {mean}");
    assert_eq!((lo, hi), (0.0, 1.0));
    assert_eq!(d.input_shape, vec![28, 28, 1]);
    assert_eq!(d.clip_values, (0.0, 1.0));
}

#[test]
fn mnist_subset_is_the_head_of_each_split() {
    let d = mnist();
    let s = d.subset(100, 20);
    assert_eq!(s.x_train.dim(), (100, 784));
    assert_eq!(s.x_train.row(99), d.x_train.row(99));
    assert_eq!(s.y_test[..], d.y_test[..20]);
}

#[test]
fn fashion_mnist_labels_have_the_published_counts() {
    // Fashion-MNIST is balanced: 6000 per class in train, 1000 in test.
    let dir = datasets_dir().join("fashion-mnist");
    let train = std::fs::read(dir.join("train-labels-idx1-ubyte.gz")).unwrap();
    let test = std::fs::read(dir.join("t10k-labels-idx1-ubyte.gz")).unwrap();
    let train = decode_labels(&train, 10).unwrap();
    let test = decode_labels(&test, 10).unwrap();
    assert_eq!(super::count_labels(&train, 10), vec![6000; 10]);
    assert_eq!(super::count_labels(&test, 10), vec![1000; 10]);
    assert_eq!(&train[..4], &[9, 0, 0, 3]);
}

#[test]
fn fashion_mnist_loads_as_a_dataset() {
    let d = load_dataset("fashion-mnist", &datasets_dir()).unwrap();
    assert_eq!(d.x_train.dim(), (60_000, 784));
    assert_eq!(d.x_test.dim(), (10_000, 784));
    assert_eq!(d.class_names[0], "T-shirt/top");
    // The mean training pixel Zalando's users quote is 0.2860.
    let mean = d.x_train.iter().map(|&v| v as f64).sum::<f64>() / d.x_train.len() as f64;
    assert!((mean - 0.2860).abs() < 5e-4, "mean {mean}");
}

#[test]
fn iris_follows_arts_split() {
    let d = load_dataset("iris", &datasets_dir()).unwrap();
    assert_eq!(d.y_train.len() + d.y_test.len(), 150);
    assert_eq!(d.x_train.dim(), (105, 4));
    assert_eq!(d.x_test.dim(), (45, 4));
    let h = d.label_histogram();
    assert_eq!((h.train, h.test), (vec![35; 3], vec![15; 3]));
    let max = d
        .x_train
        .iter()
        .chain(d.x_test.iter())
        .copied()
        .fold(0.0f32, f32::max);
    assert_eq!(max, 1.0);
    // File row 0 (5.1 / 7.9) trains first; file row index 35 (5.0) opens the test split.
    assert_eq!(d.x_train[[0, 0]], (5.1f64 / 7.9) as f32);
    assert_eq!(d.x_test[[0, 0]], (5.0f64 / 7.9) as f32);
    assert_eq!(d.x_train[[35, 0]], (7.0f64 / 7.9) as f32);
    assert_eq!(d.class_names, vec!["setosa", "versicolor", "virginica"]);
}
