//! Golden tests: our attacks against ART 1.20's own outputs on the same logistic-regression model.
//!
//! `tests/fixtures/art/make_fixtures.py` fitted a 3-class scikit-learn logistic regression, ran
//! ART's attacks through `ScikitlearnLogisticRegression` (whose gradients
//! `test_classifiers::LinearOutput::ArtLogReg` reproduces) and saved inputs, weights and outputs as `.npy`.
//! ART computes in float64, we in float32, hence the 1e-4 tolerance.

use advlab::attacks::test_classifiers::{LinearClassifier, LinearOutput};
use advlab::attacks::{
    AttackConfig, DeepFoolParams, FgsmParams, JsmaParams, NewtonFoolParams, Norm, PgdParams,
};
use ndarray::{Array1, Array2};
use ndarray_npy::read_npy;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/art")
        .join(format!("{name}.npy"))
}

fn labels(name: &str) -> Vec<usize> {
    let v: Array1<i64> = read_npy(fixture(name)).expect("labels fixture");
    v.iter().map(|&c| c as usize).collect()
}

fn model() -> LinearClassifier {
    let w: Array2<f32> = read_npy(fixture("w")).expect("weights");
    let b: Array1<f32> = read_npy(fixture("b")).expect("biases");
    LinearClassifier::new(w, b, LinearOutput::ArtLogReg, (0.0, 1.0))
}

/// Which labels the fixture passed to ART's `generate`.
enum Labels {
    True,
    Targets,
    None,
}

fn check(name: &str, config: AttackConfig, which: Labels) {
    let x: Array2<f32> = read_npy(fixture("x")).expect("inputs");
    let expected: Array2<f32> = read_npy(fixture(name)).expect("ART output");
    let (y, t) = (labels("y"), labels("targets"));
    let arg = match which {
        Labels::True => Some(y.as_slice()),
        Labels::Targets => Some(t.as_slice()),
        Labels::None => None,
    };
    let mut clf = model();
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let out = config
        .generate(&mut clf, x.view(), arg, &mut rng, None)
        .expect("attack runs");
    assert_eq!(out.x_adv.dim(), expected.dim());
    let worst = (&out.x_adv - &expected)
        .iter()
        .fold(0.0f32, |m, d| m.max(d.abs()));
    assert!(
        worst < 1e-4,
        "{name}: max |ours - ART| = {worst}\nours {:?}\nART  {:?}",
        out.x_adv,
        expected
    );
    let moved = (&expected - &x).iter().fold(0.0f32, |m, d| m.max(d.abs()));
    assert!(moved > 1e-2, "{name}: the fixture should perturb the input");
}

fn fgsm(norm: Norm, eps: f32) -> FgsmParams {
    FgsmParams {
        norm,
        eps,
        eps_step: eps,
        batch_size: 5,
        ..Default::default()
    }
}

fn pgd(norm: Norm, eps: f32, eps_step: f32, max_iter: usize) -> PgdParams {
    PgdParams {
        norm,
        eps,
        eps_step,
        max_iter,
        batch_size: 5,
        ..Default::default()
    }
}

#[test]
fn fgsm_matches_art() {
    check(
        "fgsm_inf",
        AttackConfig::Fgsm(fgsm(Norm::Inf, 0.1)),
        Labels::True,
    );
    check(
        "fgsm_l2",
        AttackConfig::Fgsm(fgsm(Norm::L2, 0.3)),
        Labels::None,
    );
    check(
        "fgsm_l1",
        AttackConfig::Fgsm(fgsm(Norm::L1, 0.3)),
        Labels::True,
    );
    let targeted = FgsmParams {
        targeted: true,
        ..fgsm(Norm::Inf, 0.2)
    };
    check(
        "fgsm_targeted",
        AttackConfig::Fgsm(targeted),
        Labels::Targets,
    );
    let minimal = FgsmParams {
        eps: 0.45,
        eps_step: 0.1,
        minimal: true,
        ..fgsm(Norm::Inf, 0.45)
    };
    check("fgsm_minimal", AttackConfig::Fgsm(minimal), Labels::True);
}

#[test]
fn pgd_matches_art() {
    check(
        "pgd_inf",
        AttackConfig::Pgd(pgd(Norm::Inf, 0.2, 0.05, 10)),
        Labels::None,
    );
    check(
        "pgd_l2",
        AttackConfig::Pgd(pgd(Norm::L2, 0.5, 0.1, 10)),
        Labels::True,
    );
    let targeted = PgdParams {
        targeted: true,
        ..pgd(Norm::Inf, 0.3, 0.05, 12)
    };
    check("pgd_targeted", AttackConfig::Pgd(targeted), Labels::Targets);
}

#[test]
fn jsma_matches_art() {
    let p = JsmaParams {
        theta: 0.1,
        gamma: 0.5,
        batch_size: 4,
    };
    check("jsma", AttackConfig::Jsma(p), Labels::Targets);
    let p = JsmaParams {
        theta: -0.15,
        gamma: 1.0,
        batch_size: 4,
    };
    check("jsma_neg", AttackConfig::Jsma(p), Labels::Targets);
}

#[test]
fn deepfool_matches_art() {
    let p = DeepFoolParams {
        max_iter: 50,
        epsilon: 0.02,
        nb_grads: 10,
        batch_size: 4,
    };
    check("deepfool", AttackConfig::Deepfool(p), Labels::None);
    let p = DeepFoolParams {
        max_iter: 50,
        epsilon: 0.01,
        nb_grads: 2,
        batch_size: 4,
    };
    check("deepfool_top2", AttackConfig::Deepfool(p), Labels::None);
}

#[test]
fn newtonfool_matches_art() {
    let p = NewtonFoolParams {
        max_iter: 20,
        eta: 0.01,
        batch_size: 4,
    };
    check("newtonfool", AttackConfig::Newtonfool(p), Labels::None);
}
