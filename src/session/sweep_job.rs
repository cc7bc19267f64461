//! The robustness-curve job: one [`RobustnessSweep`] per model (and, for FGSM, a PGD sweep per
//! model as a gradient-masking check), run chunk by chunk.
//!
//! Main types: [`SweepJob`]; [`masking_warning`] decides when to warn that a model looks robust
//! to FGSM but is much weaker under PGD.

use ndarray::{s, Array2};

use super::error::SessionError;
use super::store::Store;
use crate::attacks::{AttackConfig, PgdParams};
use crate::defences::RobustnessSweep;
use crate::nn::Model;
use crate::protocol::{Event, Slot, SweepResult, SweepSeries, SweepSettings};

/// Samples attacked per step.
const CHUNK: usize = 64;
/// Warn when FGSM accuracy exceeds PGD accuracy by at least this much at some value.
pub const MASKING_GAP: f32 = 0.2;

/// A running sweep.
#[derive(Debug)]
pub struct SweepJob {
    id: u32,
    settings: SweepSettings,
    models: Vec<(Slot, Model)>,
    runs: Vec<(Slot, String, RobustnessSweep)>,
    current: usize,
    x: Array2<f32>,
    y: Vec<usize>,
}

/// The PGD check for an FGSM sweep: same norm, 20 steps of a tenth of the largest value.
fn pgd_check(base: &AttackConfig, values: &[f32]) -> Option<AttackConfig> {
    let AttackConfig::Fgsm(p) = base else {
        return None;
    };
    let top = values.iter().copied().fold(0.0f32, f32::max);
    let norm = if p.norm == crate::attacks::Norm::L1 {
        crate::attacks::Norm::L2
    } else {
        p.norm
    };
    Some(AttackConfig::Pgd(PgdParams {
        norm,
        eps: top,
        eps_step: (top / 10.0).max(1e-4),
        max_iter: 20,
        batch_size: p.batch_size,
        ..PgdParams::default()
    }))
}

impl SweepJob {
    /// Validates every point up front and prepares the runs.
    pub fn new(id: u32, settings: SweepSettings, store: &Store) -> Result<SweepJob, SessionError> {
        let ds = store.dataset(&settings.dataset)?;
        if settings.n == 0 || settings.n > ds.y_test.len() {
            return Err(SessionError::invalid(
                "n",
                settings.n,
                format!("must be between 1 and {}", ds.y_test.len()),
            ));
        }
        if settings.values.is_empty() || settings.values.len() > 50 {
            return Err(SessionError::invalid(
                "values",
                settings.values.len(),
                "give between 1 and 50 values",
            ));
        }
        let models = store.models_for(&settings.dataset);
        if models.is_empty() {
            return Err(SessionError::NoModel {
                slot: Slot::Undefended,
                dataset: settings.dataset.clone(),
            });
        }
        let mut attacks = vec![settings.attack.clone()];
        if settings.pgd_check && settings.param == "eps" {
            attacks.extend(pgd_check(&settings.attack, &settings.values));
        }
        let mut runs = Vec::new();
        for attack in &attacks {
            for (slot, _) in &models {
                let run = RobustnessSweep::new(
                    attack,
                    &settings.param,
                    &settings.values,
                    settings.n,
                    CHUNK,
                    settings.seed,
                )?;
                runs.push((*slot, attack.name().to_string(), run));
            }
        }
        Ok(SweepJob {
            id,
            x: ds.x_test.slice(s![..settings.n, ..]).to_owned(),
            y: ds.y_test[..settings.n].to_vec(),
            settings,
            models,
            runs,
            current: 0,
        })
    }

    /// Steps the sweeps until `out_of_time`; returns a progress event, or `SweepDone`.
    pub fn advance(
        &mut self,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<(Event, bool), SessionError> {
        while self.current < self.runs.len() {
            let (slot, _, run) = &mut self.runs[self.current];
            let model = &mut self
                .models
                .iter_mut()
                .find(|(s, _)| s == slot)
                .expect("a model per run")
                .1;
            run.step(model, self.x.view(), &self.y)?;
            if run.is_done() {
                self.current += 1;
            }
            if self.current < self.runs.len() && out_of_time() {
                let part = self.runs.get(self.current).map_or(0.0, |r| r.2.fraction());
                let fraction = (self.current as f32 + part) / self.runs.len() as f32;
                return Ok((
                    Event::Progress {
                        id: self.id,
                        phase: "sweep".into(),
                        fraction,
                        train: None,
                        test_accuracy: None,
                    },
                    false,
                ));
            }
        }
        Ok((
            Event::SweepDone {
                id: self.id,
                result: Box::new(self.result()),
            },
            true,
        ))
    }

    fn result(&self) -> SweepResult {
        let series: Vec<SweepSeries> = self
            .runs
            .iter()
            .map(|(slot, attack, run)| {
                let pick = |f: fn(&crate::attacks::AttackMetrics) -> f32| {
                    run.points().iter().map(|p| f(&p.metrics)).collect()
                };
                SweepSeries {
                    slot: *slot,
                    attack: attack.clone(),
                    accuracy: pick(|m| m.adversarial_accuracy),
                    success_rate: pick(|m| m.success_rate),
                    linf_mean: pick(|m| m.linf_mean),
                    l2_mean: pick(|m| m.l2_mean),
                }
            })
            .collect();
        SweepResult {
            warning: masking_warning(&series, &self.settings.values),
            param: self.settings.param.clone(),
            values: self.settings.values.clone(),
            n: self.settings.n,
            series,
        }
    }
}

/// A warning when some model's FGSM accuracy exceeds its PGD accuracy by [`MASKING_GAP`] or more
/// at some value: the model may mask its gradients, so FGSM overstates its robustness.
pub fn masking_warning(series: &[SweepSeries], values: &[f32]) -> Option<String> {
    let mut worst: Option<(Slot, f32, f32, f32)> = None;
    for fgsm in series.iter().filter(|s| s.attack == "fgsm") {
        let Some(pgd) = series
            .iter()
            .find(|s| s.attack == "pgd" && s.slot == fgsm.slot)
        else {
            continue;
        };
        for ((&a, &b), &v) in fgsm.accuracy.iter().zip(&pgd.accuracy).zip(values) {
            if a - b >= MASKING_GAP && worst.is_none_or(|w| a - b > w.1 - w.2) {
                worst = Some((fgsm.slot, a, b, v));
            }
        }
    }
    worst.map(|(slot, a, b, v)| {
        format!(
            "Possible gradient masking: the {slot} model keeps {:.0}% accuracy under FGSM but only {:.0}% under PGD at {v}. FGSM overstates its robustness; trust the PGD curve.",
            a * 100.0,
            b * 100.0
        )
    })
}
