//! DeepFool as ART's `DeepFool` implements it.
//!
//! Main type: [`DeepFoolRun`]. Per step and active sample, with `k` its clean prediction and `l`
//! ranging over the candidate classes: `l* = argmin_l |f_l - f_k| / |g_l - g_k|`, and the step is
//! `r = |f_l* - f_k| / |g_l* - g_k|^2 (g_l* - g_k)`, scaled by the clip range `(max - min)` and
//! clipped. A sample stops once its prediction leaves `k`. The overshoot is applied once at the
//! end: `x + (1 + epsilon)(x_adv - x)`, clipped again. Candidates are the union over the input of
//! each sample's `nb_grads` top-scoring classes on the clean input. The trace receives, after
//! every step, the batch with the overshoot applied (what stopping there would return).

use super::batch::{self, clip_inplace};
use super::config::AttackOutput;
use super::error::AttackError;
use super::params::DeepFoolParams;
use super::run::{AttackRun, RunState, Step};
use crate::classifier::{argmax_rows, Classifier};
use crate::params::Checked;
use ndarray::{Array1, Array2, Array3, ArrayView2, Axis, Zip};

/// ART's `tol`, added to norms before dividing.
const TOL: f32 = 1e-7;

/// The candidate classes: all of them, or the sorted union of each row's `nb_grads` best classes
/// (plus each row's arg-max, which ART's top-k always contains except on ties).
fn candidate_classes(scores: &Array2<f32>, nb_grads: usize) -> Vec<usize> {
    let c = scores.ncols();
    if nb_grads >= c {
        return (0..c).collect();
    }
    let mut keep = vec![false; c];
    for (row, top) in scores.rows().into_iter().zip(argmax_rows(scores)) {
        let mut order: Vec<usize> = (0..c).collect();
        order.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
        for &k in order.iter().take(nb_grads) {
            keep[k] = true;
        }
        keep[top] = true;
    }
    (0..c).filter(|&k| keep[k]).collect()
}

/// The DeepFool step `r` for one sample. `f: (C,)` scores, `g: (L, D)` candidate gradients,
/// `labels: (L,)` candidate classes, `k` the index of the clean prediction inside `labels`.
fn step_for(
    f: ndarray::ArrayView1<f32>,
    g: ArrayView2<f32>,
    labels: &[usize],
    k: usize,
) -> Array1<f32> {
    let mut best = (f32::INFINITY, k);
    for (l, &class) in labels.iter().enumerate() {
        if l == k {
            continue;
        }
        let f_diff = f[class] - f[labels[k]];
        let n = Zip::from(g.row(l))
            .and(g.row(k))
            .fold(0.0f32, |s, &a, &b| s + (a - b) * (a - b));
        let value = f_diff.abs() / (n.sqrt() + TOL);
        if value < best.0 {
            best = (value, l);
        }
    }
    let l = best.1;
    if l == k {
        return Array1::zeros(g.ncols());
    }
    let diff = &g.row(l) - &g.row(k);
    let n2 = diff.iter().map(|v| v * v).sum::<f32>();
    let f_diff = (f[labels[l]] - f[labels[k]]).abs();
    diff * (f_diff / (n2 + TOL))
}

/// `x0 + (1 + epsilon)(x - x0)`, clipped.
fn overshoot(x0: ArrayView2<f32>, x: &Array2<f32>, epsilon: f32, clip: (f32, f32)) -> Array2<f32> {
    let mut out = Zip::from(&x0)
        .and(x)
        .map_collect(|&a, &b| a + (1.0 + epsilon) * (b - a));
    clip_inplace(&mut out, clip);
    out
}

/// ART's `DeepFool.generate` as a resumable run, one step per iteration; `y` is ignored, as in
/// ART. [`AttackRun::current`] and the result have the overshoot applied.
#[derive(Debug)]
pub struct DeepFoolRun {
    s: RunState,
    p: DeepFoolParams,
    /// Scores `(N, C)` at the current point.
    f: Array2<f32>,
    /// Clean predictions.
    fk_hat: Vec<usize>,
    /// Candidate classes and, per sample, the index of its clean prediction among them.
    labels: Vec<usize>,
    pos: Vec<usize>,
    /// Candidate gradients `(N, L, D)` at the current point.
    grd: Array3<f32>,
    active: Vec<usize>,
    steps: usize,
    clip: (f32, f32),
}

