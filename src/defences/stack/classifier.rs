//! [`Stack`] as a [`Classifier`]: predictions through every piece, and the gradient paths of
//! the three adaptive modes (see `super`). Scores are always probabilities (a model that outputs
//! logits is followed by a softmax), since ART's post-processors work on probabilities.

use ndarray::{s, Array2, Array3, ArrayView2};

use super::passes::{prob_seed_to_logits, softmax};
use super::{Adaptive, Stack};
use crate::classifier::{
    check_finite, BatchStats, ClassSelection, Classifier, NonFiniteOutput, OutputKind,
};

impl<C: Classifier> Stack<C> {
    /// Draws whose gradients are averaged: `eot_samples` in EOT mode when a pre-processor is
    /// random, one otherwise.
    fn draws(&self) -> usize {
        match self.adaptive.mode() {
            Adaptive::Eot if self.pre_is_random() => self.adaptive.eot_samples.max(1),
            _ => 1,
        }
    }

    /// Whether gradients go through the post-processors (naive mode with some).
    fn naive_through_post(&self) -> bool {
        self.adaptive.mode() == Adaptive::None && !self.post.is_empty()
    }

    /// The average over [`Self::draws`] of `f(pre-processed inputs)`, each pulled back through
    /// the pre-processors (BPDA unless naive).
    fn averaged(
        &mut self,
        x: ArrayView2<f32>,
        mut f: impl FnMut(&mut C, ArrayView2<f32>) -> Array2<f32>,
    ) -> Array2<f32> {
        if self.pre.is_empty() {
            return f(&mut self.model, x);
        }
        let exact = self.adaptive.mode() == Adaptive::None;
        let n = self.draws();
        let mut sum: Option<Array2<f32>> = None;
        for _ in 0..n {
            let xs = self.pre_forward(x);
            let z = xs.last().expect("starts with x").clone();
            let g = f(&mut self.model, z.view());
            let g = self.pre_backward(&xs, g, exact);
            sum = Some(match sum {
                Some(acc) => acc + g,
                None => g,
            });
        }
        let mut g = sum.unwrap_or_else(|| Array2::zeros(x.raw_dim()));
        if n > 1 {
            g /= n as f32;
        }
        g
    }

    /// The naive gradient of `Σ seed(out) ⊙ out` through the whole stack, `out` the
    /// post-processed probabilities; `seed` sees `out`.
    fn naive_vjp(
        &mut self,
        x: ArrayView2<f32>,
        seed: impl Fn(&Array2<f32>) -> Array2<f32>,
    ) -> Array2<f32> {
        let xs = self.pre_forward(x);
        let z = xs.last().expect("starts with x").clone();
        let p = self.model_probs(z.view());
        let (out, tape) = self.post_forward(p.clone());
        let g_p = self.post_backward(&tape, seed(&out));
        let g_l = prob_seed_to_logits(&p, &g_p);
        let g_z = self.model.logit_vjp(z.view(), g_l.view());
        self.pre_backward(&xs, g_z, true)
    }

    /// The detector's part of a detector-aware loss gradient.
    fn detector_term(&mut self, x: ArrayView2<f32>) -> Option<Array2<f32>> {
        if !self.adaptive.detector_aware {
            return None;
        }
        let det = self.detector.as_mut()?;
        Some(det.loss_gradient_adversarial(x))
    }

    /// Gradients of the probabilities of one class per sample (before post-processors).
    fn prob_class_rows(model: &mut C, z: ArrayView2<f32>, classes: &[usize]) -> Array2<f32> {
        let p = match model.output_kind() {
            OutputKind::Logits => softmax(&model.predict(z)),
            OutputKind::Probabilities => model.predict(z),
        };
        let mut seed = Array2::zeros(p.raw_dim());
        for (i, &c) in classes.iter().enumerate() {
            seed[[i, c]] = 1.0;
        }
        let g_l = prob_seed_to_logits(&p, &seed);
        model.logit_vjp(z, g_l.view())
    }

    /// The class selection as one class list per output column.
    fn class_columns(&self, n: usize, classes: ClassSelection<'_>) -> Vec<Vec<usize>> {
        match classes {
            ClassSelection::One(c) => vec![vec![c; n]],
            ClassSelection::PerSample(cs) => vec![cs.to_vec()],
            ClassSelection::All => (0..self.model.nb_classes()).map(|c| vec![c; n]).collect(),
        }
    }
}

impl<C: Classifier> Classifier for Stack<C> {
    fn input_shape(&self) -> &[usize] {
        self.model.input_shape()
    }

