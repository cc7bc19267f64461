//! The payloads of the requests that start work: training, attacks, decision maps and sweeps.
//!
//! Main types: [`Slot`], [`TrainSettings`], [`Samples`], [`AttackSettings`], [`MapSettings`],
//! [`SweepSettings`]. Field names follow ART where ART has a name (`eps`, `theta`, `max_iter`,
//! ...: they live inside [`AttackConfig`]); every optional field has a documented default.
//! [`TrainSettings`] and [`SweepSettings`] are described parameter groups (see
//! [`crate::params`]); the other numeric fields decode through [`fields`], so a value the worker
//! cannot read is a parameter error naming its field, never serde's internals.

use serde::{Deserialize, Serialize};

use super::arrays::F32s;
use crate::attacks::AttackConfig;
use crate::defences::{AdaptiveSettings, DefenceConfig};
use crate::described;
use crate::limits::{
    MAX_EPOCHS, MAX_REQUEST_SAMPLES, MAX_SAMPLE_LIMIT, MAX_SEED, MAX_SPEC_BYTES, MAX_SWEEP_VALUES,
    MAX_TRAIN_BATCH,
};
use crate::params::{CrossCheck, Kind, ParamError, ParamSpec, ParamValue, Raw};

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

/// A slot as a parameter (`start_from`).
impl ParamValue for Slot {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<Slot, ParamError> {
        match raw.as_str() {
            Some("undefended") => Ok(Slot::Undefended),
            Some("defended") => Ok(Slot::Defended),
            _ => Err(spec.invalid(raw.show())),
        }
    }

    fn check(&self, _: &ParamSpec) -> Result<(), ParamError> {
        Ok(())
    }
}

/// The slot as a message names it: `undefended` or `defended`, in Korean 방어하지 않은 or 방어한
/// (followed by "model" / 모델).
impl crate::lang::Bilingual for Slot {
    fn say(&self, lang: crate::lang::Lang) -> String {
        use crate::lang::Lang;
        match (self, lang) {
            (slot, Lang::En) => slot.name().to_string(),
            (Slot::Undefended, Lang::Ko) => "방어하지 않은".to_string(),
            (Slot::Defended, Lang::Ko) => "방어한".to_string(),
        }
    }
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

described! {
    /// How to train a model: the CLI's `train`/`defend` options as one object, described once
    /// (the catalog's `training` group).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct TrainSettings in "training" {
        dataset: String = String::new(), Kind::Text { max_len: 64 },
            "iris, mnist or fashion-mnist (must be loaded).",
            "iris, mnist, fashion-mnist 중 하나(먼저 불러와야 합니다).";
        arch: Option<String> = None, Kind::Text { max_len: MAX_SPEC_BYTES as usize },
            "A preset name or a JSON model spec (null: the dataset's default preset).",
            "프리셋 이름 또는 JSON 모델 명세(비워 두면 데이터셋의 기본 프리셋).";
        epochs: Option<usize> = None, Kind::int(1, MAX_EPOCHS),
            "Passes over the training set (null: the preset's).",
            "학습 세트를 도는 횟수(비워 두면 프리셋 값).";
        batch_size: Option<usize> = None, Kind::int(1, MAX_TRAIN_BATCH),
            "Samples per optimiser step (null: the preset's).",
            "옵티마이저가 한 걸음에 쓰는 샘플 수(비워 두면 프리셋 값).";
        learning_rate: Option<f32> = None, Kind::positive(1.0),
            "Adam's learning rate (null: the preset's).",
            "Adam의 학습률(비워 두면 프리셋 값).";
        seed: u64 = 0, Kind::int(0, MAX_SEED),
            "Seed of initialisation, dropout, shuffling and the defence's attacks.",
            "초기화, 드롭아웃, 섞기, 방어용 공격에 쓰는 시드.";
        train_limit: Option<usize> = None, Kind::int(1, MAX_SAMPLE_LIMIT),
            "Train on the first train_limit training samples (null: all).",
            "학습 샘플 중 앞의 train_limit개로 학습합니다(비워 두면 전부).";
        test_limit: Option<usize> = None, Kind::int(1, MAX_SAMPLE_LIMIT),
            "Measure accuracy on the first test_limit test samples (null: all).",
            "테스트 샘플 중 앞의 test_limit개로 정확도를 잽니다(비워 두면 전부).";
        target_accuracy: Option<f32> = None, Kind::positive(1.0),
            "Stop after the first epoch whose test accuracy reaches this fraction, measured after every epoch (null: train every epoch, measure once).",
            "에포크마다 테스트 정확도를 재어 이 비율에 처음 도달하면 멈춥니다(비워 두면 모든 에포크를 학습하고 끝에 한 번 잽니다).";
        defence: Option<DefenceConfig> = None, Kind::Defence,
            "Adversarial training (null: clean training).",
            "적대적 학습 설정(비워 두면 일반 학습).";
        start_from: Option<Slot> = None, Kind::Choice { choices: &["undefended", "defended"] },
            "Continue from the weights of the model in this slot (which must fit the dataset) instead of fresh ones, as ART's AdversarialTrainer.fit continues from the classifier it is given: fine-tuning an undefended model with an expensive defence. arch then only supplies the training defaults (epochs, batch size, learning rate); the optimiser starts afresh (null: fresh weights).",
            "새 가중치 대신 이 슬롯에 있는 모델(데이터셋에 맞아야 함)의 가중치에서 이어서 학습합니다. ART의 AdversarialTrainer.fit이 받은 분류기에서 이어 가는 것과 같으며, 방어 없이 학습한 모델을 비싼 방어로 미세 조정할 때 씁니다. 이때 arch는 학습 기본값(에포크, 배치 크기, 학습률)만 정하고 옵티마이저는 새로 시작합니다(비워 두면 새 가중치).";
    }
}

