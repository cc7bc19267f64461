//! Errors raised by the attacks: invalid parameters and inputs that do not fit the classifier.
//!
//! Main type: [`AttackError`]. Every message names the offending value so a UI can show it as is.

/// Why an attack refused to run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AttackError {
    /// A parameter is outside its valid range.
    #[error("invalid parameter `{name}` = {value}: {reason}")]
    InvalidParam {
        /// ART's name of the parameter, e.g. `eps_step`.
        name: &'static str,
        /// The rejected value, formatted.
        value: String,
        /// What the value should have been.
        reason: &'static str,
    },
    /// The samples do not have the classifier's number of features.
    #[error("samples have {got} features but the classifier expects {expected}")]
    FeatureMismatch {
        /// Features of one sample for the classifier.
        expected: usize,
        /// Columns of the given batch.
        got: usize,
    },
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
    /// Shorthand for [`AttackError::InvalidParam`].
    pub fn invalid(
        name: &'static str,
        value: impl std::fmt::Display,
        reason: &'static str,
    ) -> Self {
        AttackError::InvalidParam {
            name,
            value: value.to_string(),
            reason,
        }
    }
}
