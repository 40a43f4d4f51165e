//! Transfer learning: the classifier file round-trips through burn and the page's plain-Rust
//! copy computes what burn computes; damaged files are refused; and with 100 labels the drawing
//! model's encoder, fine-tuned with deformations, beats a softmax on its frozen codes.
// Native only: the browser runs tests/web.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use autoencoder_playground::analysis::softmax::most_probable;
use autoencoder_playground::data::Split;
use autoencoder_playground::inference::Classifier;
use autoencoder_playground::manifest::Role;
use autoencoder_playground::model::EncoderClassifier;
use autoencoder_playground::model::images_tensor;
use autoencoder_playground::model_file::classifier::{self as classifier_file, ClassifierHeader};
use autoencoder_playground::model_file::{NamedTensor, WeightEncoding, tensors_of};
use autoencoder_playground::training::fine_tune::{
    FineTuneOptions, load_classifier, save_digit_classifier,
};
use autoencoder_playground::training::transfer::{FeatureKind, Start, TransferData};
use autoencoder_playground::util::image::PIXELS;
use autoencoder_playground::util::metrics::max_abs_difference;
use autoencoder_playground::util::rng::SplitMix64;

fn random_classifier() -> EncoderClassifier {
    EncoderClassifier::random(&[PIXELS, 64, 8], 10, 0.3, &autoencoder_playground::device())
}

/// A few images of random grey levels.
fn images(rows: usize) -> Vec<f32> {
    let mut rng = SplitMix64::new(7);
    (0..rows * PIXELS).map(|_| rng.uniform() as f32).collect()
}

fn burn_probabilities(model: &EncoderClassifier, images: &[f32]) -> Vec<f32> {
    let device = autoencoder_playground::device();
    model
        .probabilities(images_tensor(images, images.len() / PIXELS, &device))
        .into_data()
        .iter::<f32>()
        .collect()
}

#[test]
fn a_classifier_file_round_trips_and_the_plain_copy_computes_what_burn_computes() {
    let model = random_classifier();
    let bytes = save_digit_classifier(&model, 100, "unit test", WeightEncoding::Half).unwrap();
    let inputs = images(3);
    let expected = burn_probabilities(&model, &inputs);

    let plain = Classifier::load(&bytes).unwrap();
    assert_eq!(plain.labels_used(), 100);
    assert_eq!(plain.class_names().len(), 10);
    assert_eq!(plain.header().provenance, "unit test");
    let computed: Vec<f32> = inputs
        .chunks_exact(PIXELS)
        .flat_map(|image| plain.classify(image).unwrap())
        .collect();
    let worst = max_abs_difference(&computed, &expected);
    assert!(worst < 2e-3, "the plain copy differs from burn by {worst}");

    let (reloaded, header) = load_classifier(&bytes, &autoencoder_playground::device()).unwrap();
    assert_eq!(header.encoder_widths, [PIXELS, 64, 8]);
    let worst = max_abs_difference(&burn_probabilities(&reloaded, &inputs), &expected);
    assert!(worst < 2e-3, "the reloaded network differs by {worst}");
}

#[test]
fn damaged_or_foreign_files_are_refused_with_a_reason() {
    let bytes = save_digit_classifier(&random_classifier(), 10, "", WeightEncoding::INT8).unwrap();
    let error = |bytes: &[u8]| Classifier::load(bytes).unwrap_err().to_string();
    assert!(error(&[]).contains("empty"));
    assert!(error(&bytes[..bytes.len() - 3]).contains("truncated"));
    let mut flipped = bytes.clone();
    *flipped.last_mut().unwrap() ^= 0x40;
    assert!(error(&flipped).contains("checksum"));
    let autoencoder = common::model(Role::Drawing);
    assert!(error(autoencoder).contains("not a classifier file"));
    let plain = Classifier::load(&bytes).unwrap();
    assert!(
        plain
            .classify(&[0.5; 10])
            .unwrap_err()
            .to_string()
            .contains("784")
    );
    assert!(
        plain
            .classify(&[2.0; PIXELS])
            .unwrap_err()
            .to_string()
            .contains("0…1")
    );
}

