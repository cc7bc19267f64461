//! The perturbation norms of FGSM and PGD, with ART's projection onto the eps-ball and ART's random
//! start inside it.
//!
//! Main type: [`Norm`] (serde: `"inf"`, `"1"`, `"2"`; also accepts the numbers `1`, `2` and the
//! spellings `"l1"`, `"l2"`, `"linf"`, `"Inf"`, `"infinity"`). Functions: [`project`], [`random_ball`].

use ndarray::{Array2, ArrayViewMut2};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The `p` of an L_p perturbation budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Norm {
    /// L-infinity: every feature moves by at most eps.
    #[default]
    Inf,
    /// L1: the sum of absolute changes is at most eps.
    L1,
    /// L2: the Euclidean length of the change is at most eps.
    L2,
}

impl Norm {
    /// Parses ART's spellings (`"inf"`, `"1"`, `"2"`) and a few aliases, case-insensitively.
    pub fn parse(s: &str) -> Option<Norm> {
        match s.trim().to_ascii_lowercase().as_str() {
            "inf" | "linf" | "l_inf" | "infinity" | "np.inf" => Some(Norm::Inf),
            "1" | "l1" | "1.0" => Some(Norm::L1),
            "2" | "l2" | "2.0" => Some(Norm::L2),
            _ => None,
        }
    }

    /// The norm of a vector.
    pub fn of(self, v: impl IntoIterator<Item = f32>) -> f32 {
        let it = v.into_iter();
        match self {
            Norm::Inf => it.fold(0.0, |m, a| m.max(a.abs())),
            Norm::L1 => it.map(f32::abs).sum(),
            Norm::L2 => it.map(|a| a * a).sum::<f32>().sqrt(),
        }
    }
}

impl fmt::Display for Norm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Norm::Inf => "inf",
            Norm::L1 => "1",
            Norm::L2 => "2",
        })
    }
}

