//! AutoAttack (Croce & Hein 2020) as ART's `AutoAttack` runs it with its standard attacks:
//! APGD with cross-entropy, APGD with DLR (both 100 iterations, 5 random starts), DeepFool
//! (100 iterations, overshoot 1e-3, 10 candidate classes) and Square (5000 iterations, `p_init`
//! 0.8, 5 restarts), one after the other, each on the samples the previous ones did not fool.
//!
//! Main type: [`AutoAttackRun`]: each step is one step of the current attack's own run. An
//! example counts only if the model misclassifies it and its perturbation is within the budget
//! (`(1 - 1e-4) |delta|_norm <= eps`, which matters for DeepFool, the only attack not bounded by
//! eps). The output says, per sample, which attack fooled it first
//! ([`AttackOutput::first_success`]); the robust accuracy is the accuracy on the result.
//!
//! Where advlab differs from ART 1.20.1, and why: APGD-DLR is left out for models with fewer
//! than three classes (DLR compares the first and third logits; ART fails), and Square for the
//! L1 norm (ART's Square has no L1 update and returns its input). Only the untargeted ensemble
//! is offered (ART's `targeted=True` also runs every attack against every other class).

use ndarray::{Array2, Axis};

use super::batch;
use super::config::{AttackOutput, CheckedAttack};
use super::error::AttackError;
use super::fgsm::attack_labels;
use super::norm::Norm;
use super::params::DeepFoolParams;
use super::params_robust::{ApgdLoss, ApgdParams, AutoAttackParams, SquareParams};
use super::run::{AttackRun, RunState, Step};
use crate::classifier::Classifier;
use crate::params::{Checked, Described};

/// The ensemble for these parameters, in ART's order, with the names the output uses.
fn ensemble(
    p: &AutoAttackParams,
    nb_classes: usize,
) -> Result<Vec<(&'static str, CheckedAttack)>, AttackError> {
    let apgd = |loss_type| ApgdParams {
        norm: p.norm,
        eps: p.eps,
        eps_step: p.eps_step,
        max_iter: 100,
        targeted: false,
        nb_random_init: 5,
        loss_type,
        batch_size: p.batch_size,
    };
    let mut out = vec![(
        "apgd-ce",
        CheckedAttack::Apgd(apgd(ApgdLoss::CrossEntropy).checked()?),
    )];
    if nb_classes >= 3 {
        let dlr = apgd(ApgdLoss::DifferenceLogitsRatio).checked()?;
        out.push(("apgd-dlr", CheckedAttack::Apgd(dlr)));
    }
    let deepfool = DeepFoolParams {
        max_iter: 100,
        epsilon: 1e-3,
        nb_grads: 10,
        batch_size: p.batch_size,
    };
    out.push(("deepfool", CheckedAttack::Deepfool(deepfool.checked()?)));
    if p.norm != Norm::L1 {
        let square = SquareParams {
            norm: p.norm,
            eps: p.eps,
            max_iter: 5000,
            p_init: 0.8,
            nb_restarts: 5,
            batch_size: p.batch_size,
        };
        out.push(("square", CheckedAttack::Square(square.checked()?)));
    }
    Ok(out)
}

/// ART's `AutoAttack.generate` (untargeted) as a resumable run.
#[derive(Debug)]
pub struct AutoAttackRun {
    s: RunState,
    p: AutoAttackParams,
    labels: Vec<usize>,
    attacks: Vec<(&'static str, CheckedAttack)>,
    robust: Vec<bool>,
    first: Vec<Option<&'static str>>,
    phase: usize,
    /// The rows the current attack works on, and its run.
    current: Option<(Vec<usize>, Box<dyn AttackRun>)>,
    finished: bool,
}

impl AutoAttackRun {
    /// Picks the labels (predictions without `y`) and the samples already misclassified.
    pub fn start(
        clf: &mut dyn Classifier,
        s: RunState,
        y: Option<&[usize]>,
        p: &Checked<AutoAttackParams>,
    ) -> Result<AutoAttackRun, AttackError> {
        let p = p.get().clone();
        let labels = attack_labels(clf, s.x0.view(), y, false, "autoattack", p.batch_size)?;
        let pred = batch::predict_classes(clf, s.x0.view(), p.batch_size);
        let robust: Vec<bool> = pred.iter().zip(&labels).map(|(a, b)| a == b).collect();
        let first = robust
            .iter()
            .map(|&r| (!r).then_some("misclassified"))
            .collect();
        Ok(AutoAttackRun {
            attacks: ensemble(&p, clf.nb_classes())?,
            finished: !robust.contains(&true),
            robust,
            first,
            phase: 0,
            current: None,
            labels,
            s,
            p,
        })
    }

