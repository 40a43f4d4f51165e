//! The variational autoencoder, in burn (its config: `architecture::variational`).
//!
//! ```text
//! trunk:   784 → 512 → 256 → 128 → 64          (Dense, LeakyReLU)
//! heads:   64 → L mean μ, 64 → L log-variance  (linear)
//! decoder: L → 64 → 128 → 256 → 512 → 784      (Dense, LeakyReLU; sigmoid output)
//! ```

use burn::nn::{LeakyRelu, LeakyReluConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::Distribution;

use super::dense::decode_through;
use crate::architecture::VariationalAutoencoderConfig;

impl VariationalAutoencoderConfig {
    /// Builds a freshly initialised model on `device`.
    pub fn init(&self, device: &Device) -> VariationalAutoencoder {
        let stack = |widths: Vec<usize>| -> Vec<Linear> {
            widths
                .windows(2)
                .map(|pair| LinearConfig::new(pair[0], pair[1]).init(device))
                .collect()
        };
        let head = || LinearConfig::new(self.trunk_width(), self.latent_size).init(device);
        VariationalAutoencoder {
            encoder: stack(self.trunk_widths()),
            mean: head(),
            log_variance: head(),
            decoder: stack(self.decoder_widths()),
            activation: LeakyReluConfig::new()
                .with_negative_slope(self.leaky_slope)
                .init(),
        }
    }
}

/// The variational autoencoder. Build it with [`VariationalAutoencoderConfig::init`].
#[derive(Module, Debug)]
pub struct VariationalAutoencoder {
    encoder: Vec<Linear>,
    mean: Linear,
    log_variance: Linear,
    decoder: Vec<Linear>,
    activation: LeakyRelu,
}

/// What the encoder says of a batch of images: a diagonal Gaussian per image.
pub struct CodeDistribution {
    /// `[batch, L]`: the means μ.
    pub mean: Tensor<2>,
    /// `[batch, L]`: the log-variances log σ².
    pub log_variance: Tensor<2>,
}

impl CodeDistribution {
    /// One draw per image, `μ + σ·ε` with ε ~ N(0, I) from the device's seeded generator: the
    /// reparameterisation trick, through which gradients reach μ and log σ².
    ///
    /// # Shapes
    /// - returns: `[batch, L]`
    pub fn sample(&self) -> Tensor<2> {
        let noise = self.mean.random_like(Distribution::Normal(0.0, 1.0));
        self.mean.clone() + (self.log_variance.clone() * 0.5).exp() * noise
    }
}

impl VariationalAutoencoder {
    /// Width of the code.
    pub fn latent_size(&self) -> usize {
        self.mean.weight.dims()[1]
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`, pixels in 0…1, 1 = ink
    pub fn encode_distribution(&self, images: Tensor<2>) -> CodeDistribution {
        let features = self
            .encoder
            .iter()
            .fold(images, |x, layer| self.activation.forward(layer.forward(x)));
        CodeDistribution {
            mean: self.mean.forward(features.clone()),
            log_variance: self.log_variance.forward(features),
        }
    }

    /// The code that stands for an image when it is rebuilt: the distribution's mean.
    ///
    /// # Shapes
    /// - `images`: `[batch, 784]`
    /// - returns: `[batch, L]`
    pub fn encode(&self, images: Tensor<2>) -> Tensor<2> {
        self.encode_distribution(images).mean
    }

    /// # Shapes
    /// - `codes`: `[batch, L]`
    /// - returns: `[batch, 784]`, pixels in 0…1
    pub fn decode(&self, codes: Tensor<2>) -> Tensor<2> {
        decode_through(&self.decoder, &self.activation, &[], codes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::image::PIXELS;

    #[test]
    fn shapes_and_parameter_count() {
        let device = crate::device();
        let config = VariationalAutoencoderConfig::new(6);
        let model = config.init(&device);
        assert_eq!(model.num_params(), config.parameter_count());
        let images = Tensor::<2>::ones([3, PIXELS], &device) * 0.5;
        let distribution = model.encode_distribution(images.clone());
        assert_eq!(distribution.mean.dims(), [3, 6]);
        assert_eq!(distribution.log_variance.dims(), [3, 6]);
        assert_eq!(distribution.sample().dims(), [3, 6]);
        assert_eq!(model.decode(model.encode(images)).dims(), [3, PIXELS]);
        assert_eq!(model.latent_size(), 6);
    }

    #[test]
    fn a_draw_is_spread_by_the_variance_around_the_mean() {
        let device = crate::device();
        device.seed(3);
        let mean = Tensor::<2>::ones([1, 20_000], &device) * 2.0;
        // log σ² = ln 0.25: σ = 0.5.
        let log_variance = Tensor::<2>::ones([1, 20_000], &device) * 0.25f32.ln();
        let draws = CodeDistribution { mean, log_variance }
            .sample()
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let n = draws.len() as f32;
        let average = draws.iter().sum::<f32>() / n;
        let spread = (draws.iter().map(|d| (d - average).powi(2)).sum::<f32>() / n).sqrt();
        assert!((average - 2.0).abs() < 0.02, "mean {average}");
        assert!((spread - 0.5).abs() < 0.02, "σ {spread}");
    }
}
