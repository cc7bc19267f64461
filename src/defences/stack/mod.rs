//! Defence stacks: pre-processors, the model, post-processors and optionally a detector, seen by
//! the attacks as one classifier, and the adaptive view that decides how attacks take gradients
//! through it.
//!
//! Main types: [`StackConfig`] (JSON `{"pieces": [{"method": "feature-squeezing", "bit_depth": 1},
//! ...]}`: pre-processors run in list order before the model, post-processors in list order
//! after it), [`StackPiece`], [`Stage`], [`AdaptiveSettings`] and [`Adaptive`] (how an attack
//! differentiates the stack), and [`Stack`], which implements [`crate::classifier::Classifier`].
//!
//! The three gradient modes (`adaptive`):
//! - `none`: naive, gradients through every piece as if each were differentiable: squeezing and
//!   rounding give zero, the median routes to the selected pixels, reverse sigmoid misleads. This
//!   is what makes a gradient-masking defence look strong.
//! - `bpda`: Backward Pass Differentiable Approximation (Athalye, Carlini and Wagner 2018): the
//!   non-differentiable pre-processors pass the gradient through as the identity, and gradients
//!   are taken before the post-processors (on the model's own probabilities).
//! - `eot`: BPDA, with every gradient averaged over `eot_samples` draws of the randomised pieces
//!   (Expectation over Transformation); one draw when no piece is random.
//!
//! With `detector_aware`, the loss an attack ascends is the classifier's plus the detector's
//! loss for the label "adversarial", so it also pushes the detector's score down.
//!
//! Files: `piece.rs`, `adaptive.rs`, `classifier.rs` (the trait implementation and its
//! gradient paths), `passes.rs` (each piece's forward and backward passes), `file.rs` (model files with their stack and detector), `tests.rs`.

mod adaptive;
mod classifier;
pub mod file;
mod passes;
mod piece;

#[cfg(test)]
mod tests;

use std::cell::RefCell;

use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

pub use adaptive::{Adaptive, AdaptiveSettings};
pub use file::{load_stacked, save_stacked, StackedModel};
pub use piece::{ClassLabelsParams, StackPiece, Stage};

use super::detector::BinaryInputDetector;
use crate::classifier::Classifier;
use crate::lang::{text, Text};
use crate::limits::MAX_STACK_PIECES;
use crate::params::{ParamError, Raw};

/// Which pieces a stack has, in order (see the module documentation).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct StackConfig {
    /// Pre- and post-processors; each stage keeps its relative order.
    pub pieces: Vec<StackPiece>,
}

/// Why a stack is too long.
fn too_many_pieces() -> Text {
    text!(
        "a stack has at most {MAX_STACK_PIECES} pieces",
        "스택에는 조각이 최대 {MAX_STACK_PIECES}개까지 들어갑니다"
    )
}

impl StackConfig {
    /// Whether the stack has no piece.
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Checks every piece and the count.
    pub fn check(&self) -> Result<(), ParamError> {
        if self.pieces.len() > MAX_STACK_PIECES {
            return Err(ParamError::invalid(
                "pieces",
                format!("{} pieces", self.pieces.len()),
                too_many_pieces(),
            ));
        }
        self.pieces.iter().try_for_each(StackPiece::check)
    }

    /// The stack from a raw object `{"pieces": [...]}`, checked.
    pub fn from_raw(raw: &Raw) -> Result<StackConfig, ParamError> {
        let Raw::Map(fields) = raw else {
            return Err(ParamError::NotAnObject {
                group: "stack".into(),
                value: raw.show(),
            });
        };
        let mut cfg = StackConfig::default();
        for (k, v) in fields {
            match (k.as_str(), v) {
                ("pieces", Raw::Seq(items)) => {
                    if items.len() > MAX_STACK_PIECES {
                        return Err(ParamError::invalid(
                            "pieces",
                            format!("{} pieces", items.len()),
                            too_many_pieces(),
                        ));
                    }
                    cfg.pieces = items
                        .iter()
                        .map(StackPiece::from_raw)
                        .collect::<Result<_, _>>()?;
                }
                ("pieces", other) => {
                    return Err(ParamError::invalid(
                        "pieces",
                        other.show(),
                        text!(
                            "must be a list of pre- and post-processors such as {{\"method\": \"feature-squeezing\"}}",
                            "{{\"method\": \"feature-squeezing\"}} 같은 전처리와 후처리의 목록이어야 합니다"
                        ),
                    ))
                }
                (other, _) => {
                    return Err(ParamError::Unknown {
                        group: "stack".into(),
                        name: Raw::clip(other, 40),
                        known: "pieces".into(),
                    })
                }
            }
        }
        cfg.check()?;
        Ok(cfg)
    }

