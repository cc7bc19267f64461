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
    let mut tables = 0;
    for (table, reported, recipe) in [
        (
            "## Table 1: mnist",
            "| 0.2 | 61.70 |",
            "Adam 0.01, batch 64",
        ),
        (
            "## Table 2a: mnist (the report: CIFAR-10)",
            "| 0.5 | 19.41 |",
            "Adam 0.01, batch 64",
        ),
        (
            "## Table 2b: fashion-mnist (the report: CIFAR-10)",
            "| 0.3 | 17.55 |",
            "Adam 0.01, batch 64",
        ),
        ("## Table 3: iris", "| 0.1 | 28.89 |", "Adam 0.001, batch 7"),
        ("## Table 4: iris", "| 0.4 | 20.00 |", "Adam 0.001, batch 7"),
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
        assert!(section.contains(recipe), "{table}: {recipe}\n{section}");
        assert!(section.contains("defended, transfer: report"), "{section}");
        assert!(section.contains("defended, white-box: advlab"), "{section}");
        let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| 0.")).collect();
        assert_eq!(rows.len(), 4, "{section}");
        // Every row: value, then 8 figures (report, advlab, difference, twice, white-box, clean).
        for row in rows {
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 9, "{row}");
            assert!(cells[3].starts_with(['+', '-']), "{row}");
            assert!(cells[1..].iter().all(|c| c.parse::<f32>().is_ok()), "{row}");
        }
        tables += 1;
    }
    assert_eq!(tables, 5);
    assert!(
        md.contains("one model per eps"),
        "Table 1 trains a model per column"
    );
    assert!(
        md.contains("Within 5 points of the report at eps 0.2 and 0.3"),
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
    assert!(
        md.contains("eps 8, eps_step 2"),
        "Table 4 names ART's Madry defaults"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn reproduce_runs_one_table_and_writes_json() {
    let dir = temp_dir("reproduce-one");
    let path = dir.join("t3.md");
    let v = stdout_json(&advlab(&[
        "reproduce",
        "--tiny",
        "--table",
        "3",
        "--json",
        "--out",
        s(&path),
    ]));
    let tables = v["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1, "{v}");
    assert_eq!(tables[0]["table"], "Table 3");
    assert_eq!(tables[0]["recipe"]["batch_size"], 7);
    let rows = tables[0]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    for r in rows {
        for key in [
            "undefended",
            "defended_transfer",
            "defended_white_box",
            "defended_clean",
        ] {
            let a = r[key].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&a), "{key} {r}");
        }
    }
    // 45 IRIS test samples: accuracies are multiples of 1/45.
    let a = rows[0]["undefended"].as_f64().unwrap() * 45.0;
    assert!((a - a.round()).abs() < 1e-3, "{a}");
    let md = std::fs::read_to_string(&path).unwrap();
    assert!(
        md.contains("## Table 3") && !md.contains("## Table 1"),
        "{md}"
    );
    // A table that does not exist is refused by name.
    let out = advlab(&["reproduce", "--tiny", "--table", "5", "--out", s(&path)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("5"));
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
