//! The classifier abstraction every attack and defence is written against, modelled on ART's
//! estimator API (`predict`, `loss_gradient`, `class_gradient`, `nb_classes`, `input_shape`,
//! `clip_values`, `fit`).
//!
//! Inputs cross this trait as a batch of flattened samples, `(N, D)` with `D` the product of
//! [`Classifier::input_shape`]; images are flattened row-major over `(h, w, c)`, which is the same
//! memory as NHWC. Scores are `(N, C)`.
//!
//! Main types: [`Classifier`], [`ClassSelection`], [`BatchStats`], [`OutputKind`]. The one rule
//! for inputs lives here too: [`check_samples`] refuses a sample with a non-finite feature or a
//! feature outside the classifier's clip values, naming the sample and the feature; the CLI, the
//! worker and the attacks all apply it. [`NonFiniteOutput`] is what
//! [`Classifier::predict_checked`] reports instead of scores computed from an overflow.

use ndarray::{Array2, Array3, ArrayView2};

use crate::lang::{say, text, Bilingual, Lang, Text};

/// What a classifier's scores are, which decides how its loss is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// Probabilities (the model ends in a softmax): the loss is cross-entropy on them.
    Probabilities,
    /// Raw logits: the loss is softmax cross-entropy.
    Logits,
}

/// A sample the classifier cannot take.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SampleError {
    /// NaN or infinite.
    NonFinite {
        /// Row.
        sample: usize,
        /// Column.
        feature: usize,
        /// The value.
        value: f32,
    },
    /// Outside the clip values.
    OutOfRange {
        /// Row.
        sample: usize,
        /// Column.
        feature: usize,
        /// The value.
        value: f32,
        /// Lower clip value.
        min: f32,
        /// Upper clip value.
        max: f32,
    },
}

impl Bilingual for SampleError {
    fn say(&self, lang: Lang) -> String {
        match self {
            SampleError::NonFinite {
                sample,
                feature,
                value,
            } => say!(
                lang,
                "sample {sample}, feature {feature} is {value}, expected a finite value",
                "샘플 {sample}, 특성 {feature}의 값 {value}: 유한한 값이어야 합니다"
            ),
            SampleError::OutOfRange {
                sample,
                feature,
                value,
                min,
                max,
            } => say!(
                lang,
                "sample {sample}, feature {feature} is {value}, outside the model's clip values [{min}, {max}]",
                "샘플 {sample}, 특성 {feature}의 값 {value}: 모델의 클립 값 [{min}, {max}] 밖에 있습니다"
            ),
        }
    }
}

crate::lang::english_display!(SampleError);

/// The one rule for inputs: every feature finite and inside `clip` (inclusive). The first
/// offending sample and feature are named.
pub fn check_samples(x: ArrayView2<f32>, clip: (f32, f32)) -> Result<(), SampleError> {
    let (min, max) = clip;
    for (sample, row) in x.rows().into_iter().enumerate() {
        for (feature, &value) in row.iter().enumerate() {
            if !value.is_finite() {
                return Err(SampleError::NonFinite {
                    sample,
                    feature,
                    value,
                });
            }
            if value < min || value > max {
                return Err(SampleError::OutOfRange {
                    sample,
                    feature,
                    value,
                    min,
                    max,
                });
            }
        }
    }
    Ok(())
}

/// Scores that overflowed: a layer produced NaN or infinity for some sample.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct NonFiniteOutput {
    /// The first sample affected.
    pub sample: usize,
    /// Where: `node 2 (dense)`, or `its output`, in both languages.
    pub layer: Text,
    /// The value.
    pub value: f32,
}

impl Bilingual for NonFiniteOutput {
    fn say(&self, lang: Lang) -> String {
        let NonFiniteOutput {
            sample,
            layer,
            value,
        } = self;
        let layer = layer.get(lang);
        say!(
            lang,
            "the model computes a non-finite value ({value}) in {layer} for sample {sample}: its weights are too large for this input, so its scores would be meaningless",
            "모델이 샘플 {sample}에 대해 {layer}에서 유한하지 않은 값({value})을 계산합니다. 이 입력에 비해 가중치가 너무 커서 점수가 의미 없습니다"
        )
    }
}

crate::lang::english_display!(NonFiniteOutput);

