//! The Jacobian-based saliency map attack as ART's `SaliencyMapMethod` implements it.
//!
//! Main function: [`jsma`]. Each step takes, per active sample, the two features of its search
//! space with the largest gradient of the target class's score (smallest when `theta < 0`), moves
//! both by `theta` and clips them to the clip values. A feature leaves the search space only when it
//! sits on the clip bound theta pushes towards. A sample stops once it is classified as its target,
//! once more than `gamma` of its features were used (so up to two features past `gamma * D` can be
//! used, as in ART), or once its search space is empty. One guard ART lacks: a feature that
//! `theta` cannot move (below f32 resolution) also leaves the search space, so the loop ends.
//! The trace receives the whole batch after every step.

use super::batch;
use super::config::AttackOutput;
use super::error::AttackError;
use super::params::JsmaParams;
use crate::classifier::Classifier;
use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
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
/// `argpartition` over `-inf` entries would pick some disallowed feature.
fn top_two(score: ArrayView1<f32>, allowed: ArrayView1<bool>) -> Vec<usize> {
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

/// State of the JSMA loop over the whole input.
struct Jsma {
    adv: Array2<f32>,
    search: Array2<bool>,
    used: Array2<bool>,
    targets: Vec<usize>,
    iterations: Vec<usize>,
}

impl Jsma {
    /// Whether sample `i` may continue, given its current prediction.
    fn continues(&self, i: usize, pred: usize, gamma: f32) -> bool {
        let d = self.adv.ncols() as f32;
        let used = self.used.row(i).iter().filter(|&&u| u).count() as f32;
        pred != self.targets[i] && used / d <= gamma && self.search.row(i).iter().any(|&s| s)
    }

    /// One step on the `active` samples.
    fn step(&mut self, clf: &mut dyn Classifier, active: &[usize], p: &JsmaParams) {
        let (lo, hi) = clf.clip_values();
        let xa = self.adv.select(Axis(0), active);
        let ta: Vec<usize> = active.iter().map(|&i| self.targets[i]).collect();
        // grads: (A, D), gradient of each active sample's target score
        let mut grads = batch::class_gradient_per_sample(clf, xa.view(), &ta, p.batch_size);
        if p.theta < 0.0 {
            grads.mapv_inplace(|g| -g);
        }
        for (k, &i) in active.iter().enumerate() {
            for j in top_two(grads.row(k), self.search.row(i)) {
                self.used[[i, j]] = true;
                let old = self.adv[[i, j]];
                let v = old + p.theta;
                let v = if p.theta > 0.0 { v.min(hi) } else { v.max(lo) };
                self.adv[[i, j]] = v;
                // on the bound (ART), or stuck because theta is below f32 resolution (our guard
                // against an endless loop)
                if v == if p.theta > 0.0 { hi } else { lo } || v == old {
                    self.search[[i, j]] = false;
                }
            }
            self.iterations[i] += 1;
        }
    }
}

/// ART's `SaliencyMapMethod.generate`: always targeted; `y` are the targets, or random wrong
/// classes drawn from `rng` when `None`. Inputs must already be checked.
pub fn jsma(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    y: Option<&[usize]>,
    p: &JsmaParams,
    rng: &mut ChaCha8Rng,
    mut trace: Option<&mut Vec<Array2<f32>>>,
) -> Result<AttackOutput, AttackError> {
    let preds = batch::predict_classes(clf, x, p.batch_size);
    let targets = match y {
        Some(t) => t.to_vec(),
        None => random_wrong_classes(&preds, clf.nb_classes(), rng)?,
    };
    let (lo, hi) = clf.clip_values();
    let search = x.mapv(|v| if p.theta > 0.0 { v < hi } else { v > lo });
    let mut st = Jsma {
        adv: x.to_owned(),
        search,
        used: Array2::from_elem(x.raw_dim(), false),
        targets,
        iterations: vec![0; x.nrows()],
    };
    let mut active: Vec<usize> = (0..x.nrows())
        .filter(|&i| preds[i] != st.targets[i])
        .collect();
    while !active.is_empty() {
        st.step(clf, &active, p);
        let xa = st.adv.select(Axis(0), &active);
        let now = batch::predict_classes(clf, xa.view(), p.batch_size);
        let next: Vec<usize> = active
            .iter()
            .zip(&now)
            .filter(|(&i, &pr)| st.continues(i, pr, p.gamma))
            .map(|(&i, _)| i)
            .collect();
        active = next;
        if let Some(t) = trace.as_deref_mut() {
            t.push(st.adv.clone());
        }
    }
    Ok(AttackOutput {
        x_adv: st.adv,
        iterations: st.iterations,
    })
}
