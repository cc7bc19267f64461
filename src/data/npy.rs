//! `.npy` arrays from bytes, with every size the header declares checked against the bytes that
//! are really there before anything is allocated (native builds only).
//!
//! Main items: [`NpyHeader`] with [`NpyHeader::parse`] (a strict reader of the header's
//! dictionary: `descr`, `fortran_order`, `shape`), [`read_floats`] (float32 or float64 samples as
//! `f32`) and [`read_numbers`] (any integer or float dtype as `f64`, for class labels), and
//! [`NpyError`]. The data itself is decoded by `ndarray-npy`, once the header has been checked to
//! describe exactly the bytes that follow it; files are read by the CLI with
//! [`crate::limits::read_capped`] at [`crate::limits::MAX_NPY_BYTES`].

use std::io::Cursor;

use ndarray::ArrayD;
use ndarray_npy::ReadNpyExt;

use crate::lang::{say, text, Bilingual, Lang, Text};

/// Why bytes are not an array we can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NpyError {
    /// Not an `.npy` file, or a header that does not parse.
    Header(Text),
    /// The header declares more or less data than the file holds.
    Size {
        /// The declared shape.
        shape: Vec<usize>,
        /// The declared dtype.
        dtype: String,
        /// Bytes the shape needs (or `usize::MAX` when the product overflows).
        expected: usize,
        /// Bytes after the header.
        actual: usize,
    },
    /// A dtype this reader does not take here.
    Dtype {
        /// The file's dtype.
        found: String,
        /// What is accepted.
        expected: Text,
    },
    /// ndarray-npy refused the data (its message, in English).
    Data(String),
}

impl Bilingual for NpyError {
    fn say(&self, lang: Lang) -> String {
        match self {
            NpyError::Header(why) => {
                let why = why.get(lang);
                say!(
                    lang,
                    "not a valid .npy file: {why}",
                    "올바른 .npy 파일이 아닙니다: {why}"
                )
            }
            NpyError::Size {
                shape,
                dtype,
                expected,
                actual,
            } => say!(
                lang,
                "the header declares shape {shape:?} of {dtype} ({expected} bytes of data) but the file holds {actual}",
                "헤더가 선언한 것은 {dtype}, 모양 {shape:?}(데이터 {expected}바이트)인데 파일에는 {actual}바이트가 있습니다"
            ),
            NpyError::Dtype { found, expected } => {
                let expected = expected.get(lang);
                say!(
                    lang,
                    "dtype {found} is not supported here: {expected}",
                    "dtype {found}: 여기서는 쓸 수 없습니다. {expected}"
                )
            }
            NpyError::Data(e) => say!(
                lang,
                "cannot decode the data: {e}",
                "데이터를 해독할 수 없습니다: {e}"
            ),
        }
    }
}

crate::lang::english_display!(NpyError);

/// A parsed `.npy` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpyHeader {
    /// The dtype descriptor, e.g. `<f4`.
    pub descr: String,
    /// Column-major data.
    pub fortran_order: bool,
    /// The array's shape.
    pub shape: Vec<usize>,
    /// Where the data starts.
    pub data_offset: usize,
}

/// Longest header text quoted in an error.
const ECHO: usize = 60;

fn bad(what: Text) -> NpyError {
    NpyError::Header(what)
}

fn missing_key(key: &str) -> NpyError {
    bad(text!("missing key: {key}", "키가 없습니다: {key}"))
}

fn echo(s: &str) -> String {
    crate::params::Raw::clip(s, ECHO)
}