impl DeepFoolRun {
    /// Scores, candidate classes and their gradients at the clean input.
    pub fn start(
        clf: &mut dyn Classifier,
        s: RunState,
        p: &Checked<DeepFoolParams>,
    ) -> DeepFoolRun {
        let p = p.get().clone();
        let x = s.x0.view();
        // f: (N, C) scores, grd: (N, L, D) candidate gradients
        let f = batch::predict(clf, x, p.batch_size);
        let fk_hat = argmax_rows(&f);
        let labels = candidate_classes(&f, p.nb_grads);
        let pos: Vec<usize> = fk_hat
            .iter()
            .map(|c| labels.iter().position(|l| l == c).unwrap_or(0))
            .collect();
        let grd = batch::class_gradients(clf, x, &labels, p.batch_size);
        DeepFoolRun {
            active: (0..x.nrows()).collect(),
            clip: clf.clip_values(),
            f,
            fk_hat,
            labels,
            pos,
            grd,
            steps: 0,
            s,
            p,
        }
    }
}

impl AttackRun for DeepFoolRun {
    fn name(&self) -> &'static str {
        "deepfool"
    }

    fn state(&self) -> &RunState {
        &self.s
    }

    fn into_state(self: Box<Self>) -> RunState {
        self.s
    }

    fn step(&mut self, clf: &mut dyn Classifier) -> Result<Step, AttackError> {
        if self.is_done() {
            return Ok(Step {
                frame: false,
                done: true,
            });
        }
        let (lo, hi) = self.clip;
        for &i in &self.active {
            let r = step_for(
                self.f.row(i),
                self.grd.index_axis(Axis(0), i),
                &self.labels,
                self.pos[i],
            );
            Zip::from(self.s.adv.row_mut(i))
                .and(&r)
                .for_each(|a, &d| *a = (*a + d * (hi - lo)).clamp(lo, hi));
            self.s.iterations[i] += 1;
        }
        let xa = self.s.adv.select(Axis(0), &self.active);
        let (fa, ga) =
            batch::scores_and_class_gradients(clf, xa.view(), &self.labels, self.p.batch_size);
        for (k, &i) in self.active.iter().enumerate() {
            self.f.row_mut(i).assign(&fa.row(k));
            self.grd
                .index_axis_mut(Axis(0), i)
                .assign(&ga.index_axis(Axis(0), k));
        }
        let now = argmax_rows(&fa);
        self.active = self
            .active
            .iter()
            .zip(&now)
            .filter(|(&i, &c)| c == self.fk_hat[i])
            .map(|(&i, _)| i)
            .collect();
        self.steps += 1;
        Ok(Step {
            frame: true,
            done: self.is_done(),
        })
    }

    fn is_done(&self) -> bool {
        self.active.is_empty() || self.steps >= self.p.max_iter
    }

    fn fraction(&self) -> f32 {
        if self.is_done() {
            return 1.0;
        }
        let n = self.s.adv.nrows().max(1) as f32;
        let finished = 1.0 - self.active.len() as f32 / n;
        finished
            .max(self.steps as f32 / self.p.max_iter as f32)
            .min(0.99)
    }

    fn current(&self) -> Array2<f32> {
        overshoot(self.s.x0.view(), &self.s.adv, self.p.epsilon, self.clip)
    }

    fn finish(self: Box<Self>) -> AttackOutput {
        AttackOutput {
            x_adv: self.current(),
            iterations: self.s.iterations,
            queries: None,
            first_success: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn candidates_are_the_union_of_top_classes() {
        let s = array![[0.1f32, 0.5, 0.3, 0.1], [0.7, 0.1, 0.05, 0.15]];
        assert_eq!(candidate_classes(&s, 2), vec![0, 1, 2, 3]);
        assert_eq!(candidate_classes(&s, 1), vec![0, 1]);
        assert_eq!(candidate_classes(&s, 10), vec![0, 1, 2, 3]);
    }
}
