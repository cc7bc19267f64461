//! [`ChartError`]: why a chart was not drawn, naming the offending field and value, plus the small
//! validation helpers ([`finite`], [`range`]) that every chart kind shares.

use plotters::drawing::DrawingAreaErrorKind;
use thiserror::Error;

/// Why a chart spec was rejected or could not be drawn. Field names are paths into the spec,
/// e.g. `series[1].values` or `grid.classes[17]`.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ChartError {
    /// The spec did not decode (wrong kind, missing or unknown field, wrong type).
    #[error("bad chart spec: {0}")]
    BadSpec(String),
    /// A list has the wrong number of entries.
    #[error("{field} has {found} entries but {expected} are needed ({why})")]
    Length {
        field: String,
        found: usize,
        expected: usize,
        why: &'static str,
    },
    /// A list that must not be empty is empty.
    #[error("{field} is empty")]
    Empty { field: String },
    /// A setting (range, scale, y_max) is NaN or infinite. Data values never cause this error:
    /// non-finite data points are skipped and counted in a note under the legend.
    #[error("{field} = {value} is not a finite number")]
    NotFinite { field: String, value: f32 },
    /// A range whose minimum is not below its maximum.
    #[error("{field} = [{min}, {max}] is not an increasing range")]
    BadRange { field: String, min: f32, max: f32 },
    /// A setting outside its allowed interval.
    #[error("{field} = {value} is out of range: {allowed}")]
    OutOfRange {
        field: String,
        value: f32,
        allowed: &'static str,
    },
    /// A class or label index with no matching name.
    #[error("{field} = {value} names no class: there are {classes} class names")]
    UnknownClass {
        field: String,
        value: usize,
        classes: usize,
    },
    /// The drawing surface cannot hold the chart's title, legend and axes.
    #[error("the canvas is {width}×{height} pixels, too small for this chart (needs about {need_width}×{need_height})")]
    TooSmall {
        width: u32,
        height: u32,
        need_width: u32,
        need_height: u32,
    },
    /// The drawing backend failed (for a canvas: the 2-D context threw).
    #[error("drawing failed: {0}")]
    Drawing(String),
}

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
                    allowed: "a device pixel ratio between 0.25 and 8",
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
}
