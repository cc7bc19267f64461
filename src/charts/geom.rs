//! Plain 2-D geometry for the charts, independent of plotters: [`Pt`] points, [`Bounds`]
//! rectangles, segment clipping (Liang–Barsky), dash patterns along a polyline, arrow heads and
//! hatch lines. Everything is `f64` so that extreme `f32` data cannot overflow.

/// A point `(x, y)`, in data or pixel units depending on the caller.
pub type Pt = (f64, f64);

/// An axis-aligned rectangle with `x0 <= x1` and `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

impl Bounds {
    /// The rectangle spanned by two corners in any order.
    pub fn spanning(a: Pt, b: Pt) -> Bounds {
        Bounds {
            x0: a.0.min(b.0),
            x1: a.0.max(b.0),
            y0: a.1.min(b.1),
            y1: a.1.max(b.1),
        }
    }

    /// Whether `p` lies inside or on the border.
    pub fn contains(&self, p: Pt) -> bool {
        p.0 >= self.x0 && p.0 <= self.x1 && p.1 >= self.y0 && p.1 <= self.y1
    }
}

/// The part of segment `a`–`b` inside `r`, or `None` when it misses `r` entirely.
pub fn clip_segment(a: Pt, b: Pt, r: &Bounds) -> Option<(Pt, Pt)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    let edges = [
        (-dx, a.0 - r.x0),
        (dx, r.x1 - a.0),
        (-dy, a.1 - r.y0),
        (dy, r.y1 - a.1),
    ];
    for (p, q) in edges {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
            continue;
        }
        let t = q / p;
        if p < 0.0 {
            t0 = t0.max(t);
        } else {
            t1 = t1.min(t);
        }
        if t0 > t1 {
            return None;
        }
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    Some((at(t0), at(t1)))
}

/// Splits a polyline into the "on" pieces of a dash pattern (`on` drawn, `off` skipped, both in
/// the polyline's units). The pattern continues across vertices, so corners do not restart it.
pub fn dashes(line: &[Pt], on: f64, off: f64) -> Vec<Vec<Pt>> {
    let mut pieces = Vec::new();
    if on <= 0.0 || off < 0.0 || line.len() < 2 {
        return pieces;
    }
    let (mut drawing, mut left) = (true, on);
    let mut current = vec![line[0]];
    for w in line.windows(2) {
        let (mut p, q) = (w[0], w[1]);
        let mut len = ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt();
        while len > left {
            let f = left / len;
            let cut = (p.0 + (q.0 - p.0) * f, p.1 + (q.1 - p.1) * f);
            if drawing {
                current.push(cut);
                pieces.push(std::mem::take(&mut current));
            } else {
                current = vec![cut];
            }
            drawing = !drawing;
            len -= left;
            left = if drawing { on } else { off };
            p = cut;
        }
        left -= len;
        if drawing {
            current.push(q);
        }
    }
    if drawing && current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

/// The three corners of an arrow head whose tip is at `to`, pointing away from `from`: `len`
/// long and `half_width` wide on each side. `None` when `from` and `to` coincide.
pub fn arrow_head(from: Pt, to: Pt, len: f64, half_width: f64) -> Option<[Pt; 3]> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let norm = (dx * dx + dy * dy).sqrt();
    if norm < 1e-9 {
        return None;
    }
    let (ux, uy) = (dx / norm, dy / norm);
    let base = (to.0 - ux * len, to.1 - uy * len);
    Some([
        to,
        (base.0 - uy * half_width, base.1 + ux * half_width),
        (base.0 + uy * half_width, base.1 - ux * half_width),
    ])
}

/// Diagonal hatch lines (rising to the right at 45°, `spacing` apart) clipped to `r`.
pub fn hatch_lines(r: &Bounds, spacing: f64) -> Vec<(Pt, Pt)> {
    let mut lines = Vec::new();
    if spacing <= 0.0 {
        return lines;
    }
    let h = r.y1 - r.y0;
    // Lines x + y = c for c covering the rectangle; each drawn as a long segment, then clipped.
    let mut c = r.x0 + r.y0 + spacing / 2.0;
    while c < r.x1 + r.y1 {
        let a = (c - r.y1 - h, r.y1 + h);
        let b = (c - r.y0 + h, r.y0 - h);
        if let Some(seg) = clip_segment(a, b, r) {
            lines.push(seg);
        }
        c += spacing;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: Bounds = Bounds {
        x0: 0.0,
        x1: 1.0,
        y0: 0.0,
        y1: 1.0,
    };

    #[test]
    fn clipping_keeps_inside_cuts_crossing_and_drops_outside() {
        let inside = clip_segment((0.2, 0.2), (0.8, 0.5), &UNIT);
        assert_eq!(inside, Some(((0.2, 0.2), (0.8, 0.5))));
        let ((a, b), (c, d)) = clip_segment((-1.0, 0.5), (2.0, 0.5), &UNIT).unwrap();
        assert_eq!((a, b, c, d), (0.0, 0.5, 1.0, 0.5));
        assert_eq!(clip_segment((2.0, 2.0), (3.0, 5.0), &UNIT), None);
        assert_eq!(clip_segment((-1.0, 2.0), (-1.0, -2.0), &UNIT), None);
    }

    #[test]
    fn dashes_alternate_and_carry_the_phase_over_corners() {
        let pieces = dashes(&[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0)], 2.0, 1.0);
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces[0], vec![(0.0, 0.0), (2.0, 0.0)]);
        // The second dash starts at x = 3 and turns the corner without restarting.
        assert_eq!(pieces[1], vec![(3.0, 0.0), (4.0, 0.0), (4.0, 1.0)]);
        assert_eq!(pieces[2], vec![(4.0, 2.0), (4.0, 4.0)]);
        assert!(dashes(&[(0.0, 0.0)], 2.0, 1.0).is_empty());
    }

    #[test]
    fn arrow_heads_point_along_the_shaft() {
        let head = arrow_head((0.0, 0.0), (10.0, 0.0), 4.0, 2.0).unwrap();
        assert_eq!(head, [(10.0, 0.0), (6.0, 2.0), (6.0, -2.0)]);
        assert_eq!(arrow_head((1.0, 1.0), (1.0, 1.0), 4.0, 2.0), None);
    }

    #[test]
    fn hatch_lines_cover_the_rectangle_and_stay_inside_it() {
        let r = Bounds::spanning((0.0, 0.0), (10.0, 20.0));
        let lines = hatch_lines(&r, 5.0);
        assert_eq!(lines.len(), 6);
        for (a, b) in &lines {
            assert!(r.contains(*a) && r.contains(*b), "{a:?}-{b:?} leaves {r:?}");
            assert!(((b.0 - a.0) + (b.1 - a.1)).abs() < 1e-9, "not at 45°");
        }
        assert!(hatch_lines(&r, 0.0).is_empty());
    }
}
