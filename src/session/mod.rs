//! The worker's state and the code that answers the protocol's requests, in plain Rust.
//!
//! Main types: [`Session`] (datasets and model slots in a [`Store`], and at most one running
//! job), [`SessionError`]. The wasm shell owns one `Session`: it passes every request to
//! [`Session::handle`] and, while [`Session::busy`], calls [`Session::tick`] in time slices,
//! yielding to the JS event loop in between so that a `Cancel` arrives while a job runs.
//!
//! Files: `store.rs` (datasets, slots, scoring), `samples.rs` (checked sample matrices),
//! `train_job.rs`, `attack_job.rs`, `sweep_job.rs` (the resumable jobs), `predict.rs` (quick
//! requests: predictions, decision maps), `error.rs`.

mod attack_job;
mod error;
mod own_data;
mod predict;
mod samples;
mod stack_job;
mod store;
mod sweep_job;
mod trace;
mod train_job;

#[cfg(test)]
mod tests;

pub use attack_job::AttackJob;
pub use error::SessionError;
pub use stack_job::{DetectorJob, STACK_EVAL_SAMPLES};
pub use store::{dataset_files, dataset_info, decode_dataset, ModelEntry, Store};
pub use sweep_job::{masking_warning, SweepJob, BLACKBOX_GAP, MASKING_GAP};
pub use train_job::TrainJob;

use crate::defences::stack::file::{load_stacked, save_stacked};
use crate::lang::{text, Text};
use crate::protocol::{Event, ModelBytes, ModelInfo, ModelOrigin, Request, Slot};

/// A long request in progress.
#[derive(Debug)]
enum Job {
    Train(Box<TrainJob>),
    Attack(Box<AttackJob>),
    Sweep(Box<SweepJob>),
    Detector(Box<DetectorJob>),
}

impl Job {
    fn attack(&mut self) -> Option<&mut AttackJob> {
        match self {
            Job::Attack(j) => Some(j),
            _ => None,
        }
    }

    fn train(&mut self) -> Option<&mut TrainJob> {
        match self {
            Job::Train(j) => Some(j),
            _ => None,
        }
    }

    fn sweep(&mut self) -> Option<&mut SweepJob> {
        match self {
            Job::Sweep(j) => Some(j),
            _ => None,
        }
    }
}

/// The worker's state (see the module documentation).
#[derive(Debug, Default)]
pub struct Session {
    store: Store,
    job: Option<(u32, Job)>,
}

impl Session {
    /// A fresh session with no datasets or models.
    pub fn new() -> Session {
        Session::default()
    }

    /// The datasets and models.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Handles one request, returning the events it produces at once. Errors become an
    /// [`Event::Error`] naming the request and, when there is one, the parameter to blame.
    pub fn handle(&mut self, request: Request) -> Vec<Event> {
        let id = request.id();
        match self.dispatch(request) {
            Ok(events) => events,
            Err(e) => vec![Event::error(Some(id), Text::of(&e), e.field())],
        }
    }

