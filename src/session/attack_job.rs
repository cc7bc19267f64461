//! The attack job: crafts adversarial examples on one model, chunk by chunk, then measures both
//! models on them (for the model they were not crafted on, that is the transfer setting).
//!
//! Main type: [`AttackJob`]. With `trace`, the first sample is attacked alone first and every
//! iteration is kept (at most [`MAX_FRAMES`] frames, evenly thinned, the last one always kept).

use ndarray::{s, Array2, ArrayView2, Axis};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::error::SessionError;
use super::samples::resolve_samples;
use super::store::{slot_scores, Store};
use crate::attacks::{attack_metrics, AttackConfig, Norm};
use crate::classifier::Classifier;
use crate::nn::Model;
use crate::protocol::{AttackResult, AttackSettings, AttackTrace, Event, F32s, Slot, SlotScores};

/// Most frames a trace keeps.
pub const MAX_FRAMES: usize = 400;
/// Up to this many samples, the result carries the samples and their scores.
pub const DETAIL_LIMIT: usize = 64;

/// A running attack.
#[derive(Debug)]
pub struct AttackJob {
    id: u32,
    settings: AttackSettings,
    models: Vec<(Slot, Model)>,
    crafted: usize,
    x: Array2<f32>,
    labels: Option<Vec<usize>>,
    x_adv: Array2<f32>,
    iterations: Vec<usize>,
    done: usize,
    rng: ChaCha8Rng,
    frames: Option<Vec<Array2<f32>>>,
}

fn chunk_size(attack: &AttackConfig) -> usize {
    match attack {
        AttackConfig::Fgsm(_) => 256,
        AttackConfig::Pgd(_) => 32,
        _ => 4,
    }
}

impl AttackJob {
    /// Checks the settings and prepares the samples and model copies.
    pub fn new(
        id: u32,
        settings: AttackSettings,
        store: &Store,
    ) -> Result<AttackJob, SessionError> {
        settings.attack.validate()?;
        let ds = store.dataset(&settings.dataset)?;
        store.require(settings.model, &settings.dataset)?;
        let (x, labels) = resolve_samples(ds, &settings.samples)?;
        let n = x.nrows();
        if let Some(t) = &settings.targets {
            if t.len() != n {
                return Err(SessionError::invalid(
                    "targets",
                    t.len(),
                    format!("need one target per sample ({n})"),
                ));
            }
            if let Some(&bad) = t.iter().find(|&&c| c >= ds.nb_classes()) {
                return Err(SessionError::invalid(
                    "targets",
                    bad,
                    format!("classes are 0..{}", ds.nb_classes()),
                ));
            }
        } else if settings.attack.is_targeted() && !matches!(settings.attack, AttackConfig::Jsma(_))
        {
            return Err(SessionError::invalid(
                "targets",
                "none",
                "a targeted attack needs a target class",
            ));
        }
        let models = store.models_for(&settings.dataset);
        let crafted = models
            .iter()
            .position(|(s, _)| *s == settings.model)
            .unwrap_or(0);
        Ok(AttackJob {
            id,
            frames: settings.trace.then(Vec::new),
            rng: ChaCha8Rng::seed_from_u64(settings.seed),
            x_adv: x.clone(),
            iterations: vec![0; n],
            x,
            labels,
            models,
            crafted,
            settings,
            done: 0,
        })
    }

