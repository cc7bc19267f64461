//! The lab's charts, drawn by plotters on any `DrawingBackend`: a canvas on the page's main
//! thread (through `wasm::charts`), an SVG string in native tests.
//!
//! One serde enum, [`Chart`], describes every chart. It is internally tagged by `"kind"`, and
//! kinds and fields are snake_case:
//!
//! - `"bars"` → [`BarsChart`]: grouped bars of class scores (undefended vs defended).
//! - `"lines"` → [`LinesChart`]: loss/accuracy per epoch, accuracy against ε.
//! - `"decision_map"` → [`DecisionMapChart`]: IRIS regions over a feature pair ([`Grid`], row 0 at
//!   the bottom), test points and attack arrows.
//!
//! Every kind takes `scale` (the device pixel ratio; fonts, strokes and gaps grow with it) and
//! `lang` (`"en"`, the default, or `"ko"`: the language of the words the chart itself draws,
//! such as "highest score" or the note on skipped values; titles and names come from the spec).
//! [`draw`] validates first and fails with a [`ChartError`] naming the field and value; settings
//! (ranges, `y_max`, `scale`) must be finite, but non-finite *data* values are skipped and a note
//! under the legend counts them, so a diverged training run still gets its chart.
//! Colour never carries meaning alone: series also differ by fill or dash pattern and marker
//! shape, marked bars are outlined, regions have borders and names, arrows differ by dash and head.

mod bars;
mod decision_map;
mod error;
mod frame;
mod geom;
mod ink;
mod legend;
mod lines;
mod map_layers;
mod paint;
mod regions;

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::DrawingBackend;
use serde::{Deserialize, Serialize};

pub use bars::{BarSeries, BarsChart};
pub use decision_map::{Arrow, DecisionMapChart, MapPoint};
pub use error::ChartError;
pub use lines::{Curve, LineStyle, LinesChart};
pub use regions::Grid;

/// A chart spec, as the page sends it: `{"kind": "bars" | "lines" | "decision_map", …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    Bars(BarsChart),
    Lines(LinesChart),
    DecisionMap(DecisionMapChart),
}

impl Chart {
    /// Checks the spec without drawing it.
    pub fn validate(&self) -> Result<(), ChartError> {
        match self {
            Chart::Bars(c) => c.validate(),
            Chart::Lines(c) => c.validate(),
            Chart::DecisionMap(c) => c.validate(),
        }
    }

    /// Parses a JSON spec (the native counterpart of the wasm entry point's decoding).
    pub fn from_json(json: &str) -> Result<Chart, ChartError> {
        serde_json::from_str(json).map_err(|e| ChartError::BadSpec(e.to_string()))
    }
}

/// Validates `chart` and draws it onto all of `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
) -> Result<(), ChartError> {
    chart.validate()?;
    match chart {
        Chart::Bars(c) => bars::draw(area, c)?,
        Chart::Lines(c) => lines::draw(area, c)?,
        Chart::DecisionMap(c) => decision_map::draw(area, c)?,
    }
    area.present()?;
    Ok(())
}

/// Appends the note that counts skipped non-finite values, when there are any, in `lang`.
fn note(entries: &mut Vec<legend::Entry>, skipped: usize, lang: crate::lang::Lang) {
    if skipped > 0 {
        let s = if skipped == 1 { "" } else { "s" };
        let text = crate::lang::say!(
            lang,
            "({skipped} non-finite value{s} not drawn)",
            "(그리지 않은 유한하지 않은 값 {skipped}개)"
        );
        entries.push(legend::Entry::new(legend::Glyph::Nothing, text));
    }
}
