//! Square and HopSkipJump through oracles that fail the test when asked for a gradient: on the
//! trained MLP (a flat feature vector) and on a small trained CNN (8x8 images, so Square's
//! squares are squares).

use super::nonlinear::trained;
use super::*;
use crate::attacks::test_classifiers::Oracle;
use crate::nn::{Model, ModelSpec, OptimizerConfig};
use ndarray::Array2;

/// Three classes of 8x8 images: a bright 3x3 blob top left, bottom right, or in the centre, on
/// noise; a one-conv CNN trained on 150 of them, and 30 test images.
pub(super) fn image_model() -> (Model, Array2<f32>, Vec<usize>) {
    let spec = ModelSpec::from_json(
        r#"{"input_shape":[8,8,1],"clip_values":[0,1],"labels":["a","b","c"],"layers":[
            {"type":"conv2d","filters":4,"kernel_size":[3,3],"activation":"relu"},
            {"type":"flatten"},{"type":"dense","units":3,"activation":"softmax"}]}"#,
    )
    .unwrap();
    let mut m = Model::new(spec, 1).unwrap();
    m.set_optimizer(OptimizerConfig::adam(0.02)).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let corners = [(0, 0), (5, 5), (2, 3)];
    let mut x = Array2::from_shape_fn((180, 64), |_| rng.random_range(0.0f32..0.3));
    let y: Vec<usize> = (0..180).map(|i| i % 3).collect();
    for (i, &c) in y.iter().enumerate() {
        let (r0, c0) = corners[c];
        for r in r0..r0 + 3 {
            for col in c0..c0 + 3 {
                x[[i, r * 8 + col]] = rng.random_range(0.7f32..1.0);
            }
        }
    }
    for _ in 0..60 {
        m.train_batch(x.slice(ndarray::s![..150, ..]), &y[..150]);
    }
    (
        m,
        x.slice(ndarray::s![150.., ..]).to_owned(),
        y[150..].to_vec(),
    )
}

fn success(clf: &dyn Classifier, x: &Array2<f32>, out: &AttackOutput, y: &[usize]) -> f32 {
    attack_metrics(clf, x.view(), out.x_adv.view(), y, None, &out.iterations).success_rate
}

#[test]
fn the_image_model_learns_its_task() {
    let (m, x, y) = image_model();
    assert!(crate::classifier::accuracy(&m.predict(x.view()), &y) > 0.95);
}

#[test]
fn square_succeeds_from_scores_alone_and_counts_its_queries() {
    let (m, x, y) = trained(true);
    let (img, xi, yi) = image_model();
    for (norm, eps) in [(Norm::Inf, 0.15), (Norm::L2, 0.4)] {
        let cfg = AttackConfig::Square(SquareParams {
            norm,
            eps,
            max_iter: 300,
            ..Default::default()
        });
        let mut oracle = Oracle::scores(m.clone());
        let out = run(&cfg, &mut oracle, &x, Some(&y));
        let q = out.queries.clone().expect("square counts queries");
        assert_eq!(q.iter().sum::<usize>(), oracle.queries(), "{norm}");
        assert!(q.iter().all(|&k| (2..=302).contains(&k)));
        let s = success(&m, &x, &out, &y);
        assert!(s > 0.5, "{norm}: success {s}");
        for i in 0..x.nrows() {
            assert!(row_norm(norm, &out.x_adv, &x, i) <= eps * (1.0 + 1e-4));
        }
        // images: the same through the CNN's scores
        let img_eps = if norm == Norm::Inf { 0.3 } else { 2.0 };
        let cfg = AttackConfig::Square(SquareParams {
            norm,
            eps: img_eps,
            max_iter: 300,
            ..Default::default()
        });
        let mut oracle = Oracle::scores(img.clone());
        let out = run(&cfg, &mut oracle, &xi, Some(&yi));
        assert_eq!(
            out.queries.as_ref().unwrap().iter().sum::<usize>(),
            oracle.queries()
        );
        let s = success(&img, &xi, &out, &yi);
        assert!(s > 0.5, "{norm} images: success {s}");
        assert!(out.x_adv.iter().all(|&v| (0.0..=1.0).contains(&v)));
    }
}

