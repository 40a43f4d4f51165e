//! The convolutional autoencoder, as a config: its channels and settings.
//!
//! ```text
//! encoder: 1×28×28 → conv 3×3 stride 2 → C1×14×14 → conv 3×3 stride 2 → C2×7×7 → Dense → L
//! decoder: L → Dense → C2×7×7 → upsample ×2, conv 3×3 → C1×14×14 → upsample ×2, conv 3×3 → 1×28×28
//! ```

use serde::{Deserialize, Serialize};

use super::KERAS_LEAKY_SLOPE;
use super::dense::keras_leaky_slope;
use crate::util::error::{Error, Result};
use crate::util::image::{PIXELS, SIDE};

/// Side of the feature maps after one and after two downsamplings.
pub const HALF: usize = SIDE / 2;
/// Side of the smallest feature maps.
pub const QUARTER: usize = SIDE / 4;

/// Architecture of the convolutional autoencoder. Everything needed to rebuild it from a model
/// file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvAutoencoderConfig {
    /// Width of the bottleneck code (L).
    pub latent_size: usize,
    /// Channels of the 14×14 feature maps.
    #[serde(default = "default_channels_14")]
    pub channels_14: usize,
    /// Channels of the 7×7 feature maps.
    #[serde(default = "default_channels_7")]
    pub channels_7: usize,
    /// Slope of LeakyReLU for negative inputs.
    #[serde(default = "keras_leaky_slope")]
    pub leaky_slope: f64,
}

fn default_channels_14() -> usize {
    16
}

fn default_channels_7() -> usize {
    32
}

impl ConvAutoencoderConfig {
    /// Code width `latent_size`, 16 and 32 channels, Keras's LeakyReLU slope.
    pub fn new(latent_size: usize) -> Self {
        Self {
            latent_size,
            channels_14: default_channels_14(),
            channels_7: default_channels_7(),
            leaky_slope: KERAS_LEAKY_SLOPE,
        }
    }

    /// The same config with `channels` 7×7 feature maps.
    pub fn with_channels_7(self, channels: usize) -> Self {
        Self {
            channels_7: channels,
            ..self
        }
    }

    /// Rejects configurations the page and the model files do not support.
    pub fn validate(&self) -> Result<()> {
        super::validate_common(self.latent_size, self.leaky_slope)?;
        if !(1..=64).contains(&self.channels_14) || !(1..=64).contains(&self.channels_7) {
            return Err(Error::InvalidOptions(format!(
                "feature-map channels {} and {} must each be 1…64",
                self.channels_14, self.channels_7
            )));
        }
        Ok(())
    }

    /// Numbers in the flattened 7×7 maps, which the Dense layers to and from the code see.
    pub fn flat_size(&self) -> usize {
        self.channels_7 * QUARTER * QUARTER
    }

    /// Numbers per image at each stage: 784, C1·14², C2·7², L, C2·7², C1·14², 784.
    pub fn stage_sizes(&self) -> Vec<usize> {
        let small = self.flat_size();
        let medium = self.channels_14 * HALF * HALF;
        vec![
            PIXELS,
            medium,
            small,
            self.latent_size,
            small,
            medium,
            PIXELS,
        ]
    }

    /// Number of trainable parameters (weights and biases).
    pub fn parameter_count(&self) -> usize {
        let conv = |input: usize, output: usize| input * output * 9 + output;
        let flat = self.flat_size();
        conv(1, self.channels_14)
            + conv(self.channels_14, self.channels_7)
            + (flat * self.latent_size + self.latent_size)
            + (self.latent_size * flat + flat)
            + conv(self.channels_7, self.channels_14)
            + conv(self.channels_14, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_sizes_follow_the_channels() {
        assert_eq!(
            ConvAutoencoderConfig::new(8).stage_sizes(),
            [784, 16 * 196, 32 * 49, 8, 32 * 49, 16 * 196, 784]
        );
    }

    #[test]
    fn bad_configs_are_refused() {
        assert!(ConvAutoencoderConfig::new(1).validate().is_err());
        assert!(
            ConvAutoencoderConfig::new(8)
                .with_channels_7(0)
                .validate()
                .is_err()
        );
        assert!(ConvAutoencoderConfig::new(8).validate().is_ok());
    }
}
