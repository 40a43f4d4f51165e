//! Anomaly detection by reconstruction error, calibrated on half of the test split, with every
//! image scored as drawn (stroke width normalised, like the probes and the page's drawings):
//! the detector (the manifest's `detector` role) flags every noise probe and most letters, at most 2 % of the other test
//! digits, and a digit's score does not depend on how bold its stroke is. The target of
//! 90 % of the probes is not met (see BENCHMARKS.md for the numbers by kind).
// Native only: the browser runs tests/web.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use autoencoder_playground::analysis::anomaly::{
    AnomalyScale, anomaly_scores, evaluate_detector, evaluate_scorer,
};
use autoencoder_playground::analysis::anomaly_score::{AnomalyMeasure, AnomalyScorer};
use autoencoder_playground::data::Split;
use autoencoder_playground::inference::InferenceModel;
use autoencoder_playground::manifest::Role;
use autoencoder_playground::synthetic::probes::ProbeKind;
use autoencoder_playground::util::image::{PIXELS, SIDE};

#[test]
fn the_detector_flags_non_digits_and_few_digits() {
    let model = InferenceModel::load(common::model(Role::Detector)).unwrap();
    let report = evaluate_detector(&model, &common::dataset()).unwrap();
    println!("{report:#?}");
    assert!(
        report.held_out_flagged <= 0.02,
        "{:.1} % of held-out test digits flagged",
        100.0 * report.held_out_flagged
    );
    let flagged = |kind: ProbeKind| {
        let (_, flagged, total) = report.by_kind.iter().find(|(k, _, _)| *k == kind).unwrap();
        (*flagged, *total)
    };
    let (noise, noise_total) = flagged(ProbeKind::Noise);
    assert_eq!(noise, noise_total, "every noise probe should be flagged");
    let (letters, _) = flagged(ProbeKind::Letter);
    assert!(letters >= 10, "only {letters} of 20 letters flagged");
    // Measured 63 % (44 of 70); below 55 % the model or the score got worse.
    assert!(
        report.probes_flagged >= 0.55,
        "only {:.0} % of the probes flagged; missed {:?}",
        100.0 * report.probes_flagged,
        report.missed
    );
    // A looser threshold trades false alarms for catches, never fewer of either.
    let points = &report.operating_points;
    assert_eq!(points[0].probes_flagged, report.probes_flagged);
    assert_eq!(points[0].held_out_flagged, report.held_out_flagged);
    for pair in points.windows(2) {
        assert!(pair[1].quantile < pair[0].quantile);
        assert!(pair[1].probes_flagged >= pair[0].probes_flagged);
        assert!(pair[1].held_out_flagged >= pair[0].held_out_flagged);
    }
}

/// `image` with its stroke thickened by one pixel all round (a 3×3 maximum).
fn bolder(image: &[f32]) -> Vec<f32> {
    let at = |x: i32, y: i32| {
        let inside = (0..SIDE as i32).contains(&x) && (0..SIDE as i32).contains(&y);
        if inside {
            image[y as usize * SIDE + x as usize]
        } else {
            0.0
        }
    };
    (0..PIXELS as i32)
        .map(|i| {
            let (x, y) = (i % SIDE as i32, i / SIDE as i32);
            (-1..=1)
                .flat_map(|dy| (-1..=1).map(move |dx| (dx, dy)))
                .map(|(dx, dy)| at(x + dx, y + dy))
                .fold(0.0, f32::max)
        })
        .collect()
}

#[test]
fn a_bolder_stroke_does_not_make_a_digit_an_anomaly() {
    // Scored as stored, a digit written with a fatter pen rebuilds worse and is flagged far
    // more often; scored as drawn, the stroke is evened out first and only the shape counts.
    let model = InferenceModel::load(common::model(Role::Detector)).unwrap();
    let dataset = common::dataset();
    let test = dataset.indices(Split::Test);
    let (calibration, checked): (Vec<usize>, Vec<usize>) =
        test.iter().partition(|&&index| index % 2 == 0);
    let bold: Vec<f32> = checked
        .iter()
        .flat_map(|&index| bolder(&dataset.image(index)))
        .collect();

    let drawn_scale =
        AnomalyScale::fit(&anomaly_scores(&model, &dataset.images(&calibration)).unwrap()).unwrap();
    let as_drawn = drawn_scale.share_flagged(&anomaly_scores(&model, &bold).unwrap());

    let stored_scale = AnomalyScale::fit(
        &model
            .reconstruction_errors(&dataset.images(&calibration))
            .unwrap(),
    )
    .unwrap();
    let as_stored = stored_scale.share_flagged(&model.reconstruction_errors(&bold).unwrap());

    println!(
        "bold digits flagged: {:.1} % as drawn, {:.1} % as stored",
        100.0 * as_drawn,
        100.0 * as_stored
    );
    assert!(
        as_drawn <= 0.03,
        "{:.1} % of bold digits flagged",
        100.0 * as_drawn
    );
    assert!(as_stored > 3.0 * as_drawn.max(0.01));
}

