//! `advlab presets`: the architecture presets with their sizes and training defaults.

use advlab::nn::presets::{preset, preset_names};
use clap::Args;
use serde_json::json;

use super::common::{print_json, CliError, Context};

/// Arguments of `advlab presets`.
#[derive(Debug, Args)]
pub struct PresetsArgs {
    /// Print one JSON object (with each preset's full model spec) instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `advlab presets`.
pub fn run(a: PresetsArgs) -> Result<(), CliError> {
    let mut rows = Vec::new();
    for name in preset_names() {
        let p = preset(name).ok_or_else(|| CliError(format!("preset {name} is missing")))?;
        let tensors = p.spec.expected_tensors().context(name)?;
        let params: usize = tensors
            .iter()
            .map(|(_, s)| s.iter().product::<usize>())
            .sum();
        if !a.json {
            println!(
                "{:<13} {:<6} {:>7} params  {:>3} epochs  batch {:<3}  {}",
                p.name, p.dataset, params, p.epochs, p.batch_size, p.description.en
            );
        }
        rows.push(json!({
            "name": p.name, "description": p.description.en, "dataset": p.dataset,
            "params": params, "epochs": p.epochs, "batch_size": p.batch_size,
            "optimizer": p.optimizer, "spec": p.spec,
        }));
    }
    if a.json {
        print_json(&json!({ "presets": rows }));
    }
    Ok(())
}
