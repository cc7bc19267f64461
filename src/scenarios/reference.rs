//! The reference models advlab ships (`models/*.safetensors`, made by `make models`): every model
//! the report's one-click scenarios and the page's default settings need, each trained natively
//! and seeded with the report's recipe through the same training job the page runs.
//!
//! Main type: [`ReferenceModel`]; [`reference_models`] lists them in training order (a model that
//! continues another comes after it), [`shipped_for`] finds the one a page's training request
//! would make. The page loads a matching file instead of training (a slide shows its result at
//! once); "Train these here" replays the same settings live.

use serde::Serialize;

use super::tables::{art_madry_defaults, deepfool, fgsm, jsma, Recipe, IRIS_RECIPE, MNIST_RECIPE};
use crate::attacks::{AttackConfig, FgsmParams};
use crate::defences::{AdvTrainerParams, DefenceConfig};
use crate::protocol::{Slot, TrainSettings};

/// The folder the files live in, relative to the repository root and to the site.
pub const MODELS_DIR: &str = "models";

/// One shipped model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferenceModel {
    /// File stem: `models/<name>.safetensors`.
    pub name: &'static str,
    /// The slot it is trained into (and loaded into by the page).
    pub slot: Slot,
    /// The training request, exactly as the page sends it (`start_from` set when it continues
    /// `base`).
    pub settings: TrainSettings,
    /// The reference model it continues training (in the undefended slot while it trains).
    pub base: Option<&'static str>,
    /// Carried by the single offline file too (the site carries every model).
    pub single_file: bool,
}

impl ReferenceModel {
    /// The file name, `<name>.safetensors`.
    pub fn file_name(&self) -> String {
        format!("{}.safetensors", self.name)
    }
}

pub(super) fn settings(
    dataset: &str,
    arch: &str,
    r: Recipe,
    train_limit: Option<usize>,
) -> TrainSettings {
    TrainSettings {
        dataset: dataset.into(),
        arch: Some(arch.into()),
        epochs: Some(r.epochs),
        batch_size: Some(r.batch_size),
        learning_rate: Some(r.learning_rate),
        seed: 0,
        train_limit,
        test_limit: None,
        target_accuracy: None,
        defence: None,
        start_from: None,
    }
}

fn trainer(attack: AttackConfig) -> Option<DefenceConfig> {
    Some(DefenceConfig::AdvTrainer(AdvTrainerParams {
        attacks: vec![attack],
        ratio: 0.5,
    }))
}

fn undefended(name: &'static str, s: TrainSettings, single_file: bool) -> ReferenceModel {
    ReferenceModel {
        name,
        slot: Slot::Undefended,
        settings: s,
        base: None,
        single_file,
    }
}

/// A defended model: trained fresh (`base` None, as the page's Train button does) or continuing
/// `base` (as the report's trainers continue the trained classifier).
fn defended(
    name: &'static str,
    mut s: TrainSettings,
    defence: Option<DefenceConfig>,
    base: Option<&'static str>,
    single_file: bool,
) -> ReferenceModel {
    s.defence = defence;
    s.start_from = base.map(|_| Slot::Undefended);
    ReferenceModel {
        name,
        slot: Slot::Defended,
        settings: s,
        base,
        single_file,
    }
}

/// The page's default MNIST-family training: the quick CNN on the first 20 000 images with its
/// preset's recipe.
fn page_default(dataset: &str) -> TrainSettings {
    let quick = Recipe {
        epochs: 3,
        batch_size: 64,
        learning_rate: 0.003,
    };
    settings(dataset, "mnist-small", quick, Some(20_000))
}

/// The attack the page's defence form starts with for `dataset`: the catalog's suggested trainer
/// attack (FGSM at the dataset's eps), its other parameters as the attack form suggests them
/// (`targeted` is not shown there, so it keeps its default).
fn page_trainer_attack(dataset: &str) -> AttackConfig {
    let c = crate::catalog::catalog_for(dataset);
    let suggested = |m: &crate::catalog::Method, name: &str| {
        m.params
            .iter()
            .find(|p| p.spec.name == name)
            .map(|p| p.suggested.clone())
    };
    let trainer = c.defences.iter().find(|d| d.name == "adv-trainer");
    let first = trainer
        .and_then(|t| suggested(t, "attacks"))
        .and_then(|v| v.get(0).cloned())
        .unwrap_or_default();
    let name = first
        .get("attack")
        .and_then(|a| a.as_str())
        .unwrap_or("fgsm");
    let mut obj = serde_json::Map::new();
    if let Some(attack) = c.attacks.iter().find(|a| a.name == name) {
        for p in attack.params.iter().filter(|p| p.spec.name != "targeted") {
            if !p.suggested.is_null() {
                obj.insert(p.spec.name.to_string(), p.suggested.clone());
            }
        }
    }
    if let Some(first) = first.as_object() {
        obj.extend(first.clone());
    }
    obj.insert("attack".into(), name.into());
    serde_json::from_value(obj.into()).unwrap_or_else(|_| AttackConfig::Fgsm(FgsmParams::default()))
}

