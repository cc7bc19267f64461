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

/// Why bytes are not an array we can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NpyError {
    /// Not an `.npy` file, or a header that does not parse.
    #[error("not a valid .npy file: {0}")]
    Header(String),
    /// The header declares more or less data than the file holds.
    #[error("the header declares shape {shape:?} of {dtype} ({expected} bytes of data) but the file holds {actual}")]
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
    #[error("dtype {found} is not supported here: {expected}")]
    Dtype {
        /// The file's dtype.
        found: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// ndarray-npy refused the data.
    #[error("cannot decode the data: {0}")]
    Data(String),
}

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

fn bad(what: impl Into<String>) -> NpyError {
    NpyError::Header(what.into())
}

fn echo(s: &str) -> String {
    crate::params::Raw::clip(s, ECHO)
}

impl NpyHeader {
    /// Parses the header and checks that the declared shape and dtype need exactly the bytes that
    /// follow it (so reading the data allocates no more than the file's size).
    pub fn parse(bytes: &[u8]) -> Result<NpyHeader, NpyError> {
        if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
            return Err(bad("missing the \\x93NUMPY magic string"));
        }
        let major = bytes[6];
        let (len, start): (usize, usize) = match major {
            1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
            2 | 3 if bytes.len() >= 12 => (
                u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
                12,
            ),
            _ => return Err(bad(format!("unsupported format version {major}"))),
        };
        let end = start
            .checked_add(len)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| {
                bad(format!(
                    "the header claims {len} bytes but the file is shorter"
                ))
            })?;
        let text =
            std::str::from_utf8(&bytes[start..end]).map_err(|_| bad("the header is not text"))?;
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
                expected: "float32 or float64 for samples, integers or whole floats for labels",
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
            return Err(bad(format!(
                "shape {:?} is too large to describe an array",
                self.shape
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
            Err(bad(format!("expected {c:?} at {:?}", echo(self.rest()))))
        }
    }

    fn string(&mut self) -> Result<String, NpyError> {
        self.skip_ws();
        let q = match self.rest().chars().next() {
            Some(q @ ('\'' | '"')) => q,
            _ => {
                return Err(bad(format!(
                    "expected a quoted string at {:?}",
                    echo(self.rest())
                )))
            }
        };
        self.at += 1;
        let end = self
            .rest()
            .find(q)
            .ok_or_else(|| bad("an unterminated string"))?;
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
        Err(bad(format!(
            "expected True or False at {:?}",
            echo(self.rest())
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
                return Err(bad(format!(
                    "expected a dimension at {:?}",
                    echo(self.rest())
                )));
            }
            let d = self.rest()[..digits]
                .parse::<usize>()
                .map_err(|_| bad("a dimension does not fit in memory"))?;
            self.at += digits;
            dims.push(d);
            if dims.len() > 32 {
                return Err(bad("more than 32 dimensions"));
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
                other => return Err(bad(format!("unknown key {:?}", echo(other)))),
            }
            if !self.eat(',') {
                self.expect('}')?;
                break;
            }
        }
        match (descr, fortran, shape) {
            (Some(d), Some(f), Some(s)) => Ok((d, f, s)),
            (None, _, _) => Err(bad("missing key: descr")),
            (_, None, _) => Err(bad("missing key: fortran_order")),
            (_, _, None) => Err(bad("missing key: shape")),
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
            expected: "float32 or float64 samples",
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
            expected: "class indices must be integers (or whole floats), not booleans",
        }),
        _ => Err(NpyError::Dtype {
            found: echo(&h.descr),
            expected: "integer or float class indices",
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
