//! The report's four experiments as data: for each table its dataset, architecture and training
//! recipe (optimiser, learning rate, batch size, epochs, as the report's listings set them), the
//! defence (ART's trainer, continued from the already trained classifier for its own epochs, its
//! attack at the column's value), the attack and swept values, the report's figures, and what to
//! say where advlab differs.
//!
//! Main types: [`TableSpec`], [`Recipe`], [`Reported`]; [`table_specs`] lists them in the report's
//! order (Table 2, CIFAR-10 in the report, runs on MNIST and on Fashion-MNIST: no registry here
//! ships CIFAR-10).
//!
//! The protocol, as the report's scripts ran it: the undefended model is trained, the test set is
//! attacked on it (`x_test_adv`), then `AdversarialTrainer(classifier, attacks=attack,
//! ratio=0.5).fit(...)` keeps training the same classifier, and the defended model predicts
//! `x_test_adv` (the transfer setting). The report raised eps (theta) by 0.1 and ran its script
//! again, so in Tables 1-3 a column's value is both the trainer's attack parameter and the test
//! attack's: one defended model per column ([`TableSpec::per_column`]). Table 4 trains one
//! `AdversarialTrainerMadryPGD` with ART's defaults and reads every column's JSMA test set with it.

use serde::Serialize;

use crate::attacks::{AttackConfig, DeepFoolParams, FgsmParams, JsmaParams};
use crate::defences::{set_param, AdvTrainerParams, DefenceConfig, DefenceError, MadryPgdParams};
use crate::params::{Help, Raw};

/// How a model is trained: Adam with this learning rate, batch size and number of epochs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Recipe {
    /// Passes over the training set.
    pub epochs: usize,
    /// Samples per optimiser step.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f32,
}

/// The MNIST listing: `Adam(lr=0.01)`, `fit(batch_size=64, nb_epochs=20)`.
pub const MNIST_RECIPE: Recipe = Recipe {
    epochs: 20,
    batch_size: 64,
    learning_rate: 0.01,
};

/// The IRIS listing: `optimizer='adam'` (Keras' default lr 0.001), `batch_size=7, nb_epochs=700`.
pub const IRIS_RECIPE: Recipe = Recipe {
    epochs: 700,
    batch_size: 7,
    learning_rate: 0.001,
};

/// The report's figures for one table (accuracy in %, one per swept value).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reported {
    /// Undefended model under attack.
    pub undefended: [f32; 4],
    /// Defended model reading the test set attacked on the undefended model (transfer).
    pub defended: [f32; 4],
    /// The clean accuracy the report gives, as printed there.
    pub clean: &'static str,
    /// The dataset the report used, when different from ours.
    pub dataset: &'static str,
}

/// One experiment of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    /// "Table 1", "Table 2a", ...
    pub id: &'static str,
    /// Vendored dataset: iris, mnist or fashion-mnist.
    pub dataset: &'static str,
    /// Architecture preset.
    pub preset: &'static str,
    /// How the undefended model is trained.
    pub recipe: Recipe,
    /// The attack; `param` is swept over `values`.
    pub attack: AttackConfig,
    /// ART's name of the swept parameter.
    pub param: &'static str,
    /// The report's values.
    pub values: [f32; 4],
    /// The defence of the report's listing (its attack at the first value).
    pub defence: DefenceConfig,
    /// The defence as the report names it.
    pub defence_name: &'static str,
    /// How the trainer's `fit` continues training the undefended classifier.
    pub defence_recipe: Recipe,
    /// One defended model per column, its trainer's attack at the column's value (Tables 1-3).
    pub per_column: bool,
    /// The report's numbers.
    pub reported: Reported,
    /// Two sentences for the caption: what matches the report, what differs and why.
    pub caption: Help,
    /// The longer explanation.
    pub explanation: Help,
}

