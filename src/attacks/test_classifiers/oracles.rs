//! A wrapper that gives an attack less than a white-box classifier, for the tests of the
//! black-box attacks: [`Oracle::scores`] answers with the wrapped model's scores and
//! [`Oracle::label`] with a one-hot of its predicted class (a decision-based oracle). Either
//! panics, failing the test, when an attack asks for a gradient or for logits, and counts the
//! samples it was asked about, so a test can check an attack's own query count.

use std::cell::Cell;

use crate::classifier::{BatchStats, ClassSelection, Classifier, OutputKind};
use ndarray::{Array2, Array3, ArrayView2};

/// What the wrapped model reveals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reveal {
    Scores,
    Label,
}

/// A classifier seen through an oracle (see the module documentation).
#[derive(Debug, Clone)]
pub struct Oracle<C> {
    inner: C,
    reveal: Reveal,
    queries: Cell<usize>,
}

impl<C: Classifier> Oracle<C> {
    /// Scores only.
    pub fn scores(inner: C) -> Oracle<C> {
        Oracle {
            inner,
            reveal: Reveal::Scores,
            queries: Cell::new(0),
        }
    }

    /// The predicted class only, as a one-hot score row.
    pub fn label(inner: C) -> Oracle<C> {
        Oracle {
            inner,
            reveal: Reveal::Label,
            queries: Cell::new(0),
        }
    }

    /// Samples predicted so far.
    pub fn queries(&self) -> usize {
        self.queries.get()
    }

    /// The wrapped model.
    pub fn inner(&self) -> &C {
        &self.inner
    }
}

fn refuse(what: &str) -> ! {
    panic!("a black-box attack asked the oracle for {what}")
}

impl<C: Classifier> Classifier for Oracle<C> {
    fn input_shape(&self) -> &[usize] {
        self.inner.input_shape()
    }

    fn nb_classes(&self) -> usize {
        self.inner.nb_classes()
    }

    fn clip_values(&self) -> (f32, f32) {
        self.inner.clip_values()
    }

    fn output_kind(&self) -> OutputKind {
        match self.reveal {
            Reveal::Scores => self.inner.output_kind(),
            Reveal::Label => OutputKind::Probabilities,
        }
    }

    fn predict(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.queries.set(self.queries.get() + x.nrows());
        let scores = self.inner.predict(x);
        match self.reveal {
            Reveal::Scores => scores,
            Reveal::Label => {
                let top = crate::classifier::argmax_rows(&scores);
                let mut out = Array2::zeros(scores.raw_dim());
                for (i, c) in top.into_iter().enumerate() {
                    out[[i, c]] = 1.0;
                }
                out
            }
        }
    }

    fn loss_gradient(&mut self, _: ArrayView2<f32>, _: &[usize]) -> Array2<f32> {
        refuse("a loss gradient")
    }

    fn class_gradient(&mut self, _: ArrayView2<f32>, _: ClassSelection<'_>) -> Array3<f32> {
        refuse("class gradients")
    }

    fn logits(&self, _: ArrayView2<f32>) -> Array2<f32> {
        refuse("logits")
    }

    fn logit_vjp(&mut self, _: ArrayView2<f32>, _: ArrayView2<f32>) -> Array2<f32> {
        refuse("a logit gradient")
    }

    fn train_batch(&mut self, _: ArrayView2<f32>, _: &[usize]) -> BatchStats {
        refuse("training")
    }
}
