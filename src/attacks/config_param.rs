//! An attack configuration as a described parameter ([`ParamValue`]): one attack (a sweep's, a
//! map's) or a list of them (an adversarial trainer's), decoded and checked like any parameter.

use super::config::AttackConfig;
use super::error::AttackError;
use crate::params::{Kind, ParamError, ParamSpec, ParamValue, Raw};

/// One attack configuration as a parameter (a sweep's attack, a map's attack).
impl ParamValue for AttackConfig {
    fn from_raw(raw: &Raw, _: &ParamSpec) -> Result<AttackConfig, ParamError> {
        AttackConfig::from_raw(raw)
    }

    fn check(&self, _: &ParamSpec) -> Result<(), ParamError> {
        match self.check() {
            Ok(_) => Ok(()),
            Err(AttackError::Param(p)) => Err(p),
            Err(other) => Err(ParamError::invalid(
                "attack",
                self.name(),
                crate::lang::Text::of(&other),
            )),
        }
    }
}

/// A list of attack configurations (an adversarial trainer's attacks).
impl ParamValue for Vec<AttackConfig> {
    fn from_raw(raw: &Raw, spec: &ParamSpec) -> Result<Vec<AttackConfig>, ParamError> {
        let Raw::Seq(items) = raw else {
            return Err(spec.invalid(raw.show()));
        };
        let attacks = items
            .iter()
            .map(AttackConfig::from_raw)
            .collect::<Result<Vec<_>, _>>()?;
        attacks.check(spec).map(|_| attacks)
    }

    fn check(&self, spec: &ParamSpec) -> Result<(), ParamError> {
        let max_len = match spec.kind {
            Kind::Attacks { max_len } => max_len,
            _ => 0,
        };
        if self.is_empty() || self.len() > max_len {
            return Err(spec.invalid(format!("{} attacks", self.len())));
        }
        self.iter().try_for_each(|a| ParamValue::check(a, spec))
    }
}