    fn dispatch(&mut self, request: Request) -> Result<Vec<Event>, SessionError> {
        let one = |e: Event| Ok(vec![e]);
        match request {
            Request::Hello { id } => one(Event::Ready {
                id: Some(id),
                version: crate::VERSION.into(),
            }),
            Request::DebugPanic { id } => panic!("deliberate panic for request {id}"),
            Request::LoadDataset {
                id,
                dataset,
                files,
                image_size,
            } => {
                let ds = own_data::any_dataset(&dataset, &files, image_size.as_deref())?;
                let info = dataset_info(&ds);
                self.store.datasets.insert(dataset, ds);
                one(Event::DatasetLoaded {
                    id,
                    info: Box::new(info),
                })
            }
            Request::Cancel { id } => Ok(self.cancel(id)),
            Request::Train {
                id,
                slot,
                settings,
                parts,
            } => {
                self.check_idle()?;
                let job = TrainJob::new(id, slot, settings, parts, &self.store)?;
                self.start(id, Job::Train(Box::new(job)))
            }
            Request::Attack { id, settings } => {
                self.check_idle()?;
                let job = AttackJob::new(id, settings, &self.store)?;
                self.start(id, Job::Attack(Box::new(job)))
            }
            Request::AttackPart { job, part, .. } => {
                self.running(job, text!("split attack", "나눈 공격"), Job::attack)?
                    .add_part(&part)?;
                Ok(Vec::new())
            }
            Request::Gradient { job, gradient, .. } => {
                let what = text!("data-parallel training", "데이터 병렬 학습");
                let train = self.running(job, what, Job::train)?;
                train.add_gradient(&gradient)?;
                Ok(Vec::new())
            }
            Request::SweepPart { job, part, .. } => {
                self.running(job, text!("split sweep", "나눈 강건성 곡선"), Job::sweep)?
                    .add_part(&part)?;
                Ok(Vec::new())
            }
            Request::Sweep {
                id,
                settings,
                parts,
            } => {
                self.check_idle()?;
                let job = SweepJob::new(id, settings, parts, &self.store)?;
                self.start(id, Job::Sweep(Box::new(job)))
            }
            Request::Predict { id, dataset, input } => {
                let result = predict::predict(&self.store, &dataset, &input)?;
                one(Event::Prediction {
                    id,
                    result: Box::new(result),
                })
            }
            Request::Map { id, settings } => {
                let result = predict::decision_map(&self.store, &settings)?;
                one(Event::DecisionMap {
                    id,
                    result: Box::new(result),
                })
            }
            Request::ExportModel { id, slot } => {
                let entry = self.store.entry(slot).ok_or(SessionError::NoModel {
                    slot,
                    dataset: None,
                })?;
                let bytes = save_stacked(&entry.model, &entry.stack, entry.detector.as_ref())?;
                let filename = format!(
                    "advlab-{}-{}-{}.safetensors",
                    entry.info.dataset, entry.info.arch, slot
                );
                one(Event::ModelFile {
                    id,
                    slot,
                    file: ModelBytes {
                        filename,
                        bytes: bytes.into(),
                    },
                })
            }
            Request::ImportModel {
                id,
                slot,
                dataset,
                file,
                origin,
            } => {
                let model = self.import(slot, &dataset, &file, origin)?;
                one(Event::Trained { id, model })
            }
            Request::SetStack {
                id,
                slot,
                dataset,
                stack,
                remove_detector,
            } => {
                self.check_idle()?;
                let model =
                    stack_job::set_stack(&mut self.store, slot, &dataset, stack, remove_detector)?;
                one(Event::StackSet { id, model })
            }
            Request::TrainDetector {
                id,
                slot,
                dataset,
                settings,
            } => {
                self.check_idle()?;
                let job = DetectorJob::new(id, slot, &dataset, settings, &self.store)?;
                self.start(id, Job::Detector(Box::new(job)))
            }
        }
    }

