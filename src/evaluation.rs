//! Clean accuracy and loss of a classifier on a labelled set, the one definition shared by the
//! CLI (`train`, `eval`, `defend`), the worker's training job and model uploads.
//!
//! Main types: [`Evaluation`], [`EvalTally`] (accumulates chunk by chunk, so a resumable job can
//! evaluate a slice at a time) and [`evaluate`] (all at once).
//!
//! The loss is the model's own: cross-entropy on the scores when they are probabilities, softmax
//! cross-entropy when they are logits ([`OutputKind`]), computed by [`crate::nn::loss`], the same
//! functions training uses. Scores that overflowed are an error, not a number.
//!
//! A row of probabilities that is all zeros is "no prediction": a post-processor withheld it (ART's
//! HighConfidence zeroes every score under its cutoff). It counts as wrong, is left out of the
//! loss (whose mean is over the rows with a prediction), and is counted in
//! [`Evaluation::no_prediction`]; an arg-max over zeros would otherwise pick class 0 and the loss
//! would be infinite.

use ndarray::{Array2, ArrayView2, Axis};
use serde::Serialize;

use crate::classifier::{argmax_rows, Classifier, NonFiniteOutput, OutputKind};
use crate::nn::loss::{cross_entropy_probs_each, softmax_cross_entropy_each};

/// Accuracy and mean cross-entropy on a labelled set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evaluation {
    /// Number of samples.
    pub samples: usize,
    /// Fraction classified correctly.
    pub accuracy: f32,
    /// Mean cross-entropy of the label (Keras' categorical cross-entropy on probabilities, or
    /// softmax cross-entropy on logits) over the rows with a prediction (0 when none has one).
    pub loss: f32,
    /// Rows without a prediction (all-zero probabilities), counted as wrong.
    pub no_prediction: usize,
}

/// Running hits and loss over the chunks seen so far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EvalTally {
    samples: usize,
    hits: usize,
    loss: f64,
    no_prediction: usize,
}

impl EvalTally {
    /// Adds the scores `(n, C)` of `n` samples with labels `y`; `kind` says whether the scores
    /// are probabilities or logits.
    pub fn add(&mut self, scores: &Array2<f32>, y: &[usize], kind: OutputKind) {
        let losses = match kind {
            OutputKind::Probabilities => cross_entropy_probs_each(scores.view(), y),
            OutputKind::Logits => softmax_cross_entropy_each(scores.view(), y),
        };
        let predicted: Vec<bool> = scores
            .rows()
            .into_iter()
            .map(|r| kind == OutputKind::Logits || r.iter().any(|&v| v != 0.0))
            .collect();
        for ((&t, p), &ok) in y.iter().zip(argmax_rows(scores)).zip(&predicted) {
            self.hits += usize::from(ok && p == t);
        }
        self.loss += losses
            .iter()
            .zip(&predicted)
            .filter(|(_, &ok)| ok)
            .map(|(&l, _)| f64::from(l))
            .sum::<f64>();
        self.no_prediction += predicted.iter().filter(|&&ok| !ok).count();
        self.samples += y.len();
    }

    /// Samples added so far.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// The evaluation of everything added (zeros when nothing was).
    pub fn finish(&self) -> Evaluation {
        let n = self.samples.max(1) as f64;
        let predicted = (self.samples - self.no_prediction).max(1) as f64;
        Evaluation {
            samples: self.samples,
            accuracy: (self.hits as f64 / n) as f32,
            loss: (self.loss / predicted) as f32,
            no_prediction: self.no_prediction,
        }
    }
}

/// Evaluates `clf` on `x`, `y` in chunks of 1000 samples to bound memory; an error when the
/// model's computation overflows.
pub fn evaluate(
    clf: &dyn Classifier,
    x: ArrayView2<f32>,
    y: &[usize],
) -> Result<Evaluation, NonFiniteOutput> {
    let mut tally = EvalTally::default();
    for (i, (xc, yc)) in x
        .axis_chunks_iter(Axis(0), 1000)
        .zip(y.chunks(1000))
        .enumerate()
    {
        let scores = clf.predict_checked(xc).map_err(|mut e| {
            e.sample += i * 1000;
            e
        })?;
        tally.add(&scores, yc, clf.output_kind());
    }
    Ok(tally.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn all_zero_probabilities_are_no_prediction_never_nan() {
        let mut t = EvalTally::default();
        // Row 0 right, row 1 withheld (its label is class 0, which an arg-max over zeros picks),
        // row 2 wrong.
        let scores = array![[0.9f32, 0.1], [0.0, 0.0], [0.8, 0.2]];
        t.add(&scores, &[0, 0, 1], OutputKind::Probabilities);
        let e = t.finish();
        assert_eq!((e.samples, e.no_prediction), (3, 1));
        assert!((e.accuracy - 1.0 / 3.0).abs() < 1e-6, "{e:?}");
        let expected = (-(0.9f32.ln()) - 0.2f32.ln()) / 2.0;
        assert!((e.loss - expected).abs() < 1e-4, "{e:?}");
        // Every row withheld: accuracy 0, loss 0, never NaN.
        let mut t = EvalTally::default();
        t.add(&array![[0.0f32, 0.0]], &[0], OutputKind::Probabilities);
        let e = t.finish();
        assert_eq!((e.accuracy, e.loss, e.no_prediction), (0.0, 0.0, 1));
    }

    #[test]
    fn chunked_tallies_equal_one_pass() {
        let scores = array![[0.7f32, 0.3], [0.2, 0.8], [0.9, 0.1]];
        let y = [0, 0, 0];
        let p = OutputKind::Probabilities;
        let mut whole = EvalTally::default();
        whole.add(&scores, &y, p);
        let mut parts = EvalTally::default();
        parts.add(&scores.slice(ndarray::s![..1, ..]).to_owned(), &y[..1], p);
        parts.add(&scores.slice(ndarray::s![1.., ..]).to_owned(), &y[1..], p);
        assert_eq!(whole, parts);
        let e = whole.finish();
        assert_eq!((e.samples, e.accuracy), (3, 2.0 / 3.0));
        let want = -(0.7f64.ln() + 0.2f64.ln() + 0.9f64.ln()) / 3.0;
        assert!((f64::from(e.loss) - want).abs() < 1e-6);
        assert_eq!(EvalTally::default().finish().samples, 0);
    }

    #[test]
    fn the_loss_reads_the_output_kind() {
        // The same model: logits z, and the softmax of z.
        let z = array![[2.0f32, 0.0], [0.0, 1.0]];
        let p = crate::nn::layers::softmax_rows(z.view());
        let y = [0, 0];
        let mut on_logits = EvalTally::default();
        on_logits.add(&z, &y, OutputKind::Logits);
        let mut on_probs = EvalTally::default();
        on_probs.add(&p, &y, OutputKind::Probabilities);
        let (a, b) = (on_logits.finish(), on_probs.finish());
        assert!((a.loss - b.loss).abs() < 1e-5, "{a:?} vs {b:?}");
        assert_eq!(a.accuracy, 0.5);
    }
}
