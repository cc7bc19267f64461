//! [`LinesChart`]: curves over a numeric x axis — loss and accuracy per epoch, accuracy against
//! the attack strength ε. Each [`Curve`] has its own colour *and* marker shape, solid or dashed
//! ([`LineStyle`]); without `markers`, only the last point and isolated points carry a marker.
//! Non-finite points break the curve; parts outside a given range are clipped, not flattened.

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::DrawingBackend;
use plotters::style::Color as _;
use serde::{Deserialize, Serialize};

use super::error::{self, ChartError};
use super::frame::{self, AXES};
use super::geom::{clip_segment, Bounds, Pt};
use super::ink::{colour, size, Ink, Shape, INK, MESH};
use super::legend::{Entry, Glyph};
use super::paint;

/// `{"kind": "lines", "title", "x_label"?, "y_label"?, "series", "x_range"?, "y_range"?,
/// "markers"?, "scale"?, "lang"?}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinesChart {
    pub title: String,
    #[serde(default)]
    pub x_label: String,
    #[serde(default)]
    pub y_label: String,
    #[serde(default)]
    pub series: Vec<Curve>,
    /// `[min, max]`; by default the finite data's extent.
    #[serde(default)]
    pub x_range: Option<[f32; 2]>,
    /// `[min, max]`; by default the finite data's extent plus 5% each side.
    #[serde(default)]
    pub y_range: Option<[f32; 2]>,
    /// A marker on every point (default: only on last and isolated points).
    #[serde(default)]
    pub markers: bool,
    #[serde(default)]
    pub scale: Option<f32>,
    /// The language of the words the chart itself draws (legend notes, not the given names and
    /// titles): `"en"` (the default) or `"ko"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// One curve: `{"name", "points": [[x, y], …], "style"?: "solid" | "dashed", "colour"?: k}`;
/// `colour` picks the palette entry and marker shape (default: the curve's position), so a
/// reference line can share the hue of the curve it is compared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Curve {
    pub name: String,
    #[serde(default)]
    pub points: Vec<[f32; 2]>,
    #[serde(default)]
    pub style: LineStyle,
    #[serde(default)]
    pub colour: Option<u8>,
}

impl Curve {
    /// The palette entry of the curve at position `j`.
    fn hue(&self, j: usize) -> usize {
        self.colour.map_or(j, usize::from)
    }
}

/// How a curve is stroked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStyle {
    #[default]
    Solid,
    Dashed,
}

