//! [`Classifier`] for [`Model`]: chunked inference, input gradients (inference mode) and the
//! training step. All methods assume `x` has the model's width, one label per sample and labels
//! and class indices below `nb_classes` (they panic otherwise): callers holding user data check
//! with [`Model::check_input`] / [`Model::check_batch`] first. Forward caches are dropped after
//! every call, so clones of a model stay small.
//!
//! `loss_gradient` returns the gradient of the *summed* cross-entropy, so row `i` is sample `i`'s
//! own-loss gradient whatever the batch size; ART's Keras classifier behaves the same (it
//! differentiates the unreduced per-sample loss tensor, which sums). For a model ending in softmax
//! the gradient is the exact `softmax − onehot` backpropagated from the logits (the loss value
//! itself uses Keras' clipped probabilities, whose gradient vanishes on saturated samples).

use super::layers::{Layer, Node, Pass};
use super::loss;
use super::model::Model;
use crate::classifier::{
    accuracy, check_finite, BatchStats, ClassSelection, Classifier, NonFiniteOutput, OutputKind,
};
use ndarray::{s, Array2, Array3, ArrayView2, Axis};

/// Samples per inference/gradient chunk (bounds im2col memory on large batches).
const CHUNK: usize = 64;

/// Values of the widest activation gradient of one stacked backward (16 MB): mnist-seed stacks
/// all ten classes of a 64-sample chunk (64·10·2304 values), wide custom models fewer.
const STACKED_FLOATS: usize = 4 << 20;

impl Model {
    fn assert_width(&self, x: ArrayView2<f32>) {
        if let Err(e) = self.check_input(x) {
            panic!("{e} (validate with Model::check_input)");
        }
    }

    fn clear_caches(&mut self) {
        self.nodes.iter_mut().for_each(|n| n.clear_cache());
    }

    /// Forward through every node with caches, returning the output.
    fn forward_cached(
        &mut self,
        x: ArrayView2<f32>,
        training: bool,
        param_grads: bool,
    ) -> Array2<f32> {
        let mut pass = Pass {
            training,
            param_grads,
            rng: &mut self.rng,
        };
        let mut h = self.nodes[0].forward(x, &mut pass);
        for node in &mut self.nodes[1..] {
            h = node.forward_owned(h, &mut pass);
        }
        h
    }

    /// Backward from `grad` at the output of node `end - 1` down to the input.
    fn backward_from(
        &mut self,
        grad: Array2<f32>,
        end: usize,
        want_input: bool,
    ) -> Option<Array2<f32>> {
        if end == 0 {
            // a model that is only a softmax: the logits are the input
            return want_input.then_some(grad);
        }
        let mut g = grad;
        for node in self.nodes[1..end].iter_mut().rev() {
            g = node.backward_owned(g);
        }
        if want_input {
            Some(self.nodes[0].backward(g.view()))
        } else {
            self.nodes[0].backward_params(g.view());
            None
        }
    }

    /// Gradient of the summed loss w.r.t. the logits and the node the logits come out of.
    fn logit_grad(&self, out: &Array2<f32>, y: &[usize]) -> (Array2<f32>, usize) {
        if self.probs {
            let mut g = out.clone();
            for (mut row, &t) in g.rows_mut().into_iter().zip(y) {
                row[t] -= 1.0;
            }
            (g, self.logit_end())
        } else {
            (
                loss::softmax_cross_entropy_grad(out.view(), y),
                self.logit_end(),
            )
        }
    }

    /// The node the logits come out of: before the final softmax, or the output itself.
    fn logit_end(&self) -> usize {
        if self.probs {
            self.nodes.len() - 1
        } else {
            self.nodes.len()
        }
    }

    /// Scores `(N, C)` and the gradients `(N, K, D)` of the selected classes, from one forward.
    /// When every layer stacks seeds, the selections go through one backward per group of
    /// [`Model::seeds_per_backward`] (seeds stacked as `(G·N, C)`: row `k·N + i` is sample `i`'s
    /// one-hot for `classes[k][i]`); every row is computed as in its own pass.
    fn class_gradient_chunk(
        &mut self,
        x: ArrayView2<f32>,
        classes: &[Vec<usize>],
    ) -> (Array2<f32>, Array3<f32>) {
        self.class_gradient_groups(x, classes, None)
    }