impl TableSpec {
    /// The defence trained for the column `value`: the listing's trainer with its attack's `param`
    /// set to `value` (a per-column table), or the listing's defence.
    pub fn defence_at(&self, value: f32) -> Result<DefenceConfig, DefenceError> {
        match (&self.defence, self.per_column) {
            (DefenceConfig::AdvTrainer(p), true) => {
                let attacks = p
                    .attacks
                    .iter()
                    .map(|a| set_param(a, self.param, Raw::Float(f64::from(value))))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(DefenceConfig::AdvTrainer(AdvTrainerParams {
                    attacks,
                    ratio: p.ratio,
                }))
            }
            (d, _) => Ok(d.clone()),
        }
    }
}

const TABLE_1: Help = Help {
    en: "Both models follow the report's listing: the CNN trained with Adam (learning rate 0.01, batch 64, 20 epochs), \
then ART's AdversarialTrainer (FGSM, ratio 0.5) continuing to train the same classifier for 20 epochs, one defended model \
per eps, as the report re-ran its script for each column. The defended column is what the report measured: the test set \
attacked on the undefended model, read by the defended one (transfer). White-box FGSM on the defended model itself is the \
harder test the report did not run. FGSM-trained models look more robust to FGSM than they are (gradient masking, Tramer \
et al. 2018): these numbers say little about stronger attacks such as PGD.",
    ko: "두 모델 모두 보고서의 코드대로 학습합니다. CNN을 Adam(학습률 0.01, 배치 64, 20 에포크)으로 학습한 뒤, ART의 \
AdversarialTrainer(FGSM, ratio 0.5)가 같은 분류기를 20 에포크 더 학습합니다. 보고서가 열마다 스크립트를 다시 돌렸듯이 \
eps마다 방어 모델을 하나씩 만듭니다. 방어 열은 보고서가 잰 값으로, 방어 없는 모델에서 공격한 테스트 세트를 방어 모델이 \
읽은 정확도(전이)입니다. 방어 모델 자체를 화이트박스 FGSM으로 공격하는 것은 보고서가 하지 않은 더 어려운 시험입니다. \
FGSM으로 학습한 모델은 FGSM에 실제보다 강해 보이므로(그래디언트 마스킹, Tramer 외 2018) 이 숫자로 PGD 같은 더 강한 \
공격에 대한 견고성을 말할 수는 없습니다.",
};

const TABLE_1_CAPTION: Help = Help {
    en: "Same network, recipe (Adam 0.01, batch 64, 20 epochs) and protocol as the report: the defended curve reads the test set attacked on the undefended model. \
Here one defended model (trained at eps 0.2) reads every eps, while the report trained a new one per column, so beyond 0.2 the curve shows how adversarial training covers only the strength it was trained with.",
    ko: "보고서와 같은 신경망, 학습 방법(Adam 0.01, 배치 64, 20 에포크), 측정 방식입니다. 방어 곡선은 방어 없는 모델에서 공격한 테스트 세트를 읽은 정확도입니다. \
보고서는 열마다 방어 모델을 새로 학습했지만 여기서는 eps 0.2로 학습한 방어 모델 하나가 모든 eps를 읽으므로, 0.2를 넘으면 적대적 학습이 학습한 강도만 막는다는 것이 보입니다.",
};

const TABLE_2: Help = Help {
    en: "CIFAR-10 is not available here (no registry ships it), so DeepFool runs on MNIST and Fashion-MNIST with the \
MNIST network and recipe (Adam 0.01, batch 64, 20 epochs) and the report's protocol; the numbers cannot match the \
report's, only the trend is comparable. DeepFool's epsilon is an overshoot applied once at the end, not a budget: DeepFool \
walks to the nearest decision boundary whatever epsilon is, so accuracy barely changes with it, as in the report. \
DeepFool's minimal perturbations sit just past the undefended model's boundary and fool another model less often, so \
the transfer column (the report's) is higher than the white-box one. With CIFAR-10 from its authors (cifar-10-binary.tar.gz), the command line runs this table on it with the report's CIFAR-10 network: advlab reproduce --table 2 --cifar10 PATH.",
    ko: "CIFAR-10은 여기서 구할 수 없으므로(어느 저장소도 배포하지 않습니다) DeepFool을 MNIST와 Fashion-MNIST에서 MNIST \
신경망과 학습 방법(Adam 0.01, 배치 64, 20 에포크), 보고서의 측정 방식으로 실행합니다. 숫자는 보고서와 같을 수 없고 \
경향만 비교할 수 있습니다. DeepFool의 epsilon은 예산이 아니라 마지막에 한 번 더하는 초과량입니다. DeepFool은 epsilon과 \
상관없이 가장 가까운 결정 경계까지 걸어가므로, 보고서에서처럼 정확도가 거의 변하지 않습니다. DeepFool의 최소 섭동은 방어 \
없는 모델의 경계를 겨우 넘기 때문에 다른 모델은 덜 속으며, 그래서 전이 열(보고서의 값)이 화이트박스 열보다 높습니다. CIFAR-10 제작자가 배포하는 cifar-10-binary.tar.gz가 있으면, 명령줄에서 보고서의 CIFAR-10 신경망으로 이 표를 실행합니다: advlab reproduce --table 2 --cifar10 PATH.",
};

