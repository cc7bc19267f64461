//! Defence stacks and detectors on the model slots: `SetStack` (answered at once, with the clean
//! accuracy through the new stack) and the detector-training job (`TrainDetector`), which crafts
//! on a copy of the slot's model with its stack and, once done, puts the detector on the slot.
//!
//! Main items: [`set_stack`], [`stacked_accuracy`], [`DetectorJob`], [`detector_outcomes`]
//! (an attack's result seen by each slot's detector) and [`adaptive_warning`] (a robustness
//! curve that shows a stack only hides gradients).

use ndarray::{s, ArrayView2};

use super::error::SessionError;
use super::store::{ModelEntry, Store};
use crate::defences::{DetectorParams, DetectorReport, DetectorTraining, Stack, StackConfig};
use crate::lang::{say, Bilingual, Lang, Text};
use crate::nn::Model;
use crate::protocol::{DetectorOutcome, Event, ModelInfo, Slot, SweepSeries};

/// Test samples the accuracy through a stack is measured on (a quick answer in a browser).
pub const STACK_EVAL_SAMPLES: usize = 1000;

/// Clean test accuracy through the entry's stack on the first [`STACK_EVAL_SAMPLES`] test
/// samples, and their count; `None` for an empty stack.
pub fn stacked_accuracy(
    entry: &ModelEntry,
    ds: &crate::data::Dataset,
) -> Result<(Option<f32>, usize), SessionError> {
    if entry.stack.is_empty() {
        return Ok((None, 0));
    }
    let n = STACK_EVAL_SAMPLES.min(ds.y_test.len());
    let stack = entry.stacked(0);
    let test = crate::evaluation::evaluate(&stack, ds.x_test.slice(s![..n, ..]), &ds.y_test[..n])?;
    Ok((Some(test.accuracy), n))
}

/// Refreshes the stack fields of an entry's info.
fn refresh_info(entry: &mut ModelEntry, ds: &crate::data::Dataset) -> Result<(), SessionError> {
    let (acc, n) = stacked_accuracy(entry, ds)?;
    entry.info.stack = entry.stack.clone();
    entry.info.stacked_test_accuracy = acc;
    entry.info.stacked_test_samples = n;
    entry.info.has_detector = entry.detector.is_some();
    if entry.detector.is_none() {
        entry.info.detector = None;
    }
    Ok(())
}

/// Puts `stack` on the slot's model (checked against its input shape) and measures it.
pub fn set_stack(
    store: &mut Store,
    slot: Slot,
    dataset: &str,
    stack: StackConfig,
    remove_detector: bool,
) -> Result<ModelInfo, SessionError> {
    stack.check()?;
    let ds = store.dataset(dataset)?.clone();
    let entry = store.require(slot, dataset)?;
    Stack::new(entry.model.clone(), &stack, 0)?;
    let entry = store.entry_mut(slot).expect("required above");
    entry.stack = stack;
    if remove_detector {
        entry.detector = None;
    }
    refresh_info(entry, &ds)?;
    Ok(entry.info.clone())
}

/// Fills in the stack fields of a freshly built entry's info (training, import).
pub fn describe_stack(
    entry: &mut ModelEntry,
    ds: &crate::data::Dataset,
) -> Result<(), SessionError> {
    refresh_info(entry, ds)
}

/// A running detector training.
#[derive(Debug)]
pub struct DetectorJob {
    id: u32,
    slot: Slot,
    dataset: String,
    clf: Stack<Model>,
    training: DetectorTraining,
}

impl DetectorJob {
    /// Checks the settings against the slot's model and the loaded dataset.
    pub fn new(
        id: u32,
        slot: Slot,
        dataset: &str,
        settings: DetectorParams,
        store: &Store,
    ) -> Result<DetectorJob, SessionError> {
        let ds = store.dataset(dataset)?;
        let entry = store.require(slot, dataset)?;
        let clf = entry.stacked(settings.seed);
        let training = DetectorTraining::new(
            settings,
            &clf,
            ds.x_train.view(),
            &ds.y_train,
            ds.x_test.view(),
            &ds.y_test,
        )?;
        Ok(DetectorJob {
            id,
            slot,
            dataset: dataset.to_string(),
            clf,
            training,
        })
    }

