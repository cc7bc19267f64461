//! The Jacobian-based saliency map attack as ART's `SaliencyMapMethod` implements it.
//!
//! Main type: [`JsmaRun`]. Each step takes, per active sample, the two features of its search
//! space with the largest gradient of the target class's score (smallest when `theta < 0`), moves
//! both by `theta` and clips them to the clip values. A feature leaves the search space only when it
//! sits on the clip bound theta pushes towards. A sample stops once it is classified as its target,
//! once more than `gamma` of its features were used (so up to two features past `gamma * D` can be
//! used, as in ART), or once its search space is empty. One guard ART lacks: a feature that
//! `theta` cannot move (below f32 resolution) also leaves the search space, so the loop ends.
//! The trace receives the whole batch after every step. The forward pass that gives a step's new
//! predictions also gives the next step's gradients (one forward pass per step, not two).

use super::batch;
use super::error::AttackError;
use super::params::JsmaParams;
use super::run::{AttackRun, RunState, Step};
use crate::classifier::{argmax_rows, Classifier};
use crate::params::Checked;
use ndarray::{Array2, ArrayView1, Axis};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A random class other than `pred[i]` for every sample (ART draws one per predicted class; we
/// draw one per sample, from the seeded generator).
pub fn random_wrong_classes(
    pred: &[usize],
    nb_classes: usize,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<usize>, AttackError> {
    if nb_classes < 2 {
        return Err(AttackError::TooFewClasses { nb_classes });
    }
    Ok(pred
        .iter()
        .map(|&p| {
            let k = rng.random_range(0..nb_classes - 1);
            if k >= p {
                k + 1
            } else {
                k
            }
        })
        .collect())
}

/// The two indices with the largest `score` among `allowed` features (first index wins ties);
/// when fewer than two are allowed the rest are the lowest-index disallowed features, as ART's
/// `argpartition` over `-inf` entries would pick some disallowed feature. One pass (the order
/// of a stable sort by `total_cmp`, descending, without sorting).
fn top_two(score: ArrayView1<f32>, allowed: ArrayView1<bool>) -> Vec<usize> {
    let key = |j: usize| {
        if allowed[j] {
            score[j]
        } else {
            f32::NEG_INFINITY
        }
    };
    let n = score.len();
    if n < 2 {
        return (0..n).collect();
    }
    let (mut b1, mut b2) = if key(1).total_cmp(&key(0)).is_gt() {
        (1, 0)
    } else {
        (0, 1)
    };
    let (mut k1, mut k2) = (key(b1), key(b2));
    for j in 2..n {
        let k = key(j);
        if k.total_cmp(&k1).is_gt() {
            (b2, k2) = (b1, k1);
            (b1, k1) = (j, k);
        } else if k.total_cmp(&k2).is_gt() {
            (b2, k2) = (j, k);
        }
    }
    vec![b1, b2]
}

/// ART's `SaliencyMapMethod.generate` as a resumable run, one step per iteration: always
/// targeted; `y` are the targets, or random wrong classes drawn from the run's generator when
/// `None`.
#[derive(Debug)]
pub struct JsmaRun {
    s: RunState,
    p: JsmaParams,
    search: Array2<bool>,
    used: Array2<bool>,
    targets: Vec<usize>,
    active: Vec<usize>,
    /// Target-class gradients `(A, D)` of the active samples at their current point, taken from
    /// the forward pass that decided they continue (`None`: computed at the next step).
    grads: Option<Array2<f32>>,
    steps: usize,
}

impl JsmaRun {
    /// Predicts the clean classes, picks the targets and the search space.
    pub fn start(
        clf: &mut dyn Classifier,
        mut s: RunState,
        y: Option<&[usize]>,
        p: &Checked<JsmaParams>,
    ) -> Result<JsmaRun, AttackError> {
        let p = p.get().clone();
        let x = s.x0.view();
        let preds = batch::predict_classes(clf, x, p.batch_size);
        let targets = match y {
            Some(t) => t.to_vec(),
            None => random_wrong_classes(&preds, clf.nb_classes(), &mut s.rng)?,
        };
        let (lo, hi) = clf.clip_values();
        let search = x.mapv(|v| if p.theta > 0.0 { v < hi } else { v > lo });
        let active = (0..x.nrows()).filter(|&i| preds[i] != targets[i]).collect();
        Ok(JsmaRun {
            used: Array2::from_elem(x.raw_dim(), false),
            search,
            targets,
            active,
            grads: None,
            steps: 0,
            s,
            p,
        })
    }

    /// Whether sample `i` may continue, given its current prediction.
    fn continues(&self, i: usize, pred: usize) -> bool {
        let d = self.s.adv.ncols() as f32;
        let used = self.used.row(i).iter().filter(|&&u| u).count() as f32;
        pred != self.targets[i] && used / d <= self.p.gamma && self.search.row(i).iter().any(|&s| s)
    }

    /// Most steps a sample can take: two features per step until more than gamma are used.
    fn max_steps(&self) -> usize {
        (self.p.gamma * self.s.adv.ncols() as f32 / 2.0).floor() as usize + 1
    }
}

impl AttackRun for JsmaRun {
    fn name(&self) -> &'static str {
        "jsma"
    }

    fn state(&self) -> &RunState {
        &self.s
    }

    fn into_state(self: Box<Self>) -> RunState {
        self.s
    }

    /// One step on the active samples, then their new predictions decide who continues.
    fn step(&mut self, clf: &mut dyn Classifier) -> Result<Step, AttackError> {
        if self.is_done() {
            return Ok(Step {
                frame: false,
                done: true,
            });
        }
        let p = &self.p;
        let (lo, hi) = clf.clip_values();
        let ta: Vec<usize> = self.active.iter().map(|&i| self.targets[i]).collect();
        // grads: (A, D), gradient of each active sample's target score
        let mut grads = match self.grads.take() {
            Some(g) => g,
            None => {
                let xa = self.s.adv.select(Axis(0), &self.active);
                batch::class_gradient_per_sample(clf, xa.view(), &ta, p.batch_size)
            }
        };
        if p.theta < 0.0 {
            grads.mapv_inplace(|g| -g);
        }
        for (k, &i) in self.active.iter().enumerate() {
            for j in top_two(grads.row(k), self.search.row(i)) {
                self.used[[i, j]] = true;
                let old = self.s.adv[[i, j]];
                let v = old + p.theta;
                let v = if p.theta > 0.0 { v.min(hi) } else { v.max(lo) };
                self.s.adv[[i, j]] = v;
                // on the bound (ART), or stuck because theta is below f32 resolution (our guard
                // against an endless loop)
                if v == if p.theta > 0.0 { hi } else { lo } || v == old {
                    self.search[[i, j]] = false;
                }
            }
            self.s.iterations[i] += 1;
        }
        // the new predictions and, from the same forward pass, the next step's gradients
        let xa = self.s.adv.select(Axis(0), &self.active);
        let (scores, next) =
            batch::scores_and_class_gradient_per_sample(clf, xa.view(), &ta, p.batch_size);
        let now = argmax_rows(&scores);
        let keep: Vec<usize> = (0..self.active.len())
            .filter(|&k| self.continues(self.active[k], now[k]))
            .collect();
        self.active = keep.iter().map(|&k| self.active[k]).collect();
        self.grads = Some(next.select(Axis(0), &keep));
        self.steps += 1;
        Ok(Step {
            frame: true,
            done: self.is_done(),
        })
    }

    fn is_done(&self) -> bool {
        self.active.is_empty()
    }

    fn fraction(&self) -> f32 {
        if self.is_done() {
            return 1.0;
        }
        let n = self.s.adv.nrows().max(1) as f32;
        let finished = 1.0 - self.active.len() as f32 / n;
        finished
            .max(self.steps as f32 / self.max_steps() as f32)
            .min(0.99)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array1;

    /// The sorting definition `top_two` replaces.
    fn top_two_sorted(score: ArrayView1<f32>, allowed: ArrayView1<bool>) -> Vec<usize> {
        let key = |j: usize| {
            if allowed[j] {
                score[j]
            } else {
                f32::NEG_INFINITY
            }
        };
        let mut order: Vec<usize> = (0..score.len()).collect();
        order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
        order.truncate(2);
        order
    }

    #[test]
    fn top_two_matches_the_stable_sort_with_ties_and_masks() {
        let mut rng = <ChaCha8Rng as rand::SeedableRng>::seed_from_u64(3);
        for n in 0..40 {
            for _ in 0..20 {
                // few distinct values, so ties are common
                let s = Array1::from_shape_fn(n, |_| rng.random_range(-2..3) as f32 * 0.5);
                let a = Array1::from_shape_fn(n, |_| rng.random_range(0..4) > 0);
                assert_eq!(
                    top_two(s.view(), a.view()),
                    top_two_sorted(s.view(), a.view())
                );
                let none = Array1::from_elem(n, false);
                assert_eq!(
                    top_two(s.view(), none.view()),
                    top_two_sorted(s.view(), none.view())
                );
            }
        }
    }
}
