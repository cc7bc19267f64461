//! Input checks and classifier calls chunked by `batch_size`, shared by every attack.
//!
//! Main functions: [`check_inputs`], [`predict`], [`loss_gradient`], [`class_gradients`],
//! [`scores_and_class_gradients`],
//! [`logits`], [`logit_vjp`], [`success_mask`].
//!
//! The attacks run their iterations in lockstep over the whole input (which is what makes a trace of
//! the whole batch per iteration possible); `batch_size` only bounds how many samples go into one
//! classifier call, so results are the same for every batch size.

use super::error::AttackError;
use crate::classifier::{ClassSelection, Classifier};
use ndarray::{concatenate, s, Array2, Array3, ArrayView2, Axis};

/// Checks the feature count, the clip values, every sample against them (finite and inside,
/// [`crate::classifier::check_samples`]) and, when given, the labels against the classifier.
pub fn check_inputs(
    clf: &dyn Classifier,
    x: ArrayView2<f32>,
    y: Option<&[usize]>,
) -> Result<(), AttackError> {
    let expected = clf.nb_features();
    if x.ncols() != expected {
        return Err(AttackError::FeatureMismatch {
            expected,
            got: x.ncols(),
        });
    }
    let (min, max) = clf.clip_values();
    if !(min.is_finite() && max.is_finite() && min < max) {
        return Err(AttackError::InvalidClipValues { min, max });
    }
    crate::classifier::check_samples(x, (min, max))?;
    if let Some(y) = y {
        check_labels(y, x.nrows(), clf.nb_classes())?;
    }
    Ok(())
}

/// Checks one label per sample, each a valid class.
pub fn check_labels(y: &[usize], n: usize, nb_classes: usize) -> Result<(), AttackError> {
    if y.len() != n {
        return Err(AttackError::LabelCount {
            expected: n,
            got: y.len(),
        });
    }
    match y.iter().position(|&c| c >= nb_classes) {
        Some(index) => Err(AttackError::LabelOutOfRange {
            index,
            label: y[index],
            nb_classes,
        }),
        None => Ok(()),
    }
}

fn chunks(n: usize, batch_size: usize) -> impl Iterator<Item = (usize, usize)> {
    let b = batch_size.max(1);
    (0..n.div_ceil(b)).map(move |i| (i * b, ((i + 1) * b).min(n)))
}

/// Scores `(N, C)`, computed `batch_size` samples at a time.
pub fn predict(clf: &dyn Classifier, x: ArrayView2<f32>, batch_size: usize) -> Array2<f32> {
    if x.nrows() == 0 {
        return Array2::zeros((0, clf.nb_classes()));
    }
    let parts: Vec<Array2<f32>> = chunks(x.nrows(), batch_size)
        .map(|(a, b)| clf.predict(x.slice(s![a..b, ..])))
        .collect();
    let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
    concatenate(Axis(0), &views).expect("chunks share the class count")
}

/// Predicted classes, `batch_size` samples at a time.
pub fn predict_classes(clf: &dyn Classifier, x: ArrayView2<f32>, batch_size: usize) -> Vec<usize> {
    crate::classifier::argmax_rows(&predict(clf, x, batch_size))
}

/// Loss gradients `(N, D)` for labels `y`, `batch_size` samples at a time.
pub fn loss_gradient(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    y: &[usize],
    batch_size: usize,
) -> Array2<f32> {
    let mut out = Array2::zeros(x.raw_dim());
    for (a, b) in chunks(x.nrows(), batch_size) {
        let g = clf.loss_gradient(x.slice(s![a..b, ..]), &y[a..b]);
        out.slice_mut(s![a..b, ..]).assign(&g);
    }
    out
}

/// Logits `(N, C)` ([`Classifier::logits`]), `batch_size` samples at a time.
pub fn logits(clf: &dyn Classifier, x: ArrayView2<f32>, batch_size: usize) -> Array2<f32> {
    let mut out = Array2::zeros((x.nrows(), clf.nb_classes()));
    for (a, b) in chunks(x.nrows(), batch_size) {
        out.slice_mut(s![a..b, ..])
            .assign(&clf.logits(x.slice(s![a..b, ..])));
    }
    out
}

/// `sum_c seed[i, c] * d logits[i, c] / dx_i`, `(N, D)` ([`Classifier::logit_vjp`]),
/// `batch_size` samples at a time.
pub fn logit_vjp(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    seed: ArrayView2<f32>,
    batch_size: usize,
) -> Array2<f32> {
    let mut out = Array2::zeros(x.raw_dim());
    for (a, b) in chunks(x.nrows(), batch_size) {
        let g = clf.logit_vjp(x.slice(s![a..b, ..]), seed.slice(s![a..b, ..]));
        out.slice_mut(s![a..b, ..]).assign(&g);
    }
    out
}

