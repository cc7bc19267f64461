//! Quick requests answered at once: class scores of a drawing or of samples, and the 2-D
//! decision-region view of a feature dataset.
//!
//! Main functions: [`predict`] and [`decision_map`].

use ndarray::{Array1, Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::error::SessionError;
use super::samples::given_matrix;
use super::store::Store;
use crate::classifier::Classifier;
use crate::data::digitize::mnist_preprocess;
use crate::lang::text;
use crate::protocol::{
    Bytes, F32s, MapArrows, MapResult, MapSettings, PredictInput, PredictionResult, Slot,
};

/// Scores of both models on a drawing, a test sample or given samples.
pub fn predict(
    store: &Store,
    dataset: &str,
    input: &PredictInput,
) -> Result<PredictionResult, SessionError> {
    let ds = store.dataset(dataset)?;
    let (x, labels, index) = match input {
        PredictInput::Drawing { width, height, ink } => {
            if ds.input_shape != [28, 28, 1] {
                return Err(SessionError::invalid(
                    "dataset",
                    dataset,
                    text!(
                        "drawings need a 28x28 image dataset",
                        "그림에는 28x28 이미지 데이터셋이 필요합니다"
                    ),
                ));
            }
            let gray: Vec<f32> = ink.iter().map(|&v| f32::from(v) / 255.0).collect();
            let pixels = mnist_preprocess(&gray, *width, *height)?;
            (
                Array2::from_shape_vec((1, pixels.len()), pixels).expect("784 pixels"),
                None,
                None,
            )
        }
        PredictInput::Test { index, seed } => {
            let n = ds.y_test.len();
            let i = index.unwrap_or_else(|| ChaCha8Rng::seed_from_u64(*seed).random_range(0..n));
            if i >= n {
                return Err(SessionError::invalid(
                    "index",
                    i,
                    text!(
                        "the test set has {n} samples (0..{})",
                        "테스트 세트의 샘플은 {n}개입니다(0..{})";
                        n - 1
                    ),
                ));
            }
            let x = ds.x_test.row(i).to_owned().insert_axis(Axis(0));
            (x, Some(vec![ds.y_test[i]]), Some(i))
        }
        PredictInput::Given { x } => (given_matrix(ds, x)?, None, None),
    };
    Ok(PredictionResult {
        n: x.nrows(),
        scores: store.scores(dataset, x.view())?,
        detector: store.detector_scores(dataset, x.view()),
        x: F32s(x.iter().copied().collect()),
        labels,
        index,
    })
}

/// Largest resolution of the map.
pub const MAX_RESOLUTION: usize = 200;

/// Decision regions of both models over two features (the others held at their test means),
/// the test points, and, with an attack, where it moves each point on each model.
pub fn decision_map(store: &Store, s: &MapSettings) -> Result<MapResult, SessionError> {
    let ds = store.dataset(&s.dataset)?;
    if ds.input_shape.len() != 1 {
        return Err(SessionError::invalid(
            "dataset",
            &s.dataset,
            text!(
                "the 2-D view needs a feature dataset such as iris",
                "2차원 보기에는 iris 같은 특성 데이터셋이 필요합니다"
            ),
        ));
    }
    let d = ds.n_features();
    let [fx, fy] = s.features;
    if fx >= d || fy >= d || fx == fy {
        return Err(SessionError::invalid(
            "features",
            format!("{fx}, {fy}"),
            text!(
                "need two different features in 0..{d}",
                "0..{d} 안의 서로 다른 특성 두 개가 필요합니다"
            ),
        ));
    }
    let r = s.resolution.unwrap_or(60);
    if !(2..=MAX_RESOLUTION).contains(&r) {
        return Err(SessionError::invalid(
            "resolution",
            r,
            text!(
                "must be between 2 and {MAX_RESOLUTION}",
                "2부터 {MAX_RESOLUTION}까지여야 합니다"
            ),
        ));
    }
    let attack = s.attack.as_ref().map(|a| a.check()).transpose()?;
    let x_range = axis_range(ds, fx);
    let y_range = axis_range(ds, fy);
    let fixed = ds
        .x_test
        .mean_axis(Axis(0))
        .unwrap_or_else(|| Array1::zeros(d));
    let grid = Array2::from_shape_fn((r * r, d), |(cell, j)| {
        let (row, col) = (cell / r, cell % r);
        let t = |k: usize, (lo, hi): (f32, f32)| lo + (hi - lo) * (k as f32 + 0.5) / r as f32;
        if j == fx {
            t(col, x_range)
        } else if j == fy {
            t(row, y_range)
        } else {
            fixed[j]
        }
    });
    let region = |slot| {
        store.model_for(slot, &s.dataset).map(|e| {
            Bytes::from(
                e.stacked(s.seed)
                    .predict_classes(grid.view())
                    .iter()
                    .map(|&c| c as u8)
                    .collect::<Vec<u8>>(),
            )
        })
    };
    let project = |x: &Array2<f32>| {
        F32s(
            x.rows()
                .into_iter()
                .flat_map(|row| [row[fx], row[fy]])
                .collect(),
        )
    };
    let mut arrows = Vec::new();
    if let Some(attack) = &attack {
        for (slot, mut model) in store.models_for(&s.dataset) {
            let mut rng = ChaCha8Rng::seed_from_u64(s.seed);
            let y = (!attack.is_targeted()).then_some(ds.y_test.as_slice());
            let out = attack.generate(&mut model, ds.x_test.view(), y, &mut rng, None)?;
            let pred = model.predict_classes(out.x_adv.view());
            let fooled = pred.iter().zip(&ds.y_test).map(|(p, t)| p != t).collect();
            arrows.push(MapArrows {
                slot,
                to: project(&out.x_adv),
                fooled,
            });
        }
    }
    Ok(MapResult {
        features: s.features,
        x_range,
        y_range,
        resolution: r,
        fixed: fixed.to_vec(),
        undefended: region(Slot::Undefended),
        defended: region(Slot::Defended),
        points: project(&ds.x_test),
        labels: ds.y_test.clone(),
        arrows,
    })
}

/// The range of feature `j` over both splits, padded by 10% and kept inside the clip values.
fn axis_range(ds: &crate::data::Dataset, j: usize) -> (f32, f32) {
    let col = ds
        .x_train
        .column(j)
        .into_iter()
        .chain(ds.x_test.column(j))
        .copied();
    let (lo, hi) = col.fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let pad = ((hi - lo) * 0.1).max(0.02);
    (
        (lo - pad).max(ds.clip_values.0),
        (hi + pad).min(ds.clip_values.1),
    )
}
