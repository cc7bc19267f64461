//! Native chart tests: every chart kind is rendered to an SVG string and the test counts what
//! was drawn (bars, arrow heads, region cells, legend texts), plus the validation errors. The
//! helpers below render a chart with plotters' SVG backend and read the SVG's elements back
//! (tag, attributes, text) so that tests can count what was drawn.

mod bars;
mod decision_map;
mod lines;

use advlab::charts::{draw, Chart, ChartError};
use plotters::prelude::{IntoDrawingArea, SVGBackend};

/// Renders `chart` on a `size` canvas.
pub fn render(chart: &Chart, size: (u32, u32)) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&root, chart)?;
    }
    Ok(svg)
}

/// Parses `json` and renders it on a 640×400 canvas; panics with the error otherwise.
pub fn render_json(json: &str) -> String {
    let chart = Chart::from_json(json).unwrap_or_else(|e| panic!("{e}"));
    render(&chart, (640, 400)).unwrap_or_else(|e| panic!("{e}"))
}

/// One SVG element: its tag, attributes and (for `<text>`) its content.
#[derive(Debug)]
pub struct El {
    pub attrs: Vec<(String, String)>,
    pub text: String,
}

impl El {
    pub fn attr(&self, name: &str) -> &str {
        let found = self.attrs.iter().find(|(k, _)| k == name);
        found.map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Number of points of a `<polyline>` or `<polygon>`.
    pub fn points(&self) -> usize {
        self.attr("points").split_whitespace().count()
    }
}

/// Every `<tag …>` element of `svg`, in document order.
pub fn elements(svg: &str, tag: &str) -> Vec<El> {
    let open = format!("<{tag} ");
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find(&open) {
        rest = &rest[start + open.len()..];
        let end = rest.find('>').expect("unterminated tag");
        let attrs = parse_attrs(&rest[..end]);
        let text = match rest[end..].find(&format!("</{tag}>")) {
            Some(close) if !rest[..end].ends_with('/') => {
                rest[end + 1..end + close].trim().to_string()
            }
            _ => String::new(),
        };
        out.push(El { attrs, text });
        rest = &rest[end..];
    }
    out
}

fn parse_attrs(mut s: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    while let Some(eq) = s.find("=\"") {
        let name = s[..eq].trim().to_string();
        let after = &s[eq + 2..];
        let close = after.find('"').expect("unterminated attribute");
        attrs.push((name, after[..close].to_string()));
        s = &after[close + 1..];
    }
    attrs
}

/// The texts drawn, in order.
pub fn texts(svg: &str) -> Vec<String> {
    elements(svg, "text").into_iter().map(|e| e.text).collect()
}

/// Elements of `tag` whose attribute `name` equals `value`.
pub fn with(svg: &str, tag: &str, name: &str, value: &str) -> Vec<El> {
    let all = elements(svg, tag).into_iter();
    all.filter(|e| e.attr(name) == value).collect()
}
