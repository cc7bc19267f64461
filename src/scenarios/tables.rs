//! The report's four experiments as data: dataset, architecture, attack and swept parameter,
//! defence, the report's figures and what to say where advlab differs.
//!
//! Main types: [`TableSpec`], [`Reported`]; [`table_specs`] lists them in the report's order
//! (Table 2, CIFAR-10 in the report, runs on MNIST and on Fashion-MNIST: no registry here ships
//! CIFAR-10).

use crate::attacks::{AttackConfig, DeepFoolParams, FgsmParams, JsmaParams};
use crate::defences::{AdvTrainerParams, DefenceConfig, MadryPgdParams};

/// The report's figures for one table (accuracy in %, one per swept value).
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    /// Undefended model under attack.
    pub undefended: [f32; 4],
    /// Defended model under attack.
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
    /// The attack; `param` is swept over `values`.
    pub attack: AttackConfig,
    /// ART's name of the swept parameter.
    pub param: &'static str,
    /// The report's values.
    pub values: [f32; 4],
    /// How the defended model is trained.
    pub defence: DefenceConfig,
    /// The defence as the report names it.
    pub defence_name: &'static str,
    /// The attack is expensive: evaluate it on the smaller test budget, and train the defended
    /// model by continuing from the undefended weights for a short budget (as ART's fit does).
    pub expensive: bool,
    /// The report's numbers.
    pub reported: Reported,
    /// Why advlab's numbers may differ, for the report text.
    pub explanation: &'static str,
}

const TABLE_1: &str = "The report's defended column is most likely the transfer setting (examples crafted on the \
undefended model, fed to the defended one); compare it with advlab's transfer column. White-box FGSM on the \
FGSM-trained model is the harder test issue 4 asks for (at least 90% at eps 0.2 in a full run). Beyond the \
training eps (0.2) accuracy falls, as in the report. The undefended model's accuracy under FGSM depends \
strongly on how it was trained (epochs, optimiser, how confident it becomes), which the report does not pin \
down, so advlab's undefended column need not match the report's; the trend does. FGSM-trained models are \
known to look more robust to FGSM than they are (gradient masking, Tramer et al. 2018), so these numbers say \
little about stronger attacks such as PGD.";

const TABLE_2: &str = "CIFAR-10 is not available here (no registry ships it), so DeepFool runs on MNIST and \
Fashion-MNIST with the same protocol; the numbers cannot match the report's, only the trend is comparable. \
DeepFool's epsilon is an overshoot applied once at the end, not a budget: DeepFool walks to the nearest \
decision boundary whatever epsilon is, so accuracy barely changes with it, as in the report. DeepFool's \
minimal perturbations sit just past the undefended model's boundary and fool another model less often, so \
the transfer column is higher than the white-box one, which attacks the defended model itself. DeepFool \
adversarial training costs about 13 times an ordinary epoch, so the defended model continues from the \
undefended weights (as ART's AdversarialTrainer.fit continues from the classifier it is given) instead of \
training from scratch.";

const TABLE_3: &str = "ART's AdversarialTrainer hands JSMA the true labels as its targets, so every correctly \
classified sample is already at its target and comes back unchanged: ART's JSMA adversarial training is \
mostly clean training, which may be why the report's defended model keeps its clean accuracy and gains \
little. advlab's trainer draws a random wrong target per sample instead (src/defences/adversarial_trainer.rs). \
On IRIS that has a cost: with gamma 1, JSMA keeps moving the 4 features until the target class is reached, so \
many \"adversarial\" samples are in effect samples of another class, still labelled with the old one, and \
the defended model loses clean accuracy. JSMA nearly always reaches its target on IRIS, so white-box accuracy \
is low for both models. The report's undefended columns in Tables 3 and 4 differ for the same model and \
attack (random targets, unseeded training); advlab's are equal because both tables share one seeded model. \
The test set has 45 samples, so one sample is 2.22 points.";

const TABLE_4: &str = "ART's AdversarialTrainerMadryPGD defaults (eps 8, eps_step 2) are for 0-255 pixels: on \
IRIS scaled to [0, 1] they push every feature to a clip bound, so the model trains on destroyed inputs and \
lands near chance (33.33%), which the report's defended numbers resemble. advlab uses eps 0.3, eps_step \
0.01, 40 iterations (Madry et al.'s [0, 1] setting); on IRIS even 0.3 is as large as the gaps between the \
classes, so the defended model pays heavily in clean accuracy and a white-box JSMA still succeeds. JSMA \
changes few features by a lot (an L0 attack), which L-inf PGD training does not target.";

fn fgsm(eps: f32) -> AttackConfig {
    AttackConfig::Fgsm(FgsmParams {
        eps,
        batch_size: 256,
        ..FgsmParams::default()
    })
}

fn deepfool(epsilon: f32) -> AttackConfig {
    AttackConfig::Deepfool(DeepFoolParams {
        max_iter: 5,
        epsilon,
        batch_size: 128,
        ..DeepFoolParams::default()
    })
}

fn jsma(theta: f32) -> AttackConfig {
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

fn table_2(id: &'static str, dataset: &'static str) -> TableSpec {
    TableSpec {
        id,
        dataset,
        preset: "mnist-seed",
        attack: deepfool(0.2),
        param: "epsilon",
        values: [0.2, 0.3, 0.4, 0.5],
        defence: adv_trainer(deepfool(0.2)),
        defence_name: "AdversarialTrainer(DeepFool max_iter 5, epsilon 0.2, ratio 0.5)",
        expensive: true,
        reported: Reported {
            undefended: [14.41, 17.55, 16.43, 19.41],
            defended: [52.76, 53.46, 56.43, 50.87],
            clean: "78.98",
            dataset: "CIFAR-10",
        },
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
            attack: fgsm(0.2),
            param: "eps",
            values: [0.2, 0.3, 0.4, 0.5],
            defence: adv_trainer(fgsm(0.2)),
            defence_name: "AdversarialTrainer(FGSM eps 0.2, ratio 0.5)",
            expensive: false,
            reported: Reported {
                undefended: [61.7, 53.97, 43.8, 27.48],
                defended: [94.56, 94.97, 72.07, 59.05],
                clean: "97.7-98.1",
                dataset: "MNIST",
            },
            explanation: TABLE_1,
        },
        table_2("Table 2a", "mnist"),
        table_2("Table 2b", "fashion-mnist"),
        TableSpec {
            id: "Table 3",
            dataset: "iris",
            preset: "iris-seed",
            attack: jsma(0.1),
            param: "theta",
            values: [0.1, 0.2, 0.3, 0.4],
            defence: adv_trainer(jsma(0.1)),
            defence_name: "AdversarialTrainer(JSMA theta 0.1, ratio 0.5)",
            expensive: false,
            reported: iris_jsma.clone(),
            explanation: TABLE_3,
        },
        TableSpec {
            id: "Table 4",
            dataset: "iris",
            preset: "iris-seed",
            attack: jsma(0.1),
            param: "theta",
            values: [0.1, 0.2, 0.3, 0.4],
            defence: DefenceConfig::MadryPgd(MadryPgdParams::default()),
            defence_name: "AdversarialTrainerMadryPGD(eps 0.3, eps_step 0.01, max_iter 40)",
            expensive: false,
            reported: Reported {
                undefended: [11.11, 4.44, 8.89, 20.0],
                defended: [51.11, 33.33, 28.89, 33.33],
                clean: "95.56",
                dataset: "IRIS",
            },
            explanation: TABLE_4,
        },
    ]
}
