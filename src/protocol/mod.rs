//! The worker protocol: one serde enum for requests (page → worker) and one for events
//! (worker → page). Both are plain Rust, tested natively; the wasm shell converts them with
//! serde-wasm-bindgen, and [`crate::session::Session`] answers them.
//!
//! Every request carries an `id`; every event that answers a request carries the same `id`, so
//! the page can tie a result or an error to the control that caused it. Long requests (`Train`,
//! `Attack`, `Sweep`) become jobs: they answer with `Progress` events, then one result event or
//! `Cancelled`; only one job runs at a time.
//!
//! Main types: [`Request`], [`Event`], the payloads in [`requests`] and [`results`], and the
//! array wrappers [`F32s`] and [`Bytes`] that cross as typed arrays. Requests decode through the
//! parameter descriptions ([`crate::params`]): a value that does not fit is a [`DecodeError`]
//! naming its field ([`parse_request`] here, the same decoder in the wasm shell), which the worker
//! answers with an `Error` event whose `field` is that parameter.

pub mod arrays;
pub mod requests;
pub mod results;

pub use arrays::{Bytes, F32s};
pub use requests::Parts;
pub use requests::{AttackSettings, MapSettings, Samples, Slot, SweepSettings, TrainSettings};
pub use results::{
    AttackPart, AttackResult, AttackTrace, DatasetInfo, DetectorOutcome, MapArrows, MapResult,
    ModelBytes, ModelInfo, PartGradient, PredictionResult, PresetInfo, QueryCount, SlotDetector,
    SlotScores, SweepPart, SweepResult, SweepSeries,
};

use crate::defences::{DetectorParams, DetectorReport, StackConfig};

use crate::lang::Text;
use serde::{Deserialize, Serialize};

pub use crate::params::decode::{decode_with, DecodeError};

/// A request from the page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Request {
    /// Ask the worker to say it is ready again (the worker also says so unasked at start).
    Hello {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
    },
    /// Deliberately panics inside the worker. Exists so that tests can prove a panic comes back
    /// as an [`Event::Error`] and that the worker recovers; the page never sends it.
    DebugPanic {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
    },
    /// Decode a dataset from its files (the worker script fetches them, in the order of
    /// [`crate::session::dataset_files`]). Answered by `DatasetLoaded`.
    LoadDataset {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// `iris`, `mnist` or `fashion-mnist`; or, from files the user picked, `cifar10` (its
        /// `.tar.gz`, or its batch files) or `images` (a `.zip` of class folders).
        dataset: String,
        /// The files' bytes.
        files: Vec<Bytes>,
        /// `images` only: `grey28` or `colour32` (the default).
        #[serde(default)]
        image_size: Option<String>,
    },
    /// Train a model into a slot (a job). Answered by `Progress` events, then `Trained`.
    Train {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// Where the model goes once trained (the old model stays until then).
        slot: Slot,
        /// What to train and how.
        settings: TrainSettings,
        /// Data-parallel training across workers (`docs/workers.md`): every worker trains the same
        /// model on its rows of each batch and sends its gradient (`Gradient` events), which the
        /// page passes on to the others (`Gradient` requests). Part 0 evaluates and puts the model
        /// into its slot; the others train until cancelled. A defence crafts each part's rows on
        /// that part's worker.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parts: Option<Parts>,
    },
    /// Another worker's gradient for batch `step` of the running data-parallel training `job`.
    /// Answered only by an `Error` when it does not fit.
    Gradient {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// The `Train` request id of the worker it is for.
        #[serde(deserialize_with = "requests::fields::id")]
        job: u32,
        /// The gradient.
        gradient: Box<PartGradient>,
    },
    /// Stop the running job. Answered by `Cancelled` with the job's id.
    Cancel {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
    },
    /// Class scores of both models on a drawing or on samples. Answered by `Prediction`.
    Predict {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// The dataset whose models answer.
        dataset: String,
        /// What to classify.
        input: PredictInput,
    },
    /// Attack samples (a job). Answered by `Progress` events, then `AttackDone`.
    Attack {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// The attack.
        settings: AttackSettings,
    },
    /// Another worker's part of the running split attack `job` (its `AttackPartDone`, passed on
    /// by the page). Answered only by an `Error` when it does not fit; the last part lets the job
    /// finish with `AttackDone`.
    AttackPart {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// The coordinator's `Attack` request id.
        #[serde(deserialize_with = "requests::fields::id")]
        job: u32,
        /// The part.
        part: Box<AttackPart>,
    },
    /// The 2-D decision-region view of a feature dataset. Answered by `DecisionMap`.
    Map {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// What to draw.
        settings: MapSettings,
    },
    /// A robustness curve (a job). Answered by `Progress` events, then `SweepDone`.
    Sweep {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// What to sweep.
        settings: SweepSettings,
        /// This worker's share when the sweep is split across workers: its points are the
        /// (series, value) pairs whose position, counted series by series, leaves remainder
        /// `index` when divided by `count` (`docs/workers.md`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parts: Option<Parts>,
    },
    /// Another worker's points of the running split sweep `job` (its `SweepPartDone`, passed on by
    /// the page). Answered only by an `Error` when they do not fit.
    SweepPart {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// The coordinator's `Sweep` request id.
        #[serde(deserialize_with = "requests::fields::id")]
        job: u32,
        /// The points.
        part: Box<SweepPart>,
    },
    /// The model in a slot as a `.safetensors` file. Answered by `ModelFile`.
    ExportModel {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// Which model.
        slot: Slot,
    },
    /// Put a `.safetensors` model into a slot. Answered by `Trained` (with the model's info).
    ImportModel {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// Where it goes.
        slot: Slot,
        /// The loaded dataset it must fit (its test accuracy is reported).
        dataset: String,
        /// The file.
        file: ModelBytes,
        /// How the model was made, when the page knows (a model restored from the browser's
        /// storage); an uploaded file is reported as `imported`.
        #[serde(default)]
        origin: Option<ModelOrigin>,
    },
    /// Put a defence stack (pre- and post-processors) on the model in a slot; predictions,
    /// attacks, curves and maps then go through it. Answered by `StackSet`.
    SetStack {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// Which model.
        slot: Slot,
        /// The loaded dataset the model belongs to (its test samples measure the stack).
        dataset: String,
        /// The pieces, `{"pieces": [{"method": "feature-squeezing", "bit_depth": 1}, ...]}`.
        stack: StackConfig,
        /// Also remove the slot's detector.
        #[serde(default, deserialize_with = "requests::fields::remove_detector")]
        remove_detector: bool,
    },
    /// Train a BinaryInputDetector for the model in a slot (a job): adversarial inputs are
    /// crafted on the slot's model with its stack. Answered by `Progress` events (phases
    /// `craft-train`, `train-detector`, `craft-test`), then `DetectorTrained`.
    TrainDetector {
        /// Correlation id.
        #[serde(deserialize_with = "requests::fields::id")]
        id: u32,
        /// Which model.
        slot: Slot,
        /// The loaded dataset.
        dataset: String,
        /// The detector and its training (the catalog's `binary-input-detector` group).
        settings: DetectorParams,
    },
}

