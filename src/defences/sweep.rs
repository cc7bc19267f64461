//! Robustness sweeps: accuracy under an attack as one numeric parameter varies (the report's
//! eps sweeps for FGSM and DeepFool, theta sweeps for JSMA).
//!
//! Main types: [`RobustnessSweep`] (resumable: [`RobustnessSweep::step`] attacks one chunk of
//! samples, so a browser worker can report progress and honour Cancel between chunks),
//! [`SweepPoint`], and the helpers [`set_param`] and [`sweep`].
//!
//! Semantics: the attack is called without labels, as the report called ART's `generate(x)`:
//! untargeted attacks move away from the model's own prediction, JSMA picks a random wrong class.
//! Accuracy is then measured against the true labels. Each value gets its own random stream
//! (seeded from the sweep's seed and the value's position), so a point does not depend on the
//! other values swept.

use ndarray::{s, Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::error::DefenceError;
use crate::attacks::{attack_metrics, AttackConfig, AttackMetrics};
use crate::classifier::Classifier;

/// One value of the swept parameter and what the attack achieved with it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The parameter's value.
    pub value: f32,
    /// Accuracy, success rate and perturbation sizes at that value.
    pub metrics: AttackMetrics,
}

/// The attack `cfg` with its numeric parameter `name` set to `value`, validated. Integer
/// parameters (`max_iter`, `nb_grads`, ...) accept whole numbers only.
pub fn set_param(cfg: &AttackConfig, name: &str, value: f32) -> Result<AttackConfig, DefenceError> {
    let mut json = serde_json::to_value(cfg).expect("attack configs serialise");
    let obj = json.as_object_mut().expect("attack configs are objects");
    let numeric: Vec<String> = obj
        .iter()
        .filter(|(k, v)| v.is_number() && k.as_str() != "batch_size")
        .map(|(k, _)| k.clone())
        .collect();
    let unknown = || DefenceError::UnknownParam {
        attack: cfg.name(),
        param: name.to_string(),
        known: numeric.join(", "),
    };
    let slot = match obj.get_mut(name) {
        Some(slot) if numeric.iter().any(|k| k == name) => slot,
        _ => return Err(unknown()),
    };
    if !value.is_finite() {
        return Err(DefenceError::invalid("value", value, "must be finite"));
    }
    *slot = if slot.is_u64() {
        if value < 0.0 || value.fract() != 0.0 {
            return Err(DefenceError::invalid(
                "value",
                value,
                "this parameter takes whole non-negative numbers",
            ));
        }
        serde_json::Value::from(value as u64)
    } else {
        serde_json::Value::from(value as f64)
    };
    let out: AttackConfig = serde_json::from_value(json).map_err(|_| unknown())?;
    out.validate()?;
    Ok(out)
}

/// A sweep over one parameter, run chunk by chunk (see the module documentation).
#[derive(Debug, Clone)]
pub struct RobustnessSweep {
    configs: Vec<(f32, AttackConfig)>,
    n: usize,
    chunk: usize,
    seed: u64,
    value_idx: usize,
    offset: usize,
    x_adv: Array2<f32>,
    iterations: Vec<usize>,
    rng: ChaCha8Rng,
    points: Vec<SweepPoint>,
}

impl RobustnessSweep {
    /// A sweep of `param` over `values` on `n` samples, attacking `chunk` samples per step.
    /// Every value's configuration is validated here, before any work.
    pub fn new(
        base: &AttackConfig,
        param: &str,
        values: &[f32],
        n: usize,
        chunk: usize,
        seed: u64,
    ) -> Result<RobustnessSweep, DefenceError> {
        if values.is_empty() {
            return Err(DefenceError::invalid(
                "values",
                "[]",
                "needs at least one value",
            ));
        }
        if chunk == 0 {
            return Err(DefenceError::invalid("chunk", chunk, "must be positive"));
        }
        let configs = values
            .iter()
            .map(|&v| set_param(base, param, v).map(|c| (v, c)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RobustnessSweep {
            configs,
            n,
            chunk,
            seed,
            value_idx: 0,
            offset: 0,
            x_adv: Array2::zeros((0, 0)),
            iterations: Vec::new(),
            rng: ChaCha8Rng::seed_from_u64(seed),
            points: Vec::new(),
        })
    }

    /// True once every value has its point.
    pub fn is_done(&self) -> bool {
        self.value_idx >= self.configs.len()
    }

    /// Fraction of the work done, in `[0, 1]`.
    pub fn fraction(&self) -> f32 {
        let per_value = self.n.max(1) as f32;
        let done = self.value_idx as f32 * per_value + self.offset.min(self.n) as f32;
        (done / (self.configs.len() as f32 * per_value)).min(1.0)
    }

    /// The points finished so far, in the order of the values.
    pub fn points(&self) -> &[SweepPoint] {
        &self.points
    }

    /// Attacks the next chunk of samples; returns the point of a value when its last chunk is
    /// done. `x`, `y` must hold at least the sweep's `n` samples (only the first `n` are used).
    pub fn step(
        &mut self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        y: &[usize],
    ) -> Result<Option<SweepPoint>, DefenceError> {
        if self.is_done() {
            return Ok(None);
        }
        let n = self.n.min(x.nrows()).min(y.len());
        if self.offset == 0 {
            self.x_adv = x.slice(s![..n, ..]).to_owned();
            self.iterations = vec![0; n];
            self.rng = ChaCha8Rng::seed_from_u64(self.seed.wrapping_add(self.value_idx as u64));
        }
        let (value, cfg) = &self.configs[self.value_idx];
        let end = (self.offset + self.chunk).min(n);
        if self.offset < end {
            let xc = x.slice(s![self.offset..end, ..]);
            let out = cfg.generate(clf, xc, None, &mut self.rng, None)?;
            self.x_adv
                .slice_mut(s![self.offset..end, ..])
                .assign(&out.x_adv);
            self.iterations[self.offset..end].copy_from_slice(&out.iterations);
        }
        self.offset = end;
        if self.offset < n {
            return Ok(None);
        }
        let metrics = attack_metrics(
            clf,
            x.slice(s![..n, ..]),
            self.x_adv.view(),
            &y[..n],
            None,
            &self.iterations,
        );
        let point = SweepPoint {
            value: *value,
            metrics,
        };
        self.points.push(point);
        self.value_idx += 1;
        self.offset = 0;
        Ok(Some(point))
    }
}

/// Runs a whole sweep at once (native use): one point per value, on all of `x`.
pub fn sweep(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    y: &[usize],
    base: &AttackConfig,
    param: &str,
    values: &[f32],
    seed: u64,
) -> Result<Vec<SweepPoint>, DefenceError> {
    let mut run = RobustnessSweep::new(base, param, values, x.nrows(), 256, seed)?;
    while !run.is_done() {
        run.step(clf, x, y)?;
    }
    Ok(run.points().to_vec())
}
