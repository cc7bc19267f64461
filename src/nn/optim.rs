//! Optimisers with Keras update rules: [`OptimizerConfig`] (Adam, SGD with momentum; serde-tagged
//! for the worker protocol) and [`OptimizerState`] (moment buffers, one per trainable tensor).

use super::error::NnError;
use super::param::Param;
use crate::lang::{text, Text};
use serde::{Deserialize, Serialize};

/// An optimiser and its hyper-parameters.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OptimizerConfig {
    /// Keras Adam: `α_t = lr·sqrt(1 − β₂ᵗ)/(1 − β₁ᵗ)`, `w −= α_t·m/(sqrt(v) + ε)`.
    Adam {
        /// Step size.
        learning_rate: f32,
        /// First-moment decay.
        beta_1: f32,
        /// Second-moment decay.
        beta_2: f32,
        /// Added to `sqrt(v)`.
        epsilon: f32,
    },
    /// Keras SGD: `v = momentum·v − lr·g; w += v` (plain `w −= lr·g` when momentum is 0).
    Sgd {
        /// Step size.
        learning_rate: f32,
        /// Velocity decay in `[0, 1)`.
        momentum: f32,
    },
}

impl OptimizerConfig {
    /// Adam with Keras defaults (β₁ 0.9, β₂ 0.999, ε 1e-7).
    pub fn adam(learning_rate: f32) -> OptimizerConfig {
        OptimizerConfig::Adam {
            learning_rate,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
        }
    }

    /// SGD with momentum.
    pub fn sgd(learning_rate: f32, momentum: f32) -> OptimizerConfig {
        OptimizerConfig::Sgd {
            learning_rate,
            momentum,
        }
    }

    /// The step size.
    pub fn learning_rate(&self) -> f32 {
        match *self {
            OptimizerConfig::Adam { learning_rate, .. }
            | OptimizerConfig::Sgd { learning_rate, .. } => learning_rate,
        }
    }

    /// The same optimiser with another step size, its other hyper-parameters kept.
    pub fn with_learning_rate(mut self, lr: f32) -> OptimizerConfig {
        match &mut self {
            OptimizerConfig::Adam { learning_rate, .. }
            | OptimizerConfig::Sgd { learning_rate, .. } => *learning_rate = lr,
        }
        self
    }

    /// Checks every hyper-parameter's range, naming the bad one.
    pub fn validate(&self) -> Result<(), NnError> {
        let bad = |what: &str, v: f32, range: Text| {
            let (range, must) = (range.en, range.ko);
            Err(NnError::Optimizer(text!(
                "{what} must be {range}, got {v}",
                "{what}: {must}. 받은 값: {v}"
            )))
        };
        let unit = || text!("in [0, 1)", "[0, 1) 범위여야 합니다");
        let positive = || text!("finite and > 0", "유한하고 0보다 커야 합니다");
        let lr = match *self {
            OptimizerConfig::Adam {
                learning_rate,
                beta_1,
                beta_2,
                epsilon,
            } => {
                for (name, b) in [("beta_1", beta_1), ("beta_2", beta_2)] {
                    if !(0.0..1.0).contains(&b) {
                        return bad(name, b, unit());
                    }
                }
                if !(epsilon > 0.0 && epsilon.is_finite()) {
                    return bad("epsilon", epsilon, positive());
                }
                learning_rate
            }
            OptimizerConfig::Sgd {
                learning_rate,
                momentum,
            } => {
                if !(0.0..1.0).contains(&momentum) {
                    return bad("momentum", momentum, unit());
                }
                learning_rate
            }
        };
        if !(lr > 0.0 && lr.is_finite()) {
            return bad("learning_rate", lr, positive());
        }
        Ok(())
    }
}

/// Moment buffers of an optimiser, lazily sized to the trainable tensors.
#[derive(Debug, Clone, Default)]
pub struct OptimizerState {
    step: u32,
    first: Vec<Vec<f32>>,
    second: Vec<Vec<f32>>,
}

