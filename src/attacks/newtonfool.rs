//! NewtonFool as ART's `NewtonFool` implements it.
//!
//! Main function: [`newtonfool`]. With `c` the clean prediction, `s` its current score, `g` the
//! gradient of that score and `x0` the clean sample, every step lowers `s` by
//! `delta = min(eta |x0| |g|, s - 1/C)` along `-g`: `x <- x - delta g / max(|g|^2, tol)`. All
//! `max_iter` steps are always taken; the result is clipped once, at the end (as ART).

use super::batch::{self, clip_inplace};
use super::config::AttackOutput;
use super::error::AttackError;
use super::params::NewtonFoolParams;
use crate::classifier::{argmax_rows, Classifier};
use ndarray::{Array2, ArrayView2, Zip};

/// ART's `tol` on the squared gradient norm.
const TOL: f32 = 1e-7;

/// ART's `NewtonFool.generate`; `y` is ignored, as in ART. Inputs must already be checked.
pub fn newtonfool(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    p: &NewtonFoolParams,
    mut trace: Option<&mut Vec<Array2<f32>>>,
) -> Result<AttackOutput, AttackError> {
    let clip = clf.clip_values();
    let classes = argmax_rows(&batch::predict(clf, x, p.batch_size));
    let x_norm: Vec<f32> = x.rows().into_iter().map(|r| r.dot(&r).sqrt()).collect();
    let inv_c = 1.0 / clf.nb_classes() as f32;
    let mut adv = x.to_owned();
    for _ in 0..p.max_iter {
        // scores: (N, C); grads: (N, D) of each sample's clean class
        let scores = batch::predict(clf, adv.view(), p.batch_size);
        let grads = batch::class_gradient_per_sample(clf, adv.view(), &classes, p.batch_size);
        for (i, mut row) in adv.rows_mut().into_iter().enumerate() {
            let g = grads.row(i);
            let g2 = g.dot(&g);
            let delta = (p.eta * x_norm[i] * g2.sqrt()).min(scores[[i, classes[i]]] - inv_c);
            let scale = -delta / g2.max(TOL);
            Zip::from(&mut row)
                .and(&g)
                .for_each(|a, &gj| *a += scale * gj);
        }
        if let Some(t) = trace.as_deref_mut() {
            let mut frame = adv.clone();
            clip_inplace(&mut frame, clip);
            t.push(frame);
        }
    }
    clip_inplace(&mut adv, clip);
    Ok(AttackOutput {
        x_adv: adv,
        iterations: vec![p.max_iter; x.nrows()],
    })
}
