//! The payloads of the requests that start work: training, attacks, decision maps and sweeps.
//!
//! Main types: [`Slot`], [`TrainSettings`], [`Samples`], [`AttackSettings`], [`MapSettings`],
//! [`SweepSettings`]. Field names follow ART where ART has a name (`eps`, `theta`, `max_iter`,
//! ...: they live inside [`AttackConfig`]); every optional field has a documented default.

use serde::{Deserialize, Serialize};

use super::arrays::F32s;
use crate::attacks::AttackConfig;
use crate::defences::DefenceConfig;

/// The two model slots the lab compares side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Slot {
    /// Trained on clean data.
    Undefended,
    /// Trained with a defence.
    Defended,
}

impl Slot {
    /// Both slots, undefended first.
    pub const BOTH: [Slot; 2] = [Slot::Undefended, Slot::Defended];

    /// The slot's name as the page writes it.
    pub fn name(self) -> &'static str {
        match self {
            Slot::Undefended => "undefended",
            Slot::Defended => "defended",
        }
    }
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How to train a model: the CLI's `train`/`defend` options as one object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainSettings {
    /// `iris`, `mnist` or `fashion-mnist` (must be loaded).
    pub dataset: String,
    /// A preset name or a JSON model spec.
    pub arch: String,
    /// Epochs (default: the preset's).
    #[serde(default)]
    pub epochs: Option<usize>,
    /// Batch size (default: the preset's).
    #[serde(default)]
    pub batch_size: Option<usize>,
    /// Adam's learning rate (default: the preset's).
    #[serde(default)]
    pub learning_rate: Option<f32>,
    /// Seed of initialisation, dropout, shuffling and the defence's attacks.
    #[serde(default)]
    pub seed: u64,
    /// Train on the first `train_limit` training samples (default: all).
    #[serde(default)]
    pub train_limit: Option<usize>,
    /// Report accuracy on the first `test_limit` test samples (default: all).
    #[serde(default)]
    pub test_limit: Option<usize>,
    /// Stop after the first epoch whose test accuracy reaches this fraction (measured after every
    /// epoch); `None` trains all epochs and measures once at the end.
    #[serde(default)]
    pub target_accuracy: Option<f32>,
    /// Adversarial training; `None` trains on clean data.
    #[serde(default)]
    pub defence: Option<DefenceConfig>,
    /// Continue from the weights of the model in this slot (which must fit the dataset) instead of
    /// fresh ones, as ART's `AdversarialTrainer.fit` continues from the classifier it is given:
    /// fine-tuning an undefended model with an expensive defence. `arch` then only supplies the
    /// training defaults (epochs, batch size, learning rate); the optimiser starts afresh.
    #[serde(default)]
    pub start_from: Option<Slot>,
}

/// Which samples an attack or a prediction works on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Samples {
    /// `count` test samples starting at `start` (with their true labels).
    Test {
        /// First test index.
        start: usize,
        /// Number of samples.
        count: usize,
    },
    /// Samples given by the page, `(N, D)` row-major, with optional true labels.
    Given {
        /// The features.
        x: F32s,
        /// True labels, one per sample, if known (a drawing has none).
        #[serde(default)]
        labels: Option<Vec<usize>>,
    },
}

/// An attack on some samples of a loaded dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttackSettings {
    /// The dataset the samples belong to.
    pub dataset: String,
    /// The model the attack is crafted on (the other model is tested on the same examples:
    /// crafting on the undefended model and reading the defended one is the transfer setting).
    pub model: Slot,
    /// The samples.
    pub samples: Samples,
    /// The attack and its ART parameters.
    pub attack: AttackConfig,
    /// Target classes for targeted attacks (JSMA without targets picks random wrong classes).
    #[serde(default)]
    pub targets: Option<Vec<usize>>,
    /// Seed of random starts and random targets.
    #[serde(default)]
    pub seed: u64,
    /// Record every iteration of the first sample (for stepping through an iterative attack).
    #[serde(default)]
    pub trace: bool,
}

/// The IRIS 2-D view: decision regions over two features, and optionally attacked points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapSettings {
    /// The dataset (a 1-D feature vector dataset such as `iris`).
    pub dataset: String,
    /// The two features on the x and y axes.
    pub features: [usize; 2],
    /// Cells per axis (default 60, at most 200).
    #[serde(default)]
    pub resolution: Option<usize>,
    /// Attack every test point with this attack and draw arrows (crafted on each model in turn).
    #[serde(default)]
    pub attack: Option<AttackConfig>,
    /// Seed of the attack.
    #[serde(default)]
    pub seed: u64,
}

/// A robustness curve: accuracy of both models as one attack parameter varies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSettings {
    /// The dataset.
    pub dataset: String,
    /// The attack; `param` is set to each value in turn.
    pub attack: AttackConfig,
    /// The numeric parameter to vary: `eps`, `theta`, `max_iter`, ...
    pub param: String,
    /// Its values.
    pub values: Vec<f32>,
    /// Number of test samples (from the start of the test set).
    pub n: usize,
    /// Seed of the attack's randomness.
    #[serde(default)]
    pub seed: u64,
    /// For FGSM: also run PGD at each eps, to warn about gradient masking (default true).
    #[serde(default = "yes")]
    pub pgd_check: bool,
}

fn yes() -> bool {
    true
}