/// Every shipped model, in training order.
pub fn reference_models() -> Vec<ReferenceModel> {
    let iris = settings("iris", "iris-seed", IRIS_RECIPE, None);
    let mnist = settings("mnist", "mnist-seed", MNIST_RECIPE, None);
    vec![
        // The report's IRIS net (Tables 3 and 4, and the page's IRIS default).
        undefended("iris-seed", iris.clone(), true),
        defended(
            "iris-seed-jsma",
            iris.clone(),
            trainer(jsma(0.1)),
            Some("iris-seed"),
            true,
        ),
        defended(
            "iris-seed-madry-art",
            iris.clone(),
            Some(DefenceConfig::MadryPgd(art_madry_defaults())),
            Some("iris-seed"),
            true,
        ),
        defended(
            "iris-seed-fgsm",
            iris,
            trainer(page_trainer_attack("iris")),
            None,
            true,
        ),
        // The report's MNIST CNN (Tables 1 and 2 on MNIST).
        undefended("mnist-seed", mnist.clone(), true),
        defended(
            "mnist-seed-fgsm",
            mnist.clone(),
            trainer(fgsm(0.2)),
            Some("mnist-seed"),
            true,
        ),
        defended(
            "mnist-seed-deepfool",
            mnist,
            trainer(deepfool(0.2)),
            Some("mnist-seed"),
            true,
        ),
        // The page's defaults for MNIST and Fashion-MNIST.
        undefended("mnist-small", page_default("mnist"), true),
        defended(
            "mnist-small-fgsm",
            page_default("mnist"),
            trainer(page_trainer_attack("mnist")),
            None,
            true,
        ),
        undefended("fashion-mnist-small", page_default("fashion-mnist"), false),
        defended(
            "fashion-mnist-small-fgsm",
            page_default("fashion-mnist"),
            trainer(page_trainer_attack("fashion-mnist")),
            None,
            false,
        ),
    ]
}

/// The reference model called `name`.
pub fn reference_model(name: &str) -> Option<ReferenceModel> {
    reference_models().into_iter().find(|m| m.name == name)
}

/// The shipped model that the training request `s` for `slot` would make, if any: same dataset,
/// architecture, recipe, seed, subset and defence, and the same starting point (`undefended`:
/// the name of the reference model in the undefended slot, which must be `base`).
pub fn shipped_for(
    slot: Slot,
    s: &TrainSettings,
    undefended: Option<&str>,
) -> Option<ReferenceModel> {
    reference_models()
        .into_iter()
        .find(|m| m.slot == slot && &m.settings == s && (m.base.is_none() || m.base == undefended))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Described;
    use crate::scenarios::table_specs;

    #[test]
    fn every_base_comes_first_and_every_name_is_unique() {
        let all = reference_models();
        for (i, m) in all.iter().enumerate() {
            if let Some(base) = m.base {
                let j = all.iter().position(|b| b.name == base).unwrap();
                assert!(j < i && all[j].slot == Slot::Undefended, "{}", m.name);
                assert_eq!(m.settings.start_from, Some(Slot::Undefended));
            }
            assert_eq!(all.iter().filter(|b| b.name == m.name).count(), 1);
            m.settings.check().unwrap();
        }
    }

    #[test]
    fn the_scenarios_models_follow_their_tables_recipes() {
        for spec in table_specs() {
            let Some(base) = reference_models()
                .into_iter()
                .find(|m| m.base.is_none() && m.settings.arch.as_deref() == Some(spec.preset))
            else {
                panic!("{}", spec.id)
            };
            assert_eq!(base.settings.epochs, Some(spec.recipe.epochs));
            assert_eq!(base.settings.batch_size, Some(spec.recipe.batch_size));
            assert_eq!(base.settings.learning_rate, Some(spec.recipe.learning_rate));
        }
    }

    #[test]
    fn the_page_defaults_models_use_the_forms_trainer_attack() {
        let m = reference_model("mnist-small-fgsm").unwrap();
        let json = serde_json::to_value(&m.settings.defence).unwrap();
        let a = &json["attacks"][0];
        assert_eq!(a["attack"], "fgsm");
        assert_eq!(a["eps"], 0.2f32 as f64);
        assert_eq!(a["eps_step"], 0.05f32 as f64, "the MNIST form's eps_step");
        let iris = reference_model("iris-seed-fgsm").unwrap();
        let json = serde_json::to_value(&iris.settings.defence).unwrap();
        assert_eq!(json["attacks"][0]["eps"], 0.05f32 as f64);
    }

    #[test]
    fn a_request_finds_its_model_and_only_its_own() {
        let m = reference_model("mnist-seed-fgsm").unwrap();
        let found = shipped_for(Slot::Defended, &m.settings, Some("mnist-seed"));
        assert_eq!(found.map(|f| f.name), Some("mnist-seed-fgsm"));
        // Another base in the undefended slot, another seed or another eps: none.
        assert!(shipped_for(Slot::Defended, &m.settings, Some("mnist-small")).is_none());
        let mut other = m.settings.clone();
        other.seed = 1;
        assert!(shipped_for(Slot::Defended, &other, Some("mnist-seed")).is_none());
        let mut s = reference_model("mnist-small").unwrap().settings;
        assert_eq!(
            shipped_for(Slot::Undefended, &s, None).map(|f| f.name),
            Some("mnist-small")
        );
        s.epochs = Some(4);
        assert!(shipped_for(Slot::Undefended, &s, None).is_none());
    }
}
