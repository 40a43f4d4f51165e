//! The course note's dense autoencoder.
//!
//! ```text
//! encoder: 784 → 512 → 256 → 128 → 64 → L     (Dense, LeakyReLU, Dropout between hidden layers)
//! decoder:   L → 64 → 128 → 256 → 512 → 784   (mirrored; sigmoid output, a 28×28 image)
//! ```
//!
//! As in the note, every Dense layer is followed by LeakyReLU (the latent one too), and every
//! hidden activation by Dropout; the latent code and the output are not dropped out.

use burn::nn::{Dropout, DropoutConfig, LeakyRelu, LeakyReluConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::sigmoid;

use super::KERAS_LEAKY_SLOPE;
use crate::util::error::Error;
use crate::util::image::PIXELS;

/// Widths of the encoder's hidden layers, input side first; the decoder uses them reversed.
pub const HIDDEN_WIDTHS: [usize; 4] = [512, 256, 128, 64];

/// Architecture of a [`DenseAutoencoder`]. Everything needed to rebuild it from a model file.
#[derive(Config, Debug, PartialEq)]
pub struct DenseAutoencoderConfig {
    /// Width of the bottleneck code (L).
    pub latent_size: usize,
    /// Dropout rate after each hidden layer, used in training only (the course note: 0.5).
    #[config(default = 0.5)]
    pub dropout: f64,
    /// Slope of LeakyReLU for negative inputs.
    #[config(default = "KERAS_LEAKY_SLOPE")]
    pub leaky_slope: f64,
}

impl DenseAutoencoderConfig {
    /// The course note's model: its layers, Dropout 0.5 and Keras's LeakyReLU slope.
    pub fn course_note(latent_size: usize) -> Self {
        Self::new(latent_size)
    }

    /// Rejects configurations the page and the model files do not support.
    pub fn validate(&self) -> crate::Result<()> {
        super::validate_common(self.latent_size, self.leaky_slope)?;
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(Error::InvalidOptions(format!(
                "dropout {} is outside [0, 1)",
                self.dropout
            )));
        }
        Ok(())
    }

    /// Layer widths from the input to the code: `[784, 512, 256, 128, 64, L]`.
    pub fn encoder_widths(&self) -> Vec<usize> {
        let mut widths = vec![PIXELS];
        widths.extend(HIDDEN_WIDTHS);
        widths.push(self.latent_size);
        widths
    }

    /// Layer widths from the code to the output: `[L, 64, 128, 256, 512, 784]`.
    pub fn decoder_widths(&self) -> Vec<usize> {
        let mut widths = self.encoder_widths();
        widths.reverse();
        widths
    }

    /// Numbers per image at every stage: `[784, 512, 256, 128, 64, L, 64, 128, 256, 512, 784]`.
    pub fn stage_sizes(&self) -> Vec<usize> {
        let mut sizes = self.encoder_widths();
        sizes.extend(&self.decoder_widths()[1..]);
        sizes
    }

    /// Number of trainable parameters (weights and biases).
    pub fn parameter_count(&self) -> usize {
        let count = |widths: Vec<usize>| -> usize {
            widths
                .windows(2)
                .map(|pair| pair[0] * pair[1] + pair[1])
                .sum()
        };
        count(self.encoder_widths()) + count(self.decoder_widths())
    }

    /// Builds a freshly initialised model on `device`.
    pub fn init(&self, device: &Device) -> DenseAutoencoder {
        let stack = |widths: Vec<usize>| -> Vec<Linear> {
            widths
                .windows(2)
                .map(|pair| LinearConfig::new(pair[0], pair[1]).init(device))
                .collect()
        };
        DenseAutoencoder {
            encoder: stack(self.encoder_widths()),
            decoder: stack(self.decoder_widths()),
            activation: LeakyReluConfig::new()
                .with_negative_slope(self.leaky_slope)
                .init(),
            dropout: DropoutConfig::new(self.dropout).init(),
        }
    }
}