fn is_finite(p: &[f32; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

/// The extent of `values` padded by `pad` of its span; a single value gets ±10% (at least ±0.1).
fn extent(values: impl Iterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if lo > hi {
        (0.0, 1.0)
    } else if lo == hi {
        let d = (lo.abs() * 0.1).max(0.1);
        (lo - d, hi + d)
    } else {
        let d = (hi - lo) * pad;
        (lo - d, hi + d)
    }
}

impl LinesChart {
    /// Checks the ranges and the scale (non-finite points are allowed and skipped).
    pub fn validate(&self) -> Result<(), ChartError> {
        error::scale(self.scale)?;
        error::lang(self.lang.as_deref())?;
        if let Some(r) = self.x_range {
            error::range("x_range", r)?;
        }
        if let Some(r) = self.y_range {
            error::range("y_range", r)?;
        }
        Ok(())
    }

    /// How many points have a NaN or infinite coordinate (they are not drawn).
    pub fn non_finite(&self) -> usize {
        let points = self.series.iter().flat_map(|s| &s.points);
        points.filter(|p| !is_finite(p)).count()
    }

    /// The plotted window: the given ranges, or the finite data's extent.
    pub fn bounds(&self) -> Bounds {
        let finite = || {
            self.series
                .iter()
                .flat_map(|s| &s.points)
                .filter(|p| is_finite(p))
        };
        let pick = |r: Option<[f32; 2]>, axis: usize, pad: f64| match r {
            Some([a, b]) => (f64::from(a), f64::from(b)),
            None => extent(finite().map(|p| f64::from(p[axis])), pad),
        };
        let (x0, x1) = pick(self.x_range, 0, 0.0);
        let (y0, y1) = pick(self.y_range, 1, 0.05);
        Bounds { x0, x1, y0, y1 }
    }

    fn legend(&self) -> Vec<Entry> {
        let mut entries: Vec<Entry> = (self.series.iter().enumerate())
            .map(|(j, s)| {
                let k = s.hue(j);
                let glyph =
                    Glyph::Line(colour(k), s.style == LineStyle::Dashed, Some(Shape::nth(k)));
                Entry::new(glyph, s.name.clone())
            })
            .collect();
        let lang = error::lang(self.lang.as_deref()).unwrap_or_default();
        super::note(&mut entries, self.non_finite(), lang);
        entries
    }
}

/// Moves `cur` into `out` when it is a line (two points or more); leaves `cur` empty.
fn flush(out: &mut Vec<Vec<Pt>>, cur: &mut Vec<Pt>) {
    if cur.len() > 1 {
        out.push(std::mem::take(cur));
    }
    cur.clear();
}

/// The visible pieces of a curve: runs of finite points, clipped to `b`, in data units.
pub fn pieces(points: &[[f32; 2]], b: &Bounds) -> Vec<Vec<Pt>> {
    let (mut out, mut cur) = (Vec::new(), Vec::new());
    let as_pt = |p: &[f32; 2]| (f64::from(p[0]), f64::from(p[1]));
    for w in points.windows(2) {
        let (p, q) = (as_pt(&w[0]), as_pt(&w[1]));
        let clipped = if is_finite(&w[0]) && is_finite(&w[1]) {
            clip_segment(p, q, b)
        } else {
            None
        };
        let Some((a, z)) = clipped else {
            flush(&mut out, &mut cur);
            continue;
        };
        if a != p || cur.is_empty() {
            flush(&mut out, &mut cur);
            cur.push(a);
        }
        cur.push(z);
        if z != q {
            flush(&mut out, &mut cur);
        }
    }
    flush(&mut out, &mut cur);
    out
}

/// The indices of points that get a marker: all finite ones with `all`, else the last finite
/// point and every finite point with no finite neighbour.
pub fn marked(points: &[[f32; 2]], all: bool) -> Vec<usize> {
    let ok = |i: usize| points.get(i).is_some_and(is_finite);
    let last = (0..points.len()).rev().find(|&i| ok(i));
    let has_neighbour = |i: usize| (i > 0 && ok(i - 1)) || ok(i + 1);
    (0..points.len())
        .filter(|&i| ok(i))
        .filter(|&i| all || Some(i) == last || !has_neighbour(i))
        .collect()
}

/// Draws a validated line chart.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &LinesChart,
) -> Result<(), ChartError> {
    let ink = Ink::new(c.scale);
    let plot = frame::frame(area, &c.title, &c.legend(), AXES, ink)?;
    let b = c.bounds();
    let mut chart = frame::builder(&plot, AXES, ink).build_cartesian_2d(b.x0..b.x1, b.y0..b.y1)?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(MESH.stroke_width(ink.stroke(1.0)))
        .axis_style(INK.stroke_width(ink.stroke(1.0)))
        .label_style(ink.font(size::TICK))
        .axis_desc_style(ink.font(size::AXIS))
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&frame::tick)
        .y_label_formatter(&frame::tick)
        .set_all_tick_mark_size(ink.px(4.0))
        .draw()?;
    let px = |p: Pt| {
        let (a, b) = chart.backend_coord(&p);
        (f64::from(a), f64::from(b))
    };
    let screen = chart.plotting_area().use_screen_coord();
    // Markers are only drawn for points inside the window, but may overhang its edge: they get
    // the whole area, so that plotters does not squash their corners onto the edge.
    let marks = plot.use_screen_coord();
    for (j, s) in c.series.iter().enumerate() {
        let dashed = s.style == LineStyle::Dashed;
        let k = s.hue(j);
        for piece in pieces(&s.points, &b) {
            let line: Vec<Pt> = piece.into_iter().map(px).collect();
            paint::polyline(&screen, &line, colour(k), ink.stroke(2.0), dashed, ink)?;
        }
        for i in marked(&s.points, c.markers) {
            let p = (f64::from(s.points[i][0]), f64::from(s.points[i][1]));
            if b.contains(p) {
                paint::marker(&marks, px(p), Shape::nth(k), colour(k), 3.5, ink)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f32 = f32::NAN;

    #[test]
    fn pieces_break_at_non_finite_points_and_at_the_window_edge() {
        let b = Bounds {
            x0: 0.0,
            x1: 10.0,
            y0: 0.0,
            y1: 1.0,
        };
        let pts = [
            [0.0, 0.5],
            [1.0, 0.5],
            [2.0, NAN],
            [3.0, 0.5],
            [4.0, 0.5],
            [5.0, 3.0],
            [6.0, 0.5],
        ];
        let got = pieces(&pts, &b);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], vec![(0.0, 0.5), (1.0, 0.5)]);
        assert_eq!(got[1][..2], [(3.0, 0.5), (4.0, 0.5)]);
        assert!(
            (got[1][2].1 - 1.0).abs() < 1e-9,
            "leaves through the top: {got:?}"
        );
        assert!((got[2][0].1 - 1.0).abs() < 1e-9 && got[2][1] == (6.0, 0.5));
        assert!(pieces(&[[1.0, 0.5]], &b).is_empty());
    }

    #[test]
    fn markers_go_on_the_last_and_on_isolated_points() {
        let pts = [
            [0.0, 1.0],
            [1.0, NAN],
            [2.0, 1.0],
            [3.0, 1.0],
            [4.0, 1.0],
            [5.0, NAN],
        ];
        assert_eq!(marked(&pts, false), vec![0, 4]);
        assert_eq!(marked(&pts, true), vec![0, 2, 3, 4]);
        assert!(marked(&[], false).is_empty());
    }

    #[test]
    fn ranges_default_to_the_data_and_survive_single_and_missing_points() {
        assert_eq!(extent([2.0, 4.0].into_iter(), 0.0), (2.0, 4.0));
        assert_eq!(extent([5.0].into_iter(), 0.0), (4.5, 5.5));
        assert_eq!(extent(std::iter::empty(), 0.05), (0.0, 1.0));
        let (lo, hi) = extent([0.0].into_iter(), 0.05);
        assert!(lo < 0.0 && hi > 0.0);
    }
}
