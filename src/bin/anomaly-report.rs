//! Prints, as a Markdown table, how well each shipped model's anomaly scores tell digits from
//! the non-digit probes: its reconstruction error, and the measure that adds the code's
//! likelihood (the negative ELBO of a variational model, the code's density under the training
//! codes' Gaussian for a plain one). For BENCHMARKS.md; see
//! `autoencoder_playground::analysis::{anomaly, anomaly_score}`.
//!
//! `anomaly-report [www/models/manifest.json] [www/data/mnist-subset.bin]`

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), String> {
    use autoencoder_playground::analysis::anomaly::{LOOSER_QUANTILES, evaluate_scorer};
    use autoencoder_playground::analysis::anomaly_score::{AnomalyMeasure, AnomalyScorer};
    use autoencoder_playground::data::{Dataset, SUBSET_PATH};
    use autoencoder_playground::inference::InferenceModel;
    use autoencoder_playground::manifest::{MANIFEST_PATH, Manifest};
    use std::path::Path;

    let args: Vec<String> = std::env::args().skip(1).collect();
    let manifest_path = args.first().map_or(MANIFEST_PATH, String::as_str);
    let data_path = args.get(1).map_or(SUBSET_PATH, String::as_str);
    let read = |path: &str| std::fs::read(path).map_err(|e| format!("{path}: {e}"));
    let manifest = Manifest::read(Path::new(manifest_path)).map_err(|e| e.to_string())?;
    let dataset = Dataset::read(Path::new(data_path)).map_err(|e| e.to_string())?;
    let models_dir = Path::new(manifest_path).parent().unwrap_or(Path::new("."));

    let looser_headers: String = LOOSER_QUANTILES
        .iter()
        .map(|q| format!(" at the {:.0}th pct.: probes / digits |", 100.0 * q))
        .collect();
    println!(
        "| model | score | threshold (99th pct.) | held-out test digits flagged | probes flagged | letters | scribbles | noise | missed (when few) |{looser_headers}"
    );
    println!(
        "|---|---|---:|---:|---:|---:|---:|---:|---|{}",
        "---:|".repeat(LOOSER_QUANTILES.len())
    );
    for entry in &manifest.models {
        let bytes = read(&models_dir.join(&entry.file).display().to_string())?;
        let model = InferenceModel::load(&bytes).map_err(|e| e.to_string())?;
        for measure in AnomalyMeasure::ALL {
            if !measure.applies_to(&model) {
                continue;
            }
            let scorer =
                AnomalyScorer::new(&model, measure, &dataset).map_err(|e| e.to_string())?;
            let report = evaluate_scorer(&scorer, &dataset).map_err(|e| e.to_string())?;
            let kind = |index: usize| {
                let (_, flagged, total) = report.by_kind[index];
                format!("{flagged}/{total}")
            };
            let missed = if report.missed.len() <= 10 {
                report.missed.join(", ")
            } else {
                format!("{} probes", report.missed.len())
            };
            // The first operating point is the flag threshold itself, already in the main columns.
            let looser: String = report.operating_points[1..]
                .iter()
                .map(|point| {
                    format!(
                        " {:.0} % / {:.1} % |",
                        100.0 * point.probes_flagged,
                        100.0 * point.held_out_flagged
                    )
                })
                .collect();
            println!(
                "| {} | {measure} | {:.4} | {:.1} % of {} | {:.0} % | {} | {} | {} | {missed} |{looser}",
                entry.id,
                report.threshold,
                100.0 * report.held_out_flagged,
                report.held_out_digits,
                100.0 * report.probes_flagged,
                kind(0),
                kind(1),
                kind(2)
            );
        }
    }
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
