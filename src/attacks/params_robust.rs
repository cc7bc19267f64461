//! The parameters of the attacks a robustness evaluation uses, with ART 1.20's names and
//! defaults, described once like those in `params.rs`: [`CwL2Params`] (`CarliniL2Method`),
//! [`ApgdParams`] with [`ApgdLoss`] (`AutoProjectedGradientDescent`), [`AutoAttackParams`],
//! [`SquareParams`] and [`HopSkipJumpParams`]. Counts are bounded by [`crate::limits`]; a float
//! that is not finite is refused naming its parameter, as everywhere.
//!
//! Where the ranges differ from ART's checks: `eps` may be 0 (the attack then returns its input,
//! so a sweep can start at 0), and ART's unbounded counts get upper bounds.

use serde::Serialize;

use super::norm::Norm;
use super::params::{batch_en, batch_ko, BATCH, EPS, NORMS, STEP};
use crate::described;
use crate::limits::{
    MAX_BINARY_SEARCH_STEPS, MAX_CW_CONST, MAX_HSJ_EVALS, MAX_HSJ_INIT, MAX_ITER, MAX_LINE_SEARCH,
    MAX_MAGNITUDE, MAX_RANDOM_INITS, MAX_SQUARE_ITER,
};
use crate::params::{CrossCheck, Kind, ParamError, ParamSpec, ParamValue, Raw};

const LINE: Kind = Kind::int(1, MAX_LINE_SEARCH);

described! {
    /// ART's `CarliniL2Method`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct CwL2Params in "cw-l2" {
        confidence: f32 = 0.0, Kind::float(0.0, MAX_MAGNITUDE).slider(0.0, 10.0, 0.1),
            "How far the adversarial class's logit must lead every other: larger values give examples farther from the input, classified more confidently.",
            "적대적 클래스의 로짓이 다른 모든 클래스보다 앞서야 하는 정도. 클수록 입력에서 더 멀지만 더 확실하게 분류되는 예제를 만듭니다.";
        targeted: bool = false, Kind::Bool,
            "Move towards the target class instead of away from the true label.",
            "정답 레이블에서 멀어지는 대신 목표 클래스 쪽으로 움직입니다.";
        learning_rate: f32 = 0.01, Kind::positive(MAX_MAGNITUDE).slider(0.0, 0.1, 0.001),
            "First step size of the optimisation in tanh space; a line search halves or doubles it.",
            "tanh 공간에서 최적화하는 첫 걸음 크기. 선 탐색이 이를 절반으로 줄이거나 두 배로 늘립니다.";
        binary_search_steps: usize = 10, Kind::int(0, MAX_BINARY_SEARCH_STEPS),
            "Rounds of the binary search on the constant c that weighs misclassification against distance.",
            "오분류와 거리 사이의 비중을 정하는 상수 c를 이진 탐색하는 횟수.";
        max_iter: usize = 10, Kind::int(0, MAX_ITER),
            "Optimisation steps per binary-search round.",
            "이진 탐색 한 번마다 진행하는 최적화 걸음 수.";
        initial_const: f32 = 0.01, Kind::positive(MAX_CW_CONST).slider(0.0, 1.0, 0.01),
            "First value of c: a larger c favours misclassification over a small perturbation.",
            "c의 처음 값. 클수록 작은 섭동보다 오분류를 더 중시합니다.";
        max_halving: usize = 5, LINE,
            "Most halvings of the step size in one line search.",
            "선 탐색 한 번에 걸음 크기를 절반으로 줄이는 최대 횟수.";
        max_doubling: usize = 5, LINE,
            "Most doublings of the step size in one line search.",
            "선 탐색 한 번에 걸음 크기를 두 배로 늘리는 최대 횟수.";
        batch_size: usize = 1, BATCH, batch_en!(), batch_ko!();
    }
}

impl CrossCheck for CwL2Params {}

/// The loss APGD climbs: ART's `loss_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApgdLoss {
    /// Cross-entropy of the label.
    #[default]
    CrossEntropy,
    /// `-(z_y - max_{i != y} z_i) / (z_(1) - z_(3))`, the difference of logits ratio.
    DifferenceLogitsRatio,
}

