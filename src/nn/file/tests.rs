//! Tests of the tensor-level model-file reader and writer: a round trip and one test per
//! rejection reason.

use super::*;
use safetensors::tensor::{Dtype, TensorView};

fn spec() -> ModelSpec {
    ModelSpec::from_json(
        r#"{"input_shape":[4],"clip_values":[0,1],"labels":["a","b","c"],
        "layers":[{"type":"dense","units":5,"activation":"relu"},{"type":"batchnorm"},
        {"type":"dense","units":3,"activation":"softmax"}]}"#,
    )
    .unwrap()
}

/// Deterministic weights of the right shapes: value `k` of tensor `t` is `t + k / 100`.
fn weights(spec: &ModelSpec) -> Vec<(String, Vec<usize>, Vec<f32>)> {
    spec.expected_tensors()
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(t, (name, shape))| {
            let n: usize = shape.iter().product();
            let v = (0..n).map(|k| t as f32 + k as f32 / 100.0).collect();
            (name, shape, v)
        })
        .collect()
}

/// Writes raw safetensors bytes (bypassing our writer's checks) with the given metadata.
fn raw(meta: Option<String>, tensors: &[(String, Vec<usize>, Vec<f32>)]) -> Vec<u8> {
    let data: Vec<(String, Vec<usize>, Vec<u8>)> = tensors
        .iter()
        .map(|(n, s, v)| {
            (
                n.clone(),
                s.clone(),
                v.iter().flat_map(|x| x.to_le_bytes()).collect(),
            )
        })
        .collect();
    let views: Vec<(&str, TensorView)> = data
        .iter()
        .map(|(n, s, d)| {
            (
                n.as_str(),
                TensorView::new(Dtype::F32, s.clone(), d).unwrap(),
            )
        })
        .collect();
    let meta = meta.map(|m| HashMap::from([(METADATA_KEY.to_string(), m)]));
    safetensors::serialize(views, meta).unwrap()
}

fn err_of(bytes: &[u8]) -> ModelFileError {
    read_model_bytes(bytes).unwrap_err()
}

#[test]
fn round_trip_keeps_spec_and_every_value() {
    let s = spec();
    let w = weights(&s);
    let bytes = write_model_bytes(&s, &w).unwrap();
    let (back, map) = read_model_bytes(&bytes).unwrap();
    assert_eq!(back, s);
    assert_eq!(map.len(), w.len());
    for (name, shape, values) in &w {
        assert_eq!(&map[name].0, shape);
        assert_eq!(&map[name].1, values);
    }
}

#[test]
fn short_oversized_and_truncated_headers_are_rejected() {
    assert!(matches!(err_of(b"abc"), ModelFileError::TooShort(3)));
    let mut big = (5u64 << 20).to_le_bytes().to_vec();
    big.extend_from_slice(b"{}");
    assert!(matches!(err_of(&big), ModelFileError::HeaderTooLarge(n) if n == 5 << 20));
    let good = write_model_bytes(&spec(), &weights(&spec())).unwrap();
    let e = err_of(&good[..40]);
    assert!(matches!(e, ModelFileError::Truncated { .. }), "{e}");
    // Header intact but data cut short: safetensors' own offset check reports it.
    let e = err_of(&good[..good.len() - 4]);
    assert!(matches!(e, ModelFileError::Safetensors(_)), "{e}");
}

#[test]
fn garbage_header_is_not_safetensors() {
    let mut bytes = 6u64.to_le_bytes().to_vec();
    bytes.extend_from_slice(b"hello!");
    let e = err_of(&bytes);
    assert!(matches!(e, ModelFileError::Safetensors(_)), "{e}");
}

#[test]
fn missing_metadata_and_bad_spec_json() {
    let w = weights(&spec());
    assert!(matches!(
        err_of(&raw(None, &w)),
        ModelFileError::MissingMetadata
    ));
    let e = err_of(&raw(Some("{not json".into()), &w));
    assert!(matches!(e, ModelFileError::Spec(SpecError::Json(_))), "{e}");
    let bad = spec().to_json().replace("\"units\":3", "\"units\":4");
    let e = err_of(&raw(Some(bad), &w));
    assert!(e.to_string().contains("3 labels"), "{e}");
}

#[test]
fn wrong_dtype_is_named() {
    let s = spec();
    let mut w = weights(&s);
    let bias = w.remove(1);
    let mut views: Vec<(String, TensorView)> = Vec::new();
    let data: Vec<Vec<u8>> = w
        .iter()
        .map(|(_, _, v)| v.iter().flat_map(|x| x.to_le_bytes()).collect())
        .collect();
    for ((n, s, _), d) in w.iter().zip(&data) {
        views.push((
            n.clone(),
            TensorView::new(Dtype::F32, s.clone(), d).unwrap(),
        ));
    }
    let f64_data: Vec<u8> = bias
        .2
        .iter()
        .flat_map(|x| (*x as f64).to_le_bytes())
        .collect();
    views.push((
        bias.0.clone(),
        TensorView::new(Dtype::F64, bias.1, &f64_data).unwrap(),
    ));
    let meta = HashMap::from([(METADATA_KEY.to_string(), s.to_json())]);
    let bytes = safetensors::serialize(views, Some(meta)).unwrap();
    let e = err_of(&bytes);
    assert!(
        matches!(&e, ModelFileError::Dtype { name, .. } if name == "layers.0.bias"),
        "{e}"
    );
    assert!(e.to_string().contains("F64"), "{e}");
}

