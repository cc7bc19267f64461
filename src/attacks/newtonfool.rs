//! NewtonFool as ART's `NewtonFool` implements it.
//!
//! Main type: [`NewtonFoolRun`]. With `c` the clean prediction, `s` its current score, `g` the
//! gradient of that score and `x0` the clean sample, every step lowers `s` by
//! `delta = min(eta |x0| |g|, s - 1/C)` along `-g`: `x <- x - delta g / max(|g|^2, tol)`. All
//! `max_iter` steps are always taken; the result is clipped once, at the end (as ART).

use super::batch::{self, clip_inplace};
use super::config::AttackOutput;
use super::error::AttackError;
use super::params::NewtonFoolParams;
use super::run::{AttackRun, RunState, Step};
use crate::classifier::{argmax_rows, Classifier};
use crate::params::Checked;
use ndarray::{Array2, Zip};

/// ART's `tol` on the squared gradient norm.
const TOL: f32 = 1e-7;

/// ART's `NewtonFool.generate` as a resumable run, one step per iteration; `y` is ignored, as in
/// ART. [`AttackRun::current`] and the result are clipped.
#[derive(Debug)]
pub struct NewtonFoolRun {
    s: RunState,
    p: NewtonFoolParams,
    classes: Vec<usize>,
    x_norm: Vec<f32>,
    inv_c: f32,
    clip: (f32, f32),
    steps: usize,
}

impl NewtonFoolRun {
    /// The clean predictions and input norms.
    pub fn start(
        clf: &mut dyn Classifier,
        s: RunState,
        p: &Checked<NewtonFoolParams>,
    ) -> NewtonFoolRun {
        let p = p.get().clone();
        let x = s.x0.view();
        let classes = argmax_rows(&batch::predict(clf, x, p.batch_size));
        let x_norm = x.rows().into_iter().map(|r| r.dot(&r).sqrt()).collect();
        NewtonFoolRun {
            inv_c: 1.0 / clf.nb_classes() as f32,
            clip: clf.clip_values(),
            classes,
            x_norm,
            steps: 0,
            s,
            p,
        }
    }
}

impl AttackRun for NewtonFoolRun {
    fn name(&self) -> &'static str {
        "newtonfool"
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
        let b = self.p.batch_size;
        // scores: (N, C); grads: (N, D) of each sample's clean class
        let (scores, grads) =
            batch::scores_and_class_gradient_per_sample(clf, self.s.adv.view(), &self.classes, b);
        for (i, mut row) in self.s.adv.rows_mut().into_iter().enumerate() {
            let g = grads.row(i);
            let g2 = g.dot(&g);
            let delta = (self.p.eta * self.x_norm[i] * g2.sqrt())
                .min(scores[[i, self.classes[i]]] - self.inv_c);
            let scale = -delta / g2.max(TOL);
            Zip::from(&mut row)
                .and(&g)
                .for_each(|a, &gj| *a += scale * gj);
            self.s.iterations[i] += 1;
        }
        self.steps += 1;
        Ok(Step {
            frame: true,
            done: self.is_done(),
        })
    }

    fn is_done(&self) -> bool {
        self.steps >= self.p.max_iter
    }

    fn fraction(&self) -> f32 {
        (self.steps as f32 / self.p.max_iter as f32).min(1.0)
    }

    fn current(&self) -> Array2<f32> {
        let mut frame = self.s.adv.clone();
        clip_inplace(&mut frame, self.clip);
        frame
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
