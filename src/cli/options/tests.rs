//! The attack options: one per parameter, with the attacks that have it in its help.

use super::*;

#[test]
fn every_attack_parameter_has_one_option_with_its_help() {
    let specs = attack_specs();
    let names: Vec<&str> = specs.iter().map(|(s, _)| s.name).collect();
    for n in [
        "eps",
        "eps_step",
        "norm",
        "max_iter",
        "theta",
        "gamma",
        "epsilon",
        "nb_grads",
        "eta",
        "num_random_init",
        "targeted",
        "minimal",
        "confidence",
        "binary_search_steps",
        "loss_type",
        "p_init",
        "max_eval",
    ] {
        assert!(names.contains(&n), "{n}");
    }
    let (_, eps) = specs.iter().find(|(s, _)| s.name == "eps").unwrap();
    assert!(
        eps.starts_with("fgsm, pgd, apgd, autoattack, square: ") && eps.contains("Default 0.3"),
        "{eps}"
    );
    assert_eq!(flag_of("num_random_init"), "--num-random-init");
}
