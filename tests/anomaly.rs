//! Anomaly detection by reconstruction error, calibrated on half of the test split: the
//! detector (trained with outlier exposure) flags nearly nine in ten of the non-digit probes
//! above the 99th-percentile threshold and at most 2 % of the other test digits, far more
//! probes than the plain default model, whose error misses many letters and scribbles that
//! look like the strangest real digits (see BENCHMARKS.md for the numbers by kind; the
//! issue's target is 90 %).
// Native only: the browser runs tests/web.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use autoencoder_playground::anomaly::{DetectorReport, evaluate_detector};
use autoencoder_playground::inference::InferenceModel;
use autoencoder_playground::probes::ProbeKind;

fn report(model_file: &[u8]) -> DetectorReport {
    let model = InferenceModel::load(model_file).unwrap();
    let report = evaluate_detector(&model, &common::dataset()).unwrap();
    println!("{report:#?}");
    assert!(
        report.held_out_flagged <= 0.02,
        "{:.1} % of held-out test digits flagged",
        100.0 * report.held_out_flagged
    );
    let noise = report
        .by_kind
        .iter()
        .find(|(kind, _, _)| *kind == ProbeKind::Noise)
        .unwrap();
    assert_eq!(noise.1, noise.2, "every noise probe should be flagged");
    report
}

#[test]
fn the_detector_flags_most_non_digits_and_few_digits() {
    let detector = report(common::DETECTOR_MODEL);
    // Measured 89 % (62 of 70); below 85 % the model or the score got worse.
    assert!(
        detector.probes_flagged >= 0.85,
        "only {:.0} % of the probes flagged; missed {:?}",
        100.0 * detector.probes_flagged,
        detector.missed
    );
}

#[test]
fn outlier_exposure_beats_the_plain_model_it_was_trained_like() {
    let detector = report(common::DETECTOR_MODEL);
    let plain = report(common::TUNED_MODEL);
    // Measured 67 % for the plain model; a drop below 60 % means it or the score got worse.
    assert!(
        plain.probes_flagged >= 0.6,
        "plain model: {:.0} %",
        100.0 * plain.probes_flagged
    );
    assert!(
        detector.probes_flagged >= plain.probes_flagged + 0.15,
        "detector {:.0} %, plain model {:.0} %",
        100.0 * detector.probes_flagged,
        100.0 * plain.probes_flagged
    );
}
