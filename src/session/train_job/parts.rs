//! Data-parallel training in the training job (`Train` with [`Parts`]): each worker's job takes
//! the gradient of its rows of a batch, hands it out as a `Gradient` event, waits (not busy) for
//! every other part's gradient of that batch ([`TrainJob::add_gradient`]), then applies their sum
//! ([`crate::train::Trainer::apply_parts`]). With a defence, each worker crafts the adversarial
//! rows of its own part (`BatchTransform::share`). A gradient may arrive one batch early (a faster
//! worker has already moved on); it is kept until its batch.

use ndarray::ArrayView2;

use super::TrainJob;
use crate::lang::{text, Text};
use crate::protocol::{Event, F32s, PartGradient, Parts};
use crate::session::SessionError;
use crate::train::{BatchTransform, PartStep, Progress};

/// The batch being assembled from every part, and gradients already in for the next one.
#[derive(Debug, Clone)]
pub(super) struct Shared {
    step: u64,
    current: Vec<Option<PartStep>>,
    early: Vec<(usize, PartStep)>,
}

impl Shared {
    pub(super) fn new(parts: Parts) -> Shared {
        Shared {
            step: 0,
            current: vec![None; parts.count],
            early: Vec::new(),
        }
    }
}

/// What one data-parallel move did.
pub(super) enum Move {
    /// The own gradient of the batch is made: this event hands it out.
    Sent(Box<Event>),
    /// Other parts are still missing.
    Waiting,
    /// The slice ended while the defence crafted this part's rows.
    Paused,
    /// Every part was in and the batch is applied.
    Applied(Progress),
}

impl TrainJob {
    /// Takes the own gradient of the current batch, or applies the batch once all parts are in.
    pub(super) fn shared_move(
        &mut self,
        x: ArrayView2<f32>,
        y: &[usize],
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<Move, SessionError> {
        let (parts, id) = (self.parts, self.id);
        let Some(sh) = self.shared.as_mut() else {
            return Ok(Move::Waiting);
        };
        let own = parts.index;
        if sh.current[own].is_none() {
            let t = self.defence.as_mut().map(|d| d as &mut dyn BatchTransform);
            let rows = (parts.count, own);
            let Some(part) =
                self.trainer
                    .part_gradients(&mut self.model, x, y, rows, t, out_of_time)?
            else {
                return Ok(Move::Paused);
            };
            let gradient = PartGradient {
                step: sh.step,
                part: own,
                values: F32s(part.gradients.clone()),
                loss_sum: part.loss_sum,
                hits: part.hits,
                rows: part.rows,
            };
            sh.current[own] = Some(part);
            let event = Event::Gradient {
                id,
                gradient: Box::new(gradient),
            };
            return Ok(Move::Sent(Box::new(event)));
        }
        if sh.current.iter().any(Option::is_none) {
            return Ok(Move::Waiting);
        }
        let all: Vec<PartStep> = sh.current.iter_mut().flat_map(Option::take).collect();
        let progress = self.trainer.apply_parts(&mut self.model, &all)?;
        sh.step += 1;
        for (k, part) in std::mem::take(&mut sh.early) {
            sh.current[k] = Some(part);
        }
        Ok(Move::Applied(progress))
    }

    /// Whether this data-parallel job has sent its gradient and waits for others' (or, on a
    /// helper, has trained every batch and waits to be cancelled).
    pub fn waiting(&self) -> bool {
        let Some(sh) = &self.shared else {
            return false;
        };
        if self.evaluating {
            return false;
        }
        if self.trainer.is_done() {
            return self.parts.index > 0;
        }
        sh.current[self.parts.index].is_some() && sh.current.iter().any(Option::is_none)
    }

    /// Takes in another worker's gradient of the current batch or of the next one.
    pub fn add_gradient(&mut self, g: &PartGradient) -> Result<(), SessionError> {
        let parts = self.parts;
        let expected = self.model.num_params();
        let batch = self.trainer.config().batch_size;
        let Some(sh) = self.shared.as_mut() else {
            return Err(SessionError::invalid(
                "job",
                self.id,
                text!(
                    "this training is not data-parallel",
                    "이 학습은 데이터 병렬 학습이 아닙니다"
                ),
            ));
        };
        let bad = |why: Text| Err(SessionError::invalid("gradient", g.part, why));
        if g.part >= parts.count || g.part == parts.index {
            return bad(text!(
                "part {} of {} does not take gradients from that part",
                "{1}개 중 {0}번 부분은 그 부분의 그래디언트를 받지 않습니다";
                parts.index, parts.count
            ));
        }
        if g.values.len() != expected || g.rows > batch {
            return bad(text!(
                "a gradient must have {expected} values and at most {batch} rows, got {} values and {} rows",
                "그래디언트에는 값 {expected}개와 행 최대 {batch}개가 있어야 하는데 값 {}개와 행 {}개를 받았습니다";
                g.values.len(),
                g.rows
            ));
        }
        let part = PartStep {
            gradients: g.values.0.clone(),
            loss_sum: g.loss_sum,
            hits: g.hits,
            rows: g.rows,
        };
        if g.step == sh.step && sh.current[g.part].is_none() {
            sh.current[g.part] = Some(part);
        } else if g.step == sh.step + 1 && !sh.early.iter().any(|(k, _)| *k == g.part) {
            sh.early.push((g.part, part));
        } else {
            return bad(text!(
                "batch {} of part {} is not awaited (this worker is at batch {})",
                "{1}번 부분의 배치 {0}: 기다리는 배치가 아닙니다(이 워커는 배치 {2}에 있습니다)";
                g.step, g.part, sh.step
            ));
        }
        Ok(())
    }
}
