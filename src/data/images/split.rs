//! The seeded, per-class (stratified) split into train and test sets.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{ImagesError, Split};

/// Which samples go where, in the order they appear in each set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Indices of the training samples.
    pub train: Vec<usize>,
    /// Indices of the test samples.
    pub test: Vec<usize>,
}

impl Plan {
    /// For each sample: `(false, row)` in the training set or `(true, row)` in the test set.
    pub fn destinations(&self, n: usize) -> Vec<(bool, usize)> {
        let mut out = vec![(false, 0); n];
        for (row, &i) in self.train.iter().enumerate() {
            out[i] = (false, row);
        }
        for (row, &i) in self.test.iter().enumerate() {
            out[i] = (true, row);
        }
        out
    }
}

/// Refuses a test fraction outside `[0, 1)` (or NaN).
pub(crate) fn check_fraction(split: Split) -> Result<(), ImagesError> {
    if (0.0..1.0).contains(&split.test_fraction) {
        Ok(())
    } else {
        Err(ImagesError::BadTestFraction(split.test_fraction))
    }
}

/// How many of a class's `n` samples go to the test set.
fn test_count(n: usize, fraction: f64) -> usize {
    if fraction == 0.0 || n < 2 {
        return 0;
    }
    ((n as f64 * fraction).round() as usize).clamp(1, n - 1)
}

/// Splits samples labelled `labels` (in `0..class_names.len()`) per class. With a test fraction
/// above 0 every class with samples needs at least 2; a class with none is passed over.
pub(crate) fn plan(
    labels: &[usize],
    class_names: &[String],
    split: Split,
) -> Result<Plan, ImagesError> {
    check_fraction(split)?;
    let mut by_class = vec![Vec::new(); class_names.len()];
    for (i, &label) in labels.iter().enumerate() {
        by_class[label].push(i);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(split.seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (class, mut samples) in by_class.into_iter().enumerate() {
        if split.test_fraction > 0.0 && samples.len() == 1 {
            return Err(ImagesError::ClassTooSmall {
                class: class_names[class].clone(),
                count: 1,
            });
        }
        samples.shuffle(&mut rng);
        let k = test_count(samples.len(), split.test_fraction);
        test.extend_from_slice(&samples[..k]);
        train.extend_from_slice(&samples[k..]);
    }
    // Mix the classes, so that the first rows of either set hold every class.
    train.shuffle(&mut rng);
    test.shuffle(&mut rng);
    Ok(Plan { train, test })
}
