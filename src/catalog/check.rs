//! One parameter value checked as a request carrying it would be: the page refuses a value a link
//! or a field holds with the worker's own rules and words before it shows the value as valid.

use serde_json::Value;

use crate::attacks::config::raw_of_json;
use crate::attacks::AttackConfig;
use crate::defences::{AdaptiveSettings, DefenceConfig, DetectorParams, StackPiece};
use crate::params::{Described, ParamError};
use crate::protocol::{SweepSettings, TrainSettings};

/// Checks `value` for parameter `name` of `group` (an attack, defence or stack-piece name,
/// `training`, `sweep`, `adaptive` or `binary-input-detector`) with the same decoder and checks as a request, the other parameters at their defaults.
pub fn check_value(group: &str, name: &str, value: &Value) -> Result<(), ParamError> {
    let fields = [(name.to_string(), raw_of_json(value))];
    match group {
        "training" => TrainSettings::from_fields(&fields).map(drop),
        "sweep" => SweepSettings::from_fields(&fields).map(drop),
        "adaptive" => AdaptiveSettings::from_fields(&fields).map(drop),
        "binary-input-detector" => DetectorParams::from_fields(&fields).map(drop),
        g if StackPiece::NAMES.contains(&g) => StackPiece::from_fields(g, &fields).map(drop),
        g if AttackConfig::NAMES.contains(&g) => AttackConfig::from_fields(g, &fields).map(drop),
        g => DefenceConfig::from_fields(g, &fields).map(drop),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_value_is_checked_as_its_request_would_be() {
        assert!(check_value("fgsm", "eps", &json!(0.1)).is_ok());
        let e = check_value("fgsm", "eps", &json!(-1))
            .unwrap_err()
            .to_string();
        assert!(e.contains("eps = -1"), "{e}");
        assert!(
            check_value("jsma", "theta", &json!(0)).is_err(),
            "theta is non-zero"
        );
        assert!(check_value("training", "learning_rate", &json!(0)).is_err());
        assert!(check_value("training", "epochs", &json!(2.5)).is_err());
        assert!(check_value("training", "epochs", &Value::Null).is_ok());
        assert!(check_value("madry-pgd", "max_iter", &json!(7)).is_ok());
        assert!(check_value("sweep", "n", &json!(0)).is_err());
        assert!(check_value("fgsm", "norm", &json!("3")).is_err());
        assert!(check_value("square", "p_init", &json!(2)).is_err());
        assert!(check_value("no-such-defence", "eps", &json!(0.1)).is_err());
        assert!(check_value("feature-squeezing", "bit_depth", &json!(1)).is_ok());
        let e = check_value("spatial-smoothing", "window_size", &json!(0))
            .unwrap_err()
            .to_string();
        assert!(e.contains("window_size = 0"), "{e}");
        assert!(check_value("adaptive", "adaptive", &json!("eot")).is_ok());
        assert!(check_value("adaptive", "adaptive", &json!("magic")).is_err());
        assert!(check_value("binary-input-detector", "threshold", &json!(2)).is_err());
    }
}
