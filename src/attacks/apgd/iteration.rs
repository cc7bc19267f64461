//! One APGD run over the samples not yet fooled ([`Restart`]): its random start, the gradient
//! step, the momentum step and the checkpoints that halve the step size.

use ndarray::{Array2, Axis, Zip};

use super::loss::{gradient, losses};
use super::ApgdRun;
use crate::attacks::fgsm::random_start;
use crate::attacks::norm::{project, Norm};
use crate::classifier::Classifier;

/// ART's `tol` in the L1 and L2 step normalisation.
const TOL: f32 = 10e-8;

/// One run over the samples not yet fooled when it started.
#[derive(Debug)]
pub(super) struct Restart {
    pub(super) rows: Vec<usize>,
    pub(super) x_init: Array2<f32>,
    pub(super) x_k: Array2<f32>,
    pub(super) x_prev: Array2<f32>,
    pub(super) x_max: Array2<f32>,
    pub(super) x_max_prev: Array2<f32>,
    pub(super) eta: Vec<f32>,
    pub(super) eta_last: Vec<f32>,
    pub(super) f_max: Vec<f32>,
    pub(super) f_max_last: Vec<f32>,
    pub(super) count: Vec<usize>,
    /// The latest iterate that fooled the model, per row.
    pub(super) fooled: Vec<Option<ndarray::Array1<f32>>>,
}

impl ApgdRun {
    /// The samples not yet fooled, from a random start; `None` when every sample is fooled.
    pub(super) fn begin(&mut self, clf: &dyn Classifier) -> Option<Restart> {
        let p = &self.p;
        let pred = crate::attacks::batch::predict_classes(clf, self.s.adv.view(), p.batch_size);
        let rows: Vec<usize> = (0..pred.len())
            .filter(|&i| !self.fools(pred[i], self.labels[i]))
            .collect();
        if rows.is_empty() {
            return None;
        }
        let x_init = self.s.x0.select(Axis(0), &rows);
        let start = self.s.adv.select(Axis(0), &rows);
        let mut x_k = random_start(
            start.view(),
            p.eps,
            p.norm,
            clf.clip_values(),
            &mut self.s.rng,
        );
        let mut delta = &x_k - &x_init;
        project(delta.view_mut(), p.eps, p.norm);
        x_k = &x_init + &delta;
        let n = rows.len();
        Some(Restart {
            x_prev: x_k.clone(),
            x_max: x_k.clone(),
            x_max_prev: x_init.clone(),
            eta: vec![p.eps_step; n],
            eta_last: vec![p.eps_step; n],
            f_max: vec![0.0; n],
            f_max_last: vec![0.0; n],
            count: vec![0; n],
            fooled: vec![None; n],
            rows,
            x_init,
            x_k,
        })
    }

    /// The projected step `P(x_k + eta * direction)`, clipped, for every row.
    fn gradient_step(&self, clf: &mut dyn Classifier, r: &Restart) -> Array2<f32> {
        let p = &self.p;
        let labels: Vec<usize> = r.rows.iter().map(|&i| self.labels[i]).collect();
        let mut g = gradient(clf, r.x_k.view(), &labels, p.loss_type, p.batch_size);
        for (k, mut row) in g.rows_mut().into_iter().enumerate() {
            if p.targeted {
                row.mapv_inplace(|v| -v);
            }
            let scale = match p.norm {
                Norm::Inf => None,
                norm => Some(norm.of(row.iter().copied()) + TOL),
            };
            match scale {
                None => row.mapv_inplace(|v| if v == 0.0 { 0.0 } else { v.signum() }),
                Some(s) => row.mapv_inplace(|v| v / s),
            }
            row.mapv_inplace(|v| v * r.eta[k]);
        }
        let (lo, hi) = clf.clip_values();
        let mut z = &r.x_k + &g;
        z.mapv_inplace(|v| v.clamp(lo, hi));
        self.projected(&r.x_init, z)
    }

    fn projected(&self, x_init: &Array2<f32>, x: Array2<f32>) -> Array2<f32> {
        let mut delta = x - x_init;
        project(delta.view_mut(), self.p.eps, self.p.norm);
        x_init + &delta
    }

    /// Losses at `x`, remembering the rows it fools.
    fn evaluate(&self, clf: &dyn Classifier, r: &mut Restart, x: &Array2<f32>) -> Vec<f32> {
        let labels: Vec<usize> = r.rows.iter().map(|&i| self.labels[i]).collect();
        let (f, pred) = losses(clf, x.view(), &labels, self.p.loss_type, self.p.batch_size);
        for (k, &c) in pred.iter().enumerate() {
            if self.fools(c, labels[k]) {
                r.fooled[k] = Some(x.row(k).to_owned());
            }
        }
        f
    }

    /// Iteration `self.k` of the current run.
    pub(super) fn iterate(&mut self, clf: &mut dyn Classifier, mut r: Restart) -> Restart {
        let z = self.gradient_step(clf, &r);
        if self.k == 0 {
            let x_k = r.x_k.clone();
            let f0 = self.evaluate(clf, &mut r, &x_k);
            let f1 = self.evaluate(clf, &mut r, &z);
            r.f_max = f0.clone();
            r.f_max_last = f0.clone();
            r.x_max = r.x_k.clone();
            for k in 0..r.rows.len() {
                if f1[k] == f0[k] || self.better(f1[k], f0[k]) {
                    r.f_max[k] = f1[k];
                    r.x_max.row_mut(k).assign(&z.row(k));
                    r.count[k] += 1;
                }
            }
            r.x_prev = std::mem::replace(&mut r.x_k, z);
            return r;
        }
        let (lo, hi) = clf.clip_values();
        let mut next = Zip::from(&r.x_k)
            .and(&z)
            .and(&r.x_prev)
            .map_collect(|&x, &z, &prev| (x + 0.75 * (z - x) + 0.25 * (x - prev)).clamp(lo, hi));
        next = self.projected(&r.x_init, next);
        let f = self.evaluate(clf, &mut r, &next);
        for (k, &fk) in f.iter().enumerate() {
            if self.better(fk, r.f_max[k]) {
                r.count[k] += 1;
                r.x_max.row_mut(k).assign(&next.row(k));
                r.x_max_prev.row_mut(k).assign(&r.x_k.row(k));
                r.f_max[k] = fk;
            }
        }
        r.x_prev = std::mem::replace(&mut r.x_k, next);
        if let Some(j) = self.checkpoints.iter().position(|&c| c == self.k) {
            let since = (self.k - self.checkpoints[j.saturating_sub(1)]) as f32;
            for k in 0..r.rows.len() {
                let slow = (r.count[k] as f32) < 0.75 * since;
                let stuck = r.eta_last[k] == r.eta[k] && r.f_max_last[k] == r.f_max[k];
                if slow || stuck {
                    r.eta[k] /= 2.0;
                    r.x_k.row_mut(k).assign(&r.x_max.row(k));
                    r.x_prev.row_mut(k).assign(&r.x_max_prev.row(k));
                }
            }
            r.count.fill(0);
            r.eta_last = r.eta.clone();
            r.f_max_last = r.f_max.clone();
        }
        r
    }
}
