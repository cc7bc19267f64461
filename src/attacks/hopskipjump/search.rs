//! HopSkipJump's three searches, each asking the model only for labels: the binary search
//! towards the boundary ([`binary_search`], many samples at once), the Monte Carlo estimate of
//! the boundary's gradient ([`Estimate`], accumulated over steps) and the geometric step-size
//! search ([`step_search`]). Every model call goes through [`Decisions`], which counts the
//! queries of each sample.

use ndarray::{Array1, Array2, ArrayView1, Zip};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::super::batch;
use super::super::norm::Norm;
use crate::classifier::Classifier;
use crate::limits::MAX_HSJ_STEP_HALVINGS;

/// Label-only access to the model: is a point adversarial for a sample?
pub struct Decisions<'a> {
    pub(super) clf: &'a dyn Classifier,
    pub(super) batch_size: usize,
    pub(super) targeted: bool,
    pub(super) clip: (f32, f32),
    /// Per sample: the class to reach (targeted) or to leave (untargeted).
    pub(super) target: &'a [usize],
    pub(super) queries: &'a mut [usize],
}

impl Decisions<'_> {
    /// Whether `x` row `k`, clipped, is adversarial for sample `who[k]`.
    pub fn satisfied(&mut self, who: &[usize], x: &Array2<f32>) -> Vec<bool> {
        if who.is_empty() {
            return Vec::new();
        }
        let (lo, hi) = self.clip;
        let clipped = x.mapv(|v| v.clamp(lo, hi));
        let pred = batch::predict_classes(self.clf, clipped.view(), self.batch_size);
        who.iter()
            .zip(pred)
            .map(|(&i, c)| {
                self.queries[i] += 1;
                (c == self.target[i]) == self.targeted
            })
            .collect()
    }
}

/// ART's `_interpolate`: the point at `alpha` between the original and the current sample (L2),
/// or the current sample clipped to the L-inf ball of radius `alpha` (L-inf).
pub fn interpolate(
    cur: ArrayView1<f32>,
    orig: ArrayView1<f32>,
    alpha: f64,
    norm: Norm,
) -> Array1<f32> {
    let a = alpha as f32;
    match norm {
        Norm::Inf => Zip::from(cur)
            .and(orig)
            .map_collect(|&c, &o| c.clamp(o - a, o + a)),
        _ => Zip::from(cur)
            .and(orig)
            .map_collect(|&c, &o| (1.0 - a) * o + a * c),
    }
}

/// ART's `_binary_search` for every sample in `who` at once: `cur` rows are adversarial,
/// `orig` rows are the clean samples; returns the adversarial end of each final interval.
/// `threshold`: `None` for ART's default (`theta`, or `min(upper * theta, theta)` for L-inf).
pub fn binary_search(
    d: &mut Decisions,
    who: &[usize],
    cur: &Array2<f32>,
    orig: &Array2<f32>,
    norm: Norm,
    theta: f64,
    threshold: Option<f64>,
) -> Array2<f32> {
    let n = who.len();
    let (mut lower, mut upper, mut thr) = (vec![0.0f64; n], vec![1.0f64; n], vec![0.0f64; n]);
    for k in 0..n {
        if norm == Norm::Inf {
            upper[k] = f64::from(norm.of((&cur.row(k) - &orig.row(k)).iter().copied()));
        }
        thr[k] = threshold.unwrap_or(match norm {
            Norm::Inf => (upper[k] * theta).min(theta),
            _ => theta,
        });
    }
    loop {
        let open: Vec<usize> = (0..n).filter(|&k| upper[k] - lower[k] > thr[k]).collect();
        if open.is_empty() {
            break;
        }
        let mut mid = Array2::zeros((open.len(), cur.ncols()));
        for (j, &k) in open.iter().enumerate() {
            let alpha = (upper[k] + lower[k]) / 2.0;
            mid.row_mut(j)
                .assign(&interpolate(cur.row(k), orig.row(k), alpha, norm));
        }
        let ids: Vec<usize> = open.iter().map(|&k| who[k]).collect();
        for (&k, ok) in open.iter().zip(d.satisfied(&ids, &mid)) {
            let alpha = (upper[k] + lower[k]) / 2.0;
            if ok {
                upper[k] = alpha;
            } else {
                lower[k] = alpha;
            }
        }
    }
    let mut out = Array2::zeros(cur.raw_dim());
    for (k, &alpha) in upper.iter().enumerate() {
        out.row_mut(k)
            .assign(&interpolate(cur.row(k), orig.row(k), alpha, norm));
    }
    out
}

