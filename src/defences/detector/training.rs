//! Training and measuring a [`BinaryInputDetector`] as a resumable job, and measuring one against
//! any attack.
//!
//! [`DetectorTraining::advance`] does bounded units of work until its `pause` says stop: one
//! attack iteration over the training subset, one optimiser step of the detector, or one attack
//! iteration over the test subset. The classifier the attacks craft on is lent at every call
//! (the defended model with its stack), so the caller can own it.

use ndarray::{concatenate, Array2, ArrayView2, Axis};
use rand_chacha::ChaCha8Rng;

use super::{attack_rng, BinaryInputDetector, DetectorParams, DetectorReport};
use crate::attacks::{AttackRun, CheckedAttack};
use crate::classifier::{argmax_rows, Classifier};
use crate::defences::DefenceError;
use crate::lang::text;
use crate::params::Described;
use crate::train::{TrainConfig, Trainer};

/// Where the job stands.
#[derive(Debug)]
enum Phase {
    /// Nothing started.
    Start,
    /// Crafting the adversarial training inputs.
    CraftTrain(Box<dyn AttackRun>),
    /// Training the detector on clean (0) and adversarial (1) inputs.
    Train {
        trainer: Box<Trainer>,
        x: Array2<f32>,
        y: Vec<usize>,
    },
    /// Crafting the adversarial test inputs.
    CraftTest(Box<dyn AttackRun>),
    /// Finished.
    Done,
}

/// The detector-training job (see the module documentation).
#[derive(Debug)]
pub struct DetectorTraining {
    params: DetectorParams,
    attack: CheckedAttack,
    x_train: Array2<f32>,
    y_train: Vec<usize>,
    x_test: Array2<f32>,
    y_test: Vec<usize>,
    detector: BinaryInputDetector,
    rng: ChaCha8Rng,
    phase: Phase,
    fraction: f32,
}

fn labels_for(attack: &CheckedAttack, y: &[usize]) -> Option<Vec<usize>> {
    if attack.is_targeted() {
        None
    } else {
        Some(y.to_vec())
    }
}

impl DetectorTraining {
    /// Checks the parameters and prepares the job on the first `train_limit` training and
    /// `test_limit` test samples.
    pub fn new(
        params: DetectorParams,
        clf: &dyn Classifier,
        x_train: ArrayView2<f32>,
        y_train: &[usize],
        x_test: ArrayView2<f32>,
        y_test: &[usize],
    ) -> Result<DetectorTraining, DefenceError> {
        params.check()?;
        let attack = params.attack.check()?;
        let n = params.train_limit.min(y_train.len());
        let m = params.test_limit.min(y_test.len());
        let detector = BinaryInputDetector::new(&params, clf.input_shape(), clf.clip_values())?;
        Ok(DetectorTraining {
            rng: attack_rng(params.seed),
            attack,
            x_train: x_train.slice(ndarray::s![..n, ..]).to_owned(),
            y_train: y_train[..n].to_vec(),
            x_test: x_test.slice(ndarray::s![..m, ..]).to_owned(),
            y_test: y_test[..m].to_vec(),
            detector,
            params,
            phase: Phase::Start,
            fraction: 0.0,
        })
    }

    /// Fraction of the job done.
    pub fn fraction(&self) -> f32 {
        self.fraction
    }