impl ApgdLoss {
    /// ART's names, in the order of the choices.
    pub const NAMES: [&'static str; 2] = ["cross_entropy", "difference_logits_ratio"];

    /// ART's name.
    pub fn name(self) -> &'static str {
        match self {
            ApgdLoss::CrossEntropy => Self::NAMES[0],
            ApgdLoss::DifferenceLogitsRatio => Self::NAMES[1],
        }
    }
}

impl Serialize for ApgdLoss {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl ParamValue for ApgdLoss {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<ApgdLoss, ParamError> {
        match raw {
            Raw::Str(s) | Raw::Text(s) if s == Self::NAMES[0] || s == "ce" => {
                Ok(ApgdLoss::CrossEntropy)
            }
            Raw::Str(s) | Raw::Text(s) if s == Self::NAMES[1] || s == "dlr" => {
                Ok(ApgdLoss::DifferenceLogitsRatio)
            }
            _ => Err(spec.invalid(raw.show())),
        }
    }

    fn check(&self, _: &ParamSpec) -> Result<(), ParamError> {
        Ok(())
    }
}

described! {
    /// ART's `AutoProjectedGradientDescent`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct ApgdParams in "apgd" {
        norm: Norm = Norm::Inf, NORMS,
            "Norm of the perturbation and of the projection ball: inf, 2 or 1.",
            "섭동과 투영 공의 노름: inf, 2 또는 1.";
        eps: f32 = 0.3, EPS,
            "Radius of the ball around the input that the perturbation stays in.",
            "섭동이 머무는, 입력 주변 공의 반지름.";
        eps_step: f32 = 0.1, STEP,
            "First step size; at each checkpoint where progress stalled, APGD halves it and restarts from the best point.",
            "처음 걸음 크기. 체크포인트에서 진전이 멈췄으면 APGD가 이를 절반으로 줄이고 가장 좋았던 점에서 다시 갑니다.";
        max_iter: usize = 100, Kind::int(1, MAX_ITER),
            "Iterations per restart; the checkpoints sit at fixed fractions of it (22%, 41%, 57%, ...).",
            "재시작마다 반복 횟수. 체크포인트는 이 값의 정해진 비율(22%, 41%, 57%, ...)에 있습니다.";
        targeted: bool = false, Kind::Bool,
            "Move towards the target class instead of away from the true label.",
            "정답 레이블에서 멀어지는 대신 목표 클래스 쪽으로 움직입니다.";
        nb_random_init: usize = 5, Kind::int(1, MAX_RANDOM_INITS),
            "Runs from random points of the ball; each run attacks only the samples not yet fooled.",
            "공 안의 무작위 점에서 시작하는 실행 횟수. 실행마다 아직 속이지 못한 샘플만 공격합니다.";
        loss_type: ApgdLoss = ApgdLoss::CrossEntropy, Kind::Choice { choices: &ApgdLoss::NAMES },
            "cross_entropy, or difference_logits_ratio (DLR: a logit margin divided by the spread of the top logits, which does not vanish when the softmax saturates).",
            "cross_entropy 또는 difference_logits_ratio(DLR: 로짓 차이를 상위 로짓의 폭으로 나눈 값으로, 소프트맥스가 포화해도 사라지지 않습니다).";
        batch_size: usize = 32, BATCH, batch_en!(), batch_ko!();
    }
}

impl CrossCheck for ApgdParams {}

described! {
    /// ART's `AutoAttack` with its standard attacks: APGD-CE, APGD-DLR, DeepFool, Square.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct AutoAttackParams in "autoattack" {
        norm: Norm = Norm::Inf, NORMS,
            "Norm of the budget of every attack in the ensemble: inf, 2 or 1 (Square is skipped for 1).",
            "앙상블의 모든 공격에 적용하는 예산의 노름: inf, 2 또는 1(1이면 Square는 건너뜁니다).";
        eps: f32 = 0.3, EPS,
            "The budget: an adversarial example counts only if its perturbation is at most eps.",
            "예산: 섭동이 eps 이하인 적대적 예제만 성공으로 칩니다.";
        eps_step: f32 = 0.1, STEP,
            "First step size of the two APGD attacks.",
            "두 APGD 공격의 처음 걸음 크기.";
        batch_size: usize = 32, BATCH, batch_en!(), batch_ko!();
    }
}