impl CrossCheck for TrainSettings {}

/// Which samples an attack or a prediction works on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Samples {
    /// `count` test samples starting at `start` (with their true labels).
    Test {
        /// First test index.
        #[serde(deserialize_with = "fields::start")]
        start: usize,
        /// Number of samples.
        #[serde(deserialize_with = "fields::count")]
        count: usize,
    },
    /// Samples given by the page, `(N, D)` row-major, with optional true labels.
    Given {
        /// The features.
        x: F32s,
        /// True labels, one per sample, if known (a drawing has none).
        #[serde(default, deserialize_with = "fields::labels")]
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
    #[serde(default, deserialize_with = "fields::targets")]
    pub targets: Option<Vec<usize>>,
    /// Seed of random starts and random targets.
    #[serde(default, deserialize_with = "fields::seed")]
    pub seed: u64,
    /// Record every iteration of the first sample (for stepping through an iterative attack).
    #[serde(default, deserialize_with = "fields::trace")]
    pub trace: bool,
    /// How the attack takes gradients through the crafting slot's defence stack (default:
    /// naive, `{"adaptive": "none"}`); see `docs/defences.md`.
    #[serde(default)]
    pub adaptive: Option<AdaptiveSettings>,
    /// This worker's share when the samples are split across several workers (`docs/workers.md`);
    /// `None` attacks every sample here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<Parts>,
}

/// An attack split across workers: the samples are cut into `count` consecutive parts
/// ([`Parts::rows`]) and every worker attacks one. Part 0 is the coordinator's: it attacks its
/// rows, takes in the others' `AttackPart` requests and answers with the whole `AttackDone`. Any
/// other part is attacked alone and answered with `AttackPartDone`. Part `k` draws its random
/// numbers from stream `k` of the attack's seed, so a seed and a worker count give one result, and
/// one part is exactly the unsplit attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parts {
    /// How many parts (workers).
    #[serde(deserialize_with = "fields::part_count")]
    pub count: usize,
    /// This worker's part, below `count`.
    #[serde(deserialize_with = "fields::part_index")]
    pub index: usize,
}

