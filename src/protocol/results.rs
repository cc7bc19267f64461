//! The payloads of the events that report results.
//!
//! Main types: [`DatasetInfo`], [`ModelInfo`], [`SlotScores`], [`PredictionResult`],
//! [`AttackResult`] with [`AttackTrace`] and [`QueryCount`], [`MapResult`] with [`MapArrows`], [`SweepResult`] with
//! [`SweepSeries`]. Matrices are row-major [`F32s`] with their shape given beside them.

use serde::{Deserialize, Serialize};

use super::arrays::{Bytes, F32s};
use super::requests::Slot;
use crate::attacks::{AttackMetrics, PerturbationNorms};
use crate::catalog::Catalog;
use crate::defences::{DetectorReport, StackConfig};

/// A loaded dataset, as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetInfo {
    /// `iris`, `mnist` or `fashion-mnist`.
    pub name: String,
    /// Training samples.
    pub train: usize,
    /// Test samples.
    pub test: usize,
    /// Shape of one sample.
    pub input_shape: Vec<usize>,
    /// Class names.
    pub class_names: Vec<String>,
    /// Feature names (IRIS only; empty for images).
    pub feature_names: Vec<String>,
    /// Valid feature range.
    pub clip_values: (f32, f32),
    /// The architecture presets that fit it, with their training defaults.
    pub presets: Vec<PresetInfo>,
    /// Every attack, defence, training and sweep parameter, with `suggested` values resolved
    /// for this dataset (the shape is in `docs/parameters.md`).
    pub catalog: Catalog,
}

/// An architecture preset and its training defaults, for the page's menus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PresetInfo {
    /// Name used in `TrainSettings::arch`.
    pub name: String,
    /// One-line description, in English.
    pub description: String,
    /// The same description in Korean (for the page's `?lang=ko`).
    pub description_ko: String,
    /// Default epochs.
    pub epochs: usize,
    /// Default batch size.
    pub batch_size: usize,
    /// Default learning rate.
    pub learning_rate: f32,
}

/// A trained (or imported) model in a slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelInfo {
    /// Its slot.
    pub slot: Slot,
    /// The dataset it fits.
    pub dataset: String,
    /// Preset name, `custom` or `imported`.
    pub arch: String,
    /// Number of parameters.
    pub params: usize,
    /// The defence it was trained with (`adv-trainer`, `madry-pgd`, `fast-fgsm`), if any.
    pub defence: Option<String>,
    /// Clean test accuracy.
    pub test_accuracy: f32,
    /// Mean test cross-entropy.
    pub test_loss: f32,
    /// Test samples evaluated.
    pub test_samples: usize,
    /// Training samples used (0 for an imported model).
    pub train_samples: usize,
    /// Epochs trained (0 for an imported model).
    pub epochs: usize,
    /// The slot's defence stack (`{"pieces": []}` when none).
    pub stack: StackConfig,
    /// Clean test accuracy through the stack, on `stacked_test_samples` test samples; `None`
    /// when the stack is empty.
    pub stacked_test_accuracy: Option<f32>,
    /// Test samples `stacked_test_accuracy` was measured on.
    pub stacked_test_samples: usize,
    /// The slot's detector and its rates, when one was trained (or loaded with the file:
    /// then its rates are unknown and `None` here, `has_detector` true).
    pub detector: Option<DetectorReport>,
    /// Whether the slot has a detector.
    pub has_detector: bool,
}

/// Class scores of both models, `(N, C)` each; a slot without a fitting model is `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SlotScores {
    /// The undefended model's scores.
    pub undefended: Option<F32s>,
    /// The defended model's scores.
    pub defended: Option<F32s>,
}

/// Samples and what both models say about them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictionResult {
    /// Each slot's detector score (probability of "adversarial") per sample, for the slots
    /// with a detector.
    pub detector: SlotDetector,
    /// The samples as the models see them, `(n, D)` (a drawing comes back digitised to 28x28).
    pub x: F32s,
    /// Number of samples.
    pub n: usize,
    /// True labels, when known.
    pub labels: Option<Vec<usize>>,
    /// Test index of the first sample, when it came from the test set.
    pub index: Option<usize>,
    /// Class scores.
    pub scores: SlotScores,
}

