//! A dataset from a pair of `.npy` arrays: images `x` of shape `(N, H, W, C)` and labels `y` of
//! shape `(N,)`, read from bytes (natively and in the browser).

use ndarray::Array2;

use super::npy_header::{parse_npy, Dtype, Npy};
use super::split::{check_fraction, plan};
use super::{ImagesError, Split};
use crate::data::Dataset;
use crate::lang::text;
use crate::limits::{MAX_IMAGES_FILE_BYTES, MAX_IMAGE_CLASSES, MAX_IMAGE_SIDE};

/// The dataset of images `x` and labels `y` (both `.npy` bytes), classes named `"0"` to
/// `"K-1"` where `K` is the largest label plus one. See the module's documentation for the
/// dtypes accepted.
pub fn dataset_from_npy(
    x: &[u8],
    y: &[u8],
    split: Split,
    name: &str,
) -> Result<Dataset, ImagesError> {
    dataset_from_npy_with_names(x, y, &[], split, name)
}

/// [`dataset_from_npy`] with the classes named `class_names` (label `i` is `class_names[i]`);
/// an empty list names them `"0"` to `"K-1"`.
pub fn dataset_from_npy_with_names(
    x: &[u8],
    y: &[u8],
    class_names: &[String],
    split: Split,
    name: &str,
) -> Result<Dataset, ImagesError> {
    check_fraction(split)?;
    for (which, bytes) in [("x.npy", x), ("y.npy", y)] {
        if bytes.len() as u64 > MAX_IMAGES_FILE_BYTES {
            return Err(ImagesError::FileTooLarge {
                file: which.to_string(),
                size: bytes.len() as u64,
                limit: MAX_IMAGES_FILE_BYTES,
            });
        }
    }
    if class_names.len() > MAX_IMAGE_CLASSES {
        return Err(ImagesError::TooManyClasses {
            count: class_names.len(),
            limit: MAX_IMAGE_CLASSES,
        });
    }
    let x = parse_npy(x, "x")?;
    let y = parse_npy(y, "y")?;
    if !matches!(x.dtype, Dtype::U8 | Dtype::F32 | Dtype::F64) {
        return Err(ImagesError::NpyDtype {
            which: "x",
            descr: x.descr().to_string(),
            expected: text!(
                "images must be uint8 (0 to 255) or float32/float64 (0 to 1)",
                "이미지는 uint8(0~255)이나 float32/float64(0~1)여야 합니다"
            ),
        });
    }
    let &[n, h, w, c] = x.shape.as_slice() else {
        return Err(ImagesError::NpyShape {
            which: "x",
            shape: x.shape.clone(),
            expected: text!("(N, height, width, channels)", "(N, 높이, 너비, 채널)"),
        });
    };
    if !(1..=MAX_IMAGE_SIDE as usize).contains(&h) || !(1..=MAX_IMAGE_SIDE as usize).contains(&w) {
        return Err(ImagesError::NpyShape {
            which: "x",
            shape: x.shape.clone(),
            expected: text!(
                "a stack of images from 1 to {MAX_IMAGE_SIDE} pixels on a side",
                "한 변이 1에서 {MAX_IMAGE_SIDE}픽셀인 이미지들"
            ),
        });
    }
    if c != 1 && c != 3 {
        return Err(ImagesError::NpyChannels { channels: c });
    }
    let &[ny] = y.shape.as_slice() else {
        return Err(ImagesError::NpyShape {
            which: "y",
            shape: y.shape.clone(),
            expected: text!("(N,), one label per image", "(N,), 이미지마다 레이블 하나"),
        });
    };
    if ny != n {
        return Err(ImagesError::CountMismatch { x: n, y: ny });
    }
    let labels = read_labels(&y, class_names)?;
    let class_names: Vec<String> = if class_names.is_empty() {
        let k = labels.iter().max().map_or(0, |&m| m + 1);
        (0..k).map(|i| i.to_string()).collect()
    } else {
        class_names.to_vec()
    };
    if class_names.len() < 2 {
        return Err(ImagesError::TooFewClasses { found: class_names });
    }
    let d = h * w * c;
    let plan = plan(&labels, &class_names, split)?;
    let mut x_train = Array2::<f32>::zeros((plan.train.len(), d));
    let mut x_test = Array2::<f32>::zeros((plan.test.len(), d));
    for (sample, (is_test, row)) in plan.destinations(n).into_iter().enumerate() {
        let target = if is_test { &mut x_test } else { &mut x_train };
        let mut out = target.row_mut(row);
        for (position, slot) in out.iter_mut().enumerate() {
            *slot = pixel(&x, sample, position, d)?;
        }
    }
    Ok(Dataset {
        name: name.to_string(),
        input_shape: vec![h, w, c],
        class_names,
        clip_values: (0.0, 1.0),
        y_train: plan.train.iter().map(|&i| labels[i]).collect(),
        y_test: plan.test.iter().map(|&i| labels[i]).collect(),
        x_train,
        x_test,
    })
}

/// Value `position` of image `sample` (of `d` values) in `[0, 1]`: bytes over 255, floats as
/// they are once checked.
fn pixel(x: &Npy<'_>, sample: usize, position: usize, d: usize) -> Result<f32, ImagesError> {
    let value = x.get(sample * d + position);
    if !x.dtype.is_float() {
        return Ok((value / 255.0) as f32);
    }
    if !(0.0..=1.0).contains(&value) {
        return Err(ImagesError::PixelOutOfRange {
            sample,
            position,
            value,
        });
    }
    Ok(value as f32)
}

/// The labels of `y` as class indices, below `class_names.len()` (or [`MAX_IMAGE_CLASSES`]
/// when no names are given).
fn read_labels(y: &Npy<'_>, class_names: &[String]) -> Result<Vec<usize>, ImagesError> {
    let nb_classes = if class_names.is_empty() {
        MAX_IMAGE_CLASSES
    } else {
        class_names.len()
    };
    (0..y.shape[0])
        .map(|index| {
            let label = y.get(index);
            if label.fract() != 0.0 || !label.is_finite() {
                return Err(ImagesError::LabelNotInteger {
                    index,
                    value: label,
                });
            }
            if label < 0.0 || label >= nb_classes as f64 {
                return Err(ImagesError::LabelOutOfRange {
                    index,
                    label,
                    nb_classes,
                });
            }
            Ok(label as usize)
        })
        .collect()
}
