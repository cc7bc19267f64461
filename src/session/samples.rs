//! Turning the page's description of samples into a checked matrix, and checking target classes.
//!
//! Main functions: [`resolve_samples`] (test rows or given rows, with labels), [`given_matrix`]
//! (a flat [`F32s`] checked against a dataset's sample width and clip range) and
//! [`check_targets`].

use ndarray::{s, Array2};

use super::error::SessionError;
use crate::data::Dataset;
use crate::lang::text;
use crate::params::Kind;
use crate::protocol::{F32s, Samples};

/// Most samples one request may name.
pub const MAX_SAMPLES: usize = crate::limits::MAX_REQUEST_SAMPLES;

/// The samples and, when known, their true labels.
pub fn resolve_samples(
    ds: &Dataset,
    samples: &Samples,
) -> Result<(Array2<f32>, Option<Vec<usize>>), SessionError> {
    match samples {
        Samples::Test { start, count } => {
            let n_test = ds.y_test.len();
            if *count == 0 || *count > MAX_SAMPLES {
                return Err(SessionError::invalid(
                    "count",
                    count,
                    Kind::int(1, MAX_SAMPLES as u64).describe(),
                ));
            }
            if start.checked_add(*count).is_none_or(|end| end > n_test) {
                return Err(SessionError::invalid(
                    "start",
                    start,
                    text!(
                        "{count} samples from there run past the {n_test} test samples",
                        "거기서부터 샘플 {count}개를 세면 테스트 샘플 {n_test}개를 넘어갑니다"
                    ),
                ));
            }
            let x = ds.x_test.slice(s![*start..start + count, ..]).to_owned();
            Ok((x, Some(ds.y_test[*start..start + count].to_vec())))
        }
        Samples::Given { x, labels } => {
            let x = given_matrix(ds, x)?;
            if let Some(l) = labels {
                if l.len() != x.nrows() {
                    return Err(SessionError::invalid(
                        "labels",
                        l.len(),
                        text!(
                            "need one label per sample ({})",
                            "샘플마다 레이블이 하나씩 필요합니다({}개)";
                            x.nrows()
                        ),
                    ));
                }
                if let Some(&bad) = l.iter().find(|&&c| c >= ds.nb_classes()) {
                    return Err(SessionError::invalid(
                        "labels",
                        bad,
                        text!(
                            "classes are 0..{}",
                            "클래스는 0..{}입니다";
                            ds.nb_classes()
                        ),
                    ));
                }
            }
            Ok((x, labels.clone()))
        }
    }
}

/// A flat row-major buffer as `(N, D)` samples of `ds`, every value finite and inside the
/// dataset's clip range (the one rule, [`crate::classifier::check_samples`], naming the sample
/// and the feature).
pub fn given_matrix(ds: &Dataset, x: &F32s) -> Result<Array2<f32>, SessionError> {
    let d = ds.n_features();
    if x.is_empty() || !x.len().is_multiple_of(d) {
        return Err(SessionError::invalid(
            "x",
            format!("{} values", x.len()),
            text!(
                "need a positive multiple of {d} (one {:?} sample each)",
                "{d}의 양의 배수여야 합니다(모양 {:?}인 샘플마다 {d}개)";
                ds.input_shape
            ),
        ));
    }
    let n = x.len() / d;
    if n > MAX_SAMPLES {
        return Err(SessionError::invalid(
            "x",
            format!("{n} samples"),
            text!("at most {MAX_SAMPLES}", "최대 {MAX_SAMPLES}개까지입니다"),
        ));
    }
    let x = Array2::from_shape_vec((n, d), x.0.clone()).expect("length checked");
    crate::classifier::check_samples(x.view(), ds.clip_values)?;
    Ok(x)
}

/// Checks an attack's target classes: one per sample, each a class; `needed` when the attack is
/// targeted and cannot draw its own (JSMA can).
pub fn check_targets(
    targets: Option<&[usize]>,
    n: usize,
    nb_classes: usize,
    needed: bool,
) -> Result<(), SessionError> {
    if let Some(t) = targets {
        if t.len() != n {
            return Err(SessionError::invalid(
                "targets",
                format!("{} targets", t.len()),
                text!(
                    "need one target per sample ({n})",
                    "샘플마다 목표가 하나씩 필요합니다({n}개)"
                ),
            ));
        }
        if let Some(&bad) = t.iter().find(|&&c| c >= nb_classes) {
            return Err(SessionError::invalid(
                "targets",
                bad,
                text!(
                    "classes are 0..{}",
                    "클래스는 0..{}입니다";
                    nb_classes - 1
                ),
            ));
        }
    } else if needed {
        return Err(SessionError::invalid(
            "targets",
            "none",
            text!(
                "a targeted attack needs a target class",
                "표적 공격에는 목표 클래스가 필요합니다"
            ),
        ));
    }
    Ok(())
}
