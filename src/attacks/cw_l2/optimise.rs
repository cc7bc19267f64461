//! The optimisation of [`CwL2Run`]: ART's loss on candidate points (from the logits), the
//! gradient step in tanh space and its halving/doubling line search.

use ndarray::{Array2, Axis, Zip};

use super::{CwL2Run, C_UPPER, SMOOTHER};
use crate::attacks::batch;
use crate::classifier::Classifier;

pub(super) fn to_tanh(x: f32, (lo, hi): (f32, f32)) -> f32 {
    let t = (x.clamp(lo, hi) - lo) / (hi - lo);
    ((t * 2.0 - 1.0) * SMOOTHER).atanh()
}

fn from_tanh(w: f32, (lo, hi): (f32, f32)) -> f32 {
    (w.tanh() + 1.0) / 2.0 * (hi - lo) + lo
}

/// The line search's bookkeeping: each sample's last trial loss, best loss and step size, and
/// its row in the perturbation matrix.
struct Trials {
    loss: Vec<f64>,
    best_loss: Vec<f64>,
    best_lr: Vec<f64>,
    pos: Vec<usize>,
}

/// Logits, squared L2 distances, losses and margins of candidate rows.
pub(super) struct Eval {
    pub(super) z: Array2<f32>,
    pub(super) l2: Vec<f32>,
    pub(super) loss: Vec<f64>,
    pub(super) fooled: Vec<bool>,
}

impl CwL2Run {
    /// The other class with the largest logit.
    fn best_other(z: ndarray::ArrayView1<f32>, label: usize) -> usize {
        let mut best = if label == 0 { 1 } else { 0 };
        for (j, &v) in z.iter().enumerate() {
            if j != label && v > z[best] {
                best = j;
            }
        }
        best
    }

    /// ART's `_loss` on candidate rows `rows` (`cand` row `k` belongs to sample `rows[k]`).
    pub(super) fn evaluate(
        &self,
        clf: &dyn Classifier,
        rows: &[usize],
        cand: &Array2<f32>,
    ) -> Eval {
        let z = batch::logits(clf, cand.view(), self.p.batch_size);
        let (mut l2, mut loss, mut fooled) = (Vec::new(), Vec::new(), Vec::new());
        for (k, &i) in rows.iter().enumerate() {
            let d: f32 = Zip::from(self.s.x0.row(i))
                .and(cand.row(k))
                .fold(0.0, |a, &x, &v| a + (x - v) * (x - v));
            let (label, other) = (self.labels[i], Self::best_other(z.row(k), self.labels[i]));
            let lead = z[[k, label]] - z[[k, other]];
            let gap = if self.p.targeted { -lead } else { lead };
            let margin = (gap + self.p.confidence).max(0.0);
            l2.push(d);
            loss.push(self.c[i] * f64::from(margin) + f64::from(d));
            // the adversarial class must lead strictly: at an exact tie the model still
            // predicts the label (ART counts it)
            fooled.push(margin <= 0.0 && gap < 0.0);
        }
        Eval {
            z,
            l2,
            loss,
            fooled,
        }
    }

    /// Candidate rows `w + lr * pert` mapped back from tanh space.
    fn candidates(&self, rows: &[usize], pert: &Array2<f32>, pos: &[usize]) -> Array2<f32> {
        let mut out = Array2::zeros((rows.len(), self.s.x0.ncols()));
        for (k, &i) in rows.iter().enumerate() {
            let lr = self.lr[i] as f32;
            Zip::from(out.row_mut(k))
                .and(self.cur_tanh.row(i))
                .and(pert.row(pos[i]))
                .for_each(|o, &w, &d| *o = from_tanh(w + lr * d, self.clip));
        }
        out
    }

