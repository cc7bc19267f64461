//! [`ChartError`]: why a chart was not drawn, naming the offending field and value, plus the small
//! validation helpers ([`finite`], [`range`]) that every chart kind shares.

use plotters::drawing::DrawingAreaErrorKind;
use thiserror::Error;

use crate::lang::{say, text, Bilingual, Lang, Text};

/// Why a chart spec was rejected or could not be drawn. Field names are paths into the spec,
/// e.g. `series[1].values` or `grid.classes[17]`. `Display` is English; [`Bilingual::ko`] Korean.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ChartError {
    /// The spec did not decode (wrong kind, missing or unknown field, wrong type): the decoder's
    /// message, in English.
    BadSpec(String),
    /// A list has the wrong number of entries.
    Length {
        field: String,
        found: usize,
        expected: usize,
        why: Text,
    },
    /// A list that must not be empty is empty.
    Empty { field: String },
    /// A setting (range, scale, y_max) is NaN or infinite. Data values never cause this error:
    /// non-finite data points are skipped and counted in a note under the legend.
    NotFinite { field: String, value: f32 },
    /// A range whose minimum is not below its maximum.
    BadRange { field: String, min: f32, max: f32 },
    /// A setting outside its allowed interval.
    OutOfRange {
        field: String,
        value: f32,
        allowed: Text,
    },
    /// A word setting (`lang`) that is none of its choices.
    NotAChoice {
        field: String,
        value: String,
        choices: &'static str,
    },
    /// A class or label index with no matching name.
    UnknownClass {
        field: String,
        value: usize,
        classes: usize,
    },
    /// The drawing surface cannot hold the chart's title, legend and axes.
    TooSmall {
        width: u32,
        height: u32,
        need_width: u32,
        need_height: u32,
    },
    /// The drawing backend failed (for a canvas: the 2-D context threw); its message, in English.
    Drawing(String),
    /// The canvas gave no 2-D drawing context.
    NoContext,
}

impl Bilingual for ChartError {
    fn say(&self, lang: Lang) -> String {
        match self {
            ChartError::BadSpec(e) => say!(
                lang,
                "bad chart spec: {e}",
                "잘못된 차트 설명: {e}"
            ),
            ChartError::Length {
                field,
                found,
                expected,
                why,
            } => {
                let why = why.get(lang);
                say!(
                    lang,
                    "{field} has {found} entries but {expected} are needed ({why})",
                    "{field}의 항목은 {found}개인데 {expected}개가 필요합니다({why})"
                )
            }
            ChartError::Empty { field } => say!(
                lang,
                "{field} is empty",
                "{field}: 비어 있습니다"
            ),
            ChartError::NotFinite { field, value } => say!(
                lang,
                "{field} = {value} is not a finite number",
                "{field} = {value}: 유한한 수가 아닙니다"
            ),
            ChartError::BadRange { field, min, max } => say!(
                lang,
                "{field} = [{min}, {max}] is not an increasing range",
                "{field} = [{min}, {max}]: 증가하는 범위가 아닙니다"
            ),
            ChartError::OutOfRange {
                field,
                value,
                allowed,
            } => {
                let allowed = allowed.get(lang);
                say!(
                    lang,
                    "{field} = {value} is out of range: {allowed}",
                    "{field} = {value}: 범위를 벗어났습니다. {allowed}"
                )
            }
            ChartError::NotAChoice {
                field,
                value,
                choices,
            } => say!(
                lang,
                "{field} = {value:?} must be one of {choices}",
                "{field} = {value:?}: {choices} 중 하나여야 합니다"
            ),
            ChartError::UnknownClass {
                field,
                value,
                classes,
            } => say!(
                lang,
                "{field} = {value} names no class: there are {classes} class names",
                "{field} = {value}: 해당하는 클래스가 없습니다. 클래스 이름은 {classes}개입니다"
            ),
            ChartError::TooSmall {
                width,
                height,
                need_width,
                need_height,
            } => say!(
                lang,
                "the canvas is {width}×{height} pixels, too small for this chart (needs about {need_width}×{need_height})",
                "캔버스가 {width}×{height} 픽셀이라 이 차트에는 너무 작습니다(약 {need_width}×{need_height} 필요)"
            ),
            ChartError::Drawing(e) => say!(lang, "drawing failed: {e}", "그리기 실패: {e}"),
            ChartError::NoContext => say!(
                lang,
                "drawing failed: the canvas has no 2-D context",
                "그리기 실패: 캔버스에 2차원 그리기 컨텍스트가 없습니다"
            ),
        }
    }
}

crate::lang::english_display!(ChartError);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Drawing(e.to_string())
    }
}

