//! How a model is trained: its architecture and the optimiser's settings, and the limits they
//! must keep (which the page's form reads too, so that both refuse the same values).

use serde::{Deserialize, Serialize};

use crate::architecture::{
    Architecture, ArchitectureKind, ConvAutoencoderConfig, DenseAutoencoderConfig,
    VariationalAutoencoderConfig,
};
use crate::util::error::{Error, Result};

/// Largest learning rate accepted: beyond it Adam diverges on this model within a few steps.
pub const MAX_LEARNING_RATE: f64 = 0.1;
/// Largest batch accepted in one step (memory, and the page's responsiveness).
pub const MAX_BATCH_SIZE: usize = 1024;

/// How to train: the architecture and the optimiser's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct TrainingOptions {
    /// Which network: `"dense"` (the course note's), `"conv"` or `"vae"`.
    pub architecture: ArchitectureKind,
    /// Width of the code (L).
    pub latent_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Samples per step; only a hint for callers that cut batches, `step` takes any size.
    pub batch_size: usize,
    /// Dropout rate after each hidden layer (dense only).
    pub dropout: f64,
    /// Weight of the KL term (variational only; 1 trains on the evidence lower bound).
    pub beta: f64,
    /// Seed for the initial weights and the dropout masks.
    pub seed: u64,
}

impl Default for TrainingOptions {
    /// The course note's model at L = 32, with Adam's usual 1e-3 and batches of 64.
    fn default() -> Self {
        Self {
            architecture: ArchitectureKind::Dense,
            latent_size: 32,
            learning_rate: 1e-3,
            batch_size: 64,
            dropout: 0.5,
            beta: 1.0,
            seed: 1,
        }
    }
}

impl TrainingOptions {
    /// The architecture these options train.
    pub fn model_config(&self) -> Architecture {
        match self.architecture {
            ArchitectureKind::Dense => Architecture::Dense(
                DenseAutoencoderConfig::new(self.latent_size).with_dropout(self.dropout),
            ),
            ArchitectureKind::Conv => {
                Architecture::Conv(ConvAutoencoderConfig::new(self.latent_size))
            }
            ArchitectureKind::Vae => Architecture::Vae(
                VariationalAutoencoderConfig::new(self.latent_size).with_beta(self.beta),
            ),
        }
    }

    /// Rejects options that cannot train, with a message naming the option.
    pub fn validate(&self) -> Result<()> {
        self.model_config().validate()?;
        if self.architecture != ArchitectureKind::Dense && self.dropout != 0.0 {
            return Err(Error::InvalidOptions(format!(
                "dropout {} applies to the dense model only: use 0 for the {} one",
                self.dropout,
                match self.architecture {
                    ArchitectureKind::Vae => "variational",
                    _ => "convolutional",
                }
            )));
        }
        if self.architecture != ArchitectureKind::Vae && self.beta != 1.0 {
            return Err(Error::InvalidOptions(format!(
                "β {} weighs the KL term of the variational model only: use 1 for the {} one",
                self.beta, self.architecture
            )));
        }
        check_learning_rate(self.learning_rate)?;
        if !(1..=MAX_BATCH_SIZE).contains(&self.batch_size) {
            return Err(Error::InvalidOptions(format!(
                "batch size {} is outside 1…{MAX_BATCH_SIZE}",
                self.batch_size
            )));
        }
        Ok(())
    }
}

/// A learning rate in (0, [`MAX_LEARNING_RATE`]].
pub fn check_learning_rate(learning_rate: f64) -> Result<()> {
    if learning_rate.is_finite() && learning_rate > 0.0 && learning_rate <= MAX_LEARNING_RATE {
        Ok(())
    } else {
        Err(Error::InvalidOptions(format!(
            "learning rate {learning_rate} is outside (0, {MAX_LEARNING_RATE}]"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_validated() {
        let bad = |change: fn(&mut TrainingOptions)| {
            let mut options = TrainingOptions::default();
            change(&mut options);
            options
                .validate()
                .expect_err("bad options accepted")
                .to_string()
        };
        assert!(bad(|o| o.learning_rate = -1e-3).contains("learning rate"));
        assert!(bad(|o| o.learning_rate = f64::NAN).contains("learning rate"));
        assert!(bad(|o| o.learning_rate = 0.5).contains("learning rate"));
        assert!(bad(|o| o.latent_size = 0).contains("latent size"));
        assert!(bad(|o| o.batch_size = 0).contains("batch size"));
        assert!(bad(|o| o.dropout = 1.0).contains("dropout"));
        assert!(bad(|o| o.architecture = ArchitectureKind::Conv).contains("dense model only"));
        assert!(bad(|o| o.architecture = ArchitectureKind::Vae).contains("variational one"));
        assert!(bad(|o| o.beta = 4.0).contains("variational model only"));
        assert!(
            bad(|o| {
                o.architecture = ArchitectureKind::Vae;
                o.dropout = 0.0;
                o.beta = 0.0;
            })
            .contains('β')
        );
        assert!(TrainingOptions::default().validate().is_ok());
    }

    #[test]
    fn options_deserialize_with_defaults_and_reject_unknown_fields() {
        let options: TrainingOptions =
            serde_json::from_str(r#"{"latentSize": 8, "architecture": "conv"}"#).unwrap();
        assert_eq!(options.latent_size, 8);
        assert_eq!(options.architecture, ArchitectureKind::Conv);
        assert_eq!(options.batch_size, 64);
        assert!(serde_json::from_str::<TrainingOptions>(r#"{"latentsize": 8}"#).is_err());
    }
}