/// The two scores that add how usual the code is, on the same probes and calibration. Measured
/// on 2026-11-30 (BENCHMARKS.md): the VAE L=16's negative ELBO flags 50 % of the probes and its
/// reconstruction error 56 %; the default model's error with its code's density under the
/// training codes' Gaussian 57 %, against 63 % for its error alone. Neither beats the error
/// alone, so the page keeps it; these floors catch a score that gets worse.
#[test]
fn scores_that_weigh_the_code_flag_probes_without_more_false_alarms() {
    let dataset = common::dataset();
    let vae = InferenceModel::load(common::model(Role::Generator)).unwrap();
    let plain = InferenceModel::load(common::model(Role::Detector)).unwrap();
    for (model, measure, floor) in [
        (&vae, AnomalyMeasure::NegativeElbo, 0.45),
        (&plain, AnomalyMeasure::ErrorAndCodeDensity, 0.5),
    ] {
        let scorer = AnomalyScorer::new(model, measure, &dataset).unwrap();
        let report = evaluate_scorer(&scorer, &dataset).unwrap();
        println!(
            "{measure}: {:.0} % of probes, {:.1} % of held-out digits",
            100.0 * report.probes_flagged,
            100.0 * report.held_out_flagged
        );
        assert!(
            report.held_out_flagged <= 0.02,
            "{measure}: too many false alarms"
        );
        assert!(
            report.probes_flagged >= floor,
            "{measure}: {:.2}",
            report.probes_flagged
        );
    }
    // A measure the model cannot give is refused, not faked.
    let refused = AnomalyScorer::new(&plain, AnomalyMeasure::NegativeElbo, &dataset);
    assert!(
        refused
            .err()
            .unwrap()
            .to_string()
            .contains("not a measure of a dense model")
    );
}

/// The detector the page calls (`web::AnomalyDetector` wraps this one) scores what the analysis
/// path scores: the same numbers as `anomaly_scores` on the same images as drawn, ranked on the
/// scale of the test digits' scores whether the references came in slices or at once.
#[test]
fn the_detector_scores_as_the_analysis_path_does() {
    use autoencoder_playground::analysis::anomaly::drawn_images;
    use autoencoder_playground::analysis::anomaly_detector::AnomalyDetector;
    use autoencoder_playground::synthetic::probes::probes;

    let dataset = common::dataset();
    let model = InferenceModel::load(common::model(Role::Detector)).unwrap();
    let test = dataset.indices(Split::Test);
    let references = dataset.images(&test[..300]);
    let scorer = || AnomalyScorer::new(&model, AnomalyMeasure::ReconstructionError, &dataset);
    let at_once = AnomalyDetector::fit(scorer().unwrap(), &references).unwrap();
    let mut sliced = AnomalyDetector::new(scorer().unwrap(), 300).unwrap();
    assert!(
        sliced.score(&references[..PIXELS]).is_err(),
        "scored before the fit"
    );
    let drawn = drawn_images(&references).unwrap();
    for slice in drawn.chunks(7 * PIXELS) {
        assert!(!sliced.is_fitted());
        sliced.add_references(slice).unwrap();
    }
    assert!(sliced.is_fitted() && sliced.references_scored() == 300);
    assert!(
        sliced.add_references(&drawn[..PIXELS]).is_err(),
        "more references than made for"
    );

    let scale = AnomalyScale::fit(&anomaly_scores(&model, &references).unwrap()).unwrap();
    let letter_h = probes()
        .into_iter()
        .find(|p| p.name == "letter H")
        .unwrap()
        .image;
    let digit = dataset.image(test[500]);
    for image in [&letter_h, &digit] {
        let error = anomaly_scores(&model, image).unwrap()[0];
        for detector in [&at_once, &sliced] {
            let score = detector.score(image).unwrap();
            assert_eq!(score.error, error);
            assert_eq!(score.percentile, scale.percentile(error));
            assert_eq!(score.flagged, scale.is_anomalous(error));
            assert_eq!(score.threshold, scale.threshold());
            assert_eq!(score.scored, drawn_images(image).unwrap());
            assert_eq!(score.rebuilt, model.reconstruct(&score.scored).unwrap());
        }
    }
    // Scored as drawn, not as stored: a stored digit's own error differs.
    assert_ne!(
        at_once.score(&digit).unwrap().error,
        model.reconstruction_errors(&digit).unwrap()[0]
    );
    assert!(at_once.score(&letter_h).unwrap().flagged);
    // The flag percentile moves the threshold as the scale's does, and a bad one is refused.
    let mut moved = at_once;
    moved.set_flag_quantile(0.9).unwrap();
    let mut scale_at_90 = scale.clone();
    scale_at_90.set_flag_quantile(0.9).unwrap();
    assert_eq!(moved.scale().unwrap().threshold(), scale_at_90.threshold());
    assert!(moved.set_flag_quantile(0.2).is_err());
    assert_eq!(moved.flag_quantile(), 0.9);
}