#[test]
fn missing_extra_and_misshapen_tensors_are_named() {
    let s = spec();
    let json = Some(s.to_json());
    let mut w = weights(&s);
    w.retain(|(n, _, _)| n != "layers.1.moving_mean");
    let e = err_of(&raw(json.clone(), &w));
    assert!(matches!(&e, ModelFileError::MissingTensor(n) if n == "layers.1.moving_mean"));
    assert_eq!(e.to_string(), "missing tensor layers.1.moving_mean");

    let mut w = weights(&s);
    w.push(("layers.9.kernel".into(), vec![2], vec![0.0, 1.0]));
    let e = err_of(&raw(json.clone(), &w));
    assert!(
        matches!(&e, ModelFileError::ExtraTensor(n) if n == "layers.9.kernel"),
        "{e}"
    );

    let mut w = weights(&s);
    w[0] = ("layers.0.kernel".into(), vec![5, 4], vec![0.5; 20]);
    let e = err_of(&raw(json, &w));
    assert_eq!(
        e.to_string(),
        "tensor layers.0.kernel: shape [5, 4], expected [4, 5]"
    );
    assert!(matches!(
        write_model_bytes(&s, &w),
        Err(ModelFileError::Shape { .. })
    ));
}

#[test]
fn non_finite_values_are_rejected_on_read_and_write() {
    let s = spec();
    let mut w = weights(&s);
    w[2].2[3] = f32::NAN;
    let e = err_of(&raw(Some(s.to_json()), &w));
    assert!(
        matches!(&e, ModelFileError::NonFinite { name, index: 3, .. } if name == "layers.1.gamma"),
        "{e}"
    );
    let e = write_model_bytes(&s, &w).unwrap_err();
    assert!(matches!(e, ModelFileError::NonFinite { .. }), "{e}");
    let mut w = weights(&s);
    w[0].2.pop();
    let e = write_model_bytes(&s, &w).unwrap_err();
    assert!(matches!(e, ModelFileError::Length { found: 19, .. }), "{e}");
}

#[test]
fn the_numpy_fixture_reads_at_tensor_level() {
    let bytes = include_bytes!("../../../tests/fixtures/model-numpy/iris-dense.safetensors");
    let (spec, map) = read_model_bytes(bytes).unwrap();
    assert_eq!(spec.labels, ["setosa", "versicolor", "virginica"]);
    assert_eq!(map.len(), 8);
    assert_eq!(map["layers.0.kernel"].0, [4, 6]);
    assert_eq!(map["layers.2.kernel"].0, [6, 3]);
    // Written from numpy and read back here: rewriting gives a file that reads identically.
    let tensors: Vec<_> = spec
        .expected_tensors()
        .unwrap()
        .into_iter()
        .map(|(n, s)| (n.clone(), s, map[&n].1.clone()))
        .collect();
    let (spec2, map2) = read_model_bytes(&write_model_bytes(&spec, &tensors).unwrap()).unwrap();
    assert_eq!((spec2, map2), (spec, map));
}

#[test]
fn the_numpy_fixture_loads_as_a_model_with_numpys_predictions() {
    use crate::classifier::Classifier;
    use ndarray::Array2;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/model-numpy/");
    let model = load_model(include_bytes!(
        "../../../tests/fixtures/model-numpy/iris-dense.safetensors"
    ))
    .unwrap();
    let x: Array2<f32> = ndarray_npy::read_npy(format!("{dir}inputs.npy")).unwrap();
    let want: Array2<f32> = ndarray_npy::read_npy(format!("{dir}expected.npy")).unwrap();
    let got = model.predict(x.view());
    assert_eq!(got.dim(), (5, 3));
    for (g, w) in got.iter().zip(want.iter()) {
        assert!((g - w).abs() < 1e-5, "{got} vs {want}");
    }
}

#[test]
fn a_trained_model_round_trips_bit_for_bit() {
    use crate::classifier::Classifier;
    use ndarray::Array2;
    let s = crate::nn::presets::preset("iris-seed").unwrap().spec;
    let mut m = Model::new(s, 4).unwrap();
    let x = Array2::from_shape_fn((14, 4), |(i, j)| ((i * 3 + j * 5) % 11) as f32 / 10.0);
    let y: Vec<usize> = (0..14).map(|i| i % 3).collect();
    for _ in 0..3 {
        m.train_batch(x.view(), &y); // moves the batchnorm statistics away from 0/1
    }
    let bytes = save_model(&m).unwrap();
    let back = load_model(&bytes).unwrap();
    assert_eq!(back.spec(), m.spec());
    assert_eq!(back.tensors(), m.tensors());
    assert_eq!(back.predict(x.view()), m.predict(x.view()));
    assert_eq!(save_model(&back).unwrap(), bytes);
    let mut cut = bytes.clone();
    cut.truncate(bytes.len() / 2);
    assert!(load_model(&cut).is_err());
}
