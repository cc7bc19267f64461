//! Errors raised by the defences and the robustness sweep.
//!
//! Main type: [`DefenceError`]. Like the attacks' errors, every message names the offending value.

use crate::attacks::AttackError;
use crate::classifier::NonFiniteOutput;
use crate::params::ParamError;

/// Why a defence or a sweep refused to run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DefenceError {
    /// A parameter is outside its valid range.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// ART refuses adversarial training with targeted attacks, and so do we.
    #[error("adversarial training with the targeted attack `{attack}` is not supported (ART refuses it too); set targeted to false")]
    TargetedAttack {
        /// Name of the attack.
        attack: &'static str,
    },
    /// The sweep's parameter is not a numeric parameter of the attack.
    #[error("the attack `{attack}` has no numeric parameter {param:?}; it has: {known}")]
    UnknownParam {
        /// Name of the attack.
        attack: &'static str,
        /// The parameter asked for.
        param: String,
        /// The numeric parameters the attack has, comma-separated.
        known: String,
    },
    /// Crafting adversarial samples failed.
    #[error("attack failed: {0}")]
    Attack(#[from] AttackError),
    /// The model's computation overflowed on the samples.
    #[error("{0}")]
    NonFinite(#[from] NonFiniteOutput),
}

impl DefenceError {
    /// The parameter the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            DefenceError::Param(p) => p.field(),
            DefenceError::TargetedAttack { .. } => Some("targeted"),
            DefenceError::UnknownParam { .. } => Some("param"),
            DefenceError::Attack(a) => a.field(),
            DefenceError::NonFinite(_) => None,
        }
    }
}