/// The first non-finite value of `out`, as a [`NonFiniteOutput`] located at `layer`.
pub fn check_finite(
    out: &Array2<f32>,
    layer: impl FnOnce() -> Text,
) -> Result<(), NonFiniteOutput> {
    // One pass without an early exit (vectorised): an exponent of all ones is an infinity or NaN.
    // Only when there is one is it looked for, to name the sample.
    let exponent = 0x7f80_0000u32;
    let suspect = out.as_slice_memory_order().is_none_or(|values| {
        let hits = values.iter().fold(0u32, |acc, v| {
            acc | u32::from(v.to_bits() & exponent == exponent)
        });
        hits != 0
    });
    if !suspect {
        return Ok(());
    }
    match out.indexed_iter().find(|(_, v)| !v.is_finite()) {
        Some(((sample, _), &value)) => Err(NonFiniteOutput {
            sample,
            layer: layer(),
            value,
        }),
        None => Ok(()),
    }
}

/// Which class gradients [`Classifier::class_gradient`] returns.
#[derive(Debug, Clone, Copy)]
pub enum ClassSelection<'a> {
    /// The same class for every sample: result `(N, 1, D)`.
    One(usize),
    /// One class per sample (`len == N`): result `(N, 1, D)`.
    PerSample(&'a [usize]),
    /// Every class, the full Jacobian of the output: result `(N, C, D)`.
    All,
}

/// Loss and accuracy of one training batch, as reported by [`Classifier::train_batch`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchStats {
    /// Mean data loss over the batch (regularisation included).
    pub loss: f32,
    /// Fraction of the batch whose arg-max score matched the label.
    pub accuracy: f32,
}

/// An ART-style classifier: class scores, gradients with respect to the input, and a training step.
///
/// Scores are the model's output: probabilities when the model ends in a softmax layer, raw logits
/// otherwise (ART's `use_logits`/`from_logits`). The loss is cross-entropy on probabilities in the
/// first case and softmax cross-entropy on logits in the second; either way it is the mean over the
/// batch. Class gradients are gradients of the model's output, whichever it is.
pub trait Classifier {
    /// Shape of one sample, e.g. `[28, 28, 1]` (NHWC without N) or `[4]`.
    fn input_shape(&self) -> &[usize];

    /// Number of features of one flattened sample.
    fn nb_features(&self) -> usize {
        self.input_shape().iter().product()
    }

    /// Number of classes `C`.
    fn nb_classes(&self) -> usize;

    /// The valid range of every input feature, `(min, max)`.
    fn clip_values(&self) -> (f32, f32);

    /// What the scores are (probabilities unless the classifier says otherwise).
    fn output_kind(&self) -> OutputKind {
        OutputKind::Probabilities
    }

    /// Class scores `(N, C)` in inference mode.
    fn predict(&self, x: ArrayView2<f32>) -> Array2<f32>;

    /// [`Classifier::predict`], or an error when a computation overflowed (the scores would be
    /// meaningless). The default checks the scores; a network checks every layer's output,
    /// since an activation such as relu can turn NaN into a finite value.
    fn predict_checked(&self, x: ArrayView2<f32>) -> Result<Array2<f32>, NonFiniteOutput> {
        let scores = self.predict(x);
        check_finite(&scores, || text!("its output", "출력"))?;
        Ok(scores)
    }

    /// Gradient of each sample's own loss w.r.t. its input, `(N, D)`, for labels `y` (`len == N`),
    /// in inference mode. Row `i` does not depend on the batch size or on the other samples.
    fn loss_gradient(&mut self, x: ArrayView2<f32>, y: &[usize]) -> Array2<f32>;

