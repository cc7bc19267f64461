//! [`ParamValue`]: how a Rust field type is read from a [`Raw`] value and checked against its
//! [`Kind`]. Implemented here for numbers, booleans, text, lists and `Option`; the attack and
//! defence configurations and [`crate::attacks::Norm`] implement it beside their definitions.

use super::{Kind, ParamError, ParamSpec, Raw};

/// A field type of a described parameter group.
pub trait ParamValue: Sized {
    /// Whether `null` is allowed (the type is an `Option`).
    const OPTIONAL: bool = false;

    /// Reads the value, or says which parameter was wrong and why.
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<Self, ParamError>;

    /// Checks a value set in Rust against the parameter's kind.
    fn check(&self, spec: &ParamSpec) -> Result<(), ParamError>;
}

impl ParamValue for f32 {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<f32, ParamError> {
        match raw.as_f64() {
            // The range is checked in f64, so 1e39 (an f32 infinity) is refused, not saturated.
            Some(v) if spec.kind.admits_float(v) && (v as f32).is_finite() => Ok(v as f32),
            _ => Err(spec.invalid(raw.show())),
        }
    }

    fn check(&self, spec: &ParamSpec) -> Result<(), ParamError> {
        if spec.kind.admits_float(f64::from(*self)) {
            Ok(())
        } else {
            Err(spec.invalid(super::num(f64::from(*self))))
        }
    }
}

impl ParamValue for u64 {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<u64, ParamError> {
        match raw.as_u64() {
            Some(v) if spec.kind.admits_int(v) => Ok(v),
            _ => Err(spec.invalid(raw.show())),
        }
    }

    fn check(&self, spec: &ParamSpec) -> Result<(), ParamError> {
        if spec.kind.admits_int(*self) {
            Ok(())
        } else {
            Err(spec.invalid(self.to_string()))
        }
    }
}

impl ParamValue for usize {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<usize, ParamError> {
        let v = u64::from_raw(raw, spec)?;
        usize::try_from(v).map_err(|_| spec.invalid(raw.show()))
    }

    fn check(&self, spec: &ParamSpec) -> Result<(), ParamError> {
        (*self as u64).check(spec)
    }
}

impl ParamValue for u32 {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<u32, ParamError> {
        let v = u64::from_raw(raw, spec)?;
        u32::try_from(v).map_err(|_| spec.invalid(raw.show()))
    }

    fn check(&self, spec: &ParamSpec) -> Result<(), ParamError> {
        u64::from(*self).check(spec)
    }
}

impl ParamValue for bool {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<bool, ParamError> {
        match raw {
            Raw::Bool(b) => Ok(*b),
            Raw::Text(t) if t == "true" => Ok(true),
            Raw::Text(t) if t == "false" => Ok(false),
            other => Err(spec.invalid(other.show())),
        }
    }

    fn check(&self, _: &ParamSpec) -> Result<(), ParamError> {
        Ok(())
    }
}

impl ParamValue for String {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<String, ParamError> {
        let s = raw.as_str().ok_or_else(|| spec.invalid(raw.show()))?;
        let s = s.to_string();
        s.check(spec).map(|_| s)
    }

    fn check(&self, spec: &ParamSpec) -> Result<(), ParamError> {
        let ok = match spec.kind {
            Kind::Text { max_len } => self.len() <= max_len,
            Kind::Choice { choices } => choices.contains(&self.as_str()),
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(spec.invalid(format!("{:?}", Raw::clip(self, 40))))
        }
    }
}

impl<T: ParamValue> ParamValue for Option<T> {
    const OPTIONAL: bool = true;

    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<Option<T>, ParamError> {
        match raw {
            Raw::Null => Ok(None),
            other => T::from_raw(other, spec).map(Some),
        }
    }

    fn check(&self, spec: &ParamSpec) -> Result<(), ParamError> {
        match self {
            Some(v) => v.check(spec),
            None => Ok(()),
        }
    }
}

/// A sweep's values: finite numbers, 1 to `max_len` of them.
impl ParamValue for Vec<f32> {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<Vec<f32>, ParamError> {
        let Raw::Seq(items) = raw else {
            return Err(spec.invalid(raw.show()));
        };
        let values = items
            .iter()
            .map(|item| match item.as_f64() {
                Some(v) if v.is_finite() && (v as f32).is_finite() => Ok(v as f32),
                _ => Err(ParamError::invalid(spec.name, item.show(), not_finite())),
            })
            .collect::<Result<Vec<f32>, ParamError>>()?;
        values.check(spec).map(|_| values)
    }

