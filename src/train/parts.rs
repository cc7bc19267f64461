//! Data-parallel training: every worker runs the same [`Trainer`] (same seed, so the same
//! shuffled order) on its own copy of the model, takes the gradient of its rows of each batch
//! ([`Trainer::part_gradients`], rows [`part_rows`]), and, once every worker's gradient of that
//! batch is in, applies their sum in part order ([`Trainer::apply_parts`]). The weights stay
//! identical on every worker, and a seed and a worker count give one model. With adversarial
//! training, every worker begins the transform with the whole batch (so the random draws match)
//! and the transform crafts only that worker's rows.

use ndarray::ArrayView2;

use super::{BatchTransform, Progress, TrainError, Trainer};
use crate::lang::text;
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
    /// Begins the current batch (shuffling at the start of an epoch, handing it to the transform,
    /// which crafts this part's rows: [`BatchTransform::share`]) and takes the gradient of part `k`
    /// of `count` of its rows. Returns `None` when `pause()` stopped it inside the transform (call
    /// again with the same transform). Call [`Trainer::apply_parts`] with every part's
    /// contribution before the next batch.
    pub fn part_gradients(
        &mut self,
        model: &mut Model,
        x: ArrayView2<f32>,
        y: &[usize],
        (count, k): (usize, usize),
        transform: Option<&mut dyn BatchTransform>,
        pause: &mut dyn FnMut() -> bool,
    ) -> Result<Option<PartStep>, TrainError> {
        self.check_data(&*model, x, y)?;
        if self.is_done() {
            return Err(TrainError::Config(text!(
                "training is already done",
                "학습이 이미 끝났습니다"
            )));
        }
        if !self.transforming && self.batch == 0 {
            self.begin_epoch();
        }
        let (idx, yb) = self.batch_rows(y);
        let rows = part_rows(count, k, idx.len());
        let Some(xb) = self.batch_input(model, x, &idx, &yb, transform, pause)? else {
            return Ok(None);
        };
        let xs = xb.slice(ndarray::s![rows.clone(), ..]);
        let n = rows.len();
        if n == 0 {
            // a short last batch may leave a part without rows: it adds nothing
            return Ok(Some(PartStep {
                gradients: vec![0.0; model.gradients().len()],
                loss_sum: 0.0,
                hits: 0.0,
                rows: 0,
            }));
        }
        let part = model.part_gradients(xs.view(), &yb[rows], idx.len());
        Ok(Some(PartStep {
            gradients: model.gradients(),
            loss_sum: f64::from(part.loss) * n as f64,
            hits: f64::from(part.accuracy) * n as f64,
            rows: n,
        }))
    }

    /// Applies the batch's parts (in part order: their gradients are added in that order) and
    /// moves to the next batch; returns the progress.
    pub fn apply_parts(
        &mut self,
        model: &mut Model,
        parts: &[PartStep],
    ) -> Result<Progress, TrainError> {
        let Some(first) = parts.first() else {
            return Err(TrainError::Data(text!(
                "no parts to apply",
                "적용할 부분이 없습니다"
            )));
        };
        let mut total = first.gradients.clone();
        for p in &parts[1..] {
            if p.gradients.len() != total.len() {
                let (a, b) = (total.len(), p.gradients.len());
                return Err(TrainError::Data(text!(
                    "parts with {a} and {b} gradient values",
                    "부분들의 그래디언트 값 수가 {a}개와 {b}개로 다릅니다"
                )));
            }
            total
                .iter_mut()
                .zip(&p.gradients)
                .for_each(|(t, g)| *t += g);
        }
        let penalty = model
            .apply_gradients(&total)
            .map_err(|e| TrainError::Data(crate::lang::Text::of(&e)))?;
        let rows: usize = parts.iter().map(|p| p.rows).sum();
        let loss = (parts.iter().map(|p| p.loss_sum).sum::<f64>() / rows.max(1) as f64) as f32;
        let hits: f64 = parts.iter().map(|p| p.hits).sum();
        self.transforming = false;
        self.record(loss + penalty, hits / rows.max(1) as f64, rows)?;
        Ok(self.progress())
    }
}
