//! The report's four experiments as data, and the one-click versions the page runs
//! (`?scenario=table1` or the page's Scenarios menu).
//!
//! Main types: [`Scenario`] (what the page sets up and runs: the shipped models it opens on,
//! the recipe it replays when asked to train them here, the attack, swept values and the report's
//! own figures as reference lines), [`Budget`]; [`scenarios`] lists them. The experiments
//! themselves ([`tables::TableSpec`], with the report's recipes and numbers and why advlab's may
//! differ) live in `tables.rs`, shared with `advlab reproduce`; the shipped models in
//! `reference.rs`, shared with `advlab models`.

pub mod cifar_table;
pub mod reference;
pub mod tables;

use serde::Serialize;

use crate::attacks::AttackConfig;
use crate::params::Help;
use crate::protocol::TrainSettings;
pub use reference::{reference_model, reference_models, shipped_for, ReferenceModel};
pub use tables::{table_specs, Recipe, Reported, TableSpec};

/// A smaller replay of a scenario's recipe, for slow machines ("train on a subset").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Budget {
    /// Epochs of each model (of the continued training, for the defended model).
    pub epochs: usize,
    /// Training samples (the first ones of the training set); `None`: all of them.
    pub train_limit: Option<usize>,
}

/// The report's figures for the reference line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// Accuracy of the undefended model under attack, in `[0, 1]`, one per swept value.
    pub undefended: [f32; 4],
    /// Accuracy of the defended model reading the undefended model's adversarial test set.
    pub defended: [f32; 4],
    /// The clean accuracy the report gives, as printed there (in %).
    pub clean: &'static str,
    /// The dataset the report used.
    pub dataset: &'static str,
}

/// One of the report's experiments, as the page runs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// `table1` ... `table4`: the value of `?scenario=`.
    pub id: &'static str,
    /// The report's name for it ("Table 1").
    pub table: &'static str,
    /// The dataset it runs on here.
    pub dataset: &'static str,
    /// The architecture preset.
    pub arch: &'static str,
    /// The shipped undefended and defended models (`models/<name>.safetensors`); `None` where
    /// none is shipped (CIFAR-10, which the user brings): the page then trains them.
    pub models: Option<[&'static str; 2]>,
    /// A dataset of the user's files the scenario needs (`cifar10`): the page offers it only
    /// once that dataset is there.
    pub needs: Option<&'static str>,
    /// The training requests that made them (the defended one continues the undefended one):
    /// what "Train these here" replays.
    pub training: [TrainSettings; 2],
    /// The defence as the report names it.
    pub defence_name: &'static str,
    /// The attack; `param` is swept over `values`.
    pub attack: AttackConfig,
    /// ART's name of the swept parameter.
    pub param: &'static str,
    /// The report's values of `param` (the curve also starts at 0: clean accuracy).
    pub values: [f32; 4],
    /// Test samples the curve attacks.
    pub n: usize,
    /// The replay on a subset.
    pub quick: Budget,
    /// The report's own figures.
    pub reference: Reference,
    /// What matches the report and what differs, in two sentences.
    pub caption: Help,
    /// The longer explanation (from `advlab reproduce`).
    pub explanation: Help,
}

impl Reference {
    /// The reference line of a table's reported figures (percentages become fractions).
    pub(super) fn of(r: &Reported) -> Reference {
        let fraction = |v: [f32; 4]| v.map(|a| a / 100.0);
        Reference {
            undefended: fraction(r.undefended),
            defended: fraction(r.defended),
            clean: r.clean,
            dataset: r.dataset,
        }
    }
}

/// The page's side of a table: `(id, shipped models, curve samples, subset replay)`.
fn page_side(table: &str) -> Option<(&'static str, [&'static str; 2], usize, Budget)> {
    let b = |epochs, train_limit| Budget {
        epochs,
        train_limit,
    };
    Some(match table {
        "Table 1" => (
            "table1",
            ["mnist-seed", "mnist-seed-fgsm"],
            1000,
            b(1, Some(10_000)),
        ),
        "Table 2a" => (
            "table2",
            ["mnist-seed", "mnist-seed-deepfool"],
            300,
            b(1, Some(2000)),
        ),
        "Table 3" => ("table3", ["iris-seed", "iris-seed-jsma"], 45, b(100, None)),
        "Table 4" => (
            "table4",
            ["iris-seed", "iris-seed-madry-art"],
            45,
            b(100, None),
        ),
        _ => return None,
    })
}

