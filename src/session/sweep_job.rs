//! The robustness-curve job: one [`RobustnessSweep`] per model, plus the sweeps of the
//! gradient-masking checks, run one attack iteration at a time.
//!
//! Two checks, each a second attack swept over the same eps values on both models (its series
//! sits beside the swept attack's in the result):
//! - `pgd_check`: an FGSM curve also runs PGD ([`pgd_check`]);
//! - `blackbox_check`: an FGSM, PGD or APGD curve (L-inf or L2) also runs the black-box Square
//!   attack ([`SQUARE_CHECK_ITER`] iterations, ART's other defaults), and a Square curve also runs
//!   PGD ([`blackbox_check`]).
//!
//! Split across workers ([`Parts`]), a job computes only its share of the (series, value)
//! points, dealt out in turn; a helper ends with `SweepPartDone`, the coordinator waits for the
//! other shares ([`SweepJob::add_part`]). Every value has its own random stream, so the result is
//! the unsplit one whatever the number of workers.
//!
//! Main types: [`SweepJob`]; [`masking_warning`] decides when to warn: a model that looks robust
//! to FGSM but is much weaker under PGD, or one that a gradient attack finds more robust than the
//! black-box Square does. An attack that never reads a gradient should not beat one that does;
//! when it does, the gradients mislead the white-box attack (masked gradients).

use ndarray::{s, Array2};

use super::error::SessionError;
use super::store::Store;
use crate::attacks::{AttackConfig, CheckedAttack, Norm, PgdParams, SquareParams};
use crate::defences::SweepPoint;
use crate::defences::{Adaptive, AdaptiveSettings, RobustnessSweep, Stack};
use crate::lang::{say, Bilingual, Lang, Text};
use crate::nn::Model;
use crate::params::Described;
use crate::protocol::{Event, Parts, Slot, SweepPart, SweepResult, SweepSeries, SweepSettings};

/// Samples attacked per run (fewer for the heavy attacks: see [`chunk`]).
const CHUNK: usize = 64;
/// Warn when FGSM accuracy exceeds PGD accuracy by at least this much at some value.
pub const MASKING_GAP: f32 = 0.2;
/// Warn when a white-box attack's accuracy exceeds Square's by at least this much at some
/// value (a white-box attack should never do worse; 0.1 leaves room for chance on 100 samples).
pub const BLACKBOX_GAP: f32 = 0.1;
/// Iterations of the Square check (ART's default is 100; more finds more, at a query each).
pub const SQUARE_CHECK_ITER: usize = 200;
/// The white-box attacks a Square curve is compared with.
const WHITE_BOX: [&str; 3] = ["fgsm", "pgd", "apgd"];

/// Samples per run of a sweep: [`CHUNK`], or the attack job's smaller chunk for the attacks
/// whose iterations are heavy (C&W, AutoAttack, HopSkipJump), so a step stays short.
fn chunk(attack: &CheckedAttack) -> usize {
    match attack {
        CheckedAttack::CwL2(_) | CheckedAttack::Autoattack(_) | CheckedAttack::Hopskipjump(_) => {
            super::attack_job::chunk_size(attack)
        }
        _ => CHUNK,
    }
}

/// The part that computes point `v` of run `r`: points are dealt out in turn, run by run.
fn owner(parts: Parts, values: usize, r: usize, v: usize) -> usize {
    (r * values + v) % parts.count.max(1)
}

/// One series: crafted on a slot, read by it (or by another slot: transfer).
#[derive(Debug)]
struct Run {
    slot: Slot,
    read_by: Option<Slot>,
    attack: String,
    mode: AdaptiveSettings,
    sweep: RobustnessSweep,
}