    /// One iteration: gradient, line search, update. False when no sample was active.
    pub(super) fn iterate(&mut self, clf: &mut dyn Classifier) -> bool {
        self.record_best();
        let n = self.cur.nrows();
        let active: Vec<usize> = (0..n)
            .filter(|&i| self.c[i] < C_UPPER && self.lr[i] > 0.0)
            .collect();
        if active.is_empty() {
            return false;
        }
        let mut pos = vec![0; n];
        active.iter().enumerate().for_each(|(k, &i)| pos[i] = k);
        // seed: (A, C), +1 on the logit to raise, -1 on the one to lower
        let mut seed = Array2::zeros((active.len(), self.z.ncols()));
        for (k, &i) in active.iter().enumerate() {
            let (label, other) = (
                self.labels[i],
                Self::best_other(self.z.row(i), self.labels[i]),
            );
            let (add, sub) = if self.p.targeted {
                (other, label)
            } else {
                (label, other)
            };
            seed[[k, add]] += 1.0;
            seed[[k, sub]] -= 1.0;
        }
        let xa = self.cur.select(Axis(0), &active);
        // pert: (A, D), minus ART's `_loss_gradient` in tanh space
        let mut pert = batch::logit_vjp(clf, xa.view(), seed.view(), self.p.batch_size);
        let span = self.clip.1 - self.clip.0;
        for (k, &i) in active.iter().enumerate() {
            let c = self.c[i] as f32;
            Zip::from(pert.row_mut(k))
                .and(self.cur.row(i))
                .and(self.s.x0.row(i))
                .and(self.cur_tanh.row(i))
                .for_each(|g, &v, &x, &w| {
                    let t = w.tanh();
                    *g = -((*g * c + 2.0 * (v - x)) * span * (1.0 - t * t) / (2.0 * SMOOTHER));
                });
        }
        self.line_search(clf, &active, &pert, pos);
        for &i in &active {
            self.s.iterations[i] += 1;
        }
        true
    }

    /// Tries `w + lr * pert` for `rows`, recording each trial's loss and the best step size.
    fn trial(&self, clf: &dyn Classifier, rows: &[usize], t: &mut Trials, pert: &Array2<f32>) {
        let losses = self
            .evaluate(clf, rows, &self.candidates(rows, pert, &t.pos))
            .loss;
        for (&i, loss) in rows.iter().zip(losses) {
            t.loss[i] = loss;
            if loss < t.best_loss[i] {
                t.best_loss[i] = loss;
                t.best_lr[i] = self.lr[i];
            }
        }
    }

    /// ART's halving and doubling line search, then the update of the samples it improved.
    fn line_search(
        &mut self,
        clf: &dyn Classifier,
        active: &[usize],
        pert: &Array2<f32>,
        pos: Vec<usize>,
    ) {
        let n = self.cur.nrows();
        let prev = self.loss.clone();
        let mut t = Trials {
            loss: prev.clone(),
            best_loss: prev.clone(),
            best_lr: vec![0.0; n],
            pos,
        };
        let mut halving = vec![0usize; n];
        for _ in 0..self.p.max_halving {
            let rows: Vec<usize> = active
                .iter()
                .copied()
                .filter(|&i| t.loss[i] >= prev[i])
                .collect();
            if rows.is_empty() {
                break;
            }
            self.trial(clf, &rows, &mut t, pert);
            for &i in &rows {
                self.lr[i] /= 2.0;
                halving[i] += 1;
            }
        }
        active.iter().for_each(|&i| self.lr[i] *= 2.0);
        for _ in 0..self.p.max_doubling {
            let rows: Vec<usize> = active
                .iter()
                .copied()
                .filter(|&i| halving[i] == 1 && t.loss[i] <= t.best_loss[i])
                .collect();
            if rows.is_empty() {
                break;
            }
            rows.iter().for_each(|&i| self.lr[i] *= 2.0);
            self.trial(clf, &rows, &mut t, pert);
        }
        active
            .iter()
            .filter(|&&i| halving[i] == 1)
            .for_each(|&i| self.lr[i] /= 2.0);
        let rows: Vec<usize> = active
            .iter()
            .copied()
            .filter(|&i| t.best_lr[i] > 0.0)
            .collect();
        let clip = self.clip;
        for &i in &rows {
            let lr = t.best_lr[i] as f32;
            Zip::from(self.cur_tanh.row_mut(i))
                .and(pert.row(t.pos[i]))
                .for_each(|w, &d| *w += lr * d);
            Zip::from(self.cur.row_mut(i))
                .and(self.cur_tanh.row(i))
                .for_each(|v, &w| *v = from_tanh(w, clip));
        }
        let e = self.evaluate(clf, &rows, &self.cur.select(Axis(0), &rows));
        for (k, &i) in rows.iter().enumerate() {
            self.z.row_mut(i).assign(&e.z.row(k));
            (self.l2[i], self.loss[i], self.success[i]) = (e.l2[k], e.loss[k], e.fooled[k]);
            self.overall[i] |= e.fooled[k];
        }
    }
}
