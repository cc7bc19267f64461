//! `reproduce.md`: advlab's numbers beside the report's, the explanations, and the wall time of
//! every step.
//!
//! Main type: [`Report`], rendered by [`Report::to_markdown`].

use std::fmt::Write as _;

use super::{recipe_text, Options, Scale, Step, TableResult};

/// Everything one `advlab reproduce` run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// How it was run.
    pub options: Options,
    /// One result per table.
    pub tables: Vec<TableResult>,
    /// Timed steps, in order.
    pub steps: Vec<Step>,
    /// Total wall time.
    pub seconds: f64,
}

fn pct(v: f32) -> String {
    format!("{:.2}", v * 100.0)
}

const INTRO: &str = "\
Accuracy in % on the test set under each attack, the report's figure beside advlab's and their \
difference (advlab minus the report, in points). Every model follows the report's listing: its \
optimiser, learning rate, batch size and epochs, and the trainer continuing the trained \
classifier. \"Defended, transfer\" is what the report measured: the test set attacked on the \
undefended model, read by the defended model; \"defended, white-box\" attacks the defended model \
itself (not in the report). Attacks get no labels, as the report called ART's `generate(x)`: \
untargeted attacks move away from the model's own prediction and JSMA aims at a random wrong \
class; accuracy is against the true labels.";

fn mode_line(o: &Options) -> String {
    match o.scale {
        Scale::Full => format!(
            "Mode: **full** (the report's recipes on the full datasets), seed {}.",
            o.seed
        ),
        Scale::Quick => format!(
            "Mode: **quick** (`--quick`: 10 000 MNIST training images, one epoch for each MNIST \
             model instead of the report's 20, 1000 test images; IRIS in full with its recipe). \
             MNIST numbers differ from a full run's; run without `--quick` for the real \
             comparison. Seed {}.",
            o.seed
        ),
        Scale::Tiny => format!(
            "Mode: **tiny** (a pipeline test on a few hundred samples; the numbers mean nothing). Seed {}.",
            o.seed
        ),
    }
}

fn diff(ours: f32, theirs: f32) -> String {
    format!("{:+.2}", ours * 100.0 - theirs)
}

fn write_table(out: &mut String, t: &TableResult) {
    let s = &t.spec;
    let ours = match s.reported.dataset {
        "CIFAR-10" => format!(" (the report: {})", s.reported.dataset),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "\n## {}: {}{ours}, {}, {}\n",
        s.id,
        t.spec.dataset,
        s.attack.name(),
        s.defence_name
    );
    let (train, test) = t.sizes;
    let _ = writeln!(
        out,
        "{} trained on {train} images/rows ({}); defended: {}; {test} test samples attacked. \
         Clean accuracy of the undefended model: {} (the report: {}).\n",
        s.preset,
        recipe_text(t.recipe),
        t.defended_training,
        pct(t.clean),
        s.reported.clean
    );
    let _ = writeln!(
        out,
        "| {} | undefended: report | undefended: advlab | difference | defended, transfer: report | defended, transfer: advlab | difference | defended, white-box: advlab | defended, clean: advlab |",
        s.param
    );
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (i, r) in t.rows.iter().enumerate() {
        let (ru, rd) = (s.reported.undefended[i], s.reported.defended[i]);
        let _ = writeln!(
            out,
            "| {} | {ru:.2} | {} | {} | {rd:.2} | {} | {} | {} | {} |",
            r.value,
            pct(r.undefended.adversarial_accuracy),
            diff(r.undefended.adversarial_accuracy, ru),
            pct(r.transfer),
            diff(r.transfer, rd),
            pct(r.defended.adversarial_accuracy),
            pct(r.defended.clean_accuracy),
        );
    }
    let _ = writeln!(out, "\n{}", s.explanation.en);
}

/// The check on Table 1: the undefended and the defended-transfer figures within 5 points of the
/// report's at eps 0.2 and 0.3.
fn check_line(t: &TableResult) -> Option<String> {
    (t.spec.id == "Table 1").then(|| {
        let mut worst: f32 = 0.0;
        for (i, r) in t.rows.iter().enumerate().take(2) {
            worst = worst
                .max(
                    (r.undefended.adversarial_accuracy * 100.0 - t.spec.reported.undefended[i])
                        .abs(),
                )
                .max((r.transfer * 100.0 - t.spec.reported.defended[i]).abs());
        }
        let verdict = if worst <= 5.0 { "met" } else { "not met" };
        format!(
            "Within 5 points of the report at eps 0.2 and 0.3 (undefended and defended, transfer): \
             largest difference {worst:.2} points, {verdict}."
        )
    })
}

impl Report {
    /// The Markdown text of `reproduce.md`.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("# advlab reproduce: the report's experiments\n\n");
        let _ = writeln!(out, "{}\n", mode_line(&self.options));
        let _ = writeln!(out, "{INTRO}");
        for t in &self.tables {
            write_table(&mut out, t);
            if let Some(line) = check_line(t) {
                let _ = writeln!(out, "\n{line}");
            }
        }
        let _ = writeln!(out, "\n## Wall time\n\n| step | seconds |\n|---|---:|");
        for s in &self.steps {
            let _ = writeln!(out, "| {} | {:.1} |", s.name, s.seconds);
        }
        let _ = writeln!(out, "| **total** | **{:.1}** |", self.seconds);
        out
    }

    /// The figures as JSON: per table, the report's and advlab's numbers for every value.
    pub fn to_json(&self) -> serde_json::Value {
        let tables: Vec<_> = self
            .tables
            .iter()
            .map(|t| {
                let s = &t.spec;
                let rows: Vec<_> = t
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        serde_json::json!({
                            "value": r.value,
                            "report_undefended": s.reported.undefended[i] / 100.0,
                            "report_defended": s.reported.defended[i] / 100.0,
                            "undefended": r.undefended.adversarial_accuracy,
                            "defended_transfer": r.transfer,
                            "defended_white_box": r.defended.adversarial_accuracy,
                            "defended_clean": r.defended.clean_accuracy,
                        })
                    })
                    .collect();
                serde_json::json!({
                    "table": s.id,
                    "dataset": s.dataset,
                    "arch": s.preset,
                    "attack": s.attack.name(),
                    "param": s.param,
                    "recipe": t.recipe,
                    "defence": t.defended_training,
                    "train_samples": t.sizes.0,
                    "test_samples": t.sizes.1,
                    "clean_undefended": t.clean,
                    "rows": rows,
                })
            })
            .collect();
        serde_json::json!({
            "mode": self.options.scale.name(),
            "seed": self.options.seed,
            "seconds": self.seconds,
            "tables": tables,
            "steps": self.steps.iter().map(|s| serde_json::json!({"step": s.name, "seconds": s.seconds})).collect::<Vec<_>>(),
        })
    }
}