impl NpyHeader {
    /// Parses the header and checks that the declared shape and dtype need exactly the bytes that
    /// follow it (so reading the data allocates no more than the file's size).
    pub fn parse(bytes: &[u8]) -> Result<NpyHeader, NpyError> {
        if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
            return Err(bad(text!(
                "missing the \\x93NUMPY magic string",
                "\\x93NUMPY 매직 문자열이 없습니다"
            )));
        }
        let major = bytes[6];
        let (len, start): (usize, usize) = match major {
            1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
            2 | 3 if bytes.len() >= 12 => (
                u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
                12,
            ),
            _ => {
                return Err(bad(text!(
                    "unsupported format version {major}",
                    "지원하지 않는 형식 버전 {major}"
                )))
            }
        };
        let end = start
            .checked_add(len)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| {
                bad(text!(
                    "the header claims {len} bytes but the file is shorter",
                    "헤더는 {len}바이트라고 하지만 파일이 더 짧습니다"
                ))
            })?;
        let text = std::str::from_utf8(&bytes[start..end])
            .map_err(|_| bad(text!("the header is not text", "헤더가 텍스트가 아닙니다")))?;
        let mut p = DictParser { s: text, at: 0 };
        let (descr, fortran_order, shape) = p.dict()?;
        let header = NpyHeader {
            descr,
            fortran_order,
            shape,
            data_offset: end,
        };
        header.check_size(bytes.len() - end)?;
        Ok(header)
    }

    /// Bytes per element of the dtype.
    pub fn item_size(&self) -> Result<usize, NpyError> {
        let d = self.descr.as_bytes();
        let ok = d.len() >= 3
            && matches!(d[0], b'<' | b'>' | b'|' | b'=')
            && matches!(d[1], b'f' | b'i' | b'u' | b'b');
        let size = if ok {
            self.descr[2..].parse::<usize>().ok()
        } else {
            None
        };
        match size {
            Some(s @ (1 | 2 | 4 | 8)) => Ok(s),
            _ => Err(NpyError::Dtype {
                found: echo(&self.descr),
                expected: text!(
                    "float32 or float64 for samples, integers or whole floats for labels",
                    "샘플은 float32나 float64, 레이블은 정수나 소수점 아래가 0인 실수여야 합니다"
                ),
            }),
        }
    }

    fn check_size(&self, actual: usize) -> Result<(), NpyError> {
        let size = self.item_size()?;
        // ndarray refuses shapes whose non-zero lengths multiply past isize::MAX, even when
        // another length is 0; so do we, before handing the bytes over.
        let nonzero = self
            .shape
            .iter()
            .filter(|&&d| d > 0)
            .try_fold(size, |acc, &d| acc.checked_mul(d))
            .filter(|&n| n <= isize::MAX as usize);
        if nonzero.is_none() {
            let shape = &self.shape;
            return Err(bad(text!(
                "shape {shape:?} is too large to describe an array",
                "모양이 너무 커서 배열을 나타낼 수 없습니다: {shape:?}"
            )));
        }
        let expected = self
            .shape
            .iter()
            .try_fold(size, |acc, &d| acc.checked_mul(d))
            .unwrap_or(usize::MAX);
        if expected != actual {
            return Err(NpyError::Size {
                shape: self.shape.clone(),
                dtype: self.descr.clone(),
                expected,
                actual,
            });
        }
        Ok(())
    }

    /// The dtype's kind letter (`f`, `i`, `u`, `b`).
    fn kind(&self) -> u8 {
        self.descr.as_bytes().get(1).copied().unwrap_or(0)
    }
}

/// A strict reader of the header's Python dictionary literal.
struct DictParser<'a> {
    s: &'a str,
    at: usize,
}

