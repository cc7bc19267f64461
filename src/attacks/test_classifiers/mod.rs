//! Small classifiers with closed-form gradients, for the attacks' unit tests and for the ART golden
//! tests in `tests/attacks_golden.rs` (hence public, though no application code should use them).
//!
//! Main types: [`LinearClassifier`] with [`LinearOutput`] (logits, softmax, or ART's scikit-learn
//! logistic-regression conventions) and [`MlpClassifier`] (one tanh hidden layer, a non-linear
//! model on which attacks have to iterate), and [`Oracle`], which shows an attack only scores or
//! only labels and fails the test when it asks for a gradient.

mod linear;
mod mlp;
mod oracles;

pub use linear::{LinearClassifier, LinearOutput};
pub use mlp::MlpClassifier;
pub use oracles::Oracle;

#[cfg(test)]
use ndarray::{Array1, Array2};

/// Central finite differences of a scalar function of the first sample of `x`.
#[cfg(test)]
pub(crate) fn numeric_grad(f: impl Fn(&Array2<f32>) -> f32, x: &Array2<f32>) -> Array1<f32> {
    let h = 1e-3;
    (0..x.ncols())
        .map(|j| {
            let (mut a, mut b) = (x.clone(), x.clone());
            a[[0, j]] += h;
            b[[0, j]] -= h;
            (f(&a) - f(&b)) / (2.0 * h)
        })
        .collect()
}