impl Serialize for Norm {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

struct NormVisitor;

impl Visitor<'_> for NormVisitor {
    type Value = Norm;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a norm: \"inf\", \"1\", \"2\" or the number 1 or 2")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Norm, E> {
        Norm::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Norm, E> {
        match v {
            1 => Ok(Norm::L1),
            2 => Ok(Norm::L2),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Norm, E> {
        match u64::try_from(v) {
            Ok(u) => self.visit_u64(u),
            Err(_) => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Norm, E> {
        if v == 1.0 {
            Ok(Norm::L1)
        } else if v == 2.0 {
            Ok(Norm::L2)
        } else if v.is_infinite() && v > 0.0 {
            Ok(Norm::Inf)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
}

impl<'de> Deserialize<'de> for Norm {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Norm, D::Error> {
        d.deserialize_any(NormVisitor)
    }
}

/// A norm as a parameter: ART's spellings, or the numbers 1 and 2 (and infinity).
impl crate::params::ParamValue for Norm {
    fn from_raw(
        raw: &crate::params::Raw,
        spec: &crate::params::ParamSpec,
    ) -> Result<Norm, crate::params::ParamError> {
        use crate::params::Raw;
        let norm = match raw {
            Raw::Str(s) | Raw::Text(s) => Norm::parse(s),
            Raw::Int(1) | Raw::UInt(1) => Some(Norm::L1),
            Raw::Int(2) | Raw::UInt(2) => Some(Norm::L2),
            Raw::Float(f) if *f == 1.0 => Some(Norm::L1),
            Raw::Float(f) if *f == 2.0 => Some(Norm::L2),
            Raw::Float(f) if f.is_infinite() && *f > 0.0 => Some(Norm::Inf),
            _ => None,
        };
        norm.ok_or_else(|| spec.invalid(raw.show()))
    }

    /// A norm outside the parameter's choices (Square and HopSkipJump have no L1) is refused.
    fn check(&self, spec: &crate::params::ParamSpec) -> Result<(), crate::params::ParamError> {
        match spec.kind {
            crate::params::Kind::Choice { choices }
                if !choices.contains(&self.to_string().as_str()) =>
            {
                Err(spec.invalid(self.to_string()))
            }
            _ => Ok(()),
        }
    }
}

/// Projects every row of `delta` (a perturbation, `(N, D)`) onto the `norm`-ball of radius `eps`,
/// in place, as ART's `projection(.., suboptimal=True)`: L-inf clamps each feature, L1 and L2
/// rescale rows whose norm exceeds eps (for L1 a cheap rescaling, not the exact projection).
pub fn project(mut delta: ArrayViewMut2<f32>, eps: f32, norm: Norm) {
    for mut row in delta.rows_mut() {
        match norm {
            Norm::Inf => row.mapv_inplace(|v| v.clamp(-eps, eps)),
            Norm::L1 | Norm::L2 => {
                let n = norm.of(row.iter().copied());
                if n > 0.0 {
                    let scale = (eps / n).min(1.0);
                    row.mapv_inplace(|v| v * scale);
                }
            }
        }
    }
}

/// `n` random points of dimension `d` inside the `norm`-ball of radius `eps` (ART's `random_sphere`):
/// L-inf uniform in the cube; L2 uniform in the ball (direction from a Gaussian, radius
/// `eps * u^(1/d)`, the same law as ART's incomplete-gamma form); L1 from sorted uniforms with random
/// signs, as ART.
pub fn random_ball(n: usize, d: usize, eps: f32, norm: Norm, rng: &mut ChaCha8Rng) -> Array2<f32> {
    let mut out = Array2::<f32>::zeros((n, d));
    for mut row in out.rows_mut() {
        match norm {
            Norm::Inf => row.mapv_inplace(|_| rng.random_range(-1.0f32..=1.0) * eps),
            Norm::L2 => {
                row.mapv_inplace(|_| StandardNormal.sample(rng));
                let len = Norm::L2.of(row.iter().copied());
                let radius = eps * rng.random::<f32>().powf(1.0 / d.max(1) as f32);
                if len > 0.0 {
                    row.mapv_inplace(|v| v / len * radius);
                }
            }
            Norm::L1 => {
                let mut u: Vec<f32> = (0..d).map(|_| rng.random::<f32>()).collect();
                u.sort_by(f32::total_cmp);
                let mut prev = 0.0;
                for (slot, &v) in row.iter_mut().zip(&u) {
                    let sign = if rng.random::<bool>() { 1.0 } else { -1.0 };
                    *slot = eps * (v - prev) * sign;
                    prev = v;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;
    use rand::SeedableRng;

    #[test]
    fn serde_accepts_art_spellings_and_numbers() {
        for (json, norm) in [
            ("\"inf\"", Norm::Inf),
            ("\"1\"", Norm::L1),
            ("\"2\"", Norm::L2),
            ("\"L2\"", Norm::L2),
            ("\"linf\"", Norm::Inf),
            ("1", Norm::L1),
            ("2", Norm::L2),
            ("2.0", Norm::L2),
        ] {
            assert_eq!(serde_json::from_str::<Norm>(json).unwrap(), norm, "{json}");
        }
        assert!(serde_json::from_str::<Norm>("3").is_err());
        assert!(serde_json::from_str::<Norm>("\"l3\"").is_err());
        assert_eq!(serde_json::to_string(&Norm::Inf).unwrap(), "\"inf\"");
        assert_eq!(serde_json::to_string(&Norm::L1).unwrap(), "\"1\"");
        assert_eq!(Norm::L2.to_string(), "2");
    }

    #[test]
    fn projection_lands_inside_the_ball_and_keeps_inner_points() {
        let mut d = array![[3.0f32, -4.0], [0.1, 0.1], [0.0, 0.0]];
        project(d.view_mut(), 1.0, Norm::L2);
        assert!((Norm::L2.of(d.row(0).iter().copied()) - 1.0).abs() < 1e-6);
        assert_eq!(d.row(1), array![0.1f32, 0.1]);
        assert_eq!(d.row(2), array![0.0f32, 0.0]);
        let mut d = array![[3.0f32, -0.5]];
        project(d.view_mut(), 1.0, Norm::Inf);
        assert_eq!(d, array![[1.0f32, -0.5]]);
        let mut d = array![[3.0f32, -1.0]];
        project(d.view_mut(), 2.0, Norm::L1);
        assert!((Norm::L1.of(d.row(0).iter().copied()) - 2.0).abs() < 1e-6);
    }

    #[test]
    fn random_points_stay_in_the_ball_and_depend_on_the_seed() {
        for norm in [Norm::Inf, Norm::L1, Norm::L2] {
            let mut rng = ChaCha8Rng::seed_from_u64(3);
            let pts = random_ball(200, 5, 0.5, norm, &mut rng);
            for row in pts.rows() {
                assert!(norm.of(row.iter().copied()) <= 0.5 + 1e-5, "{norm}");
            }
            assert!(pts.iter().any(|&v| v.abs() > 0.05), "{norm} not degenerate");
            let again = random_ball(200, 5, 0.5, norm, &mut ChaCha8Rng::seed_from_u64(3));
            assert_eq!(pts, again);
        }
    }
}
