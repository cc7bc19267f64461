//! Parameters described once: name, kind, valid range, default and help (English and Korean), and
//! the one decoder and checker every entry point uses (the CLI, the worker, JSON files).
//!
//! A parameter group (an attack's parameters, a defence's, the training settings) is a plain
//! struct declared with the [`described!`](crate::described) macro. From that one declaration it
//! gets its `Default`, a [`Described`] implementation (the [`ParamSpec`] of every field, decoding
//! from a [`Raw`] value, checking every field against its [`Kind`]) and a serde `Deserialize` that
//! goes through the same decoder, so `{"epochs": -5}` fails with
//! `invalid parameter epochs = -5: must be a whole number from 1 to 1000` whether it came from the
//! page, a JSON file or `--epochs -5` on the command line.
//!
//! Checking happens once: [`Described::checked`] turns a group into a [`Checked`] value, which is
//! what the code that runs attacks, defences and training requires.
//!
//! Main items: [`ParamSpec`], [`Kind`], [`Help`], [`Raw`], [`ParamValue`], [`Described`],
//! [`Checked`], [`ParamError`], and [`decode`] (field decoders for protocol fields and the record
//! of the last parameter error, which the request decoders turn into a field-level message).

pub mod decode;
mod error;
mod raw;
mod value;

pub use error::ParamError;
pub use raw::Raw;
pub use value::ParamValue;

use serde::Serialize;

use crate::lang::{text, Text};

/// A help text in the languages the page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Help {
    /// English.
    pub en: &'static str,
    /// Korean.
    pub ko: &'static str,
}

/// A suggested slider range for a float parameter (narrower than the valid range).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Slider {
    /// Left end.
    pub min: f64,
    /// Right end.
    pub max: f64,
    /// Step.
    pub step: f64,
}

/// What values a parameter takes. Every kind is bounded: numbers have a finite range, lists a
/// largest length, text a largest size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// A finite number in `[min, max]` (`(min, max]` when `min_exclusive`; zero excluded when
    /// `nonzero`).
    Float {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
        /// `min` itself is not allowed.
        min_exclusive: bool,
        /// Zero is not allowed (JSMA's `theta`).
        nonzero: bool,
        /// A suggested slider range, when the valid range is much wider than useful values.
        #[serde(skip_serializing_if = "Option::is_none")]
        slider: Option<Slider>,
    },
    /// A whole number in `[min, max]`.
    Int {
        /// Smallest value.
        min: u64,
        /// Largest value.
        max: u64,
    },
    /// `true` or `false`.
    Bool,
    /// One of a few words.
    Choice {
        /// The words.
        choices: &'static [&'static str],
    },
    /// Free text of at most `max_len` bytes (an architecture name or JSON spec).
    Text {
        /// Largest length in bytes.
        max_len: usize,
    },
    /// A list of attack configurations (`{"attack": "fgsm", ...}`), 1 to `max_len` of them.
    Attacks {
        /// Most attacks.
        max_len: usize,
    },
    /// One attack configuration.
    Attack,
    /// A defence configuration (`{"method": "madry-pgd", ...}`) or `null`.
    Defence,
    /// A list of 1 to `max_len` finite numbers (a sweep's values).
    Values {
        /// Most values.
        max_len: usize,
    },
    /// A list of class indices, one per sample.
    Classes,
}

impl Kind {
    /// A number in `[min, max]`.
    pub const fn float(min: f64, max: f64) -> Kind {
        Kind::Float {
            min,
            max,
            min_exclusive: false,
            nonzero: false,
            slider: None,
        }
    }

    /// A number in `(0, max]`.
    pub const fn positive(max: f64) -> Kind {
        Kind::Float {
            min: 0.0,
            max,
            min_exclusive: true,
            nonzero: false,
            slider: None,
        }
    }

    /// A non-zero number in `[-max, max]`.
    pub const fn nonzero(max: f64) -> Kind {
        Kind::Float {
            min: -max,
            max,
            min_exclusive: false,
            nonzero: true,
            slider: None,
        }
    }

    /// A whole number in `[min, max]`.
    pub const fn int(min: u64, max: u64) -> Kind {
        Kind::Int { min, max }
    }

    /// The same kind with a suggested slider range (floats only; other kinds are unchanged).
    pub const fn slider(self, min: f64, max: f64, step: f64) -> Kind {
        match self {
            Kind::Float {
                min: lo,
                max: hi,
                min_exclusive,
                nonzero,
                ..
            } => Kind::Float {
                min: lo,
                max: hi,
                min_exclusive,
                nonzero,
                slider: Some(Slider { min, max, step }),
            },
            other => other,
        }
    }

