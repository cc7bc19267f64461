//! Writing output files without ever losing data: [`write_atomic`] puts the bytes into a
//! temporary file in the target's folder, syncs it and renames it over the target, so a full
//! disk, a size limit or a crash leaves either the old file or the new one, never a truncated
//! one; on any error the temporary file is removed. Every file the command line writes (models,
//! `.npy` arrays, CSV, reports) goes through it. Native only: the page stores models in IndexedDB,
//! whose transactions are already all-or-nothing.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The temporary file next to `path` that [`write_atomic`] writes first.
fn temporary(path: &Path) -> PathBuf {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    parent.join(format!(".{name}.{}.advlab-tmp", std::process::id()))
}

/// Writes `bytes` to `path` atomically (see the module documentation). The error is the OS's
/// reason alone (callers name the file).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = temporary(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        e.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("advlab-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("m.safetensors");
        write_atomic(&file, b"old").unwrap();
        write_atomic(&file, b"new").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        // A target that is a folder cannot be replaced: the write fails, nothing is left behind.
        let folder = dir.join("sub");
        std::fs::create_dir_all(folder.join("x")).unwrap();
        assert!(write_atomic(&folder, b"data").is_err());
        assert!(folder.join("x").is_dir());
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("advlab-tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