/// Every iteration of an iterative attack on the first sample. Frame 0 is the clean sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttackTrace {
    /// Number of frames (the clean sample, then the iterations recorded).
    pub frames: usize,
    /// The sample at each frame, `(frames, D)`.
    pub x: F32s,
    /// Scores of both models at each frame, `(frames, C)`.
    pub scores: SlotScores,
    /// The perturbation's L0, L2 and L-inf at each frame (`frames` values each).
    pub norms: PerturbationNorms,
}

/// What an attack did. The page reads `x`, `x_adv`, `d`, `labels`, `crafted_on`, `iterations`,
/// `norms`, `adv_scores` and `trace`; the per-model `undefended`/`defended` metrics (the transfer
/// setting) and `targets` are there for a results table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttackResult {
    /// The adaptive settings the attack used on the crafting slot's stack.
    pub adaptive: crate::defences::AdaptiveSettings,
    /// For each slot with a detector: its scores and flagged fractions on the clean and the
    /// adversarial samples.
    pub detector: Vec<DetectorOutcome>,
    /// The attack's name.
    pub attack: String,
    /// The model the examples were crafted on.
    pub crafted_on: Slot,
    /// Number of samples attacked.
    pub n: usize,
    /// Features per sample.
    pub d: usize,
    /// Labels used for the metrics: the true labels, or the crafted-on model's clean predictions.
    pub labels: Vec<usize>,
    /// Target classes, for targeted attacks.
    pub targets: Option<Vec<usize>>,
    /// Clean samples `(n, D)`; only when `n <= 64`, else empty.
    pub x: F32s,
    /// Adversarial samples `(n, D)`; only when `n <= 64`, else empty.
    pub x_adv: F32s,
    /// Per-sample L0 (features changed by more than 1e-6), L2 and L-inf of `x_adv - x`.
    pub norms: PerturbationNorms,
    /// Iterations per sample.
    pub iterations: Vec<usize>,
    /// Model queries per sample, for the black-box attacks (Square, HopSkipJump), which count
    /// every sample they ask the model about; `None` for white-box attacks.
    pub queries: Option<Vec<usize>>,
    /// AutoAttack only: per sample, the first attack of the ensemble that fooled the crafted-on
    /// model within the budget (`apgd-ce`, `apgd-dlr`, `deepfool`, `square`), `misclassified`
    /// when the clean sample already was, `None` (JS: null) when it stayed robust.
    pub first_success: Option<Vec<Option<String>>>,
    /// Metrics of each model on the same adversarial examples (for the model they were not
    /// crafted on, this is the transfer setting).
    pub undefended: Option<AttackMetrics>,
    /// See `undefended`.
    pub defended: Option<AttackMetrics>,
    /// Scores on the adversarial samples; only when `n <= 64`.
    pub adv_scores: SlotScores,
    /// The iterations of the first sample, when asked for.
    pub trace: Option<AttackTrace>,
}

/// Queries a black-box attack job has made so far (in [`crate::protocol::Event::Progress`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QueryCount {
    /// Model queries over every sample so far (finished chunks and the running one).
    pub total: u64,
    /// The samples those queries were spent on (finished ones and those being attacked).
    pub samples: usize,
}

/// Where each model's attack moved the test points, in the two plotted features.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapArrows {
    /// The model the points were attacked on.
    pub slot: Slot,
    /// Adversarial positions `(N, 2)`.
    pub to: F32s,
    /// Whether the attack changed that model's prediction away from the true label.
    pub fooled: Vec<bool>,
}

/// The 2-D view of a feature-vector dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapResult {
    /// The two plotted features.
    pub features: [usize; 2],
    /// Range of the x axis.
    pub x_range: (f32, f32),
    /// Range of the y axis.
    pub y_range: (f32, f32),
    /// Cells per axis.
    pub resolution: usize,
    /// The values the other features are held at for the regions (their test-set means).
    pub fixed: Vec<f32>,
    /// Predicted class of each cell, row-major with row 0 at the lowest y, per model.
    pub undefended: Option<Bytes>,
    /// See `undefended`.
    pub defended: Option<Bytes>,
    /// Test points in the two features, `(N, 2)`.
    pub points: F32s,
    /// Their true labels.
    pub labels: Vec<usize>,
    /// Attacked points, per model.
    pub arrows: Vec<MapArrows>,
}