impl Parts {
    /// `parts`, checked (`index` below `count`), or the whole job on one worker when `None`.
    pub fn or_whole(parts: Option<Parts>) -> Result<Parts, crate::params::ParamError> {
        let parts = parts.unwrap_or(Parts { count: 1, index: 0 });
        if parts.index >= parts.count {
            return Err(crate::params::ParamError::invalid(
                "part_index",
                parts.index,
                crate::lang::text!(
                    "must be below part_count = {}",
                    "part_count = {}보다 작아야 합니다";
                    parts.count
                ),
            ));
        }
        Ok(parts)
    }

    /// The rows of part `k` of `count` among `n` samples: consecutive, in order, sizes differing by
    /// at most one.
    pub fn rows(count: usize, k: usize, n: usize) -> std::ops::Range<usize> {
        crate::train::part_rows(count, k, n)
    }
}

/// The IRIS 2-D view: decision regions over two features, and optionally attacked points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapSettings {
    /// The dataset (a 1-D feature vector dataset such as `iris`).
    pub dataset: String,
    /// The two features on the x and y axes.
    #[serde(deserialize_with = "fields::features")]
    pub features: [usize; 2],
    /// Cells per axis (default 60, at most 200).
    #[serde(default, deserialize_with = "fields::resolution")]
    pub resolution: Option<usize>,
    /// Attack every test point with this attack and draw arrows (crafted on each model in turn).
    #[serde(default)]
    pub attack: Option<AttackConfig>,
    /// Seed of the attack.
    #[serde(default, deserialize_with = "fields::seed")]
    pub seed: u64,
}

described! {
    /// A robustness curve: accuracy of both models as one attack parameter varies (the
    /// catalog's `sweep` group).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct SweepSettings in "sweep" {
        dataset: String = String::new(), Kind::Text { max_len: 64 },
            "The dataset whose test samples are attacked.",
            "테스트 샘플을 공격할 데이터셋.";
        attack: AttackConfig = AttackConfig::Fgsm(Default::default()), Kind::Attack,
            "The attack; param is set to each value in turn.",
            "사용할 공격. param을 값마다 차례로 바꿉니다.";
        param: String = "eps".into(), Kind::Text { max_len: 32 },
            "The numeric parameter to vary: eps, theta, max_iter, ...",
            "바꿔 가며 볼 수치 파라미터: eps, theta, max_iter 등.";
        values: Vec<f32> = vec![0.0, 0.05, 0.1, 0.2, 0.3], Kind::Values { max_len: MAX_SWEEP_VALUES },
            "Its values (whole numbers for whole-number parameters).",
            "그 값들(정수 파라미터는 정수로).";
        n: usize = 200, Kind::int(1, MAX_REQUEST_SAMPLES as u64),
            "Number of test samples, from the start of the test set.",
            "테스트 세트 앞에서부터 쓸 샘플 수.";
        seed: u64 = 0, Kind::int(0, MAX_SEED),
            "Seed of the attack's randomness.",
            "공격의 무작위성에 쓰는 시드.";
        pgd_check: bool = true, Kind::Bool,
            "For FGSM: also run PGD at each eps, to warn about gradient masking.",
            "FGSM일 때 eps마다 PGD도 실행해 그래디언트 마스킹을 경고합니다.";
        compare_adaptive: String = "none".into(), Kind::Choice { choices: &["none", "bpda", "eot"] },
            "Also run every curve with this adaptive attack on each model's defence stack (bpda or eot), beside the naive one: a defence that only hides gradients looks strong against the naive attack and fails against the adaptive one.",
            "각 모델의 방어 스택에 대해 이 적응형 공격(bpda 또는 eot)으로도 곡선을 그려 단순한 공격 곡선 옆에 둡니다. 그래디언트를 숨기기만 하는 방어는 단순한 공격에는 강해 보이지만 적응형 공격에는 무너집니다.";
        eot_samples: usize = 10, Kind::int(1, crate::limits::MAX_EOT_SAMPLES),
            "For compare_adaptive eot: random draws each gradient is averaged over.",
            "compare_adaptive가 eot일 때 그래디언트마다 평균을 내는 무작위 추출 횟수.";
        blackbox_check: bool = false, Kind::Bool,
            "For an eps curve of FGSM, PGD or APGD (L-inf or L2): also run the black-box Square attack at each eps (for a Square curve, PGD), to warn about gradient masking when an attack without gradients does better. Costs up to 200 queries per sample and value.",
            "FGSM, PGD, APGD(L-inf 또는 L2)의 eps 곡선에서 eps마다 블랙박스 Square 공격도 실행해(Square 곡선이면 PGD를 실행), 그래디언트 없는 공격이 더 잘 통하면 그래디언트 마스킹을 경고합니다. 샘플과 값마다 최대 200번 조회합니다.";
        transfer: bool = false, Kind::Bool,
            "With both models: also feed the defended model the examples crafted on the undefended one (the transfer setting, which the report measured).",
            "두 모델이 있을 때 방어 없는 모델에서 만든 적대적 예제를 방어 모델에도 넣어 봅니다(보고서가 잰 전이 설정).";
    }
}

