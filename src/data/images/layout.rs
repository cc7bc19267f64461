//! Which files of an archive or folder are images, and which class each belongs to.
//!
//! A path is split at `/` (and `\`, which some Windows tools write). Paths with a part that
//! starts with `.` or is `__MACOSX` are skipped; files whose extension is not `.png`, `.jpg` or
//! `.jpeg` are not images. While every image sits at least two folders deep under one and the
//! same folder, that folder is looked through. The first folder below is the image's class.

use std::collections::BTreeMap;

use super::ImagesError;
use crate::limits::{MAX_IMAGE_CLASSES, MAX_IMAGE_FILES};

/// One file or folder of an archive or a directory tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The path as the archive or the file system gives it (for messages).
    pub path: String,
    /// The path's parts, without empty ones.
    pub parts: Vec<String>,
    /// A folder rather than a file.
    pub is_dir: bool,
    /// Size in bytes, as declared (a zip's central directory) or measured (the file system).
    pub size: u64,
}

impl Entry {
    /// An entry from its path (`/` or `\` separated), kind and size.
    pub fn new(path: &str, is_dir: bool, size: u64) -> Entry {
        let parts = path
            .split(['/', '\\'])
            .filter(|p| !p.is_empty() && *p != ".")
            .map(str::to_string)
            .collect();
        Entry {
            path: path.to_string(),
            parts,
            is_dir,
            size,
        }
    }

    /// Hidden (a part starting with `.`, which also covers `..`) or macOS metadata.
    fn skipped(&self) -> bool {
        self.parts.is_empty()
            || self
                .parts
                .iter()
                .any(|p| p.starts_with('.') || p == "__MACOSX")
    }

    /// A PNG or JPEG file, by its extension.
    fn is_image(&self) -> bool {
        if self.is_dir {
            return false;
        }
        let name = self.parts.last().map(String::as_str).unwrap_or("");
        match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => {
                let ext = ext.to_ascii_lowercase();
                matches!(ext.as_str(), "png" | "jpg" | "jpeg")
            }
            _ => false,
        }
    }
}

/// The classes found and the images of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Class names, sorted.
    pub class_names: Vec<String>,
    /// `(entry index, label)` of every image, by class, then by path.
    pub files: Vec<(usize, usize)>,
}

/// How many leading folders all images share and sit below with at least two more parts.
fn wrapper_depth(images: &[&Entry]) -> usize {
    let mut depth = 0;
    while let Some(first) = images.first() {
        let shared = images
            .iter()
            .all(|e| e.parts.len() >= depth + 3 && e.parts[depth] == first.parts[depth]);
        if !shared {
            break;
        }
        depth += 1;
    }
    depth
}

/// Classes and images of `entries` (see the module's documentation).
pub(crate) fn layout(entries: &[Entry]) -> Result<Layout, ImagesError> {
    let kept: Vec<(usize, &Entry)> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.skipped())
        .collect();
    let images: Vec<&Entry> = kept
        .iter()
        .map(|&(_, e)| e)
        .filter(|e| e.is_image())
        .collect();
    if images.len() > MAX_IMAGE_FILES {
        return Err(ImagesError::TooManyFiles {
            count: images.len(),
            limit: MAX_IMAGE_FILES,
        });
    }
    let depth = wrapper_depth(&images);
    let prefix: &[String] = images.first().map_or(&[], |e| &e.parts[..depth]);
    let mut classes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &(index, e) in &kept {
        if !e.parts.starts_with(prefix) {
            continue;
        }
        let rest = &e.parts[depth..];
        // A folder is a class; so is the first folder of a file inside one.
        let inside = if e.is_dir { 1 } else { 2 };
        if rest.len() < inside {
            continue;
        }
        let images = classes.entry(&rest[0]).or_default();
        if e.is_image() {
            images.push(index);
        }
    }
    if classes.len() > MAX_IMAGE_CLASSES {
        return Err(ImagesError::TooManyClasses {
            count: classes.len(),
            limit: MAX_IMAGE_CLASSES,
        });
    }
    let class_names: Vec<String> = classes.keys().map(|c| c.to_string()).collect();
    if class_names.len() < 2 {
        return Err(ImagesError::TooFewClasses { found: class_names });
    }
    let mut files = Vec::new();
    for (label, (class, mut indices)) in classes.into_iter().enumerate() {
        if indices.is_empty() {
            return Err(ImagesError::EmptyClass {
                class: class.to_string(),
            });
        }
        indices.sort_by(|&a, &b| entries[a].parts.cmp(&entries[b].parts));
        files.extend(indices.into_iter().map(|i| (i, label)));
    }
    Ok(Layout { class_names, files })
}
