//! Robustness sweeps: accuracy under an attack as one numeric parameter varies (the report's
//! eps sweeps for FGSM and DeepFool, theta sweeps for JSMA).
//!
//! Main types: [`RobustnessSweep`] (resumable: [`RobustnessSweep::step`] runs one iteration of
//! the attack on one chunk of samples, so a browser worker can report progress and honour Cancel
//! between iterations), [`SweepPoint`], and the helpers [`set_param`], [`numeric_params`] and
//! [`sweep`].
//!
//! Semantics: the attack is called without labels, as the report called ART's `generate(x)`:
//! untargeted attacks move away from the model's own prediction, JSMA picks a random wrong class.
//! Accuracy is then measured against the true labels. Each value gets its own random stream
//! (seeded from the sweep's seed and the value's position), so a point does not depend on the
//! other values swept; a sweep may therefore compute only some of its values
//! ([`RobustnessSweep::only`]) and leave the others to another worker.

use ndarray::{s, Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::error::DefenceError;
use crate::attacks::{
    metrics_from_predictions, AttackConfig, AttackMetrics, AttackRun, CheckedAttack,
};
use crate::classifier::{argmax_rows, Classifier};
use crate::lang::text;
use crate::limits::MAX_SWEEP_VALUES;
use crate::params::{Kind, ParamError, Raw};

/// One value of the swept parameter and what the attack achieved with it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct SweepPoint {
    /// The parameter's value.
    pub value: f32,
    /// Accuracy, success rate and perturbation sizes at that value.
    pub metrics: AttackMetrics,
}

/// The parameters of the attack called `name` that a sweep may vary: every float or
/// whole-number parameter except `batch_size`, which does not change results (empty for an
/// unknown name). The catalog lists them as each attack's `sweepable`.
pub fn sweepable_params(name: &str) -> Vec<&'static str> {
    AttackConfig::specs_of(name)
        .unwrap_or_default()
        .iter()
        .filter(|s| {
            matches!(s.kind, Kind::Float { .. } | Kind::Int { .. }) && s.name != "batch_size"
        })
        .map(|s| s.name)
        .collect()
}

/// The numeric parameters of an attack that a sweep may vary ([`sweepable_params`]).
pub fn numeric_params(cfg: &AttackConfig) -> Vec<&'static str> {
    sweepable_params(cfg.name())
}

/// The attack `cfg` with its numeric parameter `name` set to `value`, checked. Whole-number
/// parameters (`max_iter`, `nb_grads`, ...) take whole numbers only, and command-line text
/// ([`Raw::Text`]) must then be written as an integer (`1e20` is refused, not saturated).
pub fn set_param(cfg: &AttackConfig, name: &str, value: Raw) -> Result<AttackConfig, DefenceError> {
    let numeric = numeric_params(cfg);
    if !numeric.contains(&name) {
        return Err(DefenceError::UnknownParam {
            attack: cfg.name(),
            param: Raw::clip(name, 40),
            known: numeric.join(", "),
        });
    }
    Ok(cfg.with_param(name, value)?)
}

/// A sweep over one parameter, run one attack iteration at a time (see the module
/// documentation).
#[derive(Debug)]
pub struct RobustnessSweep {
    configs: Vec<(f32, CheckedAttack)>,
    n: usize,
    chunk: usize,
    seed: u64,
    value_idx: usize,
    /// The current value's first sample not yet attacked, and whether its run has started.
    offset: usize,
    started: bool,
    /// The attack on samples `offset..end` of the current value.
    run: Option<(usize, Box<dyn AttackRun>)>,
    x_adv: Array2<f32>,
    iterations: Vec<usize>,
    /// Predicted classes on the clean samples (once per sweep, checked for overflow) and on the
    /// current value's adversarial ones, made a chunk at a time so no step is a pass over every
    /// sample.
    clean_pred: Vec<usize>,
    adv_pred: Vec<usize>,
    rng: ChaCha8Rng,
    points: Vec<SweepPoint>,
    /// The value index of every point.
    point_values: Vec<usize>,
    /// Values left to another worker (empty: none).
    skip: Vec<bool>,
}

impl RobustnessSweep {
    /// A sweep of `param` over `values` on `n` samples, attacking `chunk` samples per run.
    /// Every value's configuration is checked here, once, before any work.
    pub fn new(
        base: &AttackConfig,
        param: &str,
        values: &[f32],
        n: usize,
        chunk: usize,
        seed: u64,
    ) -> Result<RobustnessSweep, DefenceError> {
        if values.is_empty() || values.len() > MAX_SWEEP_VALUES {
            return Err(ParamError::invalid(
                "values",
                format!("{} values", values.len()),
                text!(
                    "give between 1 and {MAX_SWEEP_VALUES} values",
                    "값을 1개부터 {MAX_SWEEP_VALUES}개까지 주어야 합니다"
                ),
            )
            .into());
        }
        if chunk == 0 {
            let why = text!("must be positive", "양수여야 합니다");
            return Err(ParamError::invalid("chunk", chunk, why).into());
        }
        let configs = values
            .iter()
            .map(|&v| {
                let cfg = set_param(base, param, Raw::Float(f64::from(v)))?;
                Ok((v, cfg.check()?))
            })
            .collect::<Result<Vec<_>, DefenceError>>()?;
        Ok(RobustnessSweep {
            configs,
            n,
            chunk,
            seed,
            value_idx: 0,
            offset: 0,
            started: false,
            run: None,
            x_adv: Array2::zeros((0, 0)),
            iterations: Vec::new(),
            clean_pred: Vec::new(),
            adv_pred: Vec::new(),
            rng: ChaCha8Rng::seed_from_u64(seed),
            points: Vec::new(),
            point_values: Vec::new(),
            skip: Vec::new(),
        })
    }

