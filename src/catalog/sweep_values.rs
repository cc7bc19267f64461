//! The values a robustness curve starts with for each sweepable parameter, derived from the
//! parameter's suggested value so that the curve passes through what the attack form suggests:
//! a budget that may be 0 (eps) runs from 0 to 1.5 times the suggestion, a parameter that may not
//! be 0 (theta, gamma, eta) from half to twice it (or up to it, where twice is out of range), an
//! iteration count from 1 to the suggestion. A suggestion of 0 (no random start, C&W's confidence)
//! starts at 0 and grows. Values outside the parameter's range are dropped.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Param;
use crate::params::Kind;

/// Suggested curve values of every parameter in `sweepable` of attack `group`, by name; each value
/// passes the attack's checks with its other parameters at their defaults (HopSkipJump's
/// `max_eval` stays at least its `init_eval`).
pub fn sweep_values(
    group: &str,

    params: &[Param],
    sweepable: &[&'static str],
) -> BTreeMap<&'static str, Vec<f64>> {
    params
        .iter()
        .filter(|p| sweepable.contains(&p.spec.name))
        .filter_map(|p| {
            let mut v = values_for(&p.spec.kind, &p.suggested)?;
            v.retain(|x| super::check_value(group, p.spec.name, &serde_json::json!(x)).is_ok());
            (!v.is_empty()).then_some((p.spec.name, v))
        })
        .collect()
}

fn values_for(kind: &Kind, suggested: &Value) -> Option<Vec<f64>> {
    let s = suggested.as_f64()?;
    let raw: Vec<f64> = match kind {
        _ if s == 0.0 => vec![0.0, 1.0, 2.0, 5.0, 10.0],
        Kind::Float {
            min,
            min_exclusive,
            nonzero,
            ..
        } if *min == 0.0 && !min_exclusive && !nonzero => {
            vec![0.0, s / 4.0, s / 2.0, s, 1.5 * s]
        }
        Kind::Float { max, .. } if 2.0 * s > *max => vec![s / 4.0, s / 2.0, 0.75 * s, s],
        Kind::Float { .. } => vec![s / 2.0, s, 1.5 * s, 2.0 * s],
        Kind::Int { .. } => [1.0, s / 10.0, s / 4.0, s / 2.0, s]
            .map(f64::round)
            .to_vec(),
        _ => return None,
    };
    let mut out: Vec<f64> = Vec::new();
    for v in raw.into_iter().map(tidy) {
        let ok = match kind {
            Kind::Int { .. } => v >= 0.0 && kind.admits_int(v as u64),
            _ => kind.admits_float(v),
        };
        if ok && !out.contains(&v) {
            out.push(v);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// `v` written with at most 6 significant digits (0.15000000000000002 is 0.15).
fn tidy(v: f64) -> f64 {
    format!("{v:.6e}").parse().unwrap_or(v)
}

#[cfg(test)]
mod tests {
    use super::super::catalog_for;

    fn values(attack: &str, param: &str) -> Vec<f64> {
        let c = catalog_for("mnist");
        let m = c.attacks.iter().find(|m| m.name == attack).unwrap();
        m.sweep_values[param].clone()
    }

    #[test]
    fn curves_start_from_the_form_s_suggestions() {
        assert_eq!(values("fgsm", "eps"), [0.0, 0.075, 0.15, 0.3, 0.45]);
        assert_eq!(values("pgd", "eps"), [0.0, 0.05, 0.1, 0.2, 0.3]);
        assert_eq!(values("jsma", "theta"), [0.1, 0.2, 0.3, 0.4]);
        assert_eq!(values("pgd", "max_iter"), [1.0, 2.0, 5.0, 10.0, 20.0]);
        assert_eq!(values("pgd", "num_random_init"), [0.0, 1.0, 2.0, 5.0, 10.0]);
        assert_eq!(values("square", "p_init"), [0.2, 0.4, 0.6, 0.8]);
        assert_eq!(values("pgd", "num_random_init"), [0.0, 1.0, 2.0, 5.0, 10.0]);
        assert_eq!(values("jsma", "gamma"), [0.05, 0.1, 0.15, 0.2]);
        // Every sweepable parameter of every attack has values, all inside its range.
        for m in catalog_for("iris").attacks {
            for p in &m.sweepable {
                let v = &m.sweep_values[p];
                assert!(!v.is_empty(), "{}.{p}", m.name);
                let fields: Vec<_> = v
                    .iter()
                    .map(|x| super::super::check_value(m.name, p, &serde_json::json!(x)))
                    .collect();
                assert!(
                    fields.iter().all(Result::is_ok),
                    "{}.{p} {v:?} {fields:?}",
                    m.name
                );
            }
        }
    }
}