/// `Ok` when `value` is finite, otherwise [`ChartError::NotFinite`] for `field`.
pub fn finite(field: &str, value: f32) -> Result<(), ChartError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(ChartError::NotFinite {
            field: field.to_string(),
            value,
        })
    }
}

/// `Ok` when `r` is a finite, strictly increasing range.
pub fn range(field: &str, r: [f32; 2]) -> Result<(), ChartError> {
    finite(&format!("{field}[0]"), r[0])?;
    finite(&format!("{field}[1]"), r[1])?;
    if r[0] < r[1] {
        Ok(())
    } else {
        Err(ChartError::BadRange {
            field: field.to_string(),
            min: r[0],
            max: r[1],
        })
    }
}

/// The language of the words a chart draws (`lang`: `"en"`, the default, or `"ko"`).
pub fn lang(value: Option<&str>) -> Result<Lang, ChartError> {
    match value {
        None | Some("en") => Ok(Lang::En),
        Some("ko") => Ok(Lang::Ko),
        Some(other) => Err(ChartError::NotAChoice {
            field: "lang".to_string(),
            value: crate::params::Raw::clip(other, 40),
            choices: "en, ko",
        }),
    }
}

/// `Ok` for an absent scale or one in `[0.25, 8]` (a device pixel ratio).
pub fn scale(value: Option<f32>) -> Result<(), ChartError> {
    match value {
        None => Ok(()),
        Some(s) => {
            finite("scale", s)?;
            if (0.25..=8.0).contains(&s) {
                Ok(())
            } else {
                Err(ChartError::OutOfRange {
                    field: "scale".to_string(),
                    value: s,
                    allowed: text!(
                        "a device pixel ratio between 0.25 and 8",
                        "0.25부터 8까지의 기기 픽셀 비율이어야 합니다"
                    ),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_and_value() {
        let e = range("x_range", [2.0, 1.0]).unwrap_err();
        assert_eq!(e.to_string(), "x_range = [2, 1] is not an increasing range");
        let e = range("y_range", [0.0, f32::INFINITY]).unwrap_err();
        assert_eq!(e.to_string(), "y_range[1] = inf is not a finite number");
        let e = scale(Some(0.0)).unwrap_err();
        assert!(
            e.to_string().starts_with("scale = 0 is out of range"),
            "{e}"
        );
        assert!(scale(Some(f32::NAN)).is_err());
        assert_eq!(scale(Some(2.0)), Ok(()));
        assert_eq!(scale(None), Ok(()));
        assert_eq!(range("r", [-1.0, 1.0]), Ok(()));
    }

    #[test]
    fn lang_is_en_or_ko_and_anything_else_names_the_field() {
        assert_eq!(lang(None), Ok(Lang::En));
        assert_eq!(lang(Some("en")), Ok(Lang::En));
        assert_eq!(lang(Some("ko")), Ok(Lang::Ko));
        let e = lang(Some("fr")).unwrap_err();
        assert_eq!(e.to_string(), "lang = \"fr\" must be one of en, ko");
        assert_eq!(e.ko(), "lang = \"fr\": en, ko 중 하나여야 합니다");
    }

    #[test]
    fn every_message_has_korean_that_keeps_the_field_and_value() {
        let errors = [
            (
                range("x_range", [2.0, 1.0]).unwrap_err(),
                "x_range = [2, 1]",
            ),
            (
                range("y_range", [0.0, f32::INFINITY]).unwrap_err(),
                "y_range[1] = inf",
            ),
            (scale(Some(0.0)).unwrap_err(), "scale = 0"),
            (
                ChartError::Empty {
                    field: "labels".into(),
                },
                "labels",
            ),
            (
                ChartError::Length {
                    field: "series[1].values".into(),
                    found: 2,
                    expected: 3,
                    why: text!("one value per label", "레이블마다 값 하나"),
                },
                "series[1].values",
            ),
            (
                ChartError::UnknownClass {
                    field: "points[4].class".into(),
                    value: 7,
                    classes: 3,
                },
                "points[4].class = 7",
            ),
            (
                ChartError::TooSmall {
                    width: 90,
                    height: 60,
                    need_width: 300,
                    need_height: 200,
                },
                "90×60",
            ),
            (
                ChartError::BadSpec("missing field `title`".into()),
                "missing field `title`",
            ),
            (
                ChartError::Drawing("the canvas threw".into()),
                "the canvas threw",
            ),
            (ChartError::NoContext, ""),
        ];
        for (e, kept) in errors {
            let (en, ko) = (e.to_string(), e.ko());
            assert!(crate::lang::has_hangul(&ko) && ko != en, "{en} / {ko}");
            assert!(en.contains(kept) && ko.contains(kept), "{en} / {ko}");
        }
    }
}
