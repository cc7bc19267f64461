//! Square's random proposals: where a square goes, what it puts there, and the schedule of its
//! size. Images are `(h, w, c)` (NHWC, flattened row-major); a flat feature vector is treated as
//! one row of `D` pixels, whose "squares" are runs of `p * D` consecutive features.

use ndarray::{Array2, ArrayView1, ArrayViewMut1};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The layout of one sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    /// Rows.
    pub h: usize,
    /// Columns.
    pub w: usize,
    /// Channels.
    pub c: usize,
}

/// A window: first row and column, height and width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub(super) r0: usize,
    pub(super) c0: usize,
    pub(super) hh: usize,
    pub(super) ww: usize,
}

impl Geometry {
    /// `(h, w, c)` for images, one row of features otherwise.
    pub fn of(shape: &[usize]) -> Geometry {
        match *shape {
            [h, w, c] => Geometry { h, w, c },
            [h, w] => Geometry { h, w, c: 1 },
            _ => Geometry {
                h: 1,
                w: shape.iter().product(),
                c: 1,
            },
        }
    }

    /// The flat index of pixel `(r, col)`, channel `ch`.
    pub fn index(&self, r: usize, col: usize, ch: usize) -> usize {
        (r * self.w + col) * self.c + ch
    }

    /// A window covering fraction `p` of the pixels: a square of side `round(sqrt(p h w))`
    /// (at least `min_side`, odd when `odd`) on images, `round(p w)` features on a row. ART draws
    /// its corner with `randint(0, h - s)`, which never touches the last row or column; so do we,
    /// but a square as large as the image sits at 0 (ART would fail).
    pub fn window(&self, p: f64, min_side: usize, odd: bool, rng: &mut ChaCha8Rng) -> Window {
        let area = if self.h == 1 {
            p * self.w as f64
        } else {
            (p * (self.h * self.w) as f64).sqrt()
        };
        let mut s = (area.round_ties_even() as usize).max(min_side);
        if odd && s.is_multiple_of(2) {
            s += 1;
        }
        let (hh, ww) = if self.h == 1 {
            (1, s.min(self.w))
        } else {
            let s = s.min(self.h).min(self.w);
            (s, s)
        };
        let r0 = corner(rng, self.h, hh);
        let c0 = corner(rng, self.w, ww);
        Window { r0, c0, hh, ww }
    }

    /// A window of the same size as `win`, placed at random the same way.
    pub fn window_like(&self, win: Window, rng: &mut ChaCha8Rng) -> Window {
        Window {
            r0: corner(rng, self.h, win.hh),
            c0: corner(rng, self.w, win.ww),
            ..win
        }
    }

    /// Every `(pixel index in the window, flat index)` of channel `ch` in `win`.
    pub fn cells(&self, win: Window, ch: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..win.hh).flat_map(move |a| {
            (0..win.ww).map(move |b| (a * win.ww + b, self.index(win.r0 + a, win.c0 + b, ch)))
        })
    }
}

/// A first row (column) for a window of `s` out of `n`: ART's `randint(0, n - s)`, or 0.
fn corner(rng: &mut ChaCha8Rng, n: usize, s: usize) -> usize {
    if n > s {
        rng.random_range(0..n - s)
    } else {
        0
    }
}

/// ART's `_get_percentage_of_elements`: `p_init` divided by 2 at each of the fixed fractions
/// of `max_iter` (0.1%, 0.5%, 2%, 5%, 10%, 20%, 40%, 60%, 80%).
pub fn fraction(p_init: f32, i_iter: usize, max_iter: usize) -> f64 {
    const INTERVALS: [f64; 9] = [0.001, 0.005, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8];
    let i_p = i_iter as f64 / max_iter.max(1) as f64;
    let k = INTERVALS.iter().filter(|&&t| t < i_p).count();
    f64::from(p_init) / f64::from(1u32 << k)
}

/// ±1 with equal odds.
pub fn sign(rng: &mut ChaCha8Rng) -> f32 {
    if rng.random::<bool>() {
        1.0
    } else {
        -1.0
    }
}

