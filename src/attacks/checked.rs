//! [`CheckedAttack`]: an attack whose parameters passed their checks, and the entry point that
//! starts its run on a batch ([`CheckedAttack::start`]) or runs it to the end
//! ([`CheckedAttack::generate`]).

use ndarray::{Array2, ArrayView2};
use rand_chacha::ChaCha8Rng;

use super::batch::check_inputs;
use super::config::{AttackConfig, AttackOutput};
use super::error::AttackError;
use super::params::{DeepFoolParams, FgsmParams, JsmaParams, NewtonFoolParams, PgdParams};
use super::params_robust::{
    ApgdParams, AutoAttackParams, CwL2Params, HopSkipJumpParams, SquareParams,
};
use super::run::{run_to_end, AttackRun, EmptyRun, RunState};
use super::{apgd, autoattack, cw_l2, deepfool, fgsm, hopskipjump, jsma, newtonfool, pgd, square};
use crate::classifier::Classifier;
use crate::params::Checked;

/// An attack whose parameters passed their checks, ready to start on a batch.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckedAttack {
    /// Checked FGSM parameters.
    Fgsm(Checked<FgsmParams>),
    /// Checked PGD parameters.
    Pgd(Checked<PgdParams>),
    /// Checked JSMA parameters.
    Jsma(Checked<JsmaParams>),
    /// Checked DeepFool parameters.
    Deepfool(Checked<DeepFoolParams>),
    /// Checked NewtonFool parameters.
    Newtonfool(Checked<NewtonFoolParams>),
    /// Checked C&W-L2 parameters.
    CwL2(Checked<CwL2Params>),
    /// Checked APGD parameters.
    Apgd(Checked<ApgdParams>),
    /// Checked AutoAttack parameters.
    Autoattack(Checked<AutoAttackParams>),
    /// Checked Square parameters.
    Square(Checked<SquareParams>),
    /// Checked HopSkipJump parameters.
    Hopskipjump(Checked<HopSkipJumpParams>),
}

impl CheckedAttack {
    /// The configuration it was checked from.
    pub fn config(&self) -> AttackConfig {
        match self {
            CheckedAttack::Fgsm(p) => AttackConfig::Fgsm(p.get().clone()),
            CheckedAttack::Pgd(p) => AttackConfig::Pgd(p.get().clone()),
            CheckedAttack::Jsma(p) => AttackConfig::Jsma(p.get().clone()),
            CheckedAttack::Deepfool(p) => AttackConfig::Deepfool(p.get().clone()),
            CheckedAttack::Newtonfool(p) => AttackConfig::Newtonfool(p.get().clone()),
            CheckedAttack::CwL2(p) => AttackConfig::CwL2(p.get().clone()),
            CheckedAttack::Apgd(p) => AttackConfig::Apgd(p.get().clone()),
            CheckedAttack::Autoattack(p) => AttackConfig::Autoattack(p.get().clone()),
            CheckedAttack::Square(p) => AttackConfig::Square(p.get().clone()),
            CheckedAttack::Hopskipjump(p) => AttackConfig::Hopskipjump(p.get().clone()),
        }
    }

    /// The attack's name.
    pub fn name(&self) -> &'static str {
        self.config().name()
    }

    /// Whether `y` means target classes.
    pub fn is_targeted(&self) -> bool {
        self.config().is_targeted()
    }

    /// Starts the attack on `x` (checked against the classifier: feature count, every sample
    /// finite and inside the clip values, labels) with its own generator `rng`.
    ///
    /// `y`: true labels (untargeted) or target classes (targeted / JSMA); `None` means the
    /// model's predictions (untargeted), random wrong classes from `rng` (JSMA), or an error for
    /// the other targeted attacks. DeepFool, NewtonFool and untargeted HopSkipJump ignore `y`
    /// apart from checking it, as ART does.
    /// An empty batch gives a run that is done from the start.
    pub fn start(
        &self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        y: Option<&[usize]>,
        rng: ChaCha8Rng,
    ) -> Result<Box<dyn AttackRun>, AttackError> {
        check_inputs(clf, x, y)?;
        let state = RunState::new(x.to_owned(), rng);
        if x.nrows() == 0 {
            return Ok(Box::new(EmptyRun {
                name: self.name(),
                state,
            }));
        }
        Ok(match self {
            CheckedAttack::Fgsm(p) => Box::new(fgsm::FgsmRun::start(clf, state, y, p)?),
            CheckedAttack::Pgd(p) => Box::new(pgd::PgdRun::start(clf, state, y, p)?),
            CheckedAttack::Jsma(p) => Box::new(jsma::JsmaRun::start(clf, state, y, p)?),
            CheckedAttack::Deepfool(p) => Box::new(deepfool::DeepFoolRun::start(clf, state, p)),
            CheckedAttack::Newtonfool(p) => {
                Box::new(newtonfool::NewtonFoolRun::start(clf, state, p))
            }
            CheckedAttack::CwL2(p) => Box::new(cw_l2::CwL2Run::start(clf, state, y, p)?),
            CheckedAttack::Apgd(p) => Box::new(apgd::ApgdRun::start(clf, state, y, p)?),
            CheckedAttack::Autoattack(p) => {
                Box::new(autoattack::AutoAttackRun::start(clf, state, y, p)?)
            }
            CheckedAttack::Square(p) => Box::new(square::SquareRun::start(clf, state, y, p)?),
            CheckedAttack::Hopskipjump(p) => {
                Box::new(hopskipjump::HopSkipJumpRun::start(clf, state, y, p)?)
            }
        })
    }

    /// Runs the attack to its end (the convenience that loops [`AttackRun::step`]). `rng` is
    /// advanced as the run advanced its own copy. `trace`: when `Some`, receives the whole
    /// batch `(N, D)` after every iteration (FGSM: once, at the end).
    pub fn generate(
        &self,
        clf: &mut dyn Classifier,
        x: ArrayView2<f32>,
        y: Option<&[usize]>,
        rng: &mut ChaCha8Rng,
        trace: Option<&mut Vec<Array2<f32>>>,
    ) -> Result<AttackOutput, AttackError> {
        let run = self.start(clf, x, y, rng.clone())?;
        let (out, next) = run_to_end(run, clf, trace)?;
        *rng = next;
        Ok(out)
    }
}
