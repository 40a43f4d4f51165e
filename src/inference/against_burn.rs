//! The inference copies against burn's forward pass (the shipped-models test does the same for
//! every shipped file).

use burn::prelude::*;

use super::*;
use crate::architecture::{
    ConvAutoencoderConfig, DenseAutoencoderConfig, VariationalAutoencoderConfig,
};
use crate::model::images_tensor;
use crate::util::metrics::max_abs_difference;

fn to_vec<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor.into_data().try_to_vec::<f32>().unwrap()
}

#[test]
fn each_inference_copy_computes_what_burn_computes() {
    // Mostly paper, some ink (the dense copy skips zero pixels, burn does not).
    let images: Vec<Vec<f32>> = (0..3)
        .map(|k| {
            (0..PIXELS)
                .map(|i| {
                    if (i + k) % 5 == 0 {
                        ((i * (k + 1)) % 11) as f32 / 10.0
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let device = crate::device();
    for architecture in [
        Architecture::Dense(DenseAutoencoderConfig::new(2)),
        Architecture::Dense(DenseAutoencoderConfig::new(16)),
        Architecture::Conv(ConvAutoencoderConfig::new(3)),
        Architecture::Conv(ConvAutoencoderConfig::new(8).with_channels_7(5)),
        Architecture::Vae(VariationalAutoencoderConfig::new(2)),
        Architecture::Vae(VariationalAutoencoderConfig::new(16)),
    ] {
        let network = architecture.init(&device).valid();
        let header = Header {
            architecture: architecture.clone(),
            provenance: String::new(),
        };
        let model = InferenceModel::from_tensors(header, model_file::tensors_of(&network).unwrap())
            .unwrap();
        for image in &images {
            let input = images_tensor(image, 1, &device);
            let burn_code = to_vec(network.encode(input.clone()));
            let burn_image = to_vec(network.forward(input));
            let code = model.encode(image).unwrap();
            assert!(
                max_abs_difference(&code, &burn_code) < 1e-5,
                "{architecture:?}: codes"
            );
            let image = model.reconstruct(image).unwrap();
            assert!(
                max_abs_difference(&image, &burn_image) < 1e-5,
                "{architecture:?}: images"
            );
        }
    }
}

#[test]
fn the_variational_copys_distribution_is_burns() {
    let device = crate::device();
    let config = VariationalAutoencoderConfig::new(5);
    let network = Architecture::Vae(config.clone()).init(&device);
    let header = Header {
        architecture: Architecture::Vae(config),
        provenance: String::new(),
    };
    let model =
        InferenceModel::from_tensors(header, model_file::tensors_of(&network).unwrap()).unwrap();
    let crate::model::Network::Variational(burn) = network.valid() else {
        unreachable!("built as the variational network")
    };
    let image: Vec<f32> = (0..PIXELS).map(|i| ((i * 5) % 17) as f32 / 17.0).collect();
    let expected = burn.encode_distribution(images_tensor(&image, 1, &device));
    let code = model.encode_distribution(&image).unwrap();
    assert!(max_abs_difference(&code.mean, &to_vec(expected.mean)) < 1e-5);
    assert!(max_abs_difference(&code.log_variance, &to_vec(expected.log_variance)) < 1e-5);
}

#[test]
fn the_conv_copys_feature_maps_are_burns_stage_by_stage() {
    let device = crate::device();
    let config = ConvAutoencoderConfig::new(5).with_channels_7(6);
    let burn = config.init(&device);
    let network = crate::model::Network::Conv(burn);
    let header = Header {
        architecture: Architecture::Conv(config),
        provenance: String::new(),
    };
    let model =
        InferenceModel::from_tensors(header, model_file::tensors_of(&network).unwrap()).unwrap();
    let crate::model::Network::Conv(burn) = network.valid() else {
        unreachable!("built as the conv network")
    };
    let image: Vec<f32> = (0..PIXELS).map(|i| ((i * 7) % 13) as f32 / 13.0).collect();
    let stages = burn.stages(images_tensor(&image, 1, &device));
    let expected = [
        image.clone(),
        to_vec(stages.down_14),
        to_vec(stages.down_7),
        to_vec(stages.code),
        to_vec(stages.up_7),
        to_vec(stages.up_14),
        to_vec(stages.output),
    ];
    let maps = model.feature_maps(&image).unwrap();
    assert_eq!(maps.len(), expected.len());
    for (map, burn_values) in maps.iter().zip(&expected) {
        let gap = max_abs_difference(&map.values, burn_values);
        assert!(gap < 1e-5, "{}: differs from burn by {gap}", map.name);
    }
}

/// A model file of `architecture`'s freshly initialised burn network.
fn saved(architecture: Architecture) -> Vec<u8> {
    let network = architecture.init(&crate::device());
    let header = Header {
        architecture,
        provenance: String::new(),
    };
    model_file::save(&network, &header, model_file::WeightEncoding::Half).unwrap()
}

/// The error each loader (this copy, and burn's) gives for `bytes`, or "loaded".
fn both_verdicts(bytes: &[u8]) -> [String; 2] {
    let verdict = |result: Result<()>| result.err().map_or("loaded".into(), |e| e.to_string());
    [
        verdict(InferenceModel::load(bytes).map(|_| ())),
        verdict(model_file::load(bytes, &crate::device()).map(|_| ())),
    ]
}

#[test]
fn burns_loader_refuses_what_this_copy_refuses() {
    let vae = saved(Architecture::Vae(VariationalAutoencoderConfig::new(8)));
    let model = InferenceModel::load(&vae).unwrap();
    assert!(model.is_variational());
    assert_eq!(model.sample(2, 3).unwrap().len(), 2 * PIXELS);
    let as_dense =
        r#"{"architecture":{"kind":"dense","latent_size":8,"dropout":0.5,"leaky_slope":0.3}}"#;
    for error in both_verdicts(&model_file::tests::with_header(&vae, as_dense)) {
        assert!(
            error.contains("its weights are a vae autoencoder's"),
            "{error}"
        );
    }

    // Finite biases so large that the arithmetic overflows (found by fuzzing).
    let dense = saved(Architecture::Dense(DenseAutoencoderConfig::new(3)));
    let mut file = model_file::read(&dense).unwrap();
    for tensor in file.tensors.iter_mut().filter(|t| t.name.ends_with("bias")) {
        if let model_file::Values::Float(values) = &mut tensor.values {
            values.iter_mut().enumerate().for_each(|(i, v)| {
                *v = if i % 2 == 0 { 3e38 } else { -3e38 };
            });
        }
    }
    let huge = model_file::write(
        &file.header,
        &file.tensors,
        model_file::WeightEncoding::Half,
    )
    .unwrap();
    for error in both_verdicts(&huge) {
        assert!(error.contains("too large to compute with"), "{error}");
    }
}
