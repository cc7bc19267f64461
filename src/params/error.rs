//! [`ParamError`]: why a parameter was refused, with its name and the value as given, so that the
//! CLI prints it as one line and the page shows it next to the field (in English or Korean).

use crate::lang::{say, Bilingual, Lang, Text};

/// A parameter the CLI or the worker refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// A value outside its kind: `invalid parameter eps = NaN: must be a number from 0 to 1000`.
    Invalid {
        /// The parameter's name (`eps_step`, `epochs`).
        name: String,
        /// The value as given (numbers as written, strings quoted and shortened).
        value: String,
        /// What it should have been (`must be ...`), in both languages.
        reason: Text,
    },
    /// A name the group does not have.
    Unknown {
        /// The group (`fgsm`, `training`).
        group: String,
        /// The unknown name (shortened).
        name: String,
        /// The group's parameters, comma-separated.
        known: String,
    },
    /// The group's settings are not an object.
    NotAnObject {
        /// The group.
        group: String,
        /// What was given instead.
        value: String,
    },
}

impl Bilingual for ParamError {
    fn say(&self, lang: Lang) -> String {
        match self {
            ParamError::Invalid {
                name,
                value,
                reason,
            } => {
                let reason = reason.get(lang);
                say!(
                    lang,
                    "invalid parameter {name} = {value}: {reason}",
                    "잘못된 매개변수 {name} = {value}: {reason}"
                )
            }
            ParamError::Unknown { group, name, known } => say!(
                lang,
                "{group} has no parameter {name:?}; its parameters are {known}",
                "{group}에는 {name:?} 매개변수가 없습니다. 매개변수: {known}"
            ),
            ParamError::NotAnObject { group, value } => say!(
                lang,
                "the {group} settings must be an object, got {value}",
                "{group} 설정은 객체여야 합니다. 받은 값: {value}"
            ),
        }
    }
}

crate::lang::english_display!(ParamError);

impl ParamError {
    /// An [`ParamError::Invalid`] with a reason of its own (constraints between fields, values
    /// checked against data), written in both languages (`crate::lang::text!`).
    pub fn invalid(
        name: impl Into<String>,
        value: impl std::fmt::Display,
        reason: Text,
    ) -> ParamError {
        ParamError::Invalid {
            name: name.into(),
            value: super::Raw::clip(&value.to_string(), 60),
            reason,
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