/// The dense autoencoder. Build it with [`DenseAutoencoderConfig::init`].
#[derive(Module, Debug)]
pub struct DenseAutoencoder {
    encoder: Vec<Linear>,
    decoder: Vec<Linear>,
    activation: LeakyRelu,
    dropout: Dropout,
}

impl DenseAutoencoder {
    /// The encoder's Dense layers, input side first.
    pub fn encoder_layers(&self) -> &[Linear] {
        &self.encoder
    }

    /// The decoder's Dense layers, code side first.
    pub fn decoder_layers(&self) -> &[Linear] {
        &self.decoder
    }

    /// LeakyReLU's slope for negative inputs.
    pub fn leaky_slope(&self) -> f64 {
        self.activation.negative_slope
    }

    /// Width of the code.
    pub fn latent_size(&self) -> usize {
        self.encoder
            .last()
            .map_or(0, |layer| layer.weight.dims()[1])
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`, pixels in 0…1, 1 = ink
    /// - returns: `[batch, L]`
    pub fn encode(&self, images: Tensor<2>) -> Tensor<2> {
        let last = self.encoder.len() - 1;
        self.encoder
            .iter()
            .enumerate()
            .fold(images, |x, (index, layer)| {
                let x = self.activation.forward(layer.forward(x));
                if index < last {
                    self.dropout.forward(x)
                } else {
                    x
                }
            })
    }

    /// # Shapes
    /// - `codes`: `[batch, L]`
    /// - returns: `[batch, 784]`, pixels in 0…1
    pub fn decode(&self, codes: Tensor<2>) -> Tensor<2> {
        let last = self.decoder.len() - 1;
        let logits = self
            .decoder
            .iter()
            .enumerate()
            .fold(codes, |x, (index, layer)| {
                let x = layer.forward(x);
                if index < last {
                    self.dropout.forward(self.activation.forward(x))
                } else {
                    x
                }
            });
        sigmoid(logits)
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`
    /// - returns: `[batch, 784]`
    pub fn forward(&self, images: Tensor<2>) -> Tensor<2> {
        self.decode(self.encode(images))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_mirror_the_course_note() {
        let config = DenseAutoencoderConfig::course_note(32);
        assert_eq!(config.encoder_widths(), [784, 512, 256, 128, 64, 32]);
        assert_eq!(config.decoder_widths(), [32, 64, 128, 256, 512, 784]);
        assert_eq!(config.dropout, 0.5);
        assert_eq!(config.leaky_slope, 0.3);
        assert_eq!(
            config.stage_sizes(),
            [784, 512, 256, 128, 64, 32, 64, 128, 256, 512, 784]
        );
    }

    #[test]
    fn shapes_through_encode_decode() {
        let device = crate::device();
        let model = DenseAutoencoderConfig::new(8).init(&device).valid();
        let images = Tensor::<2>::ones([3, PIXELS], &device) * 0.5;
        let codes = model.encode(images.clone());
        assert_eq!(codes.dims(), [3, 8]);
        let output = model.decode(codes);
        assert_eq!(output.dims(), [3, PIXELS]);
        let values = output.into_data().try_to_vec::<f32>().unwrap();
        assert!(values.iter().all(|v| (0.0..=1.0).contains(v)));
        assert_eq!(model.latent_size(), 8);
    }

    #[test]
    fn parameter_count_matches_the_layers() {
        let config = DenseAutoencoderConfig::new(32);
        let model = config.init(&crate::device());
        assert_eq!(model.num_params(), config.parameter_count());
    }

    #[test]
    fn validate_rejects_out_of_range_configs() {
        assert!(DenseAutoencoderConfig::new(1).validate().is_err());
        assert!(DenseAutoencoderConfig::new(129).validate().is_err());
        assert!(
            DenseAutoencoderConfig::new(32)
                .with_dropout(1.0)
                .validate()
                .is_err()
        );
        assert!(
            DenseAutoencoderConfig::new(32)
                .with_dropout(-0.1)
                .validate()
                .is_err()
        );
        assert!(DenseAutoencoderConfig::new(2).validate().is_ok());
    }
}
