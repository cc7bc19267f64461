//! The legend band under a chart's title: a list of [`Entry`]s (a [`Glyph`] and its label)
//! laid out in rows that wrap at the chart's width, so it never covers the data. A glyph repeats
//! exactly what the chart draws (fill pattern, dash pattern, marker shape), not just its colour.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::error::ChartError;
use super::geom::Bounds;
use super::ink::{size, Ink, Shape, INK};
use super::paint::{self, Fill, Screen};

/// What a legend entry shows before its label.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Glyph {
    /// A bar swatch with a fill pattern.
    Swatch(RGBColor, Fill),
    /// A line sample, dashed or not, with an optional marker in the middle.
    Line(RGBColor, bool, Option<Shape>),
    /// A marker alone.
    Marker(Shape, RGBColor),
    /// An attack arrow; `true` for a fooled one.
    Arrow(bool),
    /// The mark put above a highlighted bar.
    BarMark,
    /// Text only (notes).
    Nothing,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub glyph: Glyph,
    pub label: String,
}

impl Entry {
    pub fn new(glyph: Glyph, label: impl Into<String>) -> Entry {
        Entry {
            glyph,
            label: label.into(),
        }
    }
}

const GLYPH_W: f64 = 24.0;
const GAP: f64 = 6.0;
const SPACING: f64 = 16.0;

/// Where each entry goes (left x, row index) and the number of rows, for a band `width` wide.
fn layout<DB: DrawingBackend>(
    s: &Screen<DB>,
    entries: &[Entry],
    width: f64,
    ink: Ink,
) -> Result<(Vec<(f64, usize)>, usize), ChartError> {
    let font = ink.font(size::LEGEND);
    let (mut x, mut row) = (0.0, 0);
    let mut at = Vec::with_capacity(entries.len());
    for e in entries {
        let (tw, _) = s.estimate_text_size(&e.label, &font)?;
        let glyph = if e.glyph == Glyph::Nothing {
            0.0
        } else {
            ink.f(GLYPH_W + GAP)
        };
        let w = glyph + f64::from(tw);
        if x > 0.0 && x + w > width {
            row += 1;
            x = 0.0;
        }
        at.push((x, row));
        x += w + ink.f(SPACING);
    }
    let rows = if entries.is_empty() { 0 } else { row + 1 };
    Ok((at, rows))
}

/// The height of one legend row in device pixels.
pub fn row_height(ink: Ink) -> f64 {
    ink.f(size::LEGEND * 1.6)
}

/// The height the legend needs when wrapped to `width` device pixels.
pub fn height<DB: DrawingBackend>(
    s: &Screen<DB>,
    entries: &[Entry],
    width: f64,
    ink: Ink,
) -> Result<f64, ChartError> {
    let (_, rows) = layout(s, entries, width, ink)?;
    Ok(rows as f64 * row_height(ink))
}

/// Draws the legend with its top-left corner at `origin`, wrapping at `width`.
pub fn draw<DB: DrawingBackend>(
    s: &Screen<DB>,
    entries: &[Entry],
    origin: (f64, f64),
    width: f64,
    ink: Ink,
) -> Result<(), ChartError> {
    let (at, _) = layout(s, entries, width, ink)?;
    let font = ink.font(size::LEGEND);
    let row_h = row_height(ink);
    for (e, (x, row)) in entries.iter().zip(at) {
        let x = origin.0 + x;
        let mid = origin.1 + row as f64 * row_h + row_h / 2.0;
        let text_x = if e.glyph == Glyph::Nothing {
            x
        } else {
            x + ink.f(GLYPH_W + GAP)
        };
        glyph(s, e.glyph, x, mid, ink)?;
        paint::text(
            s,
            &e.label,
            (text_x, mid - ink.f(size::LEGEND) / 2.0),
            &font,
        )?;
    }
    Ok(())
}

fn glyph<DB: DrawingBackend>(
    s: &Screen<DB>,
    g: Glyph,
    x: f64,
    mid: f64,
    ink: Ink,
) -> Result<(), ChartError> {
    let (left, right, centre) = (x, x + ink.f(GLYPH_W), (x + ink.f(GLYPH_W / 2.0), mid));
    match g {
        Glyph::Swatch(c, fill) => {
            let r = Bounds::spanning(
                (left + ink.f(3.0), mid - ink.f(6.0)),
                (right - ink.f(3.0), mid + ink.f(6.0)),
            );
            paint::bar(s, r, c, fill, ink)
        }
        Glyph::Line(c, dashed, shape) => {
            paint::polyline(
                s,
                &[(left, mid), (right, mid)],
                c,
                ink.stroke(2.0),
                dashed,
                ink,
            )?;
            match shape {
                Some(shape) => paint::marker(s, centre, shape, c, 3.5, ink),
                None => Ok(()),
            }
        }
        Glyph::Marker(shape, c) => paint::marker(s, centre, shape, c, 4.5, ink),
        Glyph::Arrow(fooled) => paint::arrow(s, (left, mid), (right, mid), fooled, true, ink),
        Glyph::BarMark => paint::marker(s, centre, Shape::TriangleDown, INK, 4.0, ink),
        Glyph::Nothing => Ok(()),
    }
}
