//! C&W-L2, APGD and AutoAttack on the trained MLP: each against the attack it improves on.

use super::nonlinear::trained;
use super::*;
use crate::attacks::test_classifiers::MlpClassifier;
use ndarray::Array2;

fn fooled(m: &MlpClassifier, out: &AttackOutput, y: &[usize]) -> Vec<bool> {
    let pred = m.predict_classes(out.x_adv.view());
    pred.iter().zip(y).map(|(p, t)| p != t).collect()
}

fn l2s(out: &AttackOutput, x: &Array2<f32>) -> Vec<f32> {
    (0..x.nrows())
        .map(|i| row_norm(Norm::L2, &out.x_adv, x, i))
        .collect()
}

fn mean_where(v: &[f32], mask: &[bool]) -> f32 {
    let picked: Vec<f32> = v
        .iter()
        .zip(mask)
        .filter(|(_, &m)| m)
        .map(|(a, _)| *a)
        .collect();
    picked.iter().sum::<f32>() / picked.len().max(1) as f32
}

#[test]
fn cw_finds_a_smaller_l2_than_pgd_l2_at_equal_success() {
    let (mut m, x, y) = trained(true);
    let cw = run(
        &AttackConfig::CwL2(CwL2Params::default()),
        &mut m,
        &x,
        Some(&y),
    );
    let cw_ok = fooled(&m, &cw, &y);
    let cw_l2 = l2s(&cw, &x);
    let n_cw = cw_ok.iter().filter(|&&f| f).count();
    assert!(n_cw >= 36, "C&W fooled {n_cw} of 40");
    // PGD-L2 with a ball just large enough for every example C&W found
    let eps = cw_l2
        .iter()
        .zip(&cw_ok)
        .filter(|(_, &f)| f)
        .fold(0.0f32, |a, (&v, _)| a.max(v));
    let pgd = AttackConfig::Pgd(PgdParams {
        norm: Norm::L2,
        eps,
        eps_step: eps / 10.0,
        max_iter: 50,
        ..Default::default()
    });
    let pgd = run(&pgd, &mut m, &x, Some(&y));
    let pgd_ok = fooled(&m, &pgd, &y);
    assert!(pgd_ok.iter().filter(|&&f| f).count() >= n_cw - 2);
    let (a, b) = (
        mean_where(&cw_l2, &cw_ok),
        mean_where(&l2s(&pgd, &x), &pgd_ok),
    );
    assert!(a < 0.8 * b, "C&W mean L2 {a} vs PGD-L2 {b}");
    // unfooled samples are returned unchanged
    for (i, &f) in cw_ok.iter().enumerate() {
        if !f {
            assert_eq!(cw.x_adv.row(i), x.row(i), "sample {i}");
        }
    }
    assert!(cw.x_adv.iter().all(|&v| (0.0..=1.0).contains(&v)));
}

#[test]
fn targeted_cw_reaches_its_targets_and_confidence_pays_in_distance() {
    let (mut m, x, _) = trained(false);
    let pred = m.predict_classes(x.view());
    let targets: Vec<usize> = pred.iter().map(|&c| (c + 1) % 3).collect();
    let p = CwL2Params {
        targeted: true,
        max_iter: 20,
        ..Default::default()
    };
    let out = run(&AttackConfig::CwL2(p.clone()), &mut m, &x, Some(&targets));
    let after = m.predict_classes(out.x_adv.view());
    let reached = after.iter().zip(&targets).filter(|(a, t)| a == t).count();
    assert!(reached >= 36, "reached {reached} of 40");
    let sure = run(
        &AttackConfig::CwL2(CwL2Params {
            confidence: 2.0,
            ..p
        }),
        &mut m,
        &x,
        Some(&targets),
    );
    let z = m.logits(sure.x_adv.view());
    let (near, far) = (l2s(&out, &x), l2s(&sure, &x));
    let mut farther = 0;
    for i in 0..40 {
        if sure.x_adv.row(i) != x.row(i) {
            let others = (0..3).filter(|&c| c != targets[i]).map(|c| z[[i, c]]);
            assert!(z[[i, targets[i]]] - others.fold(f32::MIN, f32::max) >= 2.0 - 1e-3);
            farther += usize::from(far[i] > near[i]);
        }
    }
    assert!(farther >= 30, "{farther}");
}

