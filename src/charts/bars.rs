//! [`BarsChart`]: grouped bars of class scores, one group per class label and one bar per
//! [`BarSeries`] (typically "undefended" and "defended"). Series differ by colour *and* fill
//! (solid, hatched, hollow); each series' marked bar (its `highlight`, or else its arg-max) gets
//! a thick outline and a ▼ above it, with the value written above when it fits, and the legend
//! names the marked class and its score.

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::error::{self, ChartError};
use super::frame::{self, Room};
use super::geom::{Bounds, Pt};
use super::ink::{colour, size, Ink, Shape, INK, MESH};
use super::legend::{Entry, Glyph};
use super::paint::{self, Fill};
use crate::lang::{say, text, Lang};

/// `{"kind": "bars", "title", "labels", "series", "y_max"?, "scale"?, "lang"?}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarsChart {
    pub title: String,
    /// Class names, one bar group each (must not be empty).
    pub labels: Vec<String>,
    /// Zero or more series, each with one value per label.
    #[serde(default)]
    pub series: Vec<BarSeries>,
    /// The top of the value axis (default 1.0: values are probabilities, shown as percentages).
    /// Values are drawn clamped to `[0, y_max]`.
    #[serde(default)]
    pub y_max: Option<f32>,
    #[serde(default)]
    pub scale: Option<f32>,
    /// The language of the words the chart itself draws (legend notes, not the given names and
    /// titles): `"en"` (the default) or `"ko"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// One series of bars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarSeries {
    pub name: String,
    pub values: Vec<f32>,
    /// The class to mark; when absent, the arg-max of the finite values (first on ties).
    #[serde(default)]
    pub highlight: Option<usize>,
}

impl BarSeries {
    /// The marked class: `highlight`, else the arg-max of the finite values (None if none).
    pub fn marked(&self) -> Option<usize> {
        self.highlight.or_else(|| {
            let finite = self
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite());
            finite
                .fold(None, |best: Option<(usize, f32)>, (i, &v)| match best {
                    Some((_, b)) if b >= v => best,
                    _ => Some((i, v)),
                })
                .map(|(i, _)| i)
        })
    }
}

impl BarsChart {
    fn y_max(&self) -> f64 {
        f64::from(self.y_max.unwrap_or(1.0))
    }

