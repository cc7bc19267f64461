//! Pixel-space drawing on a [`Screen`] (a plotters area addressed in absolute device pixels):
//! solid and dashed polylines, marker [`Shape`]s, arrows, bars with a [`Fill`] pattern, text.
//! Geometry comes from [`super::geom`]; sizes from [`Ink`].

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::{Circle, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::DrawingBackend;
use plotters::style::{Color, RGBColor, ShapeStyle, TextStyle};

use super::error::ChartError;
use super::geom::{arrow_head, dashes, hatch_lines, Bounds, Pt};
use super::ink::{tint, Ink, Shape, FOOLED, GREY, INK};

/// A drawing area whose coordinates are absolute device pixels (see `use_screen_coord`).
pub type Screen<DB> = DrawingArea<DB, Shift>;

/// How a bar is filled; cycled per series so that series differ by more than colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    Solid,
    Hatched,
    Hollow,
}

impl Fill {
    /// The fill for series `i`.
    pub fn nth(i: usize) -> Fill {
        [Fill::Solid, Fill::Hatched, Fill::Hollow][i % 3]
    }
}

fn ip(p: Pt) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

fn style(c: RGBColor, width: u32) -> ShapeStyle {
    c.stroke_width(width)
}

/// A polyline, solid or dashed (dashes 6 px on, 4 px off, scaled).
pub fn polyline<DB: DrawingBackend>(
    s: &Screen<DB>,
    pts: &[Pt],
    c: RGBColor,
    width: u32,
    dashed: bool,
    ink: Ink,
) -> Result<(), ChartError> {
    if dashed {
        for piece in dashes(pts, ink.f(6.0), ink.f(4.0)) {
            let piece: Vec<_> = piece.into_iter().map(ip).collect();
            s.draw(&PathElement::new(piece, style(c, width)))?;
        }
    } else if pts.len() > 1 {
        let pts: Vec<_> = pts.iter().copied().map(ip).collect();
        s.draw(&PathElement::new(pts, style(c, width)))?;
    }
    Ok(())
}

fn outline(centre: Pt, shape: Shape, r: f64) -> Vec<Pt> {
    let (x, y) = centre;
    match shape {
        Shape::Square => {
            let h = r * 0.85;
            vec![
                (x - h, y - h),
                (x + h, y - h),
                (x + h, y + h),
                (x - h, y + h),
            ]
        }
        Shape::Triangle => vec![
            (x, y - r * 1.2),
            (x + r * 1.1, y + r * 0.8),
            (x - r * 1.1, y + r * 0.8),
        ],
        Shape::TriangleDown => vec![
            (x, y + r * 1.2),
            (x + r * 1.1, y - r * 0.8),
            (x - r * 1.1, y - r * 0.8),
        ],
        Shape::Diamond => vec![(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)],
        Shape::Circle | Shape::Cross => Vec::new(),
    }
}

/// A marker of `radius` CSS pixels: filled with `c` and outlined in ink (a cross is two strokes).
pub fn marker<DB: DrawingBackend>(
    s: &Screen<DB>,
    at: Pt,
    shape: Shape,
    c: RGBColor,
    radius: f64,
    ink: Ink,
) -> Result<(), ChartError> {
    let r = ink.f(radius);
    let edge = style(INK, ink.stroke(1.0));
    match shape {
        Shape::Circle => {
            let ri = r.round().max(1.0) as i32;
            s.draw(&Circle::new(ip(at), ri, c.filled()))?;
            s.draw(&Circle::new(ip(at), ri, edge))?;
        }
        Shape::Cross => {
            let (x, y) = at;
            let w = ink.stroke(2.5);
            polyline(s, &[(x - r, y - r), (x + r, y + r)], c, w, false, ink)?;
            polyline(s, &[(x - r, y + r), (x + r, y - r)], c, w, false, ink)?;
        }
        _ => {
            let pts = outline(at, shape, r);
            let ring: Vec<_> = pts.iter().chain(pts.first()).copied().map(ip).collect();
            s.draw(&Polygon::new(
                pts.into_iter().map(ip).collect::<Vec<_>>(),
                c.filled(),
            ))?;
            s.draw(&PathElement::new(ring, edge))?;
        }
    }
    Ok(())
}

/// An attack arrow from `from` to `to`. Fooled: solid dark red with a filled head. Not fooled:
/// dashed grey with an open head. `head` is false when the tip was clipped away.
pub fn arrow<DB: DrawingBackend>(
    s: &Screen<DB>,
    from: Pt,
    to: Pt,
    fooled: bool,
    head: bool,
    ink: Ink,
) -> Result<(), ChartError> {
    let (c, width) = if fooled {
        (FOOLED, ink.stroke(2.0))
    } else {
        (GREY, ink.stroke(1.5))
    };
    let tip = if head {
        arrow_head(from, to, ink.f(9.0), ink.f(4.5))
    } else {
        None
    };
    // The shaft stops at the head's base so that the tip stays sharp.
    let end = match tip {
        Some([_, b, c2]) => ((b.0 + c2.0) / 2.0, (b.1 + c2.1) / 2.0),
        None => to,
    };
    polyline(s, &[from, end], c, width, !fooled, ink)?;
    match tip {
        Some([t, b, c2]) if fooled => {
            s.draw(&Polygon::new(vec![ip(t), ip(b), ip(c2)], c.filled()))?;
        }
        Some([t, b, c2]) => polyline(s, &[b, t, c2, b], c, width, false, ink)?,
        None if head => {
            // Zero length: the attack did not move the point; a ring marks it.
            let ri = ink.f(4.0).round() as i32;
            s.draw(&Circle::new(ip(to), ri, style(c, width)))?;
        }
        None => {}
    }
    Ok(())
}

/// A bar covering `r` (device pixels) in colour `c` with the given fill pattern.
pub fn bar<DB: DrawingBackend>(
    s: &Screen<DB>,
    r: Bounds,
    c: RGBColor,
    fill: Fill,
    ink: Ink,
) -> Result<(), ChartError> {
    let corners = [ip((r.x0, r.y0)), ip((r.x1, r.y1))];
    match fill {
        Fill::Solid => s.draw(&Rectangle::new(corners, c.filled()))?,
        Fill::Hatched => {
            s.draw(&Rectangle::new(corners, tint(c, 0.7).filled()))?;
            for (a, b) in hatch_lines(&r, ink.f(5.0)) {
                s.draw(&PathElement::new(
                    vec![ip(a), ip(b)],
                    style(c, ink.stroke(1.5)),
                ))?;
            }
            frame(s, r, c, ink.stroke(1.0))?;
        }
        Fill::Hollow => frame(s, r, c, ink.stroke(2.0))?,
    }
    Ok(())
}

/// The outline of `r` as a closed path (unlike a stroked rectangle, it keeps its width in SVG).
pub fn frame<DB: DrawingBackend>(
    s: &Screen<DB>,
    r: Bounds,
    c: RGBColor,
    width: u32,
) -> Result<(), ChartError> {
    let ring = [
        (r.x0, r.y0),
        (r.x1, r.y0),
        (r.x1, r.y1),
        (r.x0, r.y1),
        (r.x0, r.y0),
    ];
    s.draw(&PathElement::new(ring.map(ip).to_vec(), style(c, width)))?;
    Ok(())
}

/// Text at `at` with `font` (whose anchor decides which corner `at` is).
pub fn text<DB: DrawingBackend>(
    s: &Screen<DB>,
    content: &str,
    at: Pt,
    font: &TextStyle,
) -> Result<(), ChartError> {
    s.draw(&Text::new(content, ip(at), font.clone()))?;
    Ok(())
}
