//! The inference copies on small plain networks: shapes, bad input, weights that do not fit or
//! overflow, and what a variational model adds.

use super::*;
use crate::architecture::{
    ConvAutoencoderConfig, DenseAutoencoderConfig, VariationalAutoencoderConfig,
};

/// A network of `architecture` with small deterministic weights, without burn.
fn plain_model(architecture: Architecture) -> InferenceModel {
    let (header, tensors) = plain_tensors(architecture, 1.0);
    InferenceModel::from_tensors(header, tensors).unwrap()
}

/// The header and tensors of [`plain_model`], every weight times `scale`.
fn plain_tensors(architecture: Architecture, scale: f32) -> (Header, Vec<NamedTensor>) {
    let mut tensors = Vec::new();
    let mut add = |name: String, dims: Vec<usize>| {
        let count: usize = dims.iter().product();
        let values = (0..count)
            .map(|i| scale * (((i * 7919 + name.len() * 31) % 97) as f32 - 48.0) / 480.0)
            .collect();
        tensors.push(NamedTensor::float(name, dims, values));
    };
    match &architecture {
        Architecture::Dense(config) => {
            for (part, widths) in [
                ("encoder", config.encoder_widths()),
                ("decoder", config.decoder_widths()),
            ] {
                for (index, pair) in widths.windows(2).enumerate() {
                    add(format!("{part}.{index}.weight"), vec![pair[0], pair[1]]);
                    add(format!("{part}.{index}.bias"), vec![pair[1]]);
                }
            }
        }
        Architecture::Conv(config) => {
            let (c1, c2, flat, l) = (
                config.channels_14,
                config.channels_7,
                config.flat_size(),
                config.latent_size,
            );
            for (path, inputs, outputs) in [
                ("down_14", 1, c1),
                ("down_7", c1, c2),
                ("up_14", c2, c1),
                ("up_28", c1, 1),
            ] {
                add(format!("{path}.weight"), vec![outputs, inputs, 3, 3]);
                add(format!("{path}.bias"), vec![outputs]);
            }
            for (path, inputs, outputs) in [("to_code", flat, l), ("from_code", l, flat)] {
                add(format!("{path}.weight"), vec![inputs, outputs]);
                add(format!("{path}.bias"), vec![outputs]);
            }
        }
        Architecture::Vae(config) => {
            for (part, widths) in [
                ("encoder", config.trunk_widths()),
                ("decoder", config.decoder_widths()),
            ] {
                for (index, pair) in widths.windows(2).enumerate() {
                    add(format!("{part}.{index}.weight"), vec![pair[0], pair[1]]);
                    add(format!("{part}.{index}.bias"), vec![pair[1]]);
                }
            }
            for head in ["mean", "log_variance"] {
                add(format!("{head}.weight"), vec![64, config.latent_size]);
                add(format!("{head}.bias"), vec![config.latent_size]);
            }
        }
    }
    let header = Header {
        architecture,
        provenance: String::new(),
    };
    (header, tensors)
}

/// Found by fuzzing (`pkg-scripts/fuzz.sh`, target model_file): finite weights so large that
/// the arithmetic overflows loaded, and rebuilt every image as NaN.
#[test]
fn weights_that_overflow_are_refused_when_loaded() {
    for architecture in [
        Architecture::Dense(DenseAutoencoderConfig::new(3)),
        Architecture::Conv(ConvAutoencoderConfig::new(4)),
        Architecture::Vae(VariationalAutoencoderConfig::new(3)),
    ] {
        let (header, tensors) = plain_tensors(architecture, 1e30);
        let error = InferenceModel::from_tensors(header, tensors)
            .err()
            .expect("overflowing weights loaded")
            .to_string();
        assert!(error.contains("too large"), "{error}");
    }
}

