//! The parameters of each attack, with ART 1.20's names and defaults, described once (kind, range,
//! default, English and Korean help) with [`described!`](crate::described).
//!
//! Main types: [`FgsmParams`], [`PgdParams`], [`JsmaParams`], [`DeepFoolParams`],
//! [`NewtonFoolParams`]. A JSON object only needs the fields it changes; a field the attack does
//! not have, or a value outside its range, is a [`ParamError`] naming it. The ranges add to ART's
//! checks an upper bound on every count and size (see [`crate::limits`]).

use serde::Serialize;

use super::norm::Norm;
use crate::described;
use crate::limits::{
    MAX_ATTACK_BATCH, MAX_ITER, MAX_MAGNITUDE, MAX_MINIMAL_STEPS, MAX_NB_GRADS, MAX_RANDOM_INITS,
};
use crate::params::{CrossCheck, Kind, ParamError};

pub(super) const NORMS: Kind = Kind::Choice {
    choices: &["inf", "2", "1"],
};
pub(super) const EPS: Kind = Kind::float(0.0, MAX_MAGNITUDE).slider(0.0, 1.0, 0.01);
pub(super) const STEP: Kind = Kind::positive(MAX_MAGNITUDE).slider(0.0, 1.0, 0.005);
pub(super) const BATCH: Kind = Kind::int(1, MAX_ATTACK_BATCH);
const INITS: Kind = Kind::int(0, MAX_RANDOM_INITS);
macro_rules! batch_en {
    () => {
        "Samples per classifier call (does not change the result)."
    };
}
macro_rules! batch_ko {
    () => {
        "분류기를 한 번 부를 때 넣는 샘플 수(결과는 바뀌지 않습니다)."
    };
}
pub(super) use {batch_en, batch_ko};

described! {
    /// ART's `FastGradientMethod`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct FgsmParams in "fgsm" {
        norm: Norm = Norm::Inf, NORMS,
            "Norm of the perturbation: inf (every feature moves by eps), 2 or 1.",
            "섭동의 노름: inf(모든 특성이 eps만큼 움직임), 2 또는 1.";
        eps: f32 = 0.3, EPS,
            "Size of the perturbation (the largest one tried when minimal).",
            "섭동의 크기(minimal일 때는 시도하는 가장 큰 크기).";
        eps_step: f32 = 0.1, STEP,
            "Step of the eps search when minimal.",
            "minimal일 때 eps를 늘려 가는 간격.";
        targeted: bool = false, Kind::Bool,
            "Move towards the target class instead of away from the true label.",
            "정답 레이블에서 멀어지는 대신 목표 클래스 쪽으로 움직입니다.";
        num_random_init: usize = 0, INITS,
            "Random starts inside the eps-ball (0: start at the input); with several, the start with the best success rate over the whole input is kept.",
            "eps 공 안의 무작위 시작점 수(0이면 입력에서 시작). 여러 개면 전체 입력에서 성공률이 가장 높은 시작점을 남깁니다.";
        minimal: bool = false, Kind::Bool,
            "Search, per sample, the smallest eps (in steps of eps_step, up to eps) that fools the model.",
            "샘플마다 모델을 속이는 가장 작은 eps를 eps_step 간격으로 eps까지 찾습니다.";
        batch_size: usize = 32, BATCH, batch_en!(), batch_ko!();
    }
}

impl CrossCheck for FgsmParams {
    /// `minimal` takes `eps / eps_step` steps: at most [`MAX_MINIMAL_STEPS`].
    fn cross_check(&self) -> Result<(), ParamError> {
        if self.minimal && f64::from(self.eps) / f64::from(self.eps_step) > MAX_MINIMAL_STEPS {
            return Err(ParamError::invalid(
                "eps_step",
                self.eps_step,
                crate::lang::text!(
                    "too small for minimal: eps / eps_step must be at most {MAX_MINIMAL_STEPS}",
                    "minimal에는 너무 작습니다: eps / eps_step은 {MAX_MINIMAL_STEPS} 이하여야 합니다"
                ),
            ));
        }
        Ok(())
    }
}

described! {
    /// ART's `ProjectedGradientDescent` (numpy version); BIM is PGD without random start.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct PgdParams in "pgd" {
        norm: Norm = Norm::Inf, NORMS,
            "Norm of the perturbation and of the projection ball: inf, 2 or 1.",
            "섭동과 투영 공의 노름: inf, 2 또는 1.";
        eps: f32 = 0.3, EPS,
            "Radius of the ball around the input that the perturbation stays in.",
            "섭동이 머무는, 입력 주변 공의 반지름.";
        eps_step: f32 = 0.1, STEP,
            "Step size of each iteration.",
            "반복마다 움직이는 걸음 크기.";
        max_iter: usize = 100, Kind::int(0, MAX_ITER),
            "Number of iterations (gradient steps).",
            "반복(그래디언트 걸음) 횟수.";
        targeted: bool = false, Kind::Bool,
            "Move towards the target class instead of away from the true label.",
            "정답 레이블에서 멀어지는 대신 목표 클래스 쪽으로 움직입니다.";
        num_random_init: usize = 0, INITS,
            "Random restarts inside the ball (0: one run from the input); a later restart replaces the first run's result on the samples where it succeeds.",
            "공 안에서 무작위로 다시 시작하는 횟수(0이면 입력에서 한 번 실행). 나중 실행이 성공한 샘플은 그 결과로 바꿉니다.";
        batch_size: usize = 32, BATCH, batch_en!(), batch_ko!();
    }
}