    /// Attacks chunks until `out_of_time`; returns a progress event, or `AttackDone` at the end.
    pub fn advance(
        &mut self,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<(Event, bool), SessionError> {
        let n = self.x.nrows();
        while self.done < n {
            let size = if self.done == 0 && self.frames.is_some() {
                1
            } else {
                chunk_size(&self.settings.attack)
            };
            let end = (self.done + size).min(n);
            self.attack_rows(self.done, end)?;
            self.done = end;
            if self.done < n && out_of_time() {
                let fraction = self.done as f32 / n as f32;
                return Ok((
                    Event::Progress {
                        id: self.id,
                        phase: "attack".into(),
                        fraction,
                        train: None,
                        test_accuracy: None,
                    },
                    false,
                ));
            }
        }
        Ok((
            Event::AttackDone {
                id: self.id,
                result: Box::new(self.result()),
            },
            true,
        ))
    }

    fn attack_rows(&mut self, start: usize, end: usize) -> Result<(), SessionError> {
        let xs = self.x.slice(s![start..end, ..]);
        let y: Option<Vec<usize>> = match (&self.settings.targets, &self.labels) {
            (Some(t), _) => Some(t[start..end].to_vec()),
            (None, _) if self.settings.attack.is_targeted() => None,
            (None, Some(l)) => Some(l[start..end].to_vec()),
            (None, None) => None,
        };
        let trace = if start == 0 {
            self.frames.as_mut()
        } else {
            None
        };
        let model = &mut self.models[self.crafted].1;
        let out = self
            .settings
            .attack
            .generate(model, xs, y.as_deref(), &mut self.rng, trace)?;
        self.x_adv.slice_mut(s![start..end, ..]).assign(&out.x_adv);
        self.iterations[start..end].copy_from_slice(&out.iterations);
        Ok(())
    }

    fn result(&mut self) -> AttackResult {
        let n = self.x.nrows();
        let crafted = &self.models[self.crafted].1;
        let labels = self
            .labels
            .clone()
            .unwrap_or_else(|| crafted.predict_classes(self.x.view()));
        let targets = self.settings.targets.clone();
        let metrics = |slot: Slot| {
            self.models.iter().find(|(s, _)| *s == slot).map(|(_, m)| {
                attack_metrics(
                    m,
                    self.x.view(),
                    self.x_adv.view(),
                    &labels,
                    targets.as_deref(),
                    &self.iterations,
                )
            })
        };
        let (l0, l2, linf) = per_sample_norms(self.x.view(), self.x_adv.view());
        let detail = n <= DETAIL_LIMIT;
        let flat = |a: &Array2<f32>| {
            if detail {
                F32s(a.iter().copied().collect())
            } else {
                F32s::default()
            }
        };
        AttackResult {
            attack: self.settings.attack.name().into(),
            crafted_on: self.settings.model,
            n,
            d: self.x.ncols(),
            undefended: metrics(Slot::Undefended),
            defended: metrics(Slot::Defended),
            clean_scores: if detail {
                self.scores(self.x.view())
            } else {
                SlotScores::default()
            },
            adv_scores: if detail {
                self.scores(self.x_adv.view())
            } else {
                SlotScores::default()
            },
            x: flat(&self.x),
            x_adv: flat(&self.x_adv),
            trace: self.trace(),
            labels,
            targets,
            l0,
            l2,
            linf,
            iterations: self.iterations.clone(),
        }
    }

    fn scores(&self, x: ArrayView2<f32>) -> SlotScores {
        slot_scores(
            |slot| self.models.iter().find(|(s, _)| *s == slot).map(|(_, m)| m),
            x,
        )
    }

    fn trace(&mut self) -> Option<AttackTrace> {
        let frames = self.frames.take()?;
        let mut rows: Vec<Array2<f32>> = thin(frames, MAX_FRAMES);
        rows.insert(0, self.x.slice(s![..1, ..]).to_owned());
        let views: Vec<ArrayView2<f32>> = rows.iter().map(|r| r.slice(s![..1, ..])).collect();
        let stacked = ndarray::concatenate(Axis(0), &views).expect("frames share a width");
        Some(AttackTrace {
            frames: stacked.nrows(),
            scores: self.scores(stacked.view()),
            x: F32s(stacked.iter().copied().collect()),
        })
    }
}

/// Keeps at most `max` frames, evenly spaced, always including the last.
fn thin(frames: Vec<Array2<f32>>, max: usize) -> Vec<Array2<f32>> {
    let k = frames.len();
    if k <= max {
        return frames;
    }
    let keep: Vec<usize> = (1..=max).map(|i| i * k / max - 1).collect();
    frames
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, f)| f)
        .collect()
}

/// Per-sample L0 (changes above 1e-6), L2 and L-inf of `x_adv - x`.
pub fn per_sample_norms(
    x: ArrayView2<f32>,
    x_adv: ArrayView2<f32>,
) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let delta = &x_adv - &x;
    let mut out = (Vec::new(), Vec::new(), Vec::new());
    for row in delta.rows() {
        out.0
            .push(row.iter().filter(|v| v.abs() > 1e-6).count() as f32);
        out.1.push(Norm::L2.of(row.iter().copied()));
        out.2.push(Norm::Inf.of(row.iter().copied()));
    }
    out
}