const TABLE_2_CAPTION: Help = Help {
    en: "Same protocol and trainer as the report (DeepFool max_iter 5, AdversarialTrainer ratio 0.5 continuing the trained classifier), but on MNIST with the MNIST network: no registry ships CIFAR-10. \
Compare the trend, not the numbers; here one defended model (trained at epsilon 0.2) reads every column.",
    ko: "보고서와 같은 측정 방식과 트레이너(DeepFool max_iter 5, 학습된 분류기를 이어 학습하는 AdversarialTrainer ratio 0.5)이지만, 어느 저장소도 CIFAR-10을 배포하지 않아 MNIST와 MNIST 신경망으로 실행합니다. \
숫자가 아니라 경향을 비교하세요. 여기서는 epsilon 0.2로 학습한 방어 모델 하나가 모든 열을 읽습니다.",
};

const TABLE_3: Help = Help {
    en: "The IRIS network and recipe are the report's (Adam at Keras' default 0.001, batch 7, 700 epochs), and the \
AdversarialTrainer continues the trained classifier for 700 epochs, one defended model per theta. ART's AdversarialTrainer \
hands JSMA the true labels as its targets, so every correctly classified sample comes back unchanged: ART's JSMA \
adversarial training is mostly clean training. advlab's trainer draws a random wrong target per sample instead, so it \
really trains on adversarial samples; on IRIS many of them are in effect samples of another class still labelled with the \
old one, and the defended model pays in clean accuracy. JSMA nearly always reaches its target on IRIS, so white-box \
accuracy is low for both models. The test set has 45 samples: one sample is 2.22 points.",
    ko: "IRIS 신경망과 학습 방법은 보고서의 것(Keras 기본 학습률 0.001의 Adam, 배치 7, 700 에포크)이고, AdversarialTrainer가 \
학습된 분류기를 700 에포크 더 학습하며 theta마다 방어 모델을 하나씩 만듭니다. ART의 AdversarialTrainer는 JSMA에 참 레이블을 \
목표로 넘기므로 올바르게 분류된 샘플은 바뀌지 않고 돌아옵니다. 즉 ART의 JSMA 적대적 학습은 대부분 일반 학습입니다. advlab의 \
트레이너는 샘플마다 틀린 목표를 무작위로 뽑아 실제로 적대적 샘플로 학습합니다. IRIS에서는 그중 많은 샘플이 사실상 다른 \
클래스의 샘플인데도 옛 레이블을 달고 있어, 방어 모델의 정상 정확도가 떨어집니다. IRIS에서 JSMA는 거의 항상 목표에 \
도달하므로 두 모델 모두 화이트박스 정확도가 낮습니다. 테스트 세트는 45개라서 샘플 하나가 2.22%p입니다.",
};

const TABLE_3_CAPTION: Help = Help {
    en: "Same network, recipe (Adam 0.001, batch 7, 700 epochs) and protocol as the report; the defended curve reads the JSMA test set crafted on the undefended model. \
advlab's trainer gives JSMA a random wrong target where ART's gives the true label (which leaves most samples unchanged), and one defended model (theta 0.1) reads every column here.",
    ko: "보고서와 같은 신경망, 학습 방법(Adam 0.001, 배치 7, 700 에포크), 측정 방식이며, 방어 곡선은 방어 없는 모델에서 만든 JSMA 테스트 세트를 읽은 정확도입니다. \
ART의 트레이너는 JSMA에 참 레이블을 목표로 주어 대부분의 샘플이 그대로 남지만 advlab은 틀린 목표를 무작위로 주며, 여기서는 theta 0.1로 학습한 방어 모델 하나가 모든 열을 읽습니다.",
};

