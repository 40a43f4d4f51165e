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
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
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
    use strum::VariantArray;

    #[test]
    fn kinds_are_named_one_way_everywhere() {
        let names: Vec<&str> = ArchitectureKind::VARIANTS
            .iter()
            .map(|&kind| kind.into())
            .collect();
        assert_eq!(names, ["dense", "conv", "vae"]);
        for &kind in ArchitectureKind::VARIANTS {
            assert_eq!(kind.to_string().parse::<ArchitectureKind>().unwrap(), kind);
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
            #[cfg(not(target_arch = "wasm32"))]
            {
                let cli = <ArchitectureKind as clap::ValueEnum>::from_str(&kind.to_string(), false);
                assert_eq!(cli.unwrap(), kind);
            }
        }
        assert!("capsule".parse::<ArchitectureKind>().is_err());
        let conv = Architecture::Conv(ConvAutoencoderConfig::new(8));
        assert_eq!(conv.kind(), ArchitectureKind::Conv);
        let json = serde_json::to_value(&conv).unwrap();
        assert_eq!(json["kind"], "conv");
    }
}