impl DictParser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.at..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.at = self.s.len() - trimmed.len();
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.rest().starts_with(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), NpyError> {
        if self.eat(c) {
            Ok(())
        } else {
            let at = echo(self.rest());
            Err(bad(text!(
                "expected {c:?} at {at:?}",
                "{at:?} 위치에 있어야 할 문자: {c:?}"
            )))
        }
    }

    fn string(&mut self) -> Result<String, NpyError> {
        self.skip_ws();
        let q = match self.rest().chars().next() {
            Some(q @ ('\'' | '"')) => q,
            _ => {
                let at = echo(self.rest());
                return Err(bad(text!(
                    "expected a quoted string at {at:?}",
                    "{at:?} 위치에 따옴표로 감싼 문자열이 있어야 합니다"
                )));
            }
        };
        self.at += 1;
        let end = self
            .rest()
            .find(q)
            .ok_or_else(|| bad(text!("an unterminated string", "끝나지 않은 문자열")))?;
        let out = self.rest()[..end].to_string();
        self.at += end + 1;
        Ok(out)
    }

    fn boolean(&mut self) -> Result<bool, NpyError> {
        self.skip_ws();
        for (word, v) in [("True", true), ("False", false)] {
            if self.rest().starts_with(word) {
                self.at += word.len();
                return Ok(v);
            }
        }
        let at = echo(self.rest());
        Err(bad(text!(
            "expected True or False at {at:?}",
            "{at:?} 위치에 True나 False가 있어야 합니다"
        )))
    }

    fn shape(&mut self) -> Result<Vec<usize>, NpyError> {
        self.expect('(')?;
        let mut dims = Vec::new();
        loop {
            if self.eat(')') {
                return Ok(dims);
            }
            self.skip_ws();
            let digits = self.rest().bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 20 {
                let at = echo(self.rest());
                return Err(bad(text!(
                    "expected a dimension at {at:?}",
                    "{at:?} 위치에 차원 크기가 있어야 합니다"
                )));
            }
            let d = self.rest()[..digits].parse::<usize>().map_err(|_| {
                bad(text!(
                    "a dimension does not fit in memory",
                    "차원 크기가 메모리에 맞지 않습니다"
                ))
            })?;
            self.at += digits;
            dims.push(d);
            if dims.len() > 32 {
                return Err(bad(text!(
                    "more than 32 dimensions",
                    "차원이 32개보다 많습니다"
                )));
            }
            if !self.eat(',') {
                self.expect(')')?;
                return Ok(dims);
            }
        }
    }

    fn dict(&mut self) -> Result<(String, bool, Vec<usize>), NpyError> {
        self.expect('{')?;
        let (mut descr, mut fortran, mut shape) = (None, None, None);
        loop {
            if self.eat('}') {
                break;
            }
            let key = self.string()?;
            self.expect(':')?;
            match key.as_str() {
                "descr" => descr = Some(self.string()?),
                "fortran_order" => fortran = Some(self.boolean()?),
                "shape" => shape = Some(self.shape()?),
                other => {
                    let key = echo(other);
                    return Err(bad(text!("unknown key {key:?}", "알 수 없는 키 {key:?}")));
                }
            }
            if !self.eat(',') {
                self.expect('}')?;
                break;
            }
        }
        match (descr, fortran, shape) {
            (Some(d), Some(f), Some(s)) => Ok((d, f, s)),
            (None, _, _) => Err(missing_key("descr")),
            (_, None, _) => Err(missing_key("fortran_order")),
            (_, _, None) => Err(missing_key("shape")),
        }
    }
}

fn decode<T: ndarray_npy::ReadableElement>(bytes: &[u8]) -> Result<ArrayD<T>, NpyError> {
    ArrayD::<T>::read_npy(Cursor::new(bytes)).map_err(|e| NpyError::Data(echo(&e.to_string())))
}

/// Float32 or float64 samples, as `f32` (an f64 too large for f32 becomes infinite, which the
/// sample checks then refuse with its position).
pub fn read_floats(bytes: &[u8]) -> Result<ArrayD<f32>, NpyError> {
    let h = NpyHeader::parse(bytes)?;
    match (h.kind(), h.item_size()?) {
        (b'f', 4) => decode::<f32>(bytes),
        (b'f', 8) => Ok(decode::<f64>(bytes)?.mapv(|v| v as f32)),
        _ => Err(NpyError::Dtype {
            found: echo(&h.descr),
            expected: text!(
                "float32 or float64 samples",
                "샘플은 float32나 float64여야 합니다"
            ),
        }),
    }
}

