//! [`Raw`]: a value as it arrived, before it is read as a parameter. It keeps what serde's typed
//! decoding throws away (that `-5` was negative, that `1e39` overflows an `f32`, that `NaN` was
//! NaN), so the error can show the value as the user wrote it.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

use super::{num, ParamError};

/// An object's fields, in the order they arrived.
pub type Fields = Vec<(String, Raw)>;

/// Longest text an error message echoes from a value.
const ECHO: usize = 40;

/// A value from JSON, a JS object or the command line.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    /// `null`, `undefined` or a missing optional value.
    Null,
    /// A boolean.
    Bool(bool),
    /// A negative or small whole number.
    Int(i64),
    /// A whole number above `i64::MAX`.
    UInt(u64),
    /// Any other number, NaN and infinities included.
    Float(f64),
    /// A string from JSON or JS (numbers are not parsed out of it).
    Str(String),
    /// A command-line argument: numbers are parsed from it.
    Text(String),
    /// A list.
    Seq(Vec<Raw>),
    /// An object, in the order of its keys.
    Map(Vec<(String, Raw)>),
    /// Binary data (only its length is kept).
    Bytes(usize),
}

impl Raw {
    /// Splits a tagged object `{tag: name, ...parameters}` (an attack, a defence, a stack piece)
    /// into its name, which must be one of `known`, and its other fields. Not an object: an error
    /// naming `group`; a missing, non-text or unknown name: the error `unknown` makes of it.
    pub fn tagged(
        &self,
        tag: &str,
        group: &str,
        known: &[&str],
        unknown: impl Fn(&Raw) -> ParamError,
    ) -> Result<(&str, Fields), ParamError> {
        let Raw::Map(fields) = self else {
            return Err(ParamError::NotAnObject {
                group: group.into(),
                value: self.show(),
            });
        };
        let found = fields.iter().rev().find(|(k, _)| k == tag);
        let Some((_, Raw::Str(name))) = found else {
            return Err(unknown(found.map_or(&Raw::Null, |(_, v)| v)));
        };
        if !known.contains(&name.as_str()) {
            return Err(unknown(&Raw::Str(name.clone())));
        }
        let rest = fields.iter().filter(|(k, _)| k != tag).cloned().collect();
        Ok((name, rest))
    }

    /// The value as an error message shows it: numbers as written, strings quoted and cut to a
    /// few dozen characters, lists and objects by their kind.
    pub fn show(&self) -> String {
        match self {
            Raw::Null => "null".into(),
            Raw::Bool(b) => b.to_string(),
            Raw::Int(i) => i.to_string(),
            Raw::UInt(u) => u.to_string(),
            Raw::Float(f) => num(*f),
            Raw::Str(s) => format!("{:?}", Raw::clip(s, ECHO)),
            Raw::Text(s) if parse_float(s).is_some() => Raw::clip(s.trim(), ECHO),
            Raw::Text(s) => format!("{:?}", Raw::clip(s, ECHO)),
            Raw::Seq(items) => format!("a list of {} items", items.len()),
            Raw::Map(_) => "an object".into(),
            Raw::Bytes(n) => format!("{n} bytes of binary data"),
        }
    }

    /// `s` cut to at most `max` characters, with `…` when cut.
    pub fn clip(s: &str, max: usize) -> String {
        match s.char_indices().nth(max) {
            Some((at, _)) => format!("{}…", &s[..at]),
            None => s.to_string(),
        }
    }

    /// The value as a number, if it is one (command-line text is parsed).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Raw::Int(i) => Some(*i as f64),
            Raw::UInt(u) => Some(*u as f64),
            Raw::Float(f) => Some(*f),
            Raw::Text(s) => parse_float(s),
            _ => None,
        }
    }

    /// The value as a whole number `>= 0`, if it is exactly one. Command-line text must be
    /// written as an integer (`1e20` and `2.0` are not); JSON numbers may be whole floats, since
    /// JavaScript has no integers.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Raw::Int(i) => u64::try_from(*i).ok(),
            Raw::UInt(u) => Some(*u),
            Raw::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 18_446_744_073_709_551_616.0 => {
                Some(*f as u64)
            }
            Raw::Text(s) => {
                let t = s.trim();
                let digits = t.strip_prefix('+').unwrap_or(t);
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    digits.parse().ok()
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// The value as text, if it is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Raw::Str(s) | Raw::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses command-line text as a number: decimal, exponent, `inf`, `nan` (which the checks then
/// reject with a message naming the value).
fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    t.parse::<f64>().ok()
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::UInt(v), Raw::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Bytes(v.len()))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Raw, E> {
        Ok(Raw::Bytes(v.len()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Raw>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut fields = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Raw>()? {
            fields.push((key, value));
        }
        Ok(Raw::Map(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_keep_their_form_and_show_as_written() {
        let raw: Raw =
            serde_json::from_str(r#"{"a": -5, "b": 1e39, "c": "abc", "d": [1, 2.5]}"#).unwrap();
        let Raw::Map(fields) = raw else { panic!() };
        assert_eq!(fields[0], ("a".into(), Raw::Int(-5)));
        assert_eq!(fields[1].1.show(), "1e39");
        assert_eq!(fields[2].1.show(), "\"abc\"");
        assert_eq!(fields[3].1, Raw::Seq(vec![Raw::Int(1), Raw::Float(2.5)]));
        assert_eq!(Raw::Str("x".repeat(100)).show().chars().count(), 43);
    }

    #[test]
    fn whole_numbers_are_read_strictly_from_text() {
        assert_eq!(Raw::Text("42".into()).as_u64(), Some(42));
        assert_eq!(Raw::Text("1e20".into()).as_u64(), None);
        assert_eq!(Raw::Text("2.0".into()).as_u64(), None);
        assert_eq!(Raw::Text("-1".into()).as_u64(), None);
        assert_eq!(Raw::Float(3.0).as_u64(), Some(3));
        assert_eq!(Raw::Float(3.5).as_u64(), None);
        assert_eq!(Raw::Float(1e20).as_u64(), None, "past u64");
        assert_eq!(Raw::Float(1e18).as_u64(), Some(1_000_000_000_000_000_000));
        assert_eq!(
            Raw::Text("nan".into()).as_f64().map(f64::is_nan),
            Some(true)
        );
        assert_eq!(
            Raw::Str("0.5".into()).as_f64(),
            None,
            "JSON strings are not numbers"
        );
    }
}
