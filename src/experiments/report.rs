//! `reproduce.md`: advlab's numbers beside the report's, the explanations, and the wall time of
//! every step.
//!
//! Main type: [`Report`], rendered by [`Report::to_markdown`].

use std::fmt::Write as _;

use super::{Options, Scale, Step, TableResult};

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
Accuracy in % on the test set under each attack. Columns: the report's figure, then advlab's. \
\"Defended, transfer\" feeds the defended model the adversarial examples crafted against the \
undefended one (what the report most likely measured); \"defended, white-box\" attacks the \
defended model itself. Attacks get no labels, as the report called ART's `generate(x)`: untargeted \
attacks move away from the model's own prediction and JSMA aims at a random wrong class; \
accuracy is against the true labels.";

fn mode_line(o: &Options) -> String {
    match o.scale {
        Scale::Full => format!(
            "Mode: **full** (presets' default epochs on the full datasets; DeepFool attacked on the \
             first 2000 test images), seed {}.",
            o.seed
        ),
        Scale::Quick => format!(
            "Mode: **quick** (`--quick`: 10 000 MNIST training images, 2 epochs, 1000 test images, \
             300 for DeepFool; IRIS in full). Numbers are lower than a full run's; run without \
             `--quick` for the real comparison. Seed {}.",
            o.seed
        ),
        Scale::Tiny => format!(
            "Mode: **tiny** (a pipeline test on a few hundred samples; the numbers mean nothing). Seed {}.",
            o.seed
        ),
    }
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
    let (train, test, epochs) = t.sizes;
    let _ = writeln!(
        out,
        "{} trained on {train} images/rows for {epochs} epochs; defended model: {}; {test} test samples attacked. \
         Clean accuracy: undefended {}, defended {} (the report: {}).\n",
        s.preset,
        t.defended_training,
        pct(t.clean.0),
        pct(t.clean.1),
        s.reported.clean
    );
    let _ = writeln!(
        out,
        "| {} | undefended: report | undefended: advlab | defended: report | defended, transfer: advlab | defended, white-box: advlab |",
        s.param
    );
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|");
    for (i, r) in t.rows.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {:.2} | {} | {:.2} | {} | {} |",
            r.value,
            s.reported.undefended[i],
            pct(r.undefended.adversarial_accuracy),
            s.reported.defended[i],
            pct(r.transfer),
            pct(r.defended.adversarial_accuracy)
        );
    }
    let _ = writeln!(out, "\n{}", s.explanation);
}

/// Issue 4's check on Table 1: white-box FGSM at eps 0.2 on the defended model keeps >= 90%.
fn done_when(t: &TableResult) -> Option<String> {
    let row = t.rows.iter().find(|r| (r.value - 0.2).abs() < 1e-6)?;
    (t.spec.id == "Table 1").then(|| {
        let acc = row.defended.adversarial_accuracy;
        let verdict = if acc >= 0.9 { "met" } else { "not met" };
        format!(
            "Issue 4's check (white-box FGSM eps 0.2 on the defended model keeps at least 90%): {}%, {verdict}.",
            pct(acc)
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
            if let Some(line) = done_when(t) {
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
}