const TABLE_4: Help = Help {
    en: "As in the report's listing, AdversarialTrainerMadryPGD(nb_epochs=700, batch_size=7) keeps training the \
trained IRIS classifier with ART's defaults for everything else: eps 8, eps_step 2, 7 iterations, one random start. \
Those values are made for 0-255 pixels; on IRIS scaled to [0, 1] every PGD sample is pushed to a corner of the \
feature box, so the model learns from destroyed inputs and lands at chance, 33.33% for three classes, which is where the \
report's defended model sits. It then reads every column's JSMA test set (crafted on the undefended model) with the \
same answer for nearly every flower. With an eps that fits [0, 1] data (advlab's own Madry PGD default, 0.3) the defended \
model keeps its clean accuracy; JSMA changes few features by a lot (an L0 attack), which L-inf PGD training does not target.",
    ko: "보고서의 코드처럼 AdversarialTrainerMadryPGD(nb_epochs=700, batch_size=7)가 학습된 IRIS 분류기를 나머지는 ART \
기본값(eps 8, eps_step 2, 7회 반복, 무작위 시작 1번)으로 더 학습합니다. 이 값들은 0-255 픽셀용입니다. [0, 1]로 조정한 IRIS에서는 \
모든 PGD 샘플이 특징 상자의 구석으로 밀려나므로 모델은 망가진 입력으로 학습해 우연 수준, 즉 세 클래스에서 33.33%에 \
머무르며, 보고서의 방어 모델도 바로 그 근처에 있습니다. 그 모델은 모든 열의 JSMA 테스트 세트(방어 없는 모델에서 만든 것)를 \
거의 모든 꽃에 같은 답으로 읽습니다. [0, 1] 데이터에 맞는 eps(advlab의 Madry PGD 기본값 0.3)라면 방어 모델이 정상 정확도를 \
지킵니다. JSMA는 적은 특징을 크게 바꾸는 L0 공격이라 L-inf PGD 학습이 겨냥하는 공격이 아닙니다.",
};

const TABLE_4_CAPTION: Help = Help {
    en: "Same network, recipe and trainer call as the report: AdversarialTrainerMadryPGD with ART's defaults (eps 8, eps_step 2, 7 iterations), made for 0-255 pixels. \
On IRIS scaled to [0, 1] those values destroy every training input, so the defended model guesses one class for nearly every flower: chance, 33.3%, as in the report.",
    ko: "보고서와 같은 신경망, 학습 방법, 트레이너 호출입니다. AdversarialTrainerMadryPGD는 0-255 픽셀용인 ART 기본값(eps 8, eps_step 2, 7회 반복)을 씁니다. \
[0, 1]로 조정한 IRIS에서는 이 값이 모든 학습 입력을 망가뜨려, 방어 모델이 거의 모든 꽃을 한 클래스로 찍습니다. 보고서처럼 우연 수준인 33.3%입니다.",
};

/// The report's FGSM (a column's eps; ART's other defaults, batch 256).
pub(super) fn fgsm(eps: f32) -> AttackConfig {
    AttackConfig::Fgsm(FgsmParams {
        eps,
        batch_size: 256,
        ..FgsmParams::default()
    })
}

/// The report's DeepFool: `DeepFool(classifier, max_iter=5, epsilon=...)`.
pub(super) fn deepfool(epsilon: f32) -> AttackConfig {
    AttackConfig::Deepfool(DeepFoolParams {
        max_iter: 5,
        epsilon,
        batch_size: 128,
        ..DeepFoolParams::default()
    })
}

/// The report's JSMA (`SaliencyMapMethod`, a column's theta).
pub(super) fn jsma(theta: f32) -> AttackConfig {
    AttackConfig::Jsma(JsmaParams {
        theta,
        batch_size: 64,
        ..JsmaParams::default()
    })
}

