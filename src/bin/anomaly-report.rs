//! Prints, as Markdown tables, how well each shipped model's anomaly scores tell digits from
//! the non-digit probes: its reconstruction error, and the measure that adds the code's
//! likelihood (the negative ELBO of a variational model, the code's density under the training
//! codes' Gaussian for a plain one). For BENCHMARKS.md; see
//! `autoencoder_playground::analysis::{anomaly, anomaly_score}`.
//!
//! Then it chooses the page's detector (the manifest's `detector` role): among the dense
//! models, scored by their reconstruction error as the anomaly panel scores it, the one that
//! flags the most probes while flagging at most 2 % of the held-out test digits.
//! `--write-role` records it in the manifest.
//!
//! `anomaly-report [--manifest www/models/manifest.json] [--data www/data/mnist-subset.bin] [--write-role]`

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> common::Result<()> {
    report::run()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod report {
    use autoencoder_playground::analysis::anomaly::{
        DetectorReport, LOOSER_QUANTILES, evaluate_detector, evaluate_scorer,
    };
    use autoencoder_playground::analysis::anomaly_score::{AnomalyMeasure, AnomalyScorer};
    use autoencoder_playground::architecture::ArchitectureKind;
    use autoencoder_playground::manifest::{ModelEntry, Role};
    use clap::Parser;

    use crate::common::{Failure, Inputs, Result};

    /// The most held-out test digits a detector may flag (its false alarms).
    const MAX_FALSE_ALARMS: f64 = 0.02;

    /// Anomaly detection with every shipped model, and the choice of the page's detector.
    #[derive(Parser, Debug)]
    struct Args {
        #[command(flatten)]
        inputs: Inputs,
        /// Record the chosen detector as the manifest's `detector` role.
        #[arg(long)]
        write_role: bool,
    }

    pub fn run() -> Result<()> {
        let args = Args::parse();
        let mut manifest = args.inputs.read_manifest()?;
        let dataset = args.inputs.dataset()?;

        print_header();
        let mut candidates = Vec::new();
        for entry in &manifest.models {
            let model = args.inputs.model(entry)?;
            for measure in AnomalyMeasure::ALL {
                if !measure.applies_to(&model) {
                    continue;
                }
                let report = if measure == AnomalyMeasure::ReconstructionError {
                    evaluate_detector(&model, &dataset)?
                } else {
                    evaluate_scorer(&AnomalyScorer::new(&model, measure, &dataset)?, &dataset)?
                };
                print_row(entry, measure, &report);
                if measure == AnomalyMeasure::ReconstructionError
                    && entry.architecture == ArchitectureKind::Dense
                {
                    candidates.push((entry.clone(), report));
                }
            }
        }

        let chosen = choose_detector(&candidates).ok_or_else(|| {
            Failure::Usage(format!(
                "no dense model flags at most {:.0} % of the held-out test digits",
                100.0 * MAX_FALSE_ALARMS
            ))
        })?;
        print_candidates(&candidates, &chosen.id);
        if args.write_role {
            manifest.roles.insert(Role::Detector, chosen.id.clone());
            args.inputs.write_manifest(&manifest)?;
            println!(
                "\nrecorded {} as the detector in {}",
                chosen.id,
                args.inputs.manifest.display()
            );
        }
        Ok(())
    }

    /// The candidate that flags the most probes among those within the false-alarm budget
    /// (fewer false alarms break a tie).
    fn choose_detector(candidates: &[(ModelEntry, DetectorReport)]) -> Option<&ModelEntry> {
        candidates
            .iter()
            .filter(|(_, report)| report.held_out_flagged <= MAX_FALSE_ALARMS)
            .max_by(|(_, a), (_, b)| {
                a.probes_flagged
                    .total_cmp(&b.probes_flagged)
                    .then(b.held_out_flagged.total_cmp(&a.held_out_flagged))
            })
            .map(|(entry, _)| entry)
    }

    fn print_header() {
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
    }

    fn print_row(entry: &ModelEntry, measure: AnomalyMeasure, report: &DetectorReport) {
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

    fn print_candidates(candidates: &[(ModelEntry, DetectorReport)], chosen: &str) {
        println!(
            "\nThe detector (the anomaly panel's model): the dense model whose reconstruction error flags the most probes at its 99th-percentile threshold, with at most {:.0} % of the held-out test digits flagged.\n",
            100.0 * MAX_FALSE_ALARMS
        );
        println!("| model | probes flagged | held-out test digits flagged | chosen |");
        println!("|---|---:|---:|---|");
        for (entry, report) in candidates {
            println!(
                "| {} | {:.1} % | {:.1} % | {} |",
                entry.id,
                100.0 * report.probes_flagged,
                100.0 * report.held_out_flagged,
                if entry.id == chosen { "detector" } else { "" }
            );
        }
    }
}
