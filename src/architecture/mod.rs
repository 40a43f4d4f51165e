//! The autoencoder architectures as plain configs: which network, its code width and its
//! settings. The file format, the trainer, the CLI, the manifest, the inference code and the
//! page all describe a network with [`Architecture`]; burn builds its layers from it in
//! `model` (which only the training build has), the plain-Rust inference in `inference`.
//!
//! Adding an architecture: its config in `xxx.rs` (`validate`, `parameter_count`,
//! `stage_sizes`), one variant in [`ArchitectureKind`] and [`Architecture`], its burn layers in
//! `model/` and its inference in `inference/`; the compiler lists every `match` that needs an arm.

pub mod conv;
pub mod dense;
pub mod variational;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use conv::ConvAutoencoderConfig;
pub use dense::DenseAutoencoderConfig;
pub use variational::VariationalAutoencoderConfig;

use crate::util::error::{Error, Result};

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

/// Which network, by name: `"dense"`, `"conv"` or `"vae"` wherever it is written (JSON, the CLI, the
/// page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArchitectureKind {
    /// The course note's dense autoencoder.
    #[default]
    Dense,
    /// The convolutional autoencoder (strided convolutions down, upsampling and convolutions up).
    Conv,
    /// The variational autoencoder: the dense network with a mean and a log-variance head.
    Vae,
}

impl ArchitectureKind {
    /// Every kind, for listing the choices.
    pub const ALL: [ArchitectureKind; 3] = [Self::Dense, Self::Conv, Self::Vae];

    /// The kind's name, as JSON, the CLI and the page write it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dense => "dense",
            Self::Conv => "conv",
            Self::Vae => "vae",
        }
    }
}

impl ArchitectureKind {
    /// A tensor that only this architecture's model files hold, to tell whose weights a file
    /// has when its header disagrees.
    pub fn signature_tensor(self) -> &'static str {
        match self {
            // The code layer: the variational trunk stops one layer earlier, at encoder.3.
            Self::Dense => "encoder.4.weight",
            Self::Conv => "down_14.weight",
            Self::Vae => "log_variance.weight",
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
    /// The variational autoencoder.
    Vae(VariationalAutoencoderConfig),
}

impl Architecture {
    /// Which network this is.
    pub fn kind(&self) -> ArchitectureKind {
        match self {
            Self::Dense(_) => ArchitectureKind::Dense,
            Self::Conv(_) => ArchitectureKind::Conv,
            Self::Vae(_) => ArchitectureKind::Vae,
        }
    }

    /// Whether the network is variational: it encodes a distribution and can sample its prior.
    pub fn is_variational(&self) -> bool {
        matches!(self, Self::Vae(_))
    }

    /// Width of the code.
    pub fn latent_size(&self) -> usize {
        match self {
            Self::Dense(config) => config.latent_size,
            Self::Conv(config) => config.latent_size,
            Self::Vae(config) => config.latent_size,
        }
    }

    /// Number of trainable parameters.
    pub fn parameter_count(&self) -> usize {
        match self {
            Self::Dense(config) => config.parameter_count(),
            Self::Conv(config) => config.parameter_count(),
            Self::Vae(config) => config.parameter_count(),
        }
    }

    /// Numbers per image at every stage, from the input through the code to the output:
    /// `[784, 512, 256, 128, 64, L, 64, 128, 256, 512, 784]` for the dense network.
    pub fn stage_sizes(&self) -> Vec<usize> {
        match self {
            Self::Dense(config) => config.stage_sizes(),
            Self::Conv(config) => config.stage_sizes(),
            Self::Vae(config) => config.stage_sizes(),
        }
    }

    /// Rejects configs the page and the model files do not support.
    pub fn validate(&self) -> Result<()> {
        match self {
            Self::Dense(config) => config.validate(),
            Self::Conv(config) => config.validate(),
            Self::Vae(config) => config.validate(),
        }
    }
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
}
