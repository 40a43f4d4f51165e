//! Anomaly detection with the default model: calibrated on half of the test split, the
//! 99th-percentile threshold flags few of the other test digits, every noise probe, and most
//! letters and scribbles. (Reconstruction error alone misses the letters and scribbles that
//! look like the strangest real digits: see BENCHMARKS.md for the numbers by kind.)
// Native only: the browser runs tests/web.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use autoencoder_playground::anomaly::evaluate_detector;
use autoencoder_playground::inference::InferenceModel;
use autoencoder_playground::probes::ProbeKind;

#[test]
fn the_default_model_flags_non_digits_and_few_digits() {
    let model = InferenceModel::load(common::TUNED_MODEL).unwrap();
    let report = evaluate_detector(&model, &common::dataset()).unwrap();
    println!("{report:#?}");
    // Measured 67 % (47 of 70); a drop below 60 % means the model or the score got worse.
    assert!(
        report.probes_flagged >= 0.6,
        "only {:.0} % of the probes flagged; missed {:?}",
        100.0 * report.probes_flagged,
        report.missed
    );
    let noise = report
        .by_kind
        .iter()
        .find(|(kind, _, _)| *kind == ProbeKind::Noise)
        .unwrap();
    assert_eq!(noise.1, noise.2, "every noise probe should be flagged");
    assert!(
        report.held_out_flagged <= 0.02,
        "{:.1} % of held-out test digits flagged",
        100.0 * report.held_out_flagged
    );
}
