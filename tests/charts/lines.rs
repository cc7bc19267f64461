//! Line charts: solid and dashed curves, markers, empty and single-point series, clipping,
//! non-finite points and range errors.

use advlab::charts::{Chart, Curve, LineStyle, LinesChart};

use crate::{elements, render, render_json, texts, with};

const BLUE: &str = "#0072B2"; // series 0
const VERMILLION: &str = "#D55E00"; // series 1

fn chart(series: Vec<Curve>) -> LinesChart {
    LinesChart {
        title: "Loss".into(),
        x_label: "epoch".into(),
        y_label: "loss".into(),
        series,
        x_range: None,
        y_range: None,
        markers: false,
        scale: None,
        lang: None,
    }
}

fn curve(name: &str, points: Vec<[f32; 2]>) -> Curve {
    Curve {
        name: name.into(),
        points,
        style: LineStyle::Solid,
        colour: None,
    }
}

/// Curve strokes (2 px) of a colour; the legend adds one sample line per series.
fn strokes(svg: &str, colour: &str) -> usize {
    let lines = with(svg, "polyline", "stroke", colour).into_iter();
    lines.filter(|e| e.attr("stroke-width") == "2").count()
}

/// Filled circles of a colour (series 0's markers; the legend adds one).
fn circles(svg: &str, colour: &str) -> usize {
    with(svg, "circle", "fill", colour).len()
}

#[test]
fn solid_and_dashed_curves_with_markers_titles_and_legend() {
    let svg = render_json(
        r#"{"kind": "lines", "title": "Training", "x_label": "epoch", "y_label": "loss",
            "markers": true,
            "series": [{"name": "train", "points": [[1,2.3],[2,0.9],[3,0.4],[4,0.2]]},
                       {"name": "test", "points": [[1,2.4],[2,1.1],[3,0.7],[4,0.6]], "style": "dashed"}]}"#,
    );
    let t = texts(&svg);
    for want in ["Training", "epoch", "loss", "train", "test"] {
        assert!(t.iter().any(|s| s == want), "no text {want:?} in {t:?}");
    }
    assert_eq!(
        strokes(&svg, BLUE),
        2,
        "one solid polyline and the legend sample"
    );
    assert!(
        strokes(&svg, VERMILLION) > 6,
        "dashes come as many short pieces"
    );
    assert_eq!(circles(&svg, BLUE), 5, "four markers and the legend's");
    // Series 1 has squares: four plus the legend's.
    assert_eq!(with(&svg, "polygon", "fill", VERMILLION).len(), 5);
}

#[test]
fn a_curve_can_take_the_colour_and_markers_of_another() {
    // The second curve is a reference line for the first: same hue and marker shape, dashed.
    let svg = render_json(
        r#"{"kind": "lines", "title": "T", "x_label": "x", "y_label": "y", "markers": true,
            "series": [{"name": "measured", "points": [[1,0.9],[2,0.8]]},
                       {"name": "reference", "points": [[1,0.7],[2,0.6]], "style": "dashed", "colour": 0}]}"#,
    );
    assert_eq!(
        with(&svg, "polygon", "fill", VERMILLION).len(),
        0,
        "nothing in the second hue"
    );
    assert_eq!(
        circles(&svg, BLUE),
        6,
        "two markers per curve and one per legend entry"
    );
    assert!(
        strokes(&svg, BLUE) > 6,
        "the dashed reference line is blue too"
    );
}

#[test]
fn empty_series_single_points_and_no_series_render() {
    let c = chart(vec![curve("empty", vec![]), curve("one", vec![[3.0, 0.5]])]);
    let svg = render(&Chart::Lines(c), (640, 400)).unwrap();
    assert!(texts(&svg).iter().any(|s| s == "empty"));
    // The single point of series 1 still shows, as a square marker (plus the legend's).
    assert_eq!(with(&svg, "polygon", "fill", VERMILLION).len(), 2);
    assert_eq!(
        strokes(&svg, VERMILLION),
        1,
        "only the legend sample: one point makes no line"
    );
    let none = render(&Chart::Lines(chart(vec![])), (640, 400)).unwrap();
    assert!(texts(&none).iter().any(|s| s == "Loss"));
}

#[test]
fn without_markers_only_the_last_point_is_marked() {
    let c = chart(vec![curve(
        "train",
        vec![[1.0, 1.0], [2.0, 0.5], [3.0, 0.2]],
    )]);
    let svg = render(&Chart::Lines(c), (640, 400)).unwrap();
    assert_eq!(circles(&svg, BLUE), 2);
}