/// How a stored model was trained, kept by the page beside its file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelOrigin {
    /// Preset name or `custom`.
    pub arch: String,
    /// The defence it was trained with, if any.
    #[serde(default)]
    pub defence: Option<String>,
    /// Epochs trained.
    #[serde(default, deserialize_with = "requests::fields::epochs")]
    pub epochs: usize,
    /// Training samples used.
    #[serde(default, deserialize_with = "requests::fields::train_samples")]
    pub train_samples: usize,
}

/// What a `Predict` request classifies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum PredictInput {
    /// A hand drawing: ink intensities in `[0, 255]`, `width * height` bytes, row-major. It is
    /// digitised the MNIST way (crop, scale into 20x20, centre of mass at the centre).
    Drawing {
        /// Canvas width in pixels.
        #[serde(deserialize_with = "requests::fields::width")]
        width: usize,
        /// Canvas height in pixels.
        #[serde(deserialize_with = "requests::fields::height")]
        height: usize,
        /// Ink per pixel (the canvas alpha channel).
        ink: Bytes,
    },
    /// One test sample: `index`, or a random one drawn from `seed` when absent.
    Test {
        /// First test index; `None` picks one at random.
        #[serde(default, deserialize_with = "requests::fields::index")]
        index: Option<usize>,
        /// Seed for the random pick.
        #[serde(default, deserialize_with = "requests::fields::seed")]
        seed: u64,
    },
    /// Samples given by the page, `(N, D)`.
    Given {
        /// The features.
        x: F32s,
    },
}