/// ART's `_compute_update` for one sample, accumulated over several calls: random unit
/// directions around `cur` at distance `delta`, labelled adversarial (+1) or not (-1); the
/// update is the mean of the centred labels times the directions, normalised (L2) or its sign
/// (L-inf). Directions are drawn and queried `batch_size` at a time, so memory stays
/// `batch_size * D` however many there are.
#[derive(Debug, Clone)]
pub struct Estimate {
    s_fu: Array1<f32>,
    s_u: Array1<f32>,
    s_f: f32,
    n: usize,
}

impl Estimate {
    /// An estimate with no probe yet, for samples of `dim` features.
    pub fn new(dim: usize) -> Estimate {
        Estimate {
            s_fu: Array1::zeros(dim),
            s_u: Array1::zeros(dim),
            s_f: 0.0,
            n: 0,
        }
    }

    /// Draws and queries `count` more probes for sample `who`.
    #[allow(clippy::too_many_arguments)]
    pub fn probe(
        &mut self,
        d: &mut Decisions,
        who: usize,
        cur: ArrayView1<f32>,
        delta: f32,
        count: usize,
        norm: Norm,
        rng: &mut ChaCha8Rng,
    ) {
        let (lo, hi) = d.clip;
        let mut left = count;
        while left > 0 {
            let m = left.min(d.batch_size.max(1));
            left -= m;
            let mut u = Array2::<f32>::zeros((m, cur.len()));
            for mut row in u.rows_mut() {
                match norm {
                    Norm::Inf => row.mapv_inplace(|_| rng.random_range(-1.0f32..1.0)),
                    _ => row.mapv_inplace(|_| StandardNormal.sample(rng)),
                }
                let n = Norm::L2.of(row.iter().copied()).max(f32::MIN_POSITIVE);
                row.mapv_inplace(|v| v / n);
            }
            // evals = clip(cur + delta u); the direction actually probed is (evals - cur) / delta
            let mut evals = u;
            for mut row in evals.rows_mut() {
                Zip::from(&mut row)
                    .and(cur)
                    .for_each(|e, &c| *e = (c + delta * *e).clamp(lo, hi));
            }
            let ok = d.satisfied(&vec![who; m], &evals);
            for (row, &o) in evals.rows().into_iter().zip(&ok) {
                let dir = (&row - &cur) / delta;
                let f = if o { 1.0 } else { -1.0 };
                self.s_fu.scaled_add(f, &dir);
                self.s_u += &dir;
                self.s_f += f;
            }
            self.n += m;
        }
    }

    /// The update direction from the probes so far.
    pub fn update(&self, norm: Norm) -> Array1<f32> {
        let n = self.n.max(1) as f32;
        let mean_f = self.s_f / n;
        let grad = if mean_f == 1.0 {
            &self.s_u / n
        } else if mean_f == -1.0 {
            -&self.s_u / n
        } else {
            (&self.s_fu - &(&self.s_u * mean_f)) / n
        };
        match norm {
            Norm::Inf => grad.mapv(|g| if g == 0.0 { 0.0 } else { g.signum() }),
            _ => {
                let len = Norm::L2.of(grad.iter().copied());
                if len > 0.0 {
                    grad / len
                } else {
                    grad
                }
            }
        }
    }
}

/// ART's geometric step-size search for every sample in `who`: `epsilon` starts at
/// `2 dist / sqrt(iter + 1)` and halves until `cur + epsilon * update` is adversarial (at most
/// [`MAX_HSJ_STEP_HALVINGS`] times; a sample that never gets there stays where it is). Returns
/// the new points, clipped.
pub fn step_search(
    d: &mut Decisions,
    who: &[usize],
    cur: &Array2<f32>,
    update: &Array2<f32>,
    start: &[f32],
) -> Array2<f32> {
    let mut eps: Vec<f32> = start.to_vec();
    let mut out = cur.clone();
    let mut open: Vec<usize> = (0..who.len()).collect();
    for _ in 0..MAX_HSJ_STEP_HALVINGS {
        if open.is_empty() {
            break;
        }
        let mut cand = Array2::zeros((open.len(), cur.ncols()));
        for (j, &k) in open.iter().enumerate() {
            eps[k] /= 2.0;
            let row = &cur.row(k) + &(&update.row(k) * eps[k]);
            cand.row_mut(j).assign(&row);
        }
        let ids: Vec<usize> = open.iter().map(|&k| who[k]).collect();
        let ok = d.satisfied(&ids, &cand);
        let (lo, hi) = d.clip;
        for (j, &k) in open.iter().enumerate() {
            if ok[j] {
                out.row_mut(k)
                    .assign(&cand.row(j).mapv(|v| v.clamp(lo, hi)));
            }
        }
        open = open
            .into_iter()
            .zip(ok)
            .filter(|(_, o)| !o)
            .map(|(k, _)| k)
            .collect();
    }
    out
}
