//! [`ImagesError`]: everything that can go wrong while building a dataset from your own images
//! (a `.zip` or a folder of class folders) or from a pair of `.npy` arrays.
//!
//! Every variant names the offending file, class or value, so a message is actionable on its
//! own. `Display` is the English message; [`Bilingual::ko`] gives the Korean one.

use crate::lang::{say, Bilingual, Lang, Text};

/// Why a dataset of your own could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImagesError {
    /// An archive or array file larger than the limit.
    FileTooLarge { file: String, size: u64, limit: u64 },
    /// Bytes that are not a zip archive, or a zip archive whose directory is corrupt.
    NotAZip { file: String, reason: String },
    /// One file of the archive cannot be read (encrypted, an unsupported compression, corrupt).
    ZipEntry { file: String, reason: String },
    /// A file or folder that cannot be read from disk (native builds).
    Io { path: String, reason: String },
    /// More files than the limit.
    TooManyFiles { count: usize, limit: usize },
    /// More classes than the limit.
    TooManyClasses { count: usize, limit: usize },
    /// The image files declare more unpacked bytes, all together, than the limit.
    UnpackedTooLarge { file: String, size: u64, limit: u64 },
    /// Unpacking went past the limit (a zip bomb whose sizes lie); `file` is where it stopped.
    UnpackStopped { file: String, limit: u64 },
    /// A class folder without a single PNG or JPEG image.
    EmptyClass { class: String },
    /// A class too small to give both the train and the test split an image.
    ClassTooSmall { class: String, count: usize },
    /// Fewer than two classes (the names found, maybe none).
    TooFewClasses { found: Vec<String> },
    /// An image that does not decode (the decoder's message, in English).
    BadImage { file: String, reason: String },
    /// An image wider or taller than the limit.
    ImageTooLarge {
        file: String,
        width: u32,
        height: u32,
        limit: u32,
    },
    /// A test fraction outside `[0, 1)`.
    BadTestFraction(f64),
    /// A `.npy` header that does not parse, or that does not match the data after it.
    NpyHeader { which: &'static str, reason: Text },
    /// A `.npy` dtype that is not accepted for this array.
    NpyDtype {
        which: &'static str,
        descr: String,
        expected: Text,
    },
    /// A `.npy` array of the wrong rank or with an empty or too large side.
    NpyShape {
        which: &'static str,
        shape: Vec<usize>,
        expected: Text,
    },
    /// Images with a number of channels other than 1 or 3.
    NpyChannels { channels: usize },
    /// `x` and `y` hold a different number of samples.
    CountMismatch { x: usize, y: usize },
    /// A label that is negative or names no class.
    LabelOutOfRange {
        index: usize,
        label: f64,
        nb_classes: usize,
    },
    /// A label that is not a whole number.
    LabelNotInteger { index: usize, value: f64 },
    /// A float pixel outside `[0, 1]`, or not finite.
    PixelOutOfRange {
        sample: usize,
        position: usize,
        value: f64,
    },
}

/// `names` quoted and joined, at most 5 of them.
fn list(names: &[String]) -> String {
    let mut out: Vec<String> = names.iter().take(5).map(|n| format!("{n:?}")).collect();
    if names.len() > 5 {
        out.push("…".into());
    }
    out.join(", ")
}

