//! Data-parallel training steps for [`Model`]: each worker takes the gradient of its rows of a
//! batch ([`Model::part_gradients`], scaled by the whole batch's size so that the parts' gradients
//! add up to the batch's mean gradient), the workers exchange them ([`Model::gradients`]), and every
//! worker applies the same sum ([`Model::apply_gradients`]: the regulariser's gradient once, then
//! the optimiser step), so their weights stay identical. `Classifier::train_batch` is the one-part
//! case of the same two halves.

use super::super::layers::Layer;
use super::super::model::Model;
use super::super::NnError;
use super::{accuracy, loss};
use ndarray::ArrayView2;

/// What one part of a batch contributed, besides its gradient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartGradients {
    /// Mean data loss over the part's rows (without the regulariser).
    pub loss: f32,
    /// Accuracy over the part's rows.
    pub accuracy: f32,
}

impl Model {
    // x (rows, d), y (rows) -> every parameter's grad = Σ_rows ∂loss_i/∂θ / batch_rows
    /// Zeroes the gradients, then accumulates the gradient of the summed loss over `x` divided by
    /// `batch_rows` (the whole batch's rows, of which `x` is a part). Checks as `train_batch`.
    pub fn part_gradients(
        &mut self,
        x: ArrayView2<f32>,
        y: &[usize],
        batch_rows: usize,
    ) -> PartGradients {
        self.nodes
            .iter_mut()
            .flat_map(|n| n.params_mut().iter_mut())
            .for_each(|p| p.zero_grad());
        let out = self.forward_cached(x, true, true);
        let data_loss = if self.probs {
            loss::cross_entropy_probs(out.view(), y)
        } else {
            loss::softmax_cross_entropy(out.view(), y)
        };
        let (mut g, end) = self.logit_grad(&out, y);
        g /= batch_rows as f32;
        self.backward_from(g, end, false);
        self.clear_caches();
        PartGradients {
            loss: data_loss,
            accuracy: accuracy(&out, y),
        }
    }

    /// Every parameter's gradient, concatenated in the model's tensor order.
    pub fn gradients(&self) -> Vec<f32> {
        self.params().flat_map(|p| p.grad.iter().copied()).collect()
    }

    /// Sets the gradients to `total` (as [`Model::gradients`] lays them out) and takes the step;
    /// returns the regulariser's penalty, part of the batch's loss.
    pub fn apply_gradients(&mut self, total: &[f32]) -> Result<f32, NnError> {
        let len: usize = self.params().map(|p| p.grad.len()).sum();
        if total.len() != len {
            return Err(NnError::GradientLength {
                got: total.len(),
                expected: len,
            });
        }
        let mut rest = total;
        for p in self
            .nodes
            .iter_mut()
            .flat_map(|n| n.params_mut().iter_mut())
        {
            let (mine, next) = rest.split_at(p.grad.len());
            p.grad.copy_from_slice(mine);
            rest = next;
        }
        Ok(self.finish_step())
    }

    /// The regulariser's gradient added once, then the optimiser step; returns the penalty.
    pub(super) fn finish_step(&mut self) -> f32 {
        let penalty: f32 = self.params().map(|p| p.penalty()).sum();
        for p in self
            .nodes
            .iter_mut()
            .flat_map(|n| n.params_mut().iter_mut())
        {
            p.add_penalty_grad();
        }
        let params = self
            .nodes
            .iter_mut()
            .flat_map(|n| n.params_mut().iter_mut());
        self.state.step(&self.optimizer, params);
        penalty
    }
}
