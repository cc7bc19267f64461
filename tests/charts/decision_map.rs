//! Decision maps: region cells, borders, class names, point markers, arrows, and grid errors.

use advlab::charts::{Arrow, Chart, ChartError, DecisionMapChart, Grid, MapPoint};

use crate::{elements, render, render_json, texts, with};

const FOOLED: &str = "#B2182B";

fn names() -> Vec<String> {
    ["setosa", "versicolor", "virginica"]
        .map(String::from)
        .to_vec()
}

/// Bottom row first: 0 0 0 1 / 0 0 1 1 / 1 1 1 1 — five runs, four border segments.
fn grid() -> Grid {
    Grid {
        width: 4,
        height: 3,
        classes: vec![0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1],
    }
}

fn chart() -> DecisionMapChart {
    DecisionMapChart {
        title: "IRIS: petal length × width".into(),
        x_label: "petal length (cm)".into(),
        y_label: "petal width (cm)".into(),
        x_range: [1.0, 7.0],
        y_range: [0.0, 2.5],
        grid: Some(grid()),
        class_names: names(),
        points: vec![
            MapPoint {
                x: 1.5,
                y: 0.3,
                class: 0,
            },
            MapPoint {
                x: 4.5,
                y: 1.4,
                class: 1,
            },
            MapPoint {
                x: 6.0,
                y: 2.2,
                class: 2,
            },
        ],
        arrows: vec![
            Arrow {
                from: [1.5, 0.3],
                to: [3.0, 1.2],
                fooled: true,
            },
            Arrow {
                from: [4.5, 1.4],
                to: [5.5, 1.9],
                fooled: true,
            },
            Arrow {
                from: [6.0, 2.2],
                to: [5.8, 2.0],
                fooled: false,
            },
        ],
        scale: None,
        lang: None,
    }
}

#[test]
fn a_korean_map_names_the_arrows_in_korean() {
    let mut c = chart();
    c.lang = Some("ko".into());
    c.points[0].x = f32::NAN;
    let t = texts(&render(&Chart::DecisionMap(c), (640, 420)).unwrap());
    for want in [
        "공격이 모델을 속임 (2)",
        "공격 실패 (1)",
        "(그리지 않은 유한하지 않은 값 1개)",
    ] {
        assert!(t.iter().any(|s| s == want), "no text {want:?} in {t:?}");
    }
    assert!(
        !t.iter()
            .any(|s| s.starts_with("attack ") || s.contains("not drawn")),
        "{t:?}"
    );
}

#[test]
fn regions_points_arrows_and_legend_are_all_drawn() {
    let svg = render(&Chart::DecisionMap(chart()), (640, 420)).unwrap();
    // Paper, five region runs, and a label backdrop for each of the two classes present.
    assert_eq!(elements(&svg, "rect").len(), 1 + 5 + 2);
    let t = texts(&svg);
    for want in [
        "IRIS: petal length × width",
        "petal length (cm)",
        "petal width (cm)",
        "virginica",
    ] {
        assert!(t.iter().any(|s| s == want), "no text {want:?} in {t:?}");
    }
    assert!(
        t.iter().any(|s| s == "attack fooled the model (2)"),
        "{t:?}"
    );
    assert!(t.iter().any(|s| s == "attack failed (1)"), "{t:?}");
    // Region names: classes 0 and 1 have cells; class 2 is only in the legend.
    assert_eq!(t.iter().filter(|s| *s == "setosa").count(), 2);
    assert_eq!(t.iter().filter(|s| *s == "virginica").count(), 1);
    // Fooled arrows have filled heads (one more in the legend).
    assert_eq!(with(&svg, "polygon", "fill", FOOLED).len(), 3);
    // The failed arrow has an open head: a closed 4-point grey outline (one more in the legend).
    let open = with(&svg, "polyline", "stroke", "#6E6E6E").into_iter();
    assert_eq!(open.filter(|e| e.points() == 4).count(), 2);
    // Markers: a circle for class 0, a square for class 1, a triangle for class 2 (each also in
    // the legend).
    assert_eq!(with(&svg, "circle", "fill", "#0072B2").len(), 2);
    assert_eq!(with(&svg, "polygon", "fill", "#D55E00").len(), 2);
    assert_eq!(with(&svg, "polygon", "fill", "#009E73").len(), 2);
}

