//! Errors raised by the attacks: invalid parameters and inputs that do not fit the classifier.
//!
//! Main type: [`AttackError`]. Every message names the offending value so a UI can show it as is.

use crate::classifier::SampleError;
use crate::lang::{say, Bilingual, Lang};
use crate::params::ParamError;

/// Why an attack refused to run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AttackError {
    /// A parameter is outside its valid range.
    Param(#[from] ParamError),
    /// The samples do not have the classifier's number of features.
    FeatureMismatch {
        /// Features of one sample for the classifier.
        expected: usize,
        /// Columns of the given batch.
        got: usize,
    },
    /// A sample is not finite or lies outside the classifier's clip values.
    Sample(#[from] SampleError),
    /// The label slice does not have one entry per sample.
    LabelCount {
        /// Number of samples.
        expected: usize,
        /// Number of labels given.
        got: usize,
    },
    /// A label is not a class of the classifier.
    LabelOutOfRange {
        /// Index of the sample.
        index: usize,
        /// The offending label.
        label: usize,
        /// Number of classes of the classifier.
        nb_classes: usize,
    },
    /// A targeted attack was started without target classes.
    TargetsRequired {
        /// Name of the attack.
        attack: &'static str,
    },
    /// Random target classes need at least two classes.
    TooFewClasses {
        /// Number of classes of the classifier.
        nb_classes: usize,
    },
    /// The attack's loss needs more classes than the classifier has (DLR compares three logits).
    NeedsClasses {
        /// The attack (and loss).
        attack: &'static str,
        /// Classes it needs.
        need: usize,
        /// Classes of the classifier.
        nb_classes: usize,
    },
    /// The classifier's clip values are not an ordered finite range.
    InvalidClipValues {
        /// Lower bound.
        min: f32,
        /// Upper bound.
        max: f32,
    },
}

impl Bilingual for AttackError {
    fn say(&self, lang: Lang) -> String {
        match self {
            AttackError::Param(e) => e.say(lang),
            AttackError::FeatureMismatch { expected, got } => say!(
                lang,
                "samples have {got} features but the classifier expects {expected}",
                "샘플의 특성은 {got}개인데 분류기는 {expected}개를 받습니다"
            ),
            AttackError::Sample(e) => {
                let e = e.say(lang);
                say!(lang, "input {e}", "입력 {e}")
            }
            AttackError::LabelCount { expected, got } => say!(
                lang,
                "got {got} labels for {expected} samples",
                "샘플 {expected}개에 레이블이 {got}개입니다"
            ),
            AttackError::LabelOutOfRange {
                index,
                label,
                nb_classes,
            } => say!(
                lang,
                "label {label} of sample {index} is out of range (the classifier has {nb_classes} classes)",
                "샘플 {index}의 레이블 {label}: 범위를 벗어났습니다(분류기의 클래스는 {nb_classes}개입니다)"
            ),
            AttackError::TargetsRequired { attack } => say!(
                lang,
                "the targeted attack `{attack}` needs target classes `y`",
                "표적 공격 `{attack}`에는 목표 클래스 `y`가 필요합니다"
            ),
            AttackError::TooFewClasses { nb_classes } => say!(
                lang,
                "cannot draw a wrong target class: the classifier has {nb_classes} class(es)",
                "틀린 목표 클래스를 뽑을 수 없습니다: 분류기의 클래스가 {nb_classes}개뿐입니다"
            ),
            AttackError::NeedsClasses {
                attack,
                need,
                nb_classes,
            } => say!(
                lang,
                "{attack} needs a classifier with at least {need} classes, this one has {nb_classes}",
                "{attack}에는 클래스가 {need}개 이상인 분류기가 필요한데 이 분류기는 {nb_classes}개입니다"
            ),
            AttackError::InvalidClipValues { min, max } => say!(
                lang,
                "invalid clip values ({min}, {max}) of the classifier",
                "분류기의 클립 값이 잘못되었습니다: ({min}, {max})"
            ),
        }
    }
}

crate::lang::english_display!(AttackError);

impl AttackError {
    /// The parameter the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AttackError::Param(p) => p.field(),
            AttackError::LabelCount { .. } | AttackError::LabelOutOfRange { .. } => Some("y"),
            AttackError::TargetsRequired { .. } => Some("targets"),
            _ => None,
        }
    }
}

impl AttackError {
    /// `Ok` when a classifier with `nb_classes` classes is enough for `attack`, which needs `need`.
    pub fn need_classes(
        attack: &'static str,
        need: usize,
        nb_classes: usize,
    ) -> Result<(), AttackError> {
        if nb_classes < need {
            return Err(AttackError::NeedsClasses {
                attack,
                need,
                nb_classes,
            });
        }
        Ok(())
    }
}
