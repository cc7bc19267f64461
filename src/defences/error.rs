//! Errors raised by the defences and the robustness sweep.
//!
//! Main type: [`DefenceError`]. Like the attacks' errors, every message names the offending value.

use crate::attacks::AttackError;
use crate::classifier::NonFiniteOutput;
use crate::lang::{say, Bilingual, Lang};
use crate::params::ParamError;

/// Why a defence or a sweep refused to run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DefenceError {
    /// A parameter is outside its valid range.
    Param(#[from] ParamError),
    /// ART refuses adversarial training with targeted attacks, and so do we.
    TargetedAttack {
        /// Name of the attack.
        attack: &'static str,
    },
    /// The sweep's parameter is not a numeric parameter of the attack.
    UnknownParam {
        /// Name of the attack.
        attack: &'static str,
        /// The parameter asked for.
        param: String,
        /// The numeric parameters the attack has, comma-separated.
        known: String,
    },
    /// Crafting adversarial samples failed.
    Attack(#[from] AttackError),
    /// The model's computation overflowed on the samples.
    NonFinite(#[from] NonFiniteOutput),
}

impl Bilingual for DefenceError {
    fn say(&self, lang: Lang) -> String {
        match self {
            DefenceError::Param(e) => e.say(lang),
            DefenceError::TargetedAttack { attack } => say!(
                lang,
                "adversarial training with the targeted attack `{attack}` is not supported (ART refuses it too); set targeted to false",
                "적대적 학습에는 표적 공격을 쓸 수 없습니다: `{attack}` (ART도 거부합니다). targeted를 false로 두세요"
            ),
            DefenceError::UnknownParam {
                attack,
                param,
                known,
            } => say!(
                lang,
                "the attack `{attack}` has no numeric parameter {param:?}; it has: {known}",
                "공격 `{attack}`에는 {param:?} 숫자 매개변수가 없습니다. 있는 매개변수: {known}"
            ),
            DefenceError::Attack(e) => {
                let e = e.say(lang);
                say!(lang, "attack failed: {e}", "공격 실패: {e}")
            }
            DefenceError::NonFinite(e) => e.say(lang),
        }
    }
}

crate::lang::english_display!(DefenceError);

impl DefenceError {
    /// The parameter the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            DefenceError::Param(p) => p.field(),
            DefenceError::TargetedAttack { .. } => Some("targeted"),
            DefenceError::UnknownParam { .. } => Some("param"),
            DefenceError::Attack(a) => a.field(),
            DefenceError::NonFinite(_) => None,
        }
    }
}