    /// What a valid value looks like, as the end of an error message (`must be ...`), in both
    /// languages.
    pub fn describe(&self) -> Text {
        match self {
            Kind::Float {
                min,
                max,
                min_exclusive,
                nonzero,
                ..
            } => {
                let (min, max) = (num(*min), num(*max));
                if *nonzero {
                    text!(
                        "must be a non-zero number from {min} to {max}",
                        "{min}부터 {max}까지의 0이 아닌 수여야 합니다"
                    )
                } else if *min_exclusive {
                    text!(
                        "must be a number greater than {min} and at most {max}",
                        "{min}보다 크고 {max} 이하인 수여야 합니다"
                    )
                } else {
                    text!(
                        "must be a number from {min} to {max}",
                        "{min}부터 {max}까지의 수여야 합니다"
                    )
                }
            }
            Kind::Int { min, max } => text!(
                "must be a whole number from {min} to {max}",
                "{min}부터 {max}까지의 정수여야 합니다"
            ),
            Kind::Bool => text!("must be true or false", "true 또는 false여야 합니다"),
            Kind::Choice { choices } => one_of(choices),
            Kind::Text { max_len } => text!(
                "must be text of at most {max_len} bytes",
                "{max_len}바이트 이하의 텍스트여야 합니다"
            ),
            Kind::Attacks { max_len } => text!(
                "must be a list of 1 to {max_len} attack configurations",
                "공격 설정 1개부터 {max_len}개까지의 목록이어야 합니다"
            ),
            Kind::Attack => text!(
                "must be an attack configuration such as {{\"attack\": \"fgsm\"}}",
                "{{\"attack\": \"fgsm\"}} 같은 공격 설정이어야 합니다"
            ),
            Kind::Defence => text!(
                "must be a defence configuration such as {{\"method\": \"madry-pgd\"}}, or null",
                "{{\"method\": \"madry-pgd\"}} 같은 방어 설정이거나 null이어야 합니다"
            ),
            Kind::Values { max_len } => text!(
                "must be a list of 1 to {max_len} finite numbers",
                "유한한 수 1개부터 {max_len}개까지의 목록이어야 합니다"
            ),
            Kind::Classes => text!(
                "must be a list of class indices (whole numbers from 0)",
                "클래스 번호(0 이상의 정수)의 목록이어야 합니다"
            ),
        }
    }

    /// Whether a float is allowed.
    pub fn admits_float(&self, v: f64) -> bool {
        match *self {
            Kind::Float {
                min,
                max,
                min_exclusive,
                nonzero,
                ..
            } => {
                v.is_finite()
                    && (v > min || (!min_exclusive && v == min))
                    && v <= max
                    && !(nonzero && v == 0.0)
            }
            _ => false,
        }
    }

    /// Whether a whole number is allowed.
    pub fn admits_int(&self, v: u64) -> bool {
        matches!(*self, Kind::Int { min, max } if v >= min && v <= max)
    }
}

/// The reason for a word that is not one of `choices`: `must be one of a, b, c`.
pub fn one_of(choices: &[&str]) -> Text {
    let list = choices.join(", ");
    text!("must be one of {list}", "{list} 중 하나여야 합니다")
}

/// A number as messages show it: integers without a fraction, `1e-6` rather than `0.000001`.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.into()
    } else if v != 0.0 && (v.abs() >= 1e16 || v.abs() < 1e-4) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// A serialised value with every float written as the shortest decimal that reads back as the
/// same `f32` (`0.3`, not `0.30000001192092896`): parameters are `f32`, so that is their value.
pub fn tidy_json(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let short = n.as_f64().map(|f| (f as f32).to_string().parse::<f64>());
            match short {
                Some(Ok(f)) => {
                    serde_json::Number::from_f64(f).map_or(Value::Number(n), Value::Number)
                }
                _ => Value::Number(n),
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(tidy_json).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, tidy_json(v))).collect())
        }
        other => other,
    }
}

/// One parameter of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamSpec {
    /// Its name, as in ART where ART has it (`eps_step`).
    pub name: &'static str,
    /// What values it takes.
    #[serde(flatten)]
    pub kind: Kind,
    /// `null` is allowed (it means the default written in the help, e.g. the preset's epochs).
    pub optional: bool,
    /// The value used when the parameter is not given.
    pub default: serde_json::Value,
    /// What it does.
    pub help: Help,
}

impl ParamSpec {
    /// An [`ParamError::Invalid`] for this parameter: the value as given and what it should be.
    pub fn invalid(&self, value: impl Into<String>) -> ParamError {
        ParamError::Invalid {
            name: self.name.to_string(),
            value: value.into(),
            reason: self.kind.describe(),
        }
    }
}

/// A group of parameters declared with [`described!`](crate::described).
pub trait Described: Sized + Default + Serialize + CrossCheck {
    /// The group's name in messages and in the catalog (`fgsm`, `madry-pgd`, `training`).
    const GROUP: &'static str;

