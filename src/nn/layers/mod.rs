//! The layers of a sequential model, each in its own file with forward and backward side by
//! side. Activations travel between layers as `(N, D)` matrices, images flattened row-major over
//! `(h, w, c)` (NHWC memory), so flatten is free.
//!
//! Main types: the [`Layer`] trait, the [`Pass`] context of a forward pass and [`Node`], the
//! closed set of layers a model holds (an enum, so models are `Clone`).

mod activation;
mod batchnorm;
mod conv2d;
mod conv_direct;
mod conv_geom;
mod conv_naive;
mod dense;
mod dropout;
mod gemm;
mod im2col;
mod lanes;
mod maxpool;
mod simd;

pub use activation::{softmax_rows, Flatten, Relu, Softmax};
pub use batchnorm::BatchNorm;
pub use conv2d::{Conv2d, ConvGeom};
pub use dense::Dense;
pub use dropout::Dropout;
pub use maxpool::MaxPool2d;

use super::param::Param;
use ndarray::{Array2, ArrayView2};
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicBool, Ordering};

static NAIVE_KERNELS: AtomicBool = AtomicBool::new(false);

/// Switches dense and conv2d to their naive loop kernels (for the benchmark), or back to the
/// GEMM kernels. Global to the process.
pub fn set_naive_kernels(on: bool) {
    NAIVE_KERNELS.store(on, Ordering::Relaxed);
}

/// True when the naive kernels are selected.
pub fn naive_kernels() -> bool {
    NAIVE_KERNELS.load(Ordering::Relaxed)
}

/// How a forward pass runs.
pub struct Pass<'a> {
    /// Training mode: dropout active, batchnorm on batch statistics (and moving averages updated).
    pub training: bool,
    /// Whether the following backward pass must accumulate parameter gradients (false for input
    /// gradients only, which skips the weight-gradient GEMMs).
    pub param_grads: bool,
    /// Randomness for dropout.
    pub rng: &'a mut ChaCha8Rng,
}

