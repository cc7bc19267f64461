//! The report's Table 2 on the data it used: DeepFool on CIFAR-10 with the report's CIFAR-10 CNN
//! (`cifar-seed`) and recipe, when the user has CIFAR-10 (`advlab reproduce --cifar10 PATH`).
//! Without it, Table 2 runs on MNIST and Fashion-MNIST (`tables.rs`).

use super::reference::settings;
use super::tables::{table_2, Recipe, TableSpec};
use super::{Budget, Reference, Scenario};
use crate::params::Help;
use crate::protocol::Slot;

/// The CIFAR-10 listing: `optimizer="adam"` (Keras' default lr 0.001), `fit(batch_size=64,
/// nb_epochs=20)`.
pub const CIFAR_RECIPE: Recipe = Recipe {
    epochs: 20,
    batch_size: 64,
    learning_rate: 0.001,
};

const CAPTION: Help = Help {
    en: "The report's data, network, recipe (Adam 0.001, batch 64, 20 epochs) and protocol: DeepFool max_iter 5 on CIFAR-10, and AdversarialTrainer ratio 0.5 continuing the trained classifier, one defended model per column.",
    ko: "보고서의 데이터, 신경망, 학습 방법(Adam 0.001, 배치 64, 20 에포크)과 측정 방식 그대로입니다: CIFAR-10에 DeepFool max_iter 5, 학습된 분류기를 이어 학습하는 AdversarialTrainer ratio 0.5, 열마다 방어 모델 하나.",
};

const EXPLANATION: Help = Help {
    en: "Everything the report's listing pins is followed; its initial weights and shuffling are not known, so the numbers can differ by a few points. DeepFool's epsilon is an overshoot applied once at the end, not a budget: accuracy barely changes with it, as in the report. The transfer column (examples crafted on the undefended model, read by the defended one) is the report's.",
    ko: "보고서의 코드가 정한 것은 모두 따릅니다. 초기 가중치와 섞는 순서는 알 수 없으므로 숫자가 몇 점 다를 수 있습니다. DeepFool의 epsilon은 예산이 아니라 마지막에 한 번 더하는 초과량이므로, 보고서에서처럼 정확도가 거의 변하지 않습니다. 전이 열(방어하지 않은 모델에서 만든 예제를 방어 모델이 읽음)이 보고서의 값입니다.",
};

/// Table 2 on CIFAR-10: the MNIST stand-in's attack, trainer, values and the report's figures,
/// with the report's own network, recipe and words.
pub fn table_2_cifar() -> TableSpec {
    TableSpec {
        preset: "cifar-seed",
        recipe: CIFAR_RECIPE,
        defence_recipe: CIFAR_RECIPE,
        caption: CAPTION,
        explanation: EXPLANATION,
        ..table_2("Table 2", "cifar10")
    }
}

/// The page's Table 2 on a CIFAR-10 the user loaded: no model is shipped, so "Run" trains both
/// with the report's recipe (or, on a subset, one epoch on 2000 images).
pub fn table_2_scenario() -> Scenario {
    let spec = table_2_cifar();
    let undefended = settings(spec.dataset, spec.preset, spec.recipe, None);
    let mut defended = settings(spec.dataset, spec.preset, spec.defence_recipe, None);
    defended.defence = Some(spec.defence.clone());
    defended.start_from = Some(Slot::Undefended);
    Scenario {
        id: "table2-cifar10",
        table: spec.id,
        dataset: spec.dataset,
        arch: spec.preset,
        models: None,
        needs: Some(spec.dataset),
        training: [undefended, defended],
        defence_name: spec.defence_name,
        attack: spec.attack,
        param: spec.param,
        values: spec.values,
        n: 300,
        quick: Budget {
            epochs: 1,
            train_limit: Some(2000),
        },
        reference: Reference::of(&spec.reported),
        caption: spec.caption,
        explanation: spec.explanation,
    }
}