impl Bilingual for ImagesError {
    fn say(&self, lang: Lang) -> String {
        use ImagesError as E;
        match self {
            E::FileTooLarge { file, size, limit } => say!(
                lang,
                "{file}: {size} bytes is more than the limit of {limit} bytes",
                "{file}: {size}바이트로 한도 {limit}바이트를 넘습니다"
            ),
            E::NotAZip { file, reason } => say!(
                lang,
                "{file} is not a zip archive, or a corrupt one: {reason}",
                "{file}: zip 압축 파일이 아니거나 손상되었습니다: {reason}"
            ),
            E::ZipEntry { file, reason } => say!(
                lang,
                "cannot unpack {file} from the archive: {reason}",
                "압축 파일에서 {file}을(를) 풀 수 없습니다: {reason}"
            ),
            E::Io { path, reason } => say!(
                lang,
                "cannot read {path}: {reason}",
                "읽을 수 없습니다: {path}: {reason}"
            ),
            E::TooManyFiles { count, limit } => say!(
                lang,
                "{count} files is more than the limit of {limit}",
                "파일 {count}개는 한도 {limit}개를 넘습니다"
            ),
            E::TooManyClasses { count, limit } => say!(
                lang,
                "{count} classes is more than the limit of {limit}",
                "클래스 {count}개는 한도 {limit}개를 넘습니다"
            ),
            E::UnpackedTooLarge { file, size, limit } => say!(
                lang,
                "the images in {file} unpack to {size} bytes, more than the limit of {limit} bytes",
                "{file}의 이미지는 풀면 {size}바이트로 한도 {limit}바이트를 넘습니다"
            ),
            E::UnpackStopped { file, limit } => say!(
                lang,
                "unpacking stopped at {file}: the images unpack to more than the limit of {limit} bytes",
                "{file}에서 풀기를 멈췄습니다: 이미지를 풀면 한도 {limit}바이트를 넘습니다"
            ),
            E::EmptyClass { class } => say!(
                lang,
                "class folder {class:?} holds no PNG or JPEG image",
                "클래스 폴더 {class:?}에 PNG나 JPEG 이미지가 없습니다"
            ),
            E::ClassTooSmall { class, count } => say!(
                lang,
                "class {class:?} has {count} image(s): a test split needs at least 2 per class",
                "클래스 {class:?}의 이미지는 {count}개입니다: 테스트 분할에는 클래스마다 2개 이상이 필요합니다"
            ),
            E::TooFewClasses { found } => {
                let (n, names) = (found.len(), list(found));
                say!(
                    lang,
                    "{n} class(es) found ({names}): a dataset needs at least 2, one sub-folder per class (such as cat/001.png and dog/002.jpg)",
                    "클래스를 {n}개 찾았습니다({names}): 데이터셋에는 클래스가 2개 이상, 클래스마다 하위 폴더 하나씩(예: cat/001.png, dog/002.jpg) 필요합니다"
                )
            }
            E::BadImage { file, reason } => say!(
                lang,
                "{file} is not a PNG or JPEG image that decodes: {reason}",
                "{file}: 해독할 수 있는 PNG나 JPEG 이미지가 아닙니다: {reason}"
            ),
            E::ImageTooLarge {
                file,
                width,
                height,
                limit,
            } => say!(
                lang,
                "{file} is {width}x{height} pixels; images may be at most {limit} pixels on a side",
                "{file}: {width}x{height} 픽셀입니다. 이미지의 한 변은 {limit}픽셀 이하여야 합니다"
            ),
            E::BadTestFraction(f) => say!(
                lang,
                "test fraction {f} must be at least 0 and less than 1",
                "테스트 비율 {f}: 0 이상 1 미만이어야 합니다"
            ),
            E::NpyHeader { which, reason } => {
                let reason = reason.get(lang);
                say!(
                    lang,
                    "{which}.npy: not a valid .npy file: {reason}",
                    "{which}.npy: 올바른 .npy 파일이 아닙니다: {reason}"
                )
            }
            E::NpyDtype {
                which,
                descr,
                expected,
            } => {
                let expected = expected.get(lang);
                say!(
                    lang,
                    "{which}.npy: dtype {descr:?} is not supported: {expected}",
                    "{which}.npy: dtype {descr:?}은(는) 쓸 수 없습니다: {expected}"
                )
            }
            E::NpyShape {
                which,
                shape,
                expected,
            } => {
                let expected = expected.get(lang);
                say!(
                    lang,
                    "{which}.npy: shape {shape:?} is not {expected}",
                    "{which}.npy: 모양 {shape:?}이(가) {expected}이(가) 아닙니다"
                )
            }
            E::NpyChannels { channels } => say!(
                lang,
                "x.npy: {channels} channels; images must have 1 (grey) or 3 (RGB)",
                "x.npy: 채널이 {channels}개입니다. 이미지는 채널이 1개(회색조)나 3개(RGB)여야 합니다"
            ),
            E::CountMismatch { x, y } => say!(
                lang,
                "x.npy holds {x} images but y.npy holds {y} labels",
                "x.npy에는 이미지가 {x}개인데 y.npy에는 레이블이 {y}개입니다"
            ),
            E::LabelOutOfRange {
                index,
                label,
                nb_classes,
            } => say!(
                lang,
                "y.npy: label {label} at index {index} is not a class index from 0 to {}",
                "y.npy: 위치 {index}의 레이블 {label}이(가) 0부터 {}까지의 클래스 번호가 아닙니다";
                nb_classes.saturating_sub(1)
            ),
            E::LabelNotInteger { index, value } => say!(
                lang,
                "y.npy: label {value} at index {index} is not a whole number",
                "y.npy: 위치 {index}의 레이블 {value}이(가) 정수가 아닙니다"
            ),
            E::PixelOutOfRange {
                sample,
                position,
                value,
            } => say!(
                lang,
                "x.npy: image {sample} holds {value} at position {position}; float pixels must lie in [0, 1]",
                "x.npy: 이미지 {sample}의 위치 {position} 값이 {value}입니다. 실수 픽셀은 [0, 1] 안에 있어야 합니다"
            ),
        }
    }
}

crate::lang::english_display!(ImagesError);