/// One curve of a robustness sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepSeries {
    /// The model.
    pub slot: Slot,
    /// `none` (the naive attack on the slot's stack), `bpda` or `eot` (`compare_adaptive`).
    pub adaptive: String,
    /// The attack run: the swept one, or a gradient-masking check's (`pgd` beside FGSM or
    /// Square, `square` beside FGSM, PGD or APGD).
    pub attack: String,
    /// The model that reads the examples crafted on `slot` (the transfer setting), when not
    /// `slot` itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_by: Option<Slot>,
    /// Accuracy on the clean samples (of the reading model): the curve's point at 0.
    pub clean_accuracy: f32,
    /// Accuracy at each value.
    pub accuracy: Vec<f32>,
    /// Success rate at each value.
    pub success_rate: Vec<f32>,
    /// Mean L-inf perturbation at each value.
    pub linf_mean: Vec<f32>,
    /// Mean L2 perturbation at each value.
    pub l2_mean: Vec<f32>,
}

/// A robustness curve for both models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepResult {
    /// The swept parameter.
    pub param: String,
    /// Its values.
    pub values: Vec<f32>,
    /// Samples per point.
    pub n: usize,
    /// The curves.
    pub series: Vec<SweepSeries>,
    /// Set when a model may mask its gradients: it looks robust to FGSM but is much weaker under
    /// PGD, or a white-box attack finds it more robust than the black-box Square does.
    pub warning: Option<String>,
    /// The same warning in Korean (for the page's `?lang=ko`); `None` exactly when `warning` is.
    pub warning_ko: Option<String>,
}

/// A model file for download, or uploaded bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelBytes {
    /// Suggested file name.
    pub filename: String,
    /// The `.safetensors` bytes.
    pub bytes: Bytes,
}

/// Each slot's detector scores, for the slots with a detector.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SlotDetector {
    /// The undefended slot's scores, one per sample.
    pub undefended: Option<Vec<f32>>,
    /// The defended slot's scores, one per sample.
    pub defended: Option<Vec<f32>>,
}

/// What one slot's detector says about an attack's clean and adversarial samples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectorOutcome {
    /// The slot.
    pub slot: Slot,
    /// Fraction of clean samples flagged (false positives).
    pub clean_flagged: f32,
    /// Fraction of adversarial samples flagged (detections).
    pub adversarial_flagged: f32,
    /// Fraction of samples whose adversarial version fools this slot's model and is not
    /// flagged: what the attacker really wins against model and detector together.
    pub fooled_undetected: f32,
    /// The flagging threshold.
    pub threshold: f32,
    /// Scores of the clean samples (empty above the detail limit).
    pub clean_scores: Vec<f32>,
    /// Scores of the adversarial samples (empty above the detail limit).
    pub adversarial_scores: Vec<f32>,
}

/// One worker's share of a split attack ([`super::requests::Parts`]): what the coordinator
/// needs to finish the whole result as if it had attacked these rows itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttackPart {
    /// The part's index (1 or more: part 0 is the coordinator's own).
    pub index: usize,
    /// The adversarial rows, `(rows, d)` row-major.
    pub x_adv: F32s,
    /// Iterations per row.
    pub iterations: Vec<usize>,
    /// Model queries per row (black-box attacks).
    #[serde(default)]
    pub queries: Option<Vec<usize>>,
    /// AutoAttack: the attack that fooled each row first.
    #[serde(default)]
    pub first_success: Option<Vec<Option<String>>>,
    /// Each slot's predicted classes on the part's clean and adversarial rows.
    pub predictions: Vec<PartPredictions>,
}

/// One slot's predictions on a part's rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartPredictions {
    /// The model.
    pub slot: Slot,
    /// Predicted classes of the clean rows.
    pub clean: Vec<usize>,
    /// Predicted classes of the adversarial rows.
    pub adversarial: Vec<usize>,
}

/// One worker's points of a split sweep (`Parts` on a `Sweep` request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPart {
    /// The part's index (1 or more).
    pub index: usize,
    /// Its points: `(series, value index, point)`, series counted in the result's order.
    pub points: Vec<(usize, usize, crate::defences::SweepPoint)>,
}

/// One worker's gradient of one batch in data-parallel training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartGradient {
    /// The batch: batches trained before it, counted from the start of the job.
    pub step: u64,
    /// The worker's part.
    pub part: usize,
    /// Every parameter's gradient over the part's rows, divided by the batch's rows.
    pub values: F32s,
    /// Summed data loss over the part's rows.
    pub loss_sum: f64,
    /// Correctly classified rows.
    pub hits: f64,
    /// Rows of the part.
    pub rows: usize,
}
