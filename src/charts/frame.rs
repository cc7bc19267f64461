//! The part every chart shares: paper, title, the legend band ([`super::legend`]) and the axes'
//! [`Room`]. [`frame`] draws the first three and returns the area left for the plot, or
//! [`ChartError::TooSmall`] when the canvas cannot hold the axes as well.

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::{ChartBuilder, DrawingBackend};

use super::error::ChartError;
use super::ink::{size, Ink, PAPER};
use super::legend::{self, Entry};
use super::paint;

const PAD: f64 = 10.0;
/// The smallest plot (inside the axes) worth drawing, in CSS pixels.
const MIN_PLOT: f64 = 40.0;

/// Space around the plot in CSS pixels: the tick labels and axis titles need room.
#[derive(Debug, Clone, Copy)]
pub struct Room {
    pub left: f64,
    pub bottom: f64,
    pub top: f64,
    pub right: f64,
}

/// The usual room: y tick labels and a rotated y axis title on the left, x ticks and title below.
pub const AXES: Room = Room {
    left: 64.0,
    bottom: 46.0,
    top: 14.0,
    right: 18.0,
};

/// Fills the paper, draws the title and the legend, and returns the area below them.
pub fn frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    entries: &[Entry],
    room: Room,
    ink: Ink,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    area.fill(&PAPER)?;
    let (w, h) = area.dim_in_pixel();
    let screen = area.use_screen_coord();
    let (x0, y0) = area.get_base_pixel();
    let inner = f64::from(w) - 2.0 * ink.f(PAD);
    let title_font = ink.bold(size::TITLE);
    // The text measure does not know bold (plotters measures the regular face): leave a margin.
    let title_lines = wrap(&screen, title, 0.9 * inner, &title_font)?;
    let title_h = title_lines.len() as f64 * ink.f(size::TITLE * 1.5);
    let legend_h = legend::height(&screen, entries, inner.max(1.0), ink)?;
    let top = ink.f(PAD) + title_h + legend_h;
    let need_w = ink.f(room.left + room.right + MIN_PLOT);
    let need_h = top + ink.f(room.top + room.bottom + MIN_PLOT);
    if f64::from(w) < need_w || f64::from(h) < need_h {
        return Err(ChartError::TooSmall {
            width: w,
            height: h,
            need_width: need_w.ceil() as u32,
            need_height: need_h.ceil() as u32,
        });
    }
    let origin = (f64::from(x0) + ink.f(PAD), f64::from(y0) + ink.f(PAD));
    for (k, line) in title_lines.iter().enumerate() {
        let y = origin.1 + k as f64 * ink.f(size::TITLE * 1.5);
        paint::text(&screen, line, (origin.0, y), &title_font)?;
    }
    legend::draw(&screen, entries, (origin.0, origin.1 + title_h), inner, ink)?;
    let (_, rest) = area.split_vertically(top.round() as i32);
    Ok(rest)
}

/// `text` broken at spaces into lines no wider than `width` (device pixels) in `font`, so that a
/// long title on a narrow canvas wraps instead of running off the edge. A single word wider than
/// `width` keeps a line of its own. No lines for an empty text.
fn wrap<DB: DrawingBackend>(
    s: &paint::Screen<DB>,
    text: &str,
    width: f64,
    font: &plotters::style::TextStyle,
) -> Result<Vec<String>, ChartError> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if let Some(last) = lines.last_mut() {
            let joined = format!("{last} {word}");
            if f64::from(s.estimate_text_size(&joined, font)?.0) <= width {
                *last = joined;
                continue;
            }
        }
        lines.push(word.to_string());
    }
    Ok(lines)
}

/// A chart builder on `area` that leaves `room` for the axes.
pub fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    room: Room,
    ink: Ink,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin_top(ink.px(room.top))
        .margin_right(ink.px(room.right))
        .x_label_area_size(ink.px(room.bottom))
        .y_label_area_size(ink.px(room.left));
    b
}

/// A tick label: up to six decimals without trailing zeros ("1", "0.05", "2.5"); very large or
/// very small magnitudes in scientific notation.
pub fn tick(v: &f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-4..1e6).contains(&a) {
        return format!("{v:.2e}");
    }
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ticks_drop_trailing_zeros_and_float_noise() {
        let t = |v: f64| super::tick(&v);
        assert_eq!(t(1.0), "1");
        assert_eq!(t(0.1 + 0.2), "0.3");
        assert_eq!(t(0.05), "0.05");
        assert_eq!(t(-0.0), "0");
        assert_eq!(t(-2.5), "-2.5");
        assert_eq!(t(3e7), "3.00e7");
    }
}