#[test]
fn samples_are_seeded_decoded_draws_from_the_prior() {
    let vae = plain_model(Architecture::Vae(VariationalAutoencoderConfig::new(3)));
    assert!(vae.is_variational());
    let first = vae.sample(4, 9).unwrap();
    assert_eq!(first.len(), 4 * PIXELS);
    assert_eq!(first, vae.sample(4, 9).unwrap(), "same seed, same images");
    assert_ne!(first, vae.sample(4, 10).unwrap());
    // Draw k is the decoding of the k-th triple of standard normals from the seed.
    let mut rng = SplitMix64::new(9);
    let codes: Vec<Vec<f32>> = (0..4)
        .map(|_| (0..3).map(|_| rng.standard_normal() as f32).collect())
        .collect();
    assert_eq!(
        first[2 * PIXELS..3 * PIXELS],
        vae.decode(&codes[2]).unwrap()
    );
    for count in [0, MAX_SAMPLES + 1] {
        assert!(vae.sample(count, 1).is_err());
    }
}

#[test]
fn a_variational_code_is_a_distribution_around_the_code_it_rebuilds_from() {
    let vae = plain_model(Architecture::Vae(VariationalAutoencoderConfig::new(3)));
    let image: Vec<f32> = (0..PIXELS).map(|i| (i % 5) as f32 / 5.0).collect();
    let code = vae.encode_distribution(&image).unwrap();
    assert_eq!(code.mean, vae.encode(&image).unwrap());
    assert_eq!(code.log_variance.len(), 3);
    assert!(vae.encode_distribution(&image[..10]).is_err());
    // −ELBO: the summed BCE of the mean's rebuilding plus the KL term, which is ≥ 0.
    let score = vae.negative_elbo(&image).unwrap()[0] as f64;
    let rebuilt = vae.reconstruct(&image).unwrap();
    let cross_entropy = crate::util::metrics::Metrics::between(&rebuilt, &image).bce * 784.0;
    assert!(score >= cross_entropy - 1e-3, "{score} < {cross_entropy}");
    let kl: f64 = code
        .mean
        .iter()
        .zip(&code.log_variance)
        .map(|(&m, &v)| 0.5 * (m as f64 * m as f64 + (v as f64).exp() - 1.0 - v as f64))
        .sum();
    assert!(
        (score - cross_entropy - kl).abs() < 1e-2,
        "{score} vs {cross_entropy} + {kl}"
    );
}

#[test]
fn a_plain_model_says_why_it_cannot_sample_or_give_a_distribution() {
    let plain = tiny_model();
    assert!(!plain.is_variational());
    let error = plain.sample(3, 1).unwrap_err().to_string();
    assert!(error.contains("needs a variational model"), "{error}");
    assert!(error.contains("plain dense autoencoder"), "{error}");
    assert!(plain.encode_distribution(&[0.0; PIXELS]).is_err());
    assert!(plain.negative_elbo(&[0.0; PIXELS]).is_err());
}

#[test]
fn weights_under_another_architectures_header_are_named_as_such() {
    let (_, vae_tensors) =
        plain_tensors(Architecture::Vae(VariationalAutoencoderConfig::new(3)), 1.0);
    for claimed in [
        Architecture::Dense(DenseAutoencoderConfig::new(3)),
        Architecture::Conv(ConvAutoencoderConfig::new(3)),
    ] {
        let header = Header {
            architecture: claimed,
            provenance: String::new(),
        };
        let error = InferenceModel::from_tensors(header, vae_tensors.clone())
            .err()
            .expect("a VAE's weights loaded as another network")
            .to_string();
        assert!(error.contains("weights are a vae autoencoder's"), "{error}");
    }
}

fn tiny_model() -> InferenceModel {
    plain_model(Architecture::Dense(DenseAutoencoderConfig::new(3)))
}

#[test]
fn shapes_and_bad_input() {
    let model = tiny_model();
    assert_eq!(model.encode(&[0.2; PIXELS]).unwrap().len(), 3);
    assert_eq!(model.decode(&[0.1, 0.2, 0.3]).unwrap().len(), PIXELS);
    assert_eq!(model.reconstruct(&[0.0; PIXELS]).unwrap().len(), PIXELS);
    assert!(
        model
            .encode(&[0.2; 783])
            .unwrap_err()
            .to_string()
            .contains("783")
    );
    assert!(
        model
            .decode(&[0.1, 0.2])
            .unwrap_err()
            .to_string()
            .contains("exactly 3")
    );
    assert!(model.decode(&[0.1, f32::INFINITY, 0.3]).is_err());
    assert!(
        model
            .reconstruct(&[])
            .unwrap_err()
            .to_string()
            .contains("0 numbers")
    );
}

