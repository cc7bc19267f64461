//! The evaluation of one table: every value of the swept parameter attacks the undefended and the
//! defended model white-box, and the undefended model's examples are fed to the defended one
//! (the transfer setting).
//!
//! Main function: [`robustness`], which returns one [`Row`] per value.

use ndarray::{s, Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{ExperimentError, Row, TableSpec};
use crate::attacks::{attack_metrics, AttackConfig, AttackMetrics};
use crate::classifier::{accuracy, Classifier};
use crate::defences::set_param;
use crate::nn::Model;
use crate::params::Raw;

/// Attacks `x` in chunks of 500 samples (bounds DeepFool's Jacobian memory) without labels.
fn attack(
    cfg: &AttackConfig,
    model: &mut Model,
    x: ArrayView2<f32>,
    y: &[usize],
    rng: &mut ChaCha8Rng,
) -> Result<(Array2<f32>, AttackMetrics), ExperimentError> {
    let cfg = cfg.check()?;
    let mut adv = x.to_owned();
    let mut iterations = Vec::with_capacity(x.nrows());
    for start in (0..x.nrows()).step_by(500) {
        let end = (start + 500).min(x.nrows());
        let out = cfg.generate(model, x.slice(s![start..end, ..]), None, rng, None)?;
        adv.slice_mut(s![start..end, ..]).assign(&out.x_adv);
        iterations.extend(out.iterations);
    }
    let m = attack_metrics(model, x, adv.view(), y, None, &iterations);
    Ok((adv, m))
}

/// White-box on both models and transfer from the undefended to the defended one, per value:
/// column `k` reads `defended[k]` (one model per column), or `defended[0]` for every column.
/// Each value's random stream is seeded from the run's seed and the value's position.
pub fn robustness(
    undefended: &mut Model,
    defended: &mut [Model],
    x: ArrayView2<f32>,
    y: &[usize],
    spec: &TableSpec,
    seed: u64,
) -> Result<Vec<Row>, ExperimentError> {
    let mut rows = Vec::new();
    let last = defended.len().saturating_sub(1);
    for (k, &value) in spec.values.iter().enumerate() {
        let cfg = set_param(&spec.attack, spec.param, Raw::Float(f64::from(value)))?;
        let stream = seed.wrapping_add(k as u64);
        let mut rng = ChaCha8Rng::seed_from_u64(stream);
        let (adv, und) = attack(&cfg, undefended, x, y, &mut rng)?;
        let model = &mut defended[k.min(last)];
        let transfer = accuracy(&model.predict(adv.view()), y);
        let mut rng = ChaCha8Rng::seed_from_u64(stream);
        let (_, def) = attack(&cfg, model, x, y, &mut rng)?;
        rows.push(Row {
            value,
            undefended: und,
            transfer,
            defended: def,
        });
    }
    Ok(rows)
}
