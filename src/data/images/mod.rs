//! Datasets of your own: class folders of PNG and JPEG images (a `.zip`, or a folder on disk) and
//! pairs of `.npy` arrays, decoded from bytes so the same code runs natively and in the browser's
//! worker.
//!
//! # Class folders
//!
//! [`images_from_zip`] reads a `.zip` laid out one sub-folder per class (`cat/001.png`,
//! `dog/a.jpg`); a single top-level folder wrapping them (`pets/cat/001.png`) is looked through,
//! images deeper inside a class folder belong to that class, and `__MACOSX/`, dotfiles and files
//! that are not `.png`, `.jpg` or `.jpeg` are ignored. Class names are the folder names, sorted;
//! files are taken in sorted order, so the archive's own order does not matter.
//! [`images_from_dir`] (native builds) reads the same layout from a folder on disk.
//!
//! Every image is centre-cropped to a square and area-averaged down (or up) to the
//! [`ImageSize`] picked: [`ImageSize::Grey28`] (28×28 luminance, like MNIST) or
//! [`ImageSize::Colour32`] (32×32 RGB, like CIFAR-10). Pixels are scaled to `[0, 1]`.
//!
//! # `.npy` pairs
//!
//! [`dataset_from_npy`] takes `x` of shape `(N, H, W, C)`, `C` being 1 or 3, of `uint8` (0-255)
//! or `float32`/`float64` (in `[0, 1]`), and `y` of shape `(N,)` of integer labels (whole floats
//! are accepted too). Images keep their size; classes are named `"0"` to `"K-1"`, or as given to
//! [`dataset_from_npy_with_names`]. The `.npy` header is parsed here (C order, little-endian
//! `u1`, `i4`, `i8`, `f4`, `f8`), so this also works in the browser.
//!
//! # Split
//!
//! Both are split into train and test sets per class ([`Split`]): each class gives
//! `round(n × test_fraction)` of its `n` samples, at least 1 and at most `n - 1`, to the test
//! set (a test fraction of 0 leaves the test set empty). Which samples, and the order of both
//! sets, follow from the seed alone.
//!
//! # Limits
//!
//! Archives and arrays are at most [`MAX_IMAGES_FILE_BYTES`] long; an archive's images unpack to
//! at most [`MAX_IMAGES_UNPACKED_BYTES`] (checked against the sizes the archive declares, and
//! again while inflating); at most [`MAX_IMAGE_FILES`] images in at most [`MAX_IMAGE_CLASSES`]
//! classes, each at most [`MAX_IMAGE_SIDE`] pixels on a side. Every failure is an
//! [`ImagesError`] naming the file, class or value at fault, in English and Korean.
//!
//! [`MAX_IMAGES_FILE_BYTES`]: crate::limits::MAX_IMAGES_FILE_BYTES
//! [`MAX_IMAGES_UNPACKED_BYTES`]: crate::limits::MAX_IMAGES_UNPACKED_BYTES
//! [`MAX_IMAGE_FILES`]: crate::limits::MAX_IMAGE_FILES
//! [`MAX_IMAGE_CLASSES`]: crate::limits::MAX_IMAGE_CLASSES
//! [`MAX_IMAGE_SIDE`]: crate::limits::MAX_IMAGE_SIDE

mod archive;
mod assemble;
mod decode;
mod error;
#[cfg(not(target_arch = "wasm32"))]
mod folder;
mod layout;
mod npy;
mod npy_header;
mod split;
#[cfg(test)]
mod tests;

pub use archive::images_from_zip;
pub use error::ImagesError;
#[cfg(not(target_arch = "wasm32"))]
pub use folder::images_from_dir;
pub use npy::{dataset_from_npy, dataset_from_npy_with_names};

use serde::{Deserialize, Serialize};

/// The size every image is brought to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageSize {
    /// 28×28 pixels, 1 channel (luminance), like MNIST.
    Grey28,
    /// 32×32 pixels, 3 channels (RGB), like CIFAR-10.
    Colour32,
}

impl ImageSize {
    /// Both sizes, in the order a menu lists them.
    pub const ALL: [ImageSize; 2] = [ImageSize::Grey28, ImageSize::Colour32];

    /// Width and height in pixels.
    pub fn side(self) -> usize {
        match self {
            ImageSize::Grey28 => 28,
            ImageSize::Colour32 => 32,
        }
    }

    /// Channels per pixel: 1 (grey) or 3 (RGB).
    pub fn channels(self) -> usize {
        match self {
            ImageSize::Grey28 => 1,
            ImageSize::Colour32 => 3,
        }
    }

    /// The dataset's `input_shape` (NHWC without the N): `[28, 28, 1]` or `[32, 32, 3]`.
    pub fn input_shape(self) -> [usize; 3] {
        [self.side(), self.side(), self.channels()]
    }

    /// Values per image (the product of [`ImageSize::input_shape`]).
    pub fn n_features(self) -> usize {
        self.side() * self.side() * self.channels()
    }

    /// The name used on the command line and by the page: `grey28` or `colour32`.
    pub fn name(self) -> &'static str {
        match self {
            ImageSize::Grey28 => "grey28",
            ImageSize::Colour32 => "colour32",
        }
    }

    /// The size called `name` (see [`ImageSize::name`]), if any.
    pub fn from_name(name: &str) -> Option<ImageSize> {
        ImageSize::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// How samples are divided into train and test sets: per class, deterministic for a seed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// Share of each class that goes to the test set, in `[0, 1)` (0: no test set).
    pub test_fraction: f64,
    /// Seed of the shuffle that picks the test samples and orders both sets.
    pub seed: u64,
}

impl Split {
    /// The default share of each class held out for testing.
    pub const DEFAULT_TEST_FRACTION: f64 = 0.2;
}

impl Default for Split {
    /// A test fraction of 0.2 and seed 0.
    fn default() -> Self {
        Split {
            test_fraction: Split::DEFAULT_TEST_FRACTION,
            seed: 0,
        }
    }
}
