//! [`ParamError`]: why a parameter was refused, with its name and the value as given, so that the
//! CLI prints it as one line and the page shows it next to the field.

/// A parameter the CLI or the worker refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// A value outside its kind: `invalid parameter eps = NaN: must be a number from 0 to 1000`.
    #[error("invalid parameter {name} = {value}: {reason}")]
    Invalid {
        /// The parameter's name (`eps_step`, `epochs`).
        name: String,
        /// The value as given (numbers as written, strings quoted and shortened).
        value: String,
        /// What it should have been (`must be ...`).
        reason: String,
    },
    /// A name the group does not have.
    #[error("{group} has no parameter {name:?}; its parameters are {known}")]
    Unknown {
        /// The group (`fgsm`, `training`).
        group: String,
        /// The unknown name (shortened).
        name: String,
        /// The group's parameters, comma-separated.
        known: String,
    },
    /// The group's settings are not an object.
    #[error("the {group} settings must be an object, got {value}")]
    NotAnObject {
        /// The group.
        group: String,
        /// What was given instead.
        value: String,
    },
}

impl ParamError {
    /// An [`ParamError::Invalid`] with a reason of its own (constraints between fields, values
    /// checked against data).
    pub fn invalid(
        name: impl Into<String>,
        value: impl std::fmt::Display,
        reason: impl Into<String>,
    ) -> ParamError {
        ParamError::Invalid {
            name: name.into(),
            value: super::Raw::clip(&value.to_string(), 60),
            reason: reason.into(),
        }
    }

    /// The parameter the error is about (the page shows the message next to that field).
    pub fn field(&self) -> Option<&str> {
        match self {
            ParamError::Invalid { name, .. } | ParamError::Unknown { name, .. } => Some(name),
            ParamError::NotAnObject { group, .. } => Some(group),
        }
    }
}