#[test]
fn borders_are_drawn_between_classes() {
    let svg = render(&Chart::DecisionMap(chart()), (640, 420)).unwrap();
    let borders = with(&svg, "polyline", "stroke", "#6E6E6E").into_iter();
    assert_eq!(borders.filter(|e| e.attr("stroke-width") == "1").count(), 4);
}

#[test]
fn a_grid_of_the_wrong_size_or_with_unknown_classes_is_rejected() {
    let mut c = chart();
    c.grid = Some(Grid {
        width: 4,
        height: 3,
        classes: vec![0; 11],
    });
    let e = Chart::DecisionMap(c.clone()).validate().unwrap_err();
    assert_eq!(
        e.to_string(),
        "grid.classes has 11 entries but 12 are needed (grid.width × grid.height)"
    );
    c.grid = Some(Grid {
        width: usize::MAX,
        height: 2,
        classes: vec![],
    });
    assert!(matches!(
        Chart::DecisionMap(c.clone()).validate(),
        Err(ChartError::Length { .. })
    ));
    let mut classes = grid().classes;
    classes[5] = 3;
    c.grid = Some(Grid {
        width: 4,
        height: 3,
        classes,
    });
    let e = Chart::DecisionMap(c.clone()).validate().unwrap_err();
    assert_eq!(
        e.to_string(),
        "grid.classes[5] = 3 names no class: there are 3 class names"
    );
    c.grid = None;
    c.points[1].class = 7;
    let e = Chart::DecisionMap(c).validate().unwrap_err();
    assert_eq!(
        e.to_string(),
        "points[1].class = 7 names no class: there are 3 class names"
    );
}

#[test]
fn points_only_non_finite_and_out_of_range_arrows_are_handled() {
    let svg = render_json(
        r#"{"kind": "decision_map", "title": "Points only", "x_range": [0, 1], "y_range": [0, 1],
            "class_names": ["a", "b"], "points": [{"x": 0.2, "y": 0.2, "class": 0}],
            "arrows": [{"from": [0.5, 0.5], "to": [2.0, 0.5], "fooled": true},
                       {"from": [0.5, 0.5], "to": [0.5, 0.5], "fooled": false}]}"#,
    );
    assert_eq!(elements(&svg, "rect").len(), 1, "no grid, no regions");
    // The first arrow leaves the window: its shaft is clipped and it has no head in the plot.
    assert_eq!(
        with(&svg, "polygon", "fill", FOOLED).len(),
        1,
        "only the legend's head"
    );
    // The second did not move: a grey ring marks it.
    assert_eq!(with(&svg, "circle", "stroke", "#6E6E6E").len(), 1);
    let mut c = chart();
    c.points[0].x = f32::NAN;
    c.arrows[2].to[1] = f32::INFINITY;
    let svg = render(&Chart::DecisionMap(c), (640, 420)).unwrap();
    assert!(texts(&svg)
        .iter()
        .any(|s| s == "(2 non-finite values not drawn)"));
}

#[test]
fn extreme_ranges_and_a_one_cell_grid_draw_without_panicking() {
    let mut c = chart();
    c.x_range = [-f32::MAX, f32::MAX];
    c.y_range = [0.0, 1e-30];
    c.grid = Some(Grid {
        width: 1,
        height: 1,
        classes: vec![2],
    });
    let svg = render(&Chart::DecisionMap(c), (640, 420)).unwrap();
    assert_eq!(
        elements(&svg, "rect").len(),
        1 + 1 + 1,
        "paper, one cell, one name backdrop"
    );
}
