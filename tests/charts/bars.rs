//! Bar charts: one bar per value per series, the marked bars, the legend, and the errors.

use advlab::charts::{BarSeries, BarsChart, Chart, ChartError};

use crate::{elements, render, render_json, texts, with};

const BLUE: &str = "#0072B2"; // series 0, solid
const VERMILLION: &str = "#D55E00"; // series 1, hatched
const INK: &str = "#222222";

fn digits() -> Vec<String> {
    (0..10).map(|d| d.to_string()).collect()
}

fn scores(top: usize, p: f32) -> Vec<f32> {
    (0..10)
        .map(|i| if i == top { p } else { (1.0 - p) / 9.0 })
        .collect()
}

fn chart(series: Vec<BarSeries>) -> Chart {
    let labels = digits();
    Chart::Bars(BarsChart {
        title: "Class scores".into(),
        labels,
        series,
        y_max: None,
        scale: None,
        lang: None,
    })
}

fn series(name: &str, values: Vec<f32>) -> BarSeries {
    BarSeries {
        name: name.into(),
        values,
        highlight: None,
    }
}

/// Solid bars of series 0 (plus its legend swatch).
fn solid_bars(svg: &str) -> usize {
    with(svg, "rect", "fill", BLUE).len()
}

/// Hatched bars of series 1: each has a closed outline (5 points) in the series colour.
fn hatched_bars(svg: &str) -> usize {
    let outlines = with(svg, "polyline", "stroke", VERMILLION).into_iter();
    outlines.filter(|e| e.points() == 5).count()
}

#[test]
fn two_series_draw_one_bar_per_value_and_mark_each_prediction() {
    let svg = render_json(
        r#"{"kind": "bars", "title": "Class scores", "labels": ["0","1","2","3","4","5","6","7","8","9"],
            "series": [
              {"name": "undefended", "values": [0.01,0.0,0.02,0.0,0.0,0.01,0.0,0.93,0.02,0.01]},
              {"name": "defended", "values": [0.02,0.0,0.03,0.01,0.0,0.02,0.0,0.88,0.03,0.01]}]}"#,
    );
    // Ten bars per series, plus one legend swatch each.
    assert_eq!(solid_bars(&svg), 11);
    assert_eq!(hatched_bars(&svg), 11);
    let t = texts(&svg);
    for want in [
        "Class scores",
        "undefended: 7 (93%)",
        "defended: 7 (88%)",
        "highest score",
        "100%",
        "9",
    ] {
        assert!(t.iter().any(|s| s == want), "no text {want:?} in {t:?}");
    }
    // Each marked bar: a thick ink outline and a ▼ (filled ink triangle; one more in the legend).
    let outlines = with(&svg, "polyline", "stroke", INK).into_iter();
    assert_eq!(
        outlines.filter(|e| e.attr("stroke-width") == "3").count(),
        2
    );
    assert_eq!(with(&svg, "polygon", "fill", INK).len(), 3);
}

#[test]
fn highlight_overrides_the_arg_max_and_a_single_series_is_fine() {
    let mut s = series("undefended", scores(3, 0.6));
    s.highlight = Some(8);
    let svg = render(&chart(vec![s]), (640, 400)).unwrap();
    assert_eq!(solid_bars(&svg), 11);
    assert_eq!(hatched_bars(&svg), 0);
    let t = texts(&svg);
    assert!(t.iter().any(|s| s == "undefended: 8 (4%)"), "{t:?}");
    assert!(t.iter().any(|s| s == "marked class"), "{t:?}");
}

#[test]
fn no_series_draws_axes_and_labels_only() {
    let svg = render(&chart(vec![]), (640, 400)).unwrap();
    assert_eq!(solid_bars(&svg), 0);
    assert!(texts(&svg).iter().any(|s| s == "Class scores"));
    assert!(texts(&svg).iter().any(|s| s == "5"));
}

#[test]
fn non_finite_values_are_skipped_counted_and_never_marked() {
    let mut values = scores(2, 0.5);
    values[4] = f32::NAN;
    values[5] = f32::INFINITY;
    let svg = render(&chart(vec![series("undefended", values)]), (640, 400)).unwrap();
    assert_eq!(solid_bars(&svg), 9);
    let t = texts(&svg);
    assert!(
        t.iter().any(|s| s == "(2 non-finite values not drawn)"),
        "{t:?}"
    );
    assert!(t.iter().any(|s| s == "undefended: 2 (50%)"), "{t:?}");
}

#[test]
fn mismatched_lengths_and_unknown_highlights_are_reported_with_their_values() {
    let short = chart(vec![series("a", scores(1, 0.9)), series("b", vec![0.5; 9])]);
    let e = render(&short, (640, 400)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "series[1].values has 9 entries but 10 are needed (one value per label)"
    );
    let mut s = series("a", scores(1, 0.9));
    s.highlight = Some(10);
    let e = chart(vec![s]).validate().unwrap_err();
    assert_eq!(
        e.to_string(),
        "series[0].highlight = 10 names no class: there are 10 class names"
    );
    let empty = Chart::Bars(BarsChart {
        labels: vec![],
        ..bars(chart(vec![]))
    });
    assert_eq!(
        empty.validate(),
        Err(ChartError::Empty {
            field: "labels".into()
        })
    );
    let negative = Chart::Bars(BarsChart {
        y_max: Some(-1.0),
        ..bars(chart(vec![]))
    });
    assert!(negative
        .validate()
        .unwrap_err()
        .to_string()
        .starts_with("y_max = -1 is out of range"));
}