/// Gradients `(N, D)` of each sample's own class `classes[i]`, `batch_size` samples at a time.
pub fn class_gradient_per_sample(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    classes: &[usize],
    batch_size: usize,
) -> Array2<f32> {
    let mut out = Array2::zeros(x.raw_dim());
    for (a, b) in chunks(x.nrows(), batch_size) {
        let g = clf.class_gradient(
            x.slice(s![a..b, ..]),
            ClassSelection::PerSample(&classes[a..b]),
        );
        out.slice_mut(s![a..b, ..])
            .assign(&g.index_axis(Axis(1), 0));
    }
    out
}

/// Scores `(N, C)` and gradients `(N, D)` of each sample's own class `classes[i]`, from the
/// same forward passes, `batch_size` samples at a time.
pub fn scores_and_class_gradient_per_sample(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    classes: &[usize],
    batch_size: usize,
) -> (Array2<f32>, Array2<f32>) {
    let mut scores = Array2::zeros((x.nrows(), clf.nb_classes()));
    let mut out = Array2::zeros(x.raw_dim());
    for (a, b) in chunks(x.nrows(), batch_size) {
        let (f, g) = clf.scores_and_class_gradient(
            x.slice(s![a..b, ..]),
            ClassSelection::PerSample(&classes[a..b]),
        );
        scores.slice_mut(s![a..b, ..]).assign(&f);
        out.slice_mut(s![a..b, ..])
            .assign(&g.index_axis(Axis(1), 0));
    }
    (scores, out)
}

/// Scores `(N, C)` and gradients `(N, L, D)` of the listed classes from the same forward passes
/// (every class when `labels` has them all in order), `batch_size` samples at a time.
pub fn scores_and_class_gradients(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    labels: &[usize],
    batch_size: usize,
) -> (Array2<f32>, Array3<f32>) {
    let all = labels.len() == clf.nb_classes() && labels.iter().enumerate().all(|(i, &c)| i == c);
    if !all {
        let scores = predict(clf, x, batch_size);
        return (scores, class_gradients(clf, x, labels, batch_size));
    }
    let mut scores = Array2::zeros((x.nrows(), clf.nb_classes()));
    let mut out = Array3::zeros((x.nrows(), labels.len(), x.ncols()));
    for (a, b) in chunks(x.nrows(), batch_size) {
        let (f, g) = clf.scores_and_class_gradient(x.slice(s![a..b, ..]), ClassSelection::All);
        scores.slice_mut(s![a..b, ..]).assign(&f);
        out.slice_mut(s![a..b, .., ..]).assign(&g);
    }
    (scores, out)
}

/// Gradients `(N, L, D)` of the listed classes (every class when `labels` has them all in order).
pub fn class_gradients(
    clf: &mut dyn Classifier,
    x: ArrayView2<f32>,
    labels: &[usize],
    batch_size: usize,
) -> Array3<f32> {
    let all = labels.len() == clf.nb_classes() && labels.iter().enumerate().all(|(i, &c)| i == c);
    let mut out = Array3::zeros((x.nrows(), labels.len(), x.ncols()));
    for (a, b) in chunks(x.nrows(), batch_size) {
        let xb = x.slice(s![a..b, ..]);
        if all {
            out.slice_mut(s![a..b, .., ..])
                .assign(&clf.class_gradient(xb, ClassSelection::All));
            continue;
        }
        for (k, &c) in labels.iter().enumerate() {
            let g = clf.class_gradient(xb, ClassSelection::One(c));
            out.slice_mut(s![a..b, k, ..])
                .assign(&g.index_axis(Axis(1), 0));
        }
    }
    out
}

/// ART's `compute_success_array`: targeted, the adversarial prediction is the target; untargeted,
/// it differs from the prediction on the clean sample (not from the label).
pub fn success_mask(
    clf: &dyn Classifier,
    x_clean: ArrayView2<f32>,
    labels: &[usize],
    x_adv: ArrayView2<f32>,
    targeted: bool,
    batch_size: usize,
) -> Vec<bool> {
    let adv = predict_classes(clf, x_adv, batch_size);
    if targeted {
        return adv.iter().zip(labels).map(|(a, t)| a == t).collect();
    }
    let clean = predict_classes(clf, x_clean, batch_size);
    adv.iter().zip(&clean).map(|(a, c)| a != c).collect()
}

/// Clamps every feature into `clip`.
pub fn clip_inplace(x: &mut Array2<f32>, clip: (f32, f32)) {
    x.mapv_inplace(|v| v.clamp(clip.0, clip.1));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_sample_once() {
        let c: Vec<_> = chunks(7, 3).collect();
        assert_eq!(c, vec![(0, 3), (3, 6), (6, 7)]);
        assert_eq!(chunks(0, 3).count(), 0);
    }

    #[test]
    fn label_checks_report_the_problem() {
        assert_eq!(
            check_labels(&[0, 1], 3, 2),
            Err(AttackError::LabelCount {
                expected: 3,
                got: 2
            })
        );
        assert_eq!(
            check_labels(&[0, 5], 2, 3),
            Err(AttackError::LabelOutOfRange {
                index: 1,
                label: 5,
                nb_classes: 3
            })
        );
        assert!(check_labels(&[0, 2], 2, 3).is_ok());
    }
}
