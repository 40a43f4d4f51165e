//! The variational autoencoder on plain arrays, for one image at a time: the dense trunk, the
//! mean and log-variance heads, the dense decoder (burn's definition: `model::variational`).

use super::dense::{activated_stack, decoder_stack, read_stack, stack_tensor_names};
use super::layers::Dense;
use crate::architecture::VariationalAutoencoderConfig;
use crate::model_file::ModelFile;
use crate::util::error::Result;
use crate::util::metrics::Metrics;

/// The inference copy of the variational autoencoder.
#[derive(Debug, Clone)]
pub struct VariationalInference {
    trunk: Vec<Dense>,
    mean: Dense,
    log_variance: Dense,
    decoder: Vec<Dense>,
    slope: f32,
}

impl VariationalInference {
    /// The network `config` describes, with the weights of `file`.
    pub fn read(config: &VariationalAutoencoderConfig, file: &ModelFile) -> Result<Self> {
        let mut names = stack_tensor_names(&[
            ("encoder", config.trunk_widths()),
            ("decoder", config.decoder_widths()),
        ]);
        names.extend(Dense::tensor_names("mean"));
        names.extend(Dense::tensor_names("log_variance"));
        file.check_no_others(&names)?;
        let head = |name| Dense::read(file, name, config.trunk_width(), config.latent_size);
        Ok(Self {
            trunk: read_stack(file, "encoder", &config.trunk_widths())?,
            mean: head("mean")?,
            log_variance: head("log_variance")?,
            decoder: read_stack(file, "decoder", &config.decoder_widths())?,
            slope: config.leaky_slope as f32,
        })
    }

    /// 784 pixels → the code's mean μ and log-variance log σ² (L values each).
    pub fn encode_distribution(&self, image: &[f32]) -> (Vec<f32>, Vec<f32>) {
        let features = activated_stack(&self.trunk, self.slope, image);
        (
            self.mean.forward(&features),
            self.log_variance.forward(&features),
        )
    }

    /// 784 pixels → the code an image is rebuilt from: its distribution's mean.
    pub fn encode(&self, image: &[f32]) -> Vec<f32> {
        let features = activated_stack(&self.trunk, self.slope, image);
        self.mean.forward(&features)
    }

    /// L code values → 784 pixels in 0…1.
    pub fn decode(&self, code: &[f32]) -> Vec<f32> {
        decoder_stack(&self.decoder, self.slope, code)
    }

    /// The trunk's layers, the mean and log-variance heads, the decoder's layers and
    /// LeakyReLU's slope.
    pub(super) fn parts(&self) -> (&[Dense], &Dense, &Dense, &[Dense], f32) {
        (
            &self.trunk,
            &self.mean,
            &self.log_variance,
            &self.decoder,
            self.slope,
        )
    }

    /// The image's negative evidence lower bound in nats (β = 1): the binary cross-entropy of
    /// its rebuilding from the code's mean, summed over the pixels, plus the KL divergence of
    /// the code's distribution from the prior N(0, I).
    pub fn negative_elbo(&self, image: &[f32]) -> f64 {
        let (mean, log_variance) = self.encode_distribution(image);
        let rebuilt = self.decode(&mean);
        // The same clamped cross-entropy as training and evaluation, summed over the pixels.
        let cross_entropy = Metrics::between(&rebuilt, image).bce * image.len() as f64;
        let kl: f64 = mean
            .iter()
            .zip(&log_variance)
            .map(|(&mu, &lv)| {
                let (mu, lv) = (mu as f64, lv as f64);
                0.5 * (mu * mu + lv.exp() - 1.0 - lv)
            })
            .sum();
        cross_entropy + kl
    }
}

#[cfg(feature = "training")]
impl VariationalInference {
    /// The path a rebuilt image takes (trunk, mean head, decoder), and the log-variance head
    /// beside it.
    pub(crate) fn chain(&self) -> super::DenseChain<'_> {
        let last = self.decoder.len() - 1;
        let trunk = self.trunk.iter().enumerate();
        let decoder = self.decoder.iter().enumerate();
        let layers = trunk
            .map(|(index, layer)| (format!("encoder.{index}"), layer, true))
            .chain(std::iter::once(("mean".to_string(), &self.mean, false)))
            .chain(decoder.map(|(index, layer)| (format!("decoder.{index}"), layer, index < last)))
            .collect();
        // The log-variance head reads what the mean head reads, the trunk's output.
        let beside_mean = self.trunk.len();
        super::DenseChain {
            layers,
            branches: vec![("log_variance".to_string(), &self.log_variance, beside_mean)],
            slope: self.slope,
        }
    }
}