/// A running sweep.
#[derive(Debug)]
pub struct SweepJob {
    id: u32,
    settings: SweepSettings,
    models: Vec<(Slot, Stack<Model>)>,
    /// Every series to compute, in the order of the result.
    runs: Vec<Run>,
    current: usize,
    x: Array2<f32>,
    y: Vec<usize>,
    parts: Parts,
    /// Every run's points by value index, own and received.
    table: Vec<Vec<Option<SweepPoint>>>,
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

/// The other side of the black-box check: Square for an FGSM, PGD or APGD curve (L-inf or L2),
/// PGD (as [`pgd_check`] builds it) for a Square curve.
pub fn blackbox_check(base: &AttackConfig, values: &[f32]) -> Option<AttackConfig> {
    let top = values.iter().copied().fold(0.0f32, f32::max);
    let norm = match base {
        AttackConfig::Fgsm(p) => p.norm,
        AttackConfig::Pgd(p) => p.norm,
        AttackConfig::Apgd(p) => p.norm,
        AttackConfig::Square(p) => {
            let fgsm = AttackConfig::Fgsm(crate::attacks::FgsmParams {
                norm: p.norm,
                ..Default::default()
            });
            return pgd_check(&fgsm, values);
        }
        _ => return None,
    };
    (norm != Norm::L1).then(|| {
        AttackConfig::Square(SquareParams {
            norm,
            eps: top,
            max_iter: SQUARE_CHECK_ITER,
            ..SquareParams::default()
        })
    })
}

impl SweepJob {
    /// Validates every point up front and prepares the runs.
    pub fn new(
        id: u32,
        settings: SweepSettings,
        parts: Option<Parts>,
        store: &Store,
    ) -> Result<SweepJob, SessionError> {
        settings.check()?;
        let parts = Parts::or_whole(parts)?;
        let nv = settings.values.len();
        let ds = store.dataset(&settings.dataset)?;
        if settings.n == 0 || settings.n > ds.y_test.len() {
            return Err(SessionError::invalid(
                "n",
                settings.n,
                crate::params::Kind::int(1, ds.y_test.len() as u64).describe(),
            ));
        }
        let models = store.stacks_for(&settings.dataset, settings.seed);
        if models.is_empty() {
            return Err(SessionError::NoModel {
                slot: Slot::Undefended,
                dataset: Some(settings.dataset.clone()),
            });
        }
        let mut attacks = vec![settings.attack.clone()];
        if settings.pgd_check && settings.param == "eps" {
            attacks.extend(pgd_check(&settings.attack, &settings.values));
        }
        if settings.blackbox_check && settings.param == "eps" {
            let check = blackbox_check(&settings.attack, &settings.values);
            attacks.extend(check.filter(|c| !attacks.contains(c)));
        }
        let mut modes = vec![AdaptiveSettings::default()];
        match settings.compare_adaptive.as_str() {
            "bpda" => modes.push(AdaptiveSettings::of(Adaptive::Bpda, 1)),
            "eot" => modes.push(AdaptiveSettings::of(Adaptive::Eot, settings.eot_samples)),
            _ => {}
        }
        let mut runs = Vec::new();
        for (m, mode) in modes.iter().enumerate() {
            // The adaptive runs repeat only the swept attack, only where it reads gradients, and
            // only on slots with pieces to go around: elsewhere they would repeat the naive curve.
            let adaptive = m > 0;
            let reruns = |a: &AttackConfig| !adaptive || (a == &attacks[0] && !a.is_black_box());
            for attack in attacks.iter().filter(|a| reruns(a)) {
                for (slot, stack) in &models {
                    if adaptive && stack.config().is_empty() {
                        continue;
                    }
                    let r = runs.len();
                    let sweep = RobustnessSweep::new(
                        attack,
                        &settings.param,
                        &settings.values,
                        settings.n,
                        chunk(&attack.check()?),
                        settings.seed,
                    )?
                    .only(|v| owner(parts, nv, r, v) == parts.index);
                    runs.push(Run {
                        slot: *slot,
                        read_by: None,
                        attack: attack.name().to_string(),
                        mode: mode.clone(),
                        sweep,
                    });
                }
            }
        }
        // The transfer series: the swept attack crafted on the undefended model (the same
        // examples as its own series: same seed), read by the defended one.
        let both = Slot::BOTH
            .iter()
            .all(|slot| models.iter().any(|(s, _)| s == slot));
        if settings.transfer && both {
            let r = runs.len();
            let sweep = RobustnessSweep::new(
                &attacks[0],
                &settings.param,
                &settings.values,
                settings.n,
                chunk(&attacks[0].check()?),
                settings.seed,
            )?
            .only(|v| owner(parts, nv, r, v) == parts.index);
            runs.push(Run {
                slot: Slot::Undefended,
                read_by: Some(Slot::Defended),
                attack: attacks[0].name().to_string(),
                mode: AdaptiveSettings::default(),
                sweep,
            });
        }
        Ok(SweepJob {
            id,
            x: ds.x_test.slice(s![..settings.n, ..]).to_owned(),
            y: ds.y_test[..settings.n].to_vec(),
            table: vec![vec![None; nv]; runs.len()],
            settings,
            models,
            runs,
            current: 0,
            parts,
        })
    }

