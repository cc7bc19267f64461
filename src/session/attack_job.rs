//! The attack job: crafts adversarial examples on one model, chunk by chunk and one attack
//! iteration at a time (so Cancel waits for at most one iteration), then measures both models on
//! them (for the model they were not crafted on, that is the transfer setting).
//!
//! Main type: [`AttackJob`]. With `trace`, the first sample is attacked alone first and every
//! iteration is kept (at most [`super::trace::MAX_FRAMES`] frames, evenly thinned, the last one
//! always kept; see [`super::trace`]), with the perturbation's norms at every frame. While a black-box attack
//! runs, progress events carry its query count ([`QueryCount`]); an AutoAttack result says which
//! attack fooled each sample first.
//!
//! Rows per run ([`chunk_size`]) keep every step short: a step is one iteration over a chunk's
//! rows, and the heavy attacks get small chunks.
//!
//! Split across workers ([`Parts`]), a job attacks only its part's rows. A helper's job ends with
//! `AttackPartDone`; the coordinator's waits (not [`AttackJob::waiting`] busy) until every other
//! part has come in through [`AttackJob::add_part`], then answers with the whole result.

use std::ops::Range;

use ndarray::{s, Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::error::SessionError;
use super::samples::{check_targets, resolve_samples};
use super::store::{slot_scores, Store};
use super::trace::Frames;
use crate::attacks::{metrics_from_predictions, AttackRun, CheckedAttack, PerturbationNorms};
use crate::classifier::{argmax_rows, Classifier};
use crate::defences::Stack;
use crate::lang::{text, Text};
use crate::nn::Model;
use crate::protocol::results::PartPredictions;
use crate::protocol::{
    AttackPart, AttackResult, AttackSettings, AttackTrace, Event, F32s, Parts, QueryCount, Slot,
    SlotScores,
};
/// Up to this many samples, the result carries the samples and their scores.
pub const DETAIL_LIMIT: usize = 64;

/// A running attack.
#[derive(Debug)]
pub struct AttackJob {
    id: u32,
    settings: AttackSettings,
    attack: CheckedAttack,
    models: Vec<(Slot, Stack<Model>)>,
    crafted: usize,
    x: Array2<f32>,
    labels: Option<Vec<usize>>,
    x_adv: Array2<f32>,
    iterations: Vec<usize>,
    queries: Option<Vec<usize>>,
    first_success: Option<Vec<Option<String>>>,
    /// Each model's predicted classes on the clean and adversarial rows (made chunk by chunk, so
    /// the result needs no long pass over every sample; rows not attacked yet hold `usize::MAX`).
    preds: Vec<(Slot, Vec<usize>, Vec<usize>)>,
    /// This worker's part, its rows, and which parts are in (its own once attacked).
    parts: Parts,
    own: Range<usize>,
    received: Vec<bool>,
    /// Rows of the own part attacked so far (from `own.start`), and the run over the next rows
    /// (`start..end`).
    done: usize,
    run: Option<(usize, Box<dyn AttackRun>)>,
    rng: ChaCha8Rng,
    frames: Option<Frames>,
}

/// Rows per run: the whole job is cut in chunks so the progress bar moves; every step of a run is
/// one iteration over its rows (one model call per row for FGSM, PGD, APGD and Square; one
/// forward and backward for JSMA and NewtonFool, and DeepFool's backward carries every class; up
/// to a dozen for C&W's line search and AutoAttack's DeepFool; up to
/// [`crate::attacks::hopskipjump::PROBES_PER_STEP`] for HopSkipJump). Larger chunks make larger
/// GEMMs (JSMA, DeepFool and NewtonFool went from 4 rows to 32 for that), smaller ones shorter
/// steps for Cancel.
pub fn chunk_size(attack: &CheckedAttack) -> usize {
    match attack {
        CheckedAttack::Fgsm(_) => 128,
        CheckedAttack::Pgd(_) | CheckedAttack::Apgd(_) => 32,
        CheckedAttack::Square(_) => 64,
        CheckedAttack::Jsma(_) | CheckedAttack::Deepfool(_) | CheckedAttack::Newtonfool(_) => 32,
        CheckedAttack::CwL2(_) | CheckedAttack::Autoattack(_) => 8,
        CheckedAttack::Hopskipjump(_) => 4,
    }
}

impl AttackJob {
    /// Checks the settings (the attack once) and prepares the samples and model copies.
    pub fn new(
        id: u32,
        settings: AttackSettings,
        store: &Store,
    ) -> Result<AttackJob, SessionError> {
        let attack = settings.attack.check()?;
        let ds = store.dataset(&settings.dataset)?;
        store.require(settings.model, &settings.dataset)?;
        let (x, labels) = resolve_samples(ds, &settings.samples)?;
        let n = x.nrows();
        let needs = attack.is_targeted() && !matches!(attack, CheckedAttack::Jsma(_));
        check_targets(settings.targets.as_deref(), n, ds.nb_classes(), needs)?;
        let parts = Parts::or_whole(settings.parts)?;
        let own = Parts::rows(parts.count, parts.index, n);
        let mut models = store.stacks_for(&settings.dataset, settings.seed);
        let preds = models
            .iter()
            .map(|(slot, _)| (*slot, vec![usize::MAX; n], vec![usize::MAX; n]))
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
        rng.set_stream(parts.index as u64);
        let crafted = models
            .iter()
            .position(|(s, _)| *s == settings.model)
            .unwrap_or(0);
        if let Some((_, m)) = models.get_mut(crafted) {
            m.set_adaptive(settings.adaptive.clone().unwrap_or_default());
        }
        Ok(AttackJob {
            id,
            frames: (settings.trace && parts.index == 0).then(Frames::default),
            rng,
            x_adv: x.clone(),
            iterations: vec![0; n],
            queries: None,
            first_success: None,
            preds,
            x,
            labels,
            models,
            crafted,
            attack,
            settings,
            done: own.start,
            received: (0..parts.count)
                .map(|k| Parts::rows(parts.count, k, n).is_empty())
                .collect(),
            parts,
            own,
            run: None,
        })
    }

    /// Whether this coordinator has attacked its own part and waits for other workers' parts:
    /// nothing to tick until [`AttackJob::add_part`] brings the last one.
    pub fn waiting(&self) -> bool {
        self.done == self.own.end
            && self.parts.index == 0
            && self.received.iter().skip(1).any(|r| !r)
    }

    /// Takes in another worker's part (its `AttackPartDone`), after checking that it is one
    /// this job still waits for and that every array has the part's size.
    pub fn add_part(&mut self, part: &AttackPart) -> Result<(), SessionError> {
        let bad = |what: &'static str, value: String, why: Text| {
            Err(SessionError::invalid(what, value, why))
        };
        let k = part.index;
        if self.parts.index != 0 || k == 0 || k >= self.parts.count || self.received[k] {
            return bad(
                "part",
                k.to_string(),
                text!(
                    "this attack does not wait for that part (it is part {} of {})",
                    "이 공격은 그 부분을 기다리지 않습니다(이 공격은 {1}개 중 {0}번 부분입니다)";
                    self.parts.index, self.parts.count
                ),
            );
        }
        let (n, d) = self.x.dim();
        let rows = Parts::rows(self.parts.count, k, n);
        let len = rows.len();
        let classes = self.nb_classes();
        let sized = |v: &[usize]| v.len() == len;
        let preds_ok = self.preds.iter().all(|(slot, _, _)| {
            part.predictions.iter().any(|p| {
                p.slot == *slot
                    && sized(&p.clean)
                    && sized(&p.adversarial)
                    && p.clean.iter().chain(&p.adversarial).all(|&c| c < classes)
            })
        });
        if part.x_adv.len() != len * d
            || !sized(&part.iterations)
            || part.queries.as_ref().is_some_and(|q| !sized(q))
            || part.first_success.as_ref().is_some_and(|f| f.len() != len)
            || !preds_ok
        {
            return bad(
                "part",
                k.to_string(),
                text!(
                    "a part must carry {len} rows of {d} values and both models' predictions",
                    "부분에는 값 {d}개짜리 행 {len}개와 두 모델의 예측이 있어야 합니다"
                ),
            );
        }
        let x_adv = ArrayView2::from_shape((len, d), part.x_adv.as_slice()).map_err(|e| {
            SessionError::invalid("part", k.to_string(), Text::verbatim(e.to_string()))
        })?;
        self.x_adv.slice_mut(s![rows.clone(), ..]).assign(&x_adv);
        self.iterations[rows.clone()].copy_from_slice(&part.iterations);
        if let Some(q) = &part.queries {
            self.queries.get_or_insert_with(|| vec![0; n])[rows.clone()].copy_from_slice(q);
        }
        if let Some(f) = &part.first_success {
            self.first_success.get_or_insert_with(|| vec![None; n])[rows.clone()]
                .clone_from_slice(f);
        }
        for (slot, clean, adv) in &mut self.preds {
            let p = part.predictions.iter().find(|p| p.slot == *slot);
            let p = p.expect("checked above");
            clean[rows.clone()].copy_from_slice(&p.clean);
            adv[rows.clone()].copy_from_slice(&p.adversarial);
        }
        self.received[k] = true;
        Ok(())
    }

    /// Classes of the crafting model's output.
    fn nb_classes(&self) -> usize {
        self.models
            .first()
            .map_or(usize::MAX, |(_, m)| m.nb_classes())
    }

    /// This helper's part, once attacked.
    fn part_output(&self) -> AttackPart {
        let rows = self.own.clone();
        AttackPart {
            index: self.parts.index,
            x_adv: F32s(
                self.x_adv
                    .slice(s![rows.clone(), ..])
                    .iter()
                    .copied()
                    .collect(),
            ),
            iterations: self.iterations[rows.clone()].to_vec(),
            queries: self.queries.as_ref().map(|q| q[rows.clone()].to_vec()),
            first_success: self
                .first_success
                .as_ref()
                .map(|f| f[rows.clone()].to_vec()),
            predictions: self
                .preds
                .iter()
                .map(|(slot, clean, adv)| PartPredictions {
                    slot: *slot,
                    clean: clean[rows.clone()].to_vec(),
                    adversarial: adv[rows.clone()].to_vec(),
                })
                .collect(),
        }
    }

    /// Runs attack iterations until `out_of_time`; returns a progress event, or `AttackDone` at
    /// the end.
    pub fn advance(
        &mut self,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<(Event, bool), SessionError> {
        let end = self.own.end;
        while self.done < end {
            self.step()?;
            if self.done < end && out_of_time() {
                return Ok((self.progress(), false));
            }
        }
        self.received[self.parts.index] = true;
        if self.parts.index > 0 {
            let part = Box::new(self.part_output());
            return Ok((Event::AttackPartDone { id: self.id, part }, true));
        }
        if self.waiting() {
            return Ok((self.progress(), false));
        }
        Ok((
            Event::AttackDone {
                id: self.id,
                result: Box::new(self.result()?),
            },
            true,
        ))
    }

    fn progress(&self) -> Event {
        Event::Progress {
            id: self.id,
            phase: "attack".into(),
            fraction: self.fraction(),
            train: None,
            test_accuracy: None,
            queries: self.query_count(),
        }
    }

    /// Queries so far, for black-box attacks: finished chunks and the running one.
    fn query_count(&self) -> Option<QueryCount> {
        let running = self.run.as_ref().and_then(|(_, r)| r.queries());
        if self.queries.is_none() && running.is_none() {
            return None;
        }
        let done: u64 = self.queries.iter().flatten().map(|&q| q as u64).sum();
        let now: u64 = running.iter().copied().flatten().map(|&q| q as u64).sum();
        Some(QueryCount {
            total: done + now,
            samples: self.rows_done() + running.map_or(0, <[usize]>::len),
        })
    }

    /// Rows finished here and in the parts received.
    fn rows_done(&self) -> usize {
        let n = self.x.nrows();
        let others: usize = (0..self.parts.count)
            .filter(|&k| k != self.parts.index && self.received[k])
            .map(|k| Parts::rows(self.parts.count, k, n).len())
            .sum();
        self.done - self.own.start + others
    }

    /// The fraction of this worker's share done (a helper reports its own part).
    fn fraction(&self) -> f32 {
        let running = self
            .run
            .as_ref()
            .map_or(0.0, |(end, run)| (end - self.done) as f32 * run.fraction());
        let share = if self.parts.index == 0 {
            self.x.nrows()
        } else {
            self.own.len()
        };
        let done = if self.parts.index == 0 {
            self.rows_done()
        } else {
            self.done - self.own.start
        };
        (done as f32 + running) / share.max(1) as f32
    }

    /// One iteration of the current chunk's run (starting the run first when needed).
    fn step(&mut self) -> Result<(), SessionError> {
        let n = self.x.nrows();
        let start = self.done;
        if self.run.is_none() {
            let size = if start == 0 && self.frames.is_some() {
                1
            } else {
                chunk_size(&self.attack)
            };
            let end = (start + size).min(self.own.end);
            let y: Option<Vec<usize>> = match (&self.settings.targets, &self.labels) {
                (Some(t), _) => Some(t[start..end].to_vec()),
                (None, _) if self.attack.is_targeted() => None,
                (None, Some(l)) => Some(l[start..end].to_vec()),
                (None, None) => None,
            };
            let model = &mut self.models[self.crafted].1;
            let xs = self.x.slice(s![start..end, ..]);
            let run = self
                .attack
                .start(model, xs, y.as_deref(), self.rng.clone())?;
            self.run = Some((end, run));
        }
        let Some((end, run)) = self.run.as_mut() else {
            return Ok(());
        };
        let end = *end;
        if !run.is_done() {
            let model = &mut self.models[self.crafted].1;
            let step = run.step(model)?;
            if step.frame && start == 0 {
                if let Some(frames) = self.frames.as_mut() {
                    frames.push(run.current());
                }
            }
        }
        if run.is_done() {
            let (_, run) = self.run.take().expect("checked above");
            self.rng = run.rng().clone();
            let out = run.finish();
            self.x_adv.slice_mut(s![start..end, ..]).assign(&out.x_adv);
            self.iterations[start..end].copy_from_slice(&out.iterations);
            if let Some(q) = out.queries {
                self.queries.get_or_insert_with(|| vec![0; n])[start..end].copy_from_slice(&q);
            }
            if let Some(f) = out.first_success {
                let f = f.iter().map(|w| w.map(str::to_string));
                let all = self.first_success.get_or_insert_with(|| vec![None; n]);
                all.splice(start..end, f);
            }
            for ((_, model), (_, clean, adv)) in self.models.iter().zip(&mut self.preds) {
                let rows = s![start..end, ..];
                let c = argmax_rows(&model.predict_checked(self.x.slice(rows))?);
                let a = argmax_rows(&model.predict_checked(self.x_adv.slice(rows))?);
                clean[start..end].copy_from_slice(&c);
                adv[start..end].copy_from_slice(&a);
            }
            self.done = end;
        }
        Ok(())
    }

    fn result(&mut self) -> Result<AttackResult, SessionError> {
        let n = self.x.nrows();
        let labels = match self.labels.clone() {
            Some(l) => l,
            None => self.preds[self.crafted].1.clone(),
        };
        let targets = self.settings.targets.clone();
        let metrics = |slot: Slot| {
            self.preds
                .iter()
                .find(|(s, _, _)| *s == slot)
                .map(|(_, clean, adv)| {
                    metrics_from_predictions(
                        clean,
                        adv,
                        self.x.view(),
                        self.x_adv.view(),
                        &labels,
                        targets.as_deref(),
                        &self.iterations,
                    )
                })
        };
        let detail = n <= DETAIL_LIMIT;
        let flat = |a: &Array2<f32>| {
            if detail {
                F32s(a.iter().copied().collect())
            } else {
                F32s::default()
            }
        };
        let detector = super::stack_job::detector_outcomes(
            &self.models,
            &self.preds,
            (self.x.view(), self.x_adv.view()),
            &labels,
            targets.as_deref(),
            detail,
        );
        Ok(AttackResult {
            adaptive: self.settings.adaptive.clone().unwrap_or_default(),
            detector,
            attack: self.attack.name().into(),
            crafted_on: self.settings.model,
            n,
            d: self.x.ncols(),
            undefended: metrics(Slot::Undefended),
            defended: metrics(Slot::Defended),
            adv_scores: if detail {
                self.scores(self.x_adv.view())?
            } else {
                SlotScores::default()
            },
            x: flat(&self.x),
            x_adv: flat(&self.x_adv),
            trace: self.trace()?,
            norms: PerturbationNorms::of(self.x.view(), self.x_adv.view()),
            labels,
            targets,
            iterations: self.iterations.clone(),
            queries: self.queries.clone(),
            first_success: self.first_success.clone(),
        })
    }

    fn scores(&self, x: ArrayView2<f32>) -> Result<SlotScores, SessionError> {
        slot_scores(
            |slot| self.models.iter().find(|(s, _)| *s == slot).map(|(_, m)| m),
            x,
        )
    }

    fn trace(&mut self) -> Result<Option<AttackTrace>, SessionError> {
        let Some(frames) = self.frames.take() else {
            return Ok(None);
        };
        let first = self.x.slice(s![..1, ..]);
        frames.into_trace(first, |x| self.scores(x)).map(Some)
    }
}
