//! Training on real digits: the loss falls, and a saved model reloads to the same outputs.
// Native only: the browser runs tests/web.rs, and building this for wasm32 costs minutes.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use autoencoder_playground::data::Split;
use autoencoder_playground::image::PIXELS;
use autoencoder_playground::inference::InferenceModel;
use autoencoder_playground::training::{Trainer, TrainingOptions};

#[test]
fn split_sizes_follow_the_fixed_rule() {
    let dataset = common::dataset();
    assert_eq!(dataset.len(), 10_000);
    assert_eq!(dataset.indices(Split::Train).len(), 8_004);
    assert_eq!(dataset.indices(Split::Test).len(), 1_996);
}

#[test]
fn loss_falls_on_real_digits() {
    let dataset = common::dataset();
    let train = dataset.indices(Split::Train);
    let mut trainer = Trainer::new(TrainingOptions {
        dropout: 0.0,
        ..Default::default()
    })
    .unwrap();
    let test_images = dataset.images(&dataset.indices(Split::Test)[..200]);
    let untrained_mse = trainer.evaluate(&test_images).unwrap().mse;
    let batches: Vec<Vec<f32>> = train
        .chunks(64)
        .take(60)
        .map(|c| dataset.images(c))
        .collect();
    let losses: Vec<f32> = batches.iter().map(|b| trainer.step(b).unwrap()).collect();
    let first: f32 = losses[..5].iter().sum::<f32>() / 5.0;
    let last: f32 = losses[losses.len() - 5..].iter().sum::<f32>() / 5.0;
    assert!(last < first * 0.6, "BCE went from {first} to {last}");

    let mse = trainer.evaluate(&test_images).unwrap().mse;
    assert!(
        mse < untrained_mse * 0.6,
        "test MSE went from {untrained_mse} to {mse}"
    );
}

#[test]
fn saved_model_reloads_to_identical_reconstructions() {
    let dataset = common::dataset();
    let mut trainer = Trainer::new(TrainingOptions {
        latent_size: 8,
        ..Default::default()
    })
    .unwrap();
    trainer
        .step(&dataset.images(&(0..32).collect::<Vec<_>>()))
        .unwrap();
    let bytes = trainer.save("test").unwrap();
    let first = InferenceModel::load(&bytes).unwrap();
    let second = InferenceModel::load(&first_saved_again(&bytes)).unwrap();
    let digit = dataset.image(3);
    assert_eq!(
        first.reconstruct(&digit).unwrap(),
        second.reconstruct(&digit).unwrap()
    );
    assert_eq!(first.encode(&digit).unwrap().len(), 8);
    assert_eq!(second.decode(&[0.0; 8]).unwrap().len(), PIXELS);
}

/// Loads and saves again: the f16 weights survive a second round trip unchanged.
fn first_saved_again(bytes: &[u8]) -> Vec<u8> {
    let model = InferenceModel::load(bytes).unwrap();
    autoencoder_playground::model_file::save(model.network(), model.header()).unwrap()
}