    /// Whether this coordinator has its own points and waits for other workers'.
    pub fn waiting(&self) -> bool {
        self.current >= self.runs.len()
            && self.parts.index == 0
            && self.table.iter().flatten().any(Option::is_none)
    }

    /// Takes in another worker's points (its `SweepPartDone`): exactly the points its part owns.
    pub fn add_part(&mut self, part: &SweepPart) -> Result<(), SessionError> {
        let (count, nv) = (self.parts.count, self.settings.values.len());
        let k = part.index;
        let owned = |&(r, v, _): &(usize, usize, SweepPoint)| {
            r < self.table.len() && v < nv && owner(self.parts, nv, r, v) == k
        };
        let expected = (0..self.table.len() * nv)
            .filter(|u| u % count == k)
            .count();
        let fresh = part.points.iter().all(|&(r, v, _)| {
            self.table
                .get(r)
                .and_then(|t| t.get(v))
                .is_some_and(Option::is_none)
        });
        if self.parts.index != 0
            || k == 0
            || k >= count
            || part.points.len() != expected
            || !part.points.iter().all(owned)
            || !fresh
        {
            return Err(SessionError::invalid(
                "part",
                k.to_string(),
                crate::lang::text!(
                    "this sweep does not wait for those points (it is part {} of {}, and part {k} owns {expected} points)",
                    "이 곡선은 그 점들을 기다리지 않습니다(이 곡선은 {1}개 중 {0}번 부분이고, {k}번 부분의 점은 {expected}개입니다)";
                    self.parts.index, count
                ),
            ));
        }
        for &(r, v, point) in &part.points {
            self.table[r][v] = Some(point);
        }
        Ok(())
    }

    fn own_points(&self) -> Vec<(usize, usize, SweepPoint)> {
        let mut out = Vec::new();
        for (r, run) in self.runs.iter().enumerate() {
            out.extend(run.sweep.indexed_points().map(|(v, p)| (r, v, *p)));
        }
        out
    }