    /// What the job is doing: `craft-train`, `train-detector`, `craft-test` (or `done`).
    pub fn phase(&self) -> &'static str {
        match self.phase {
            Phase::Start | Phase::CraftTrain(_) => "craft-train",
            Phase::Train { .. } => "train-detector",
            Phase::CraftTest(_) => "craft-test",
            Phase::Done => "done",
        }
    }

    /// Advances until `pause()` says stop or the job ends; at the end, the trained detector and
    /// its report.
    pub fn advance(
        &mut self,
        clf: &mut dyn Classifier,
        pause: &mut dyn FnMut() -> bool,
    ) -> Result<Option<(BinaryInputDetector, DetectorReport)>, DefenceError> {
        loop {
            let phase = std::mem::replace(&mut self.phase, Phase::Done);
            self.phase = match phase {
                Phase::Start => {
                    let y = labels_for(&self.attack, &self.y_train);
                    let run = self.attack.start(
                        clf,
                        self.x_train.view(),
                        y.as_deref(),
                        self.rng.clone(),
                    )?;
                    Phase::CraftTrain(run)
                }
                Phase::CraftTrain(mut run) => {
                    if run.is_done() {
                        self.rng = run.rng().clone();
                        let adv = run.finish().x_adv;
                        // Clean and "adversarial" samples that are the same teach the detector
                        // nothing: its detection rate would equal its false-positive rate.
                        if adv == self.x_train {
                            return Err(DefenceError::Param(crate::params::ParamError::invalid(
                                "attack",
                                self.attack.name(),
                                text!(
                                    "it changed none of the training samples (eps 0, or it cannot move through the model's stack, e.g. ClassLabels): a detector cannot learn to tell clean from adversarial samples that are the same",
                                    "학습 샘플을 하나도 바꾸지 못했습니다(eps가 0이거나, ClassLabels처럼 모델의 스택을 지나갈 수 없습니다). 깨끗한 샘플과 똑같은 적대적 샘플로는 탐지기가 둘을 구별하도록 배울 수 없습니다"
                                ),
                            )));
                        }
                        let x = concatenate(Axis(0), &[self.x_train.view(), adv.view()]).map_err(
                            |e| {
                                DefenceError::Param(crate::params::ParamError::invalid(
                                    "train_limit",
                                    self.y_train.len(),
                                    text!(
                                        "{e}",
                                        "적대적 샘플을 학습 샘플에 이어 붙일 수 없습니다: {e}"
                                    ),
                                ))
                            },
                        )?;
                        let n = self.y_train.len();
                        let y: Vec<usize> = (0..2 * n).map(|i| usize::from(i >= n)).collect();
                        let cfg = TrainConfig {
                            epochs: self.params.epochs,
                            batch_size: self.params.batch_size,
                            seed: self.params.seed,
                        };
                        let trainer = Trainer::new(cfg, 2 * n).map_err(train_error)?;
                        Phase::Train {
                            trainer: Box::new(trainer),
                            x,
                            y,
                        }
                    } else {
                        run.step(clf)?;
                        self.fraction = 0.3 * run.fraction();
                        Phase::CraftTrain(run)
                    }
                }
                Phase::Train { mut trainer, x, y } => {
                    if trainer.is_done() {
                        let yt = labels_for(&self.attack, &self.y_test);
                        let run = self.attack.start(
                            clf,
                            self.x_test.view(),
                            yt.as_deref(),
                            self.rng.clone(),
                        )?;
                        Phase::CraftTest(run)
                    } else {
                        trainer
                            .work(&mut self.detector.model, x.view(), &y, None, &mut || false)
                            .map_err(train_error)?;
                        let p = trainer.progress();
                        let done = (p.epoch.saturating_sub(1) * p.batches + p.batch) as f32
                            / (p.epochs * p.batches).max(1) as f32;
                        self.fraction = 0.3 + 0.5 * done.min(1.0);
                        Phase::Train { trainer, x, y }
                    }
                }
                Phase::CraftTest(mut run) => {
                    if run.is_done() {
                        let adv = run.finish().x_adv;
                        let report = measure(
                            &self.detector,
                            clf,
                            self.x_test.view(),
                            adv.view(),
                            &self.y_test,
                            self.attack.name(),
                            self.y_train.len(),
                        );
                        self.fraction = 1.0;
                        self.phase = Phase::Done;
                        return Ok(Some((self.detector.clone(), report)));
                    }
                    run.step(clf)?;
                    self.fraction = 0.8 + 0.2 * run.fraction();
                    Phase::CraftTest(run)
                }
                Phase::Done => return Ok(None),
            };
            if pause() {
                return Ok(None);
            }
        }
    }

    /// Runs the job to its end (native convenience).
    pub fn run_to_end(
        mut self,
        clf: &mut dyn Classifier,
    ) -> Result<(BinaryInputDetector, DetectorReport), DefenceError> {
        loop {
            if let Some(done) = self.advance(clf, &mut || false)? {
                return Ok(done);
            }
            if matches!(self.phase, Phase::Done) {
                return Err(DefenceError::Param(crate::params::ParamError::invalid(
                    "detector",
                    "finished",
                    text!(
                        "the job has already returned its detector",
                        "이 작업은 이미 탐지기를 돌려주었습니다"
                    ),
                )));
            }
        }
    }
}

fn train_error(e: crate::train::TrainError) -> DefenceError {
    DefenceError::Param(crate::params::ParamError::invalid(
        "binary-input-detector",
        "training",
        crate::lang::Text::of(&e),
    ))
}

/// The rates of `detector` on clean inputs `x` and their adversarial versions `adv`.
fn measure(
    detector: &BinaryInputDetector,
    clf: &dyn Classifier,
    x: ArrayView2<f32>,
    adv: ArrayView2<f32>,
    y: &[usize],
    attack: &str,
    train_samples: usize,
) -> DetectorReport {
    let n = y.len().max(1) as f32;
    let rate = |flags: Vec<bool>| flags.iter().filter(|f| **f).count() as f32 / n;
    let pred = argmax_rows(&clf.predict(adv));
    DetectorReport {
        attack: attack.to_string(),
        detection_rate: rate(detector.flags(adv)),
        false_positive_rate: rate(detector.flags(x)),
        adversarial_accuracy: pred.iter().zip(y).filter(|(p, t)| p == t).count() as f32 / n,
        test_samples: y.len(),
        train_samples,
        threshold: detector.threshold,
    }
}

/// The detection and false-positive rates of `detector` against `attack` crafted on `clf` (which
/// may be a detector-aware stack) over `x`, `y`.
pub fn evaluate_detector(
    detector: &BinaryInputDetector,
    clf: &mut dyn Classifier,
    attack: &CheckedAttack,
    x: ArrayView2<f32>,
    y: &[usize],
    seed: u64,
) -> Result<DetectorReport, DefenceError> {
    let mut rng = attack_rng(seed);
    let labels = labels_for(attack, y);
    let out = attack.generate(clf, x, labels.as_deref(), &mut rng, None)?;
    Ok(measure(
        detector,
        clf,
        x,
        out.x_adv.view(),
        y,
        attack.name(),
        0,
    ))
}
