//! The parameters of each attack, with ART 1.20's names and defaults, and their validation.
//!
//! Main types: [`FgsmParams`], [`PgdParams`], [`JsmaParams`], [`DeepFoolParams`],
//! [`NewtonFoolParams`]. Every struct deserialises with `#[serde(default)]`, so a JSON object only
//! needs the fields it changes.

use super::error::AttackError;
use super::norm::Norm;
use serde::{Deserialize, Serialize};

/// The most eps steps FGSM's `minimal` search may take (`eps / eps_step`), so a typo cannot hang it.
pub const MAX_MINIMAL_STEPS: f32 = 100_000.0;

fn check_batch_size(batch_size: usize) -> Result<(), AttackError> {
    if batch_size == 0 {
        return Err(AttackError::invalid(
            "batch_size",
            batch_size,
            "must be positive",
        ));
    }
    Ok(())
}

fn check_eps(eps: f32, eps_step: f32) -> Result<(), AttackError> {
    if !eps.is_finite() || eps < 0.0 {
        return Err(AttackError::invalid(
            "eps",
            eps,
            "must be finite and non-negative",
        ));
    }
    if !eps_step.is_finite() || eps_step <= 0.0 {
        return Err(AttackError::invalid(
            "eps_step",
            eps_step,
            "must be finite and positive",
        ));
    }
    Ok(())
}

/// ART's `FastGradientMethod`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FgsmParams {
    /// Norm of the perturbation.
    pub norm: Norm,
    /// Size of the perturbation (the maximum one when `minimal`).
    pub eps: f32,
    /// Step of the eps search when `minimal`.
    pub eps_step: f32,
    /// Move towards the given classes instead of away from the labels.
    pub targeted: bool,
    /// Random starts inside the eps-ball (0: start at the input); with more than one, the run with
    /// the best success rate over the whole input is kept.
    pub num_random_init: usize,
    /// Search the smallest eps (in steps of `eps_step`, up to `eps`) that succeeds, per sample.
    pub minimal: bool,
    /// Samples per classifier call.
    pub batch_size: usize,
}

impl Default for FgsmParams {
    fn default() -> Self {
        FgsmParams {
            norm: Norm::Inf,
            eps: 0.3,
            eps_step: 0.1,
            targeted: false,
            num_random_init: 0,
            minimal: false,
            batch_size: 32,
        }
    }
}

impl FgsmParams {
    /// Checks the ranges ART checks, plus a bound on the number of `minimal` steps.
    pub fn validate(&self) -> Result<(), AttackError> {
        check_eps(self.eps, self.eps_step)?;
        check_batch_size(self.batch_size)?;
        if self.minimal && self.eps / self.eps_step > MAX_MINIMAL_STEPS {
            return Err(AttackError::invalid(
                "eps_step",
                self.eps_step,
                "too small for `minimal`: eps / eps_step must be at most 100000",
            ));
        }
        Ok(())
    }
}

/// ART's `ProjectedGradientDescent` (numpy version); BIM is PGD without random start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PgdParams {
    /// Norm of the perturbation and of the projection ball.
    pub norm: Norm,
    /// Radius of the ball around the input.
    pub eps: f32,
    /// Step size of each iteration.
    pub eps_step: f32,
    /// Number of iterations.
    pub max_iter: usize,
    /// Move towards the given classes instead of away from the labels.
    pub targeted: bool,
    /// Random restarts inside the ball (0: one run from the input); per sample, a later restart's
    /// result replaces the first one's when it succeeds.
    pub num_random_init: usize,
    /// Samples per classifier call.
    pub batch_size: usize,
}

impl Default for PgdParams {
    fn default() -> Self {
        PgdParams {
            norm: Norm::Inf,
            eps: 0.3,
            eps_step: 0.1,
            max_iter: 100,
            targeted: false,
            num_random_init: 0,
            batch_size: 32,
        }
    }
}

impl PgdParams {
    /// Checks the ranges ART checks.
    pub fn validate(&self) -> Result<(), AttackError> {
        check_eps(self.eps, self.eps_step)?;
        check_batch_size(self.batch_size)
    }
}

/// ART's `SaliencyMapMethod` (JSMA).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JsmaParams {
    /// Change of a chosen feature per step; its sign says whether features increase or decrease.
    pub theta: f32,
    /// Largest fraction of the features the attack may use, in `(0, 1]`.
    pub gamma: f32,
    /// Samples per classifier call.
    pub batch_size: usize,
}

impl Default for JsmaParams {
    fn default() -> Self {
        JsmaParams {
            theta: 0.1,
            gamma: 1.0,
            batch_size: 1,
        }
    }
}

impl JsmaParams {
    /// ART's checks, plus a finite non-zero `theta` (zero would never end).
    pub fn validate(&self) -> Result<(), AttackError> {
        if !self.theta.is_finite() || self.theta == 0.0 {
            return Err(AttackError::invalid(
                "theta",
                self.theta,
                "must be finite and non-zero",
            ));
        }
        if !(self.gamma > 0.0 && self.gamma <= 1.0) {
            return Err(AttackError::invalid(
                "gamma",
                self.gamma,
                "must be in (0, 1]",
            ));
        }
        check_batch_size(self.batch_size)
    }
}

/// ART's `DeepFool`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeepFoolParams {
    /// Largest number of linearisation steps.
    pub max_iter: usize,
    /// Overshoot, applied once at the end: `x + (1 + epsilon) (x_adv - x)`.
    pub epsilon: f32,
    /// Only the `nb_grads` highest-scoring classes (on the clean input) are candidates.
    pub nb_grads: usize,
    /// Samples per classifier call.
    pub batch_size: usize,
}

impl Default for DeepFoolParams {
    fn default() -> Self {
        DeepFoolParams {
            max_iter: 100,
            epsilon: 1e-6,
            nb_grads: 10,
            batch_size: 1,
        }
    }
}

impl DeepFoolParams {
    /// Checks the ranges ART checks.
    pub fn validate(&self) -> Result<(), AttackError> {
        if self.max_iter == 0 {
            return Err(AttackError::invalid(
                "max_iter",
                self.max_iter,
                "must be positive",
            ));
        }
        if self.nb_grads == 0 {
            return Err(AttackError::invalid(
                "nb_grads",
                self.nb_grads,
                "must be positive",
            ));
        }
        if !self.epsilon.is_finite() || self.epsilon < 0.0 {
            return Err(AttackError::invalid(
                "epsilon",
                self.epsilon,
                "must be finite and non-negative",
            ));
        }
        check_batch_size(self.batch_size)
    }
}

/// ART's `NewtonFool`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewtonFoolParams {
    /// Number of steps (NewtonFool always takes all of them).
    pub max_iter: usize,
    /// Step-size coefficient: a step lowers the score by at most `eta * |x0| * |grad|`.
    pub eta: f32,
    /// Samples per classifier call.
    pub batch_size: usize,
}

impl Default for NewtonFoolParams {
    fn default() -> Self {
        NewtonFoolParams {
            max_iter: 100,
            eta: 0.01,
            batch_size: 1,
        }
    }
}

impl NewtonFoolParams {
    /// Checks the ranges ART checks.
    pub fn validate(&self) -> Result<(), AttackError> {
        if self.max_iter == 0 {
            return Err(AttackError::invalid(
                "max_iter",
                self.max_iter,
                "must be positive",
            ));
        }
        if !self.eta.is_finite() || self.eta <= 0.0 {
            return Err(AttackError::invalid(
                "eta",
                self.eta,
                "must be finite and positive",
            ));
        }
        check_batch_size(self.batch_size)
    }
}
