//! FGSM and PGD: budgets, directions, clipping, restarts, batch-size independence.

use super::*;
use ndarray::{array, Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[test]
fn fgsm_inf_moves_every_live_feature_by_eps() {
    let mut clf = linear(LinearOutput::Softmax);
    let x = inputs(8, 2);
    let cfg = AttackConfig::Fgsm(FgsmParams {
        eps: 0.2,
        ..Default::default()
    });
    let out = run(&cfg, &mut clf, &x, None);
    let d = &out.x_adv - &x;
    for i in 0..8 {
        for j in 0..4 {
            assert!(
                (d[[i, j]].abs() - 0.2).abs() < 1e-6,
                "sample {i} feature {j}: {}",
                d[[i, j]]
            );
        }
        assert_eq!(d[[i, 4]], 0.0, "zero gradient leaves the feature alone");
    }
    assert_eq!(out.iterations, vec![1; 8]);
    let before = clf.predict(x.view());
    let after = clf.predict(out.x_adv.view());
    let pred = crate::classifier::argmax_rows(&before);
    for (i, &c) in pred.iter().enumerate() {
        assert!(
            after[[i, c]] < before[[i, c]],
            "the predicted class loses probability"
        );
    }
}

#[test]
fn fgsm_clips_to_the_clip_values() {
    let mut clf = linear(LinearOutput::Logits);
    let x = Array2::from_elem((3, 5), 0.95f32);
    let cfg = AttackConfig::Fgsm(FgsmParams {
        eps: 0.3,
        ..Default::default()
    });
    let out = run(&cfg, &mut clf, &x, Some(&[0, 1, 2]));
    assert!(out.x_adv.iter().all(|&v| (0.0..=1.0).contains(&v)));
    assert!(out.x_adv.iter().any(|&v| v == 1.0));
}

#[test]
fn fgsm_l2_and_l1_steps_have_length_eps() {
    let mut clf = linear(LinearOutput::Softmax);
    let x = inputs(6, 3);
    for norm in [Norm::L2, Norm::L1] {
        let cfg = AttackConfig::Fgsm(FgsmParams {
            norm,
            eps: 0.2,
            ..Default::default()
        });
        let out = run(&cfg, &mut clf, &x, None);
        for i in 0..6 {
            assert!(
                (row_norm(norm, &out.x_adv, &x, i) - 0.2).abs() < 1e-5,
                "{norm} sample {i}"
            );
        }
    }
}

#[test]
fn targeted_fgsm_moves_towards_the_target() {
    let mut clf = linear(LinearOutput::Softmax);
    let x = inputs(9, 4);
    let targets: Vec<usize> = (0..9).map(|i| i % 3).collect();
    let cfg = AttackConfig::Fgsm(FgsmParams {
        eps: 0.1,
        targeted: true,
        ..Default::default()
    });
    assert!(cfg.is_targeted());
    let out = run(&cfg, &mut clf, &x, Some(&targets));
    let (before, after) = (clf.predict(x.view()), clf.predict(out.x_adv.view()));
    for (i, &t) in targets.iter().enumerate() {
        assert!(after[[i, t]] > before[[i, t]], "sample {i}");
    }
    let err = cfg.generate(
        &mut clf,
        x.view(),
        None,
        &mut ChaCha8Rng::seed_from_u64(0),
        None,
    );
    assert!(matches!(err, Err(AttackError::TargetsRequired { .. })));
}

#[test]
fn minimal_fgsm_stops_at_the_first_eps_that_fools() {
    let mut clf = linear(LinearOutput::Logits);
    let x = inputs(10, 5);
    let y = clf.predict_classes(x.view());
    let p = FgsmParams {
        eps: 1.0,
        eps_step: 0.02,
        minimal: true,
        ..Default::default()
    };
    let out = run(&AttackConfig::Fgsm(p.clone()), &mut clf, &x, Some(&y));
    let adv_pred = clf.predict_classes(out.x_adv.view());
    for i in 0..10 {
        let k = out.iterations[i];
        assert!((1..=50).contains(&k));
        if adv_pred[i] == y[i] {
            assert_eq!(k, 50, "only exhausted samples keep their class");
            continue;
        }
        // one eps step less must not have fooled the model
        let fixed = FgsmParams {
            minimal: false,
            eps: (k - 1) as f32 * 0.02,
            eps_step: 0.02,
            ..p.clone()
        };
        if k > 1 {
            let xi = x.select(Axis(0), &[i]);
            let o = run(&AttackConfig::Fgsm(fixed), &mut clf, &xi, Some(&y[i..=i]));
            assert_eq!(
                clf.predict_classes(o.x_adv.view())[0],
                y[i],
                "sample {i} at step {k}"
            );
        }
    }
}

#[test]
fn random_init_is_seeded_and_stays_in_the_ball() {
    let mut clf = linear(LinearOutput::Softmax);
    let x = inputs(6, 6);
    let p = PgdParams {
        eps: 0.1,
        eps_step: 0.03,
        max_iter: 5,
        num_random_init: 2,
        ..Default::default()
    };
    let cfg = AttackConfig::Pgd(p);
    let gen = |clf: &mut LinearClassifier, seed| {
        cfg.generate(
            clf,
            x.view(),
            None,
            &mut ChaCha8Rng::seed_from_u64(seed),
            None,
        )
        .unwrap()
        .x_adv
    };
    let (a, b, c) = (gen(&mut clf, 7), gen(&mut clf, 7), gen(&mut clf, 8));
    assert_eq!(a, b);
    assert_ne!(a, c);
    for i in 0..6 {
        assert!(row_norm(Norm::Inf, &a, &x, i) <= 0.1 + 1e-6);
    }
    let f = FgsmParams {
        eps: 0.1,
        num_random_init: 3,
        ..Default::default()
    };
    let out = run(&AttackConfig::Fgsm(f), &mut clf, &x, None);
    for i in 0..6 {
        assert!(row_norm(Norm::Inf, &out.x_adv, &x, i) <= 0.1 + 1e-6);
    }
}

#[test]
fn pgd_stays_in_the_ball_and_in_the_clip_range() {
    let mut clf = linear(LinearOutput::Softmax);
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let x = Array2::from_shape_fn((10, 5), |_| rng.random_range(0.0f32..=1.0));
    for (norm, eps) in [(Norm::Inf, 0.15), (Norm::L2, 0.3), (Norm::L1, 0.4)] {
        let p = PgdParams {
            norm,
            eps,
            eps_step: eps / 3.0,
            max_iter: 8,
            num_random_init: 1,
            ..Default::default()
        };
        let mut trace = Vec::new();
        let cfg = AttackConfig::Pgd(p);
        let out = cfg
            .generate(&mut clf, x.view(), None, &mut rng, Some(&mut trace))
            .unwrap();
        assert_eq!(trace.len(), 8);
        assert_eq!(trace.last(), Some(&out.x_adv));
        for i in 0..10 {
            assert!(
                row_norm(norm, &out.x_adv, &x, i) <= eps * (1.0 + 1e-5),
                "{norm} sample {i}"
            );
        }
        assert!(out.x_adv.iter().all(|&v| (0.0..=1.0).contains(&v)));
        assert_eq!(out.iterations, vec![8; 10]);
    }
}

#[test]
fn pgd_beats_fgsm_and_ignores_batch_size() {
    let mut clf = linear(LinearOutput::Softmax);
    let x = inputs(20, 10);
    let y = clf.predict_classes(x.view());
    let base = PgdParams {
        eps: 0.12,
        eps_step: 0.02,
        max_iter: 20,
        ..Default::default()
    };
    let a = run(
        &AttackConfig::Pgd(PgdParams {
            batch_size: 1,
            ..base.clone()
        }),
        &mut clf,
        &x,
        Some(&y),
    );
    let b = run(
        &AttackConfig::Pgd(PgdParams {
            batch_size: 7,
            ..base
        }),
        &mut clf,
        &x,
        Some(&y),
    );
    assert_eq!(a, b);
    let f = run(
        &AttackConfig::Fgsm(FgsmParams {
            eps: 0.12,
            ..Default::default()
        }),
        &mut clf,
        &x,
        Some(&y),
    );
    let m_pgd = attack_metrics(&clf, x.view(), a.x_adv.view(), &y, None, &a.iterations);
    let m_fgsm = attack_metrics(&clf, x.view(), f.x_adv.view(), &y, None, &f.iterations);
    assert!(m_pgd.adversarial_accuracy <= m_fgsm.adversarial_accuracy);
    assert!(m_pgd.success_rate > 0.0);
}

/// Naive twin of `fgsm::step_direction`: one feature at a time, straight from the definitions.
#[test]
fn step_direction_matches_a_naive_twin() {
    let g = array![
        [0.3f32, -2.0, 0.0, 1.0],
        [0.0, 0.0, 0.0, 0.0],
        [-1e-3, 4.0, 4.0, 0.5]
    ];
    for norm in [Norm::Inf, Norm::L1, Norm::L2] {
        let fast = fgsm::step_direction(&g, norm);
        for (i, row) in g.rows().into_iter().enumerate() {
            let l2: f32 = row.iter().map(|v| v * v).sum::<f32>().sqrt();
            let mut arg = 0;
            for j in 0..row.len() {
                if row[j].abs() > row[arg].abs() {
                    arg = j;
                }
            }
            for j in 0..row.len() {
                let sign = if row[j] > 0.0 {
                    1.0
                } else if row[j] < 0.0 {
                    -1.0
                } else {
                    0.0
                };
                let naive = match norm {
                    Norm::Inf => sign,
                    Norm::L1 => {
                        if j == arg {
                            sign
                        } else {
                            0.0
                        }
                    }
                    Norm::L2 => {
                        if l2 > 0.0 {
                            row[j] / l2
                        } else {
                            0.0
                        }
                    }
                };
                assert!((fast[[i, j]] - naive).abs() < 1e-6, "{norm} [{i},{j}]");
            }
        }
    }
}