    /// Starts the next attack on the samples still robust; false when none is left.
    fn begin(&mut self, clf: &mut dyn Classifier) -> Result<bool, AttackError> {
        let rows: Vec<usize> = (0..self.robust.len()).filter(|&i| self.robust[i]).collect();
        if rows.is_empty() || self.phase >= self.attacks.len() {
            return Ok(false);
        }
        let x = self.s.adv.select(Axis(0), &rows);
        let y: Vec<usize> = rows.iter().map(|&i| self.labels[i]).collect();
        let run = self.attacks[self.phase]
            .1
            .start(clf, x.view(), Some(&y), self.s.rng.clone())?;
        self.current = Some((rows, run));
        Ok(true)
    }

    /// ART's `run_attack`: keeps the examples that fool the model within the budget.
    fn absorb(&mut self, clf: &dyn Classifier, rows: Vec<usize>, run: Box<dyn AttackRun>) {
        self.s.rng = run.rng().clone();
        let out = run.finish();
        let pred = batch::predict_classes(clf, out.x_adv.view(), self.p.batch_size);
        let name = self.attacks[self.phase].0;
        for (k, &i) in rows.iter().enumerate() {
            self.s.iterations[i] += out.iterations[k];
            let delta = &out.x_adv.row(k) - &self.s.x0.row(i);
            let size = self.p.norm.of(delta.iter().copied());
            if pred[k] != self.labels[i] && (1.0 - 1e-4) * size <= self.p.eps {
                self.s.adv.row_mut(i).assign(&out.x_adv.row(k));
                self.robust[i] = false;
                self.first[i] = Some(name);
            }
        }
        self.phase += 1;
    }
}

impl AttackRun for AutoAttackRun {
    fn name(&self) -> &'static str {
        "autoattack"
    }

    fn state(&self) -> &RunState {
        &self.s
    }

    fn into_state(self: Box<Self>) -> RunState {
        self.s
    }

    fn step(&mut self, clf: &mut dyn Classifier) -> Result<Step, AttackError> {
        if self.finished {
            return Ok(Step {
                frame: false,
                done: true,
            });
        }
        if self.current.is_none() && !self.begin(clf)? {
            self.finished = true;
            return Ok(Step {
                frame: true,
                done: true,
            });
        }
        let (_, run) = self.current.as_mut().expect("begun above");
        let step = run.step(clf)?;
        if run.is_done() {
            let (rows, run) = self.current.take().expect("checked above");
            self.absorb(clf, rows, run);
            self.finished = self.phase >= self.attacks.len() || !self.robust.contains(&true);
        }
        Ok(Step {
            frame: step.frame || self.finished,
            done: self.finished,
        })
    }

    fn is_done(&self) -> bool {
        self.finished
    }

    fn fraction(&self) -> f32 {
        if self.finished {
            return 1.0;
        }
        let part = self.current.as_ref().map_or(0.0, |(_, r)| r.fraction());
        (self.phase as f32 + part) / self.attacks.len() as f32
    }

    fn current(&self) -> Array2<f32> {
        let mut out = self.s.adv.clone();
        if let Some((rows, run)) = &self.current {
            let cur = run.current();
            for (k, &i) in rows.iter().enumerate() {
                out.row_mut(i).assign(&cur.row(k));
            }
        }
        out
    }

    fn finish(self: Box<Self>) -> AttackOutput {
        let first = self.first.clone();
        let s = self.into_state();
        AttackOutput {
            x_adv: s.adv,
            iterations: s.iterations,
            queries: None,
            first_success: Some(first),
        }
    }
}
