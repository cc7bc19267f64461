//! HopSkipJump (Chen, Jordan, Wainwright 2020) as ART's `HopSkipJump` implements it: a
//! decision-based black-box attack that only uses the predicted class.
//!
//! Main type: [`HopSkipJumpRun`]. Its first step finds, per sample, a uniformly random image the
//! model misclassifies (up to `init_size` tries; targeted: one classified as the target) and
//! binary-searches the segment to the input (L2, threshold 0.001). Each iteration then moves
//! every sample: binary search to the boundary (threshold `theta`, `0.01 / sqrt(D)` for L2,
//! `0.01 / D` for L-inf), a gradient estimate from `min(init_eval * sqrt(t + 1), max_eval)`
//! random probes at distance `delta`, and a geometric step-size search along it ([`search`];
//! the phases are in `iteration.rs`). Untargeted, the attack leaves the model's prediction on
//! the clean input (ART ignores `y` there too); targeted, it reaches `y`. A sample with no
//! starting point, or a targeted sample already at its target, is returned unchanged. Every
//! model call counts as one query per sample ([`AttackRun::queries`], the clean prediction
//! included).
//!
//! Where advlab differs from ART 1.20.1, and why:
//! - Random draws come from the run's seeded generator; ART draws the starting images from an
//!   unseeded `RandomState`, so its results cannot be repeated.
//! - The step-size search halves at most [`crate::limits::MAX_HSJ_STEP_HALVINGS`] times (ART
//!   loops until it succeeds, which float rounding makes finite but unbounded in principle).
//! - The probes of a gradient estimate are drawn and queried `batch_size` at a time, and one step
//!   draws at most [`PROBES_PER_STEP`] per sample, so memory is `batch_size * D` rather than
//!   `max_eval * D` and a step stays short.

mod iteration;
pub mod search;

use ndarray::Array2;

use super::batch;
use super::error::AttackError;
use super::norm::Norm;
use super::params_robust::HopSkipJumpParams;
use super::run::{AttackRun, RunState, Step};
use crate::classifier::Classifier;
use crate::params::Checked;
use search::{Decisions, Estimate};

/// Probes per sample one step draws at most: a gradient estimate of `max_eval` probes is spread
/// over several steps, so no step is longer than this many model calls per sample.
pub const PROBES_PER_STEP: usize = 500;

/// Where a run stands within an iteration.
#[derive(Debug)]
enum Phase {
    /// The starting points are still to be drawn.
    Init,
    /// The next step searches the boundary and starts the estimate.
    Search,
    /// Probes still to draw per sample for the estimate.
    Estimate { left: usize },
    /// The next step searches the step size and moves.
    Jump,
}

/// ART's `HopSkipJump.generate` as a resumable run (see the module documentation): a first step
/// for the starting points, then per iteration one step for the binary search, one or more for
/// the estimate ([`PROBES_PER_STEP`]) and one for the jump, which ends the iteration (a frame).
#[derive(Debug)]
pub struct HopSkipJumpRun {
    s: RunState,
    p: HopSkipJumpParams,
    /// The class each sample must reach (targeted) or leave (its clean prediction).
    target: Vec<usize>,
    /// Samples still iterating.
    active: Vec<usize>,
    queries: Vec<usize>,
    theta: f64,
    clip: (f32, f32),
    phase: Phase,
    /// Iterations done (ART's `curr_iter`).
    t: usize,
    /// The current iteration: its samples, probe distances, boundary points and estimates.
    who: Vec<usize>,
    deltas: Vec<f32>,
    boundary: Array2<f32>,
    estimates: Vec<Estimate>,
    finished: bool,
}

impl HopSkipJumpRun {
    /// Predicts the clean classes (one query per sample) and picks the targets.
    pub fn start(
        clf: &mut dyn Classifier,
        s: RunState,
        y: Option<&[usize]>,
        p: &Checked<HopSkipJumpParams>,
    ) -> Result<HopSkipJumpRun, AttackError> {
        let p = p.get().clone();
        if p.targeted && y.is_none() {
            return Err(AttackError::TargetsRequired {
                attack: "hopskipjump",
            });
        }
        let pred = batch::predict_classes(clf, s.x0.view(), p.batch_size);
        let n = pred.len();
        let target = match y {
            Some(t) if p.targeted => t.to_vec(),
            _ => pred.clone(),
        };
        let active = (0..n)
            .filter(|&i| !(p.targeted && pred[i] == target[i]))
            .collect();
        let d = s.x0.ncols() as f64;
        let theta = match p.norm {
            Norm::Inf => 0.01 / d,
            _ => 0.01 / d.sqrt(),
        };
        Ok(HopSkipJumpRun {
            queries: vec![1; n],
            clip: clf.clip_values(),
            phase: Phase::Init,
            t: 0,
            who: Vec::new(),
            deltas: Vec::new(),
            boundary: Array2::zeros((0, 0)),
            estimates: Vec::new(),
            finished: false,
            theta,
            target,
            active,
            s,
            p,
        })
    }

    fn decisions<'a>(&'a mut self, clf: &'a dyn Classifier) -> (Decisions<'a>, &'a mut RunState) {
        let d = Decisions {
            clf,
            batch_size: self.p.batch_size,
            targeted: self.p.targeted,
            clip: self.clip,
            target: &self.target,
            queries: &mut self.queries,
        };
        (d, &mut self.s)
    }
}

impl AttackRun for HopSkipJumpRun {
    fn name(&self) -> &'static str {
        "hopskipjump"
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
        let frame = match self.phase {
            Phase::Init => {
                self.init(clf);
                self.phase = Phase::Search;
                true
            }
            Phase::Search => {
                let left = self.search(clf);
                self.phase = Phase::Estimate { left };
                false
            }
            Phase::Estimate { left } => {
                let left = self.probe(clf, left);
                self.phase = if left == 0 {
                    Phase::Jump
                } else {
                    Phase::Estimate { left }
                };
                false
            }
            Phase::Jump => {
                self.jump(clf);
                self.phase = Phase::Search;
                true
            }
        };
        self.finished = matches!(self.phase, Phase::Search)
            && (self.t >= self.p.max_iter || self.active.is_empty());
        Ok(Step {
            frame,
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
        let part = match self.phase {
            Phase::Init | Phase::Search => 0.0,
            Phase::Estimate { .. } => 0.5,
            Phase::Jump => 0.9,
        };
        (self.t as f32 + part) / self.p.max_iter.max(1) as f32
    }

    fn queries(&self) -> Option<&[usize]> {
        Some(&self.queries)
    }
}
