//! The decision regions of a [`Grid`] of predicted classes: pure helpers that merge cells into
//! horizontal [`Run`]s (one rectangle each), trace the borders between classes (so regions are
//! told apart by a line, not only by their tint), and find a spot for each class's name deep
//! inside its area and clear of points and arrows. Coordinates are cell units: column `c` spans
//! `[c, c+1)`, row 0 is the bottom row.

use serde::{Deserialize, Serialize};

use super::geom::{clip_segment, Bounds, Pt};

/// The model's class at each cell of a `width × height` lattice over the map's ranges.
/// `classes` is row-major and row 0 is the *bottom* row (lowest y), so cell `(col, row)` is
/// `classes[row * width + col]` and covers `x ∈ [x0 + col·dx, x0 + (col+1)·dx)` with
/// `dx = (x_range[1] - x_range[0]) / width` (likewise for y).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    pub width: usize,
    pub height: usize,
    pub classes: Vec<u8>,
}

/// Cells `col0..col1` of `row`, all of class `class`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub row: usize,
    pub col0: usize,
    pub col1: usize,
    pub class: u8,
}

/// A border segment between lattice points `(col, row)`.
pub type Edge = ((usize, usize), (usize, usize));

impl Grid {
    fn at(&self, col: usize, row: usize) -> u8 {
        self.classes[row * self.width + col]
    }

    /// Maximal horizontal runs of equal class, row by row (assumes a validated grid).
    pub(crate) fn runs(&self) -> Vec<Run> {
        let mut runs = Vec::new();
        for row in 0..self.height {
            let mut col0 = 0;
            for col in 1..=self.width {
                if col == self.width || self.at(col, row) != self.at(col0, row) {
                    let class = self.at(col0, row);
                    runs.push(Run {
                        row,
                        col0,
                        col1: col,
                        class,
                    });
                    col0 = col;
                }
            }
        }
        runs
    }

    /// The borders between cells of different classes, merged into maximal straight segments.
    pub(crate) fn borders(&self) -> Vec<Edge> {
        let mut edges = Vec::new();
        // Vertical borders at x = col, between columns col-1 and col.
        for col in 1..self.width {
            let differs = |row: usize| self.at(col - 1, row) != self.at(col, row);
            merge(self.height, differs, |a, b| {
                edges.push(((col, a), (col, b)))
            });
        }
        // Horizontal borders at y = row, between rows row-1 and row.
        for row in 1..self.height {
            let differs = |col: usize| self.at(col, row - 1) != self.at(col, row);
            merge(self.width, differs, |a, b| edges.push(((a, row), (b, row))));
        }
        edges
    }

    /// Where to write the name of `class`: the cell whose centre can hold a label of `half`
    /// (half width, half height, in cells) inside the class's own cells without touching any of
    /// the `obstacles` (segments in cell units: points are zero-length), deepest first. Without
    /// such a cell: the deepest cell that keeps the label inside the class; else the deepest.
    /// `None` when the class has no cells.
    pub(crate) fn label_spot(
        &self,
        class: u8,
        half: (f64, f64),
        obstacles: &[(Pt, Pt)],
    ) -> Option<(usize, usize)> {
        let depth = self.depths();
        let mut cells: Vec<usize> = (0..self.classes.len())
            .filter(|&i| self.classes[i] == class)
            .collect();
        // Stable: equally deep cells stay in row-major order.
        cells.sort_by_key(|&i| std::cmp::Reverse(depth[i]));
        let spot = |i: usize| (i % self.width, i / self.width);
        let label = |i: usize| {
            let (c, r) = spot(i);
            let (cx, cy) = (c as f64 + 0.5, r as f64 + 0.5);
            Bounds::spanning((cx - half.0, cy - half.1), (cx + half.0, cy + half.1))
        };
        let inside = |i: &&usize| self.uniform(&label(**i), class);
        let clear = |i: &&usize| {
            obstacles
                .iter()
                .all(|(p, q)| clip_segment(*p, *q, &label(**i)).is_none())
        };
        let best = (cells.iter().find(|i| inside(i) && clear(i)))
            .or_else(|| cells.iter().find(inside))
            .or(cells.first());
        best.map(|&i| spot(i))
    }

