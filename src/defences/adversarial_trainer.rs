//! ART's `AdversarialTrainer` as a batch transform of the shared training loop.
//!
//! Main type: [`AdversarialTrainer`], a resumable [`BatchTransform`]: crafting a batch is one
//! attack run (see [`crate::attacks::run`]), advanced one iteration per
//! [`BatchTransform::advance`], so training can pause inside a Madry PGD batch.
//!
//! For every batch of `B` samples it picks `ceil(ratio * B)` of them at random (without replacement; all of them when `ratio == 1`), crafts adversarial
//! versions on the current model with the batch's attack, puts them in place of the clean ones,
//! and lets the optimiser step on the mixed batch. With several attacks, batch `k` uses attack
//! `k mod len`. Successful and unsuccessful adversarial samples are both kept, as in ART.
//!
//! In data-parallel training ([`BatchTransform::share`]) every worker picks the same rows of the
//! whole batch and crafts only the picked rows of its own part.
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
use crate::attacks::{AttackConfig, AttackRun, CheckedAttack};
use crate::classifier::Classifier;
use crate::lang::{text, Text};
use crate::params::ParamError;
use crate::train::BatchTransform;

/// Adversarial training with one or more attacks (see the module documentation).
#[derive(Debug)]
pub struct AdversarialTrainer {
    attacks: Vec<CheckedAttack>,
    ratio: f32,
    next: usize,
    crafted: usize,
    pending: Option<Pending>,
    /// Data-parallel training: only rows `part_rows(count, k, B)` of a batch are crafted here.
    part: Option<(usize, usize)>,
}

/// A batch whose adversarial rows are being crafted.
#[derive(Debug)]
struct Pending {
    x: Array2<f32>,
    ids: Vec<usize>,
    /// `None` when none of the picked rows is this worker's.
    run: Option<Box<dyn AttackRun>>,
}

impl AdversarialTrainer {
    /// Checks the attacks and the ratio as ART does: at least one attack, none targeted (JSMA is
    /// allowed, see the module documentation), `0 < ratio <= 1`. Each attack is checked once.
    pub fn new(attacks: Vec<AttackConfig>, ratio: f32) -> Result<AdversarialTrainer, DefenceError> {
        if attacks.is_empty() {
            let why = text!("needs at least one attack", "공격이 하나 이상 필요합니다");
            return Err(ParamError::invalid("attacks", "[]", why).into());
        }
        if !(ratio > 0.0 && ratio <= 1.0) {
            return Err(ParamError::invalid(
                "ratio",
                ratio,
                text!(
                    "must be a number greater than 0 and at most 1",
                    "0보다 크고 1 이하인 수여야 합니다"
                ),
            )
            .into());
        }
        let mut checked = Vec::with_capacity(attacks.len());
        for a in &attacks {
            if a.is_targeted() && !matches!(a, AttackConfig::Jsma(_)) {
                return Err(DefenceError::TargetedAttack { attack: a.name() });
            }
            checked.push(a.check()?);
        }
        Ok(AdversarialTrainer {
            attacks: checked,
            ratio,
            next: 0,
            crafted: 0,
            pending: None,
            part: None,
        })
    }

    /// The attacks, in rotation order.
    pub fn attacks(&self) -> Vec<AttackConfig> {
        self.attacks.iter().map(CheckedAttack::config).collect()
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

    /// Replaces `nb_adv(B)` random rows of `x` by adversarial samples all at once; returns the
    /// new batch and the replaced row indices (sorted). Advances the attack rotation.
    pub fn craft_batch(
        &mut self,
        clf: &mut dyn Classifier,
        x: Array2<f32>,
        y: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Result<(Array2<f32>, Vec<usize>), DefenceError> {
        self.start_batch(clf, x, y, rng)?;
        let ids = self
            .pending
            .as_ref()
            .map(|p| p.ids.clone())
            .unwrap_or_default();
        loop {
            if let Some(x) = self.step_batch(clf)? {
                return Ok((x, ids));
            }
        }
    }

    /// Picks the rows and starts the batch's attack on them (the only place randomness is
    /// drawn from the trainer's generator: the rows, then the attack's own seed).
    fn start_batch(
        &mut self,
        clf: &mut dyn Classifier,
        x: Array2<f32>,
        y: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Result<(), DefenceError> {
        let b = x.nrows();
        let attack = &self.attacks[self.next % self.attacks.len()];
        self.next = (self.next + 1) % self.attacks.len();
        let mut ids: Vec<usize> = if self.nb_adv(b) == b {
            (0..b).collect()
        } else {
            sample(rng, b, self.nb_adv(b)).into_vec()
        };
        ids.sort_unstable();
        if let Some((count, k)) = self.part {
            let mine = crate::train::part_rows(count, k, b);
            ids.retain(|i| mine.contains(i));
        }
        let xs = x.select(Axis(0), &ids);
        let ys: Vec<usize> = ids.iter().map(|&i| y[i]).collect();
        let labels = match attack {
            CheckedAttack::Jsma(_) => None,
            _ => Some(ys.as_slice()),
        };
        // The attack gets its own stream so that the trainer's shuffling does not depend on how
        // many random numbers an attack draws.
        let attack_rng = ChaCha8Rng::seed_from_u64(rand::Rng::random(rng));
        let run = if ids.is_empty() {
            None
        } else {
            Some(attack.start(clf, xs.view(), labels, attack_rng)?)
        };
        self.pending = Some(Pending { x, ids, run });
        Ok(())
    }

    /// One step of the batch's attack; the mixed batch once the attack is done.
    fn step_batch(
        &mut self,
        clf: &mut dyn Classifier,
    ) -> Result<Option<Array2<f32>>, DefenceError> {
        let Some(p) = self.pending.as_mut() else {
            let why = text!("no batch was begun", "시작한 배치가 없습니다");
            return Err(ParamError::invalid("batch", "none", why).into());
        };
        if let Some(run) = p.run.as_mut() {
            if !run.is_done() {
                run.step(clf)?;
            }
            if !run.is_done() {
                return Ok(None);
            }
        }
        let Pending { mut x, ids, run } = self.pending.take().expect("checked above");
        if let Some(run) = run {
            let out = run.finish();
            for (k, &i) in ids.iter().enumerate() {
                x.row_mut(i).assign(&out.x_adv.row(k));
            }
        }
        self.crafted += ids.len();
        Ok(Some(x))
    }
}

impl BatchTransform for AdversarialTrainer {
    fn begin(
        &mut self,
        clf: &mut dyn Classifier,
        x: Array2<f32>,
        y: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Result<(), Text> {
        self.start_batch(clf, x, y, rng).map_err(|e| Text::of(&e))
    }

    /// One iteration of the batch's attack (so a Madry PGD-40 batch is 40 units of work).
    fn advance(&mut self, clf: &mut dyn Classifier) -> Result<Option<Array2<f32>>, Text> {
        self.step_batch(clf).map_err(|e| Text::of(&e))
    }

    /// The rows are picked from the whole batch (the same draws on every worker), then only this
    /// worker's picked rows are crafted; the attack's stream is the same on every worker.
    fn share(&mut self, count: usize, k: usize) -> Result<(), Text> {
        if k >= count {
            return Err(text!(
                "part {k} of {count} does not exist",
                "{count}개 중 {k}번 부분은 없습니다"
            ));
        }
        self.part = Some((count, k));
        Ok(())
    }
}