#[test]
fn non_finite_points_break_the_curve_and_are_counted() {
    let pts = vec![
        [1.0, 1.0],
        [2.0, 0.8],
        [3.0, f32::NAN],
        [4.0, 0.5],
        [5.0, 0.4],
    ];
    let svg = render(&Chart::Lines(chart(vec![curve("train", pts)])), (640, 400)).unwrap();
    assert_eq!(strokes(&svg, BLUE), 3, "two pieces and the legend sample");
    assert!(texts(&svg)
        .iter()
        .any(|s| s == "(1 non-finite value not drawn)"));
}

#[test]
fn a_korean_chart_counts_skipped_points_in_korean() {
    let pts = vec![[1.0, 1.0], [2.0, f32::NAN], [3.0, f32::INFINITY]];
    let mut c = chart(vec![curve("학습", pts)]);
    c.lang = Some("ko".into());
    let t = texts(&render(&Chart::Lines(c), (640, 400)).unwrap());
    assert!(
        t.iter().any(|s| s == "(그리지 않은 유한하지 않은 값 2개)"),
        "{t:?}"
    );
    assert!(!t.iter().any(|s| s.contains("not drawn")), "{t:?}");
}

#[test]
fn a_given_range_clips_the_curve_inside_the_plot() {
    let mut c = chart(vec![curve("acc", vec![[0.0, 0.5], [1.0, 1.5], [2.0, 0.5]])]);
    c.y_range = Some([0.0, 1.0]);
    let svg = render(&Chart::Lines(c), (640, 400)).unwrap();
    let pieces: Vec<_> = with(&svg, "polyline", "stroke", BLUE)
        .into_iter()
        .skip(1)
        .collect();
    assert_eq!(pieces.len(), 2, "the excursion above 1 is cut out");
    // Both pieces end/start on the same pixel row: the top of the plot.
    let y = |p: &str| p.split(',').nth(1).unwrap().parse::<i32>().unwrap();
    let first_end = pieces[0]
        .attr("points")
        .split_whitespace()
        .last()
        .map(y)
        .unwrap();
    let second_start = pieces[1]
        .attr("points")
        .split_whitespace()
        .next()
        .map(y)
        .unwrap();
    assert_eq!(first_end, second_start);
    assert!(elements(&svg, "text")
        .iter()
        .any(|e| e.text == "1.0" || e.text == "1"));
}

#[test]
fn bad_ranges_and_scales_name_the_field() {
    let mut c = chart(vec![]);
    c.x_range = Some([1.0, 1.0]);
    let e = Chart::Lines(c.clone()).validate().unwrap_err();
    assert_eq!(e.to_string(), "x_range = [1, 1] is not an increasing range");
    c.x_range = None;
    c.y_range = Some([f32::NAN, 1.0]);
    let e = Chart::Lines(c.clone()).validate().unwrap_err();
    assert_eq!(e.to_string(), "y_range[0] = NaN is not a finite number");
    c.y_range = None;
    c.scale = Some(100.0);
    assert!(Chart::Lines(c)
        .validate()
        .unwrap_err()
        .to_string()
        .starts_with("scale = 100"));
    let e = Chart::from_json(
        r#"{"kind": "lines", "title": "t", "series": [{"name": "a", "style": "dotted"}]}"#,
    );
    assert!(e.unwrap_err().to_string().contains("dotted"));
}

#[test]
fn extreme_magnitudes_draw_without_panicking() {
    let huge = vec![[0.0, 3e38], [1.0, -3e38], [2.0, f32::MAX]];
    let tiny = vec![[0.0, 1e-30], [1e-30, 2e-30]];
    for points in [huge, tiny] {
        let c = chart(vec![curve("x", points)]);
        let svg = render(&Chart::Lines(c), (640, 400)).unwrap();
        assert!(strokes(&svg, BLUE) >= 2, "the curve and the legend sample");
    }
    let mut c = chart(vec![curve("x", vec![[0.0, 0.0], [1.0, 1.0]])]);
    c.x_range = Some([-f32::MAX, f32::MAX]);
    c.y_range = Some([0.0, f32::MIN_POSITIVE]);
    render(&Chart::Lines(c), (640, 400)).unwrap();
}

#[test]
fn markers_on_the_window_edge_keep_their_shape() {
    let mut test = curve("test", vec![[1.0, 0.3], [8.0, 0.1]]);
    test.style = LineStyle::Dashed;
    let c = chart(vec![curve("train", vec![[1.0, 0.5], [8.0, 0.2]]), test]);
    let svg = render(&Chart::Lines(c), (640, 400)).unwrap();
    let squares = with(&svg, "polygon", "fill", VERMILLION);
    assert_eq!(squares.len(), 2, "the end marker and the legend's");
    for sq in squares {
        let xs: Vec<i32> = (sq.attr("points").split_whitespace())
            .map(|p| p.split(',').next().unwrap().parse().unwrap())
            .collect();
        let width = xs.iter().max().unwrap() - xs.iter().min().unwrap();
        assert_eq!(width, 6, "a squashed square: {}", sq.attr("points"));
    }
}
