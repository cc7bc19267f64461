//! IRIS from CSV text, split and scaled the way ART's `load_iris` does.
//!
//! Main functions: [`iris_from_csv`] (ART's default 30 % test split) and
//! [`iris_from_csv_with_split`].
//!
//! ART 1.20 (`art/utils.py`, `load_iris(raw=False, test_set=0.3)`) takes scikit-learn's rows
//! (50 setosa, 50 versicolor, 50 virginica), divides every feature by the global maximum (7.9) in
//! float64, then with `k = int((1 - test_set) * 150 / 3)` (35 by default) puts rows `[0, k)`,
//! `[50, 50 + k)`, `[100, 100 + k)` in the training set and the rest of each class block in the
//! test set. We reproduce that selection exactly. ART then shuffles both splits with the unseeded
//! global NumPy generator, which is not reproducible, so we keep the block order instead (the
//! training loop shuffles with its own seed). ART reports `(min, max)` of the scaled data
//! (`0.1 / 7.9`, `1.0`) as clip values; we use `(0, 1)`, the range every scaled feature lies in.

use ndarray::Array2;

use super::{DataError, Dataset};
use crate::lang::{text, Text};

/// The three species in label order.
pub const IRIS_CLASS_NAMES: [&str; 3] = ["setosa", "versicolor", "virginica"];
/// Number of features per row.
pub const IRIS_FEATURES: usize = 4;
/// ART's default test fraction.
pub const ART_TEST_SET: f64 = 0.3;

/// Parses IRIS CSV (`sepal_length,sepal_width,petal_length,petal_width,species`, header optional)
/// and splits it like ART's `load_iris()`: 105 training and 45 test rows.
pub fn iris_from_csv(text: &str) -> Result<Dataset, DataError> {
    iris_from_csv_with_split(text, ART_TEST_SET)
}

/// As [`iris_from_csv`] with ART's `test_set` fraction, which must lie in `(0, 1)`.
///
/// The rows must form three equal class blocks in label order, as in the vendored file.
pub fn iris_from_csv_with_split(text: &str, test_set: f64) -> Result<Dataset, DataError> {
    if !(test_set > 0.0 && test_set < 1.0) {
        return Err(DataError::BadTestFraction(test_set));
    }
    let (features, labels) = parse_rows(text)?;
    let per_class = check_blocks(&labels)?;
    let max = features.iter().flatten().copied().fold(0.0_f64, f64::max);
    if max <= 0.0 {
        return Err(DataError::Csv {
            line: 0,
            reason: text!(
                "largest feature is {max}, cannot scale by it",
                "가장 큰 특성 값으로 나눌 수 없습니다: {max}"
            ),
        });
    }
    // Same arithmetic as ART: int((1 - test_set) * len(data) / 3).
    let k = ((1.0 - test_set) * labels.len() as f64 / 3.0) as usize;
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (row, _) in labels.iter().enumerate() {
        if row % per_class < k {
            train.push(row);
        } else {
            test.push(row);
        }
    }
    let take = |rows: &[usize]| -> (Array2<f32>, Vec<usize>) {
        let x = Array2::from_shape_fn((rows.len(), IRIS_FEATURES), |(i, j)| {
            (features[rows[i]][j] / max) as f32
        });
        (x, rows.iter().map(|&r| labels[r]).collect())
    };
    let (x_train, y_train) = take(&train);
    let (x_test, y_test) = take(&test);
    Ok(Dataset {
        name: "iris".into(),
        input_shape: vec![IRIS_FEATURES],
        class_names: IRIS_CLASS_NAMES.iter().map(|s| s.to_string()).collect(),
        clip_values: (0.0, 1.0),
        x_train,
        y_train,
        x_test,
        y_test,
    })
}

type Rows = (Vec<[f64; IRIS_FEATURES]>, Vec<usize>);

