//! A small reader of `.npy` bytes: the magic string, the version, the header's Python dictionary
//! (`descr`, `fortran_order`, `shape`) and the data after it, whose length must be exactly what
//! the shape and dtype declare. C order and little-endian (or one-byte) dtypes only.

use super::ImagesError;
use crate::lang::{text, Text};

/// Element types read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dtype {
    U8,
    I32,
    I64,
    F32,
    F64,
}

impl Dtype {
    fn parse(descr: &str) -> Option<Dtype> {
        Some(match descr {
            "|u1" | "<u1" => Dtype::U8,
            "<i4" => Dtype::I32,
            "<i8" => Dtype::I64,
            "<f4" => Dtype::F32,
            "<f8" => Dtype::F64,
            _ => return None,
        })
    }

    /// Bytes per element.
    fn size(self) -> usize {
        match self {
            Dtype::U8 => 1,
            Dtype::I32 | Dtype::F32 => 4,
            Dtype::I64 | Dtype::F64 => 8,
        }
    }

    /// The descriptor numpy writes for it.
    pub fn descr(self) -> &'static str {
        match self {
            Dtype::U8 => "|u1",
            Dtype::I32 => "<i4",
            Dtype::I64 => "<i8",
            Dtype::F32 => "<f4",
            Dtype::F64 => "<f8",
        }
    }

    /// Whether the elements are floating point.
    pub fn is_float(self) -> bool {
        matches!(self, Dtype::F32 | Dtype::F64)
    }
}

/// An array borrowed from `.npy` bytes.
#[derive(Debug, Clone)]
pub(crate) struct Npy<'a> {
    pub dtype: Dtype,
    pub shape: Vec<usize>,
    data: &'a [u8],
}

impl Npy<'_> {
    /// The dtype's descriptor.
    pub fn descr(&self) -> &'static str {
        self.dtype.descr()
    }

    /// Element `i` (in C order) as `f64` (exact for all but the largest 64-bit integers).
    pub fn get(&self, i: usize) -> f64 {
        let n = self.dtype.size();
        let b = &self.data[i * n..][..n];
        match self.dtype {
            Dtype::U8 => f64::from(b[0]),
            Dtype::I32 => f64::from(i32::from_le_bytes(b.try_into().expect("4 bytes"))),
            Dtype::I64 => i64::from_le_bytes(b.try_into().expect("8 bytes")) as f64,
            Dtype::F32 => f64::from(f32::from_le_bytes(b.try_into().expect("4 bytes"))),
            Dtype::F64 => f64::from_le_bytes(b.try_into().expect("8 bytes")),
        }
    }
}

/// Longest piece of a header quoted in an error.
const ECHO: usize = 40;

/// Parses `bytes`, the file `which` (`x` or `y`), and checks its data length.
pub(crate) fn parse_npy<'a>(bytes: &'a [u8], which: &'static str) -> Result<Npy<'a>, ImagesError> {
    let bad = |reason: Text| ImagesError::NpyHeader { which, reason };
    if bytes.len() < 10 || !bytes.starts_with(b"\x93NUMPY") {
        return Err(bad(text!(
            "it does not start with \\x93NUMPY",
            "\\x93NUMPY로 시작하지 않습니다"
        )));
    }
    let (len, start): (usize, usize) = match bytes[6] {
        1 => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
        2 | 3 if bytes.len() >= 12 => {
            let len = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
            (usize::try_from(len).unwrap_or(usize::MAX), 12)
        }
        v => {
            return Err(bad(text!(
                "format version {v} is not supported",
                "형식 버전 {v}은(는) 지원하지 않습니다"
            )))
        }
    };
    let end = start.saturating_add(len);
    let header = bytes
        .get(start..end)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| {
            bad(text!(
                "the header of {len} bytes is cut short or is not text",
                "{len}바이트 헤더가 잘렸거나 텍스트가 아닙니다"
            ))
        })?;
    let (descr, fortran, shape) = dictionary(header).map_err(bad)?;
    if fortran {
        return Err(bad(text!(
            "Fortran (column-major) order is not supported; save a C-ordered array",
            "포트란(열 우선) 순서는 지원하지 않습니다. C 순서 배열로 저장하세요"
        )));
    }
    let dtype = Dtype::parse(&descr).ok_or_else(|| ImagesError::NpyDtype {
        which,
        descr: crate::params::Raw::clip(&descr, ECHO),
        expected: text!(
            "use uint8, int32, int64, float32 or float64, little-endian",
            "uint8, int32, int64, float32, float64(리틀 엔디언) 중 하나여야 합니다"
        ),
    })?;
    let data = &bytes[end..];
    let expected = shape
        .iter()
        .try_fold(dtype.size(), |acc, &d| acc.checked_mul(d));
    let actual = data.len();
    match expected {
        Some(expected) if expected == actual => {}
        Some(expected) => {
            return Err(bad(text!(
                "shape {shape:?} of {descr} needs {expected} bytes of data but {actual} follow the header",
                "{descr}, 모양 {shape:?}에는 데이터 {expected}바이트가 필요한데 헤더 뒤에는 {actual}바이트가 있습니다"
            )))
        }
        None => {
            return Err(bad(text!(
                "shape {shape:?} is too large to describe an array",
                "모양 {shape:?}이(가) 너무 커서 배열을 나타낼 수 없습니다"
            )))
        }
    }
    Ok(Npy { dtype, shape, data })
}