/// The L2 attack's pattern for a window, unit L2 norm, flattened row-major: ART's
/// `_get_perturbation` (two pseudo-Gaussian blobs of opposite sign, randomly transposed and
/// negated) on squares of side 2 or more; on a row of features, `+` on its first half and `-`
/// on its second; a single pixel is `±1`.
pub fn pattern(win: Window, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let (hh, ww) = (win.hh, win.ww);
    let mut d = Array2::<f32>::zeros((hh, ww));
    if hh >= 2 && hh == ww {
        let s = hh;
        let mut g = Array2::<f32>::zeros((s / 2, s));
        let (mut xc, mut yc) = ((s / 4) as isize, (s / 2) as isize);
        for iy in 0..s / 2 {
            let span = 2 * iy as isize + 1;
            let (r0, r1) = (xc.max(0), (xc + span).min((s / 2) as isize));
            let (c0, c1) = (yc.max(0), (yc + span).min(s as isize));
            for r in r0..r1 {
                for c in c0..c1 {
                    g[[r as usize, c as usize]] += 1.0 / ((iy + 1) * (iy + 1)) as f32;
                }
            }
            xc -= 1;
            yc -= 1;
        }
        for r in 0..s / 2 {
            d.row_mut(r).assign(&g.row(r));
            d.row_mut(s / 2 + r).assign(&(-&g.row(r)));
        }
        if rng.random::<f64>() > 0.5 {
            d = d.t().to_owned();
        }
    } else {
        for b in 0..ww {
            let v = match (2 * b + 1).cmp(&ww) {
                std::cmp::Ordering::Less => 1.0,
                std::cmp::Ordering::Equal => 0.0,
                std::cmp::Ordering::Greater => -1.0,
            };
            d.column_mut(b).fill(if ww == 1 { 1.0 } else { v });
        }
    }
    let norm = d.iter().map(|v| v * v).sum::<f32>().sqrt();
    let flip = if rng.random::<f64>() > 0.5 { -1.0 } else { 1.0 };
    d.iter().map(|v| v / norm * flip).collect()
}

/// The L2 norm of a vector.
pub fn l2(v: ArrayView1<f32>) -> f32 {
    v.iter().map(|a| a * a).sum::<f32>().sqrt()
}

/// Rescales `delta` to L2 norm `eps` and writes `clip(x0 + delta)` into `out`.
pub fn place(
    out: ArrayViewMut1<f32>,
    x0: ArrayView1<f32>,
    delta: ArrayView1<f32>,
    eps: f32,
    clip: (f32, f32),
) {
    let n = l2(delta);
    let scale = if n > 0.0 { eps / n } else { 0.0 };
    ndarray::Zip::from(out)
        .and(x0)
        .and(delta)
        .for_each(|o, &x, &d| *o = (x + d * scale).clamp(clip.0, clip.1));
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn the_schedule_halves_at_arts_fractions() {
        let p = f64::from(0.8f32);
        assert_eq!(fraction(0.8, 0, 1000), p);
        assert_eq!(fraction(0.8, 1, 1000), p); // i_p = 0.001 is not past 0.001
        assert_eq!(fraction(0.8, 2, 1000), p / 2.0);
        assert_eq!(fraction(0.8, 999, 1000), p / 512.0);
    }

    #[test]
    fn windows_and_patterns_fit_the_sample() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let img = Geometry::of(&[28, 28, 1]);
        let w = img.window(0.8, 1, false, &mut rng);
        assert_eq!((w.hh, w.ww), (25, 25));
        assert!(w.r0 < 3 && w.c0 < 3);
        let w = img.window(0.01, 3, true, &mut rng);
        assert_eq!((w.hh, w.ww), (3, 3));
        let p = pattern(w, &mut rng);
        assert!((p.iter().map(|v| v * v).sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(p.iter().any(|&v| v > 0.0) && p.iter().any(|&v| v < 0.0));
        let row = Geometry::of(&[4]);
        let w = row.window(0.8, 3, true, &mut rng);
        assert_eq!((w.hh, w.ww, w.r0), (1, 3, 0));
        assert_eq!(row.cells(w, 0).count(), 3);
        let p = pattern(w, &mut rng);
        assert_eq!(p[1], 0.0);
        assert!((p[0] + p[2]).abs() < 1e-6);
    }
}
