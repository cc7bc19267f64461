//! [`DataError`]: everything that can go wrong while decoding or loading a dataset.
//!
//! Every variant carries the offending values so a message is actionable on its own.

use std::path::PathBuf;

use crate::lang::{say, Bilingual, Lang, Text};

/// Why a dataset could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// An IDX file starts with the wrong magic number.
    BadMagic {
        what: &'static str,
        expected: u32,
        found: u32,
    },
    /// A file is shorter than its header says.
    Truncated {
        what: &'static str,
        expected: usize,
        actual: usize,
    },
    /// A file is longer than its header says.
    TrailingBytes {
        what: &'static str,
        expected: usize,
        actual: usize,
    },
    /// The data starts like gzip but does not decompress (the decoder's message, in English).
    BadGzip(String),
    /// Decompression would exceed the size cap (protects against gzip bombs).
    TooLarge { limit: usize },
    /// A label is not a valid class index.
    LabelOutOfRange {
        index: usize,
        label: usize,
        nb_classes: usize,
    },
    /// Image and label files describe a different number of samples.
    CountMismatch {
        split: &'static str,
        images: usize,
        labels: usize,
    },
    /// Images have an unexpected size.
    WrongImageSize {
        what: &'static str,
        rows: usize,
        cols: usize,
        expected_rows: usize,
        expected_cols: usize,
    },
    /// A CSV line could not be understood.
    Csv { line: usize, reason: Text },
    /// The CSV's classes are not laid out as the split requires.
    ClassLayout(Text),
    /// A split fraction outside `(0, 1)`.
    BadTestFraction(f64),
    /// A canvas whose buffer does not match its declared size.
    BadCanvas {
        width: usize,
        height: usize,
        expected: usize,
        actual: usize,
    },
    /// A pixel that is NaN or infinite.
    NonFinitePixel { index: usize, value: f32 },
    /// A dataset name the loader does not know.
    UnknownDataset { name: String, valid: String },
    /// The wrong number of files for a dataset.
    FileCount {
        name: String,
        expected: String,
        actual: usize,
    },
    /// A CIFAR-10 batch file that is not a whole number of 3,073-byte records.
    CifarRecordSize { file: String, len: usize },
    /// A CIFAR-10 batch file with more records than [`crate::limits::MAX_CIFAR_RECORDS_PER_FILE`].
    CifarTooManyRecords { file: String, records: usize },
    /// A CIFAR-10 file the archive or folder does not have.
    CifarMissing { file: String, looked_in: String },
    /// `batches.meta.txt` does not name ten classes.
    CifarMeta { found: usize },
    /// An archive that does not read as tar (the reader's message, in English).
    BadArchive(String),
    /// A dataset of your own (class folders, `.npy` pairs) that could not be read.
    Images(#[from] super::images::ImagesError),
    /// A vendored file could not be read.
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Bilingual for DataError {
    fn say(&self, lang: Lang) -> String {
        match self {
            DataError::BadMagic {
                what,
                expected,
                found,
            } => say!(
                lang,
                "{what}: bad IDX magic number 0x{found:08x}, expected 0x{expected:08x}",
                "{what}: 잘못된 IDX 매직 넘버 0x{found:08x}, 예상한 값은 0x{expected:08x}입니다"
            ),
            DataError::Truncated {
                what,
                expected,
                actual,
            } => say!(
                lang,
                "{what}: truncated, expected {expected} bytes but got {actual}",
                "{what}: 잘렸습니다. {expected}바이트여야 하는데 {actual}바이트입니다"
            ),
            DataError::TrailingBytes {
                what,
                expected,
                actual,
            } => say!(
                lang,
                "{what}: {actual} bytes but the header describes only {expected}",
                "{what}: {actual}바이트인데 헤더가 설명하는 것은 {expected}바이트뿐입니다"
            ),
            DataError::BadGzip(e) => say!(
                lang,
                "bad gzip stream: {e}",
                "잘못된 gzip 스트림: {e}"
            ),
            DataError::TooLarge { limit } => say!(
                lang,
                "decompressed data exceeds the limit of {limit} bytes",
                "압축을 푼 데이터가 한도 {limit}바이트를 넘습니다"
            ),
            DataError::LabelOutOfRange {
                index,
                label,
                nb_classes,
            } => say!(
                lang,
                "label {label} at index {index} is out of range for {nb_classes} classes",
                "위치 {index}의 레이블 {label}: 클래스 {nb_classes}개의 범위를 벗어났습니다"
            ),
            DataError::CountMismatch {
                split,
                images,
                labels,
            } => say!(
                lang,
                "{split}: {images} images but {labels} labels",
                "{split}: 이미지는 {images}개인데 레이블은 {labels}개입니다"
            ),
            DataError::WrongImageSize {
                what,
                rows,
                cols,
                expected_rows,
                expected_cols,
            } => say!(
                lang,
                "{what}: images are {rows}x{cols}, expected {expected_rows}x{expected_cols}",
                "{what}: 이미지가 {rows}x{cols}인데 예상한 크기는 {expected_rows}x{expected_cols}입니다"
            ),
            DataError::Csv { line, reason } => {
                let reason = reason.get(lang);
                say!(
                    lang,
                    "CSV line {line}: {reason}",
                    "CSV {line}번째 줄: {reason}"
                )
            }
            DataError::ClassLayout(why) => {
                let why = why.get(lang);
                say!(lang, "class layout: {why}", "클래스 배치: {why}")
            }
            DataError::BadTestFraction(f) => say!(
                lang,
                "test_set fraction {f} must lie strictly between 0 and 1",
                "test_set 비율 {f}: 0과 1 사이(양 끝 제외)여야 합니다"
            ),
            DataError::BadCanvas {
                width,
                height,
                expected,
                actual,
            } => say!(
                lang,
                "canvas of {width}x{height} needs {expected} pixels, got {actual}",
                "{width}x{height} 캔버스에는 픽셀 {expected}개가 필요한데 {actual}개를 받았습니다"
            ),
            DataError::NonFinitePixel { index, value } => say!(
                lang,
                "pixel {index} is not finite ({value})",
                "픽셀 {index}의 값이 유한하지 않습니다({value})"
            ),
            DataError::UnknownDataset { name, valid } => say!(
                lang,
                "unknown dataset {name:?}; valid names are {valid}",
                "알 수 없는 데이터셋 {name:?}입니다. 쓸 수 있는 이름: {valid}"
            ),
            DataError::FileCount {
                name,
                expected,
                actual,
            } => {
                let count = expected.split(", ").count();
                say!(
                    lang,
                    "{name} needs {count} files ({expected}), got {actual}",
                    "{name}에는 파일 {count}개({expected})가 필요한데 {actual}개를 받았습니다"
                )
            }
            DataError::CifarRecordSize { file, len } => {
                let rest = len % crate::data::cifar::RECORD_BYTES;
                say!(
                    lang,
                    "{file}: {len} bytes is not a whole number of CIFAR-10 records of 3073 bytes ({rest} left over)",
                    "{file}: {len}바이트는 3073바이트짜리 CIFAR-10 레코드의 정수 배가 아닙니다({rest}바이트가 남음)"
                )
            }
            DataError::CifarTooManyRecords { file, records } => {
                let limit = crate::limits::MAX_CIFAR_RECORDS_PER_FILE;
                say!(
                    lang,
                    "{file}: {records} records, more than the limit of {limit} per file",
                    "{file}: 레코드 {records}개로, 파일당 한도 {limit}개를 넘습니다"
                )
            }
            DataError::CifarMissing { file, looked_in } => say!(
                lang,
                "no {file} in {looked_in} (CIFAR-10's binary version has data_batch_1.bin to data_batch_5.bin and test_batch.bin)",
                "{looked_in}에 {file}이(가) 없습니다(CIFAR-10 바이너리 버전에는 data_batch_1.bin부터 data_batch_5.bin까지와 test_batch.bin이 있습니다)"
            ),
            DataError::CifarMeta { found } => say!(
                lang,
                "batches.meta.txt names {found} classes, not CIFAR-10's 10",
                "batches.meta.txt에 클래스가 {found}개 있습니다. CIFAR-10은 10개입니다"
            ),
            DataError::BadArchive(e) => say!(
                lang,
                "not a readable tar archive: {e}",
                "읽을 수 있는 tar 아카이브가 아닙니다: {e}"
            ),
            DataError::Images(e) => e.say(lang),
            DataError::Io { path, source } => {
                let path = path.display();
                say!(
                    lang,
                    "cannot read {path}: {source}",
                    "읽을 수 없습니다: {path}: {source}"
                )
            }
        }
    }
}

crate::lang::english_display!(DataError);
