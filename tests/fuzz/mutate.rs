//! Mutators: byte-level (flip, set, cut, insert, splice, overwrite with a hostile number) and
//! JSON-level (replace a value somewhere in a request by a hostile one, drop or add a key).

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// Largest input the mutators make.
const MAX_LEN: usize = 1 << 16;

/// Numbers and texts that break naive parsers, as ASCII.
const HOSTILE_TEXT: &[&str] = &[
    "-1",
    "0",
    "-0",
    "1e20",
    "1e39",
    "-1e39",
    "99999999999999999999",
    "18446744073709551616",
    "4294967296",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e-45",
    "2.5",
    "",
    " ",
    ",",
    "(",
    ")",
    "{",
    "}",
    "'",
    "\"",
    "\\",
    "\n",
    "True",
    "False",
    "None",
    "\u{ff}",
    "\u{1F600}",
];

/// 32-bit values that break naive size computations, as big- and little-endian bytes.
const HOSTILE_WORDS: &[u32] = &[
    0,
    1,
    2,
    255,
    256,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    60000,
    28,
];

/// A mutated copy of `seed` (one to four mutations).
pub fn bytes(rng: &mut ChaCha8Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        mutate_once(rng, &mut v);
    }
    v.truncate(MAX_LEN);
    v
}

/// Random bytes of a random length, sometimes behind a valid magic prefix.
pub fn random(rng: &mut ChaCha8Rng, prefix: &[u8]) -> Vec<u8> {
    let len = rng.random_range(0..256);
    let mut v: Vec<u8> = if rng.random_bool(0.5) {
        prefix.to_vec()
    } else {
        Vec::new()
    };
    v.extend((0..len).map(|_| rng.random::<u8>()));
    v
}

fn mutate_once(rng: &mut ChaCha8Rng, v: &mut Vec<u8>) {
    let len = v.len();
    match rng.random_range(0..8) {
        0 if len > 0 => {
            let i = rng.random_range(0..len);
            v[i] ^= 1 << rng.random_range(0..8);
        }
        1 if len > 0 => {
            let i = rng.random_range(0..len);
            v[i] = rng.random();
        }
        2 if len > 0 => v.truncate(rng.random_range(0..len)),
        3 => {
            let i = rng.random_range(0..=len);
            let n = rng.random_range(1..64);
            let extra: Vec<u8> = (0..n).map(|_| rng.random()).collect();
            v.splice(i..i, extra);
        }
        4 if len > 0 => {
            // Duplicate or drop a span.
            let a = rng.random_range(0..len);
            let b = rng.random_range(a..=len.min(a + 256));
            if rng.random_bool(0.5) {
                let span = v[a..b].to_vec();
                v.splice(b..b, span);
            } else {
                v.drain(a..b);
            }
        }
        5 if len >= 4 => {
            // A hostile 32-bit word, as IDX and safetensors headers hold sizes.
            let i = rng.random_range(0..=len - 4);
            let w = *HOSTILE_WORDS.choose(rng).unwrap();
            let b = if rng.random_bool(0.5) {
                w.to_be_bytes()
            } else {
                w.to_le_bytes()
            };
            v[i..i + 4].copy_from_slice(&b);
        }
        6 => {
            // A hostile number or token in a text header (JSON, Python dict, CSV).
            let digits: Vec<usize> = (0..len).filter(|&i| v[i].is_ascii_digit()).collect();
            let at = digits.choose(rng).copied().unwrap_or(0).min(len);
            let end = (at..len).find(|&i| !v[i].is_ascii_digit()).unwrap_or(len);
            let t = HOSTILE_TEXT.choose(rng).unwrap().as_bytes().to_vec();
            v.splice(at..end, t);
        }
        _ => {
            let i = rng.random_range(0..=len);
            let t = HOSTILE_TEXT.choose(rng).unwrap().as_bytes().to_vec();
            v.splice(i..i, t);
        }
    }
}

/// Dimensions that break naive size computations.
const HOSTILE_DIMS: &[u64] = &[
    0,
    1,
    2,
    3,
    28,
    1000,
    1_000_000_000,
    4_294_967_296,
    1 << 62,
    u64::MAX,
];

