//! Errors raised by the attacks: invalid parameters and inputs that do not fit the classifier.
//!
//! Main type: [`AttackError`]. Every message names the offending value so a UI can show it as is.

use crate::classifier::SampleError;
use crate::params::ParamError;

/// Why an attack refused to run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AttackError {
    /// A parameter is outside its valid range.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// The samples do not have the classifier's number of features.
    #[error("samples have {got} features but the classifier expects {expected}")]
    FeatureMismatch {
        /// Features of one sample for the classifier.
        expected: usize,
        /// Columns of the given batch.
        got: usize,
    },
    /// A sample is not finite or lies outside the classifier's clip values.
    #[error("input {0}")]
    Sample(#[from] SampleError),
    /// The label slice does not have one entry per sample.
    #[error("got {got} labels for {expected} samples")]
    LabelCount {
        /// Number of samples.
        expected: usize,
        /// Number of labels given.
        got: usize,
    },
    /// A label is not a class of the classifier.
    #[error(
        "label {label} of sample {index} is out of range (the classifier has {nb_classes} classes)"
    )]
    LabelOutOfRange {
        /// Index of the sample.
        index: usize,
        /// The offending label.
        label: usize,
        /// Number of classes of the classifier.
        nb_classes: usize,
    },
    /// A targeted attack was started without target classes.
    #[error("the targeted attack `{attack}` needs target classes `y`")]
    TargetsRequired {
        /// Name of the attack.
        attack: &'static str,
    },
    /// Random target classes need at least two classes.
    #[error("cannot draw a wrong target class: the classifier has {nb_classes} class(es)")]
    TooFewClasses {
        /// Number of classes of the classifier.
        nb_classes: usize,
    },
    /// The attack's loss needs more classes than the classifier has (DLR compares three logits).
    #[error("{attack} needs a classifier with at least {need} classes, this one has {nb_classes}")]
    NeedsClasses {
        /// The attack (and loss).
        attack: &'static str,
        /// Classes it needs.
        need: usize,
        /// Classes of the classifier.
        nb_classes: usize,
    },
    /// The classifier's clip values are not an ordered finite range.
    #[error("invalid clip values ({min}, {max}) of the classifier")]
    InvalidClipValues {
        /// Lower bound.
        min: f32,
        /// Upper bound.
        max: f32,
    },
}

impl AttackError {
    /// The parameter the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AttackError::Param(p) => p.field(),
            AttackError::LabelCount { .. } | AttackError::LabelOutOfRange { .. } => Some("y"),
            AttackError::TargetsRequired { .. } => Some("targets"),
            _ => None,
        }
    }
}

impl AttackError {
    /// `Ok` when a classifier with `nb_classes` classes is enough for `attack`, which needs `need`.
    pub fn need_classes(
        attack: &'static str,
        need: usize,
        nb_classes: usize,
    ) -> Result<(), AttackError> {
        if nb_classes < need {
            return Err(AttackError::NeedsClasses {
                attack,
                need,
                nb_classes,
            });
        }
        Ok(())
    }
}