    fn check(&self, spec: &ParamSpec) -> Result<(), ParamError> {
        let max_len = match spec.kind {
            Kind::Values { max_len } => max_len,
            _ => 0,
        };
        if self.is_empty() || self.len() > max_len {
            return Err(spec.invalid(format!("{} values", self.len())));
        }
        match self.iter().find(|v| !v.is_finite()) {
            Some(v) => Err(ParamError::invalid(
                spec.name,
                super::num(f64::from(*v)),
                not_finite(),
            )),
            None => Ok(()),
        }
    }
}

/// Why a list of numbers holds a value that is not a finite number.
fn not_finite() -> crate::lang::Text {
    crate::lang::text!(
        "every value must be a finite number",
        "모든 값은 유한한 수여야 합니다"
    )
}

/// Class indices (targets, labels): whole numbers `>= 0`; their range is checked against the
/// dataset where they are used.
impl ParamValue for Vec<usize> {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<Vec<usize>, ParamError> {
        let Raw::Seq(items) = raw else {
            return Err(spec.invalid(raw.show()));
        };
        items
            .iter()
            .map(|item| {
                item.as_u64()
                    .and_then(|v| usize::try_from(v).ok())
                    .ok_or_else(|| spec.invalid(item.show()))
            })
            .collect()
    }

    fn check(&self, _: &ParamSpec) -> Result<(), ParamError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Help;

    fn spec(kind: Kind) -> ParamSpec {
        ParamSpec {
            name: "p",
            kind,
            optional: false,
            default: serde_json::Value::Null,
            help: Help { en: "", ko: "" },
        }
    }

    #[test]
    fn numbers_are_refused_with_the_value_as_written() {
        let s = spec(Kind::int(1, 1000));
        let e = usize::from_raw(&Raw::Int(-5), &s).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid parameter p = -5: must be a whole number from 1 to 1000"
        );
        assert_eq!(usize::from_raw(&Raw::Float(7.0), &s), Ok(7));
        assert!(usize::from_raw(&Raw::Text("1e3".into()), &s).is_err());
        let f = spec(Kind::float(0.0, 1000.0));
        for (raw, shown) in [
            (Raw::Float(f64::NAN), "NaN"),
            (Raw::Float(1e39), "1e39"),
            (Raw::Text("inf".into()), "inf"),
            (Raw::Str("abc".into()), "\"abc\""),
            (Raw::Null, "null"),
        ] {
            let e = f32::from_raw(&raw, &f).unwrap_err();
            assert!(e.to_string().contains(&format!("p = {shown}:")), "{e}");
        }
        assert_eq!(f32::from_raw(&Raw::Text("0.25".into()), &f), Ok(0.25));
        let big = spec(Kind::float(0.0, 1e300));
        assert!(
            f32::from_raw(&Raw::Float(1e39), &big).is_err(),
            "f32 overflow"
        );
        let pos = spec(Kind::positive(1.0));
        assert!(f32::from_raw(&Raw::Float(0.0), &pos).is_err());
        assert!(0.5f32.check(&pos).is_ok() && f32::NAN.check(&pos).is_err());
        let nz = spec(Kind::nonzero(1.0));
        assert!(nz.kind.describe().en.contains("non-zero"));
        assert!(nz.kind.describe().ko.contains("0이 아닌"));
        assert!(0.0f32.check(&nz).is_err() && (-0.5f32).check(&nz).is_ok());
    }

    #[test]
    fn reasons_with_braces_read_as_before() {
        assert_eq!(
            Kind::Attack.describe().en,
            "must be an attack configuration such as {\"attack\": \"fgsm\"}"
        );
        assert_eq!(
            Kind::Defence.describe().en,
            "must be a defence configuration such as {\"method\": \"madry-pgd\"}, or null"
        );
        assert!(Kind::Defence
            .describe()
            .ko
            .contains("{\"method\": \"madry-pgd\"}"));
    }

    #[test]
    fn options_lists_and_text_have_bounds() {
        let s = spec(Kind::int(1, 10));
        assert_eq!(Option::<usize>::from_raw(&Raw::Null, &s), Ok(None));
        assert!(Option::<usize>::from_raw(&Raw::Int(0), &s).is_err());
        let v = spec(Kind::Values { max_len: 2 });
        let raw = Raw::Seq(vec![Raw::Float(0.1), Raw::Int(1), Raw::Float(0.3)]);
        assert!(Vec::<f32>::from_raw(&raw, &v).is_err(), "too many");
        let nan = Raw::Seq(vec![Raw::Float(f64::NAN)]);
        assert!(Vec::<f32>::from_raw(&nan, &v)
            .unwrap_err()
            .to_string()
            .contains("NaN"));
        let t = spec(Kind::Text { max_len: 3 });
        assert!(String::from_raw(&Raw::Str("abcd".into()), &t).is_err());
        let c = spec(Kind::Choice {
            choices: &["a", "b"],
        });
        assert!(String::from_raw(&Raw::Str("c".into()), &c)
            .unwrap_err()
            .to_string()
            .contains("one of a, b"));
    }
}