/// One layer. `forward` caches what `backward` needs; `backward` may be called several times
/// after one `forward` (one call per class for a Jacobian) and adds into parameter gradients.
///
/// Stacked seeds: when the forward pass ran without parameter gradients, the layers whose
/// [`Layer::stacks_seeds`] is true also accept a gradient of `r·N` rows (`r` output gradients of
/// the same `N` samples stacked), reusing the cache of row `i mod N` for row `i`: one backward
/// for all the class gradients of a Jacobian.
pub trait Layer {
    /// Inference output `(N, D_out)` from `(N, D_in)`, without caching.
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32>;
    /// Output `(N, D_out)` from `(N, D_in)`, caching for `backward`.
    fn forward(&mut self, x: ArrayView2<f32>, pass: &mut Pass<'_>) -> Array2<f32>;
    /// [`Layer::forward`] of an input the layer may keep or reuse (layers that cache their input
    /// or work in place override it to skip a copy).
    fn forward_owned(&mut self, x: Array2<f32>, pass: &mut Pass<'_>) -> Array2<f32> {
        self.forward(x.view(), pass)
    }
    /// Gradient w.r.t. the input `(N, D_in)` from the gradient w.r.t. the output `(N, D_out)`.
    fn backward(&mut self, grad: ArrayView2<f32>) -> Array2<f32>;
    /// [`Layer::backward`] of a gradient the layer may overwrite (element-wise layers work in
    /// place instead of allocating).
    fn backward_owned(&mut self, grad: Array2<f32>) -> Array2<f32> {
        self.backward(grad.view())
    }
    /// Like `backward` when the input gradient is not needed (the first layer during training);
    /// layers that can skip work override it.
    fn backward_params(&mut self, grad: ArrayView2<f32>) {
        self.backward(grad);
    }
    /// Drops what `forward` cached (keeps clones of a model small between calls).
    fn clear_cache(&mut self) {}
    /// Whether `backward` accepts stacked seeds (see the trait's documentation).
    fn stacks_seeds(&self) -> bool {
        false
    }
    /// The layer's tensors, in `expected_tensors` order.
    fn params(&self) -> &[Param] {
        &[]
    }
    /// Mutable access to the layer's tensors.
    fn params_mut(&mut self) -> &mut [Param] {
        &mut []
    }
}

/// A layer of a model.
#[derive(Debug, Clone)]
pub enum Node {
    /// Fully connected.
    Dense(Dense),
    /// 2-D convolution.
    Conv2d(Conv2d),
    /// Max pooling.
    MaxPool2d(MaxPool2d),
    /// Flatten (identity on flattened batches).
    Flatten(Flatten),
    /// ReLU.
    Relu(Relu),
    /// Softmax over the last axis.
    Softmax(Softmax),
    /// Inverted dropout.
    Dropout(Dropout),
    /// Batch normalisation.
    BatchNorm(BatchNorm),
}

macro_rules! dispatch {
    ($self:expr, $l:ident => $e:expr) => {
        match $self {
            Node::Dense($l) => $e,
            Node::Conv2d($l) => $e,
            Node::MaxPool2d($l) => $e,
            Node::Flatten($l) => $e,
            Node::Relu($l) => $e,
            Node::Softmax($l) => $e,
            Node::Dropout($l) => $e,
            Node::BatchNorm($l) => $e,
        }
    };
}

impl Layer for Node {
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        dispatch!(self, l => l.infer(x))
    }
    fn forward(&mut self, x: ArrayView2<f32>, pass: &mut Pass<'_>) -> Array2<f32> {
        dispatch!(self, l => l.forward(x, pass))
    }
    fn forward_owned(&mut self, x: Array2<f32>, pass: &mut Pass<'_>) -> Array2<f32> {
        dispatch!(self, l => l.forward_owned(x, pass))
    }
    fn backward(&mut self, grad: ArrayView2<f32>) -> Array2<f32> {
        dispatch!(self, l => l.backward(grad))
    }
    fn backward_owned(&mut self, grad: Array2<f32>) -> Array2<f32> {
        dispatch!(self, l => l.backward_owned(grad))
    }
    fn backward_params(&mut self, grad: ArrayView2<f32>) {
        dispatch!(self, l => l.backward_params(grad))
    }
    fn clear_cache(&mut self) {
        dispatch!(self, l => l.clear_cache())
    }
    fn stacks_seeds(&self) -> bool {
        dispatch!(self, l => l.stacks_seeds())
    }
    fn params(&self) -> &[Param] {
        dispatch!(self, l => l.params())
    }
    fn params_mut(&mut self) -> &mut [Param] {
        dispatch!(self, l => l.params_mut())
    }
}

/// `g` (`r·N` rows) with `f(block, cache)` applied to each block of `N = cache.nrows()` rows.
pub(crate) fn per_block(
    g: ArrayView2<f32>,
    cache: &Array2<f32>,
    f: impl FnMut(ndarray::ArrayViewMut2<f32>, &Array2<f32>),
) -> Array2<f32> {
    per_block_owned(g.to_owned(), cache, f)
}

/// [`per_block`] in place on an owned gradient.
pub(crate) fn per_block_owned(
    mut g: Array2<f32>,
    cache: &Array2<f32>,
    mut f: impl FnMut(ndarray::ArrayViewMut2<f32>, &Array2<f32>),
) -> Array2<f32> {
    assert!(
        cache.nrows() > 0 && g.nrows().is_multiple_of(cache.nrows()),
        "{} gradient rows for a batch of {}",
        g.nrows(),
        cache.nrows()
    );
    for block in g.axis_chunks_iter_mut(ndarray::Axis(0), cache.nrows()) {
        f(block, cache);
    }
    g
}

#[cfg(test)]
pub(crate) mod gradcheck;