    fn nb_classes(&self) -> usize {
        self.model.nb_classes()
    }

    fn clip_values(&self) -> (f32, f32) {
        self.model.clip_values()
    }

    fn output_kind(&self) -> OutputKind {
        if self.pre.is_empty() && self.post.is_empty() {
            self.model.output_kind()
        } else {
            OutputKind::Probabilities
        }
    }

    fn predict(&self, x: ArrayView2<f32>) -> Array2<f32> {
        if self.pre.is_empty() && self.post.is_empty() {
            return self.model.predict(x);
        }
        let xs = self.pre_forward(x);
        let p = self.model_probs(xs.last().expect("starts with x").view());
        self.post_forward(p).0
    }

    fn predict_checked(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NonFiniteOutput> {
        if self.pre.is_empty() && self.post.is_empty() {
            return self.model.predict_checked(x);
        }
        let xs = self.pre_forward(x);
        let s = self
            .model
            .predict_checked(xs.last().expect("starts with x").view())?;
        let p = match self.model.output_kind() {
            OutputKind::Logits => softmax(&s),
            OutputKind::Probabilities => s,
        };
        let out = self.post_forward(p).0;
        check_finite(&out, || {
            crate::lang::text!("its defence stack", "방어 스택")
        })?;
        Ok(out)
    }

    fn loss_gradient(&mut self, x: ArrayView2<f32>, y: &[usize]) -> Array2<f32> {
        let mut g = if self.naive_through_post() {
            let y = y.to_vec();
            self.naive_vjp(x, move |out| {
                let mut seed = Array2::zeros(out.raw_dim());
                for (i, &c) in y.iter().enumerate() {
                    seed[[i, c]] = -1.0 / out[[i, c]].max(1e-7);
                }
                seed
            })
        } else {
            self.averaged(x, |m, z| m.loss_gradient(z, y))
        };
        if let Some(d) = self.detector_term(x) {
            g += &d;
        }
        g
    }

    fn class_gradient(&mut self, x: ArrayView2<f32>, classes: ClassSelection<'_>) -> Array3<f32> {
        if self.pre.is_empty() && self.post.is_empty() {
            return self.model.class_gradient(x, classes);
        }
        let n = x.nrows();
        let columns = self.class_columns(n, classes);
        let mut out = Array3::zeros((n, columns.len(), x.ncols()));
        for (k, cs) in columns.iter().enumerate() {
            let g = if self.naive_through_post() {
                self.naive_vjp(x, |out| {
                    let mut seed = Array2::zeros(out.raw_dim());
                    for (i, &c) in cs.iter().enumerate() {
                        seed[[i, c]] = 1.0;
                    }
                    seed
                })
            } else {
                self.averaged(x, |m, z| Self::prob_class_rows(m, z, cs))
            };
            out.slice_mut(s![.., k, ..]).assign(&g);
        }
        out
    }

    fn scores_and_class_gradient(
        &mut self,
        x: ArrayView2<f32>,
        classes: ClassSelection<'_>,
    ) -> (Array2<f32>, Array3<f32>) {
        // A bare model keeps its one-forward-pass version (JSMA, DeepFool, NewtonFool per step).
        if self.pre.is_empty() && self.post.is_empty() {
            return self.model.scores_and_class_gradient(x, classes);
        }
        (self.predict(x), self.class_gradient(x, classes))
    }

    fn logits(&self, x: ArrayView2<f32>) -> Array2<f32> {
        if self.pre.is_empty() && self.post.is_empty() {
            return self.model.logits(x);
        }
        if self.naive_through_post() {
            return self.predict(x).mapv(|p| p.max(f32::MIN_POSITIVE).ln());
        }
        let xs = self.pre_forward(x);
        self.model.logits(xs.last().expect("starts with x").view())
    }

    fn logit_vjp(&mut self, x: ArrayView2<f32>, seed: ArrayView2<f32>) -> Array2<f32> {
        if self.pre.is_empty() && self.post.is_empty() {
            return self.model.logit_vjp(x, seed);
        }
        if self.naive_through_post() {
            let seed = seed.to_owned();
            return self.naive_vjp(x, move |out| {
                ndarray::Zip::from(&seed)
                    .and(out)
                    .map_collect(|&s, &p| s / p.max(f32::MIN_POSITIVE))
            });
        }
        self.averaged(x, |m, z| m.logit_vjp(z, seed))
    }

    fn train_batch(&mut self, x: ArrayView2<f32>, y: &[usize]) -> BatchStats {
        self.model.train_batch(x, y)
    }
}