    /// The running job with request id `job` when `pick` accepts its kind: where the other
    /// workers' parts of a split job go.
    fn running<'a, T: 'a>(
        &'a mut self,
        job: u32,
        what: Text,
        pick: impl FnOnce(&'a mut Job) -> Option<T>,
    ) -> Result<T, SessionError> {
        let found = match &mut self.job {
            Some((id, j)) if *id == job => pick(j),
            _ => None,
        };
        found.ok_or_else(|| {
            let (en, ko) = (what.en, what.ko);
            let why = text!(
                "no {en} with this id is running",
                "이 id로 실행 중인 {ko} 작업이 없습니다"
            );
            SessionError::invalid("job", job, why)
        })
    }

    fn check_idle(&self) -> Result<(), SessionError> {
        match &self.job {
            None => Ok(()),
            Some((_, Job::Train(_))) => Err(SessionError::Busy(text!("training", "학습"))),
            Some((_, Job::Attack(_))) => Err(SessionError::Busy(text!("an attack", "공격"))),
            Some((_, Job::Sweep(_))) => Err(SessionError::Busy(text!(
                "a robustness sweep",
                "강건성 곡선"
            ))),
            Some((_, Job::Detector(_))) => Err(SessionError::Busy(text!(
                "detector training",
                "탐지기 학습"
            ))),
        }
    }

    fn start(&mut self, id: u32, job: Job) -> Result<Vec<Event>, SessionError> {
        self.job = Some((id, job));
        Ok(vec![Event::Progress {
            id,
            phase: "start".into(),
            fraction: 0.0,
            train: None,
            test_accuracy: None,
            queries: None,
        }])
    }

    fn cancel(&mut self, by: u32) -> Vec<Event> {
        match self.job.take() {
            Some((id, _)) => vec![Event::Cancelled { id, by }],
            None => vec![Event::error(
                Some(by),
                text!(
                    "nothing to cancel: no job is running",
                    "취소할 것이 없습니다: 실행 중인 작업이 없습니다"
                ),
                None,
            )],
        }
    }

    fn import(
        &mut self,
        slot: Slot,
        dataset: &str,
        file: &ModelBytes,
        origin: Option<ModelOrigin>,
    ) -> Result<ModelInfo, SessionError> {
        let ds = self.store.dataset(dataset)?;
        let limit = crate::limits::MAX_MODEL_FILE_BYTES;
        if file.bytes.len() as u64 > limit {
            return Err(SessionError::invalid(
                "file",
                format!("{} bytes", file.bytes.len()),
                text!(
                    "a model file must be at most {limit} bytes",
                    "모델 파일은 {limit}바이트 이하여야 합니다"
                ),
            ));
        }
        let file = load_stacked(&file.bytes)?;
        let model = file.model;
        store::check_fits(&model, ds)?;
        let test = crate::evaluation::evaluate(&model, ds.x_test.view(), &ds.y_test)?;
        let origin = origin.unwrap_or(ModelOrigin {
            arch: "imported".into(),
            defence: None,
            epochs: 0,
            train_samples: 0,
        });
        let info = ModelInfo {
            slot,
            dataset: dataset.into(),
            arch: origin.arch,
            params: model.num_params(),
            defence: origin.defence,
            test_accuracy: test.accuracy,
            test_loss: test.loss,
            test_samples: test.samples,
            train_samples: origin.train_samples,
            epochs: origin.epochs,
            stack: Default::default(),
            stacked_test_accuracy: None,
            stacked_test_samples: 0,
            detector: None,
            has_detector: false,
        };
        let mut entry = ModelEntry {
            model,
            info,
            stack: file.stack,
            detector: file.detector,
        };
        stack_job::describe_stack(&mut entry, ds)?;
        let info = entry.info.clone();
        self.store.install(entry);
        Ok(info)
    }

    /// Whether a job is running and [`Session::tick`] should be called again (not while a split
    /// attack only waits for other workers' parts).
    pub fn busy(&self) -> bool {
        match &self.job {
            Some((_, Job::Attack(j))) => !j.waiting(),
            Some((_, Job::Sweep(j))) => !j.waiting(),
            Some((_, Job::Train(j))) => !j.waiting(),
            other => other.is_some(),
        }
    }

    /// Advances the running job until `out_of_time()` says the slice is used up, returning
    /// progress and result events. Does nothing when idle. A failing job ends with an error.
    pub fn tick(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> Vec<Event> {
        let Some((id, job)) = self.job.as_mut() else {
            return Vec::new();
        };
        let id = *id;
        let step = match job {
            Job::Train(j) => j.advance(&mut self.store, out_of_time),
            Job::Attack(j) => j.advance(out_of_time).map(|(e, done)| (vec![e], done)),
            Job::Sweep(j) => j.advance(out_of_time).map(|(e, done)| (vec![e], done)),
            Job::Detector(j) => j.advance(&mut self.store, out_of_time),
        };
        match step {
            Ok((events, done)) => {
                if done {
                    self.job = None;
                }
                events
            }
            Err(e) => {
                self.job = None;
                vec![Event::error(Some(id), Text::of(&e), e.field())]
            }
        }
    }
}
