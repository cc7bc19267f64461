//! ART's `ClassLabels`: only the predicted label is reported, as a one-hot score vector. Its
//! true derivative is zero; only label-only attacks (HopSkipJump) or gradients taken before the
//! post-processor (BPDA mode) see through it.

use ndarray::{Array2, ArrayView2};

use crate::classifier::argmax_rows;

/// The one-hot label of each row's highest score.
pub fn class_labels(p: ArrayView2<f32>) -> Array2<f32> {
    let mut out = Array2::zeros(p.raw_dim());
    for (i, c) in argmax_rows(&p.to_owned()).into_iter().enumerate() {
        out[[i, c]] = 1.0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn one_hot_of_the_arg_max() {
        let p = array![[0.1, 0.3, 0.6], [0.7, 0.2, 0.1]];
        assert_eq!(
            class_labels(p.view()),
            array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
        );
    }
}
