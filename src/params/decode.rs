//! Decoding requests so that a bad value comes back as a [`ParamError`] naming its field.
//!
//! serde reports a value it cannot decode as text without the field's name (`invalid value:
//! integer -5, expected usize`). Every described group and every numeric protocol field decodes
//! through [`ParamValue`](super::ParamValue) instead; when that fails, [`fail`] records the
//! [`ParamError`] here before handing serde its message, and the request decoder
//! ([`decode_with`]) returns the recorded error, so the page gets `field: "epochs"` and
//! `invalid parameter epochs = -5: must be a whole number from 1 to 1000`.
//!
//! The field decoders for protocol fields that are not in a described group (sample counts,
//! seeds, map resolution, ...) are declared with [`field_decoders!`](crate::field_decoders).

use std::cell::RefCell;

use super::ParamError;
use crate::lang::{say, Bilingual, Lang};

thread_local! {
    static LAST: RefCell<Option<ParamError>> = const { RefCell::new(None) };
}

/// Records `e` for [`decode_with`] and turns it into the deserializer's error.
pub fn fail<E: serde::de::Error>(e: ParamError) -> E {
    let message = e.to_string();
    LAST.with(|l| *l.borrow_mut() = Some(e));
    E::custom(message)
}

/// Why a request did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A parameter's value: the page shows it next to the field.
    Param(ParamError),
    /// Anything else (not an object, an unknown request type, a missing field), as serde says it.
    Shape(String),
}

impl DecodeError {
    /// The message for the page or the terminal, in English ([`Bilingual::ko`] for Korean).
    pub fn message(&self) -> String {
        self.say(Lang::En)
    }

    /// The field to blame, when known.
    pub fn field(&self) -> Option<String> {
        match self {
            DecodeError::Param(e) => e.field().map(str::to_string),
            DecodeError::Shape(_) => None,
        }
    }
}

impl Bilingual for DecodeError {
    fn say(&self, lang: Lang) -> String {
        match self {
            DecodeError::Param(e) => e.say(lang),
            DecodeError::Shape(s) => say!(lang, "bad request: {s}", "잘못된 요청: {s}"),
        }
    }
}

crate::lang::english_display!(DecodeError);

/// Runs a serde decode; on failure returns the parameter error a field decoder recorded, or
/// serde's own message (cut to a readable length) when no field decoder failed.
pub fn decode_with<T, E: std::fmt::Display>(
    decode: impl FnOnce() -> Result<T, E>,
) -> Result<T, DecodeError> {
    LAST.with(|l| l.borrow_mut().take());
    let result = decode();
    let recorded = LAST.with(|l| l.borrow_mut().take());
    result.map_err(|e| match recorded {
        Some(p) => DecodeError::Param(p),
        None => DecodeError::Shape(super::Raw::clip(&e.to_string(), 300)),
    })
}

/// Runs a serde decode; on failure returns serde's own error together with the parameter error a
/// field decoder recorded, if any: for a message that keeps serde's English words and can still
/// say the parameter's problem in Korean.
pub fn decode_recording<T, E>(
    decode: impl FnOnce() -> Result<T, E>,
) -> Result<T, (E, Option<ParamError>)> {
    LAST.with(|l| l.borrow_mut().take());
    let result = decode();
    let recorded = LAST.with(|l| l.borrow_mut().take());
    result.map_err(|e| (e, recorded))
}

/// Declares serde `deserialize_with` functions for single protocol fields: each reads a
/// [`Raw`](super::Raw) value and converts it with [`ParamValue`](super::ParamValue) against the
/// given kind, so a bad value is a [`ParamError`] naming the field. Syntax:
/// `pub fn name: Type = kind;` (the function's name is the field's name).
#[macro_export]
macro_rules! field_decoders {
    ($( $(#[$meta:meta])* pub fn $field:ident : $ty:ty = $kind:expr; )*) => {$(
        $(#[$meta])*
        pub fn $field<'de, D: serde::Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
            let raw = <$crate::params::Raw as serde::Deserialize>::deserialize(d)?;
            let spec = $crate::params::ParamSpec {
                name: stringify!($field),
                kind: $kind,
                optional: <$ty as $crate::params::ParamValue>::OPTIONAL,
                default: serde_json::Value::Null,
                help: $crate::params::Help { en: "", ko: "" },
            };
            <$ty as $crate::params::ParamValue>::from_raw(&raw, &spec)
                .map_err($crate::params::decode::fail::<D::Error>)
        }
    )*};
}
