//! Class folders on disk (native builds): the layout of a `.zip`, read from a directory.

use std::path::{Path, PathBuf};

use super::archive::MAX_ZIP_ENTRIES;
use super::assemble::{assemble, Request, Source};
use super::layout::Entry;
use super::{ImageSize, ImagesError, Split};
use crate::data::Dataset;
use crate::limits::{read_capped, MAX_IMAGES_FILE_BYTES, MAX_IMAGES_UNPACKED_BYTES};

/// Deepest folder looked into below the root.
const MAX_DEPTH: usize = 16;

/// The dataset of the class folders under `root`, laid out as for
/// [`images_from_zip`](super::images_from_zip); each file is read with
/// [`read_capped`] at [`MAX_IMAGES_FILE_BYTES`]. Symbolic links to folders are not followed.
pub fn images_from_dir(
    root: &Path,
    size: ImageSize,
    split: Split,
    name: &str,
) -> Result<Dataset, ImagesError> {
    let io = |path: &Path, reason: String| ImagesError::Io {
        path: path.display().to_string(),
        reason,
    };
    let meta = std::fs::metadata(root).map_err(|e| io(root, e.to_string()))?;
    if !meta.is_dir() {
        return Err(io(root, "is not a folder".into()));
    }
    let mut entries = Vec::new();
    let mut paths = Vec::new();
    walk(root, root, 0, &mut entries, &mut paths)?;
    let origin = root.display().to_string();
    let request = Request {
        origin: &origin,
        name,
        size,
        split,
        unpack_limit: MAX_IMAGES_UNPACKED_BYTES,
    };
    assemble(&mut FolderSource { paths }, &entries, &request)
}

/// Adds the files and folders below `dir` to `entries` (paths relative to `root`, `/`-joined)
/// and their full paths to `paths`.
fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    entries: &mut Vec<Entry>,
    paths: &mut Vec<PathBuf>,
) -> Result<(), ImagesError> {
    let io = |path: &Path, e: std::io::Error| ImagesError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    for item in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let item = item.map_err(|e| io(dir, e))?;
        let path = item.path();
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "__MACOSX" {
            continue;
        }
        if entries.len() >= MAX_ZIP_ENTRIES {
            return Err(ImagesError::TooManyFiles {
                count: entries.len() + 1,
                limit: MAX_ZIP_ENTRIES,
            });
        }
        let kind = item.file_type().map_err(|e| io(&path, e))?;
        // A link to a file counts as that file; a link to a folder is not followed.
        let (is_dir, size) = if kind.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => (false, m.len()),
                _ => continue,
            }
        } else {
            let size = if kind.is_file() {
                item.metadata().map_err(|e| io(&path, e))?.len()
            } else {
                0
            };
            (kind.is_dir(), size)
        };
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        entries.push(Entry::new(&parts.join("/"), is_dir, size));
        paths.push(path.clone());
        if is_dir && depth < MAX_DEPTH {
            walk(root, &path, depth + 1, entries, paths)?;
        }
    }
    Ok(())
}

struct FolderSource {
    paths: Vec<PathBuf>,
}

impl Source for FolderSource {
    fn read(&mut self, index: usize, cap: u64) -> Result<Vec<u8>, ImagesError> {
        let path = &self.paths[index];
        // A file that grew since it was listed is cut at the cap and refused by the caller.
        read_capped(path, MAX_IMAGES_FILE_BYTES.min(cap.saturating_add(1))).map_err(|reason| {
            ImagesError::Io {
                path: path.display().to_string(),
                reason,
            }
        })
    }
}
