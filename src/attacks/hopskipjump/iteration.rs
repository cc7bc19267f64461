//! The phases of one HopSkipJump run ([`HopSkipJumpRun`]): the starting points, and per
//! iteration the binary search, the probes of the gradient estimate and the jump.

use ndarray::{Array1, Array2, Axis};
use rand::Rng;

use super::search::{binary_search, step_search, Estimate};
use super::{HopSkipJumpRun, PROBES_PER_STEP};
use crate::attacks::norm::Norm;
use crate::classifier::Classifier;

impl HopSkipJumpRun {
    /// ART's `_init_sample` for every active sample: random images until one is adversarial,
    /// then a binary search towards the input. Samples without one stop.
    pub(super) fn init(&mut self, clf: &dyn Classifier) {
        let (size, clip) = (self.p.init_size, self.clip);
        let mut open = self.active.clone();
        let dim = self.s.x0.ncols();
        let mut found: Vec<(usize, Array1<f32>)> = Vec::new();
        let (mut d, s) = self.decisions(clf);
        for _ in 0..size {
            if open.is_empty() {
                break;
            }
            let draws =
                Array2::from_shape_fn((open.len(), dim), |_| s.rng.random_range(clip.0..=clip.1));
            let ok = d.satisfied(&open, &draws);
            let mut still = Vec::new();
            for (k, &i) in open.iter().enumerate() {
                if ok[k] {
                    found.push((i, draws.row(k).to_owned()));
                } else {
                    still.push(i);
                }
            }
            open = still;
        }
        found.sort_by_key(|(i, _)| *i);
        let who: Vec<usize> = found.iter().map(|(i, _)| *i).collect();
        let mut cur = Array2::zeros((who.len(), dim));
        found
            .iter()
            .enumerate()
            .for_each(|(k, (_, r))| cur.row_mut(k).assign(r));
        let orig = s.x0.select(Axis(0), &who);
        let start = binary_search(&mut d, &who, &cur, &orig, Norm::L2, 0.0, Some(0.001));
        for (k, &i) in who.iter().enumerate() {
            s.adv.row_mut(i).assign(&start.row(k));
        }
        self.active = who;
    }

    /// The distance of row `k` of `a` from its sample, in the attack's norm.
    fn dist(&self, a: &Array2<f32>, k: usize) -> f64 {
        let i = self.who[k];
        f64::from(
            self.p
                .norm
                .of((&a.row(k) - &self.s.x0.row(i)).iter().copied()),
        )
    }

    /// The binary search of iteration `t`, and the probe distance `delta` of its estimate.
    pub(super) fn search(&mut self, clf: &dyn Classifier) -> usize {
        let (norm, theta, t) = (self.p.norm, self.theta, self.t);
        self.who = self.active.clone();
        let cur = self.s.adv.select(Axis(0), &self.who);
        let dim = self.s.x0.ncols() as f64;
        let (lo, hi) = self.clip;
        self.deltas = (0..self.who.len())
            .map(|k| match (t, norm) {
                (0, _) => 0.1 * (hi - lo),
                (_, Norm::Inf) => (dim * theta * self.dist(&cur, k)) as f32,
                _ => (dim.sqrt() * theta * self.dist(&cur, k)) as f32,
            })
            .collect();
        let who = self.who.clone();
        let (mut d, s) = self.decisions(clf);
        let orig = s.x0.select(Axis(0), &who);
        self.boundary = binary_search(&mut d, &who, &cur, &orig, norm, theta, None);
        self.estimates = vec![Estimate::new(self.s.x0.ncols()); who.len()];
        let num_eval = (self.p.init_eval as f64 * ((t + 1) as f64).sqrt()) as usize;
        num_eval.min(self.p.max_eval)
    }

    /// Up to [`PROBES_PER_STEP`] probes per sample; returns how many are left.
    pub(super) fn probe(&mut self, clf: &dyn Classifier, left: usize) -> usize {
        let m = left.min(PROBES_PER_STEP);
        let norm = self.p.norm;
        let (who, deltas, boundary) =
            (self.who.clone(), self.deltas.clone(), self.boundary.clone());
        let mut estimates = std::mem::take(&mut self.estimates);
        let (mut d, s) = self.decisions(clf);
        for (k, e) in estimates.iter_mut().enumerate() {
            e.probe(
                &mut d,
                who[k],
                boundary.row(k),
                deltas[k],
                m,
                norm,
                &mut s.rng,
            );
        }
        self.estimates = estimates;
        left - m
    }

    /// The step-size search along the estimates, and the move that ends iteration `t`.
    pub(super) fn jump(&mut self, clf: &dyn Classifier) {
        let mut update = Array2::zeros(self.boundary.raw_dim());
        for (k, e) in self.estimates.iter().enumerate() {
            update.row_mut(k).assign(&e.update(self.p.norm));
        }
        let sqrt_t = ((self.t + 1) as f64).sqrt();
        let start: Vec<f32> = (0..self.who.len())
            .map(|k| (2.0 * self.dist(&self.boundary, k) / sqrt_t) as f32)
            .collect();
        let (who, boundary) = (self.who.clone(), self.boundary.clone());
        let (mut d, s) = self.decisions(clf);
        let next = step_search(&mut d, &who, &boundary, &update, &start);
        // ART returns the input when a sample turns NaN; such a sample stops.
        let mut failed = Vec::new();
        for (k, &i) in who.iter().enumerate() {
            s.iterations[i] += 1;
            if next.row(k).iter().all(|v| v.is_finite()) {
                s.adv.row_mut(i).assign(&next.row(k));
            } else {
                let x0 = s.x0.row(i).to_owned();
                s.adv.row_mut(i).assign(&x0);
                failed.push(i);
            }
        }
        self.active.retain(|i| !failed.contains(i));
        self.t += 1;
    }
}