    /// Works until `out_of_time`; a progress event, or `DetectorTrained` once the detector is on
    /// its slot (if the slot still holds a model for the dataset).
    pub fn advance(
        &mut self,
        store: &mut Store,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Result<(Vec<Event>, bool), SessionError> {
        let done = self.training.advance(&mut self.clf, out_of_time)?;
        let Some((detector, report)) = done else {
            return Ok((
                vec![Event::Progress {
                    id: self.id,
                    phase: self.training.phase().into(),
                    fraction: self.training.fraction(),
                    train: None,
                    test_accuracy: None,
                    queries: None,
                }],
                false,
            ));
        };
        let model = install(store, self.slot, &self.dataset, detector, &report)?;
        Ok((
            vec![Event::DetectorTrained {
                id: self.id,
                model,
                report,
            }],
            true,
        ))
    }
}

fn install(
    store: &mut Store,
    slot: Slot,
    dataset: &str,
    detector: crate::defences::BinaryInputDetector,
    report: &DetectorReport,
) -> Result<ModelInfo, SessionError> {
    store.require(slot, dataset)?;
    let entry = store.entry_mut(slot).expect("required above");
    entry.detector = Some(detector);
    entry.info.detector = Some(report.clone());
    entry.info.has_detector = true;
    Ok(entry.info.clone())
}

/// What each slot's detector says about an attack's clean and adversarial samples `xs`, given
/// each slot's predictions `(slot, clean, adversarial)` in the order of `models`.
pub fn detector_outcomes(
    models: &[(Slot, Stack<Model>)],
    preds: &[(Slot, Vec<usize>, Vec<usize>)],
    xs: (ArrayView2<f32>, ArrayView2<f32>),
    labels: &[usize],
    targets: Option<&[usize]>,
    detail: bool,
) -> Vec<DetectorOutcome> {
    models
        .iter()
        .zip(preds)
        .filter_map(|((slot, m), (_, _, adv_pred))| {
            let d = m.detector()?;
            let (clean, adv) = (d.scores(xs.0), d.scores(xs.1));
            let rate = |v: &[f32]| {
                v.iter().filter(|s| **s >= d.threshold).count() as f32 / v.len().max(1) as f32
            };
            let evaded = (0..adv.len())
                .filter(|&i| {
                    let fooled = match targets {
                        Some(t) => adv_pred.get(i) == t.get(i),
                        None => adv_pred.get(i) != labels.get(i),
                    };
                    fooled && adv[i] < d.threshold
                })
                .count() as f32
                / adv.len().max(1) as f32;
            Some(DetectorOutcome {
                slot: *slot,
                clean_flagged: rate(&clean),
                adversarial_flagged: rate(&adv),
                fooled_undetected: evaded,
                threshold: d.threshold,
                clean_scores: if detail { clean } else { Vec::new() },
                adversarial_scores: if detail { adv } else { Vec::new() },
            })
        })
        .collect()
}

/// A warning when a stack only hides gradients: the naive attack leaves a slot at least
/// [`super::MASKING_GAP`] more accuracy than the adaptive (BPDA/EOT) attack at some value.
pub fn adaptive_warning(series: &[SweepSeries], values: &[f32]) -> Option<Text> {
    for naive in series.iter().filter(|s| s.adaptive == "none") {
        let adaptive = series
            .iter()
            .find(|s| s.adaptive != "none" && s.slot == naive.slot && s.attack == naive.attack)?;
        for (i, v) in values.iter().enumerate() {
            let (a, b) = (naive.accuracy[i], adaptive.accuracy[i]);
            if a - b >= super::MASKING_GAP {
                let (a, b) = (100.0 * a, 100.0 * b);
                let (attack, mode) = (&naive.attack, &adaptive.adaptive);
                let say = |lang: Lang| {
                    let slot = naive.slot.say(lang);
                    say!(
                        lang,
                        "The {slot} model's defence stack only hides gradients: it keeps {a:.0}% accuracy under the naive {attack} but only {b:.0}% under the adaptive ({mode}) one at {v}. Non-differentiable or random pieces give a naive attack useless gradients; BPDA and EOT (Athalye, Carlini and Wagner 2018) go around them. Trust the adaptive curve.",
                        "{slot} 모델의 방어 스택은 그래디언트를 숨길 뿐입니다: {v}에서 단순한 {attack} 아래 정확도 {a:.0}%를 지키지만 적응형({mode}) {attack} 아래에서는 {b:.0}%뿐입니다. 미분할 수 없거나 무작위인 조각은 단순한 공격에 쓸모없는 그래디언트를 주고, BPDA와 EOT(Athalye, Carlini, Wagner 2018)는 이를 우회합니다. 적응형 곡선을 믿으세요."
                    )
                };
                return Some(Text::new(say(Lang::En), say(Lang::Ko)));
            }
        }
    }
    None
}
