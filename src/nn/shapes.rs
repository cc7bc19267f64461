//! Shape inference and validation for [`ModelSpec`]: every layer's output shape, the weight
//! tensors (names and Keras layouts) a model file must hold, and whether scores are
//! probabilities or logits.

use super::spec::{Activation, LayerSpec, ModelSpec, SpecError, FORMAT};
use crate::lang::{text, Text};

/// Largest number of elements any single activation or weight tensor may have (guards the
/// browser and the CLI against absurd specs).
pub const MAX_TENSOR_ELEMENTS: usize = 64 << 20;

impl ModelSpec {
    /// Parses a spec from JSON (an `--arch` argument or a file's metadata) and validates it.
    pub fn from_json(text: &str) -> Result<ModelSpec, SpecError> {
        let spec: ModelSpec =
            serde_json::from_str(text).map_err(|e| SpecError::Json(e.to_string()))?;
        spec.layer_shapes()?;
        Ok(spec)
    }

    /// The spec as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a ModelSpec always serialises")
    }

    /// Output shape (per sample, without N) of every layer, in order; checks the whole spec:
    /// format tag, clip values, positive sizes, ranks, that the last layer outputs one score per
    /// label.
    pub fn layer_shapes(&self) -> Result<Vec<Vec<usize>>, SpecError> {
        if self.format != FORMAT {
            return Err(SpecError::Format(self.format.clone()));
        }
        let (lo, hi) = self.clip_values;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(SpecError::Model(text!(
                "clip_values must be finite with min < max, got [{lo}, {hi}]",
                "clip_values는 유한하고 min < max여야 합니다. 받은 값: [{lo}, {hi}]"
            )));
        }
        if self.input_shape.is_empty()
            || self.input_shape.len() > 3
            || self.input_shape.contains(&0)
        {
            let shape = &self.input_shape;
            return Err(SpecError::Model(text!(
                "input_shape must have 1 to 3 positive sizes, got {shape:?}",
                "input_shape는 양의 크기 1개부터 3개까지여야 합니다. 받은 값: {shape:?}"
            )));
        }
        if self.labels.len() < 2 {
            let n = self.labels.len();
            return Err(SpecError::Model(text!(
                "a classifier needs at least 2 labels, got {n}",
                "분류기에는 레이블이 2개 이상 필요합니다. 받은 수: {n}"
            )));
        }
        if self.layers.is_empty() {
            return Err(SpecError::Model(text!(
                "the model has no layers",
                "모델에 층이 없습니다"
            )));
        }
        let mut shape = self.input_shape.clone();
        let mut shapes = Vec::with_capacity(self.layers.len());
        for (index, layer) in self.layers.iter().enumerate() {
            shape = next_shape(&shape, layer).map_err(|reason| SpecError::Layer {
                index,
                kind: layer.kind(),
                reason,
            })?;
            if shape.iter().product::<usize>() > MAX_TENSOR_ELEMENTS {
                return Err(SpecError::Layer {
                    index,
                    kind: layer.kind(),
                    reason: text!(
                        "output {shape:?} is too large",
                        "출력이 너무 큽니다: {shape:?}"
                    ),
                });
            }
            shapes.push(shape.clone());
        }
        if shape != [self.labels.len()] {
            let n = self.labels.len();
            return Err(SpecError::Model(text!(
                "the last layer outputs {shape:?} but there are {n} labels",
                "마지막 층의 출력은 {shape:?}인데 레이블은 {n}개입니다"
            )));
        }
        Ok(shapes)
    }

    /// The weight tensors a model file must hold, `(name, shape)`, in layer order:
    /// `layers.{i}.kernel`/`.bias` for dense and conv2d, `layers.{i}.gamma`/`.beta`/
    /// `.moving_mean`/`.moving_variance` for batchnorm.
    pub fn expected_tensors(&self) -> Result<Vec<(String, Vec<usize>)>, SpecError> {
        let shapes = self.layer_shapes()?;
        let mut out = Vec::new();
        for (i, layer) in self.layers.iter().enumerate() {
            let input = if i == 0 {
                &self.input_shape
            } else {
                &shapes[i - 1]
            };
            let last = *input.last().unwrap_or(&0);
            match layer {
                LayerSpec::Dense { units, .. } => {
                    out.push((format!("layers.{i}.kernel"), vec![last, *units]));
                    out.push((format!("layers.{i}.bias"), vec![*units]));
                }
                LayerSpec::Conv2d {
                    filters,
                    kernel_size,
                    ..
                } => {
                    let k = vec![kernel_size[0], kernel_size[1], last, *filters];
                    out.push((format!("layers.{i}.kernel"), k));
                    out.push((format!("layers.{i}.bias"), vec![*filters]));
                }
                LayerSpec::Batchnorm { .. } => {
                    for name in ["gamma", "beta", "moving_mean", "moving_variance"] {
                        out.push((format!("layers.{i}.{name}"), vec![last]));
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// True when the model's output is a probability vector (last layer softmax, or a
    /// dense/conv2d with a fused softmax); false when it outputs logits.
    pub fn ends_in_softmax(&self) -> bool {
        match self.layers.last() {
            Some(LayerSpec::Softmax) => true,
            Some(l) => l.activation() == Some(Activation::Softmax),
            None => false,
        }
    }
}

/// The output shape of one layer given its input shape, or why the layer cannot apply.
fn next_shape(input: &[usize], layer: &LayerSpec) -> Result<Vec<usize>, Text> {
    use super::spec::window_out;
    match layer {
        LayerSpec::Dense { units, .. } => {
            if *units == 0 {
                return Err(text!(
                    "units must be positive, got 0",
                    "units는 양수여야 합니다. 받은 값: 0"
                ));
            }
            if input.len() != 1 {
                return Err(text!(
                    "needs a flat input, got {input:?} (add a flatten)",
                    "평평한 입력이 필요한데 받은 입력은 {input:?}입니다(flatten을 넣으세요)"
                ));
            }
            Ok(vec![*units])
        }
        LayerSpec::Conv2d {
            filters,
            kernel_size: k,
            strides: s,
            padding,
            ..
        } => {
            if *filters == 0 || k.contains(&0) || s.contains(&0) {
                return Err(text!(
                    "filters, kernel_size and strides must be positive, got {filters}, {k:?}, {s:?}",
                    "filters, kernel_size, strides는 양수여야 합니다. 받은 값: {filters}, {k:?}, {s:?}"
                ));
            }
            if input.len() != 3 {
                return Err(text!(
                    "needs an (h, w, c) input, got {input:?}",
                    "(h, w, c) 입력이 필요한데 받은 입력은 {input:?}입니다"
                ));
            }
            let h = window_out(input[0], k[0], s[0], *padding);
            let w = window_out(input[1], k[1], s[1], *padding);
            match (h, w) {
                (Some(h), Some(w)) if h > 0 && w > 0 => Ok(vec![h, w, *filters]),
                _ => Err(text!(
                    "kernel {k:?} does not fit input {input:?}",
                    "커널 {k:?}: 입력 {input:?}에 맞지 않습니다"
                )),
            }
        }
        LayerSpec::Maxpool2d {
            pool_size: p,
            strides,
        } => {
            let s = strides.unwrap_or(*p);
            if p.contains(&0) || s.contains(&0) {
                return Err(text!(
                    "pool_size and strides must be positive, got {p:?}, {s:?}",
                    "pool_size와 strides는 양수여야 합니다. 받은 값: {p:?}, {s:?}"
                ));
            }
            if input.len() != 3 {
                return Err(text!(
                    "needs an (h, w, c) input, got {input:?}",
                    "(h, w, c) 입력이 필요한데 받은 입력은 {input:?}입니다"
                ));
            }
            let h = window_out(input[0], p[0], s[0], super::spec::Padding::Valid);
            let w = window_out(input[1], p[1], s[1], super::spec::Padding::Valid);
            match (h, w) {
                (Some(h), Some(w)) => Ok(vec![h, w, input[2]]),
                _ => Err(text!(
                    "pool {p:?} does not fit input {input:?}",
                    "풀 {p:?}: 입력 {input:?}에 맞지 않습니다"
                )),
            }
        }
        LayerSpec::Flatten => Ok(vec![input.iter().product()]),
        LayerSpec::Relu | LayerSpec::Softmax => Ok(input.to_vec()),
        LayerSpec::Dropout { rate } => {
            if !(0.0..1.0).contains(rate) {
                return Err(text!(
                    "rate must be in [0, 1), got {rate}",
                    "rate는 [0, 1) 범위여야 합니다. 받은 값: {rate}"
                ));
            }
            Ok(input.to_vec())
        }
        LayerSpec::Batchnorm { epsilon, momentum } => {
            if !(*epsilon > 0.0 && epsilon.is_finite() && (0.0..1.0).contains(momentum)) {
                return Err(text!(
                    "epsilon must be > 0 and momentum in [0, 1), got {epsilon}, {momentum}",
                    "epsilon은 0보다 크고 momentum은 [0, 1) 범위여야 합니다. 받은 값: {epsilon}, {momentum}"
                ));
            }
            Ok(input.to_vec())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mnist_example() -> &'static str {
        r#"{"format":"advlab-model/1","input_shape":[28,28,1],"clip_values":[0.0,1.0],
        "labels":["0","1","2","3","4","5","6","7","8","9"],
        "layers":[{"type":"conv2d","filters":1,"kernel_size":[7,7],"strides":[1,1],"padding":"valid"},
        {"type":"relu"},{"type":"maxpool2d","pool_size":[4,4]},{"type":"flatten"},
        {"type":"dense","units":10},{"type":"softmax"}]}"#
    }

    #[test]
    fn the_documented_example_parses_with_its_shapes_and_tensors() {
        let spec = ModelSpec::from_json(mnist_example()).unwrap();
        let shapes = spec.layer_shapes().unwrap();
        assert_eq!(shapes[0], vec![22, 22, 1]);
        assert_eq!(shapes[2], vec![5, 5, 1]);
        assert_eq!(shapes[3], vec![25]);
        let t = spec.expected_tensors().unwrap();
        assert_eq!(t[0], ("layers.0.kernel".to_string(), vec![7, 7, 1, 1]));
        assert_eq!(t[2], ("layers.4.kernel".to_string(), vec![25, 10]));
        assert!(spec.ends_in_softmax());
        let again = ModelSpec::from_json(&spec.to_json()).unwrap();
        assert_eq!(again, spec);
    }

    #[test]
    fn bad_specs_name_the_layer_and_value() {
        let bad = mnist_example().replace("\"units\":10", "\"units\":7");
        let e = ModelSpec::from_json(&bad).unwrap_err().to_string();
        assert!(e.contains("[7]") && e.contains("10 labels"), "{e}");
        let bad = mnist_example().replace("[7,7]", "[29,7]");
        let e = ModelSpec::from_json(&bad).unwrap_err().to_string();
        assert!(
            e.starts_with("layer 0 (conv2d)") && e.contains("[29, 7]"),
            "{e}"
        );
        let bad = mnist_example().replace("advlab-model/1", "advlab-model/9");
        assert!(matches!(
            ModelSpec::from_json(&bad),
            Err(SpecError::Format(_))
        ));
        let bad = mnist_example().replace("\"relu\"", "\"gelu\"");
        assert!(matches!(
            ModelSpec::from_json(&bad),
            Err(SpecError::Json(_))
        ));
    }

    #[test]
    fn same_padding_and_defaults() {
        let spec = ModelSpec::from_json(
            r#"{"input_shape":[5,5,2],"clip_values":[0,1],"labels":["a","b"],
            "layers":[{"type":"conv2d","filters":3,"kernel_size":[3,3],"strides":[2,2],"padding":"same"},
            {"type":"batchnorm"},{"type":"flatten"},{"type":"dense","units":2,"activation":"relu"}]}"#,
        )
        .unwrap();
        assert_eq!(spec.layer_shapes().unwrap()[0], vec![3, 3, 3]);
        assert_eq!(spec.expected_tensors().unwrap().len(), 8);
        assert!(!spec.ends_in_softmax());
    }
}
