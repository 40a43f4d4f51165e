//! What the page shows of the network's insides is what the network computes: every layer of
//! the shipped dense and variational models for a real test digit, recomputed here from the
//! model file's tensors with a plain matrix product; the output is `reconstruct`'s image.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use autoencoder_playground::architecture::Architecture;
use autoencoder_playground::data::Split;
use autoencoder_playground::inference::{InferenceModel, LayerPlace, LayerRule};
use autoencoder_playground::manifest::Role;
use autoencoder_playground::model_file::{self, ModelFile};
use autoencoder_playground::util::metrics::max_abs_difference;

/// `bias + input · weight` for the layer stored at `path`, by the textbook loop.
fn textbook_layer(file: &ModelFile, path: &str, input: &[f32], outputs: usize) -> Vec<f32> {
    let bias = file.tensor(&format!("{path}.bias"), &[outputs]).unwrap();
    let weight = file
        .tensor(&format!("{path}.weight"), &[input.len(), outputs])
        .unwrap();
    (0..outputs)
        .map(|o| {
            bias[o]
                + (0..input.len())
                    .map(|i| input[i] * weight[i * outputs + o])
                    .sum::<f32>()
        })
        .collect()
}

fn leaky(values: Vec<f32>, slope: f32) -> Vec<f32> {
    values
        .into_iter()
        .map(|v| if v < 0.0 { v * slope } else { v })
        .collect()
}

fn first_test_digit() -> Vec<f32> {
    let data = common::dataset();
    data.image(data.indices(Split::Test)[0])
}

#[test]
fn every_layer_of_the_drawing_model_is_what_its_weights_compute() {
    let bytes = common::model(Role::Drawing);
    let (model, file) = (
        InferenceModel::load(bytes).unwrap(),
        model_file::read(bytes).unwrap(),
    );
    let Architecture::Dense(config) = &model.header().architecture else {
        panic!("the drawing model is dense");
    };
    let slope = config.leaky_slope as f32;
    let image = first_test_digit();
    let layers = model.layer_activations(&image).unwrap();

    let widths: Vec<usize> = layers.iter().map(|l| l.values.len()).collect();
    let l = model.latent_size();
    assert_eq!(widths, [784, 512, 256, 128, 64, l, 64, 128, 256, 512, 784]);
    let places: Vec<LayerPlace> = layers.iter().map(|l| l.place).collect();
    assert_eq!(places[0], LayerPlace::Input);
    assert_eq!(places[5], LayerPlace::Code);
    assert_eq!(places[10], LayerPlace::Output);
    assert_eq!(layers[10].rule, LayerRule::Sigmoid);

    let paths = (0..5)
        .map(|i| format!("encoder.{i}"))
        .chain((0..5).map(|i| format!("decoder.{i}")));
    let mut x = image.clone();
    for (index, path) in paths.enumerate() {
        let y = textbook_layer(&file, &path, &x, widths[index + 1]);
        x = if index < 9 {
            leaky(y, slope)
        } else {
            y.iter().map(|v| 1.0 / (1.0 + (-v).exp())).collect()
        };
        let shown = &layers[index + 1];
        assert!(max_abs_difference(&shown.values, &x) < 1e-4, "{path}");
        assert_eq!(
            shown.active,
            x.iter().filter(|&&v| v > 0.0).count(),
            "{path}"
        );
        assert_eq!(shown.largest, shown.values[shown.largest_unit]);
    }
    assert!(max_abs_difference(&layers[5].values, &model.encode(&image).unwrap()) < 1e-6);
    assert!(max_abs_difference(&layers[10].values, &model.reconstruct(&image).unwrap()) < 1e-6);
}

#[test]
fn a_variational_models_layers_show_both_heads_and_rebuild_from_the_mean() {
    let bytes = common::model(Role::Generator);
    let model = InferenceModel::load(bytes).unwrap();
    let image = first_test_digit();
    let layers = model.layer_activations(&image).unwrap();
    let places: Vec<LayerPlace> = layers.iter().map(|l| l.place).collect();
    let code_at = places.iter().position(|&p| p == LayerPlace::Code).unwrap();
    assert_eq!(places[code_at + 1], LayerPlace::LogVariance);
    assert_eq!(layers[code_at].rule, LayerRule::Affine);
    let distribution = model.encode_distribution(&image).unwrap();
    assert_eq!(layers[code_at].values, distribution.mean);
    assert_eq!(layers[code_at + 1].values, distribution.log_variance);
    let output = layers.last().unwrap();
    assert!(max_abs_difference(&output.values, &model.reconstruct(&image).unwrap()) < 1e-6);
}

#[test]
fn a_units_weights_and_a_latent_steps_effect_come_from_the_network() {
    let bytes = common::model(Role::Drawing);
    let (model, file) = (
        InferenceModel::load(bytes).unwrap(),
        model_file::read(bytes).unwrap(),
    );
    let weight = file.tensor("encoder.0.weight", &[784, 512]).unwrap();
    let strongest = model.strongest_units(8).unwrap();
    assert_eq!(strongest.len(), 8);
    let norm = |unit: usize| -> f32 { (0..784).map(|p| weight[p * 512 + unit].powi(2)).sum() };
    assert!(
        strongest
            .windows(2)
            .all(|pair| norm(pair[0]) >= norm(pair[1]))
    );
    assert!((0..512).all(|unit| norm(unit) <= norm(strongest[0])));
    let unit = strongest[0];
    let incoming = model.incoming_weights(unit).unwrap();
    assert_eq!(
        incoming,
        (0..784).map(|p| weight[p * 512 + unit]).collect::<Vec<_>>()
    );
    assert!(model.incoming_weights(512).is_err());

    let code = model.encode(&first_test_digit()).unwrap();
    let effect = model.code_step_effect(&code, 3, 1.0).unwrap();
    let mut moved = code.clone();
    moved[3] += 1.0;
    let (before, after) = (model.decode(&code).unwrap(), model.decode(&moved).unwrap());
    let expected: Vec<f32> = after.iter().zip(&before).map(|(a, b)| a - b).collect();
    assert_eq!(effect, expected);
    assert!(
        effect.iter().any(|&v| v.abs() > 0.01),
        "a unit step changes the image"
    );
    assert!(model.code_step_effect(&code, code.len(), 1.0).is_err());
    assert!(model.code_step_effect(&code, 0, f32::NAN).is_err());
    assert!(model.code_step_effect(&code[1..], 0, 1.0).is_err());
}

#[test]
fn the_convolutional_model_points_to_its_feature_maps() {
    let model = InferenceModel::load(common::model(Role::Conv)).unwrap();
    let error = model
        .layer_activations(&first_test_digit())
        .unwrap_err()
        .to_string();
    assert!(error.contains("feature maps"), "{error}");
    assert!(model.incoming_weights(0).is_err());
}