    /// [`Model::class_gradient_chunk`], with the group size forced by `group` (tests).
    fn class_gradient_groups(
        &mut self,
        x: ArrayView2<f32>,
        classes: &[Vec<usize>],
        group: Option<usize>,
    ) -> (Array2<f32>, Array3<f32>) {
        let (n, d) = x.dim();
        let out = self.forward_cached(x, false, false);
        let mut result = Array3::zeros((n, classes.len(), d));
        let group = if n > 0 && self.nodes.iter().all(|node| node.stacks_seeds()) {
            group.unwrap_or_else(|| self.seeds_per_backward(n)).max(1)
        } else {
            1
        };
        for (gi, selections) in classes.chunks(group).enumerate() {
            let mut g = Array2::zeros((selections.len() * n, out.ncols()));
            for (k, per_sample) in selections.iter().enumerate() {
                for (i, &c) in per_sample.iter().enumerate() {
                    g[[k * n + i, c]] = 1.0;
                }
            }
            let dx = self
                .backward_from(g, self.nodes.len(), true)
                .expect("input gradient");
            for (k, block) in dx.axis_chunks_iter(Axis(0), n.max(1)).enumerate() {
                result.slice_mut(s![.., gi * group + k, ..]).assign(&block);
            }
        }
        (out, result)
    }

    /// How many seeds of `n` samples one stacked backward takes: as many as keep the widest
    /// activation gradient within [`STACKED_FLOATS`] values (at least one).
    fn seeds_per_backward(&self, n: usize) -> usize {
        let input: usize = self.spec.input_shape.iter().product();
        let widest = self
            .spec
            .layer_shapes()
            .map(|shapes| shapes.iter().map(|s| s.iter().product()).max().unwrap_or(1))
            .unwrap_or(usize::MAX)
            .max(input)
            .max(1);
        (STACKED_FLOATS / n.saturating_mul(widest).max(1)).max(1)
    }

    /// [`Classifier::class_gradient`] with the scores of the same forward passes.
    fn scores_and_gradients(
        &mut self,
        x: ArrayView2<f32>,
        classes: ClassSelection<'_>,
    ) -> (Array2<f32>, Array3<f32>) {
        self.assert_width(x);
        let (n, c) = (x.nrows(), self.nb_classes());
        let k = if matches!(classes, ClassSelection::All) {
            c
        } else {
            1
        };
        let mut scores = Array2::zeros((n, c));
        let mut result = Array3::zeros((n, k, x.ncols()));
        for (i, chunk) in x.axis_chunks_iter(Axis(0), CHUNK).enumerate() {
            let range = i * CHUNK..i * CHUNK + chunk.nrows();
            let sel: Vec<Vec<usize>> = match classes {
                ClassSelection::One(t) => vec![vec![t; chunk.nrows()]],
                ClassSelection::PerSample(ts) => vec![ts[range.clone()].to_vec()],
                ClassSelection::All => (0..c).map(|t| vec![t; chunk.nrows()]).collect(),
            };
            let (out, part) = self.class_gradient_chunk(chunk, &sel);
            scores.slice_mut(s![range.clone(), ..]).assign(&out);
            result.slice_mut(s![range, .., ..]).assign(&part);
        }
        self.clear_caches();
        (scores, result)
    }
}

/// A node's kind, for messages.
fn node_kind(node: &Node) -> &'static str {
    match node {
        Node::Dense(_) => "dense",
        Node::Conv2d(_) => "conv2d",
        Node::MaxPool2d(_) => "maxpool2d",
        Node::Flatten(_) => "flatten",
        Node::Relu(_) => "relu",
        Node::Softmax(_) => "softmax",
        Node::Dropout(_) => "dropout",
        Node::BatchNorm(_) => "batchnorm",
    }
}

impl Classifier for Model {
    fn input_shape(&self) -> &[usize] {
        &self.spec.input_shape
    }

    fn nb_classes(&self) -> usize {
        self.spec.labels.len()
    }

    fn clip_values(&self) -> (f32, f32) {
        self.spec.clip_values
    }

    fn output_kind(&self) -> OutputKind {
        if self.probs {
            OutputKind::Probabilities
        } else {
            OutputKind::Logits
        }
    }

