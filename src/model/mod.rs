//! The autoencoder architectures, defined once with burn: their configs ([`Architecture`],
//! which the file format, the trainer, the CLI, the manifest and the page all use) and their
//! layers ([`Network`]). They know tensors and layers, nothing of files or browsers.
//!
//! Adding an architecture: a `xxx.rs` with `XxxAutoencoderConfig` (`validate`, `init`,
//! `parameter_count`, `stage_sizes`) and `XxxAutoencoder` (`encode`, `decode`), then one variant
//! in [`ArchitectureKind`], [`Architecture`] and [`Network`]; the compiler lists every `match`
//! that needs an arm.

pub mod conv;
pub mod dense;

use std::fmt;
use std::str::FromStr;

use burn::prelude::*;
use serde::{Deserialize, Serialize};

pub use conv::{ConvAutoencoder, ConvAutoencoderConfig, ConvStages};
pub use dense::{DenseAutoencoder, DenseAutoencoderConfig};

use crate::util::error::{Error, Result};
use crate::util::image::PIXELS;

/// Smallest latent size the page and the model files accept.
pub const MIN_LATENT: usize = 2;
/// Largest latent size the page and the model files accept.
pub const MAX_LATENT: usize = 128;
/// Keras's default LeakyReLU slope: the course note uses `tf.keras` defaults.
pub const KERAS_LEAKY_SLOPE: f64 = 0.3;

/// Checks what every architecture's config shares: the code width and LeakyReLU's slope.
fn validate_common(latent_size: usize, leaky_slope: f64) -> Result<()> {
    if !(MIN_LATENT..=MAX_LATENT).contains(&latent_size) {
        return Err(Error::InvalidOptions(format!(
            "latent size {latent_size} is outside {MIN_LATENT}…{MAX_LATENT}"
        )));
    }
    if !(0.0..=1.0).contains(&leaky_slope) {
        return Err(Error::InvalidOptions(format!(
            "LeakyReLU slope {leaky_slope} is outside [0, 1]"
        )));
    }
    Ok(())
}

/// Which network, by name: `"dense"` or `"conv"` wherever it is written (JSON, the CLI, the
/// page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArchitectureKind {
    /// The course note's dense autoencoder.
    #[default]
    Dense,
    /// The convolutional autoencoder (strided convolutions down, upsampling and convolutions up).
    Conv,
}

impl ArchitectureKind {
    /// Every kind, for listing the choices.
    pub const ALL: [ArchitectureKind; 2] = [Self::Dense, Self::Conv];

    /// The kind's name, as JSON, the CLI and the page write it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dense => "dense",
            Self::Conv => "conv",
        }
    }
}

impl fmt::Display for ArchitectureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ArchitectureKind {
    type Err = String;

    fn from_str(name: &str) -> std::result::Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|k| k.name()).collect();
                format!("unknown architecture {name:?}: choose one of {names:?}")
            })
    }
}

/// An architecture with its config: everything needed to rebuild a network. Serialised with
/// its kind as a tag: `{"kind": "dense", "latent_size": 32, …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Architecture {
    /// The course note's dense autoencoder.
    Dense(DenseAutoencoderConfig),
    /// The convolutional autoencoder.
    Conv(ConvAutoencoderConfig),
}

impl Architecture {
    /// Which network this is.
    pub fn kind(&self) -> ArchitectureKind {
        match self {
            Self::Dense(_) => ArchitectureKind::Dense,
            Self::Conv(_) => ArchitectureKind::Conv,
        }
    }

    /// Width of the code.
    pub fn latent_size(&self) -> usize {
        match self {
            Self::Dense(config) => config.latent_size,
            Self::Conv(config) => config.latent_size,
        }
    }

    /// Number of trainable parameters.
    pub fn parameter_count(&self) -> usize {
        match self {
            Self::Dense(config) => config.parameter_count(),
            Self::Conv(config) => config.parameter_count(),
        }
    }