/// Numbers of any integer or float dtype, as `f64` (class labels). Booleans are refused: a
/// boolean array is a mask, not class indices.
pub fn read_numbers(bytes: &[u8]) -> Result<ArrayD<f64>, NpyError> {
    let h = NpyHeader::parse(bytes)?;
    match (h.kind(), h.item_size()?) {
        (b'f', 4) => Ok(decode::<f32>(bytes)?.mapv(f64::from)),
        (b'f', 8) => decode::<f64>(bytes),
        (b'i', 1) => Ok(decode::<i8>(bytes)?.mapv(f64::from)),
        (b'i', 2) => Ok(decode::<i16>(bytes)?.mapv(f64::from)),
        (b'i', 4) => Ok(decode::<i32>(bytes)?.mapv(f64::from)),
        (b'i', 8) => Ok(decode::<i64>(bytes)?.mapv(|v| v as f64)),
        (b'u', 1) => Ok(decode::<u8>(bytes)?.mapv(f64::from)),
        (b'u', 2) => Ok(decode::<u16>(bytes)?.mapv(f64::from)),
        (b'u', 4) => Ok(decode::<u32>(bytes)?.mapv(f64::from)),
        (b'u', 8) => Ok(decode::<u64>(bytes)?.mapv(|v| v as f64)),
        (b'b', _) => Err(NpyError::Dtype {
            found: echo(&h.descr),
            expected: text!(
                "class indices must be integers (or whole floats), not booleans",
                "클래스 번호는 불리언이 아니라 정수(또는 소수점 아래가 0인 실수)여야 합니다"
            ),
        }),
        _ => Err(NpyError::Dtype {
            found: echo(&h.descr),
            expected: text!(
                "integer or float class indices",
                "클래스 번호는 정수나 실수여야 합니다"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};
    use ndarray_npy::WriteNpyExt;

    fn npy<T: ndarray_npy::WritableElement>(a: &ndarray::Array2<T>) -> Vec<u8> {
        let mut out = Vec::new();
        a.write_npy(&mut out).unwrap();
        out
    }

    fn with_header(header: &str, data: &[u8]) -> Vec<u8> {
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend((header.len() as u16).to_le_bytes());
        out.extend(header.as_bytes());
        out.extend(data);
        out
    }

    #[test]
    fn numpy_files_read_back() {
        let a = array![[1.0f32, 2.0], [3.0, 4.5]];
        assert_eq!(read_floats(&npy(&a)).unwrap(), a.clone().into_dyn());
        let b = array![[1.0f64, -2.0]];
        assert_eq!(
            read_floats(&npy(&b)).unwrap(),
            b.mapv(|v| v as f32).into_dyn()
        );
        let c = array![[1i64, 2]];
        assert_eq!(read_numbers(&npy(&c)).unwrap()[[0, 1]], 2.0);
        assert!(read_floats(&npy(&c)).is_err(), "ints are not samples");
        let t = array![[true, false]];
        let e = read_numbers(&npy(&t)).unwrap_err().to_string();
        assert!(e.contains("not booleans"), "{e}");
    }

    #[test]
    fn declared_sizes_are_checked_before_allocating() {
        let h = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 8), }\n";
        let e = read_floats(&with_header(h, &[0; 16])).unwrap_err();
        assert!(
            matches!(
                e,
                NpyError::Size {
                    expected: 32_000_000_000,
                    actual: 16,
                    ..
                }
            ),
            "{e}"
        );
        let h = "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999, 99999999999999999), }\n";
        let e = read_floats(&with_header(h, &[])).unwrap_err().to_string();
        assert!(e.contains("too large"), "{e}");
        let h =
            "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 18446744073709551615, 9), }\n";
        let e = read_floats(&with_header(h, &[])).unwrap_err().to_string();
        assert!(e.contains("too large"), "{e}");
        let ok = Array2::<f32>::zeros((2, 2));
        let mut bytes = npy(&ok);
        bytes.push(0);
        assert!(matches!(read_floats(&bytes), Err(NpyError::Size { .. })));
    }

    #[test]
    fn bad_headers_are_named_briefly() {
        let h = "{'descr': '<f4', 'fortran_order': False, 'shaper': (2,), }\n";
        let e = read_floats(&with_header(h, &[0; 8]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown key \"shaper\""), "{e}");
        let h = "{'descr': '<f4', 'fortran_order': False}\n";
        let e = read_floats(&with_header(h, &[])).unwrap_err().to_string();
        assert!(e.contains("missing key: shape"), "{e}");
        let long = format!("{{'descr': '{}', }}\n", "x".repeat(5000));
        let e = read_floats(&with_header(&long, &[]))
            .unwrap_err()
            .to_string();
        assert!(e.len() < 300, "{} characters", e.len());
        assert!(read_floats(b"not an npy file").is_err());
    }
}