/// Feature rows and labels; skips blank lines and a first line that is not numeric (the header).
fn parse_rows(text: &str) -> Result<Rows, DataError> {
    let (mut features, mut labels) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (i == 0 && line.starts_with(|c: char| c.is_alphabetic())) {
            continue;
        }
        let csv_err = |reason: Text| DataError::Csv {
            line: i + 1,
            reason,
        };
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != IRIS_FEATURES + 1 {
            let n = fields.len();
            return Err(csv_err(text!(
                "{n} fields, expected 5",
                "필드가 {n}개인데 5개여야 합니다"
            )));
        }
        let mut row = [0.0; IRIS_FEATURES];
        for (slot, field) in row.iter_mut().zip(&fields) {
            *slot = match field.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => v,
                _ => {
                    return Err(csv_err(text!(
                        "{field:?} is not a non-negative number",
                        "{field:?}: 음이 아닌 수가 아닙니다"
                    )))
                }
            };
        }
        let species = fields[IRIS_FEATURES];
        let name = species.strip_prefix("Iris-").unwrap_or(species);
        let label = IRIS_CLASS_NAMES
            .iter()
            .position(|&n| n == name)
            .ok_or_else(|| {
                csv_err(text!(
                    "unknown species {species:?}",
                    "알 수 없는 품종 {species:?}"
                ))
            })?;
        features.push(row);
        labels.push(label);
    }
    Ok((features, labels))
}

/// Checks the labels form three equal, consecutive blocks 0, 1, 2 and returns the block size.
fn check_blocks(labels: &[usize]) -> Result<usize, DataError> {
    let n = labels.len();
    let classes = IRIS_CLASS_NAMES.len();
    if n == 0 || !n.is_multiple_of(classes) {
        return Err(DataError::ClassLayout(text!(
            "{n} rows cannot form {classes} equal class blocks",
            "{n}개 행으로는 같은 크기의 클래스 블록 {classes}개를 만들 수 없습니다"
        )));
    }
    let per_class = n / classes;
    if let Some(row) = (0..n).find(|&r| labels[r] != r / per_class) {
        let (line, found, expected) = (row + 1, labels[row], row / per_class);
        return Err(DataError::ClassLayout(text!(
            "row {line} is class {found} but blocks of {per_class} rows per class in label order expect {expected}",
            "{line}번째 행의 클래스는 {found}입니다. 레이블 순서대로 클래스마다 {per_class}행씩인 블록이라면 예상한 클래스는 {expected}입니다"
        )));
    }
    Ok(per_class)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Six rows: two per class, with the header.
    const TINY: &str = "sepal_length,sepal_width,petal_length,petal_width,species\n\
        5.1,3.5,1.4,0.2,setosa\n4.9,3.0,1.4,0.2,setosa\n\
        7.0,3.2,4.7,1.4,versicolor\n6.4,3.2,4.5,1.5,Iris-versicolor\n\
        6.3,3.3,6.0,2.5,virginica\n8.0,2.7,5.1,1.9,virginica\n";

    #[test]
    fn scales_by_the_global_max_and_splits_per_class() {
        let d = iris_from_csv_with_split(TINY, 0.5).unwrap();
        // k = int(0.5 * 6 / 3) = 1: the first row of each class block trains.
        assert_eq!(d.y_train, vec![0, 1, 2]);
        assert_eq!(d.y_test, vec![0, 1, 2]);
        assert_eq!(d.x_train[[1, 0]], (7.0_f64 / 8.0) as f32);
        assert_eq!(d.x_test[[2, 0]], 1.0);
        assert_eq!(d.x_test[[0, 1]], (3.0_f64 / 8.0) as f32);
    }

    #[test]
    fn rejects_bad_rows_with_the_line_number() {
        let bad = TINY.replace("6.4,3.2", "6.4,abc");
        assert!(matches!(
            iris_from_csv(&bad),
            Err(DataError::Csv { line: 5, .. })
        ));
        let bad = TINY.replace("virginica\n8.0", "daisy\n8.0");
        let err = iris_from_csv(&bad).unwrap_err();
        assert!(err.to_string().contains("daisy"), "{err}");
        let bad = TINY.replace(",0.2,setosa\n4.9", "\n4.9");
        assert!(matches!(
            iris_from_csv(&bad),
            Err(DataError::Csv { line: 2, .. })
        ));
    }

    #[test]
    fn rejects_bad_layouts_and_fractions() {
        let shuffled = TINY.replace("4.9,3.0,1.4,0.2,setosa", "4.9,3.0,1.4,0.2,virginica");
        assert!(matches!(
            iris_from_csv(&shuffled),
            Err(DataError::ClassLayout(_))
        ));
        assert!(matches!(iris_from_csv(""), Err(DataError::ClassLayout(_))));
        for f in [0.0, 1.0, -0.2, f64::NAN] {
            assert!(matches!(
                iris_from_csv_with_split(TINY, f),
                Err(DataError::BadTestFraction(_))
            ));
        }
    }
}
