//! Turning a [`ModelSpec`] into layer [`Node`]s: fused activations become their own nodes and
//! every tensor comes from a [`TensorSource`] (fresh Keras initialisation, or loaded values).

use super::layers::{BatchNorm, Conv2d, ConvGeom, Dense, Dropout, Flatten, MaxPool2d, Node};
use super::layers::{Relu, Softmax};
use super::param::Param;
use super::spec::{Activation, Initializer, LayerSpec, ModelSpec, Regularizer, SpecError};

/// How a tensor is initialised when training from scratch.
#[derive(Debug, Clone, Copy)]
pub enum Init {
    /// A kernel with its initialiser and fans.
    Kernel(Initializer, usize, usize),
    /// All zeros (biases, beta, moving mean).
    Zeros,
    /// All ones (gamma, moving variance).
    Ones,
}

/// Supplies the values of the tensor `name` with `shape`.
pub type TensorSource<'a> = dyn FnMut(&str, &[usize], Init) -> Vec<f32> + 'a;

/// Builds the nodes of `spec` (already validated by `layer_shapes`).
pub fn build_nodes(
    spec: &ModelSpec,
    source: &mut TensorSource<'_>,
) -> Result<Vec<Node>, SpecError> {
    let shapes = spec.layer_shapes()?;
    let mut nodes = Vec::with_capacity(spec.layers.len() + 2);
    for (i, layer) in spec.layers.iter().enumerate() {
        let input = if i == 0 {
            &spec.input_shape
        } else {
            &shapes[i - 1]
        };
        let mut tensor = |suffix: &str, shape: Vec<usize>, init: Init, trainable: bool| {
            let name = format!("layers.{i}.{suffix}");
            let value = source(&name, &shape, init);
            if trainable {
                Param::trainable(name, shape, value)
            } else {
                Param::frozen(name, shape, value)
            }
        };
        match layer {
            LayerSpec::Dense {
                units,
                kernel_initializer: ki,
                kernel_regularizer: reg,
                ..
            } => {
                let n_in = input[0];
                let kernel = tensor(
                    "kernel",
                    vec![n_in, *units],
                    Init::Kernel(*ki, n_in, *units),
                    true,
                );
                let bias = tensor("bias", vec![*units], Init::Zeros, true);
                nodes.push(Node::Dense(Dense::new(with_reg(kernel, *reg), bias)));
            }
            LayerSpec::Conv2d {
                filters,
                kernel_size: k,
                strides,
                padding,
                kernel_initializer: ki,
                kernel_regularizer: reg,
                ..
            } => {
                let c = input[2];
                let geom = ConvGeom::new([input[0], input[1], c], *k, *filters, *strides, *padding);
                let (fan_in, fan_out) = (k[0] * k[1] * c, k[0] * k[1] * filters);
                let shape = vec![k[0], k[1], c, *filters];
                let kernel = tensor("kernel", shape, Init::Kernel(*ki, fan_in, fan_out), true);
                let bias = tensor("bias", vec![*filters], Init::Zeros, true);
                nodes.push(Node::Conv2d(Conv2d::new(
                    geom,
                    with_reg(kernel, *reg),
                    bias,
                )));
            }
            LayerSpec::Maxpool2d { pool_size, strides } => {
                let s = strides.unwrap_or(*pool_size);
                nodes.push(Node::MaxPool2d(MaxPool2d::new(
                    [input[0], input[1], input[2]],
                    *pool_size,
                    s,
                )));
            }
            LayerSpec::Flatten => nodes.push(Node::Flatten(Flatten)),
            LayerSpec::Relu => nodes.push(Node::Relu(Relu::default())),
            LayerSpec::Softmax => nodes.push(Node::Softmax(Softmax::default())),
            LayerSpec::Dropout { rate } => nodes.push(Node::Dropout(Dropout::new(*rate))),
            LayerSpec::Batchnorm { epsilon, momentum } => {
                let c = vec![*input.last().expect("non-empty shape")];
                let params = [
                    tensor("gamma", c.clone(), Init::Ones, true),
                    tensor("beta", c.clone(), Init::Zeros, true),
                    tensor("moving_mean", c.clone(), Init::Zeros, false),
                    tensor("moving_variance", c, Init::Ones, false),
                ];
                nodes.push(Node::BatchNorm(BatchNorm::new(params, *epsilon, *momentum)));
            }
        }
        match layer.activation() {
            Some(Activation::Relu) => nodes.push(Node::Relu(Relu::default())),
            Some(Activation::Softmax) => nodes.push(Node::Softmax(Softmax::default())),
            Some(Activation::Linear) | None => {}
        }
    }
    Ok(nodes)
}

fn with_reg(mut p: Param, reg: Option<Regularizer>) -> Param {
    p.regularizer = reg.filter(|r| r.l1 != 0.0 || r.l2 != 0.0);
    p
}
