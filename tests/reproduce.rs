//! `advlab reproduce` in its hidden tiny mode writes a report with the four tables (Table 2 on
//! MNIST and Fashion-MNIST), the report's figures beside advlab's and the wall time of each step;
//! `advlab bench attacks` at tiny settings times every attack and says what became of ART.

mod common;

use common::{advlab, s, stdout_json, temp_dir};

#[test]
fn tiny_reproduce_writes_every_table_beside_the_reports_numbers() {
    let dir = temp_dir("reproduce");
    let path = dir.join("reproduce.md");
    let out = advlab(&["reproduce", "--tiny", "--seed", "2", "--out", s(&path)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(&path).unwrap();
    assert!(
        md.contains("Mode: **tiny**") && md.contains("Seed 2"),
        "{md}"
    );
    for (table, reported) in [
        ("## Table 1: mnist", "| 0.2 | 61.70 |"),
        (
            "## Table 2a: mnist (the report: CIFAR-10)",
            "| 0.5 | 19.41 |",
        ),
        (
            "## Table 2b: fashion-mnist (the report: CIFAR-10)",
            "| 0.3 | 17.55 |",
        ),
        ("## Table 3: iris", "| 0.1 | 28.89 |"),
        ("## Table 4: iris", "| 0.4 | 20.00 |"),
    ] {
        let start = md
            .find(table)
            .unwrap_or_else(|| panic!("{table} missing:\n{md}"));
        let section = &md[start..];
        let end = section[3..].find("\n## ").map_or(section.len(), |e| e + 3);
        let section = &section[..end];
        assert!(
            section.contains(reported),
            "{table}: {reported} missing:\n{section}"
        );
        assert!(section.contains("defended, white-box: advlab"), "{section}");
        let rows = section.lines().filter(|l| l.starts_with("| 0.")).count();
        assert_eq!(rows, 4, "{section}");
    }
    assert!(
        md.contains("Issue 4's check (white-box FGSM eps 0.2"),
        "{md}"
    );
    assert!(
        md.contains("## Wall time") && md.contains("| **total** |"),
        "{md}"
    );
    assert!(
        md.contains("true labels as its targets"),
        "Table 3 explains ART's JSMA labels"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bench_attacks_times_every_attack() {
    let args = [
        "bench",
        "attacks",
        "--images",
        "2",
        "--train-samples",
        "64",
        "--batch-size",
        "2",
    ];
    let v = stdout_json(&advlab(&[&args[..], &["--json"]].concat()));
    let rows = v["attacks"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["attack"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "fgsm",
            "pgd",
            "jsma",
            "deepfool",
            "newtonfool",
            "cw-l2",
            "apgd",
            "autoattack",
            "square",
            "hopskipjump",
            "pgd-40",
            "adv-trainer"
        ]
    );
    for r in rows {
        assert!(r["ms_per_image"].as_f64().unwrap() > 0.0, "{r}");
        let black_box = ["square", "hopskipjump"].contains(&r["attack"].as_str().unwrap());
        assert_eq!(
            r["queries_per_image"].as_f64().is_some_and(|q| q >= 1.0),
            black_box,
            "{r}"
        );
    }
    assert!(
        v["weights"]
            .as_str()
            .unwrap()
            .contains("trained 1 epoch on 64"),
        "{v}"
    );
    assert!(
        v["art"].as_str().unwrap().starts_with("ART comparison"),
        "{v}"
    );
    let some = ["--random-weights", "--attacks", "fgsm,newtonfool,square"];
    let text = advlab(&[&args[..], &some].concat());
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("random weights") && text.contains("newtonfool"),
        "{text}"
    );
}

#[test]
fn bench_attacks_compares_the_naive_kernels() {
    let args = [
        "bench",
        "attacks",
        "--images",
        "2",
        "--train-samples",
        "64",
        "--attacks",
        "fgsm,adv-trainer",
        "--naive",
        "--json",
    ];
    let v = stdout_json(&advlab(&args));
    for r in v["attacks"].as_array().unwrap() {
        let naive = r["naive_ms_per_image"].as_f64().unwrap();
        assert!(naive > 0.0 && r["speedup"].as_f64().unwrap() > 0.0, "{r}");
    }
}
