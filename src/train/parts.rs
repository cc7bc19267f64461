//! Data-parallel training: every worker runs the same [`Trainer`] (same seed, so the same
//! shuffled order) on its own copy of the model, takes the gradient of its rows of each batch
//! ([`Trainer::part_gradients`], rows [`part_rows`]), and, once every worker's gradient of that
//! batch is in, applies their sum in part order ([`Trainer::apply_parts`]). The weights stay
//! identical on every worker, and a seed and a worker count give one model.

use ndarray::{ArrayView2, Axis};

use super::{Progress, TrainError, Trainer};
use crate::nn::Model;

/// Rows `k` of `count` parts of `n` rows: consecutive, in order, sizes differing by at most one.
pub fn part_rows(count: usize, k: usize, n: usize) -> std::ops::Range<usize> {
    let count = count.max(1);
    k * n / count..(k + 1) * n / count
}

/// One worker's contribution to a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct PartStep {
    /// Every parameter's gradient over the part's rows, divided by the batch's rows.
    pub gradients: Vec<f32>,
    /// Summed data loss over the part's rows.
    pub loss_sum: f64,
    /// Correctly classified rows of the part.
    pub hits: f64,
    /// Rows of the part.
    pub rows: usize,
}

impl Trainer {
    /// Begins the current batch (shuffling at the start of an epoch) if it has not begun, and
    /// takes the gradient of part `k` of `count` of its rows. Call [`Trainer::apply_parts`] with
    /// every part's contribution before the next batch.
    pub fn part_gradients(
        &mut self,
        model: &mut Model,
        x: ArrayView2<f32>,
        y: &[usize],
        (count, k): (usize, usize),
    ) -> Result<PartStep, TrainError> {
        self.check_data(&*model, x, y)?;
        if self.is_done() {
            return Err(TrainError::Config("training is already done".into()));
        }
        if !self.transforming && self.batch == 0 {
            self.begin_epoch();
        }
        self.transforming = true;
        let (idx, yb) = self.batch_rows(y);
        let rows = part_rows(count, k, idx.len());
        if rows.is_empty() {
            // a short last batch may leave a part without rows: it adds nothing
            let zeros = vec![0.0; model.gradients().len()];
            return Ok(PartStep {
                gradients: zeros,
                loss_sum: 0.0,
                hits: 0.0,
                rows: 0,
            });
        }
        let xs = x.select(Axis(0), &idx[rows.clone()]);
        let part = model.part_gradients(xs.view(), &yb[rows.clone()], idx.len());
        let n = rows.len();
        Ok(PartStep {
            gradients: model.gradients(),
            loss_sum: f64::from(part.loss) * n as f64,
            hits: f64::from(part.accuracy) * n as f64,
            rows: n,
        })
    }

    /// Applies the batch's parts (in part order: their gradients are added in that order) and
    /// moves to the next batch; returns the progress.
    pub fn apply_parts(
        &mut self,
        model: &mut Model,
        parts: &[PartStep],
    ) -> Result<Progress, TrainError> {
        let Some(first) = parts.first() else {
            return Err(TrainError::Data("no parts to apply".into()));
        };
        let mut total = first.gradients.clone();
        for p in &parts[1..] {
            if p.gradients.len() != total.len() {
                return Err(TrainError::Data(format!(
                    "parts with {} and {} gradient values",
                    total.len(),
                    p.gradients.len()
                )));
            }
            total
                .iter_mut()
                .zip(&p.gradients)
                .for_each(|(t, g)| *t += g);
        }
        let penalty = model
            .apply_gradients(&total)
            .map_err(|e| TrainError::Data(e.to_string()))?;
        let rows: usize = parts.iter().map(|p| p.rows).sum();
        let loss = (parts.iter().map(|p| p.loss_sum).sum::<f64>() / rows.max(1) as f64) as f32;
        let hits: f64 = parts.iter().map(|p| p.hits).sum();
        self.transforming = false;
        self.record(loss + penalty, hits / rows.max(1) as f64, rows)?;
        Ok(self.progress())
    }
}
