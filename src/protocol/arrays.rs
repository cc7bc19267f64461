//! Compact array payloads for the worker protocol.
//!
//! Main types: [`F32s`] (a `Vec<f32>` that crosses as little-endian bytes, so the page receives a
//! `Uint8Array` it views as a `Float32Array` instead of an array of boxed numbers) and [`Bytes`]
//! (raw bytes: dataset files, model files). Both serialise as serde bytes; in JSON (native tests)
//! bytes appear as an array of numbers.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Raw bytes that cross as a `Uint8Array`.
pub type Bytes = serde_bytes::ByteBuf;

/// `f32` values that cross the worker boundary as little-endian bytes (a `Uint8Array` in JS).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct F32s(pub Vec<f32>);

impl F32s {
    /// The values.
    pub fn as_slice(&self) -> &[f32] {
        &self.0
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no values.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<f32>> for F32s {
    fn from(v: Vec<f32>) -> F32s {
        F32s(v)
    }
}

impl Serialize for F32s {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = self.0.iter().flat_map(|v| v.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }
}

impl<'de> Deserialize<'de> for F32s {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<F32s, D::Error> {
        let bytes = serde_bytes::ByteBuf::deserialize(d)?;
        if !bytes.len().is_multiple_of(4) {
            return Err(serde::de::Error::custom(format!(
                "a float32 array needs a multiple of 4 bytes, got {}",
                bytes.len()
            )));
        }
        Ok(F32s(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_round_trip_as_bytes_and_odd_lengths_are_rejected() {
        let v = F32s(vec![0.5, -1.25, f32::MAX]);
        let json = serde_json::to_string(&v).unwrap();
        assert!(
            json.starts_with('[') && json.matches(',').count() == 11,
            "{json}"
        );
        assert_eq!(serde_json::from_str::<F32s>(&json).unwrap(), v);
        let err = serde_json::from_str::<F32s>("[1,2,3]").unwrap_err();
        assert!(
            err.to_string().contains("multiple of 4 bytes, got 3"),
            "{err}"
        );
    }
}
