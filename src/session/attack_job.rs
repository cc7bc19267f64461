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
use crate::nn::Model;
use crate::protocol::{
    AttackResult, AttackSettings, AttackTrace, Event, F32s, QueryCount, Slot, SlotScores,
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
    first_success: Option<Vec<Option<&'static str>>>,
    /// Each model's predicted classes on the clean and adversarial rows attacked so far (made
    /// chunk by chunk, so the result needs no long pass over every sample).
    preds: Vec<(Slot, Vec<usize>, Vec<usize>)>,
    /// Rows attacked so far, and the run over the next rows (`start..end`).
    done: usize,
    run: Option<(usize, Box<dyn AttackRun>)>,
    rng: ChaCha8Rng,
    frames: Option<Frames>,
}

/// Rows per run: the whole job is cut in chunks so the progress bar moves; every step of a run is
/// one iteration over its rows (one model call per row for FGSM, PGD, APGD and Square; up to a
/// dozen for C&W's line search and AutoAttack's DeepFool; up to
/// [`crate::attacks::hopskipjump::PROBES_PER_STEP`] for HopSkipJump).
pub fn chunk_size(attack: &CheckedAttack) -> usize {
    match attack {
        CheckedAttack::Fgsm(_) => 128,
        CheckedAttack::Pgd(_) | CheckedAttack::Apgd(_) => 32,
        CheckedAttack::Square(_) => 64,
        CheckedAttack::CwL2(_) | CheckedAttack::Autoattack(_) => 8,
        _ => 4,
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
        let mut models = store.stacks_for(&settings.dataset, settings.seed);
        let preds = models
            .iter()
            .map(|(slot, _)| (*slot, Vec::new(), Vec::new()))
            .collect();
        let crafted = models
            .iter()
            .position(|(s, _)| *s == settings.model)
            .unwrap_or(0);
        if let Some((_, m)) = models.get_mut(crafted) {
            m.set_adaptive(settings.adaptive.clone().unwrap_or_default());
        }
        Ok(AttackJob {
            id,
            frames: settings.trace.then(Frames::default),
            rng: ChaCha8Rng::seed_from_u64(settings.seed),
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
            done: 0,
            run: None,
        })
    }

    /// Runs attack iterations until `out_of_time`; returns a progress event, or `AttackDone` at
    /// the end.
    pub fn advance(
        &mut self,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<(Event, bool), SessionError> {
        let n = self.x.nrows();
        while self.done < n {
            self.step()?;
            if self.done < n && out_of_time() {
                return Ok((
                    Event::Progress {
                        id: self.id,
                        phase: "attack".into(),
                        fraction: self.fraction(),
                        train: None,
                        test_accuracy: None,
                        queries: self.query_count(),
                    },
                    false,
                ));
            }
        }
        Ok((
            Event::AttackDone {
                id: self.id,
                result: Box::new(self.result()?),
            },
            true,
        ))
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
            samples: self.done + running.map_or(0, <[usize]>::len),
        })
    }

    fn fraction(&self) -> f32 {
        let running = self
            .run
            .as_ref()
            .map_or(0.0, |(end, run)| (end - self.done) as f32 * run.fraction());
        (self.done as f32 + running) / self.x.nrows().max(1) as f32
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
            let end = (start + size).min(n);
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
                self.first_success.get_or_insert_with(|| vec![None; n])[start..end]
                    .copy_from_slice(&f);
            }
            for ((_, model), (_, clean, adv)) in self.models.iter().zip(&mut self.preds) {
                let rows = s![start..end, ..];
                clean.extend(argmax_rows(&model.predict_checked(self.x.slice(rows))?));
                adv.extend(argmax_rows(&model.predict_checked(self.x_adv.slice(rows))?));
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
            first_success: self
                .first_success
                .as_ref()
                .map(|f| f.iter().map(|w| w.map(str::to_string)).collect()),
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