    /// The pre-processors, in order.
    pub fn pre(&self) -> Vec<StackPiece> {
        self.of(Stage::Pre)
    }

    /// The post-processors, in order.
    pub fn post(&self) -> Vec<StackPiece> {
        self.of(Stage::Post)
    }

    fn of(&self, stage: Stage) -> Vec<StackPiece> {
        self.pieces
            .iter()
            .filter(|p| p.stage() == stage)
            .cloned()
            .collect()
    }
}

impl<'de> serde::Deserialize<'de> for StackConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Raw::deserialize(d)?;
        StackConfig::from_raw(&raw).map_err(crate::params::decode::fail::<D::Error>)
    }
}

/// A model behind its defence stack, as one classifier (see the module documentation).
#[derive(Debug, Clone)]
pub struct Stack<C> {
    model: C,
    config: StackConfig,
    pre: Vec<StackPiece>,
    post: Vec<StackPiece>,
    adaptive: AdaptiveSettings,
    detector: Option<BinaryInputDetector>,
    rng: RefCell<ChaCha8Rng>,
}

impl<C: Classifier> Stack<C> {
    /// `model` behind the pieces of `config` (checked, and against the model's input shape); the
    /// randomised pieces draw from a generator seeded with `seed`. Gradients are naive until
    /// [`Stack::set_adaptive`].
    pub fn new(model: C, config: &StackConfig, seed: u64) -> Result<Stack<C>, ParamError> {
        config.check()?;
        for p in &config.pieces {
            p.check_shape(model.input_shape())?;
        }
        Ok(Stack {
            model,
            config: config.clone(),
            pre: config.pre(),
            post: config.post(),
            adaptive: AdaptiveSettings::default(),
            detector: None,
            rng: RefCell::new(ChaCha8Rng::seed_from_u64(seed)),
        })
    }

    /// The model without a stack.
    pub fn plain(model: C) -> Stack<C> {
        Stack {
            model,
            config: StackConfig::default(),
            pre: Vec::new(),
            post: Vec::new(),
            adaptive: AdaptiveSettings::default(),
            detector: None,
            rng: RefCell::new(ChaCha8Rng::seed_from_u64(0)),
        }
    }

    /// How attacks take gradients through the stack.
    pub fn set_adaptive(&mut self, adaptive: AdaptiveSettings) {
        self.adaptive = adaptive;
    }

    /// The adaptive settings.
    pub fn adaptive(&self) -> &AdaptiveSettings {
        &self.adaptive
    }

    /// Reseeds the randomised pieces.
    pub fn reseed(&mut self, seed: u64) {
        self.rng = RefCell::new(ChaCha8Rng::seed_from_u64(seed));
    }

    /// Sets or removes the detector.
    pub fn set_detector(&mut self, detector: Option<BinaryInputDetector>) {
        self.detector = detector;
    }

    /// The detector, if any.
    pub fn detector(&self) -> Option<&BinaryInputDetector> {
        self.detector.as_ref()
    }

    /// The stack's pieces.
    pub fn config(&self) -> &StackConfig {
        &self.config
    }

    /// The model.
    pub fn model(&self) -> &C {
        &self.model
    }

    /// The model, mutably.
    pub fn model_mut(&mut self) -> &mut C {
        &mut self.model
    }

    /// The model, taken out of the stack.
    pub fn into_model(self) -> C {
        self.model
    }

    /// The detector's score (probability of "adversarial") for every sample, when there is one.
    pub fn detector_scores(&self, x: ArrayView2<f32>) -> Option<Vec<f32>> {
        self.detector.as_ref().map(|d| d.scores(x))
    }

    /// The inputs after every pre-processor: `[x, after the first, ...]` (fresh randomness).
    fn pre_forward(&self, x: ArrayView2<f32>) -> Vec<Array2<f32>> {
        let clip = self.model.clip_values();
        let shape = self.model.input_shape().to_vec();
        let mut rng = self.rng.borrow_mut();
        let mut xs = vec![x.to_owned()];
        for piece in &self.pre {
            let last = xs.last().expect("starts with x").view();
            let next = match piece {
                StackPiece::FeatureSqueezing(p) => p.apply(last, clip),
                StackPiece::SpatialSmoothing(p) => {
                    p.apply(last, &shape).unwrap_or_else(|_| last.to_owned())
                }
                StackPiece::GaussianAugmentation(p) => p.apply(last, clip, &mut rng),
                _ => last.to_owned(),
            };
            xs.push(next);
        }
        xs
    }

    /// Whether some pre-processor draws randomness (EOT then averages over draws).
    fn pre_is_random(&self) -> bool {
        self.pre.iter().any(StackPiece::is_random)
    }
}
