//! The classifier abstraction every attack and defence is written against, modelled on ART's
//! estimator API (`predict`, `loss_gradient`, `class_gradient`, `nb_classes`, `input_shape`,
//! `clip_values`, `fit`).
//!
//! Inputs cross this trait as a batch of flattened samples, `(N, D)` with `D` the product of
//! [`Classifier::input_shape`]; images are flattened row-major over `(h, w, c)`, which is the same
//! memory as NHWC. Scores are `(N, C)`.
//!
//! Main types: [`Classifier`], [`ClassSelection`], [`BatchStats`].

use ndarray::{Array2, Array3, ArrayView2};

/// Which class gradients [`Classifier::class_gradient`] returns.
#[derive(Debug, Clone, Copy)]
pub enum ClassSelection<'a> {
    /// The same class for every sample: result `(N, 1, D)`.
    One(usize),
    /// One class per sample (`len == N`): result `(N, 1, D)`.
    PerSample(&'a [usize]),
    /// Every class, the full Jacobian of the output: result `(N, C, D)`.
    All,
}

/// Loss and accuracy of one training batch, as reported by [`Classifier::train_batch`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchStats {
    /// Mean data loss over the batch (regularisation included).
    pub loss: f32,
    /// Fraction of the batch whose arg-max score matched the label.
    pub accuracy: f32,
}

/// An ART-style classifier: class scores, gradients with respect to the input, and a training step.
///
/// Scores are the model's output: probabilities when the model ends in a softmax layer, raw logits
/// otherwise (ART's `use_logits`/`from_logits`). The loss is cross-entropy on probabilities in the
/// first case and softmax cross-entropy on logits in the second; either way it is the mean over the
/// batch. Class gradients are gradients of the model's output, whichever it is.
pub trait Classifier {
    /// Shape of one sample, e.g. `[28, 28, 1]` (NHWC without N) or `[4]`.
    fn input_shape(&self) -> &[usize];

    /// Number of features of one flattened sample.
    fn nb_features(&self) -> usize {
        self.input_shape().iter().product()
    }

    /// Number of classes `C`.
    fn nb_classes(&self) -> usize;

    /// The valid range of every input feature, `(min, max)`.
    fn clip_values(&self) -> (f32, f32);

    /// Class scores `(N, C)` in inference mode.
    fn predict(&self, x: ArrayView2<f32>) -> Array2<f32>;

    /// Gradient of each sample's own loss w.r.t. its input, `(N, D)`, for labels `y` (`len == N`),
    /// in inference mode. Row `i` does not depend on the batch size or on the other samples.
    fn loss_gradient(&mut self, x: ArrayView2<f32>, y: &[usize]) -> Array2<f32>;

    /// Gradients of the model's output scores w.r.t. the input, in inference mode.
    fn class_gradient(&mut self, x: ArrayView2<f32>, classes: ClassSelection<'_>) -> Array3<f32>;

    /// One optimiser step on a batch in training mode (dropout on, batch statistics updated).
    fn train_batch(&mut self, x: ArrayView2<f32>, y: &[usize]) -> BatchStats;

    /// Arg-max class of each sample.
    fn predict_classes(&self, x: ArrayView2<f32>) -> Vec<usize> {
        argmax_rows(&self.predict(x))
    }
}

/// Arg-max of each row of a score matrix (the first maximum on ties, NaN never wins).
pub fn argmax_rows(scores: &Array2<f32>) -> Vec<usize> {
    scores
        .rows()
        .into_iter()
        .map(|row| {
            let mut best = 0;
            let mut best_v = f32::NEG_INFINITY;
            for (i, &v) in row.iter().enumerate() {
                if v > best_v {
                    best = i;
                    best_v = v;
                }
            }
            best
        })
        .collect()
}

/// Fraction of rows whose arg-max equals the label.
pub fn accuracy(scores: &Array2<f32>, y: &[usize]) -> f32 {
    if y.is_empty() {
        return 0.0;
    }
    let hits = argmax_rows(scores)
        .iter()
        .zip(y)
        .filter(|(p, t)| p == t)
        .count();
    hits as f32 / y.len() as f32
}
