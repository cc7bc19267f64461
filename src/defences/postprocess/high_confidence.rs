//! ART's `HighConfidence` (Tramèr et al. 2016): scores below `cutoff` are set to zero, so only
//! confident classes are reported. Its exact derivative passes the gradient of the kept scores.

use ndarray::{Array2, ArrayView2, Zip};
use serde::Serialize;

use crate::described;
use crate::params::{CrossCheck, Kind};

described! {
    /// ART's `HighConfidence(cutoff=0.25)`.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct HighConfidenceParams in "high-confidence" {
        cutoff: f32 = 0.25, Kind::float(0.0, 1.0).slider(0.0, 1.0, 0.05),
            "Scores below this are reported as 0 (ART: cutoff, default 0.25; ART refuses 0, which here changes nothing).",
            "이 값보다 낮은 점수는 0으로 알립니다(ART: cutoff, 기본값 0.25. ART는 0을 거부하지만 여기서는 0이면 아무것도 바꾸지 않습니다).";
    }
}

impl CrossCheck for HighConfidenceParams {}

impl HighConfidenceParams {
    /// The scores with those below the cutoff zeroed.
    pub fn apply(&self, p: ArrayView2<f32>) -> Array2<f32> {
        p.mapv(|v| if v < self.cutoff { 0.0 } else { v })
    }

    /// The exact derivative: the seed where the score was kept, zero elsewhere.
    pub fn vjp(&self, p: ArrayView2<f32>, seed: ArrayView2<f32>) -> Array2<f32> {
        Zip::from(&p)
            .and(&seed)
            .map_collect(|&v, &s| if v < self.cutoff { 0.0 } else { s })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn cutoff_zero_is_identity_and_cutoff_zeroes_low_scores() {
        let p = array![[0.1, 0.3, 0.6], [0.7, 0.2, 0.1]];
        assert_eq!(HighConfidenceParams { cutoff: 0.0 }.apply(p.view()), p);
        let h = HighConfidenceParams { cutoff: 0.25 };
        assert_eq!(h.apply(p.view()), array![[0.0, 0.3, 0.6], [0.7, 0.0, 0.0]]);
        let ones = Array2::ones((2, 3));
        assert_eq!(
            h.vjp(p.view(), ones.view()),
            array![[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]]
        );
    }

    #[test]
    fn cutoff_outside_0_1_is_refused_naming_the_value() {
        use crate::params::{Described, Raw};
        let e = HighConfidenceParams::from_fields(&[("cutoff".into(), Raw::Float(1.5))])
            .unwrap_err()
            .to_string();
        assert!(e.contains("cutoff = 1.5"), "{e}");
    }
}
