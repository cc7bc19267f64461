//! Tests of the presets and `--arch` parsing.

use super::*;
use ndarray::Array2;

fn dataset(name: &str, shape: &[usize], classes: usize) -> Dataset {
    let d: usize = shape.iter().product();
    Dataset {
        name: name.to_string(),
        input_shape: shape.to_vec(),
        class_names: (0..classes).map(|i| format!("{name}-{i}")).collect(),
        clip_values: (0.0, 1.0),
        x_train: Array2::zeros((2, d)),
        y_train: vec![0, 1],
        x_test: Array2::zeros((1, d)),
        y_test: vec![0],
    }
}

fn param_count(spec: &ModelSpec) -> usize {
    let t = spec.expected_tensors().unwrap();
    t.iter().map(|(_, s)| s.iter().product::<usize>()).sum()
}

#[test]
fn every_preset_is_a_valid_spec_for_its_dataset() {
    let iris = dataset("iris", &[4], 3);
    let mnist = dataset("mnist", &[28, 28, 1], 10);
    let cifar = dataset("cifar10", &[32, 32, 3], 10);
    for name in preset_names() {
        let p = preset(name).unwrap();
        assert_eq!(p.name, *name);
        assert!(p.spec.layer_shapes().is_ok(), "{name}");
        assert!(p.spec.ends_in_softmax(), "{name}");
        assert!(p.batch_size >= 1 && p.epochs >= 1);
        let d = match p.dataset {
            "iris" => &iris,
            "cifar10" => &cifar,
            _ => &mnist,
        };
        assert_eq!(parse_arch(name, d).unwrap().spec.labels, d.class_names);
    }
    assert!(preset("nope").is_none());
}

#[test]
fn seed_architectures_have_the_papers_sizes() {
    let m = preset("mnist-seed").unwrap().spec;
    // conv 5*5*1*4+4, conv 5*5*4*10+10, dense 160*100+100, dense 100*10+10
    assert_eq!(param_count(&m), 104 + 1010 + 16100 + 1010);
    assert_eq!(m.layer_shapes().unwrap()[4], vec![160]);
    let i = preset("iris-seed").unwrap();
    assert_eq!(i.batch_size, 7);
    let shapes = i.spec.layer_shapes().unwrap();
    let widths: Vec<usize> = shapes.iter().map(|s| s[0]).collect();
    assert_eq!(widths, [10, 10, 10, 7, 7, 7, 5, 3]);
    let regs = i
        .spec
        .layers
        .iter()
        .filter(|l| matches!(l, LayerSpec::Dense { kernel_regularizer: Some(r), .. } if r.l1 == 0.001 && r.l2 == 0.001))
        .count();
    assert_eq!(regs, 2);
}

#[test]
fn mnist_presets_take_fashion_labels_and_reject_iris() {
    let fashion = dataset("fashion-mnist", &[28, 28, 1], 10);
    let p = parse_arch("mnist-seed", &fashion).unwrap();
    assert_eq!(p.spec.labels[9], "fashion-mnist-9");
    let iris = dataset("iris", &[4], 3);
    let e = parse_arch("mnist-seed", &iris).unwrap_err().to_string();
    assert!(e.contains("[28, 28, 1]") && e.contains("[4]"), "{e}");
    let e = parse_arch("iris-seed", &dataset("iris5", &[4], 5))
        .unwrap_err()
        .to_string();
    assert!(e.contains("3 classes") && e.contains("5"), "{e}");
}

#[test]
fn json_and_file_specs_are_accepted_and_checked() {
    let iris = dataset("iris", &[4], 3);
    let json = r#"{"input_shape":[4],"clip_values":[0,1],"labels":["a","b","c"],
        "layers":[{"type":"dense","units":3},{"type":"softmax"}]}"#;
    let p = parse_arch(json, &iris).unwrap();
    assert_eq!((p.name, p.batch_size), ("custom", 32));
    assert_eq!(p.spec.labels, iris.class_names);
    let path = std::env::temp_dir().join(format!("advlab-arch-{}.json", std::process::id()));
    std::fs::write(&path, json).unwrap();
    let from_file = parse_arch(&format!("@{}", path.display()), &iris).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(from_file.spec, p.spec);
    let e = parse_arch("@/no/such/arch.json", &iris).unwrap_err();
    assert!(matches!(e, PresetError::Io { .. }), "{e}");
    let e = parse_arch(&json.replace("[0,1]", "[0,255]"), &iris)
        .unwrap_err()
        .to_string();
    assert!(e.contains("clip values"), "{e}");
    let e = parse_arch(&json.replace("\"units\":3", "\"units\":4"), &iris).unwrap_err();
    assert!(matches!(e, PresetError::Spec(_)), "{e}");
    let e = parse_arch("resnet", &iris).unwrap_err().to_string();
    assert!(e.contains("resnet") && e.contains("mnist-seed"), "{e}");
}

#[test]
fn cifar_seed_is_the_report_s_listing() {
    let c = preset("cifar-seed").unwrap();
    assert_eq!((c.batch_size, c.epochs), (64, 20));
    assert_eq!(c.optimizer.learning_rate(), 0.001);
    let shapes = c.spec.layer_shapes().unwrap();
    // same conv keeps 32x32; valid conv 30x30; pool 15; same 15; valid 13; pool 6.
    assert_eq!(shapes[0], vec![32, 32, 32]);
    assert_eq!(shapes[1], vec![30, 30, 32]);
    assert_eq!(shapes[5], vec![13, 13, 64]);
    assert_eq!(shapes[8], vec![6 * 6 * 64]);
    // conv 3*3*3*32+32, 3*3*32*32+32, 3*3*32*64+64, 3*3*64*64+64, dense 2304*512+512, 512*10+10
    let total = 896 + 9248 + 18496 + 36928 + 1_180_160 + 5130;
    assert_eq!(param_count(&c.spec), total);
    assert_eq!(family_of(&[32, 32, 3]), Some("cifar10"));
    assert_eq!(family_of(&[28, 28, 1]), Some("mnist"));
    assert_eq!(family_of(&[3]), None);
}
