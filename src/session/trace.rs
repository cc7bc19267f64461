//! The trace of an attack job: the first sample at every iteration of its attack, kept in
//! bounded memory while the attack runs and thinned to [`MAX_FRAMES`] at the end.
//!
//! Main type: [`Frames`]. AutoAttack's Square alone may take 25 000 iterations on a sample, so
//! the buffer never holds more than `2 * MAX_FRAMES`: when full, every second frame goes and
//! the spacing of the frames it keeps doubles. The last frame is always kept.

use ndarray::{s, Array2, ArrayView2, Axis};

use super::error::SessionError;
use crate::attacks::PerturbationNorms;
use crate::protocol::{AttackTrace, F32s, SlotScores};

/// Most frames a trace keeps.
pub const MAX_FRAMES: usize = 400;

/// Frames recorded so far (see the module documentation).
#[derive(Debug, Clone)]
pub struct Frames {
    /// `(iteration, frame)`, every `stride`-th iteration.
    kept: Vec<(usize, Array2<f32>)>,
    stride: usize,
    seen: usize,
    last: Option<(usize, Array2<f32>)>,
}

impl Default for Frames {
    fn default() -> Frames {
        Frames {
            kept: Vec::new(),
            stride: 1,
            seen: 0,
            last: None,
        }
    }
}

impl Frames {
    /// Records the next frame.
    pub fn push(&mut self, frame: Array2<f32>) {
        let idx = self.seen;
        self.seen += 1;
        if idx.is_multiple_of(self.stride) {
            self.kept.push((idx, frame.clone()));
        }
        self.last = Some((idx, frame));
        if self.kept.len() >= 2 * MAX_FRAMES {
            let kept = std::mem::take(&mut self.kept);
            self.kept = kept.into_iter().step_by(2).collect();
            self.stride *= 2;
        }
    }

    /// At most [`MAX_FRAMES`] frames, evenly spaced, the last one included.
    pub fn into_frames(self) -> Vec<Array2<f32>> {
        let mut rows = self.kept;
        if let Some((idx, f)) = self.last {
            if rows.last().map(|r| r.0) != Some(idx) {
                rows.push((idx, f));
            }
        }
        thin(rows.into_iter().map(|(_, f)| f).collect(), MAX_FRAMES)
    }

    /// The trace of the sample `first` (`(1, D)`): frame 0 is the clean sample, then the frames
    /// kept; `scores` gives both models' scores on them.
    pub fn into_trace(
        self,
        first: ArrayView2<f32>,
        scores: impl FnOnce(ArrayView2<f32>) -> Result<SlotScores, SessionError>,
    ) -> Result<AttackTrace, SessionError> {
        let mut rows: Vec<Array2<f32>> = self.into_frames();
        rows.insert(0, first.to_owned());
        let views: Vec<ArrayView2<f32>> = rows.iter().map(|r| r.slice(s![..1, ..])).collect();
        let stacked = ndarray::concatenate(Axis(0), &views).expect("frames share a width");
        let clean = first
            .broadcast(stacked.raw_dim())
            .expect("one row broadcasts")
            .to_owned();
        Ok(AttackTrace {
            frames: stacked.nrows(),
            scores: scores(stacked.view())?,
            norms: PerturbationNorms::of(clean.view(), stacked.view()),
            x: F32s(stacked.iter().copied().collect()),
        })
    }
}

/// Keeps at most `max` frames, evenly spaced, always including the last.
fn thin(frames: Vec<Array2<f32>>, max: usize) -> Vec<Array2<f32>> {
    let k = frames.len();
    if k <= max {
        return frames;
    }
    let keep: Vec<usize> = (1..=max).map(|i| i * k / max - 1).collect();
    frames
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, f)| f)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_traces_stay_bounded_and_end_on_the_last_frame() {
        for n in [3, MAX_FRAMES, 2 * MAX_FRAMES + 1, 25_003] {
            let mut f = Frames::default();
            for i in 0..n {
                f.push(Array2::from_elem((1, 2), i as f32));
                assert!(f.kept.len() < 2 * MAX_FRAMES);
            }
            assert_eq!(f.seen, n);
            let out = f.into_frames();
            assert_eq!(out.len(), n.min(MAX_FRAMES));
            assert_eq!(out.last().unwrap()[[0, 0]], (n - 1) as f32);
            assert_eq!(
                out[0][[0, 0]],
                if n <= MAX_FRAMES { 0.0 } else { out[0][[0, 0]] }
            );
            let values: Vec<f32> = out.iter().map(|a| a[[0, 0]]).collect();
            assert!(values.windows(2).all(|w| w[0] < w[1]), "in order");
        }
    }
}