/// An `.npy` file built field by field: a random dtype, order and shape (often huge) over a short
/// body, with a correct header length, so the declared sizes themselves are what is tested.
pub fn npy_structured(rng: &mut ChaCha8Rng) -> Vec<u8> {
    let descr = [
        "<f4", "<f8", "<i8", "|b1", "|u1", ">f4", "<f2", "<c8", "<U3", "x",
    ]
    .choose(rng)
    .unwrap();
    let dims: Vec<String> = (0..rng.random_range(0..4))
        .map(|_| HOSTILE_DIMS.choose(rng).unwrap().to_string())
        .collect();
    let shape = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let fortran = if rng.random_bool(0.5) {
        "True"
    } else {
        "False"
    };
    let mut h = format!("{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}")
        .into_bytes();
    while (h.len() + 11) % 64 != 0 {
        h.push(b' ');
    }
    h.push(b'\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend((h.len() as u16).to_le_bytes());
    out.extend(h);
    out.extend((0..rng.random_range(0..64)).map(|_| rng.random::<u8>()));
    out
}

/// A `.safetensors` file built field by field around a valid model description: tensors with
/// random (often huge) shapes and offsets, and a correct header length.
pub fn safetensors_structured(rng: &mut ChaCha8Rng, spec_json: &str) -> Vec<u8> {
    let mut tensors = serde_json::Map::new();
    for name in ["layers.0.kernel", "layers.0.bias", "x"] {
        if rng.random_bool(0.8) {
            let shape: Vec<u64> = (0..rng.random_range(0..3))
                .map(|_| *HOSTILE_DIMS.choose(rng).unwrap())
                .collect();
            let a = *HOSTILE_DIMS.choose(rng).unwrap();
            let b = *HOSTILE_DIMS.choose(rng).unwrap();
            let dtype = ["F32", "F64", "I8", "BOOL"].choose(rng).unwrap();
            tensors.insert(
                name.into(),
                json!({"dtype": dtype, "shape": shape, "data_offsets": [a.min(b), a.max(b)]}),
            );
        }
    }
    tensors.insert("__metadata__".into(), json!({"advlab": spec_json}));
    let header = Value::Object(tensors).to_string().into_bytes();
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend(header);
    out.extend((0..rng.random_range(0..128)).map(|_| rng.random::<u8>()));
    out
}

/// A hostile JSON value.
fn hostile_value(rng: &mut ChaCha8Rng) -> Value {
    match rng.random_range(0..16) {
        0 => json!(-5),
        1 => json!(1e20),
        2 => json!(-1e39),
        3 => json!("abc"),
        4 => Value::Null,
        5 => json!(true),
        6 => json!([]),
        7 => json!({}),
        8 => json!(u64::MAX),
        9 => json!(2.5),
        10 => json!([1e30, -1, "x"]),
        11 => json!("x".repeat(rng.random_range(0..2000))),
        12 => json!({"attack": "pgd", "max_iter": 1e9}),
        13 => json!({"method": "madry-pgd", "max_iter": 0}),
        14 => json!(i64::MIN),
        _ => json!(rng.random_range(-3..100_000)),
    }
}

/// Every location (path of keys and indices) in `v`.
fn paths(v: &Value, at: &mut Vec<Vec<Value>>, here: Vec<Value>) {
    at.push(here.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let mut p = here.clone();
                p.push(json!(k));
                paths(child, at, p);
            }
        }
        Value::Array(items) if items.len() <= 16 => {
            for (i, child) in items.iter().enumerate() {
                let mut p = here.clone();
                p.push(json!(i));
                paths(child, at, p);
            }
        }
        _ => {}
    }
}

fn at_path<'a>(v: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            Value::String(k) => cur.get_mut(k.as_str())?,
            Value::Number(n) => cur.get_mut(n.as_u64()? as usize)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// A plausible value for a leaf (so that many mutated requests still decode and reach the
/// session): a small number of the same kind, or the other boolean.
fn plausible(rng: &mut ChaCha8Rng, old: &Value) -> Value {
    match old {
        Value::Number(n) if n.is_u64() => json!(rng.random_range(0..60)),
        Value::Number(_) => json!(rng.random_range(0.0..1.0)),
        Value::Bool(b) => json!(!b),
        other => other.clone(),
    }
}

/// A request with one to three of its values replaced by hostile ones, keys dropped or added;
/// or, half the time, with plausible values only.
pub fn json(rng: &mut ChaCha8Rng, seed: &Value) -> Value {
    let mut v = seed.clone();
    if rng.random_bool(0.5) {
        for _ in 0..rng.random_range(1..=3) {
            let mut all = Vec::new();
            paths(&v, &mut all, Vec::new());
            let path = all.choose(rng).cloned().unwrap_or_default();
            if let Some(slot) = at_path(&mut v, &path) {
                *slot = plausible(rng, slot);
            }
        }
        return v;
    }
    for _ in 0..rng.random_range(1..=3) {
        let mut all = Vec::new();
        paths(&v, &mut all, Vec::new());
        let path = all.choose(rng).cloned().unwrap_or_default();
        match rng.random_range(0..6) {
            0 if !path.is_empty() => {
                let (last, parent) = path.split_last().expect("not empty");
                if let (Some(Value::Object(map)), Value::String(k)) =
                    (at_path(&mut v, parent), last)
                {
                    map.remove(k);
                }
            }
            1 => {
                if let Some(Value::Object(map)) = at_path(&mut v, &path) {
                    let key = [
                        "eps", "epochs", "max_iter", "type", "attack", "method", "extra",
                    ]
                    .choose(rng)
                    .unwrap();
                    map.insert(key.to_string(), hostile_value(rng));
                }
            }
            _ => {
                let value = hostile_value(rng);
                if let Some(slot) = at_path(&mut v, &path) {
                    *slot = value;
                }
            }
        }
    }
    v
}
