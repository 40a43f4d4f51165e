//! The autoencoder architectures. They know tensors and layers, nothing of files or browsers.

pub mod conv;
pub mod dense;
pub mod dense_inference;

use burn::prelude::*;

pub use conv::{ConvAutoencoder, ConvAutoencoderConfig, ConvStages};
pub use dense::{DenseAutoencoder, DenseAutoencoderConfig};
pub use dense_inference::DenseInference;

/// Smallest latent size the page and the model files accept.
pub const MIN_LATENT: usize = 2;
/// Largest latent size the page and the model files accept.
pub const MAX_LATENT: usize = 128;
/// Keras's default LeakyReLU slope: the course note uses `tf.keras` defaults.
pub const KERAS_LEAKY_SLOPE: f64 = 0.3;

/// Checks what every architecture's config shares: the code width and LeakyReLU's slope.
pub(crate) fn validate_common(latent_size: usize, leaky_slope: f64) -> crate::Result<()> {
    if !(MIN_LATENT..=MAX_LATENT).contains(&latent_size) {
        return Err(crate::Error::InvalidOptions(format!(
            "latent size {latent_size} is outside {MIN_LATENT}…{MAX_LATENT}"
        )));
    }
    if !(0.0..=1.0).contains(&leaky_slope) {
        return Err(crate::Error::InvalidOptions(format!(
            "LeakyReLU slope {leaky_slope} is outside [0, 1]"
        )));
    }
    Ok(())
}

/// A network of either architecture, so that training, files and inference need not care
/// which one they hold.
// The conv variant's 1.3 KB of layer configs sit inline: there is one Network per loaded model
// and it is rarely moved, so boxing it would save nothing that matters.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
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
        match self {
            Self::Dense(model) => model.forward(images),
            Self::Conv(model) => model.forward(images),
        }
    }

    /// The same weights for inference: off the autodiff graph, dropout off.
    pub fn valid(&self) -> Self {
        match self {
            Self::Dense(model) => Self::Dense(model.valid()),
            Self::Conv(model) => Self::Conv(model.valid()),
        }
    }

    /// The devices the weights live on.
    pub fn devices(&self) -> Vec<Device> {
        match self {
            Self::Dense(model) => model.devices(),
            Self::Conv(model) => model.devices(),
        }
    }
}
