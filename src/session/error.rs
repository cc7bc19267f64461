//! Why a request failed, with the parameter to blame when there is one.
//!
//! Main type: [`SessionError`]; [`SessionError::field`] names the control the page should show
//! the message next to.

use crate::attacks::AttackError;
use crate::classifier::{NonFiniteOutput, SampleError};
use crate::data::DataError;
use crate::defences::DefenceError;
use crate::lang::{say, Bilingual, Lang, Text};
use crate::nn::file::ModelFileError;
use crate::nn::presets::PresetError;
use crate::nn::NnError;
use crate::params::ParamError;
use crate::protocol::Slot;
use crate::train::TrainError;

/// A request the session could not carry out.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The dataset name is not one the lab knows.
    UnknownDataset(String),
    /// The dataset has not been loaded into the worker.
    NotLoaded(String),
    /// The slot is empty, or holds a model for another dataset.
    NoModel {
        /// The slot asked for.
        slot: Slot,
        /// The dataset asked for; `None`: any dataset.
        dataset: Option<String>,
    },
    /// A job is running and this request would start another one (which job, in words).
    Busy(Text),
    /// A request field or parameter is out of range.
    Param(#[from] ParamError),
    /// Given samples are not finite or outside the dataset's range.
    Sample(#[from] SampleError),
    /// A model's computation overflowed, so its scores would be meaningless.
    NonFinite(#[from] NonFiniteOutput),
    /// Dataset files did not decode.
    Data(#[from] DataError),
    /// The architecture was rejected.
    Arch(#[from] PresetError),
    /// The model could not be built or configured.
    Model(#[from] NnError),
    /// A model file was rejected.
    ModelFile(#[from] ModelFileError),
    /// Training failed.
    Train(#[from] TrainError),
    /// An attack was rejected or failed.
    Attack(#[from] AttackError),
    /// A defence was rejected or failed.
    Defence(#[from] DefenceError),
}

impl Bilingual for SessionError {
    fn say(&self, lang: Lang) -> String {
        match self {
            SessionError::UnknownDataset(name) => say!(
                lang,
                "unknown dataset {name:?}; expected iris, mnist or fashion-mnist",
                "알 수 없는 데이터셋 {name:?}입니다. iris, mnist, fashion-mnist 중 하나여야 합니다"
            ),
            SessionError::NotLoaded(name) => say!(
                lang,
                "dataset {name} is not loaded yet",
                "데이터셋 {name}을(를) 아직 불러오지 않았습니다"
            ),
            SessionError::NoModel { slot, dataset } => {
                let slot = slot.say(lang);
                match dataset {
                    Some(dataset) => say!(
                        lang,
                        "there is no {slot} model for {dataset} yet: train or upload one first",
                        "{dataset}에 대한 {slot} 모델이 아직 없습니다. 먼저 학습하거나 올리세요"
                    ),
                    None => say!(
                        lang,
                        "there is no {slot} model for any dataset yet: train or upload one first",
                        "{slot} 모델이 아직 없습니다. 먼저 학습하거나 올리세요"
                    ),
                }
            }
            SessionError::Busy(job) => {
                let job = job.get(lang);
                say!(
                    lang,
                    "another job is running ({job}); wait for it or cancel it first",
                    "다른 작업이 실행 중입니다({job}). 끝나기를 기다리거나 먼저 취소하세요"
                )
            }
            SessionError::Param(e) => e.say(lang),
            SessionError::Sample(e) => {
                let e = e.say(lang);
                say!(lang, "x: {e}", "x: {e}")
            }
            SessionError::NonFinite(e) => e.say(lang),
            SessionError::Data(e) => {
                let e = e.say(lang);
                say!(
                    lang,
                    "cannot load the dataset: {e}",
                    "데이터셋을 불러올 수 없습니다: {e}"
                )
            }
            SessionError::Arch(e) => e.say(lang),
            SessionError::Model(e) => e.say(lang),
            SessionError::ModelFile(e) => {
                let e = e.say(lang);
                say!(lang, "model file: {e}", "모델 파일: {e}")
            }
            SessionError::Train(e) => e.say(lang),
            SessionError::Attack(e) => e.say(lang),
            SessionError::Defence(e) => e.say(lang),
        }
    }
}

crate::lang::english_display!(SessionError);

impl SessionError {
    /// A [`ParamError::Invalid`] about a request field, with its own reason in both languages.
    pub fn invalid(
        field: &'static str,
        value: impl std::fmt::Display,
        reason: Text,
    ) -> SessionError {
        SessionError::Param(ParamError::invalid(field, value, reason))
    }

    /// The request field or ART parameter the error is about, if any.
    pub fn field(&self) -> Option<String> {
        let name = match self {
            SessionError::Param(p) => p.field(),
            SessionError::Sample(_) => Some("x"),
            SessionError::Attack(a) => a.field(),
            SessionError::Defence(d) => d.field(),
            SessionError::Arch(_) => Some("arch"),
            SessionError::UnknownDataset(_) | SessionError::NotLoaded(_) => Some("dataset"),
            SessionError::ModelFile(_) => Some("file"),
            _ => None,
        };
        name.map(str::to_string)
    }
}