    /// Whether every cell under `b` (cell units) lies in the grid and has class `class`.
    fn uniform(&self, b: &Bounds, class: u8) -> bool {
        if b.x0 < 0.0 || b.y0 < 0.0 || b.x1 > self.width as f64 || b.y1 > self.height as f64 {
            return false;
        }
        let (c0, c1) = (
            b.x0.floor() as usize,
            (b.x1.ceil() as usize).min(self.width),
        );
        let (r0, r1) = (
            b.y0.floor() as usize,
            (b.y1.ceil() as usize).min(self.height),
        );
        (r0..r1).all(|row| (c0..c1).all(|col| self.at(col, row) == class))
    }

    /// Steps from each cell to the nearest cell on a border or the edge (two chamfer passes).
    fn depths(&self) -> Vec<u32> {
        let (w, h) = (self.width, self.height);
        let mut d = vec![0u32; w * h];
        for row in 0..h {
            for col in 0..w {
                let k = self.at(col, row);
                let edge = col == 0 || row == 0 || col + 1 == w || row + 1 == h;
                let border = edge
                    || self.at(col - 1, row) != k
                    || self.at(col + 1, row) != k
                    || self.at(col, row - 1) != k
                    || self.at(col, row + 1) != k;
                d[row * w + col] = if border {
                    0
                } else {
                    d[row * w + col - 1].min(d[(row - 1) * w + col]) + 1
                };
            }
        }
        for row in (1..h.saturating_sub(1)).rev() {
            for col in (1..w.saturating_sub(1)).rev() {
                let i = row * w + col;
                d[i] = d[i].min(d[i + 1] + 1).min(d[i + w] + 1);
            }
        }
        d
    }
}

/// Calls `emit(start, end)` for each maximal run of `i` in `0..n` where `differs(i)` holds.
fn merge(n: usize, differs: impl Fn(usize) -> bool, mut emit: impl FnMut(usize, usize)) {
    let mut start = None;
    for i in 0..=n {
        match (start, i < n && differs(i)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                emit(s, i);
                start = None;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bottom row first:      row 2: 1 1 1 1
    ///                        row 1: 0 0 1 1
    ///                        row 0: 0 0 0 1
    fn grid() -> Grid {
        Grid {
            width: 4,
            height: 3,
            classes: vec![0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1],
        }
    }

    #[test]
    fn runs_merge_equal_neighbours_in_each_row() {
        let runs = grid().runs();
        let r = |row, col0, col1, class| Run {
            row,
            col0,
            col1,
            class,
        };
        assert_eq!(
            runs,
            vec![
                r(0, 0, 3, 0),
                r(0, 3, 4, 1),
                r(1, 0, 2, 0),
                r(1, 2, 4, 1),
                r(2, 0, 4, 1)
            ]
        );
    }

    #[test]
    fn borders_follow_the_staircase_between_classes() {
        let mut edges = grid().borders();
        edges.sort();
        // x = 2 from row 1 to 2, x = 3 from row 0 to 1; y = 1 under column 2; y = 2 over columns 0-1.
        assert_eq!(
            edges,
            vec![
                ((0, 2), (2, 2)),
                ((2, 1), (2, 2)),
                ((2, 1), (3, 1)),
                ((3, 0), (3, 1))
            ]
        );
    }

    #[test]
    fn labels_go_deep_inside_their_class_and_step_around_obstacles() {
        let mut classes = vec![0u8; 7 * 7];
        classes[0] = 2; // one stray cell of class 2 in the corner
        let g = Grid {
            width: 7,
            height: 7,
            classes,
        };
        assert_eq!(g.label_spot(0, (0.5, 0.5), &[]), Some((3, 3)));
        // A point at the centre pushes the label to the next deepest cell that avoids it.
        let point = ((3.5, 3.5), (3.5, 3.5));
        assert_eq!(g.label_spot(0, (0.5, 0.5), &[point]), Some((2, 2)));
        // A label wider than the grid cannot fit anywhere: the deepest cell is still used.
        assert_eq!(g.label_spot(0, (5.0, 0.5), &[point]), Some((3, 3)));
        // The stray cell is too small for any label but still gets one; class 1 has no cells.
        assert_eq!(g.label_spot(2, (0.5, 0.5), &[]), Some((0, 0)));
        assert_eq!(g.label_spot(1, (0.5, 0.5), &[]), None);
        // A label never crosses into another class when a spot inside exists.
        assert_eq!(grid().label_spot(1, (1.0, 0.5), &[]), Some((1, 2)));
    }
}
