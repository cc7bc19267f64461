//! Errors raised by the defences and the robustness sweep.
//!
//! Main type: [`DefenceError`]. Like the attacks' errors, every message names the offending value.

use crate::attacks::AttackError;

/// Why a defence or a sweep refused to run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DefenceError {
    /// A parameter is outside its valid range.
    #[error("invalid parameter `{name}` = {value}: {reason}")]
    InvalidParam {
        /// The parameter's name, as in ART where ART has it.
        name: &'static str,
        /// The rejected value, formatted.
        value: String,
        /// What the value should have been.
        reason: &'static str,
    },
    /// ART refuses adversarial training with targeted attacks, and so do we.
    #[error("adversarial training with the targeted attack `{attack}` is not supported (ART refuses it too); set targeted to false")]
    TargetedAttack {
        /// Name of the attack.
        attack: &'static str,
    },
    /// The sweep's parameter is not a numeric parameter of the attack.
    #[error("the attack `{attack}` has no numeric parameter `{param}`; it has: {known}")]
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
}

impl DefenceError {
    /// An [`DefenceError::InvalidParam`] with the value formatted.
    pub fn invalid(
        name: &'static str,
        value: impl std::fmt::Display,
        reason: &'static str,
    ) -> Self {
        DefenceError::InvalidParam {
            name,
            value: value.to_string(),
            reason,
        }
    }
}