/// The page's scenarios, in the report's order (Table 2 runs on MNIST, the stand-in for CIFAR-10
/// that the single offline file also carries), then Table 2 on CIFAR-10 for a user who loaded it.
pub fn scenarios() -> Vec<Scenario> {
    let mut all = shipped_scenarios();
    all.push(cifar_table::table_2_scenario());
    all
}

fn shipped_scenarios() -> Vec<Scenario> {
    table_specs()
        .into_iter()
        .filter_map(|spec| {
            let (id, models, n, quick) = page_side(spec.id)?;
            let [u, d] = models.map(|name| reference_model(name).expect("a shipped model"));
            Some(Scenario {
                id,
                table: if spec.id == "Table 2a" {
                    "Table 2"
                } else {
                    spec.id
                },
                dataset: spec.dataset,
                arch: spec.preset,
                models: Some(models),
                needs: None,
                training: [u.settings, d.settings],
                defence_name: spec.defence_name,
                attack: spec.attack,
                param: spec.param,
                values: spec.values,
                n,
                quick,
                reference: Reference::of(&spec.reported),
                caption: spec.caption,
                explanation: spec.explanation,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::sources::DATASET_NAMES;
    use crate::defences::DefenceConfig;
    use crate::nn::presets::preset;

    #[test]
    fn every_table_has_one_runnable_scenario() {
        let all = scenarios();
        let ids: Vec<_> = all.iter().map(|s| s.id).collect();
        assert_eq!(
            ids,
            ["table1", "table2", "table3", "table4", "table2-cifar10"]
        );
        for s in &all {
            let own = s.needs == Some(s.dataset);
            assert!(DATASET_NAMES.contains(&s.dataset) || own, "{}", s.id);
            assert_eq!(preset(s.arch).map(|p| p.name), Some(s.arch), "{}", s.id);
            s.attack.check().unwrap();
            let defence = s.training[1].defence.as_ref().expect("a defended model");
            defence.trainer().unwrap();
            // The swept parameter is one of the attack's own (serialised) parameters.
            let json = serde_json::to_value(&s.attack).unwrap();
            assert!(
                json.get(s.param).is_some(),
                "{}: {} in {json}",
                s.id,
                s.param
            );
            // The defended model continues the undefended one, as the report's trainers do.
            let [u, d] = &s.training;
            assert_eq!(u.start_from, None, "{}", s.id);
            assert_eq!(d.start_from, Some(crate::protocol::Slot::Undefended));
            if let Some(m) = s.models {
                assert_eq!(reference_model(m[1]).unwrap().base, Some(m[0]));
            }
            assert!(s.quick.epochs >= 1 && s.quick.epochs < u.epochs.unwrap());
            let r = &s.reference;
            assert!(r
                .undefended
                .iter()
                .chain(&r.defended)
                .all(|a| (0.0..=1.0).contains(a)));
            assert!(!s.caption.ko.is_empty() && !s.explanation.ko.is_empty());
        }
        // Table 2 keeps the report's name though it runs on MNIST.
        assert_eq!((all[1].table, all[1].dataset), ("Table 2", "mnist"));
        assert_eq!(all[1].reference.dataset, "CIFAR-10");
    }

    #[test]
    fn scenarios_serialise_for_the_page() {
        let json = serde_json::to_value(scenarios()).unwrap();
        let t1 = &json[0];
        assert_eq!(t1["attack"]["attack"], "fgsm");
        assert_eq!(t1["training"][1]["defence"]["method"], "adv-trainer");
        assert_eq!(t1["training"][0]["epochs"], 20);
        assert_eq!(t1["models"][1], "mnist-seed-fgsm");
        assert!((t1["reference"]["undefended"][0].as_f64().unwrap() - 0.617).abs() < 1e-6);
        assert!(t1["caption"]["ko"].as_str().unwrap().contains("보고서"));
    }

    #[test]
    fn table_4_trains_with_arts_madry_defaults() {
        let t4 = &table_specs()[4];
        let DefenceConfig::MadryPgd(p) = &t4.defence else {
            panic!("{t4:?}")
        };
        assert_eq!((p.eps, p.eps_step, p.max_iter), (8.0, 2.0, 7));
        assert!(!t4.per_column);
        let t1 = &table_specs()[0];
        let DefenceConfig::AdvTrainer(p) = t1.defence_at(0.4).unwrap() else {
            panic!()
        };
        assert_eq!(
            serde_json::to_value(&p.attacks[0]).unwrap()["eps"],
            0.4f32 as f64
        );
    }
}