    /// Gradients of the model's output scores w.r.t. the input, in inference mode.
    fn class_gradient(&mut self, x: ArrayView2<f32>, classes: ClassSelection<'_>) -> Array3<f32>;

    /// The scores ([`Classifier::predict`]) and [`Classifier::class_gradient`] at the same input.
    /// A network overrides it to take both from one forward pass (attacks that need both per
    /// step save a forward pass).
    fn scores_and_class_gradient(
        &mut self,
        x: ArrayView2<f32>,
        classes: ClassSelection<'_>,
    ) -> (Array2<f32>, Array3<f32>) {
        (self.predict(x), self.class_gradient(x, classes))
    }

    /// Logits `(N, C)`: the scores before a final softmax, for the attacks whose loss is a
    /// difference of logits (C&W, APGD's DLR). A classifier whose scores are logits returns them;
    /// the default for one that outputs probabilities returns `ln p`, which equals the logits up
    /// to a per-sample constant that every difference of logits cancels. A network overrides it
    /// with its real pre-softmax output, which stays exact where `p` rounds to 1 or 0.
    fn logits(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let scores = self.predict(x);
        match self.output_kind() {
            OutputKind::Logits => scores,
            OutputKind::Probabilities => scores.mapv(|p| p.max(f32::MIN_POSITIVE).ln()),
        }
    }

    /// `sum_c seed[i, c] * d logits[i, c] / dx_i` for each sample, `(N, D)`: one backward pass
    /// from the logits (a vector-Jacobian product), in inference mode. The default contracts
    /// [`Classifier::class_gradient`] over every class (dividing by `p` for probability
    /// outputs, the derivative of `ln p`); a network overrides it with one backward pass.
    fn logit_vjp(&mut self, x: ArrayView2<f32>, seed: ArrayView2<f32>) -> Array2<f32> {
        let jac = self.class_gradient(x, ClassSelection::All);
        let weights = match self.output_kind() {
            OutputKind::Logits => seed.to_owned(),
            OutputKind::Probabilities => {
                let p = self.predict(x);
                ndarray::Zip::from(&seed)
                    .and(&p)
                    .map_collect(|&s, &p| s / p.max(f32::MIN_POSITIVE))
            }
        };
        let mut out = Array2::zeros((x.nrows(), x.ncols()));
        for (i, mut row) in out.rows_mut().into_iter().enumerate() {
            for (c, &w) in weights.row(i).iter().enumerate() {
                if w != 0.0 {
                    row.scaled_add(w, &jac.slice(ndarray::s![i, c, ..]));
                }
            }
        }
        out
    }

    /// One optimiser step on a batch in training mode (dropout on, batch statistics updated).
    fn train_batch(&mut self, x: ArrayView2<f32>, y: &[usize]) -> BatchStats;

    /// Arg-max class of each sample.
    fn predict_classes(&self, x: ArrayView2<f32>) -> Vec<usize> {
        argmax_rows(&self.predict(x))
    }
}

/// Arg-max of each row of a score matrix (the first maximum on ties, NaN never wins).
pub fn argmax_rows(scores: &Array2<f32>) -> Vec<usize> {
    scores
        .rows()
        .into_iter()
        .map(|row| {
            let mut best = 0;
            let mut best_v = f32::NEG_INFINITY;
            for (i, &v) in row.iter().enumerate() {
                if v > best_v {
                    best = i;
                    best_v = v;
                }
            }
            best
        })
        .collect()
}

/// Fraction of rows whose arg-max equals the label.
pub fn accuracy(scores: &Array2<f32>, y: &[usize]) -> f32 {
    if y.is_empty() {
        return 0.0;
    }
    let hits = argmax_rows(scores)
        .iter()
        .zip(y)
        .filter(|(p, t)| p == t)
        .count();
    hits as f32 / y.len() as f32
}

#[cfg(test)]
mod tests {
    use super::check_finite;
    use crate::lang::{text, Text};
    use ndarray::Array2;

    #[test]
    fn check_finite_names_the_first_non_finite_value() {
        let mut out = Array2::from_shape_fn((5, 7), |(i, j)| i as f32 - j as f32 * 1e30);
        assert!(check_finite(&out, || Text::new("x", "x")).is_ok());
        for (at, bad) in [
            ((3, 2), f32::NAN),
            ((1, 6), f32::INFINITY),
            ((4, 0), -f32::INFINITY),
        ] {
            let mut o = out.clone();
            o[at] = bad;
            let e = check_finite(&o, || text!("node 2 (dense)", "노드 2 (dense)")).unwrap_err();
            assert_eq!((e.sample, e.layer.en.as_str()), (at.0, "node 2 (dense)"));
            assert!(e.value.is_nan() == bad.is_nan());
        }
        out[[0, 0]] = f32::MAX;
        assert!(check_finite(&out, || Text::new("x", "x")).is_ok());
    }
}