impl CrossCheck for PgdParams {}

described! {
    /// ART's `SaliencyMapMethod` (JSMA).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct JsmaParams in "jsma" {
        theta: f32 = 0.1, Kind::nonzero(MAX_MAGNITUDE).slider(-1.0, 1.0, 0.05),
            "Change of a chosen feature per step; its sign says whether features increase (brighter) or decrease (darker).",
            "한 걸음에 고른 특성을 바꾸는 양. 양수면 특성을 키우고(밝게), 음수면 줄입니다(어둡게).";
        gamma: f32 = 1.0, Kind::positive(1.0).slider(0.0, 1.0, 0.01),
            "Largest fraction of the features the attack may change, in (0, 1].",
            "공격이 바꿀 수 있는 특성의 최대 비율, (0, 1] 범위.";
        batch_size: usize = 1, BATCH, batch_en!(), batch_ko!();
    }
}

impl CrossCheck for JsmaParams {}

described! {
    /// ART's `DeepFool`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct DeepFoolParams in "deepfool" {
        max_iter: usize = 100, Kind::int(1, MAX_ITER),
            "Largest number of linearisation steps.",
            "선형 근사 걸음의 최대 횟수.";
        epsilon: f32 = 1e-6, Kind::float(0.0, 100.0).slider(0.0, 0.1, 0.001),
            "Overshoot, applied once at the end: x + (1 + epsilon)(x_adv - x).",
            "마지막에 한 번 더 넘어가는 비율: x + (1 + epsilon)(x_adv - x).";
        nb_grads: usize = 10, Kind::int(1, MAX_NB_GRADS),
            "Only the nb_grads highest-scoring classes (on the clean input) are candidates.",
            "깨끗한 입력에서 점수가 가장 높은 nb_grads개 클래스만 후보로 삼습니다.";
        batch_size: usize = 1, BATCH, batch_en!(), batch_ko!();
    }
}

impl CrossCheck for DeepFoolParams {}

described! {
    /// ART's `NewtonFool`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct NewtonFoolParams in "newtonfool" {
        max_iter: usize = 100, Kind::int(1, MAX_ITER),
            "Number of steps (NewtonFool always takes all of them).",
            "걸음 수(NewtonFool은 언제나 모든 걸음을 진행합니다).";
        eta: f32 = 0.01, Kind::positive(100.0).slider(0.0, 0.1, 0.001),
            "Step-size coefficient: a step lowers the predicted class's score by at most eta |x0| |grad|.",
            "걸음 크기 계수: 한 걸음은 예측 클래스의 점수를 최대 eta |x0| |grad|만큼 낮춥니다.";
        batch_size: usize = 1, BATCH, batch_en!(), batch_ko!();
    }
}

impl CrossCheck for NewtonFoolParams {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Described;

    #[test]
    fn every_field_is_described_with_its_default_and_both_languages() {
        for (specs, json) in [
            (
                FgsmParams::specs(),
                serde_json::to_value(FgsmParams::default()),
            ),
            (
                PgdParams::specs(),
                serde_json::to_value(PgdParams::default()),
            ),
            (
                JsmaParams::specs(),
                serde_json::to_value(JsmaParams::default()),
            ),
            (
                DeepFoolParams::specs(),
                serde_json::to_value(DeepFoolParams::default()),
            ),
            (
                NewtonFoolParams::specs(),
                serde_json::to_value(NewtonFoolParams::default()),
            ),
        ] {
            let json = crate::params::tidy_json(json.unwrap());
            let obj = json.as_object().unwrap();
            assert_eq!(obj.len(), specs.len());
            for s in &specs {
                assert_eq!(obj[s.name], s.default, "{}", s.name);
                assert!(!s.help.en.is_empty() && !s.help.ko.is_empty(), "{}", s.name);
            }
        }
        assert!(FgsmParams::default().check().is_ok());
    }

    #[test]
    fn json_decodes_through_the_checks() {
        let p: PgdParams = serde_json::from_str(r#"{"eps": 0.1, "norm": 2}"#).unwrap();
        assert_eq!((p.norm, p.eps, p.max_iter), (Norm::L2, 0.1, 100));
        let e = serde_json::from_str::<PgdParams>(r#"{"max_iter": 1e20}"#).unwrap_err();
        assert!(e.to_string().contains("max_iter = 1e20"), "{e}");
        let e = serde_json::from_str::<PgdParams>(r#"{"theta": 1}"#).unwrap_err();
        assert!(
            e.to_string().contains("pgd has no parameter \"theta\""),
            "{e}"
        );
        let e = FgsmParams::from_fields(&[
            ("minimal".into(), crate::params::Raw::Bool(true)),
            ("eps_step".into(), crate::params::Raw::Float(1e-7)),
        ])
        .unwrap_err();
        assert_eq!(e.field(), Some("eps_step"));
    }
}