impl OptimizerState {
    /// Applies one update to every trainable tensor from its `grad`.
    pub fn step<'a>(&mut self, cfg: &OptimizerConfig, params: impl Iterator<Item = &'a mut Param>) {
        self.step += 1;
        let t = self.step as i32;
        for (k, p) in params.filter(|p| p.is_trainable()).enumerate() {
            if self.first.len() <= k {
                self.first.push(vec![0.0; p.value.len()]);
                self.second.push(vec![0.0; p.value.len()]);
            }
            let m = &mut self.first[k];
            match *cfg {
                OptimizerConfig::Adam {
                    learning_rate,
                    beta_1,
                    beta_2,
                    epsilon,
                } => {
                    let v = &mut self.second[k];
                    let alpha =
                        learning_rate * (1.0 - beta_2.powi(t)).sqrt() / (1.0 - beta_1.powi(t));
                    let moments = m.iter_mut().zip(v.iter_mut());
                    for ((w, &g), (m, v)) in p.value.iter_mut().zip(&p.grad).zip(moments) {
                        *m += (g - *m) * (1.0 - beta_1);
                        *v += (g * g - *v) * (1.0 - beta_2);
                        *w -= alpha * *m / (v.sqrt() + epsilon);
                    }
                }
                OptimizerConfig::Sgd {
                    learning_rate,
                    momentum,
                } => {
                    for ((w, &g), m) in p.value.iter_mut().zip(&p.grad).zip(m.iter_mut()) {
                        *m = momentum * *m - learning_rate * g;
                        *w += *m;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(v: f32, g: f32) -> Param {
        let mut p = Param::trainable("w".into(), vec![1], vec![v]);
        p.grad[0] = g;
        p
    }

    #[test]
    fn a_new_learning_rate_keeps_the_other_hyper_parameters() {
        let sgd = OptimizerConfig::sgd(0.1, 0.9).with_learning_rate(0.5);
        assert_eq!(sgd, OptimizerConfig::sgd(0.5, 0.9));
        let adam = OptimizerConfig::Adam {
            learning_rate: 0.1,
            beta_1: 0.8,
            beta_2: 0.95,
            epsilon: 1e-5,
        };
        match adam.with_learning_rate(0.02) {
            OptimizerConfig::Adam {
                learning_rate,
                beta_1,
                beta_2,
                epsilon,
            } => {
                assert_eq!(
                    (learning_rate, beta_1, beta_2, epsilon),
                    (0.02, 0.8, 0.95, 1e-5)
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(adam.learning_rate(), 0.1);
    }

    #[test]
    fn adam_first_step_moves_by_the_learning_rate() {
        let mut p = param(1.0, 0.5);
        let mut s = OptimizerState::default();
        s.step(&OptimizerConfig::adam(0.01), std::iter::once(&mut p));
        assert!((p.value[0] - 0.99).abs() < 1e-6, "{}", p.value[0]);
        p.grad[0] = 0.5;
        s.step(&OptimizerConfig::adam(0.01), std::iter::once(&mut p));
        assert!((p.value[0] - 0.98).abs() < 1e-5, "{}", p.value[0]);
    }

    #[test]
    fn sgd_momentum_accumulates_velocity() {
        let mut p = param(1.0, 1.0);
        let mut s = OptimizerState::default();
        let cfg = OptimizerConfig::sgd(0.1, 0.9);
        s.step(&cfg, std::iter::once(&mut p));
        s.step(&cfg, std::iter::once(&mut p));
        // v1 = -0.1, v2 = -0.09 - 0.1
        assert!((p.value[0] - (1.0 - 0.1 - 0.19)).abs() < 1e-6);
    }

    #[test]
    fn validation_names_the_bad_value_and_serde_round_trips() {
        let e = OptimizerConfig::sgd(0.1, 1.5)
            .validate()
            .unwrap_err()
            .to_string();
        assert!(e.contains("momentum") && e.contains("1.5"), "{e}");
        let e = OptimizerConfig::adam(-1.0)
            .validate()
            .unwrap_err()
            .to_string();
        assert!(e.contains("learning_rate") && e.contains("-1"), "{e}");
        assert!(OptimizerConfig::adam(0.001).validate().is_ok());
        let json = serde_json::to_string(&OptimizerConfig::adam(0.5)).unwrap();
        assert!(json.contains("\"type\":\"adam\""), "{json}");
        let back: OptimizerConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, OptimizerConfig::adam(0.5));
    }
}
