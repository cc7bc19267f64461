//! ART's `Rounded` (Tramèr et al. 2016): scores rounded to `decimals` decimal places (numpy's
//! `around`, half to even). Its true derivative is zero: a naive gradient attack gets nothing.

use ndarray::{Array2, ArrayView2};
use serde::Serialize;

use crate::described;
use crate::params::{CrossCheck, Kind};

described! {
    /// ART's `Rounded(decimals=3)`.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct RoundedParams in "rounded" {
        decimals: usize = 3, Kind::int(1, 9),
            "Decimal places kept in every score (ART: decimals, default 3).",
            "점수마다 남기는 소수 자릿수(ART: decimals, 기본값 3).";
    }
}

impl CrossCheck for RoundedParams {}

impl RoundedParams {
    /// The rounded scores.
    pub fn apply(&self, p: ArrayView2<f32>) -> Array2<f32> {
        let scale = 10f64.powi(self.decimals as i32);
        p.mapv(|v| ((f64::from(v) * scale).round_ties_even() / scale) as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn rounds_to_the_decimals() {
        let p = array![[0.12345, 0.87655]];
        assert_eq!(
            RoundedParams { decimals: 2 }.apply(p.view()),
            array![[0.12, 0.88]]
        );
        let q = array![[0.125, 0.5]];
        assert_eq!(RoundedParams { decimals: 9 }.apply(q.view()), q);
    }

    #[test]
    fn zero_decimals_are_refused_naming_the_value() {
        use crate::params::{Described, Raw};
        let e = RoundedParams::from_fields(&[("decimals".into(), Raw::Int(0))])
            .unwrap_err()
            .to_string();
        assert!(e.contains("decimals = 0"), "{e}");
    }
}
