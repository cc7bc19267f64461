//! ART's `AdversarialTrainer` as a batch transform of the shared training loop.
//!
//! Main type: [`AdversarialTrainer`]. For every batch of `B` samples it picks `ceil(ratio * B)`
//! of them at random (without replacement; all of them when `ratio == 1`), crafts adversarial
//! versions on the current model with the batch's attack, puts them in place of the clean ones,
//! and lets the optimiser step on the mixed batch. With several attacks, batch `k` uses attack
//! `k mod len`. Successful and unsuccessful adversarial samples are both kept, as in ART.
//!
//! Labels: the attacks receive the true labels of the batch, as ART passes `y_batch`. JSMA is the
//! exception: its `y` means target classes, and ART's trainer hands it the true labels, so every
//! correctly classified sample is already "at its target" and comes back unchanged. We draw a
//! random wrong target per sample instead (JSMA's behaviour without `y`), which is what a user of
//! adversarial training with JSMA expects.

use ndarray::{Array2, Axis};
use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::error::DefenceError;
use crate::attacks::AttackConfig;
use crate::classifier::Classifier;
use crate::train::BatchTransform;

/// Adversarial training with one or more attacks (see the module documentation).
#[derive(Debug, Clone)]
pub struct AdversarialTrainer {
    attacks: Vec<AttackConfig>,
    ratio: f32,
    next: usize,
    crafted: usize,
}

impl AdversarialTrainer {
    /// Checks the attacks and the ratio as ART does: at least one attack, none targeted (JSMA is
    /// allowed, see the module documentation), `0 < ratio <= 1`.
    pub fn new(attacks: Vec<AttackConfig>, ratio: f32) -> Result<AdversarialTrainer, DefenceError> {
        if attacks.is_empty() {
            return Err(DefenceError::invalid(
                "attacks",
                "[]",
                "needs at least one attack",
            ));
        }
        if !(ratio > 0.0 && ratio <= 1.0) {
            return Err(DefenceError::invalid("ratio", ratio, "must be in (0, 1]"));
        }
        for a in &attacks {
            a.validate()?;
            if a.is_targeted() && !matches!(a, AttackConfig::Jsma(_)) {
                return Err(DefenceError::TargetedAttack { attack: a.name() });
            }
        }
        Ok(AdversarialTrainer {
            attacks,
            ratio,
            next: 0,
            crafted: 0,
        })
    }

    /// The attacks, in rotation order.
    pub fn attacks(&self) -> &[AttackConfig] {
        &self.attacks
    }

    /// The fraction of each batch that is replaced.
    pub fn ratio(&self) -> f32 {
        self.ratio
    }

    /// How many adversarial samples were crafted so far.
    pub fn crafted(&self) -> usize {
        self.crafted
    }

    /// How many samples of a batch of `b` are replaced: `ceil(ratio * b)`, at most `b`.
    pub fn nb_adv(&self, b: usize) -> usize {
        ((self.ratio as f64 * b as f64).ceil() as usize).min(b)
    }

    /// Replaces `nb_adv(B)` random rows of `x` by adversarial samples; returns the new batch and
    /// the replaced row indices (sorted). Advances the attack rotation.
    pub fn craft_batch(
        &mut self,
        clf: &mut dyn Classifier,
        mut x: Array2<f32>,
        y: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Result<(Array2<f32>, Vec<usize>), DefenceError> {
        let b = x.nrows();
        let attack = &self.attacks[self.next % self.attacks.len()];
        self.next = (self.next + 1) % self.attacks.len();
        let mut ids: Vec<usize> = if self.nb_adv(b) == b {
            (0..b).collect()
        } else {
            sample(rng, b, self.nb_adv(b)).into_vec()
        };
        ids.sort_unstable();
        if ids.is_empty() {
            return Ok((x, ids));
        }
        let xs = x.select(Axis(0), &ids);
        let ys: Vec<usize> = ids.iter().map(|&i| y[i]).collect();
        let labels = match attack {
            AttackConfig::Jsma(_) => None,
            _ => Some(ys.as_slice()),
        };
        // The attack gets its own stream so that the trainer's shuffling does not depend on how
        // many random numbers an attack draws.
        let mut attack_rng = ChaCha8Rng::seed_from_u64(rand::Rng::random(rng));
        let out = attack.generate(clf, xs.view(), labels, &mut attack_rng, None)?;
        for (k, &i) in ids.iter().enumerate() {
            x.row_mut(i).assign(&out.x_adv.row(k));
        }
        self.crafted += ids.len();
        Ok((x, ids))
    }
}

impl BatchTransform for AdversarialTrainer {
    fn transform(
        &mut self,
        clf: &mut dyn Classifier,
        x: Array2<f32>,
        y: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Result<Array2<f32>, String> {
        self.craft_batch(clf, x, y, rng)
            .map(|(x, _)| x)
            .map_err(|e| e.to_string())
    }
}
