//! Parameter-free element-wise and row-wise layers: [`Relu`], [`Softmax`] (over the last axis of
//! a flat `(N, C)` output) and [`Flatten`] (identity, since batches are already flattened).

use super::{per_block, per_block_owned, Layer, Pass};
use ndarray::{Array2, ArrayView2, Axis, Zip};

/// `max(0, x)`.
#[derive(Debug, Clone, Default)]
pub struct Relu {
    out: Option<Array2<f32>>,
}

impl Layer for Relu {
    fn clear_cache(&mut self) {
        self.out = None;
    }

    // x (N, D) -> y (N, D)
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        x.mapv(relu)
    }

    fn forward(&mut self, x: ArrayView2<f32>, _pass: &mut Pass<'_>) -> Array2<f32> {
        let y = self.infer(x);
        self.out = Some(y.clone());
        y
    }

    fn forward_owned(&mut self, mut x: Array2<f32>, _pass: &mut Pass<'_>) -> Array2<f32> {
        match x.as_slice_memory_order_mut() {
            Some(xs) => xs.iter_mut().for_each(|v| *v = relu(*v)),
            None => x.mapv_inplace(relu),
        }
        self.out = Some(x.clone());
        x
    }

    // dx = g where y > 0
    fn backward(&mut self, g: ArrayView2<f32>) -> Array2<f32> {
        let y = self.out.as_ref().expect("relu: backward before forward");
        if g.nrows() == y.nrows() {
            return Zip::from(g)
                .and(y)
                .map_collect(|&g, &y| if y > 0.0 { g } else { 0.0 });
        }
        per_block(g, y, relu_mask)
    }

    fn backward_owned(&mut self, g: Array2<f32>) -> Array2<f32> {
        let y = self.out.as_ref().expect("relu: backward before forward");
        per_block_owned(g, y, relu_mask)
    }

    fn stacks_seeds(&self) -> bool {
        true
    }
}

/// `max(0, v)` as a select (NaN gives 0, as `f32::max` does) rather than `f32::max`, whose NaN
/// rule keeps wasm from using vector instructions for it.
#[inline(always)]
fn relu(v: f32) -> f32 {
    if v > 0.0 {
        v
    } else {
        0.0
    }
}

/// Zeroes the gradient where the relu output is not positive (`g` is a block of `y`'s rows).
fn relu_mask(mut g: ndarray::ArrayViewMut2<f32>, y: &Array2<f32>) {
    let mask = |g: &mut f32, y: f32| *g = if y > 0.0 { *g } else { 0.0 };
    match (g.as_slice_mut(), y.as_slice()) {
        // flat select loop (vectorised)
        (Some(gs), Some(ys)) => gs.iter_mut().zip(ys).for_each(|(g, &y)| mask(g, y)),
        _ => Zip::from(g).and(y).for_each(|g, &y| mask(g, y)),
    }
}

/// Softmax over each row.
#[derive(Debug, Clone, Default)]
pub struct Softmax {
    out: Option<Array2<f32>>,
}

/// Row-wise softmax, shifted by the row maximum for stability.
pub fn softmax_rows(x: ArrayView2<f32>) -> Array2<f32> {
    let mut y = x.to_owned();
    for mut row in y.axis_iter_mut(Axis(0)) {
        let m = row.fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - m).exp());
        let s = row.sum();
        row.mapv_inplace(|v| v / s);
    }
    y
}

impl Softmax {
    /// The cached output of the last forward pass.
    pub fn output(&self) -> Option<&Array2<f32>> {
        self.out.as_ref()
    }
}

impl Layer for Softmax {
    fn clear_cache(&mut self) {
        self.out = None;
    }

    // x (N, C) -> y (N, C)
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        softmax_rows(x)
    }

    fn forward(&mut self, x: ArrayView2<f32>, _pass: &mut Pass<'_>) -> Array2<f32> {
        let y = softmax_rows(x);
        self.out = Some(y.clone());
        y
    }

    // dx_i = y_i (g_i − Σ_j g_j y_j)
    fn backward(&mut self, g: ArrayView2<f32>) -> Array2<f32> {
        let y = self.out.as_ref().expect("softmax: backward before forward");
        per_block(g, y, |mut block, y| {
            for (mut d, yr) in block.rows_mut().into_iter().zip(y.rows()) {
                let dot = yr.dot(&d);
                Zip::from(&mut d)
                    .and(&yr)
                    .for_each(|d, &y| *d = y * (*d - dot));
            }
        })
    }

    fn stacks_seeds(&self) -> bool {
        true
    }
}

/// Flatten: batches are already `(N, D)` row-major over `(h, w, c)`, so this is the identity.
#[derive(Debug, Clone, Default)]
pub struct Flatten;

impl Layer for Flatten {
    // x (N, h·w·c) -> y (N, h·w·c)
    fn infer(&self, x: ArrayView2<f32>) -> Array2<f32> {
        x.to_owned()
    }

    fn forward(&mut self, x: ArrayView2<f32>, _pass: &mut Pass<'_>) -> Array2<f32> {
        x.to_owned()
    }

    fn forward_owned(&mut self, x: Array2<f32>, _pass: &mut Pass<'_>) -> Array2<f32> {
        x
    }

    fn backward(&mut self, g: ArrayView2<f32>) -> Array2<f32> {
        g.to_owned()
    }

    fn backward_owned(&mut self, g: Array2<f32>) -> Array2<f32> {
        g
    }

    fn stacks_seeds(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::gradcheck::{check_layer, random};
    use super::*;

    #[test]
    fn gradients_match_finite_differences() {
        check_layer(&Relu::default(), &random(3, 7, 1), false, 1e-3, 1e-3);
        check_layer(
            &Softmax::default(),
            &(random(3, 5, 2) * 3.0),
            false,
            1e-2,
            2e-3,
        );
        check_layer(&Flatten, &random(2, 6, 3), false, 1e-2, 1e-3);
    }

    #[test]
    fn softmax_is_stable_and_sums_to_one() {
        let x = ndarray::array![[1000.0f32, 1000.0, -1000.0], [0.0, 1.0, 2.0]];
        let y = softmax_rows(x.view());
        assert!((y[[0, 0]] - 0.5).abs() < 1e-6 && y[[0, 2]] == 0.0);
        assert!((y.row(1).sum() - 1.0).abs() < 1e-6);
        assert!(y[[1, 2]] > y[[1, 1]]);
    }
}