fn adv_trainer(attack: AttackConfig) -> DefenceConfig {
    DefenceConfig::AdvTrainer(AdvTrainerParams {
        attacks: vec![attack],
        ratio: 0.5,
    })
}

/// ART's `AdversarialTrainerMadryPGD` defaults: eps 8, eps_step 2, max_iter 7, one random start.
pub fn art_madry_defaults() -> MadryPgdParams {
    MadryPgdParams {
        eps: 8.0,
        eps_step: 2.0,
        max_iter: 7,
        num_random_init: 1,
    }
}

pub(super) fn table_2(id: &'static str, dataset: &'static str) -> TableSpec {
    TableSpec {
        id,
        dataset,
        preset: "mnist-seed",
        recipe: MNIST_RECIPE,
        attack: deepfool(0.2),
        param: "epsilon",
        values: [0.2, 0.3, 0.4, 0.5],
        defence: adv_trainer(deepfool(0.2)),
        defence_name: "AdversarialTrainer(DeepFool max_iter 5, ratio 0.5)",
        defence_recipe: MNIST_RECIPE,
        per_column: true,
        reported: Reported {
            undefended: [14.41, 17.55, 16.43, 19.41],
            defended: [52.76, 53.46, 56.43, 50.87],
            clean: "78.98",
            dataset: "CIFAR-10",
        },
        caption: TABLE_2_CAPTION,
        explanation: TABLE_2,
    }
}

/// The report's experiments in order: Table 1, Table 2 on MNIST and Fashion-MNIST, Tables 3, 4.
pub fn table_specs() -> Vec<TableSpec> {
    let iris_jsma = Reported {
        undefended: [28.89, 33.34, 8.89, 2.22],
        defended: [57.78, 33.33, 13.33, 2.22],
        clean: "95.56",
        dataset: "IRIS",
    };
    vec![
        TableSpec {
            id: "Table 1",
            dataset: "mnist",
            preset: "mnist-seed",
            recipe: MNIST_RECIPE,
            attack: fgsm(0.2),
            param: "eps",
            values: [0.2, 0.3, 0.4, 0.5],
            defence: adv_trainer(fgsm(0.2)),
            defence_name: "AdversarialTrainer(FGSM, ratio 0.5)",
            defence_recipe: MNIST_RECIPE,
            per_column: true,
            reported: Reported {
                undefended: [61.7, 53.97, 43.8, 27.48],
                defended: [94.56, 94.97, 72.07, 59.05],
                clean: "97.7-98.1",
                dataset: "MNIST",
            },
            caption: TABLE_1_CAPTION,
            explanation: TABLE_1,
        },
        table_2("Table 2a", "mnist"),
        table_2("Table 2b", "fashion-mnist"),
        TableSpec {
            id: "Table 3",
            dataset: "iris",
            preset: "iris-seed",
            recipe: IRIS_RECIPE,
            attack: jsma(0.1),
            param: "theta",
            values: [0.1, 0.2, 0.3, 0.4],
            defence: adv_trainer(jsma(0.1)),
            defence_name: "AdversarialTrainer(JSMA, ratio 0.5)",
            defence_recipe: IRIS_RECIPE,
            per_column: true,
            reported: iris_jsma,
            caption: TABLE_3_CAPTION,
            explanation: TABLE_3,
        },
        TableSpec {
            id: "Table 4",
            dataset: "iris",
            preset: "iris-seed",
            recipe: IRIS_RECIPE,
            attack: jsma(0.1),
            param: "theta",
            values: [0.1, 0.2, 0.3, 0.4],
            defence: DefenceConfig::MadryPgd(art_madry_defaults()),
            defence_name:
                "AdversarialTrainerMadryPGD(ART's defaults: eps 8, eps_step 2, max_iter 7)",
            defence_recipe: IRIS_RECIPE,
            per_column: false,
            reported: Reported {
                undefended: [11.11, 4.44, 8.89, 20.0],
                defended: [51.11, 33.33, 28.89, 33.33],
                clean: "95.56",
                dataset: "IRIS",
            },
            caption: TABLE_4_CAPTION,
            explanation: TABLE_4,
        },
    ]
}
