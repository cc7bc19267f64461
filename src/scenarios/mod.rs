//! The report's four experiments as data, and the browser-sized versions the page runs in one click
//! (`?scenario=table1` or the page's Scenarios menu).
//!
//! Main types: [`Scenario`] (what the page sets up and runs: dataset, architecture, training
//! budget, defence, attack, swept parameter and the report's own figures as a reference line),
//! [`Budget`]; [`scenarios`] lists them. The experiments themselves ([`tables::TableSpec`], with
//! the report's numbers and why advlab's may differ) live in `tables.rs`, shared with
//! `advlab reproduce`. A scenario keeps its table's attack, defence, swept values and figures, and
//! only shrinks the data and epochs so that both models train in under a minute in a browser tab;
//! `quick` is a smaller variant still (for a first look, and for the browser tests).

pub mod tables;

use serde::Serialize;

use crate::attacks::AttackConfig;
use crate::defences::DefenceConfig;
pub use tables::{table_specs, Reported, TableSpec};

/// How much a scenario trains and attacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Budget {
    /// Epochs of each model (of the fine-tuning, for the defended model of a fine-tuned table).
    pub epochs: usize,
    /// Training samples (the first ones of the training set); `None`: all of them.
    pub train_limit: Option<usize>,
    /// Test samples the curve attacks (the first ones of the test set).
    pub n: usize,
}

/// The report's figures for the reference line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// Accuracy of the undefended model under attack, in `[0, 1]`, one per swept value.
    pub undefended: [f32; 4],
    /// Accuracy of the defended model under attack, in `[0, 1]`.
    pub defended: [f32; 4],
    /// The clean accuracy the report gives, as printed there (in %).
    pub clean: &'static str,
    /// The dataset the report used.
    pub dataset: &'static str,
}

/// One of the report's experiments, sized for a browser tab.
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
    /// The defended model's training.
    pub defence: DefenceConfig,
    /// The defence as the report names it.
    pub defence_name: &'static str,
    /// The defended model continues from the undefended model's weights (the defence is
    /// expensive), as `advlab reproduce` does for this table.
    pub fine_tune: bool,
    /// The attack; `param` is swept over `values`.
    pub attack: AttackConfig,
    /// ART's name of the swept parameter.
    pub param: &'static str,
    /// The report's values of `param`.
    pub values: [f32; 4],
    /// The default run: both models train in under a minute in a browser on a 2-core laptop.
    pub budget: Budget,
    /// A smaller run (`?quick=1`).
    pub quick: Budget,
    /// The report's own figures.
    pub reference: Reference,
    /// Why advlab's numbers may differ from the report's (English, from `advlab reproduce`).
    pub explanation: &'static str,
}

fn percent(v: [f32; 4]) -> [f32; 4] {
    v.map(|a| a / 100.0)
}

/// The browser budgets of a table: `(id, budget, quick)`.
fn budgets(table: &str) -> Option<(&'static str, Budget, Budget)> {
    let b = |epochs, train_limit, n| Budget {
        epochs,
        train_limit,
        n,
    };
    Some(match table {
        "Table 1" => ("table1", b(1, Some(20_000), 500), b(1, Some(2000), 100)),
        // DeepFool adversarial training costs many ordinary epochs: fewer samples, fine-tuned.
        "Table 2a" => ("table2", b(1, Some(6000), 200), b(1, Some(600), 30)),
        "Table 3" => ("table3", b(500, None, 45), b(60, None, 45)),
        "Table 4" => ("table4", b(500, None, 45), b(60, None, 45)),
        _ => return None,
    })
}

/// The page's scenarios, in the report's order (Table 2 runs on MNIST, the stand-in for CIFAR-10
/// that the single offline file also carries).
pub fn scenarios() -> Vec<Scenario> {
    table_specs()
        .into_iter()
        .filter_map(|spec| {
            let (id, budget, quick) = budgets(spec.id)?;
            Some(Scenario {
                id,
                table: if spec.id == "Table 2a" {
                    "Table 2"
                } else {
                    spec.id
                },
                dataset: spec.dataset,
                arch: spec.preset,
                defence: spec.defence,
                defence_name: spec.defence_name,
                fine_tune: spec.expensive,
                attack: spec.attack,
                param: spec.param,
                values: spec.values,
                budget,
                quick,
                reference: Reference {
                    undefended: percent(spec.reported.undefended),
                    defended: percent(spec.reported.defended),
                    clean: spec.reported.clean,
                    dataset: spec.reported.dataset,
                },
                explanation: spec.explanation,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::sources::DATASET_NAMES;
    use crate::nn::presets::preset;

    #[test]
    fn every_table_has_one_runnable_scenario() {
        let all = scenarios();
        let ids: Vec<_> = all.iter().map(|s| s.id).collect();
        assert_eq!(ids, ["table1", "table2", "table3", "table4"]);
        for s in &all {
            assert!(DATASET_NAMES.contains(&s.dataset), "{}", s.id);
            assert_eq!(preset(s.arch).map(|p| p.name), Some(s.arch), "{}", s.id);
            s.attack.check().unwrap();
            s.defence.trainer().unwrap();
            // The swept parameter is one of the attack's own (serialised) parameters.
            let json = serde_json::to_value(&s.attack).unwrap();
            assert!(
                json.get(s.param).is_some(),
                "{}: {} in {json}",
                s.id,
                s.param
            );
            for b in [s.budget, s.quick] {
                assert!(b.epochs >= 1 && b.n >= 1, "{}", s.id);
            }
            assert!(s.quick.n <= s.budget.n && s.quick.epochs <= s.budget.epochs);
            let r = &s.reference;
            assert!(r
                .undefended
                .iter()
                .chain(&r.defended)
                .all(|a| (0.0..=1.0).contains(a)));
        }
        // Table 2 keeps the report's name though it runs on MNIST.
        assert_eq!((all[1].table, all[1].dataset), ("Table 2", "mnist"));
        assert_eq!(all[1].reference.dataset, "CIFAR-10");
        assert!(all[1].fine_tune);
    }

    #[test]
    fn scenarios_serialise_for_the_page() {
        let json = serde_json::to_value(scenarios()).unwrap();
        let t1 = &json[0];
        assert_eq!(t1["attack"]["attack"], "fgsm");
        assert_eq!(t1["defence"]["method"], "adv-trainer");
        assert_eq!(t1["budget"]["train_limit"], 20000);
        assert!((t1["reference"]["undefended"][0].as_f64().unwrap() - 0.617).abs() < 1e-6);
    }
}
