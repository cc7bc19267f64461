//! [`Model`]: a Keras-like sequential network built from a [`ModelSpec`], with named weight
//! tensors in `ModelSpec::expected_tensors` order, an optimiser and a seeded dropout generator.
//! The [`crate::classifier::Classifier`] implementation lives in `model_classifier.rs`.

use super::error::NnError;
use super::layers::{Layer, Node};
use super::model_build::{build_nodes, Init};
use super::optim::{OptimizerConfig, OptimizerState};
use super::param::{init_kernel, Param};
use super::spec::{LayerSpec, ModelSpec, SpecError};
use crate::lang::text;
use ndarray::ArrayView2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// A sequential network: spec, layers, optimiser and dropout randomness.
#[derive(Debug, Clone)]
pub struct Model {
    pub(super) spec: ModelSpec,
    pub(super) nodes: Vec<Node>,
    pub(super) optimizer: OptimizerConfig,
    pub(super) state: OptimizerState,
    pub(super) rng: ChaCha8Rng,
    /// The model ends in a softmax node (outputs probabilities).
    pub(super) probs: bool,
}

/// Offset between the weight-initialisation stream and the dropout stream of one seed.
const DROPOUT_STREAM: u64 = 0x9E37_79B9_7F4A_7C15;

impl Model {
    /// A model with fresh Keras-initialised weights (kernels by their initialiser, biases and
    /// beta zero, gamma one, moving statistics 0/1) and Adam(0.001).
    pub fn new(spec: ModelSpec, seed: u64) -> Result<Model, NnError> {
        check_regularizers(&spec)?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let nodes = build_nodes(&spec, &mut |_, shape: &[usize], init| {
            let n = shape.iter().product();
            match init {
                Init::Kernel(i, fan_in, fan_out) => init_kernel(i, n, fan_in, fan_out, &mut rng),
                Init::Zeros => vec![0.0; n],
                Init::Ones => vec![1.0; n],
            }
        })?;
        Ok(Model::assemble(spec, nodes, seed))
    }

    fn assemble(spec: ModelSpec, nodes: Vec<Node>, seed: u64) -> Model {
        let probs = matches!(nodes.last(), Some(Node::Softmax(_)));
        Model {
            spec,
            nodes,
            optimizer: OptimizerConfig::adam(0.001),
            state: OptimizerState::default(),
            rng: ChaCha8Rng::seed_from_u64(seed ^ DROPOUT_STREAM),
            probs,
        }
    }

    /// Builds a model from a spec and named tensors `name -> (shape, row-major values)`. Every
    /// expected tensor must be present with the exact shape and finite values (moving variances
    /// non-negative); extra tensors are an error. The dropout seed is 0 (see [`Model::set_seed`]).
    pub fn from_tensors(
        spec: ModelSpec,
        tensors: &HashMap<String, (Vec<usize>, Vec<f32>)>,
    ) -> Result<Model, NnError> {
        check_regularizers(&spec)?;
        let expected = spec.expected_tensors()?;
        let mut extra: Vec<_> = tensors
            .keys()
            .filter(|k| !expected.iter().any(|(n, _)| n == *k))
            .collect();
        extra.sort();
        if let Some(name) = extra.first() {
            let shape = tensors[*name].0.clone();
            return Err(NnError::UnexpectedTensor {
                name: (*name).clone(),
                shape,
            });
        }
        for (name, shape) in &expected {
            check_tensor(name, shape, tensors.get(name))?;
        }
        let nodes = build_nodes(&spec, &mut |name, _, _| tensors[name].1.clone())?;
        Ok(Model::assemble(spec, nodes, 0))
    }

    /// The model's description.
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// Validates and installs an optimiser, resetting its moment buffers.
    pub fn set_optimizer(&mut self, opt: OptimizerConfig) -> Result<(), NnError> {
        opt.validate()?;
        self.optimizer = opt;
        self.state = OptimizerState::default();
        Ok(())
    }

    /// The current optimiser.
    pub fn optimizer(&self) -> OptimizerConfig {
        self.optimizer
    }

