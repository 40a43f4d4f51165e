//! The model files in www/models still load into the current architecture, match what the
//! manifest says of them, and meet the quality bars on the fixed test split.
// Native only: the browser runs tests/web.rs, and building this for wasm32 costs minutes.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use autoencoder_playground::analysis::baseline::PcaBaseline;
use autoencoder_playground::analysis::knn::LabelledSet;
use autoencoder_playground::architecture::{Architecture, ArchitectureKind};
use autoencoder_playground::data::Split;
use autoencoder_playground::inference::InferenceModel;
use autoencoder_playground::manifest::{ModelEntry, Role};
use autoencoder_playground::model::images_tensor;
use autoencoder_playground::model_file;
use autoencoder_playground::synthetic::noise::corrupt_seeded;
use autoencoder_playground::training::reconstruct_all;
use autoencoder_playground::util::image::PIXELS;
use autoencoder_playground::util::metrics::{Metrics, max_abs_difference, mean_squared_error};
use burn::module::Module;
use strum::VariantArray;

/// The figures of the page's own inference code on `images`.
fn evaluate(model: &InferenceModel, images: &[f32]) -> Metrics {
    Metrics::between(&model.reconstruct_many(images).unwrap(), images)
}

/// The bytes of a file the manifest names (a path relative to `www/models`).
fn shipped_file(name: &str) -> Vec<u8> {
    let path = format!("{}/www/models/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every model the manifest lists, loaded from its file, with its entry.
fn shipped_models() -> Vec<(ModelEntry, Vec<u8>, InferenceModel)> {
    common::manifest()
        .models
        .into_iter()
        .map(|entry| {
            let bytes = shipped_file(&entry.file);
            let model =
                InferenceModel::load(&bytes).unwrap_or_else(|e| panic!("{}: {e}", entry.id));
            (entry, bytes, model)
        })
        .collect()
}

/// The page's first drawings are rebuilt by the drawing model: the study's recipe at L = 32
/// does this well (7-bit weights: 0.0058) where the tuned model the page drew with before did
/// not (0.0131), and its 5-bit file keeps the first view's bytes.
const DRAWING_MODEL_MSE_AT_MOST: f64 = 0.0065;

#[test]
fn every_manifest_model_loads_and_matches_its_entry() {
    let manifest = common::manifest();
    let dataset = common::dataset();
    let images = dataset.images(&dataset.indices(Split::Test));
    for &role in Role::VARIANTS {
        // The classifier role names a classifier (tests/transfer.rs checks it), not a model.
        if role == Role::Classifier {
            manifest.classifier().unwrap();
        } else {
            manifest.role(role).unwrap();
        }
    }
    let drawing = manifest.role(Role::Drawing).unwrap().clone();
    for (entry, bytes, model) in shipped_models() {
        assert_eq!(
            bytes.len(),
            entry.file_bytes,
            "{}: size differs from the manifest",
            entry.id
        );
        let architecture = &model.header().architecture;
        assert_eq!(architecture.kind(), entry.architecture, "{}", entry.id);
        assert_eq!(
            architecture.latent_size(),
            entry.latent_size,
            "{}",
            entry.id
        );
        assert_eq!(architecture.parameter_count(), entry.params, "{}", entry.id);
        assert_eq!(
            architecture,
            &entry.training.options.model_config(),
            "{}: the file's config is not the one the manifest says it was trained with",
            entry.id
        );

        let metrics = evaluate(&model, &images);
        // Quantised weights cost at most 1 % of the error the same weights had before; the
        // drawing model, which the first view fetches, is held to its byte budget instead
        // (the test below) and to an error bar of its own.
        let unquantized = entry
            .unquantized_test
            .unwrap_or_else(|| panic!("{}: no figures before quantisation", entry.id));
        if entry.id == drawing.id {
            assert!(
                entry.test.mse <= DRAWING_MODEL_MSE_AT_MOST,
                "{}, the drawing model: test MSE {} (at most {DRAWING_MODEL_MSE_AT_MOST})",
                entry.id,
                entry.test.mse
            );
        } else {
            assert!(
                entry.test.mse <= 1.01 * unquantized.mse,
                "{}: test MSE {} with quantised weights, {} before",
                entry.id,
                entry.test.mse,
                unquantized.mse
            );
        }
        assert!(
            entry.file_bytes <= 1_200_000,
            "{}: {} bytes",
            entry.id,
            entry.file_bytes
        );
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
fn the_default_model_is_small_enough_for_a_quick_first_view() {
    // The page fetches it before the first reconstruction: fewer than 8 bits per weight (GPTQ)
    // keep it within the first view's budget.
    let manifest = common::manifest();
    let default = manifest.role(Role::Drawing).unwrap();
    let bits = default
        .weight_bits
        .expect("the manifest records its bits per weight");
    assert!(bits < 8, "{} has {bits}-bit weights", default.id);
    assert!(
        default.file_bytes <= 800_000,
        "{}: {} bytes",
        default.id,
        default.file_bytes
    );
}

#[test]
fn shipped_models_meet_the_quality_bars() {
    let dataset = common::dataset();
    let images = dataset.images(&dataset.indices(Split::Test));
    for (bytes, bar) in [
        (common::model(Role::CourseNote), 0.047),
        (common::model(Role::Drawing), 0.019),
    ] {
        let model = InferenceModel::load(bytes).unwrap();
        let mse = evaluate(&model, &images).mse;
        assert!(mse <= bar, "test MSE {mse} above the bar {bar}");
    }
}

#[test]
fn the_course_note_model_has_the_course_note_architecture() {
    let header = model_file::read_header(common::model(Role::CourseNote)).unwrap();
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
        let mut options = entry.training.options.clone();
        options.latent_size = entries[0].latent_size;
        assert_eq!(options, entries[0].training.options, "{}", entry.id);
        assert_eq!(
            entry.training.plan, entries[0].training.plan,
            "{}",
            entry.id
        );
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
fn the_pca_baseline_has_every_study_size_and_its_recorded_figures() {
    let manifest = common::manifest();
    let entry = manifest
        .pca_baseline
        .as_ref()
        .expect("the manifest names the PCA baseline");
    let bytes = shipped_file(&entry.file);
    assert_eq!(bytes.len(), entry.file_bytes);
    let baseline = PcaBaseline::from_bytes(&bytes).unwrap();
    assert_eq!(baseline.max_code_size(), entry.axes);
    let sizes: Vec<usize> = entry.by_code_size.iter().map(|p| p.code_size).collect();
    assert_eq!(sizes, manifest.study_latent_sizes());

    let dataset = common::dataset();
    let test = dataset.images(&dataset.indices(Split::Test));
    let mut previous = f64::INFINITY;
    for point in &entry.by_code_size {
        let mse = baseline.metrics(&test, point.code_size).unwrap().mse;
        assert!(
            (mse - point.test.mse).abs() <= 1e-9 * mse,
            "L={}: {mse} against the manifest's {}",
            point.code_size,
            point.test.mse
        );
        // More axes never rebuild worse; fitted to 8,004 digits, 784 pixels' worth of axes
        // generalise: the test error stays within 5 % of the training error.
        assert!(mse < previous, "L={}: {mse}", point.code_size);
        assert!(
            (mse / point.train.mse - 1.0).abs() < 0.05,
            "L={}: {point:?}",
            point.code_size
        );
        previous = mse;
    }
}

/// The autoencoders' test MSE as a multiple of PCA's with as many numbers, at most: issue 15's
/// targets (a non-linear code should keep much more of a digit than the best linear one),
/// met by the study's recipe (BENCHMARKS.md, "Training the study's models").
const RATIO_TO_PCA_AT_MOST: [(usize, f64); 6] = [
    (2, 0.7),
    (4, 0.7),
    (8, 0.5),
    (16, 0.5),
    (32, 0.5),
    (64, 0.8),
];
/// The convolutional model against PCA with 32 numbers: issue 15's target.
const CONV_RATIO_TO_PCA_AT_MOST: f64 = 0.3;

#[test]
fn the_autoencoders_beat_pca_by_the_recorded_factors() {
    let manifest = common::manifest();
    let pca = manifest.pca_baseline.as_ref().expect("a PCA baseline");
    let pca_mse = |size: usize| {
        pca.by_code_size
            .iter()
            .find(|p| p.code_size == size)
            .unwrap_or_else(|| panic!("no PCA figure at L={size}"))
            .test
            .mse
    };
    let mut above = Vec::new();
    for entry in manifest.study_models() {
        let (_, bound) = RATIO_TO_PCA_AT_MOST
            .iter()
            .find(|(size, _)| *size == entry.latent_size)
            .expect("a bound for every study size");
        let ratio = entry.test.mse / pca_mse(entry.latent_size);
        if ratio > *bound {
            above.push(format!(
                "L={}: {ratio:.3} (at most {bound})",
                entry.latent_size
            ));
        }
        // Train and test figures are both on record, so overfitting shows.
        let train = entry.train.as_ref().expect("the study's train MSE");
        assert!(train.mse > 0.0 && train.mse.is_finite(), "{}", entry.id);
    }
    let conv = manifest.role(Role::Conv).unwrap();
    let ratio = conv.test.mse / pca_mse(conv.latent_size);
    if ratio > CONV_RATIO_TO_PCA_AT_MOST {
        above.push(format!(
            "{}: {ratio:.3} (at most {CONV_RATIO_TO_PCA_AT_MOST})",
            conv.id
        ));
    }
    assert!(above.is_empty(), "test MSE ÷ PCA's: {above:?}");
}

#[test]
fn codes_as_features_are_recorded_for_every_study_size() {
    let manifest = common::manifest();
    let features = manifest
        .codes_as_features
        .as_ref()
        .expect("the manifest has the kNN figures");
    let sizes: Vec<usize> = features.by_code_size.iter().map(|p| p.code_size).collect();
    assert_eq!(sizes, manifest.study_latent_sizes());
    assert_eq!(features.k, 5);
    // Ten classes: chance is 10 %; raw pixels with k = 5 reach about 95 % on MNIST.
    assert!(
        (0.9..1.0).contains(&features.raw_pixels),
        "{}",
        features.raw_pixels
    );
    for point in &features.by_code_size {
        assert!(
            (0.2..1.0).contains(&point.autoencoder) && (0.2..1.0).contains(&point.pca),
            "{point:?}"
        );
    }
    // The smallest model's figure, measured again (2-number codes: quick).
    let smallest = &manifest.study_models()[0];
    let model = InferenceModel::load(&shipped_file(&smallest.file)).unwrap();
    let dataset = common::dataset();
    let (train, test) = (dataset.indices(Split::Train), dataset.indices(Split::Test));
    let labels =
        |indices: &[usize]| -> Vec<u8> { indices.iter().map(|&i| dataset.label(i)).collect() };
    let codes = |indices: &[usize]| model.encode_many(&dataset.images(indices)).unwrap();
    let (train_codes, train_labels) = (codes(&train), labels(&train));
    let set = LabelledSet::new(&train_codes, &train_labels, smallest.latent_size).unwrap();
    let accuracy = set
        .accuracy(&codes(&test), &labels(&test), features.k)
        .unwrap();
    assert_eq!(accuracy, features.by_code_size[0].autoencoder);
}

#[test]
fn the_denoiser_beats_the_plain_model_on_noisy_test_digits() {
    let denoiser = InferenceModel::load(common::model(Role::Denoiser)).unwrap();
    let plain = InferenceModel::load(common::model(Role::DenoiserBaseline)).unwrap();
    let dataset = common::dataset();
    for amount in [0.3, 0.6, 1.0] {
        let (mut denoised, mut kept) = (0.0, 0.0);
        for &index in dataset.indices(Split::Test).iter().step_by(10) {
            let clean = dataset.image(index);
            let noisy = corrupt_seeded(&clean, amount, index as u64).unwrap();
            denoised += mean_squared_error(&denoiser.reconstruct(&noisy).unwrap(), &clean);
            kept += mean_squared_error(&plain.reconstruct(&noisy).unwrap(), &clean);
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
    let conv = manifest.role(Role::Conv).unwrap();
    let dense = manifest.role(Role::ConvBaseline).unwrap();
    assert_eq!(conv.latent_size, dense.latent_size);
    assert_eq!(conv.architecture, ArchitectureKind::Conv);
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

#[test]
fn the_page_inference_matches_burns_forward_pass_for_every_shipped_model() {
    // The page rebuilds digits one at a time with the inference code (for dense models a
    // plain-Rust copy of the weights); burn's batched forward pass is the model's definition.
    let dataset = common::dataset();
    let digits: Vec<usize> = dataset
        .indices(Split::Test)
        .into_iter()
        .step_by(39)
        .take(50)
        .collect();
    assert_eq!(digits.len(), 50);
    let images = dataset.images(&digits);
    for (entry, bytes, model) in shipped_models() {
        let (network, _) = model_file::load(&bytes, &autoencoder_playground::device()).unwrap();
        let network = network.valid();
        let burn_images = reconstruct_all(&network, &images);
        let burn_codes = network
            .encode(images_tensor(&images, digits.len(), &network.device()))
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let page_images: Vec<f32> = images
            .chunks_exact(PIXELS)
            .flat_map(|image| model.reconstruct(image).unwrap())
            .collect();
        let page_codes = model.encode_many(&images).unwrap();
        let (image_gap, code_gap) = (
            max_abs_difference(&page_images, &burn_images),
            max_abs_difference(&page_codes, &burn_codes),
        );
        println!(
            "{}: largest difference {image_gap:.2e} in pixels, {code_gap:.2e} in codes",
            entry.id
        );
        assert!(
            image_gap <= 1e-4,
            "{}: pixels differ by {image_gap}",
            entry.id
        );
        // Codes are not bounded to 0…1: allow the same relative error.
        let scale = burn_codes.iter().fold(1.0f32, |m, v| m.max(v.abs()));
        assert!(
            code_gap <= 1e-4 * scale,
            "{}: codes differ by {code_gap} (scale {scale})",
            entry.id
        );
    }
}
