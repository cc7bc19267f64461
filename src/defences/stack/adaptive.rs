//! How an attack takes gradients through a defence stack: [`AdaptiveSettings`] (the catalog's
//! `adaptive` group: `adaptive` = `none`, `bpda` or `eot`, `eot_samples`, `detector_aware`) and
//! [`Adaptive`], the mode as an enum. See `super` for what each mode does.

use serde::Serialize;

use crate::described;
use crate::limits::MAX_EOT_SAMPLES;
use crate::params::{CrossCheck, Kind};

/// The gradient mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Adaptive {
    /// Naive: the true derivative of every piece.
    None,
    /// BPDA: identity through non-differentiable pre-processors, before the post-processors.
    Bpda,
    /// BPDA averaged over random draws.
    Eot,
}

impl Adaptive {
    /// The modes' names.
    pub const NAMES: [&'static str; 3] = ["none", "bpda", "eot"];
}

described! {
    /// How attacks differentiate a defence stack.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct AdaptiveSettings in "adaptive" {
        adaptive: String = "none".into(), Kind::Choice { choices: &Adaptive::NAMES },
            "How the attack takes gradients through the defence stack: none (naive: through every piece as if it were differentiable, so squeezing and rounding hide the gradient), bpda (identity through non-differentiable pre-processors, gradients before the post-processors; Athalye et al. 2018) or eot (bpda averaged over eot_samples random draws).",
            "공격이 방어 스택을 지나 그래디언트를 얻는 방법: none(단순: 모든 조각을 미분 가능한 것처럼 통과하므로 압축과 반올림이 그래디언트를 숨깁니다), bpda(미분 불가능한 전처리는 항등으로 통과하고 그래디언트는 후처리 앞에서 잽니다; Athalye 외 2018), eot(bpda를 eot_samples번의 무작위 추출에 대해 평균).";
        eot_samples: usize = 10, Kind::int(1, MAX_EOT_SAMPLES),
            "eot only: random draws each gradient is averaged over (Expectation over Transformation).",
            "eot 전용: 그래디언트마다 평균을 내는 무작위 추출 횟수(Expectation over Transformation).";
        detector_aware: bool = false, Kind::Bool,
            "Attack the classifier and the detector together: ascend the sum of the classifier's loss and the detector's loss for 'adversarial', so the examples also look clean to the detector.",
            "분류기와 탐지기를 함께 공격합니다: 분류기 손실과 탐지기의 '적대적' 손실의 합을 키워, 만든 예제가 탐지기에도 깨끗해 보이게 합니다.";
    }
}

impl CrossCheck for AdaptiveSettings {}

impl AdaptiveSettings {
    /// The mode.
    pub fn mode(&self) -> Adaptive {
        match self.adaptive.as_str() {
            "bpda" => Adaptive::Bpda,
            "eot" => Adaptive::Eot,
            _ => Adaptive::None,
        }
    }

    /// Settings for `mode` with `eot_samples` draws.
    pub fn of(mode: Adaptive, eot_samples: usize) -> AdaptiveSettings {
        AdaptiveSettings {
            adaptive: match mode {
                Adaptive::None => "none",
                Adaptive::Bpda => "bpda",
                Adaptive::Eot => "eot",
            }
            .into(),
            eot_samples,
            detector_aware: false,
        }
    }
}
