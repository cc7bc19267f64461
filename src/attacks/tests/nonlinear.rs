//! Every attack on a trained non-linear model (the tanh MLP), where they have to iterate.

use super::*;
use crate::attacks::test_classifiers::MlpClassifier;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Three classes: the nearest of three corners of the 6-d unit cube; an MLP trained on 300 samples.
pub(super) fn trained(softmax: bool) -> (MlpClassifier, Array2<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    let centres = [[0.2f32; 6], [0.8; 6], [0.2, 0.8, 0.2, 0.8, 0.2, 0.8]];
    let x = Array2::from_shape_fn((300, 6), |_| rng.random_range(0.0f32..1.0));
    let y: Vec<usize> = x
        .rows()
        .into_iter()
        .map(|r| {
            let d = |c: &[f32; 6]| r.iter().zip(c).map(|(a, b)| (a - b) * (a - b)).sum::<f32>();
            (0..3)
                .min_by(|&a, &b| d(&centres[a]).total_cmp(&d(&centres[b])))
                .unwrap_or(0)
        })
        .collect();
    let mut m = MlpClassifier::new(6, 16, 3, softmax, 4);
    m.lr = 1.0;
    for _ in 0..400 {
        m.train_batch(x.view(), &y);
    }
    (
        m,
        x.slice(ndarray::s![..40, ..]).to_owned(),
        y[..40].to_vec(),
    )
}

fn metrics_of(
    clf: &MlpClassifier,
    x: &Array2<f32>,
    y: &[usize],
    out: &AttackOutput,
) -> AttackMetrics {
    attack_metrics(clf, x.view(), out.x_adv.view(), y, None, &out.iterations)
}

#[test]
fn the_model_learns_the_task() {
    let (m, x, y) = trained(true);
    let acc = crate::classifier::accuracy(&m.predict(x.view()), &y);
    assert!(acc > 0.85, "accuracy {acc}");
}

#[test]
fn pgd_is_at_least_as_strong_as_fgsm_on_the_mlp() {
    let (mut m, x, y) = trained(true);
    let f = AttackConfig::Fgsm(FgsmParams {
        eps: 0.15,
        ..Default::default()
    });
    let p = AttackConfig::Pgd(PgdParams {
        eps: 0.15,
        eps_step: 0.02,
        max_iter: 20,
        ..Default::default()
    });
    let (of, op) = (run(&f, &mut m, &x, Some(&y)), run(&p, &mut m, &x, Some(&y)));
    let (mf, mp) = (metrics_of(&m, &x, &y, &of), metrics_of(&m, &x, &y, &op));
    assert!(
        mp.adversarial_accuracy <= mf.adversarial_accuracy,
        "{mp:?} vs {mf:?}"
    );
    assert!(mp.adversarial_accuracy < mp.clean_accuracy);
    assert!(mp.linf_max <= 0.15 + 1e-6);
}

#[test]
fn deepfool_fools_with_small_steps() {
    let (mut m, x, y) = trained(false);
    let cfg = AttackConfig::Deepfool(DeepFoolParams {
        epsilon: 0.05,
        batch_size: 8,
        ..Default::default()
    });
    let out = run(&cfg, &mut m, &x, Some(&y));
    let before = m.predict_classes(x.view());
    let after = m.predict_classes(out.x_adv.view());
    let fooled = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    assert!(fooled >= 36, "fooled {fooled} of 40");
    let mm = metrics_of(&m, &x, &y, &out);
    assert!(mm.l2_mean < 0.6, "{mm:?}");
    assert!(out.iterations.iter().all(|&k| (1..=100).contains(&k)));
}

#[test]
fn newtonfool_and_jsma_work_on_the_mlp() {
    let (mut m, x, _) = trained(true);
    let pred = m.predict_classes(x.view());
    let cfg = AttackConfig::Newtonfool(NewtonFoolParams {
        max_iter: 30,
        eta: 0.05,
        batch_size: 16,
    });
    let out = run(&cfg, &mut m, &x, None);
    let (before, after) = (m.predict(x.view()), m.predict(out.x_adv.view()));
    let lowered = pred
        .iter()
        .enumerate()
        .filter(|&(i, &c)| after[[i, c]] < before[[i, c]])
        .count();
    assert!(lowered >= 38, "lowered {lowered} of 40");
    let targets: Vec<usize> = pred.iter().map(|&c| (c + 1) % 3).collect();
    // theta > 0 can only raise features and theta < 0 only lower them; together they reach most
    let mut reached = [false; 40];
    for theta in [0.3f32, -0.3] {
        let cfg = AttackConfig::Jsma(JsmaParams {
            theta,
            gamma: 1.0,
            batch_size: 16,
        });
        let out = run(&cfg, &mut m, &x, Some(&targets));
        for (i, c) in m.predict_classes(out.x_adv.view()).into_iter().enumerate() {
            reached[i] |= c == targets[i];
        }
    }
    let reached = reached.iter().filter(|&&r| r).count();
    assert!(reached >= 30, "reached {reached} of 40 targets");
}