impl CrossCheck for SweepSettings {}

/// Decoders of single protocol fields: a bad value is a parameter error naming the field.
pub mod fields {
    use crate::field_decoders;
    use crate::limits::{MAX_REQUEST_SAMPLES, MAX_SAMPLE_LIMIT, MAX_SEED};
    use crate::params::Kind;

    field_decoders! {
        /// A request's correlation id.
        pub fn id: u32 = Kind::int(0, u32::MAX as u64);
        /// A seed.
        pub fn seed: u64 = Kind::int(0, MAX_SEED);
        /// First test index.
        pub fn start: usize = Kind::int(0, MAX_SAMPLE_LIMIT);
        /// Number of samples.
        pub fn count: usize = Kind::int(1, MAX_REQUEST_SAMPLES as u64);
        /// A test index.
        pub fn index: Option<usize> = Kind::int(0, MAX_SAMPLE_LIMIT);
        /// True labels.
        pub fn labels: Option<Vec<usize>> = Kind::Classes;
        /// Target classes.
        pub fn targets: Option<Vec<usize>> = Kind::Classes;
        /// Whether to record a trace.
        pub fn trace: bool = Kind::Bool;
        /// Workers an attack is split across.
        pub fn part_count: usize = Kind::int(1, crate::limits::MAX_PARTS);
        /// One worker's part of a split attack.
        pub fn part_index: usize = Kind::int(0, crate::limits::MAX_PARTS - 1);
        /// Whether `SetStack` also removes the detector.
        pub fn remove_detector: bool = Kind::Bool;
        /// Map resolution.
        pub fn resolution: Option<usize> = Kind::int(2, 200);
        /// A canvas side in pixels.
        pub fn width: usize = Kind::int(1, 4096);
        /// A canvas side in pixels.
        pub fn height: usize = Kind::int(1, 4096);
        /// Epochs a stored model was trained for.
        pub fn epochs: usize = Kind::int(0, u32::MAX as u64);
        /// Training samples a stored model used.
        pub fn train_samples: usize = Kind::int(0, u32::MAX as u64);
    }

    /// The two features of a map.
    pub fn features<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[usize; 2], D::Error> {
        use crate::params::{decode::fail, Help, ParamError, ParamSpec, ParamValue, Raw};
        let raw = <Raw as serde::Deserialize>::deserialize(d)?;
        let spec = ParamSpec {
            name: "features",
            kind: Kind::Classes,
            optional: false,
            default: serde_json::Value::Null,
            help: Help { en: "", ko: "" },
        };
        let v = Vec::<usize>::from_raw(&raw, &spec).map_err(fail)?;
        match v[..] {
            [a, b] => Ok([a, b]),
            _ => Err(fail(ParamError::invalid(
                "features",
                raw.show(),
                crate::lang::text!("must be two feature indices", "특성 번호 두 개여야 합니다"),
            ))),
        }
    }
}