#[test]
fn hopskipjump_succeeds_from_labels_alone() {
    let (m, x, y) = trained(true);
    let (img, xi, yi) = image_model();
    for norm in [Norm::L2, Norm::Inf] {
        let cfg = AttackConfig::Hopskipjump(HopSkipJumpParams {
            norm,
            max_iter: 10,
            max_eval: 500,
            batch_size: 100,
            ..Default::default()
        });
        let mut oracle = Oracle::label(m.clone());
        let out = run(&cfg, &mut oracle, &x, None);
        let q = out.queries.clone().expect("hopskipjump counts queries");
        assert_eq!(q.iter().sum::<usize>(), oracle.queries());
        assert_eq!(success(&m, &x, &out, &y), 1.0, "{norm}");
        let mut oracle = Oracle::label(img.clone());
        let out = run(&cfg, &mut oracle, &xi, None);
        assert_eq!(success(&img, &xi, &out, &yi), 1.0, "{norm} images");
        assert!(out.iterations.iter().all(|&k| k == 10));
    }
    // more iterations bring the examples closer to the input
    let l2 = |max_iter| {
        let cfg = AttackConfig::Hopskipjump(HopSkipJumpParams {
            max_iter,
            ..Default::default()
        });
        let out = run(&cfg, &mut Oracle::label(m.clone()), &x, None);
        (0..x.nrows())
            .map(|i| row_norm(Norm::L2, &out.x_adv, &x, i))
            .sum::<f32>()
    };
    let (short, long) = (l2(1), l2(15));
    assert!(long < 0.7 * short, "{long} vs {short}");
}

#[test]
fn targeted_hopskipjump_reaches_its_targets_and_skips_those_already_there() {
    let (img, xi, _) = image_model();
    let pred = img.predict_classes(xi.view());
    let mut targets: Vec<usize> = pred.iter().map(|&c| (c + 1) % 3).collect();
    targets[0] = pred[0];
    let cfg = AttackConfig::Hopskipjump(HopSkipJumpParams {
        targeted: true,
        max_iter: 5,
        max_eval: 300,
        ..Default::default()
    });
    let mut oracle = Oracle::label(img.clone());
    let out = run(&cfg, &mut oracle, &xi, Some(&targets));
    assert_eq!(out.x_adv.row(0), xi.row(0));
    assert_eq!(
        out.queries.as_ref().unwrap()[0],
        1,
        "only the clean prediction"
    );
    // a sample moves only once a random image of its target class was found, and then it
    // stays in the target class
    let after = img.predict_classes(out.x_adv.view());
    let moved: Vec<usize> = (1..xi.nrows())
        .filter(|&i| out.x_adv.row(i) != xi.row(i))
        .collect();
    assert!(moved.len() >= 8, "{} moved", moved.len());
    assert!(moved.iter().all(|&i| after[i] == targets[i]));
}

#[test]
fn white_box_attacks_read_the_cnn_logits() {
    let (mut img, xi, yi) = image_model();
    let cw = run(
        &AttackConfig::CwL2(CwL2Params::default()),
        &mut img,
        &xi,
        Some(&yi),
    );
    assert!(success(&img, &xi, &cw, &yi) > 0.9);
    let apgd = AttackConfig::Apgd(ApgdParams {
        eps: 0.3,
        eps_step: 0.6,
        max_iter: 20,
        nb_random_init: 1,
        loss_type: ApgdLoss::DifferenceLogitsRatio,
        ..Default::default()
    });
    let out = run(&apgd, &mut img, &xi, Some(&yi));
    assert!(success(&img, &xi, &out, &yi) > 0.5);
}