/// An event from the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Event {
    /// The wasm module is loaded and the worker accepts requests.
    Ready {
        /// The `Hello` this answers; `None` when the worker announces itself at start.
        id: Option<u32>,
        /// advlab's version.
        version: String,
    },
    /// A request failed; the worker keeps running and keeps its datasets and models.
    Error {
        /// The id of the failed request, if it could be read.
        id: Option<u32>,
        /// A readable reason, in English.
        message: String,
        /// The same reason in Korean (for the page's `?lang=ko`).
        ko: String,
        /// The parameter that caused it (`eps`, `epochs`, ...), so the page can show the
        /// message next to that control.
        field: Option<String>,
    },
    /// A dataset is decoded and kept in the worker.
    DatasetLoaded {
        /// Correlation id.
        id: u32,
        /// Its description.
        info: Box<DatasetInfo>,
    },
    /// A job advanced (at least five times a second while it runs).
    Progress {
        /// The job's id.
        id: u32,
        /// `train`, `evaluate`, `attack` or `sweep`.
        phase: String,
        /// Fraction of the whole job done, in `[0, 1]`.
        fraction: f32,
        /// Training details during the `train` phase.
        train: Option<crate::train::Progress>,
        /// Test accuracy after the latest epoch, when training measures it every epoch.
        test_accuracy: Option<f32>,
        /// Model queries so far, while a black-box attack (Square, HopSkipJump) runs in an
        /// `attack` job: the page's query counter. `None` otherwise.
        queries: Option<QueryCount>,
    },
    /// A model is in its slot (after training or import).
    Trained {
        /// Correlation id.
        id: u32,
        /// The model.
        model: ModelInfo,
    },
    /// The running job stopped on request; nothing it had not finished was kept.
    Cancelled {
        /// The cancelled job's id.
        id: u32,
        /// The `Cancel` request's id.
        by: u32,
    },
    /// Class scores.
    Prediction {
        /// Correlation id.
        id: u32,
        /// The result.
        result: Box<PredictionResult>,
    },
    /// An attack finished.
    AttackDone {
        /// Correlation id.
        id: u32,
        /// The result.
        result: Box<AttackResult>,
    },
    /// A worker's part of a split attack is done (`Parts` with an index above 0): the page passes
    /// it on to the coordinator as an `AttackPart` request.
    AttackPartDone {
        /// Correlation id.
        id: u32,
        /// The part.
        part: Box<AttackPart>,
    },
    /// A worker's gradient of one batch in data-parallel training: the page passes it on to the
    /// other workers as `Gradient` requests.
    Gradient {
        /// Correlation id (the worker's `Train` request).
        id: u32,
        /// The gradient.
        gradient: Box<PartGradient>,
    },
    /// A worker's points of a split sweep are done: the page passes them on as a `SweepPart`.
    SweepPartDone {
        /// Correlation id.
        id: u32,
        /// The points.
        part: Box<SweepPart>,
    },
    /// The decision-region view.
    DecisionMap {
        /// Correlation id.
        id: u32,
        /// The result.
        result: Box<MapResult>,
    },
    /// A robustness sweep finished.
    SweepDone {
        /// Correlation id.
        id: u32,
        /// The result.
        result: Box<SweepResult>,
    },
    /// A slot's stack was set (`SetStack`).
    StackSet {
        /// Correlation id.
        id: u32,
        /// The model, with its stack and the clean accuracy through it.
        model: ModelInfo,
    },
    /// A detector was trained and put on its slot.
    DetectorTrained {
        /// Correlation id.
        id: u32,
        /// The model, with its detector.
        model: ModelInfo,
        /// The detection and false-positive rates on the test samples.
        report: DetectorReport,
    },
    /// A model file to download.
    ModelFile {
        /// Correlation id.
        id: u32,
        /// Which model.
        slot: Slot,
        /// The file.
        file: ModelBytes,
    },
}

impl Event {
    /// An error answering request `id`, optionally about one parameter, with its message in
    /// English (`message`) and Korean (`ko`).
    pub fn error(id: Option<u32>, message: Text, field: Option<String>) -> Event {
        Event::Error {
            id,
            message: message.en,
            ko: message.ko,
            field,
        }
    }
}

impl Request {
    /// The request's correlation id.
    pub fn id(&self) -> u32 {
        match self {
            Request::Hello { id }
            | Request::DebugPanic { id }
            | Request::LoadDataset { id, .. }
            | Request::Train { id, .. }
            | Request::Cancel { id }
            | Request::Predict { id, .. }
            | Request::Attack { id, .. }
            | Request::AttackPart { id, .. }
            | Request::Map { id, .. }
            | Request::Sweep { id, .. }
            | Request::Gradient { id, .. }
            | Request::SweepPart { id, .. }
            | Request::ExportModel { id, .. }
            | Request::ImportModel { id, .. }
            | Request::SetStack { id, .. }
            | Request::TrainDetector { id, .. } => *id,
        }
    }
}

/// Parses a request from JSON text, or explains why it is not one: a value that does not decode
/// is a [`DecodeError::Param`] naming its field (what the worker reports as `Error.field`).
pub fn parse_request(text: &str) -> Result<Request, DecodeError> {
    decode_with(|| serde_json::from_str::<Request>(text))
}

#[cfg(test)]
mod tests;
