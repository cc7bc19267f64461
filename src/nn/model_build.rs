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
        nodes.push(layer_node(layer, input, &mut tensor));
        match layer.activation() {
            Some(Activation::Relu) => nodes.push(Node::Relu(Relu::default())),
            Some(Activation::Softmax) => nodes.push(Node::Softmax(Softmax::default())),
            Some(Activation::Linear) | None => {}
        }
    }
    Ok(nodes)
}

/// The node of one layer (without its fused activation); `tensor(suffix, shape, init,
/// trainable)` makes the layer's named tensors.
fn layer_node(
    layer: &LayerSpec,
    input: &[usize],
    tensor: &mut impl FnMut(&str, Vec<usize>, Init, bool) -> Param,
) -> Node {
    match layer {
        LayerSpec::Dense {
            units,
            kernel_initializer: ki,
            kernel_regularizer: reg,
            ..
        } => {
            let n_in = input[0];
            let init = Init::Kernel(*ki, n_in, *units);
            let kernel = with_reg(tensor("kernel", vec![n_in, *units], init, true), *reg);
            Node::Dense(Dense::new(
                kernel,
                tensor("bias", vec![*units], Init::Zeros, true),
            ))
        }
        LayerSpec::Conv2d {
            filters: f,
            kernel_size: k,
            strides,
            padding,
            kernel_initializer: ki,
            kernel_regularizer: reg,
            ..
        } => {
            let c = input[2];
            let geom = ConvGeom::new([input[0], input[1], c], *k, *f, *strides, *padding);
            let init = Init::Kernel(*ki, k[0] * k[1] * c, k[0] * k[1] * f);
            let kernel = with_reg(tensor("kernel", vec![k[0], k[1], c, *f], init, true), *reg);
            Node::Conv2d(Conv2d::new(
                geom,
                kernel,
                tensor("bias", vec![*f], Init::Zeros, true),
            ))
        }
        LayerSpec::Maxpool2d {
            pool_size: p,
            strides,
        } => Node::MaxPool2d(MaxPool2d::new(
            [input[0], input[1], input[2]],
            *p,
            strides.unwrap_or(*p),
        )),
        LayerSpec::Flatten => Node::Flatten(Flatten),
        LayerSpec::Relu => Node::Relu(Relu::default()),
        LayerSpec::Softmax => Node::Softmax(Softmax::default()),
        LayerSpec::Dropout { rate } => Node::Dropout(Dropout::new(*rate)),
        LayerSpec::Batchnorm { epsilon, momentum } => {
            let c = vec![*input.last().expect("non-empty shape")];
            let params = [
                tensor("gamma", c.clone(), Init::Ones, true),
                tensor("beta", c.clone(), Init::Zeros, true),
                tensor("moving_mean", c.clone(), Init::Zeros, false),
                tensor("moving_variance", c, Init::Ones, false),
            ];
            Node::BatchNorm(BatchNorm::new(params, *epsilon, *momentum))
        }
    }
}

fn with_reg(mut p: Param, reg: Option<Regularizer>) -> Param {
    p.regularizer = reg.filter(|r| r.l1 != 0.0 || r.l2 != 0.0);
    p
}