    /// Computes only the values whose index `keep` accepts (the others' points are made
    /// elsewhere: each value has its own random stream, so a point is the same either way).
    pub fn only(mut self, keep: impl Fn(usize) -> bool) -> RobustnessSweep {
        self.skip = (0..self.configs.len()).map(|v| !keep(v)).collect();
        self
    }

    fn skipped(&self, v: usize) -> bool {
        self.skip.get(v).copied().unwrap_or(false)
    }

    /// True once every value it computes has its point.
    pub fn is_done(&self) -> bool {
        (self.value_idx..self.configs.len()).all(|v| self.skipped(v))
    }

    /// The points finished so far with their value indices.
    pub fn indexed_points(&self) -> impl Iterator<Item = (usize, &SweepPoint)> {
        self.point_values.iter().copied().zip(&self.points)
    }

    /// Fraction of the work done, in `[0, 1]`.
    pub fn fraction(&self) -> f32 {
        let per_value = self.n.max(1) as f32;
        let running = self.run.as_ref().map_or(0.0, |(end, run)| {
            (end - self.offset) as f32 * run.fraction()
        });
        let done = self.value_idx as f32 * per_value + self.offset.min(self.n) as f32 + running;
        // The clean predictions count as one more value's worth of work, done first.
        let clean = self.clean_pred.len().min(self.n) as f32;
        ((done + clean) / ((self.configs.len() + 1) as f32 * per_value)).min(1.0)
    }

    /// The points finished so far, in the order of the values.
    pub fn points(&self) -> &[SweepPoint] {
        &self.points
    }

    /// One bounded unit of work: one iteration of the attack on the current chunk of samples
    /// (starting the chunk's run first when needed). Returns the point of a value when its last
    /// chunk is done. `x`, `y` must hold at least the sweep's `n` samples (only the first `n`
    /// are used).
    pub fn step(
        &mut self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        y: &[usize],
    ) -> Result<Option<SweepPoint>, DefenceError> {
        self.step_read_by(clf, None, x, y)
    }

    /// [`RobustnessSweep::step`] where the examples crafted on `clf` are read by `reader` (the
    /// transfer setting: its clean and adversarial predictions make the point), or by `clf`
    /// itself when `reader` is `None`.
    pub fn step_read_by(
        &mut self,
        clf: &mut dyn Classifier,
        mut reader: Option<&mut dyn Classifier>,
        x: ArrayView2<f32>,
        y: &[usize],
    ) -> Result<Option<SweepPoint>, DefenceError> {
        while self.skipped(self.value_idx) {
            self.value_idx += 1;
        }
        if self.is_done() {
            return Ok(None);
        }
        let n = self.n.min(x.nrows()).min(y.len());
        if self.clean_pred.len() < n {
            let a = self.clean_pred.len();
            let b = (a + self.chunk).min(n);
            let rows = x.slice(s![a..b, ..]);
            let scores = match reader.as_deref_mut() {
                Some(r) => r.predict_checked(rows),
                None => clf.predict_checked(rows),
            }
            .map_err(|mut e| {
                e.sample += a;
                e
            })?;
            self.clean_pred.extend(argmax_rows(&scores));
            return Ok(None);
        }
        if !self.started {
            self.x_adv = x.slice(s![..n, ..]).to_owned();
            self.adv_pred.clear();
            self.iterations = vec![0; n];
            self.rng = ChaCha8Rng::seed_from_u64(self.seed.wrapping_add(self.value_idx as u64));
            self.started = true;
        }
        if self.run.is_none() && self.offset < n {
            let end = (self.offset + self.chunk).min(n);
            let xc = x.slice(s![self.offset..end, ..]);
            let cfg = &self.configs[self.value_idx].1;
            let run = cfg.start(clf, xc, None, self.rng.clone())?;
            self.run = Some((end, run));
        }
        if let Some((end, run)) = self.run.as_mut() {
            run.step(clf)?;
            if !run.is_done() {
                return Ok(None);
            }
            let end = *end;
            let (_, run) = self.run.take().expect("checked above");
            self.rng = run.rng().clone();
            let out = run.finish();
            self.x_adv
                .slice_mut(s![self.offset..end, ..])
                .assign(&out.x_adv);
            let adv = out.x_adv.view();
            self.adv_pred.extend(match reader {
                Some(r) => r.predict_classes(adv),
                None => clf.predict_classes(adv),
            });
            self.iterations[self.offset..end].copy_from_slice(&out.iterations);
            self.offset = end;
        }
        if self.offset < n {
            return Ok(None);
        }
        let metrics = metrics_from_predictions(
            &self.clean_pred[..n],
            &self.adv_pred,
            x.slice(s![..n, ..]),
            self.x_adv.view(),
            &y[..n],
            None,
            &self.iterations,
        );
        let point = SweepPoint {
            value: self.configs[self.value_idx].0,
            metrics,
        };
        self.points.push(point);
        self.point_values.push(self.value_idx);
        self.value_idx += 1;
        self.offset = 0;
        self.started = false;
        Ok(Some(point))
    }
}

/// Runs a whole sweep at once (native use): one point per value, on all of `x`; `progress`
/// hears the fraction done after every step.
#[allow(clippy::too_many_arguments)]
pub fn sweep(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    y: &[usize],
    base: &AttackConfig,
    param: &str,
    values: &[f32],
    seed: u64,
    progress: &mut dyn FnMut(f32),
) -> Result<Vec<SweepPoint>, DefenceError> {
    let mut run = RobustnessSweep::new(base, param, values, x.nrows(), 256, seed)?;
    while !run.is_done() {
        run.step(clf, x, y)?;
        progress(run.fraction());
    }
    Ok(run.points().to_vec())
}
