//! Attacks as resumable runs: the state machine every attack implements, so that a
//! single-threaded browser worker can pause an attack between two iterations (and honour Cancel
//! within one iteration's time), and so that adversarial training can pause in the middle of
//! crafting a batch.
//!
//! # Design
//!
//! [`CheckedAttack::start`](super::CheckedAttack::start) checks the inputs against the
//! classifier and returns a `Box<dyn AttackRun>` over that batch. The run owns everything it
//! needs between calls ([`RunState`]: the clean batch, the current adversarial batch, per-sample
//! counters and its own seeded generator); the classifier is lent to every
//! [`AttackRun::step`], so the caller can own both. One step is one bounded unit of work: one
//! iteration over the batch (one gradient or prediction per sample, in `batch_size` chunks), or
//! for FGSM one random start or one eps of the `minimal` search. [`Step::frame`] says that the
//! step ended an iteration worth showing, so traces are the same as a single
//! [`generate`](super::CheckedAttack::generate) call with a trace: that convenience simply loops
//! `step` until [`AttackRun::is_done`] and then calls [`AttackRun::finish`].
//!
//! Results do not depend on how the steps are spread over time: a run started with the same
//! generator state and stepped to the end gives exactly what `generate` gives.
//!
//! The black-box attacks (Square, HopSkipJump) count their model queries per sample and report
//! them through [`AttackRun::queries`] (and [`AttackOutput::queries`](super::AttackOutput)),
//! also while they run; white-box attacks report `None`. AutoAttack's run drives the runs of its
//! four attacks in turn, one step of the current one per step of its own.

use ndarray::Array2;
use rand_chacha::ChaCha8Rng;

use super::config::AttackOutput;
use super::error::AttackError;
use crate::classifier::Classifier;

/// What one [`AttackRun::step`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The step ended an iteration: a trace records [`AttackRun::current`] now.
    pub frame: bool,
    /// The run has finished; [`AttackRun::finish`] returns its output.
    pub done: bool,
}

/// The state every run owns: the batch it attacks, where it stands, and its generator.
#[derive(Debug, Clone)]
pub struct RunState {
    /// The clean samples `(N, D)`.
    pub x0: Array2<f32>,
    /// The adversarial samples so far `(N, D)`.
    pub adv: Array2<f32>,
    /// Iterations spent on each sample so far.
    pub iterations: Vec<usize>,
    /// The run's own generator (random starts, random targets).
    pub rng: ChaCha8Rng,
}

impl RunState {
    /// A run that starts at the clean samples.
    pub fn new(x0: Array2<f32>, rng: ChaCha8Rng) -> RunState {
        RunState {
            adv: x0.clone(),
            iterations: vec![0; x0.nrows()],
            x0,
            rng,
        }
    }
}

/// An attack in progress over one batch (see the module documentation).
pub trait AttackRun: std::fmt::Debug {
    /// The attack's name (`pgd`).
    fn name(&self) -> &'static str;

    /// The run's state.
    fn state(&self) -> &RunState;

    /// Consumes the run, returning its state (for [`AttackRun::finish`]).
    fn into_state(self: Box<Self>) -> RunState;

    /// Advances by one bounded unit of work. On a finished run it does nothing.
    fn step(&mut self, clf: &mut dyn Classifier) -> Result<Step, AttackError>;

    /// True once the run has finished.
    fn is_done(&self) -> bool;

    /// Fraction of the run's work done, in `[0, 1]` (an estimate for attacks that stop early).
    fn fraction(&self) -> f32;

    /// The batch as it stands, `(N, D)`: what stopping now would return.
    fn current(&self) -> Array2<f32> {
        self.state().adv.clone()
    }

    /// Iterations spent on each sample so far.
    fn iterations(&self) -> &[usize] {
        &self.state().iterations
    }

    /// Model queries spent on each sample so far, for attacks that count them (black-box
    /// attacks); `None` for white-box attacks.
    fn queries(&self) -> Option<&[usize]> {
        None
    }

    /// The generator's state (a caller that attacks several batches in turn continues from it).
    fn rng(&self) -> &ChaCha8Rng {
        &self.state().rng
    }

    /// The result. On a run that is not done, the result so far.
    fn finish(self: Box<Self>) -> AttackOutput {
        let queries = self.queries().map(<[usize]>::to_vec);
        let s = self.into_state();
        AttackOutput {
            x_adv: s.adv,
            iterations: s.iterations,
            queries,
            first_success: None,
        }
    }
}

/// The run of an empty batch: done from the start.
#[derive(Debug)]
pub(super) struct EmptyRun {
    pub(super) name: &'static str,
    pub(super) state: RunState,
}

impl AttackRun for EmptyRun {
    fn name(&self) -> &'static str {
        self.name
    }

    fn state(&self) -> &RunState {
        &self.state
    }

    fn into_state(self: Box<Self>) -> RunState {
        self.state
    }

    fn step(&mut self, _: &mut dyn Classifier) -> Result<Step, AttackError> {
        Ok(Step {
            frame: false,
            done: true,
        })
    }

    fn is_done(&self) -> bool {
        true
    }

    fn fraction(&self) -> f32 {
        1.0
    }
}

/// Steps a run to its end, pushing a frame into `trace` whenever a step ends an iteration.
pub fn run_to_end(
    mut run: Box<dyn AttackRun>,
    clf: &mut dyn Classifier,
    mut trace: Option<&mut Vec<Array2<f32>>>,
) -> Result<(AttackOutput, ChaCha8Rng), AttackError> {
    while !run.is_done() {
        let step = run.step(clf)?;
        if step.frame {
            if let Some(t) = trace.as_deref_mut() {
                t.push(run.current());
            }
        }
    }
    let rng = run.rng().clone();
    Ok((run.finish(), rng))
}
