//! The variational autoencoder, as a config: the course note's dense trunk with two heads.
//!
//! ```text
//! encoder: 784 → 512 → 256 → 128 → 64 ─┬→ L   mean μ          (Dense, LeakyReLU in the trunk;
//!                                      └→ L   log-variance     the heads are linear)
//! code:    z = μ + exp(½·log σ²) · ε, ε ~ N(0, I)  in training; μ when rebuilding
//! decoder: L → 64 → 128 → 256 → 512 → 784    (the dense decoder; sigmoid output)
//! ```
//!
//! Trained on reconstruction BCE plus β times the KL divergence of the code's distribution from
//! the prior N(0, I) (Kingma and Welling, 2014), so that codes drawn from the prior decode to
//! digits: the network is a generator, not only a compressor.

use serde::{Deserialize, Serialize};

use super::KERAS_LEAKY_SLOPE;
use super::dense::{HIDDEN_WIDTHS, keras_leaky_slope, stack_parameters};
use crate::util::error::{Error, Result};
use crate::util::image::PIXELS;

/// Largest β accepted: beyond it the KL term wins outright and every code is the prior.
pub const MAX_BETA: f64 = 100.0;

/// Architecture of the variational autoencoder. Everything needed to rebuild it from a model
/// file, and the β it was trained with (its loss: BCE per image + β · KL).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariationalAutoencoderConfig {
    /// Width of the code (L).
    pub latent_size: usize,
    /// Weight of the KL term against the reconstruction term (1 is the evidence lower bound).
    #[serde(default = "elbo_beta")]
    pub beta: f64,
    /// Slope of LeakyReLU for negative inputs.
    #[serde(default = "keras_leaky_slope")]
    pub leaky_slope: f64,
}

fn elbo_beta() -> f64 {
    1.0
}

impl VariationalAutoencoderConfig {
    /// Code width `latent_size`, β = 1 (the evidence lower bound), Keras's LeakyReLU slope.
    pub fn new(latent_size: usize) -> Self {
        Self {
            latent_size,
            beta: elbo_beta(),
            leaky_slope: KERAS_LEAKY_SLOPE,
        }
    }

    /// The same config with another β.
    pub fn with_beta(self, beta: f64) -> Self {
        Self { beta, ..self }
    }

    /// Rejects configurations the page and the model files do not support.
    pub fn validate(&self) -> Result<()> {
        super::validate_common(self.latent_size, self.leaky_slope)?;
        if !(self.beta > 0.0 && self.beta <= MAX_BETA) {
            return Err(Error::InvalidOptions(format!(
                "β {} is outside (0, {MAX_BETA}]",
                self.beta
            )));
        }
        Ok(())
    }

    /// Widths of the shared trunk: `[784, 512, 256, 128, 64]`.
    pub fn trunk_widths(&self) -> Vec<usize> {
        let mut widths = vec![PIXELS];
        widths.extend(HIDDEN_WIDTHS);
        widths
    }

    /// Width of the trunk's output, the heads' input (64).
    pub fn trunk_width(&self) -> usize {
        HIDDEN_WIDTHS[HIDDEN_WIDTHS.len() - 1]
    }

    /// Layer widths from the code to the output: `[L, 64, 128, 256, 512, 784]`.
    pub fn decoder_widths(&self) -> Vec<usize> {
        let mut widths = self.trunk_widths();
        widths.push(self.latent_size);
        widths.reverse();
        widths
    }

    /// Numbers per image at every stage: `[784, 512, 256, 128, 64, L, 64, 128, 256, 512, 784]`
    /// (the code counted once, as its mean).
    pub fn stage_sizes(&self) -> Vec<usize> {
        let mut sizes = self.trunk_widths();
        sizes.extend(self.decoder_widths());
        sizes
    }

    /// Number of trainable parameters (weights and biases): the trunk, both heads, the decoder.
    pub fn parameter_count(&self) -> usize {
        let head = stack_parameters(&[self.trunk_width(), self.latent_size]);
        stack_parameters(&self.trunk_widths()) + 2 * head + stack_parameters(&self.decoder_widths())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::architecture::DenseAutoencoderConfig;

    #[test]
    fn it_is_the_dense_network_with_a_second_head() {
        let config = VariationalAutoencoderConfig::new(16);
        let dense = DenseAutoencoderConfig::new(16);
        assert_eq!(config.stage_sizes(), dense.stage_sizes());
        assert_eq!(config.decoder_widths(), dense.decoder_widths());
        // The log-variance head is the only addition: 64·16 weights and 16 biases.
        assert_eq!(
            config.parameter_count(),
            dense.parameter_count() + 64 * 16 + 16
        );
    }

    #[test]
    fn beta_is_checked_and_defaults_to_the_elbo() {
        assert!(VariationalAutoencoderConfig::new(2).validate().is_ok());
        for beta in [0.0, -1.0, f64::NAN, 101.0] {
            let error = VariationalAutoencoderConfig::new(2)
                .with_beta(beta)
                .validate()
                .unwrap_err();
            assert!(error.to_string().contains('β'), "{error}");
        }
        let config: VariationalAutoencoderConfig =
            serde_json::from_str(r#"{"latent_size": 4}"#).unwrap();
        assert_eq!(config, VariationalAutoencoderConfig::new(4));
    }
}
