//! [`Ink`]: sizes that follow the device pixel ratio (fonts, strokes, gaps), and the palette.
//!
//! Colours come from the Okabe–Ito palette, which stays distinguishable under the common colour
//! vision deficiencies; every colour is still paired with a shape, a fill pattern or a dash
//! pattern, and [`Shape`] lists the marker shapes that pair with them.

use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, TextStyle};

/// Near-black for text, axes and the marks that must stand out.
pub const INK: RGBColor = RGBColor(34, 34, 34);
/// Mid grey for secondary marks (failed attacks, region borders).
pub const GREY: RGBColor = RGBColor(110, 110, 110);
/// Light grey for grid lines.
pub const MESH: RGBColor = RGBColor(226, 226, 226);
/// Background.
pub const PAPER: RGBColor = RGBColor(255, 255, 255);
/// Fooled attacks: a dark red that is not in the class palette.
pub const FOOLED: RGBColor = RGBColor(178, 24, 43);

/// Series and class colours (Okabe–Ito, yellow last: it is weak on white).
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(240, 228, 66),  // yellow
];

/// The colour for series or class `i`.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// `c` mixed with white: `amount` 0 keeps it, 1 gives white.
pub fn tint(c: RGBColor, amount: f64) -> RGBColor {
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * amount).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// Marker shapes, cycled per class or per series together with [`colour`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Cross,
}

impl Shape {
    const ALL: [Shape; 6] = [
        Shape::Circle,
        Shape::Square,
        Shape::Triangle,
        Shape::Diamond,
        Shape::TriangleDown,
        Shape::Cross,
    ];

    /// The shape for series or class `i`.
    pub fn nth(i: usize) -> Shape {
        Shape::ALL[i % Shape::ALL.len()]
    }
}

/// Lengths in CSS pixels turned into device pixels by the chart's `scale`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ink {
    pub scale: f64,
}

impl Ink {
    /// Ink for a validated scale (absent means 1).
    pub fn new(scale: Option<f32>) -> Ink {
        Ink {
            scale: f64::from(scale.unwrap_or(1.0)),
        }
    }

    /// `css` pixels in device pixels, as a float.
    pub fn f(&self, css: f64) -> f64 {
        css * self.scale
    }

    /// `css` pixels in whole device pixels.
    pub fn px(&self, css: f64) -> i32 {
        (css * self.scale).round() as i32
    }

    /// A stroke width of `css` pixels, at least one device pixel.
    pub fn stroke(&self, css: f64) -> u32 {
        (css * self.scale).round().max(1.0) as u32
    }

    /// A text style of `css` pixels, anchored at its top-left corner.
    pub fn font(&self, css: f64) -> TextStyle<'static> {
        self.text(css, FontStyle::Normal, INK)
    }

    /// A bold text style of `css` pixels.
    pub fn bold(&self, css: f64) -> TextStyle<'static> {
        self.text(css, FontStyle::Bold, INK)
    }

    fn text(&self, css: f64, style: FontStyle, c: RGBColor) -> TextStyle<'static> {
        TextStyle {
            font: FontDesc::new(FontFamily::SansSerif, self.f(css), style),
            color: c.to_backend_color(),
            pos: Pos::new(HPos::Left, VPos::Top),
        }
    }
}

/// Text sizes in CSS pixels.
pub mod size {
    pub const TITLE: f64 = 15.0;
    pub const LEGEND: f64 = 12.5;
    pub const AXIS: f64 = 12.5;
    pub const TICK: f64 = 11.5;
}