#[test]
fn weights_that_do_not_fit_the_header_are_refused() {
    let model = tiny_model();
    let fitting = |mut tensors: Vec<NamedTensor>, edit: &dyn Fn(&mut Vec<NamedTensor>)| {
        edit(&mut tensors);
        let header = model.header().clone();
        match InferenceModel::from_tensors(header, tensors) {
            Ok(_) => panic!("weights that do not fit were taken"),
            Err(e) => e.to_string(),
        }
    };
    let tensors = dense_tensors(3);
    assert!(
        fitting(tensors.clone(), &|t| {
            t.remove(0);
        })
        .contains("missing tensor encoder.0.weight")
    );
    assert!(
        fitting(tensors.clone(), &|t| t[0].dims = vec![784, 511])
            .contains("encoder.0.weight is [784, 511]")
    );
    assert!(
        fitting(tensors, &|t| t.push(NamedTensor::float(
            "extra",
            vec![1],
            vec![0.0]
        )))
        .contains("unexpected tensors [\"extra\"]")
    );
}

fn dense_tensors(latent: usize) -> Vec<NamedTensor> {
    let config = DenseAutoencoderConfig::new(latent);
    let mut tensors = Vec::new();
    for (part, widths) in [
        ("encoder", config.encoder_widths()),
        ("decoder", config.decoder_widths()),
    ] {
        for (index, pair) in widths.windows(2).enumerate() {
            tensors.push(NamedTensor::float(
                format!("{part}.{index}.weight"),
                vec![pair[0], pair[1]],
                vec![0.01; pair[0] * pair[1]],
            ));
            tensors.push(NamedTensor::float(
                format!("{part}.{index}.bias"),
                vec![pair[1]],
                vec![0.0; pair[1]],
            ));
        }
    }
    tensors
}

#[test]
fn encode_many_is_encode_row_by_row() {
    let model = tiny_model();
    let first: Vec<f32> = (0..PIXELS).map(|i| (i % 7) as f32 / 7.0).collect();
    let second: Vec<f32> = (0..PIXELS).map(|i| (i % 3) as f32 / 3.0).collect();
    let both = model
        .encode_many(&[first.clone(), second.clone()].concat())
        .unwrap();
    let expected = [
        model.encode(&first).unwrap(),
        model.encode(&second).unwrap(),
    ]
    .concat();
    assert_eq!(both, expected);
    assert!(model.encode_many(&first[..700]).is_err());
    assert!(model.encode_many(&[2.0; PIXELS]).is_err());
}

#[test]
fn the_conv_model_gives_its_feature_maps_and_the_dense_one_says_it_has_none() {
    let conv = plain_model(Architecture::Conv(ConvAutoencoderConfig::new(4)));
    let image: Vec<f32> = (0..PIXELS).map(|i| (i % 9) as f32 / 9.0).collect();
    let stages = conv.feature_maps(&image).unwrap();
    let shapes: Vec<(usize, usize)> = stages.iter().map(|s| (s.channels, s.side)).collect();
    assert_eq!(
        shapes,
        [
            (1, 28),
            (16, 14),
            (32, 7),
            (1, 0),
            (32, 7),
            (16, 14),
            (1, 28)
        ]
    );
    for stage in &stages {
        let expected = if stage.side == 0 {
            4
        } else {
            stage.channels * stage.side * stage.side
        };
        assert_eq!(stage.values.len(), expected, "{}", stage.name);
    }
    assert_eq!(stages[3].values, conv.encode(&image).unwrap());
    assert_eq!(stages[6].values, conv.reconstruct(&image).unwrap());
    assert_eq!(conv.decode(&[0.5; 4]).unwrap().len(), PIXELS);
    assert_eq!(
        conv.encode_many(&[image.clone(), image.clone()].concat())
            .unwrap()
            .len(),
        8
    );
    assert!(
        tiny_model()
            .feature_maps(&image)
            .unwrap_err()
            .to_string()
            .contains("convolutional")
    );
}