    /// Every parameter, in declaration order, with the defaults of `Default`.
    fn specs() -> Vec<ParamSpec>;

    /// The group from `(name, value)` pairs: missing names take their defaults, an unknown name
    /// or a bad value is an error naming it. The result is checked.
    fn from_fields(fields: &[(String, Raw)]) -> Result<Self, ParamError>;

    /// Checks every field against its kind (not the constraints between fields).
    fn check_fields(&self) -> Result<(), ParamError>;

    /// Checks every field, then the constraints between fields.
    fn check(&self) -> Result<(), ParamError> {
        self.check_fields()?;
        self.cross_check()
    }

    /// The group from a raw object.
    fn from_raw(raw: &Raw) -> Result<Self, ParamError> {
        match raw {
            Raw::Map(fields) => Self::from_fields(fields),
            other => Err(ParamError::NotAnObject {
                group: Self::GROUP.to_string(),
                value: other.show(),
            }),
        }
    }

    /// Checks the group and wraps it as [`Checked`].
    fn checked(self) -> Result<Checked<Self>, ParamError> {
        self.check()?;
        Ok(Checked(self))
    }

    /// The names of the parameters, comma-separated (for messages).
    fn names() -> String {
        Self::specs()
            .iter()
            .map(|s| s.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Constraints between the fields of a group (FGSM's `minimal` needs few enough eps steps, ...).
/// Most groups have none and keep the default.
pub trait CrossCheck {
    /// Checks what a single field's kind cannot say.
    fn cross_check(&self) -> Result<(), ParamError> {
        Ok(())
    }
}

/// A parameter group that passed [`Described::check`]. Only `checked` makes one, so code that
/// takes a `Checked<P>` never validates again.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<P>(P);

impl<P> Checked<P> {
    /// The checked parameters.
    pub fn get(&self) -> &P {
        &self.0
    }

    /// Back to the plain parameters.
    pub fn into_inner(self) -> P {
        self.0
    }
}

impl<P> std::ops::Deref for Checked<P> {
    type Target = P;

    fn deref(&self) -> &P {
        &self.0
    }
}

/// Declares a parameter group: the struct, its `Default`, its [`Described`] implementation and a
/// serde `Deserialize` through [`Described::from_raw`]. Each field is written once, as
/// `name: Type = default, kind, "English help", "Korean help";`. The struct's own attributes
/// (docs, derives: `Serialize` is required) come first; `in "group"` names the group.
///
/// The type must also implement [`CrossCheck`] (an empty `impl` when there is nothing to add).
#[macro_export]
macro_rules! described {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in $group:literal {
            $( $field:ident : $ty:ty = $default:expr, $kind:expr, $en:expr, $ko:expr; )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( #[doc = $en] pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $( $field: $default, )* }
            }
        }

        impl $crate::params::Described for $name {
            const GROUP: &'static str = $group;

            fn specs() -> Vec<$crate::params::ParamSpec> {
                let d = <$name as Default>::default();
                vec![$(
                    $crate::params::ParamSpec {
                        name: stringify!($field),
                        kind: $kind,
                        optional: <$ty as $crate::params::ParamValue>::OPTIONAL,
                        default: $crate::params::tidy_json(
                            serde_json::to_value(&d.$field).unwrap_or(serde_json::Value::Null),
                        ),
                        help: $crate::params::Help { en: $en, ko: $ko },
                    },
                )*]
            }

            fn from_fields(
                fields: &[(String, $crate::params::Raw)],
            ) -> Result<Self, $crate::params::ParamError> {
                let specs = Self::specs();
                let spec = |name: &str| specs.iter().find(|s| s.name == name).cloned();
                let mut out = <$name as Default>::default();
                for (key, value) in fields {
                    match key.as_str() {
                        $( stringify!($field) => {
                            let s = spec(stringify!($field)).expect("declared field");
                            out.$field = $crate::params::ParamValue::from_raw(value, &s)?;
                        } )*
                        _ => {
                            return Err($crate::params::ParamError::Unknown {
                                group: $group.to_string(),
                                name: $crate::params::Raw::clip(key, 40),
                                known: <$name as $crate::params::Described>::names(),
                            })
                        }
                    }
                }
                $crate::params::Described::check(&out)?;
                Ok(out)
            }

            fn check_fields(&self) -> Result<(), $crate::params::ParamError> {
                let specs = Self::specs();
                let mut it = specs.iter();
                $(
                    let s = it.next().expect("one spec per field");
                    $crate::params::ParamValue::check(&self.$field, s)?;
                )*
                Ok(())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <$crate::params::Raw as serde::Deserialize>::deserialize(d)?;
                <$name as $crate::params::Described>::from_raw(&raw)
                    .map_err($crate::params::decode::fail::<D::Error>)
            }
        }
    };
}
