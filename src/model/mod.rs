//! The autoencoder architectures as burn modules: the layers that [`Architecture`] describes,
//! which the trainer trains and the model files fill. Only the training build has them; they
//! know tensors and layers, nothing of files or browsers.
//!
//! Each architecture's `xxx.rs` adds `init` to its config and defines `XxxAutoencoder`
//! (`encode`, `decode`); [`Network`] holds either.

pub mod classifier;
pub mod conv;
pub mod dense;
pub mod variational;

use burn::prelude::*;

pub use classifier::EncoderClassifier;
pub use conv::{ConvAutoencoder, ConvStages};
pub use dense::DenseAutoencoder;
pub use variational::{CodeDistribution, VariationalAutoencoder};

pub use crate::architecture::{
    Architecture, ArchitectureKind, ConvAutoencoderConfig, DenseAutoencoderConfig,
    VariationalAutoencoderConfig,
};
use crate::util::image::PIXELS;

impl Architecture {
    /// A freshly initialised network of this architecture on `device`.
    pub fn init(&self, device: &Device) -> Network {
        match self {
            Self::Dense(config) => Network::Dense(config.init(device)),
            Self::Conv(config) => Network::Conv(config.init(device)),
            Self::Vae(config) => Network::Variational(config.init(device)),
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
    /// The variational autoencoder.
    Variational(VariationalAutoencoder),
}

impl Network {
    /// Width of the code.
    pub fn latent_size(&self) -> usize {
        match self {
            Self::Dense(model) => model.latent_size(),
            Self::Conv(model) => model.latent_size(),
            Self::Variational(model) => model.latent_size(),
        }
    }

    /// The code an image is rebuilt from (a variational network's mean).
    ///
    /// # Shapes
    /// - `images`: `[batch, 784]`, pixels in 0…1, 1 = ink
    /// - returns: `[batch, L]`
    pub fn encode(&self, images: Tensor<2>) -> Tensor<2> {
        match self {
            Self::Dense(model) => model.encode(images),
            Self::Conv(model) => model.encode(images),
            Self::Variational(model) => model.encode(images),
        }
    }

    /// # Shapes
    /// - `codes`: `[batch, L]`
    /// - returns: `[batch, 784]`, pixels in 0…1
    pub fn decode(&self, codes: Tensor<2>) -> Tensor<2> {
        match self {
            Self::Dense(model) => model.decode(codes),
            Self::Conv(model) => model.decode(codes),
            Self::Variational(model) => model.decode(codes),
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
    fn the_derived_module_counts_and_validates_either_network() {
        let device = crate::device();
        for architecture in [
            Architecture::Dense(DenseAutoencoderConfig::new(4)),
            Architecture::Conv(ConvAutoencoderConfig::new(4)),
            Architecture::Vae(VariationalAutoencoderConfig::new(4)),
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
