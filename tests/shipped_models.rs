//! The model files in www/models still load into the current architecture, match what the
//! manifest says of them, and meet the quality bars on the fixed test split.
// Native only: the browser runs tests/web.rs, and building this for wasm32 costs minutes.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use autoencoder_playground::data::Split;
use autoencoder_playground::image::PIXELS;
use autoencoder_playground::inference::InferenceModel;
use autoencoder_playground::model_file::{self, Architecture};
use autoencoder_playground::noise::corrupt_seeded;
use autoencoder_playground::training::evaluate;

#[test]
fn every_manifest_model_loads_and_matches_its_entry() {
    let manifest = common::manifest();
    let dataset = common::dataset();
    let test = dataset.indices(Split::Test);
    let images = dataset.images(&test);
    assert!(
        manifest
            .models
            .iter()
            .any(|m| m.id == manifest.default_model)
    );
    for entry in &manifest.models {
        let path = format!("{}/www/models/{}", env!("CARGO_MANIFEST_DIR"), entry.file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            bytes.len(),
            entry.file_bytes,
            "{}: size differs from the manifest",
            entry.id
        );
        let model = InferenceModel::load(&bytes).unwrap_or_else(|e| panic!("{}: {e}", entry.id));
        let architecture = &model.header().architecture;
        assert_eq!(architecture.kind(), entry.architecture, "{}", entry.id);
        assert_eq!(
            architecture.latent_size(),
            entry.latent_size,
            "{}",
            entry.id
        );
        assert_eq!(architecture.parameter_count(), entry.params, "{}", entry.id);
        if let Architecture::Dense(config) = architecture {
            assert_eq!(config.dropout, entry.dropout, "{}", entry.id);
        }

        let metrics = evaluate(model.network(), &images, test.len());
        let relative = (metrics.mse - entry.test.mse).abs() / entry.test.mse;
        assert!(
            relative < 0.02,
            "{}: test MSE {} but the manifest says {}",
            entry.id,
            metrics.mse,
            entry.test.mse
        );
    }
}

#[test]
fn shipped_models_meet_the_quality_bars() {
    let dataset = common::dataset();
    let test = dataset.indices(Split::Test);
    let images = dataset.images(&test);
    for (bytes, bar) in [
        (common::COURSE_NOTE_MODEL, 0.047),
        (common::TUNED_MODEL, 0.019),
    ] {
        let model = InferenceModel::load(bytes).unwrap();
        let mse = evaluate(model.network(), &images, test.len()).mse;
        assert!(mse <= bar, "test MSE {mse} above the bar {bar}");
    }
}

#[test]
fn the_course_note_model_has_the_course_note_architecture() {
    let header = model_file::read_header(common::COURSE_NOTE_MODEL).unwrap();
    let Architecture::Dense(config) = header.architecture else {
        panic!("the course-note model is {:?}", header.architecture);
    };
    assert_eq!(config.encoder_widths(), [PIXELS, 512, 256, 128, 64, 32]);
    assert_eq!(config.dropout, 0.5);
    assert_eq!(config.leaky_slope, 0.3);
}

#[test]
fn the_latent_size_study_has_six_sizes_and_error_falls_with_l() {
    let manifest = common::manifest();
    let entries: Vec<_> = manifest
        .latent_size_study
        .iter()
        .map(|id| {
            manifest
                .models
                .iter()
                .find(|m| &m.id == id)
                .unwrap_or_else(|| panic!("study model {id} is not in the manifest"))
        })
        .collect();
    let sizes: Vec<usize> = entries.iter().map(|m| m.latent_size).collect();
    assert_eq!(sizes, [2, 4, 8, 16, 32, 64]);
    // Trained the same way, so that L is the only difference.
    for entry in &entries {
        assert_eq!(entry.training, entries[0].training, "{}", entry.id);
        assert_eq!(entry.dropout, entries[0].dropout, "{}", entry.id);
    }
    let errors: Vec<f64> = entries.iter().map(|m| m.test.mse).collect();
    assert!(
        errors.windows(2).all(|pair| pair[1] <= pair[0] * 1.02),
        "test MSE should not grow with L: {errors:?}"
    );
    assert!(
        errors[0] > 2.0 * errors[5],
        "L=2 should be far worse than L=64: {errors:?}"
    );
}

#[test]
fn the_denoiser_beats_the_plain_model_on_noisy_test_digits() {
    let denoiser = InferenceModel::load(common::DENOISER_MODEL).unwrap();
    let plain = InferenceModel::load(common::TUNED_MODEL).unwrap();
    let dataset = common::dataset();
    for amount in [0.3, 0.6, 1.0] {
        let (mut denoised, mut kept) = (0.0, 0.0);
        for &index in dataset.indices(Split::Test).iter().step_by(10) {
            let clean = dataset.image(index);
            let noisy = corrupt_seeded(&clean, amount, index as u64).unwrap();
            denoised += common::mse(&denoiser.reconstruct(&noisy).unwrap(), &clean);
            kept += common::mse(&plain.reconstruct(&noisy).unwrap(), &clean);
        }
        assert!(
            denoised < 0.7 * kept,
            "noise {amount}: denoiser {denoised} vs plain {kept}"
        );
    }
}

#[test]
fn the_conv_model_needs_a_tenth_of_the_parameters_for_a_lower_error() {
    let manifest = common::manifest();
    let find = |id: &str| manifest.models.iter().find(|m| m.id == id).unwrap();
    let (conv, dense) = (find("conv-l32"), find("tuned-l32"));
    assert_eq!(conv.architecture, "conv");
    assert!(
        conv.params * 10 < dense.params,
        "{} vs {}",
        conv.params,
        dense.params
    );
    assert!(
        conv.test.mse < dense.test.mse,
        "{} vs {}",
        conv.test.mse,
        dense.test.mse
    );
}
