//! Square's candidates for one sample: the first proposal of a restart and the random-square
//! proposals of its iterations ([`proposals`](super::proposals) has the geometry).

use ndarray::Array1;

use super::proposals::{l2, pattern, place, sign, Window};
use super::SquareRun;
use crate::attacks::norm::Norm;

impl SquareRun {
    /// The first proposal of a restart, from the input.
    pub(super) fn first(&mut self, i: usize) -> Array1<f32> {
        let (g, eps) = (self.geo, self.p.eps);
        let x0 = self.s.x0.row(i);
        let mut delta = Array1::<f32>::zeros(x0.len());
        let tiles = g.h / 5;
        if self.p.norm == Norm::L2 && g.h > 1 && tiles > 0 {
            for ti in 0..5 {
                for tj in (0..5).filter(|tj| (tj + 1) * tiles <= g.w) {
                    let win = Window {
                        r0: ti * tiles,
                        c0: tj * tiles,
                        hh: tiles,
                        ww: tiles,
                    };
                    let pat = pattern(win, &mut self.s.rng);
                    for ch in 0..g.c {
                        let sg = sign(&mut self.s.rng);
                        for (k, idx) in g.cells(win, ch) {
                            delta[idx] += pat[k] * sg;
                        }
                    }
                }
            }
        } else {
            let stripes: Vec<f32> = (0..g.w * g.c).map(|_| sign(&mut self.s.rng)).collect();
            for r in 0..g.h {
                for col in 0..g.w {
                    for ch in 0..g.c {
                        delta[g.index(r, col, ch)] = stripes[col * g.c + ch];
                    }
                }
            }
        }
        let mut out = Array1::zeros(x0.len());
        if self.p.norm == Norm::L2 {
            place(out.view_mut(), x0, delta.view(), eps, self.clip);
        } else {
            let (lo, hi) = self.clip;
            ndarray::Zip::from(&mut out)
                .and(x0)
                .and(&delta)
                .for_each(|o, &x, &d| *o = (x + eps * d).clamp(lo, hi));
        }
        out
    }

    /// One random-square proposal for sample `i` at fraction `p` of the pixels.
    pub(super) fn propose(&mut self, i: usize, p: f64) -> Array1<f32> {
        let (g, eps, clip) = (self.geo, self.p.eps, self.clip);
        let x0 = self.s.x0.row(i);
        let mut out = self.s.adv.row(i).to_owned();
        if self.p.norm == Norm::Inf {
            let win = g.window(p, 1, false, &mut self.s.rng);
            for ch in 0..g.c {
                let d = 2.0 * eps * sign(&mut self.s.rng);
                for (_, idx) in g.cells(win, ch) {
                    let v = (out[idx] + d).clamp(x0[idx] - eps, x0[idx] + eps);
                    out[idx] = v.clamp(clip.0, clip.1);
                }
            }
            return out;
        }
        let win = g.window(p, 3, true, &mut self.s.rng);
        let win2 = g.window_like(win, &mut self.s.rng);
        let mut delta = &out - &x0;
        let norm_cur = l2(delta.view());
        let mut union = Array1::<f32>::zeros(delta.len());
        for ch in 0..g.c {
            for (_, idx) in g.cells(win, ch).chain(g.cells(win2, ch)) {
                union[idx] = delta[idx];
            }
        }
        let w_norm = l2(union.view());
        let pat = pattern(win, &mut self.s.rng);
        let room =
            ((eps * eps - norm_cur * norm_cur).max(0.0) / g.c as f32 + w_norm * w_norm).sqrt();
        let mut fresh = Vec::new();
        for ch in 0..g.c {
            let cells: Vec<(usize, usize)> = g.cells(win, ch).collect();
            let w1 = cells
                .iter()
                .map(|&(_, j)| delta[j] * delta[j])
                .sum::<f32>()
                .sqrt();
            let sg = sign(&mut self.s.rng);
            let v: Vec<f32> = cells
                .iter()
                .map(|&(k, j)| pat[k] * sg + delta[j] / w1.max(1e-9))
                .collect();
            let n = v.iter().map(|a| a * a).sum::<f32>().sqrt().max(1e-12);
            fresh.push((
                cells,
                v.into_iter().map(|a| a / n * room).collect::<Vec<_>>(),
            ));
        }
        for ch in 0..g.c {
            g.cells(win2, ch).for_each(|(_, j)| delta[j] = 0.0);
        }
        for (cells, v) in fresh {
            cells.iter().zip(v).for_each(|(&(_, j), a)| delta[j] = a);
        }
        place(out.view_mut(), x0, delta.view(), eps, clip);
        out
    }
}
