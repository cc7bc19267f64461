//! [`DecisionMapChart`]: a 2-D view of a classifier over one feature pair (IRIS). The model's
//! class at each [`Grid`] cell is a tinted region with borders between classes and the class
//! name inside; test [`MapPoint`]s are markers whose *shape* and colour give their true class;
//! attacks are [`Arrow`]s from the original to the adversarial point — fooled ones solid dark
//! red with a filled head, failed ones dashed grey with an open head.

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::DrawingBackend;
use plotters::style::Color as _;
use serde::{Deserialize, Serialize};

use super::error::{self, ChartError};
use super::frame::{self, AXES};
use super::geom::{clip_segment, Bounds, Pt};
use super::ink::{colour, size, Ink, Shape, INK};
use super::legend::{Entry, Glyph};
use super::paint;
use super::regions::Grid;
use crate::lang::{say, text};

/// `{"kind": "decision_map", "title", "x_label"?, "y_label"?, "x_range", "y_range", "grid"?,
/// "class_names", "points"?, "arrows"?, "scale"?, "lang"?}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionMapChart {
    pub title: String,
    #[serde(default)]
    pub x_label: String,
    #[serde(default)]
    pub y_label: String,
    pub x_range: [f32; 2],
    pub y_range: [f32; 2],
    /// The predicted class per cell over the ranges (optional: points alone are fine).
    #[serde(default)]
    pub grid: Option<Grid>,
    pub class_names: Vec<String>,
    #[serde(default)]
    pub points: Vec<MapPoint>,
    #[serde(default)]
    pub arrows: Vec<Arrow>,
    #[serde(default)]
    pub scale: Option<f32>,
    /// The language of the words the chart itself draws (legend notes, not the given names and
    /// titles): `"en"` (the default) or `"ko"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// A test point `{"x", "y", "class"}` (its true class).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapPoint {
    pub x: f32,
    pub y: f32,
    pub class: u8,
}

/// An attack `{"from": [x, y], "to": [x, y], "fooled"}`: original → adversarial point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arrow {
    pub from: [f32; 2],
    pub to: [f32; 2],
    #[serde(default)]
    pub fooled: bool,
}

fn unknown(field: String, value: u8, classes: usize) -> ChartError {
    let value = usize::from(value);
    ChartError::UnknownClass {
        field,
        value,
        classes,
    }
}

impl DecisionMapChart {
    /// Checks ranges, the grid's size and that every class has a name.
    pub fn validate(&self) -> Result<(), ChartError> {
        error::scale(self.scale)?;
        error::lang(self.lang.as_deref())?;
        error::range("x_range", self.x_range)?;
        error::range("y_range", self.y_range)?;
        let n = self.class_names.len();
        if let Some(g) = &self.grid {
            let cells = g.width.checked_mul(g.height);
            if cells != Some(g.classes.len()) {
                return Err(ChartError::Length {
                    field: "grid.classes".into(),
                    found: g.classes.len(),
                    expected: cells.unwrap_or(usize::MAX),
                    why: text!("grid.width × grid.height", "grid.width × grid.height개"),
                });
            }
            if let Some(i) = g.classes.iter().position(|&k| usize::from(k) >= n) {
                return Err(unknown(format!("grid.classes[{i}]"), g.classes[i], n));
            }
        }
        if let Some(i) = self.points.iter().position(|p| usize::from(p.class) >= n) {
            return Err(unknown(
                format!("points[{i}].class"),
                self.points[i].class,
                n,
            ));
        }
        Ok(())
    }

    /// How many points and arrows have a NaN or infinite coordinate (they are not drawn).
    pub fn non_finite(&self) -> usize {
        let bad_points = self
            .points
            .iter()
            .filter(|p| !(p.x.is_finite() && p.y.is_finite()));
        let coords = |a: &&Arrow| a.from.into_iter().chain(a.to).all(f32::is_finite);
        bad_points.count() + self.arrows.iter().filter(|a| !coords(a)).count()
    }

    /// The plotted window in data units.
    pub fn bounds(&self) -> Bounds {
        let [x0, x1] = self.x_range.map(f64::from);
        let [y0, y1] = self.y_range.map(f64::from);
        Bounds { x0, x1, y0, y1 }
    }

    fn legend(&self) -> Vec<Entry> {
        let mut entries: Vec<Entry> = (self.class_names.iter().enumerate())
            .map(|(k, name)| Entry::new(Glyph::Marker(Shape::nth(k), colour(k)), name.clone()))
            .collect();
        let lang = error::lang(self.lang.as_deref()).unwrap_or_default();
        let fooled = self.arrows.iter().filter(|a| a.fooled).count();
        let failed = self.arrows.len() - fooled;
        if !self.arrows.is_empty() {
            entries.push(Entry::new(
                Glyph::Arrow(true),
                say!(
                    lang,
                    "attack fooled the model ({fooled})",
                    "공격이 모델을 속임 ({fooled})"
                ),
            ));
            entries.push(Entry::new(
                Glyph::Arrow(false),
                say!(lang, "attack failed ({failed})", "공격 실패 ({failed})"),
            ));
        }
        super::note(&mut entries, self.non_finite(), lang);
        entries
    }
}

/// Draws a validated decision map.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &DecisionMapChart,
) -> Result<(), ChartError> {
    let ink = Ink::new(c.scale);
    let plot = frame::frame(area, &c.title, &c.legend(), AXES, ink)?;
    let b = c.bounds();
    let mut chart = frame::builder(&plot, AXES, ink).build_cartesian_2d(b.x0..b.x1, b.y0..b.y1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(INK.stroke_width(ink.stroke(1.0)))
        .label_style(ink.font(size::TICK))
        .axis_desc_style(ink.font(size::AXIS))
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .x_label_formatter(&frame::tick)
        .y_label_formatter(&frame::tick)
        .set_all_tick_mark_size(ink.px(4.0))
        .draw()?;
    let px = |p: Pt| {
        let (a, b) = chart.backend_coord(&p);
        (f64::from(a), f64::from(b))
    };
    let screen = chart.plotting_area().use_screen_coord();
    // Markers and arrow heads lie inside the window but may overhang its edge (see lines.rs).
    let marks = plot.use_screen_coord();
    if let Some(g) = &c.grid {
        super::map_layers::regions(&screen, g, c, &px, ink)?;
    }
    for p in c
        .points
        .iter()
        .filter(|p| p.x.is_finite() && p.y.is_finite())
    {
        let at = (f64::from(p.x), f64::from(p.y));
        let k = usize::from(p.class);
        if b.contains(at) {
            paint::marker(&marks, px(at), Shape::nth(k), colour(k), 4.5, ink)?;
        }
    }
    for a in &c.arrows {
        let [from, to] = [a.from, a.to].map(|p| (f64::from(p[0]), f64::from(p[1])));
        if !(from.0.is_finite() && from.1.is_finite() && to.0.is_finite() && to.1.is_finite()) {
            continue;
        }
        if let Some((p, q)) = clip_segment(from, to, &b) {
            paint::arrow(&marks, px(p), px(q), a.fooled, q == to, ink)?;
        }
    }
    Ok(())
}