    /// Steps the sweeps until `out_of_time`; returns a progress event, or `SweepDone`.
    pub fn advance(
        &mut self,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<(Event, bool), SessionError> {
        while self.current < self.runs.len() {
            let run = &mut self.runs[self.current];
            let at = |slot: Slot| self.models.iter().position(|(s, _)| *s == slot);
            let i = at(run.slot).expect("a model per run");
            let reader = run.read_by.and_then(at);
            let (model, reader) = match reader {
                Some(j) if j != i => {
                    let (lo, hi) = self.models.split_at_mut(i.max(j));
                    let (a, b) = (&mut lo[i.min(j)].1, &mut hi[0].1);
                    if i < j {
                        (a, Some(b))
                    } else {
                        (b, Some(a))
                    }
                }
                _ => (&mut self.models[i].1, None),
            };
            if model.adaptive() != &run.mode {
                model.set_adaptive(run.mode.clone());
            }
            let reader = reader.map(|r| r as &mut dyn crate::classifier::Classifier);
            run.sweep
                .step_read_by(model, reader, self.x.view(), &self.y)?;
            if run.sweep.is_done() {
                self.current += 1;
            }
            if self.current < self.runs.len() && out_of_time() {
                let part = self
                    .runs
                    .get(self.current)
                    .map_or(0.0, |r| r.sweep.fraction());
                let fraction = (self.current as f32 + part) / self.runs.len() as f32;
                return Ok((
                    Event::Progress {
                        id: self.id,
                        phase: "sweep".into(),
                        fraction,
                        train: None,
                        test_accuracy: None,
                        queries: None,
                    },
                    false,
                ));
            }
        }
        for (r, v, p) in self.own_points() {
            self.table[r][v] = Some(p);
        }
        if self.parts.index > 0 {
            let part = Box::new(SweepPart {
                index: self.parts.index,
                points: self.own_points(),
            });
            return Ok((Event::SweepPartDone { id: self.id, part }, true));
        }
        if self.waiting() {
            let event = Event::Progress {
                id: self.id,
                phase: "sweep".into(),
                fraction: 1.0,
                train: None,
                test_accuracy: None,
                queries: None,
            };
            return Ok((event, false));
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
            .zip(&self.table)
            .map(|(run, points)| {
                let pick = |f: fn(&crate::attacks::AttackMetrics) -> f32| {
                    points.iter().flatten().map(|p| f(&p.metrics)).collect()
                };
                SweepSeries {
                    slot: run.slot,
                    read_by: run.read_by,
                    clean_accuracy: points
                        .iter()
                        .flatten()
                        .next()
                        .map_or(0.0, |p| p.metrics.clean_accuracy),
                    adaptive: run.mode.adaptive.clone(),
                    attack: run.attack.clone(),
                    accuracy: pick(|m| m.adversarial_accuracy),
                    success_rate: pick(|m| m.success_rate),
                    linf_mean: pick(|m| m.linf_mean),
                    l2_mean: pick(|m| m.l2_mean),
                }
            })
            .collect();
        let naive: Vec<SweepSeries> = series
            .iter()
            .filter(|s| s.adaptive == "none" && s.read_by.is_none())
            .cloned()
            .collect();
        let warning = masking_warning(&naive, &self.settings.values)
            .or_else(|| super::stack_job::adaptive_warning(&series, &self.settings.values));
        SweepResult {
            warning_ko: warning.as_ref().map(|w| w.ko.clone()),
            warning: warning.map(|w| w.en),
            param: self.settings.param.clone(),
            values: self.settings.values.clone(),
            n: self.settings.n,
            series,
        }
    }
}

/// A warning when a model may mask its gradients: its FGSM accuracy exceeds its PGD accuracy by
/// [`MASKING_GAP`] or more at some value (FGSM overstates its robustness), or the accuracy under
/// a white-box attack (FGSM, PGD, APGD) exceeds the accuracy under the black-box Square by
/// [`BLACKBOX_GAP`] or more. The largest gap is reported.
pub fn masking_warning(series: &[SweepSeries], values: &[f32]) -> Option<Text> {
    // (gap, slot, white-box attack, its accuracy, the other's, value, the other attack)
    let mut worst: Option<(f32, Slot, &str, f32, f32, f32, &str)> = None;
    for weak in series {
        let checks = [
            ("pgd", MASKING_GAP, weak.attack == "fgsm"),
            (
                "square",
                BLACKBOX_GAP,
                WHITE_BOX.contains(&weak.attack.as_str()),
            ),
        ];
        for (strong, min_gap, _) in checks.into_iter().filter(|c| c.2) {
            let Some(other) = series
                .iter()
                .find(|s| s.attack == strong && s.slot == weak.slot)
            else {
                continue;
            };
            for ((&a, &b), &v) in weak.accuracy.iter().zip(&other.accuracy).zip(values) {
                if a - b >= min_gap && worst.is_none_or(|w| a - b > w.0) {
                    worst = Some((a - b, weak.slot, &weak.attack, a, b, v, strong));
                }
            }
        }
    }
    worst.map(|(_, slot, weak, a, b, v, strong)| {
        let (a, b) = (a * 100.0, b * 100.0);
        let weak = weak.to_uppercase();
        let say = |lang: Lang| {
            let slot = slot.say(lang);
            if strong == "square" {
                say!(
                    lang,
                    "Possible gradient masking: the {slot} model keeps {a:.0}% accuracy under {weak} but only {b:.0}% under the black-box Square attack at {v}. An attack that never reads gradients should not beat one that does: the model's gradients mislead {weak}. Trust the Square curve.",
                    "그래디언트 마스킹일 수 있습니다: {slot} 모델은 {v}에서 {weak} 아래 정확도 {a:.0}%를 지키지만 블랙박스 Square 공격 아래에서는 {b:.0}%뿐입니다. 그래디언트를 읽지 않는 공격이 읽는 공격보다 강할 수는 없으니, 모델의 그래디언트가 {weak}에 잘못된 방향을 알려 주고 있습니다. Square 곡선을 믿으세요."
                )
            } else {
                say!(
                    lang,
                    "Possible gradient masking: the {slot} model keeps {a:.0}% accuracy under FGSM but only {b:.0}% under PGD at {v}. FGSM overstates its robustness; trust the PGD curve.",
                    "그래디언트 마스킹일 수 있습니다: {slot} 모델은 {v}에서 FGSM 아래 정확도 {a:.0}%를 지키지만 PGD 아래에서는 {b:.0}%뿐입니다. FGSM은 강건성을 부풀립니다. PGD 곡선을 믿으세요."
                )
            }
        };
        Text::new(say(Lang::En), say(Lang::Ko))
    })
}
