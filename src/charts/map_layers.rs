//! The decision map's background layers, drawn in device pixels: the tinted class regions of
//! a [`Grid`] (one rectangle per run of equal cells), the borders between classes, and each
//! class's name on a pale backdrop where it fits ([`Grid::label_spot`]). [`Cells`] maps the grid's
//! lattice to pixels and data points to cell units.

use plotters::element::Rectangle;
use plotters::prelude::DrawingBackend;
use plotters::style::Color as _;

use super::decision_map::DecisionMapChart;
use super::error::ChartError;
use super::geom::{Bounds, Pt};
use super::ink::{colour, size, tint, Ink, GREY, PAPER};
use super::paint::{self, Screen};
use super::regions::Grid;

/// Where the grid's cells are: lattice points and data points in device pixels or cell units.
struct Cells<'a> {
    b: Bounds,
    dx: f64,
    dy: f64,
    px: &'a dyn Fn(Pt) -> Pt,
}

impl Cells<'_> {
    /// The lattice point `(col, row)` (a cell corner; `(0, 0)` is bottom-left) in pixels.
    fn corner(&self, col: f64, row: f64) -> Pt {
        (self.px)((self.b.x0 + col * self.dx, self.b.y0 + row * self.dy))
    }

    /// A data point in cell units.
    fn of(&self, p: Pt) -> Pt {
        ((p.0 - self.b.x0) / self.dx, (p.1 - self.b.y0) / self.dy)
    }

    /// One cell's width and height in pixels (never zero).
    fn size(&self) -> (f64, f64) {
        let (o, right, up) = (
            self.corner(0.0, 0.0),
            self.corner(1.0, 0.0),
            self.corner(0.0, 1.0),
        );
        (
            (right.0 - o.0).abs().max(1e-9),
            (o.1 - up.1).abs().max(1e-9),
        )
    }
}

/// The tinted regions, the borders between them and each class's name inside its region.
pub fn regions<DB: DrawingBackend>(
    s: &Screen<DB>,
    g: &Grid,
    c: &DecisionMapChart,
    px: &dyn Fn(Pt) -> Pt,
    ink: Ink,
) -> Result<(), ChartError> {
    let b = c.bounds();
    let dx = (b.x1 - b.x0) / g.width.max(1) as f64;
    let dy = (b.y1 - b.y0) / g.height.max(1) as f64;
    let cells = Cells { b, dx, dy, px };
    let at = |col: usize, row: usize| cells.corner(col as f64, row as f64);
    for r in g.runs() {
        let fill = tint(colour(usize::from(r.class)), 0.78).filled();
        let corners = [ip(at(r.col0, r.row)), ip(at(r.col1, r.row + 1))];
        s.draw(&Rectangle::new(corners, fill))?;
    }
    for (p, q) in g.borders() {
        let line = [at(p.0, p.1), at(q.0, q.1)];
        paint::polyline(s, &line, GREY, ink.stroke(1.0), false, ink)?;
    }
    names(s, g, c, &cells, ink)
}

/// Each class's name on a pale backdrop, where it fits inside its region clear of points and
/// arrows ([`Grid::label_spot`]).
fn names<DB: DrawingBackend>(
    s: &Screen<DB>,
    g: &Grid,
    c: &DecisionMapChart,
    cells: &Cells,
    ink: Ink,
) -> Result<(), ChartError> {
    let as_pt = |p: [f32; 2]| (f64::from(p[0]), f64::from(p[1]));
    let points = c
        .points
        .iter()
        .map(|p| cells.of((f64::from(p.x), f64::from(p.y))));
    let mut obstacles: Vec<(Pt, Pt)> = points.map(|p| (p, p)).collect();
    let arrows = c
        .arrows
        .iter()
        .map(|a| (cells.of(as_pt(a.from)), cells.of(as_pt(a.to))));
    obstacles.extend(arrows);
    let (cell_w, cell_h) = cells.size();
    let font = ink.font(size::TICK);
    let pad = ink.f(3.0);
    // Room for the backdrop and a marker's radius around the text.
    let margin = pad + ink.f(5.0);
    for (k, name) in c.class_names.iter().enumerate().take(256) {
        let (w, h) = s.estimate_text_size(name, &font)?;
        let (w, h) = (f64::from(w), f64::from(h));
        let half = ((w / 2.0 + margin) / cell_w, (h / 2.0 + margin) / cell_h);
        let Some((col, row)) = g.label_spot(k as u8, half, &obstacles) else {
            continue;
        };
        let (cx, cy) = cells.corner(col as f64 + 0.5, row as f64 + 0.5);
        let (hw, hh) = (w / 2.0 + pad, h / 2.0 + pad);
        let backdrop = [ip((cx - hw, cy - hh)), ip((cx + hw, cy + hh))];
        s.draw(&Rectangle::new(backdrop, PAPER.mix(0.75).filled()))?;
        paint::text(s, name, (cx - w / 2.0, cy - h / 2.0), &font)?;
    }
    Ok(())
}

fn ip(p: Pt) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}
