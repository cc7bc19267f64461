//! Small CIFAR-10 files in the exact binary format, made up on the spot: the test suites use
//! them (no registry ships CIFAR-10), and they show what the format looks like.
//!
//! [`separable_batch`] draws records a classifier can learn: dim noise with a bright 8×8 square
//! whose place and colour say the class. [`archive`] packs batch files as the authors'
//! `cifar-10-binary.tar.gz` does, in a `cifar-10-batches-bin/` folder.

use std::io::Write;

use super::{CLASS_NAMES, META_FILE, PIXELS, RECORD_BYTES, SIDE, TEST_FILE, TRAIN_FILES};

/// `n` records of a separable task: record `k` has label `(k + offset) % 10`; its pixels are
/// noise below 64, but for an 8×8 square at a place set by the label, bright (255) in channel
/// `label % 3` and dark in the others.
pub fn separable_batch(n: usize, offset: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * RECORD_BYTES);
    let mut state = (offset as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 64) as u8
    };
    for k in 0..n {
        let label = (k + offset) % 10;
        out.push(label as u8);
        let (top, left) = ((label / 5) * 16 + 4, (label % 5) * 6);
        for c in 0..3 {
            for p in 0..PIXELS {
                let (row, col) = (p / SIDE, p % SIDE);
                let inside = (top..top + 8).contains(&row) && (left..left + 8).contains(&col);
                out.push(match (inside, c == label % 3) {
                    (true, true) => 255,
                    (true, false) => 0,
                    _ => noise(),
                });
            }
        }
    }
    out
}

/// A gzipped tar of `files` (name, bytes) in a `cifar-10-batches-bin/` folder.
pub fn archive(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        let path = format!("cifar-10-batches-bin/{name}");
        builder
            .append_data(&mut header, path, data.as_slice())
            .expect("writing to memory");
    }
    let tar = builder.into_inner().expect("writing to memory");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// Every file of a CIFAR-10 with `n` separable records per batch (5 `n` for training, `n` for
/// testing) and the class names, ready for [`archive`].
pub fn separable_files(n: usize) -> Vec<(&'static str, Vec<u8>)> {
    let mut files: Vec<(&str, Vec<u8>)> = TRAIN_FILES
        .iter()
        .enumerate()
        .map(|(i, f)| (*f, separable_batch(n, i * 3)))
        .collect();
    files.push((TEST_FILE, separable_batch(n, 7)));
    files.push((META_FILE, CLASS_NAMES.join("\n").into_bytes()));
    files
}
