//! The course note's dense autoencoder, as a config: its layer widths and settings.
//!
//! ```text
//! encoder: 784 → 512 → 256 → 128 → 64 → L     (Dense, LeakyReLU, Dropout between hidden layers)
//! decoder:   L → 64 → 128 → 256 → 512 → 784   (mirrored; sigmoid output, a 28×28 image)
//! ```

use serde::{Deserialize, Serialize};

use super::KERAS_LEAKY_SLOPE;
use crate::util::error::{Error, Result};
use crate::util::image::PIXELS;

/// Widths of the encoder's hidden layers, input side first; the decoder uses them reversed.
pub const HIDDEN_WIDTHS: [usize; 4] = [512, 256, 128, 64];

/// Architecture of the dense autoencoder. Everything needed to rebuild it from a model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DenseAutoencoderConfig {
    /// Width of the bottleneck code (L).
    pub latent_size: usize,
    /// Dropout rate after each hidden layer, used in training only (the course note: 0.5).
    #[serde(default = "course_note_dropout")]
    pub dropout: f64,
    /// Slope of LeakyReLU for negative inputs.
    #[serde(default = "keras_leaky_slope")]
    pub leaky_slope: f64,
}

fn course_note_dropout() -> f64 {
    0.5
}

pub(super) fn keras_leaky_slope() -> f64 {
    KERAS_LEAKY_SLOPE
}

impl DenseAutoencoderConfig {
    /// Code width `latent_size`, the course note's Dropout 0.5 and Keras's LeakyReLU slope.
    pub fn new(latent_size: usize) -> Self {
        Self {
            latent_size,
            dropout: course_note_dropout(),
            leaky_slope: KERAS_LEAKY_SLOPE,
        }
    }

    /// The course note's model: its layers, Dropout 0.5 and Keras's LeakyReLU slope.
    pub fn course_note(latent_size: usize) -> Self {
        Self::new(latent_size)
    }

    /// The same config with another dropout rate.
    pub fn with_dropout(self, dropout: f64) -> Self {
        Self { dropout, ..self }
    }

    /// Rejects configurations the page and the model files do not support.
    pub fn validate(&self) -> Result<()> {
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
        stack_parameters(&self.encoder_widths()) + stack_parameters(&self.decoder_widths())
    }
}

/// Weights and biases of Dense layers between consecutive `widths`.
pub(super) fn stack_parameters(widths: &[usize]) -> usize {
    widths
        .windows(2)
        .map(|pair| pair[0] * pair[1] + pair[1])
        .sum()
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

    #[test]
    fn missing_settings_take_the_course_notes_defaults() {
        let config: DenseAutoencoderConfig = serde_json::from_str(r#"{"latent_size": 8}"#).unwrap();
        assert_eq!(config, DenseAutoencoderConfig::new(8));
    }
}