    /// Checks every node's output, not only the scores: relu turns NaN into 0, so an overflow in
    /// an early layer could otherwise end in finite, meaningless scores.
    fn predict_checked(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NonFiniteOutput> {
        self.assert_width(x);
        let mut out = Array2::zeros((x.nrows(), self.nb_classes()));
        for (i, chunk) in x.axis_chunks_iter(Axis(0), CHUNK).enumerate() {
            let mut h = chunk.to_owned();
            for (k, node) in self.nodes.iter().enumerate() {
                h = node.infer(h.view());
                check_finite(&h, || {
                    let kind = node_kind(node);
                    crate::lang::text!("node {k} ({kind})", "노드 {k} ({kind})")
                })
                .map_err(|mut e| {
                    e.sample += i * CHUNK;
                    e
                })?;
            }
            out.slice_mut(s![i * CHUNK..i * CHUNK + chunk.nrows(), ..])
                .assign(&h);
        }
        Ok(out)
    }

    fn predict(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.assert_width(x);
        let mut out = Array2::zeros((x.nrows(), self.nb_classes()));
        for (i, chunk) in x.axis_chunks_iter(Axis(0), CHUNK).enumerate() {
            let mut h = self.nodes[0].infer(chunk);
            for node in &self.nodes[1..] {
                h = node.infer(h.view());
            }
            out.slice_mut(s![i * CHUNK..i * CHUNK + chunk.nrows(), ..])
                .assign(&h);
        }
        out
    }

    fn loss_gradient(&mut self, x: ArrayView2<f32>, y: &[usize]) -> Array2<f32> {
        self.assert_width(x);
        assert_eq!(y.len(), x.nrows(), "one label per sample");
        let mut grad = Array2::zeros(x.raw_dim());
        for (i, chunk) in x.axis_chunks_iter(Axis(0), CHUNK).enumerate() {
            let range = i * CHUNK..i * CHUNK + chunk.nrows();
            let out = self.forward_cached(chunk, false, false);
            let (g, end) = self.logit_grad(&out, &y[range.clone()]);
            let dx = self.backward_from(g, end, true).expect("input gradient");
            grad.slice_mut(s![range, ..]).assign(&dx);
        }
        self.clear_caches();
        grad
    }

    fn class_gradient(&mut self, x: ArrayView2<f32>, classes: ClassSelection<'_>) -> Array3<f32> {
        self.scores_and_gradients(x, classes).1
    }

    /// Both from the same forward pass (the scores equal [`Classifier::predict`]'s: inference
    /// mode, the same kernels).
    fn scores_and_class_gradient(
        &mut self,
        x: ArrayView2<f32>,
        classes: ClassSelection<'_>,
    ) -> (Array2<f32>, Array3<f32>) {
        self.scores_and_gradients(x, classes)
    }

    /// The output of the node before the final softmax (the scores themselves for a logits
    /// model).
    fn logits(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.assert_width(x);
        let end = self.logit_end();
        let mut out = Array2::zeros((x.nrows(), self.nb_classes()));
        for (i, chunk) in x.axis_chunks_iter(Axis(0), CHUNK).enumerate() {
            let mut h = chunk.to_owned();
            for node in &self.nodes[..end] {
                h = node.infer(h.view());
            }
            out.slice_mut(s![i * CHUNK..i * CHUNK + chunk.nrows(), ..])
                .assign(&h);
        }
        out
    }

    /// One backward pass from `seed` at the logits.
    fn logit_vjp(&mut self, x: ArrayView2<f32>, seed: ArrayView2<f32>) -> Array2<f32> {
        self.assert_width(x);
        assert_eq!(
            seed.dim(),
            (x.nrows(), self.nb_classes()),
            "one seed per score"
        );
        let end = self.logit_end();
        let mut grad = Array2::zeros(x.raw_dim());
        for (i, chunk) in x.axis_chunks_iter(Axis(0), CHUNK).enumerate() {
            let range = i * CHUNK..i * CHUNK + chunk.nrows();
            self.forward_cached(chunk, false, false);
            let g = seed.slice(s![range.clone(), ..]).to_owned();
            let dx = self.backward_from(g, end, true).expect("input gradient");
            grad.slice_mut(s![range, ..]).assign(&dx);
        }
        self.clear_caches();
        grad
    }

    fn train_batch(&mut self, x: ArrayView2<f32>, y: &[usize]) -> BatchStats {
        self.assert_width(x);
        assert_eq!(y.len(), x.nrows(), "one label per sample");
        if x.nrows() == 0 {
            return BatchStats {
                loss: 0.0,
                accuracy: 0.0,
            };
        }
        let part = self.part_gradients(x, y, x.nrows());
        let penalty = self.finish_step();
        BatchStats {
            loss: part.loss + penalty,
            accuracy: part.accuracy,
        }
    }
}

mod parts;
pub use parts::PartGradients;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod train_tests;