#[test]
fn a_korean_chart_draws_its_own_words_in_korean() {
    let mut values = scores(2, 0.5);
    values[4] = f32::NAN;
    values[5] = f32::INFINITY;
    let mut marked = series("방어하지 않은 모델", scores(3, 0.6));
    marked.highlight = Some(8);
    for (series, word, english) in [
        (
            series("undefended", values),
            "가장 높은 점수",
            "highest score",
        ),
        (marked, "표시한 클래스", "marked class"),
    ] {
        let c = Chart::Bars(BarsChart {
            lang: Some("ko".into()),
            ..bars(chart(vec![series]))
        });
        let svg = render(&c, (640, 400)).unwrap();
        let t = texts(&svg);
        assert!(t.iter().any(|s| s == word), "{t:?}");
        assert!(!t.iter().any(|s| s == english), "{t:?}");
        assert!(!t.iter().any(|s| s.contains("not drawn")), "{t:?}");
    }
    let c = Chart::Bars(BarsChart {
        lang: Some("ko".into()),
        ..bars(chart(vec![series("a", vec![f32::NAN; 10])]))
    });
    let t = texts(&render(&c, (640, 400)).unwrap());
    assert!(
        t.iter().any(|s| s == "(그리지 않은 유한하지 않은 값 10개)"),
        "{t:?}"
    );
}

#[test]
fn a_chart_s_lang_is_en_or_ko() {
    let json = |lang: &str| {
        format!(r#"{{"kind": "bars", "title": "t", "labels": ["a"], "lang": {lang}}}"#)
    };
    assert!(Chart::from_json(&json("\"en\""))
        .unwrap()
        .validate()
        .is_ok());
    let e = Chart::from_json(&json("\"fr\""))
        .unwrap()
        .validate()
        .unwrap_err();
    assert_eq!(e.to_string(), "lang = \"fr\" must be one of en, ko");
    assert!(render(&Chart::from_json(&json("\"fr\"")).unwrap(), (640, 400)).is_err());
}

fn bars(c: Chart) -> BarsChart {
    match c {
        Chart::Bars(b) => b,
        other => panic!("not bars: {other:?}"),
    }
}

#[test]
fn unknown_fields_and_kinds_are_rejected_by_name() {
    let typo = r#"{"kind": "bars", "title": "t", "labels": ["a"], "yMax": 2}"#;
    let e = Chart::from_json(typo).unwrap_err().to_string();
    assert!(e.contains("yMax"), "{e}");
    let e = Chart::from_json(r#"{"kind": "pie", "title": "t"}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("pie") && e.contains("decision_map"), "{e}");
}

#[test]
fn scale_grows_fonts_and_a_tiny_canvas_is_an_error_not_a_panic() {
    let title_size = |svg: &str| {
        let title = elements(svg, "text")
            .into_iter()
            .find(|e| e.text == "Class scores")
            .unwrap();
        title.attr("font-size").parse::<f64>().unwrap()
    };
    let one = render(&chart(vec![]), (640, 400)).unwrap();
    let Chart::Bars(mut b) = chart(vec![]) else {
        unreachable!()
    };
    b.scale = Some(2.0);
    let two = render(&Chart::Bars(b), (1280, 800)).unwrap();
    assert!((title_size(&two) - 2.0 * title_size(&one)).abs() < 1e-6);
    for size in [(0, 0), (60, 400), (640, 50)] {
        let e = render(&chart(vec![]), size).unwrap_err();
        assert!(matches!(e, ChartError::TooSmall { .. }), "{size:?}: {e}");
    }
}

#[test]
fn extreme_scales_draw_without_panicking() {
    for y_max in [1e-30, 3e38] {
        let Chart::Bars(mut b) = chart(vec![series("a", vec![y_max / 2.0; 10])]) else {
            unreachable!()
        };
        b.y_max = Some(y_max);
        let svg = render(&Chart::Bars(b), (640, 400)).unwrap();
        assert_eq!(solid_bars(&svg), 11, "y_max = {y_max}");
    }
}

#[test]
fn a_long_title_wraps_on_a_narrow_canvas_instead_of_running_off_it() {
    let Chart::Bars(mut b) = chart(vec![series("a", scores(3, 0.9))]) else {
        unreachable!()
    };
    b.title = "Class scores on the adversarial input of the defended model".into();
    let words = |svg: &str| -> Vec<String> {
        let bold = elements(svg, "text");
        let title: Vec<_> = bold
            .iter()
            .filter(|e| b.title.contains(e.text.as_str()) && !e.text.is_empty())
            .map(|e| e.text.clone())
            .collect();
        title
    };
    let wide = render(&Chart::Bars(b.clone()), (900, 400)).unwrap();
    assert_eq!(words(&wide), [b.title.clone()], "one line where it fits");
    let narrow = render(&Chart::Bars(b.clone()), (300, 400)).unwrap();
    let lines = words(&narrow);
    assert!(lines.len() >= 2, "{lines:?}");
    assert_eq!(
        lines.join(" "),
        b.title,
        "the lines keep every word, in order"
    );
    // Each line starts at the left margin, one below the other.
    let ys: Vec<f64> = elements(&narrow, "text")
        .iter()
        .filter(|e| lines.contains(&e.text))
        .map(|e| e.attr("y").parse().unwrap())
        .collect();
    assert!(ys.windows(2).all(|w| w[1] > w[0]), "{ys:?}");
}