    /// Checks lengths, indices and settings (non-finite values are allowed and skipped).
    pub fn validate(&self) -> Result<(), ChartError> {
        error::scale(self.scale)?;
        error::lang(self.lang.as_deref())?;
        if self.labels.is_empty() {
            return Err(ChartError::Empty {
                field: "labels".into(),
            });
        }
        if let Some(y) = self.y_max {
            error::finite("y_max", y)?;
            if y <= 0.0 {
                let allowed = text!("must be above 0", "0보다 커야 합니다");
                let field = "y_max".into();
                return Err(ChartError::OutOfRange {
                    field,
                    value: y,
                    allowed,
                });
            }
        }
        for (j, s) in self.series.iter().enumerate() {
            if s.values.len() != self.labels.len() {
                return Err(ChartError::Length {
                    field: format!("series[{j}].values"),
                    found: s.values.len(),
                    expected: self.labels.len(),
                    why: text!("one value per label", "레이블마다 값 하나"),
                });
            }
            match s.highlight {
                Some(h) if h >= self.labels.len() => {
                    return Err(ChartError::UnknownClass {
                        field: format!("series[{j}].highlight"),
                        value: h,
                        classes: self.labels.len(),
                    })
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// How many values are NaN or infinite (they are not drawn).
    pub fn non_finite(&self) -> usize {
        let values = self.series.iter().flat_map(|s| &s.values);
        values.filter(|v| !v.is_finite()).count()
    }

    /// The language of the words drawn (English when `lang` is not valid).
    fn language(&self) -> Lang {
        error::lang(self.lang.as_deref()).unwrap_or_default()
    }

    /// A score as the legend and the labels show it: a percentage when `y_max` is 1.
    pub fn format(&self, v: f32) -> String {
        if !v.is_finite() {
            say!(self.language(), "no value", "값 없음")
        } else if self.y_max() == 1.0 {
            format!("{:.0}%", f64::from(v) * 100.0)
        } else {
            format!("{v:.2}")
        }
    }

    fn legend(&self) -> Vec<Entry> {
        let mut entries = Vec::new();
        for (j, s) in self.series.iter().enumerate() {
            let glyph = Glyph::Swatch(colour(j), Fill::nth(j));
            let label = match s.marked() {
                Some(m) => format!(
                    "{}: {} ({})",
                    s.name,
                    self.labels[m],
                    self.format(s.values[m])
                ),
                None => s.name.clone(),
            };
            entries.push(Entry::new(glyph, label));
        }
        if self.series.iter().any(|s| s.marked().is_some()) {
            let explicit = self.series.iter().any(|s| s.highlight.is_some());
            let lang = self.language();
            let text = if explicit {
                say!(lang, "marked class", "표시한 클래스")
            } else {
                say!(lang, "highest score", "가장 높은 점수")
            };
            entries.push(Entry::new(Glyph::BarMark, text));
        }
        super::note(&mut entries, self.non_finite(), self.language());
        entries
    }
}

/// Room for class names below and tick labels on the left (the bars have no axis titles).
const ROOM: Room = Room {
    left: 48.0,
    bottom: 28.0,
    top: 8.0,
    right: 12.0,
};
/// Space kept above `y_max` for the ▼ mark and the value label, in CSS pixels.
const HEADROOM: f64 = 30.0;

/// Draws a validated bar chart.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &BarsChart,
) -> Result<(), ChartError> {
    let ink = Ink::new(c.scale);
    let plot = frame::frame(area, &c.title, &c.legend(), ROOM, ink)?;
    let n = c.labels.len();
    let plot_h = f64::from(plot.dim_in_pixel().1) - ink.f(ROOM.top + ROOM.bottom);
    let head = (ink.f(HEADROOM) / plot_h.max(1.0)).min(0.4);
    let y_top = c.y_max() / (1.0 - head);
    let chart = frame::builder(&plot, ROOM, ink).build_cartesian_2d(0.0..n as f64, 0.0..y_top)?;
    let px = |x: f64, y: f64| {
        let (a, b) = chart.backend_coord(&(x, y.clamp(0.0, y_top)));
        (f64::from(a), f64::from(b))
    };
    // Axes and their labels lie outside the plotting area; the bars stay inside it.
    axes(&plot.use_screen_coord(), c, &px, ink)?;
    let screen = chart.plotting_area().use_screen_coord();
    let width = 0.7 / c.series.len().max(1) as f64;
    for (j, s) in c.series.iter().enumerate() {
        for (i, &v) in s.values.iter().enumerate() {
            if !v.is_finite() {
                continue;
            }
            let x0 = i as f64 + 0.15 + j as f64 * width;
            let r = Bounds::spanning(px(x0, 0.0), px(x0 + width, f64::from(v)));
            let gap = if r.x1 - r.x0 > ink.f(8.0) {
                ink.f(1.5)
            } else {
                0.0
            };
            let r = Bounds {
                x0: r.x0 + gap,
                x1: r.x1 - gap,
                ..r
            };
            paint::bar(&screen, r, colour(j), Fill::nth(j), ink)?;
            if s.marked() == Some(i) {
                mark(&screen, r, &c.format(v), ink)?;
            }
        }
    }
    Ok(())
}

/// The mark on a bar: a thick outline, ▼ above it, and the value above that if it fits.
fn mark<DB: DrawingBackend>(
    s: &paint::Screen<DB>,
    r: Bounds,
    value: &str,
    ink: Ink,
) -> Result<(), ChartError> {
    // Inset at the sides, so that neighbouring marked bars keep their gap.
    let inset = ink.f(1.0).min((r.x1 - r.x0) / 4.0);
    let ring = Bounds {
        x0: r.x0 + inset,
        x1: r.x1 - inset,
        y0: r.y0 - ink.f(1.0),
        y1: r.y1,
    };
    paint::frame(s, ring, INK, ink.stroke(2.5))?;
    let cx = (r.x0 + r.x1) / 2.0;
    let tri_y = r.y0 - ink.f(9.0);
    paint::marker(s, (cx, tri_y), Shape::TriangleDown, INK, 4.0, ink)?;
    let font = ink.font(size::TICK);
    let (tw, _) = s.estimate_text_size(value, &font)?;
    let slot = (r.x1 - r.x0) + ink.f(2.0);
    if f64::from(tw) <= slot {
        let at = (
            cx - f64::from(tw) / 2.0,
            tri_y - ink.f(6.0 + size::TICK * 1.15),
        );
        paint::text(s, value, at, &font)?;
    }
    Ok(())
}

/// Value grid lines and labels at 0, ¼, ½, ¾ and all of `y_max` (halves on short charts); class names under the groups;
/// the two axis lines.
fn axes<DB: DrawingBackend>(
    s: &paint::Screen<DB>,
    c: &BarsChart,
    px: &dyn Fn(f64, f64) -> Pt,
    ink: Ink,
) -> Result<(), ChartError> {
    let n = c.labels.len() as f64;
    let tick = ink.f(4.0);
    let right = ink
        .font(size::TICK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    // Quarters when there is room for their labels, else halves.
    let full = px(0.0, 0.0).1 - px(0.0, c.y_max()).1;
    let steps = if full >= ink.f(size::TICK * 7.0) {
        4
    } else {
        2
    };
    for k in 0..=steps {
        let v = c.y_max() * f64::from(k) / f64::from(steps);
        let (l, r) = (px(0.0, v), px(n, v));
        paint::polyline(s, &[l, r], MESH, ink.stroke(1.0), false, ink)?;
        paint::polyline(s, &[(l.0 - tick, l.1), l], INK, ink.stroke(1.0), false, ink)?;
        paint::text(
            s,
            &c.format(v as f32),
            (l.0 - tick - ink.f(3.0), l.1),
            &right,
        )?;
    }
    let below = ink.font(size::TICK).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, name) in c.labels.iter().enumerate() {
        let (x, y) = px(i as f64 + 0.5, 0.0);
        paint::text(s, name, (x, y + ink.f(6.0)), &below)?;
    }
    let (origin, top, end) = (px(0.0, 0.0), px(0.0, c.y_max()), px(n, 0.0));
    paint::polyline(s, &[top, origin, end], INK, ink.stroke(1.0), false, ink)
}
