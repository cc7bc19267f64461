//! The catalog's tests: suggestions resolve per dataset and decode, numbers fit JavaScript, and
//! the JSON has the documented shape.

use super::*;
use crate::params::Raw;

fn find(c: &Catalog, group: &str, param: &str) -> Param {
    let params = match group {
        "training" => &c.training.params,
        _ => {
            &c.attacks
                .iter()
                .chain(&c.defences)
                .find(|m| m.name == group)
                .unwrap_or_else(|| panic!("{group}"))
                .params
        }
    };
    params
        .iter()
        .find(|p| p.spec.name == param)
        .cloned()
        .unwrap_or_else(|| panic!("{group}.{param}"))
}

#[test]
fn suggestions_resolve_per_dataset_and_are_valid_values() {
    let iris = catalog_for("iris");
    let mnist = catalog_for("mnist");
    assert_eq!(find(&iris, "fgsm", "eps").suggested, json!(0.1));
    assert_eq!(find(&mnist, "fgsm", "eps").suggested, json!(0.3));
    assert_eq!(find(&mnist, "fgsm", "eps").spec.default, json!(0.3));
    assert_eq!(find(&mnist, "madry-pgd", "eps_step").suggested, json!(0.05));
    assert_eq!(
        find(&mnist, "training", "arch").suggested,
        json!("mnist-small")
    );
    assert_eq!(
        find(&iris, "training", "train_limit").suggested,
        Value::Null
    );
    let generic = catalog();
    assert_eq!(
        generic.datasets["fashion-mnist"]["fgsm"]["eps_step"],
        json!(0.025)
    );
    assert!(iris.datasets.is_empty());
    // Every suggestion decodes as a value of its parameter.
    for c in [&iris, &mnist, &catalog_for("fashion-mnist")] {
        for m in c.attacks.iter() {
            let fields: Vec<(String, Raw)> = m
                .params
                .iter()
                .map(|p| {
                    (
                        p.spec.name.to_string(),
                        crate::attacks::config::raw_of_json(&p.suggested),
                    )
                })
                .collect();
            AttackConfig::from_fields(m.name, &fields).unwrap();
        }
        for m in c.defences.iter() {
            let fields: Vec<(String, Raw)> = m
                .params
                .iter()
                .map(|p| {
                    (
                        p.spec.name.to_string(),
                        crate::attacks::config::raw_of_json(&p.suggested),
                    )
                })
                .collect();
            DefenceConfig::from_fields(m.name, &fields).unwrap();
        }
    }
}

/// serde-wasm-bindgen refuses integers a JS number cannot hold exactly.
#[test]
fn every_number_is_exact_in_javascript() {
    fn walk(v: &Value) {
        match v {
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    assert!(u < 1 << 53, "{u}");
                }
            }
            Value::Array(items) => items.iter().for_each(walk),
            Value::Object(map) => map.values().for_each(walk),
            _ => {}
        }
    }
    walk(&serde_json::to_value(catalog()).unwrap());
    walk(&serde_json::to_value(catalog_for("mnist")).unwrap());
}

#[test]
fn the_json_has_the_documented_shape() {
    let v = serde_json::to_value(catalog_for("mnist")).unwrap();
    let eps = &v["attacks"][0]["params"][1];
    assert_eq!(eps["name"], "eps");
    assert_eq!(eps["kind"], "float");
    assert_eq!(eps["min"], 0.0);
    assert_eq!(eps["slider"]["max"], 1.0);
    assert!(eps["help"]["ko"].as_str().unwrap().contains("섭동"));
    assert_eq!(v["attacks"][2]["targeted"], "always");
    assert_eq!(v["training"]["params"][2]["kind"], "int");
    assert_eq!(v["training"]["params"][2]["optional"], true);
    assert_eq!(v["defences"][1]["name"], "madry-pgd");
}

#[test]
fn every_attack_has_help_access_and_its_sweepable_parameters() {
    let c = catalog_for("mnist");
    let names: Vec<&str> = c.attacks.iter().map(|m| m.name).collect();
    assert_eq!(names, AttackConfig::NAMES);
    for m in &c.attacks {
        assert!(!m.label.is_empty(), "{}", m.name);
        assert!(!m.help.en.is_empty() && !m.help.ko.is_empty(), "{}", m.name);
        assert!(!m.sweepable.contains(&"batch_size"), "{}", m.name);
    }
    let get = |n: &str| c.attacks.iter().find(|m| m.name == n).unwrap().clone();
    assert_eq!(get("square").access, "scores");
    assert_eq!(get("hopskipjump").access, "labels");
    assert_eq!(get("cw-l2").access, "gradients");
    assert!(get("apgd").sweepable.contains(&"eps"));
    assert_eq!(
        get("hopskipjump").sweepable,
        ["max_iter", "max_eval", "init_eval", "init_size"]
    );
    assert_eq!(get("autoattack").targeted, "never");
    assert_eq!(get("hopskipjump").targeted, "optional");
    assert_eq!(find(&c, "apgd", "eps_step").suggested, json!(0.4));
    assert!(c.defences.iter().all(|m| m.sweepable.is_empty()));
}

#[test]
fn the_stack_pieces_adaptive_and_detector_groups_are_described() {
    let c = catalog_for("mnist");
    let names: Vec<&str> = c.stack.iter().map(|m| m.name).collect();
    assert_eq!(names, StackPiece::NAMES);
    for m in &c.stack {
        assert!(
            !m.label.is_empty() && !m.help.en.is_empty() && !m.help.ko.is_empty(),
            "{}",
            m.name
        );
        let fields: Vec<(String, Raw)> = m
            .params
            .iter()
            .map(|p| {
                (
                    p.spec.name.to_string(),
                    crate::attacks::config::raw_of_json(&p.suggested),
                )
            })
            .collect();
        StackPiece::from_fields(m.name, &fields).unwrap();
    }
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["stack"][0]["name"], "feature-squeezing");
    assert_eq!(v["stack"][0]["stage"], "pre");
    assert_eq!(v["stack"][0]["differentiable"], false);
    assert_eq!(v["stack"][2]["randomised"], true);
    assert_eq!(v["stack"][3]["stage"], "post");
    assert_eq!(
        v["adaptive"]["params"][0]["choices"],
        json!(["none", "bpda", "eot"])
    );
    assert_eq!(v["detector"]["name"], "binary-input-detector");
    let det = &c.detector.params;
    let fields: Vec<(String, Raw)> = det
        .iter()
        .map(|p| {
            (
                p.spec.name.to_string(),
                crate::attacks::config::raw_of_json(&p.suggested),
            )
        })
        .collect();
    let d = DetectorParams::from_fields(&fields).unwrap();
    assert_eq!(d.attack.name(), "fgsm");
}