impl CrossCheck for AutoAttackParams {}

described! {
    /// ART's `SquareAttack`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct SquareParams in "square" {
        norm: Norm = Norm::Inf, Kind::Choice { choices: &["inf", "2"] },
            "Norm of the perturbation: inf or 2.",
            "섭동의 노름: inf 또는 2.";
        eps: f32 = 0.3, EPS,
            "Radius of the ball around the input that the perturbation stays in.",
            "섭동이 머무는, 입력 주변 공의 반지름.";
        max_iter: usize = 100, Kind::int(1, MAX_SQUARE_ITER),
            "Iterations per restart; each one queries the model once for every sample not yet fooled.",
            "재시작마다 반복 횟수. 반복마다 아직 속이지 못한 샘플마다 모델을 한 번 조회합니다.";
        p_init: f32 = 0.8, Kind::positive(1.0).slider(0.0, 1.0, 0.05),
            "Fraction of the pixels (features) the first random squares change; it shrinks on a fixed schedule.",
            "처음 무작위 정사각형이 바꾸는 픽셀(특성)의 비율. 정해진 일정에 따라 줄어듭니다.";
        nb_restarts: usize = 1, Kind::int(1, MAX_RANDOM_INITS),
            "Runs from the input for the samples not yet fooled.",
            "아직 속이지 못한 샘플을 입력에서 다시 시작하는 실행 횟수.";
        batch_size: usize = 128, BATCH, batch_en!(), batch_ko!();
    }
}

impl CrossCheck for SquareParams {
    /// ART requires `p_init < 1`.
    fn cross_check(&self) -> Result<(), ParamError> {
        if self.p_init >= 1.0 {
            return Err(ParamError::invalid(
                "p_init",
                self.p_init,
                crate::lang::text!("must be less than 1", "1보다 작아야 합니다"),
            ));
        }
        Ok(())
    }
}

described! {
    /// ART's `HopSkipJump`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct HopSkipJumpParams in "hopskipjump" {
        norm: Norm = Norm::L2, Kind::Choice { choices: &["2", "inf"] },
            "Norm the attack makes small: 2 or inf.",
            "공격이 작게 만드는 노름: 2 또는 inf.";
        max_iter: usize = 50, Kind::int(0, MAX_ITER),
            "Iterations: each estimates the boundary's gradient from labels alone and steps along it.",
            "반복 횟수. 반복마다 레이블만으로 결정 경계의 그래디언트를 추정하고 그 방향으로 움직입니다.";
        max_eval: usize = 10000, Kind::int(1, MAX_HSJ_EVALS),
            "Most model queries for one gradient estimate.",
            "그래디언트를 한 번 추정할 때 쓰는 모델 조회의 최대 횟수.";
        init_eval: usize = 100, Kind::int(1, MAX_HSJ_EVALS),
            "Queries for the first gradient estimate; later ones use init_eval times the square root of the iteration.",
            "첫 그래디언트 추정에 쓰는 조회 수. 그 뒤로는 init_eval에 반복 횟수의 제곱근을 곱한 만큼 씁니다.";
        init_size: usize = 100, Kind::int(1, MAX_HSJ_INIT),
            "Most random images tried to find a first adversarial starting point.",
            "처음 적대적 시작점을 찾으려고 시도하는 무작위 이미지의 최대 개수.";
        targeted: bool = false, Kind::Bool,
            "Aim for the target class instead of any class but the model's prediction.",
            "모델의 예측이 아닌 아무 클래스 대신 목표 클래스를 노립니다.";
        batch_size: usize = 64, BATCH, batch_en!(), batch_ko!();
    }
}

impl CrossCheck for HopSkipJumpParams {
    /// ART requires `init_eval <= max_eval`.
    fn cross_check(&self) -> Result<(), ParamError> {
        if self.init_eval > self.max_eval {
            return Err(ParamError::invalid(
                "init_eval",
                self.init_eval,
                crate::lang::text!(
                    "must be at most max_eval ({})",
                    "max_eval({}) 이하여야 합니다";
                    self.max_eval
                ),
            ));
        }
        Ok(())
    }
}
