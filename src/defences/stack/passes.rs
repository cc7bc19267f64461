//! The forward and backward passes of a stack's pieces, side by side: the pre-processors'
//! exact and BPDA backward passes, the post-processors' forward pass with the tape their exact
//! backward pass needs, and the softmax that turns a seed on probabilities into one on logits.

use ndarray::{Array2, ArrayView2};

use super::{Stack, StackPiece};
use crate::classifier::{Classifier, OutputKind};
use crate::defences::postprocess::class_labels;

/// Row-wise softmax.
pub(super) fn softmax(z: &Array2<f32>) -> Array2<f32> {
    let mut p = z.clone();
    for mut row in p.rows_mut() {
        let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        row.mapv_inplace(|v| (v - m).exp());
        let sum = row.sum();
        row.mapv_inplace(|v| v / sum);
    }
    p
}

/// A seed on probabilities `p = softmax(l)` as a seed on the logits `l`: `p ⊙ (s - <s, p>)`.
pub(super) fn prob_seed_to_logits(p: &Array2<f32>, seed: &Array2<f32>) -> Array2<f32> {
    let mut out = Array2::zeros(p.raw_dim());
    for ((pr, sr), mut or) in p.rows().into_iter().zip(seed.rows()).zip(out.rows_mut()) {
        let dot: f32 = pr.iter().zip(sr.iter()).map(|(a, b)| a * b).sum();
        for ((o, &pi), &si) in or.iter_mut().zip(pr.iter()).zip(sr.iter()) {
            *o = pi * (si - dot);
        }
    }
    out
}

/// What the forward pass through the post-processors kept for their backward pass.
pub(super) struct PostTape {
    /// The input of every post-processor, in order.
    inputs: Vec<Array2<f32>>,
    /// Gaussian noise's floored noisy scores, per post-processor (None for the others).
    aux: Vec<Option<Array2<f32>>>,
}

impl<C: Classifier> Stack<C> {
    /// The model's probabilities on (pre-processed) inputs `z`.
    pub(super) fn model_probs(&self, z: ArrayView2<f32>) -> Array2<f32> {
        let s = self.model.predict(z);
        match self.model.output_kind() {
            OutputKind::Logits => softmax(&s),
            OutputKind::Probabilities => s,
        }
    }

    /// The post-processors on probabilities `p`: their output and the tape.
    pub(super) fn post_forward(&self, p: Array2<f32>) -> (Array2<f32>, PostTape) {
        let mut rng = self.rng.borrow_mut();
        let mut tape = PostTape {
            inputs: Vec::with_capacity(self.post.len()),
            aux: Vec::with_capacity(self.post.len()),
        };
        let mut cur = p;
        for piece in &self.post {
            let (next, aux) = match piece {
                StackPiece::HighConfidence(h) => (h.apply(cur.view()), None),
                StackPiece::GaussianNoise(g) => {
                    let (out, q) = g.apply(cur.view(), &mut rng);
                    (out, Some(q))
                }
                StackPiece::ReverseSigmoid(r) => (r.apply(cur.view()), None),
                StackPiece::Rounded(r) => (r.apply(cur.view()), None),
                StackPiece::ClassLabels(_) => (class_labels(cur.view()), None),
                _ => (cur.clone(), None),
            };
            tape.inputs.push(std::mem::replace(&mut cur, next));
            tape.aux.push(aux);
        }
        (cur, tape)
    }

    /// The exact backward pass through the post-processors: a seed on their output as a seed on
    /// the model's probabilities.
    pub(super) fn post_backward(&self, tape: &PostTape, seed: Array2<f32>) -> Array2<f32> {
        let mut g = seed;
        for (i, piece) in self.post.iter().enumerate().rev() {
            let input = tape.inputs[i].view();
            g = match piece {
                StackPiece::HighConfidence(h) => h.vjp(input, g.view()),
                StackPiece::GaussianNoise(n) => match &tape.aux[i] {
                    Some(q) => n.vjp(q.view(), g.view()),
                    None => g,
                },
                StackPiece::ReverseSigmoid(r) => r.vjp(input, g.view()),
                StackPiece::Rounded(_) | StackPiece::ClassLabels(_) => Array2::zeros(g.raw_dim()),
                _ => g,
            };
        }
        g
    }

    /// The backward pass through the pre-processors, from a gradient at the model's input.
    /// `exact`: every piece's true derivative (naive); otherwise BPDA's identity for the
    /// non-differentiable ones.
    pub(super) fn pre_backward(
        &self,
        xs: &[Array2<f32>],
        grad: Array2<f32>,
        exact: bool,
    ) -> Array2<f32> {
        let shape = self.model.input_shape().to_vec();
        let mut g = grad;
        for (i, piece) in self.pre.iter().enumerate().rev() {
            if !exact && !piece.differentiable() {
                continue;
            }
            g = match piece {
                StackPiece::FeatureSqueezing(p) => p.backward_exact(g.view()),
                StackPiece::SpatialSmoothing(p) => p
                    .backward_exact(xs[i].view(), g.view(), &shape)
                    .unwrap_or(g),
                _ => g,
            };
        }
        g
    }
}