#[test]
fn a_header_that_does_not_fit_its_weights_is_refused() {
    let model = random_classifier();
    let header = ClassifierHeader {
        encoder_widths: vec![PIXELS, 64, 8],
        leaky_slope: 0.3,
        classes: (0..10).map(|d| d.to_string()).collect(),
        labels_used: 10,
        provenance: String::new(),
    };
    let tensors = tensors_of(&model).unwrap();
    let error = |header: &ClassifierHeader, tensors: &[NamedTensor]| {
        let bytes = classifier_file::write(header, tensors, WeightEncoding::Half)?;
        Classifier::load(&bytes).map(|_| ())
    };
    assert!(error(&header, &tensors).is_ok());
    let wider = ClassifierHeader {
        encoder_widths: vec![PIXELS, 64, 16],
        ..header.clone()
    };
    assert!(
        error(&wider, &tensors)
            .unwrap_err()
            .to_string()
            .contains("encoder.1.weight")
    );
    let no_pixels = ClassifierHeader {
        encoder_widths: vec![100, 64, 8],
        ..header.clone()
    };
    assert!(
        error(&no_pixels, &tensors)
            .unwrap_err()
            .to_string()
            .contains("784")
    );
    let mut extra = tensors.clone();
    extra.push(NamedTensor::float(
        "decoder.0.bias",
        vec![2],
        vec![0.0, 0.0],
    ));
    assert!(
        error(&header, &extra)
            .unwrap_err()
            .to_string()
            .contains("unexpected tensors")
    );
}

#[test]
fn the_shipped_classifier_matches_its_manifest_entry() {
    let manifest = common::manifest();
    let entry = manifest
        .classifier()
        .expect("the manifest names a classifier");
    let bytes = common::shipped_file(&entry.file);
    assert_eq!(bytes.len(), entry.file_bytes);
    let classifier = Classifier::load(bytes).unwrap();
    assert_eq!(classifier.labels_used(), entry.labels_used);
    let dataset = common::dataset();
    let labelled = dataset.labelled_draw(Some(entry.labels_per_class), entry.label_seed);
    assert_eq!(labelled.len(), entry.labels_used);
    let study = manifest
        .transfer
        .as_ref()
        .expect("the manifest has the transfer figures");
    assert_eq!(entry.encoder_model, study.encoder_model);
    assert_eq!(
        manifest.role(Role::Drawing).unwrap().id,
        study.encoder_model
    );
    let test = dataset.indices(Split::Test);
    let right = test
        .iter()
        .filter(|&&i| {
            let p = classifier.classify(&dataset.image(i)).unwrap();
            most_probable(&p) == dataset.label(i) as usize
        })
        .count();
    let accuracy = right as f64 / test.len() as f64;
    assert!(
        (accuracy - entry.test_accuracy).abs() < 1e-9,
        "{accuracy} but the manifest says {}",
        entry.test_accuracy
    );
    // The page's plain copy computes what burn computes with the shipped weights.
    let (network, _) = load_classifier(bytes, &autoencoder_playground::device()).unwrap();
    let some = dataset.images(&test[..20]);
    let plain: Vec<f32> = some
        .chunks_exact(PIXELS)
        .flat_map(|image| classifier.classify(image).unwrap())
        .collect();
    let worst = max_abs_difference(&plain, &burn_probabilities(&network, &some));
    assert!(worst < 1e-4, "the plain copy differs from burn by {worst}");
    let hundred = study.by_labels.iter().find(|p| p.labels == 100).unwrap();
    assert!(
        hundred.draws >= 5 && hundred.fine_tuned.mean >= 0.9,
        "{hundred:?}"
    );
}

/// The claim in small: 400 steps instead of the report's 1,500, one draw. Measured
/// (this draw, seed 1): frozen codes 82.6 %, fine-tuned 91.3 %.
#[test]
fn with_100_labels_fine_tuning_the_encoder_beats_a_softmax_on_its_frozen_codes() {
    let data = TransferData::new(common::dataset(), common::model(Role::Drawing)).unwrap();
    let labelled = data.dataset.labelled_draw(Some(10), 1);
    assert_eq!(labelled.len(), 100);
    let frozen = data
        .softmax_accuracy(FeatureKind::FrozenCodes, &labelled)
        .unwrap();
    let options = FineTuneOptions {
        steps: 400,
        ..Default::default()
    };
    let (_, fine_tuned) = data
        .fine_tuned(Start::Pretrained, &labelled, &options)
        .unwrap();
    println!("frozen codes {frozen:.3}, fine-tuned {fine_tuned:.3}");
    assert!(
        fine_tuned > frozen + 0.02,
        "fine-tuned {fine_tuned:.3} against frozen codes {frozen:.3}"
    );
}