#[test]
fn apgd_is_at_least_as_strong_as_pgd_with_the_same_budget() {
    let (mut m, x, y) = trained(true);
    for (norm, eps) in [
        (Norm::Inf, 0.05),
        (Norm::Inf, 0.1),
        (Norm::L2, 0.2),
        (Norm::L2, 0.3),
    ] {
        let pgd = AttackConfig::Pgd(PgdParams {
            norm,
            eps,
            eps_step: eps / 4.0,
            max_iter: 20,
            num_random_init: 1,
            ..Default::default()
        });
        let apgd = AttackConfig::Apgd(ApgdParams {
            norm,
            eps,
            eps_step: 2.0 * eps,
            max_iter: 20,
            nb_random_init: 1,
            ..Default::default()
        });
        let (a, p) = (
            run(&apgd, &mut m, &x, Some(&y)),
            run(&pgd, &mut m, &x, Some(&y)),
        );
        let (na, np) = (fooled(&m, &a, &y), fooled(&m, &p, &y));
        let count = |v: &[bool]| v.iter().filter(|&&f| f).count();
        assert!(
            count(&na) >= count(&np),
            "{norm} {eps}: {} < {}",
            count(&na),
            count(&np)
        );
        for i in 0..40 {
            assert!(row_norm(norm, &a.x_adv, &x, i) <= eps * (1.0 + 1e-5));
        }
        assert_eq!(a.iterations, vec![20; 40]);
    }
}

#[test]
fn apgd_restarts_only_attack_what_is_left_and_dlr_needs_three_classes() {
    let (mut m, x, y) = trained(true);
    let cfg = |nb_random_init, loss_type| {
        AttackConfig::Apgd(ApgdParams {
            eps: 0.08,
            eps_step: 0.16,
            max_iter: 10,
            nb_random_init,
            loss_type,
            ..Default::default()
        })
    };
    let one = run(
        &cfg(1, ApgdLoss::DifferenceLogitsRatio),
        &mut m,
        &x,
        Some(&y),
    );
    let three = run(
        &cfg(3, ApgdLoss::DifferenceLogitsRatio),
        &mut m,
        &x,
        Some(&y),
    );
    let count = |o: &AttackOutput| fooled(&m, o, &y).iter().filter(|&&f| f).count();
    assert!(count(&three) >= count(&one));
    for i in 0..40 {
        let runs = three.iterations[i] / 10;
        assert!((1..=3).contains(&runs), "{}", three.iterations[i]);
        if !fooled(&m, &three, &y)[i] {
            assert_eq!(three.iterations[i], 30, "a robust sample gets every run");
        }
    }
    let mut binary = MlpClassifier::new(6, 8, 2, true, 3);
    let e = cfg(1, ApgdLoss::DifferenceLogitsRatio)
        .generate(
            &mut binary,
            x.view(),
            None,
            &mut rand_chacha::ChaCha8Rng::seed_from_u64(0),
            None,
        )
        .unwrap_err();
    assert!(e.to_string().contains("at least 3 classes"), "{e}");
}

#[test]
fn autoattack_reports_which_attack_fooled_each_sample_first() {
    let (mut m, x, y) = trained(true);
    let mut y = y;
    let pred = m.predict_classes(x.view());
    y[0] = (pred[0] + 1) % 3; // one sample misclassified from the start
    let eps = 0.1;
    let cfg = AttackConfig::Autoattack(AutoAttackParams {
        eps,
        eps_step: 0.2,
        ..Default::default()
    });
    let out = run(&cfg, &mut m, &x, Some(&y));
    let first = out.first_success.clone().expect("autoattack says who won");
    assert_eq!(first[0], Some("misclassified"));
    let after = m.predict_classes(out.x_adv.view());
    for i in 1..40 {
        match first[i] {
            Some(name) => {
                assert!(["apgd-ce", "apgd-dlr", "deepfool", "square"].contains(&name));
                assert_ne!(after[i], y[i], "sample {i} ({name})");
                assert!(row_norm(Norm::Inf, &out.x_adv, &x, i) <= eps * (1.0 + 1e-4));
            }
            None => {
                assert_eq!(after[i], y[i]);
                assert_eq!(out.x_adv.row(i), x.row(i));
            }
        }
    }
    let apgd = AttackConfig::Apgd(ApgdParams {
        eps,
        eps_step: 0.2,
        ..Default::default()
    });
    let alone = run(&apgd, &mut m, &x, Some(&y));
    let robust = |o: &AttackOutput| {
        let p = m.predict_classes(o.x_adv.view());
        p.iter().zip(&y).filter(|(a, b)| a == b).count()
    };
    assert!(robust(&out) <= robust(&alone));
    assert!(first.contains(&Some("apgd-ce")));
}