    /// Numbers per image at every stage, from the input through the code to the output:
    /// `[784, 512, 256, 128, 64, L, 64, 128, 256, 512, 784]` for the dense network.
    pub fn stage_sizes(&self) -> Vec<usize> {
        match self {
            Self::Dense(config) => config.stage_sizes(),
            Self::Conv(config) => config.stage_sizes(),
        }
    }

    /// Rejects configs the page and the model files do not support.
    pub fn validate(&self) -> Result<()> {
        match self {
            Self::Dense(config) => config.validate(),
            Self::Conv(config) => config.validate(),
        }
    }

    /// A freshly initialised network of this architecture on `device`.
    pub fn init(&self, device: &Device) -> Network {
        match self {
            Self::Dense(config) => Network::Dense(config.init(device)),
            Self::Conv(config) => Network::Conv(config.init(device)),
        }
    }
}

/// A network of either architecture, so that training, files and inference need not care
/// which one they hold. burn's `Module` derive gives it `valid`, `devices`, the optimiser's
/// step and the parameter count, variant by variant.
// The conv variant's 1.3 KB of layer configs sit inline: there is one Network per loaded model
// and it is rarely moved, so boxing it would save nothing that matters.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Network {
    /// The course note's dense autoencoder.
    Dense(DenseAutoencoder),
    /// The convolutional autoencoder.
    Conv(ConvAutoencoder),
}

impl Network {
    /// Width of the code.
    pub fn latent_size(&self) -> usize {
        match self {
            Self::Dense(model) => model.latent_size(),
            Self::Conv(model) => model.latent_size(),
        }
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`, pixels in 0…1, 1 = ink
    /// - returns: `[batch, L]`
    pub fn encode(&self, images: Tensor<2>) -> Tensor<2> {
        match self {
            Self::Dense(model) => model.encode(images),
            Self::Conv(model) => model.encode(images),
        }
    }

    /// # Shapes
    /// - `codes`: `[batch, L]`
    /// - returns: `[batch, 784]`, pixels in 0…1
    pub fn decode(&self, codes: Tensor<2>) -> Tensor<2> {
        match self {
            Self::Dense(model) => model.decode(codes),
            Self::Conv(model) => model.decode(codes),
        }
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`
    /// - returns: `[batch, 784]`
    pub fn forward(&self, images: Tensor<2>) -> Tensor<2> {
        self.decode(self.encode(images))
    }

    /// The device the weights live on.
    pub fn device(&self) -> Device {
        self.devices()
            .first()
            .cloned()
            .unwrap_or_else(crate::device)
    }
}

/// `rows` × 784 pixels as a `[rows, 784]` tensor on `device`.
pub fn images_tensor(pixels: &[f32], rows: usize, device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(pixels.to_vec(), [rows, PIXELS]), device)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_named_one_way_everywhere() {
        for kind in ArchitectureKind::ALL {
            assert_eq!(kind.name().parse::<ArchitectureKind>().unwrap(), kind);
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
        }
        assert!(
            "capsule"
                .parse::<ArchitectureKind>()
                .unwrap_err()
                .contains("dense")
        );
        let conv = Architecture::Conv(ConvAutoencoderConfig::new(8));
        assert_eq!(conv.kind(), ArchitectureKind::Conv);
        let json = serde_json::to_value(&conv).unwrap();
        assert_eq!(json["kind"], "conv");
    }

    #[test]
    fn the_derived_module_counts_and_validates_either_network() {
        let device = crate::device();
        for architecture in [
            Architecture::Dense(DenseAutoencoderConfig::new(4)),
            Architecture::Conv(ConvAutoencoderConfig::new(4)),
        ] {
            let network = architecture.init(&device);
            assert_eq!(network.num_params(), architecture.parameter_count());
            assert_eq!(network.latent_size(), 4);
            let output = network
                .valid()
                .forward(images_tensor(&[0.5; PIXELS], 1, &device));
            assert_eq!(output.dims(), [1, PIXELS]);
        }
    }
}
