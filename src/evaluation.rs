//! Clean accuracy and loss of a classifier on a labelled set, the one definition shared by the
//! CLI (`train`, `eval`, `defend`), the worker's training job and model uploads.
//!
//! Main types: [`Evaluation`], [`EvalTally`] (accumulates chunk by chunk, so a resumable job can
//! evaluate a slice at a time) and [`evaluate`] (all at once).

use ndarray::{Array2, ArrayView2, Axis};
use serde::Serialize;

use crate::classifier::{argmax_rows, Classifier};

/// Accuracy and mean cross-entropy on a labelled set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evaluation {
    /// Number of samples.
    pub samples: usize,
    /// Fraction classified correctly.
    pub accuracy: f32,
    /// Mean `-ln p(label)` (scores taken as probabilities, clamped at 1e-7).
    pub loss: f32,
}

/// Running hits and loss over the chunks seen so far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EvalTally {
    samples: usize,
    hits: usize,
    loss: f64,
}

impl EvalTally {
    /// Adds the scores `(n, C)` of `n` samples with labels `y`.
    pub fn add(&mut self, scores: &Array2<f32>, y: &[usize]) {
        for ((row, &t), p) in scores.rows().into_iter().zip(y).zip(argmax_rows(scores)) {
            self.hits += usize::from(p == t);
            self.loss -= f64::from(row[t].max(1e-7)).ln();
        }
        self.samples += y.len();
    }

    /// Samples added so far.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// The evaluation of everything added (zeros when nothing was).
    pub fn finish(&self) -> Evaluation {
        let n = self.samples.max(1) as f64;
        Evaluation {
            samples: self.samples,
            accuracy: (self.hits as f64 / n) as f32,
            loss: (self.loss / n) as f32,
        }
    }
}

/// Evaluates `clf` on `x`, `y` in chunks of 1000 samples to bound memory.
pub fn evaluate(clf: &dyn Classifier, x: ArrayView2<f32>, y: &[usize]) -> Evaluation {
    let mut tally = EvalTally::default();
    for (xc, yc) in x.axis_chunks_iter(Axis(0), 1000).zip(y.chunks(1000)) {
        tally.add(&clf.predict(xc), yc);
    }
    tally.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn chunked_tallies_equal_one_pass() {
        let scores = array![[0.7f32, 0.3], [0.2, 0.8], [0.9, 0.1]];
        let y = [0, 0, 0];
        let mut whole = EvalTally::default();
        whole.add(&scores, &y);
        let mut parts = EvalTally::default();
        parts.add(&scores.slice(ndarray::s![..1, ..]).to_owned(), &y[..1]);
        parts.add(&scores.slice(ndarray::s![1.., ..]).to_owned(), &y[1..]);
        assert_eq!(whole, parts);
        let e = whole.finish();
        assert_eq!((e.samples, e.accuracy), (3, 2.0 / 3.0));
        let want = -(0.7f64.ln() + 0.2f64.ln() + 0.9f64.ln()) / 3.0;
        assert!((f64::from(e.loss) - want).abs() < 1e-6);
        assert_eq!(EvalTally::default().finish().samples, 0);
    }
}