/// `descr`, `fortran_order` and `shape` of the header's dictionary literal.
fn dictionary(header: &str) -> Result<(String, bool, Vec<usize>), Text> {
    let body = header
        .trim()
        .strip_prefix('{')
        .and_then(|b| b.strip_suffix('}'))
        .ok_or_else(|| {
            text!(
                "the header is not a {{...}} dictionary",
                "헤더가 {{...}} 사전이 아닙니다"
            )
        })?;
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    let mut rest = body.trim();
    while !rest.is_empty() {
        let (key, after) = quoted(rest)?;
        let after = after.trim_start().strip_prefix(':').ok_or_else(|| {
            text!(
                "no ':' after the key {key:?}",
                "키 {key:?} 뒤에 ':'이 없습니다"
            )
        })?;
        let after = after.trim_start();
        rest = match key {
            "descr" => {
                let (value, after) = quoted(after)?;
                descr = Some(value.to_string());
                after
            }
            "fortran_order" => {
                let (value, after) = word(after)?;
                fortran = Some(value);
                after
            }
            "shape" => {
                let (value, after) = tuple(after)?;
                shape = Some(value);
                after
            }
            other => {
                let key = crate::params::Raw::clip(other, ECHO);
                return Err(text!("unknown key {key:?}", "알 수 없는 키 {key:?}"));
            }
        };
        let after = rest.trim_start();
        rest = after.strip_prefix(',').unwrap_or(after).trim_start();
        if rest.len() == after.len() && !rest.is_empty() {
            return Err(text!(
                "no ',' between entries",
                "항목 사이에 ','가 없습니다"
            ));
        }
    }
    match (descr, fortran, shape) {
        (Some(d), Some(f), Some(s)) => Ok((d, f, s)),
        _ => Err(text!(
            "descr, fortran_order or shape is missing",
            "descr, fortran_order, shape 중 빠진 것이 있습니다"
        )),
    }
}

/// A quoted string at the start of `s`, and what follows it.
fn quoted(s: &str) -> Result<(&str, &str), Text> {
    let q = s.chars().next().filter(|c| matches!(c, '\'' | '"'));
    let inner = q.and_then(|q| s[1..].find(q).map(|end| (&s[1..1 + end], &s[2 + end..])));
    inner.ok_or_else(|| {
        let at = crate::params::Raw::clip(s, ECHO);
        text!(
            "expected a quoted string at {at:?}",
            "{at:?} 위치에 따옴표로 감싼 문자열이 있어야 합니다"
        )
    })
}

/// `True` or `False` at the start of `s`, and what follows it.
fn word(s: &str) -> Result<(bool, &str), Text> {
    if let Some(rest) = s.strip_prefix("True") {
        Ok((true, rest))
    } else if let Some(rest) = s.strip_prefix("False") {
        Ok((false, rest))
    } else {
        let at = crate::params::Raw::clip(s, ECHO);
        Err(text!(
            "expected True or False at {at:?}",
            "{at:?} 위치에 True나 False가 있어야 합니다"
        ))
    }
}

/// A tuple of sizes such as `(3,)` or `(2, 28, 28, 1)` at the start of `s`, and what follows.
fn tuple(s: &str) -> Result<(Vec<usize>, &str), Text> {
    let at = crate::params::Raw::clip(s, ECHO);
    let bad = || {
        text!(
            "expected a shape such as (2, 28, 28, 1) at {at:?}",
            "{at:?} 위치에 (2, 28, 28, 1) 같은 모양이 있어야 합니다"
        )
    };
    let inner = s.strip_prefix('(').ok_or_else(bad)?;
    let end = inner.find(')').ok_or_else(bad)?;
    let mut dims = Vec::new();
    let parts: Vec<&str> = inner[..end].split(',').map(str::trim).collect();
    for (i, part) in parts.iter().enumerate() {
        // Only a trailing comma, as in `(3,)`, leaves an empty part.
        if part.is_empty() && i + 1 == parts.len() {
            continue;
        }
        if dims.len() == 32 || part.len() > 20 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        dims.push(part.parse::<usize>().map_err(|_| bad())?);
    }
    Ok((dims, &inner[end + 1..]))
}
