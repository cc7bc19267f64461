//! Every size and count limit of advlab, in one place, so that no user input can make the CLI or
//! the page allocate or loop without bound. The parameter kinds ([`crate::params::Kind`]) use the
//! counts; the file readers and the worker use the sizes. `docs/parameters.md` lists them too.

/// Largest `max_iter` of any attack or defence.
pub const MAX_ITER: u64 = 1000;
/// Largest `num_random_init` (random starts or restarts).
pub const MAX_RANDOM_INITS: u64 = 100;
/// Largest DeepFool `nb_grads`.
pub const MAX_NB_GRADS: u64 = 1000;
/// Largest `batch_size` of an attack (samples per classifier call; it does not change results).
pub const MAX_ATTACK_BATCH: u64 = 65_536;
/// Largest size of an eps, a step or JSMA's theta, in the units of the data.
pub const MAX_MAGNITUDE: f64 = 1000.0;
/// Most eps steps FGSM's `minimal` search may take (`eps / eps_step`).
pub const MAX_MINIMAL_STEPS: f64 = 100_000.0;
/// Largest number of iterations of Square (AutoAttack runs it for 5000).
pub const MAX_SQUARE_ITER: u64 = 10_000;
/// Largest C&W `binary_search_steps`.
pub const MAX_BINARY_SEARCH_STEPS: u64 = 100;
/// Largest C&W `max_halving` and `max_doubling` (line-search trials per iteration).
pub const MAX_LINE_SEARCH: u64 = 50;
/// Largest C&W `initial_const` (ART stops raising `c` at 1e11).
pub const MAX_CW_CONST: f64 = 1e10;
/// Largest HopSkipJump `max_eval` and `init_eval` (model queries per gradient estimate).
pub const MAX_HSJ_EVALS: u64 = 100_000;
/// Largest HopSkipJump `init_size` (random images tried for a first adversarial point).
pub const MAX_HSJ_INIT: u64 = 10_000;
/// Most halvings of HopSkipJump's step size in one iteration (ART halves until the step stays
/// adversarial, without a bound; 64 halvings take any step below f32 resolution).
pub const MAX_HSJ_STEP_HALVINGS: usize = 64;
/// Most epochs.
pub const MAX_EPOCHS: u64 = 1000;
/// Largest training batch: one optimiser step is the smallest unit of work a training job can
/// pause after (so Cancel waits for at most one), and 512 samples of the largest preset take
/// about 70 ms in the browser on a 2-core machine (1024 took up to 180 ms).
pub const MAX_TRAIN_BATCH: u64 = 512;
/// Largest `train_limit` / `test_limit` (more than any vendored dataset holds).
pub const MAX_SAMPLE_LIMIT: u64 = 1_000_000;
/// Most values in a robustness sweep.
pub const MAX_SWEEP_VALUES: usize = 50;
/// Most samples one attack, sweep or prediction request of the worker may name.
pub const MAX_REQUEST_SAMPLES: usize = 10_000;
/// Workers one attack may be split across.
pub const MAX_PARTS: u64 = 16;
/// Largest seed: the largest integer a JavaScript number holds exactly (2^53 - 1), so a seed
/// survives the trip through the page.
pub const MAX_SEED: u64 = (1 << 53) - 1;
/// Most attacks an adversarial trainer rotates through.
pub const MAX_TRAINER_ATTACKS: usize = 8;
/// Most pieces (pre- and post-processors) in a defence stack.
pub const MAX_STACK_PIECES: usize = 8;
/// Most draws an EOT attack averages its gradient over.
pub const MAX_EOT_SAMPLES: u64 = 100;

/// Largest `.safetensors` model file (the presets are under 1 MB).
pub const MAX_MODEL_FILE_BYTES: u64 = 64 << 20;
/// Largest JSON model spec (`--arch @file.json`, or inline).
pub const MAX_SPEC_BYTES: u64 = 1 << 20;
/// Largest `.npy` file the CLI reads (the MNIST test set in float64 is 63 MB).
pub const MAX_NPY_BYTES: u64 = 256 << 20;
/// Largest dataset file the worker accepts (MNIST's training images are 9.9 MB gzipped, 47 MB
/// raw; decompression is capped separately by [`crate::data::idx::MAX_DECOMPRESSED_BYTES`]).
pub const MAX_DATASET_FILE_BYTES: u64 = 64 << 20;
/// Largest CIFAR-10 archive or batch file read (the official `cifar-10-binary.tar.gz` is 162 MB).
pub const MAX_CIFAR_FILE_BYTES: u64 = 256 << 20;
/// Largest CIFAR-10 archive once decompressed (its tar is 184 MB): a gzip bomb stops here.
pub const MAX_CIFAR_UNPACKED_BYTES: u64 = 256 << 20;
/// Most records in one CIFAR-10 batch file (the official ones hold 10 000).
pub const MAX_CIFAR_RECORDS_PER_FILE: usize = 100_000;
/// Largest image archive (`.zip` of class folders) or `.npy` pair file read.
pub const MAX_IMAGES_FILE_BYTES: u64 = 256 << 20;
/// Largest total size of an image archive's files once unpacked (a zip bomb stops here).
pub const MAX_IMAGES_UNPACKED_BYTES: u64 = 512 << 20;
/// Most image files in one dataset of your own.
pub const MAX_IMAGE_FILES: usize = 100_000;
/// Most classes (sub-folders) in one dataset of your own.
pub const MAX_IMAGE_CLASSES: usize = 1000;
/// Largest width or height of one image before resizing.
pub const MAX_IMAGE_SIDE: u32 = 8192;

/// Reads a whole file of at most `limit` bytes; a longer file (or a device such as `/dev/zero`)
/// is refused after reading at most `limit + 1` bytes. The error is the reason alone (callers
/// name the file).
#[cfg(not(target_arch = "wasm32"))]
pub fn read_capped(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    // A FIFO (or a terminal, a socket) would block the open or the read until killed: only
    // regular files are read. `/dev/zero` and the like are caught by the limit below.
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if !meta.is_file() && !is_char_device(&meta) {
        return Err("is not a regular file (a pipe, socket or device)".into());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    if let Ok(meta) = file.metadata() {
        if meta.is_dir() {
            return Err("is a directory".into());
        }
        if meta.len() > limit {
            return Err(format!(
                "{} bytes is more than the limit of {limit} bytes",
                meta.len()
            ));
        }
    }
    let mut out = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    if out.len() as u64 > limit {
        return Err(format!("more than the limit of {limit} bytes"));
    }
    Ok(out)
}

/// Character devices (`/dev/zero`, `/dev/urandom`) never block and are cut at the limit.
#[cfg(all(unix, not(target_arch = "wasm32")))]
fn is_char_device(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_char_device()
}

#[cfg(all(not(unix), not(target_arch = "wasm32")))]
fn is_char_device(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_limit() {
        let err = read_capped(std::path::Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(err.contains("limit of 1000 bytes"), "{err}");
        let dir = std::env::temp_dir().join(format!("advlab-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("f.bin");
        std::fs::write(&f, [7u8; 10]).unwrap();
        assert_eq!(read_capped(&f, 10).unwrap().len(), 10);
        assert!(read_capped(&f, 9)
            .unwrap_err()
            .contains("10 bytes is more than"));
        assert!(read_capped(&dir, 9).unwrap_err().contains("directory"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
