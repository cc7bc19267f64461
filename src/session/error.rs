//! Why a request failed, with the parameter to blame when there is one.
//!
//! Main type: [`SessionError`]; [`SessionError::field`] names the control the page should show
//! the message next to.

use crate::attacks::AttackError;
use crate::classifier::{NonFiniteOutput, SampleError};
use crate::data::DataError;
use crate::defences::DefenceError;
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
    #[error("unknown dataset {0:?}; expected iris, mnist or fashion-mnist")]
    UnknownDataset(String),
    /// The dataset has not been loaded into the worker.
    #[error("dataset {0} is not loaded yet")]
    NotLoaded(String),
    /// The slot is empty, or holds a model for another dataset.
    #[error("there is no {slot} model for {dataset} yet: train or upload one first")]
    NoModel {
        /// The slot asked for.
        slot: Slot,
        /// The dataset asked for.
        dataset: String,
    },
    /// A job is running and this request would start another one.
    #[error("another job is running ({0}); wait for it or cancel it first")]
    Busy(&'static str),
    /// A request field or parameter is out of range.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// Given samples are not finite or outside the dataset's range.
    #[error("x: {0}")]
    Sample(#[from] SampleError),
    /// A model's computation overflowed, so its scores would be meaningless.
    #[error("{0}")]
    NonFinite(#[from] NonFiniteOutput),
    /// Dataset files did not decode.
    #[error("cannot load the dataset: {0}")]
    Data(#[from] DataError),
    /// The architecture was rejected.
    #[error("{0}")]
    Arch(#[from] PresetError),
    /// The model could not be built or configured.
    #[error("{0}")]
    Model(#[from] NnError),
    /// A model file was rejected.
    #[error("model file: {0}")]
    ModelFile(#[from] ModelFileError),
    /// Training failed.
    #[error("{0}")]
    Train(#[from] TrainError),
    /// An attack was rejected or failed.
    #[error("{0}")]
    Attack(#[from] AttackError),
    /// A defence was rejected or failed.
    #[error("{0}")]
    Defence(#[from] DefenceError),
}

impl SessionError {
    /// A [`ParamError::Invalid`] about a request field, with its own reason.
    pub fn invalid(
        field: &'static str,
        value: impl std::fmt::Display,
        reason: impl Into<String>,
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
