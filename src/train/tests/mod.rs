//! Tests of the training loop with a tiny softmax-regression classifier defined here.

use super::*;
use crate::classifier::accuracy;
use ndarray::Array2;
use rand_distr::{Distribution, Normal};

mod test_clf;
use crate::lang::Text;
use test_clf::Softmax;

/// Three Gaussian blobs in 2-D, 30 samples each; column 0 also serves as a sample id check.
fn blobs() -> (Array2<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let noise = Normal::new(0.0f32, 0.3).unwrap();
    let centres = [(0.0, 2.0), (2.0, -1.0), (-2.0, -1.0)];
    let mut x = Array2::zeros((90, 2));
    let mut y = Vec::new();
    for i in 0..90 {
        let c = i % 3;
        x[[i, 0]] = centres[c].0 + noise.sample(&mut rng);
        x[[i, 1]] = centres[c].1 + noise.sample(&mut rng);
        y.push(c);
    }
    (x, y)
}

fn cfg(epochs: usize, batch_size: usize, seed: u64) -> TrainConfig {
    TrainConfig {
        epochs,
        batch_size,
        seed,
    }
}

fn run_fit(c: &TrainConfig, clf: &mut Softmax) -> Progress {
    let (x, y) = blobs();
    fit(
        clf,
        x.view(),
        &y,
        c,
        None,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

#[test]
fn learns_separable_blobs() {
    let (x, y) = blobs();
    let mut clf = Softmax::new(2, 3);
    let p = run_fit(&cfg(10, 8, 1), &mut clf);
    assert!(
        p.done && p.epoch == 10 && p.batch == p.batches && p.batches == 12,
        "{p:?}"
    );
    assert_eq!(p.samples_seen, 900);
    assert!(p.loss < 0.2, "{p:?}");
    assert!(accuracy(&clf.predict(x.view()), &y) > 0.95);
}

#[test]
fn same_seed_same_weights_other_seed_differs() {
    let (mut a, mut b, mut c) = (Softmax::new(2, 3), Softmax::new(2, 3), Softmax::new(2, 3));
    run_fit(&cfg(3, 7, 5), &mut a);
    run_fit(&cfg(3, 7, 5), &mut b);
    run_fit(&cfg(3, 7, 6), &mut c);
    assert_eq!(a.w, b.w);
    assert_eq!(a.seen, b.seen);
    assert_ne!(a.w, c.w);
}

#[test]
fn each_epoch_is_a_fresh_permutation() {
    let (x, _) = blobs();
    let mut clf = Softmax::new(2, 3);
    run_fit(&cfg(2, 16, 3), &mut clf);
    let sorted = |v: &[f32]| {
        let mut v = v.to_vec();
        v.sort_by(f32::total_cmp);
        v
    };
    let all = sorted(&x.column(0).to_vec());
    let (e1, e2) = clf.seen.split_at(90);
    assert_eq!(sorted(e1), all);
    assert_eq!(sorted(e2), all);
    assert_ne!(e1, e2);
    assert_ne!(e1, x.column(0).to_vec().as_slice());
}

#[test]
fn small_steps_match_one_long_run() {
    let (x, y) = blobs();
    let (mut a, mut b) = (Softmax::new(2, 3), Softmax::new(2, 3));
    let mut t = Trainer::new(cfg(4, 10, 9), 90).unwrap();
    let mut calls = 0;
    while !t.is_done() {
        let p = t.step(&mut a, x.view(), &y, 3, None).unwrap();
        calls += 1;
        assert_eq!(p.samples_seen, (calls * 30).min(360));
    }
    assert_eq!(calls, 12);
    let done = t.step(&mut a, x.view(), &y, 1, None).unwrap();
    assert!(done.done && done.samples_seen == 360);
    let mut t = Trainer::new(cfg(4, 10, 9), 90).unwrap();
    t.step(&mut b, x.view(), &y, 1000, None).unwrap();
    assert_eq!(a.w, b.w);
    assert_eq!(a.b, b.b);
}

#[test]
fn invalid_configs_and_data_are_errors() {
    let (x, y) = blobs();
    let mut clf = Softmax::new(2, 3);
    assert!(Trainer::new(cfg(0, 4, 1), 90)
        .unwrap_err()
        .to_string()
        .contains("epochs"));
    assert!(Trainer::new(cfg(1, 0, 1), 90)
        .unwrap_err()
        .to_string()
        .contains("batch_size"));
    assert!(Trainer::new(cfg(1, 4, 1), 0).is_err());
    let mut t = Trainer::new(cfg(1, 4, 1), 90).unwrap();
    let e = t.step(&mut clf, x.view(), &y[..89], 1, None).unwrap_err();
    assert!(e.to_string().contains("89 labels"), "{e}");
    let mut bad = y.clone();
    bad[5] = 3;
    let e = t.step(&mut clf, x.view(), &bad, 1, None).unwrap_err();
    assert!(e.to_string().contains("label 3 of sample 5"), "{e}");
    let e = t
        .step(&mut Softmax::new(3, 3), x.view(), &y, 1, None)
        .unwrap_err();
    assert!(e.to_string().contains("2 features"), "{e}");
    assert!(t.step(&mut clf, x.view(), &y, 0, None).is_err());
    assert_eq!(t.progress().samples_seen, 0);
}

#[test]
fn cancel_stops_between_batches() {
    let (x, y) = blobs();
    let mut clf = Softmax::new(2, 3);
    let cancel = AtomicBool::new(false);
    let mut calls = 0;
    let mut cb = |p: &Progress| {
        calls += 1;
        if p.batch == 2 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let p = fit(
        &mut clf,
        x.view(),
        &y,
        &cfg(5, 10, 1),
        None,
        &mut cb,
        &cancel,
    )
    .unwrap();
    assert!(!p.done);
    assert_eq!((calls, p.samples_seen, p.epoch), (2, 20, 1));
}

/// Negates the first sample of every batch; counts calls.
struct FlipFirst(usize, Option<Array2<f32>>);
impl BatchTransform for FlipFirst {
    fn begin(
        &mut self,
        _: &mut dyn Classifier,
        mut x: Array2<f32>,
        y: &[usize],
        _: &mut ChaCha8Rng,
    ) -> Result<(), Text> {
        assert_eq!(x.nrows(), y.len());
        self.0 += 1;
        x.row_mut(0).mapv_inplace(|v| -v);
        self.1 = Some(x);
        Ok(())
    }

    fn advance(&mut self, _: &mut dyn Classifier) -> Result<Option<Array2<f32>>, Text> {
        Ok(self.1.take())
    }
}

/// Returns a batch with one row too many.
struct Grow(Option<Array2<f32>>);
impl BatchTransform for Grow {
    fn begin(
        &mut self,
        _: &mut dyn Classifier,
        x: Array2<f32>,
        _: &[usize],
        _: &mut ChaCha8Rng,
    ) -> Result<(), Text> {
        self.0 = Some(ndarray::concatenate![
            Axis(0),
            x,
            x.slice(ndarray::s![0..1, ..])
        ]);
        Ok(())
    }

    fn advance(&mut self, _: &mut dyn Classifier) -> Result<Option<Array2<f32>>, Text> {
        Ok(self.0.take())
    }
}

/// Adds noise drawn when the batch begins, over `units` units of work that each query the model
/// (as an attack's iterations do).
struct Noisy {
    units: usize,
    left: usize,
    x: Option<Array2<f32>>,
}
impl BatchTransform for Noisy {
    fn begin(
        &mut self,
        _: &mut dyn Classifier,
        x: Array2<f32>,
        _: &[usize],
        rng: &mut ChaCha8Rng,
    ) -> Result<(), Text> {
        let noise = Normal::new(0.0f32, 0.1).unwrap();
        self.x = Some(x.mapv(|v| v + noise.sample(rng)));
        self.left = self.units;
        Ok(())
    }

    fn advance(&mut self, clf: &mut dyn Classifier) -> Result<Option<Array2<f32>>, Text> {
        let x = self.x.as_mut().expect("begun");
        let g = clf.loss_gradient(x.view(), &vec![0; x.nrows()]);
        x.scaled_add(-0.01, &g);
        self.left -= 1;
        Ok(if self.left == 0 { self.x.take() } else { None })
    }
}

#[test]
fn pausing_inside_a_transform_gives_the_same_weights() {
    let (x, y) = blobs();
    let c = cfg(3, 16, 5);
    let (mut a, mut b) = (Softmax::new(2, 3), Softmax::new(2, 3));
    let mut whole = Trainer::new(c, 90).unwrap();
    let mut t = Noisy {
        units: 4,
        left: 0,
        x: None,
    };
    while !whole.is_done() {
        whole.step(&mut a, x.view(), &y, 1, Some(&mut t)).unwrap();
    }
    // Pause after every unit: each batch takes four calls, the first three return None.
    let mut sliced = Trainer::new(c, 90).unwrap();
    let mut t = Noisy {
        units: 4,
        left: 0,
        x: None,
    };
    let (mut paused, mut batches) = (0, 0);
    while !sliced.is_done() {
        match sliced
            .work(&mut b, x.view(), &y, Some(&mut t), &mut || true)
            .unwrap()
        {
            Some(_) => batches += 1,
            None => paused += 1,
        }
    }
    assert_eq!((batches, paused), (3 * 6, 3 * 6 * 3));
    assert_eq!(a.w, b.w, "bit-identical weights");
    assert_eq!(a.seen, b.seen);
    assert_eq!(whole.progress(), sliced.progress());
    // A paused batch needs its transform back.
    let mut t = Noisy {
        units: 4,
        left: 0,
        x: None,
    };
    let mut tr = Trainer::new(c, 90).unwrap();
    assert!(tr
        .work(&mut b, x.view(), &y, Some(&mut t), &mut || true)
        .unwrap()
        .is_none());
    let e = tr
        .work(&mut b, x.view(), &y, None, &mut || true)
        .unwrap_err();
    assert!(matches!(e, TrainError::Transform(_)), "{e}");
}

#[test]
fn transform_replaces_batches_and_bad_shapes_fail() {
    let (x, y) = blobs();
    let (mut a, mut b) = (Softmax::new(2, 3), Softmax::new(2, 3));
    let mut flip = FlipFirst(0, None);
    let c = cfg(2, 30, 4);
    let cancel = AtomicBool::new(false);
    fit(
        &mut a,
        x.view(),
        &y,
        &c,
        Some(&mut flip),
        &mut |_| {},
        &cancel,
    )
    .unwrap();
    run_fit(&c, &mut b);
    assert_eq!(flip.0, 6);
    assert_ne!(a.w, b.w);
    let flipped: Vec<f32> = b.seen.iter().step_by(30).map(|v| -v).collect();
    let got: Vec<f32> = a.seen.iter().step_by(30).copied().collect();
    assert_eq!(got, flipped);
    let mut t = Trainer::new(c, 90).unwrap();
    let e = t
        .step(&mut a, x.view(), &y, 1, Some(&mut Grow(None)))
        .unwrap_err();
    assert!(
        matches!(e, TrainError::Transform(_)) && e.to_string().contains("(31, 2)"),
        "{e}"
    );
}

/// The real thing: the `iris-seed` preset on IRIS through `fit`, twice with one seed.
#[test]
fn iris_seed_model_trains_deterministically_to_95_percent() {
    use crate::data::files::{datasets_dir, load_dataset};
    use crate::nn::{presets::parse_arch, Model};
    let ds = load_dataset("iris", &datasets_dir()).unwrap();
    let p = parse_arch("iris-seed", &ds).unwrap();
    let c = cfg(p.epochs, p.batch_size, 11);
    let train = || {
        let mut m = Model::new(p.spec.clone(), 11).unwrap();
        m.set_optimizer(p.optimizer).unwrap();
        let cancel = AtomicBool::new(false);
        let x = ds.x_train.view();
        let last = fit(&mut m, x, &ds.y_train, &c, None, &mut |_| {}, &cancel).unwrap();
        assert!(last.done);
        m
    };
    let (a, b) = (train(), train());
    assert_eq!(a.tensors(), b.tensors());
    let acc = accuracy(&a.predict(ds.x_test.view()), &ds.y_test);
    assert!(acc >= 0.95, "test accuracy {acc}");
}