    /// Reseeds the dropout generator.
    pub fn set_seed(&mut self, seed: u64) {
        self.rng = ChaCha8Rng::seed_from_u64(seed ^ DROPOUT_STREAM);
    }

    /// All weights in [`ModelSpec::expected_tensors`] order: `(name, shape, row-major data)`.
    pub fn tensors(&self) -> Vec<(String, Vec<usize>, Vec<f32>)> {
        self.params()
            .map(|p| (p.name.clone(), p.shape.clone(), p.value.clone()))
            .collect()
    }

    /// Number of stored values, trainable or not (batchnorm moving statistics included, as
    /// Keras' "total params").
    pub fn num_params(&self) -> usize {
        self.params().map(|p| p.value.len()).sum()
    }

    /// Checks that a batch has the model's sample width. The [`crate::classifier::Classifier`]
    /// methods assume it (they panic on a wrong width), so callers feeding user data check first.
    pub fn check_input(&self, x: ArrayView2<f32>) -> Result<(), NnError> {
        let expected: usize = self.spec.input_shape.iter().product();
        if x.ncols() != expected {
            return Err(NnError::InputWidth {
                got: x.ncols(),
                expected,
                shape: self.spec.input_shape.clone(),
            });
        }
        Ok(())
    }

    /// [`Model::check_input`] plus one label per sample, each below the number of classes.
    pub fn check_batch(&self, x: ArrayView2<f32>, y: &[usize]) -> Result<(), NnError> {
        self.check_input(x)?;
        if y.len() != x.nrows() {
            let (labels, samples) = (y.len(), x.nrows());
            return Err(NnError::Labels(text!(
                "{labels} labels for {samples} samples",
                "샘플 {samples}개에 레이블이 {labels}개입니다"
            )));
        }
        let c = self.spec.labels.len();
        match y.iter().find(|&&t| t >= c) {
            Some(t) => Err(NnError::Labels(text!(
                "label {t} is not below {c} classes",
                "레이블 {t}: 클래스 수 {c}보다 작아야 합니다"
            ))),
            None => Ok(()),
        }
    }

    pub(super) fn params(&self) -> impl Iterator<Item = &Param> {
        self.nodes.iter().flat_map(|n| n.params().iter())
    }
}

fn check_tensor(
    name: &str,
    shape: &[usize],
    got: Option<&(Vec<usize>, Vec<f32>)>,
) -> Result<(), NnError> {
    let Some((got_shape, data)) = got else {
        return Err(NnError::MissingTensor {
            name: name.into(),
            expected: shape.to_vec(),
        });
    };
    if got_shape != shape || data.len() != shape.iter().product::<usize>() {
        return Err(NnError::TensorShape {
            name: name.into(),
            expected: shape.to_vec(),
            got: got_shape.clone(),
            len: data.len(),
        });
    }
    if let Some((index, &value)) = data.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(NnError::NonFinite {
            name: name.into(),
            index,
            value,
        });
    }
    if name.ends_with(".moving_variance") {
        if let Some((index, &value)) = data.iter().enumerate().find(|(_, v)| **v < 0.0) {
            return Err(NnError::NegativeVariance {
                name: name.into(),
                index,
                value,
            });
        }
    }
    Ok(())
}

/// Kernel penalties must be finite and non-negative.
fn check_regularizers(spec: &ModelSpec) -> Result<(), NnError> {
    for (index, layer) in spec.layers.iter().enumerate() {
        if let LayerSpec::Dense {
            kernel_regularizer: Some(r),
            ..
        }
        | LayerSpec::Conv2d {
            kernel_regularizer: Some(r),
            ..
        } = layer
        {
            let ok = |v: f32| v.is_finite() && v >= 0.0;
            if !ok(r.l1) || !ok(r.l2) {
                return Err(SpecError::Layer {
                    index,
                    kind: layer.kind(),
                    reason: text!(
                        "kernel_regularizer must be finite and >= 0, got l1 {} l2 {}",
                        "kernel_regularizer는 유한하고 0 이상이어야 합니다. 받은 값: l1 {} l2 {}";
                        r.l1, r.l2
                    ),
                }
                .into());
            }
        }
    }
    Ok(())
}
