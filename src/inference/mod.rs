//! A loaded model for one image at a time, on plain arrays: the inference copy of each
//! architecture ([`DenseInference`], [`ConvInference`], [`VariationalInference`]) runs the layers burn defines on the
//! weights of a model file, without burn, so that the page's inference module can leave burn's
//! training stack out. The tests check each copy against burn's forward pass.

mod classifier;
mod conv;
mod dense;
mod insides;
pub(crate) mod layers;
mod variational;

pub use classifier::Classifier;
pub use conv::{ConvInference, ConvStages};
pub use dense::DenseInference;
pub use insides::{LayerActivation, LayerPlace, LayerRule};
pub use variational::VariationalInference;

use crate::architecture::Architecture;
use crate::model_file::{self, Header, ModelFile, NamedTensor};
use crate::util::error::{Error, Result, check_exact, check_image, check_pixel_range, check_rows};
use crate::util::image::{PIXELS, SIDE};
use crate::util::metrics::per_image_mse;
use crate::util::rng::SplitMix64;

/// Most images one call to [`InferenceModel::sample`] draws (a page strip needs a dozen).
pub const MAX_SAMPLES: usize = 1000;

/// A model loaded from a model file, for encoding and decoding one image at a time.
pub struct InferenceModel {
    network: Network,
    header: Header,
}

/// The inference copy of either architecture.
enum Network {
    Dense(DenseInference),
    Conv(Box<ConvInference>),
    Variational(VariationalInference),
}

/// A network of Dense layers as the path an image takes through it, for layer-by-layer tools
/// (quantisation): each layer with its path in the model file and whether LeakyReLU follows
/// it, and the layers off that path (a variational network's log-variance head).
#[cfg(feature = "training")]
pub(crate) struct DenseChain<'a> {
    /// Input to output, in order.
    pub layers: Vec<(String, &'a layers::Dense, bool)>,
    /// Layers off the path, each with the position in `layers` of the layer whose input it
    /// shares.
    pub branches: Vec<(String, &'a layers::Dense, usize)>,
    /// LeakyReLU's slope.
    pub slope: f32,
}

/// A variational model's code for one image: a diagonal Gaussian.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeDistribution {
    /// The mean μ, L values: the code the image is rebuilt from.
    pub mean: Vec<f32>,
    /// The log-variance log σ², L values.
    pub log_variance: Vec<f32>,
}

/// One stage's feature maps for one image: `channels` maps of `side × side` values, map after
/// map, row-major (a code is one "map" of `side = 0`… see [`InferenceModel::feature_maps`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FeatureMaps {
    /// What the stage is, for the page ("input", "14×14", "code", …).
    pub name: String,
    /// Number of maps.
    pub channels: usize,
    /// Side of each square map (0 for the code, which is a plain vector).
    pub side: usize,
    /// `channels × side²` values (or the code's L values).
    pub values: Vec<f32>,
}

impl InferenceModel {
    /// Loads and validates a model file.
    pub fn load(bytes: &[u8]) -> Result<Self> {
        Self::from_file(model_file::read(bytes)?)
    }

    /// The network a model file's header names, with its weights; refuses weights that do not
    /// fit it exactly.
    pub fn from_file(file: ModelFile) -> Result<Self> {
        let network =
            Self::network_of(&file).map_err(|error| model_file::explain_misfit(&file, error))?;
        let model = Self {
            network,
            header: file.header,
        };
        // Finite weights can still be large enough to overflow (found by fuzzing: a file with
        // a few huge weights rebuilt every image as NaN). A model that cannot rebuild a blank,
        // a grey or a fully inked image is refused here, where the file is chosen.
        for level in [0.0, 0.5, 1.0] {
            model
                .reconstruct(&[level; PIXELS])
                .map_err(|_| model_file::overflow())?;
        }
        Ok(model)
    }

    /// The inference copy of the network the file's header names, with its weights.
    fn network_of(file: &ModelFile) -> Result<Network> {
        Ok(match &file.header.architecture {
            Architecture::Dense(config) => Network::Dense(DenseInference::read(config, file)?),
            Architecture::Conv(config) => {
                Network::Conv(Box::new(ConvInference::read(config, file)?))
            }
            Architecture::Vae(config) => {
                Network::Variational(VariationalInference::read(config, file)?)
            }
        })
    }

    /// A model from its header and tensors (a network being trained, say).
    pub fn from_tensors(header: Header, tensors: Vec<NamedTensor>) -> Result<Self> {
        Self::from_file(ModelFile { header, tensors })
    }

    /// The file's header: architecture, config and provenance.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Width of the code (L).
    pub fn latent_size(&self) -> usize {
        self.header.architecture.latent_size()
    }

    /// The network as a chain of Dense layers, for tools that work layer by layer (none for
    /// the convolutional network).
    #[cfg(feature = "training")]
    pub(crate) fn dense_chain(&self) -> Option<DenseChain<'_>> {
        match &self.network {
            Network::Dense(dense) => Some(DenseChain {
                layers: dense.layers(),
                branches: Vec::new(),
                slope: dense.slope(),
            }),
            Network::Variational(vae) => Some(vae.chain()),
            Network::Conv(_) => None,
        }
    }

    /// Whether the model is variational: it encodes a distribution and can sample its prior.
    pub fn is_variational(&self) -> bool {
        matches!(self.network, Network::Variational(_))
    }

    /// The variational copy, or an error that says why `what` needs one.
    fn variational(&self, what: &str) -> Result<&VariationalInference> {
        match &self.network {
            Network::Variational(vae) => Ok(vae),
            _ => Err(Error::InvalidInput(format!(
                "{what} needs a variational model: this is a plain {} autoencoder, whose codes \
                 follow no distribution it was trained to match",
                self.header.architecture.kind()
            ))),
        }
    }

    /// A variational model's code for 784 pixels: its mean and log-variance. A plain model
    /// has a single point for a code, and says so.
    pub fn encode_distribution(&self, image: &[f32]) -> Result<CodeDistribution> {
        let vae = self.variational("a code distribution")?;
        check_image("image", image)?;
        let (mean, log_variance) = vae.encode_distribution(image);
        Ok(CodeDistribution {
            mean: finite(mean)?,
            log_variance: finite(log_variance)?,
        })
    }

    /// `count` images (count × 784 pixels) decoded from codes drawn from a variational model's
    /// prior N(0, I): digits dreamt up. The same `seed` draws the same images, natively and in
    /// the browser.
    pub fn sample(&self, count: usize, seed: u64) -> Result<Vec<f32>> {
        let vae = self.variational("drawing from the prior")?;
        if !(1..=MAX_SAMPLES).contains(&count) {
            return Err(Error::InvalidInput(format!(
                "{count} samples is outside 1…{MAX_SAMPLES}"
            )));
        }
        let mut rng = SplitMix64::new(seed);
        let latent = self.latent_size();
        finite(
            (0..count)
                .flat_map(|_| {
                    let code: Vec<f32> =
                        (0..latent).map(|_| rng.standard_normal() as f32).collect();
                    vae.decode(&code)
                })
                .collect(),
        )
    }

    /// Each of n images' (n×784) negative evidence lower bound, in nats: the binary
    /// cross-entropy of its rebuilding from the code's mean, summed over the pixels, plus the
    /// KL divergence of its code's distribution from the prior. Low for what the model knows
    /// how to draw; an anomaly score that weighs an unlikely code as well as a poor rebuild.
    pub fn negative_elbo(&self, images: &[f32]) -> Result<Vec<f32>> {
        let vae = self.variational("the evidence lower bound")?;
        check_rows("images", images, PIXELS)?;
        check_pixel_range("images", images)?;
        let scores = images
            .chunks_exact(PIXELS)
            .map(|image| vae.negative_elbo(image) as f32)
            .collect();
        finite(scores)
    }

    /// 784 pixels in 0…1 → L code values.
    pub fn encode(&self, image: &[f32]) -> Result<Vec<f32>> {
        check_image("image", image)?;
        finite(self.encode_checked(image))
    }

    /// The code of an image already checked.
    fn encode_checked(&self, image: &[f32]) -> Vec<f32> {
        match &self.network {
            Network::Dense(dense) => dense.encode(image),
            Network::Conv(conv) => conv.encode(image),
            Network::Variational(vae) => vae.encode(image),
        }
    }

    /// n images (n×784 pixels, row by row) → their n codes (n×L values, row by row).
    pub fn encode_many(&self, images: &[f32]) -> Result<Vec<f32>> {
        check_rows("images", images, PIXELS)?;
        check_pixel_range("images", images)?;
        finite(
            images
                .chunks_exact(PIXELS)
                .flat_map(|image| self.encode_checked(image))
                .collect(),
        )
    }

    /// L code values → 784 pixels in 0…1.
    pub fn decode(&self, code: &[f32]) -> Result<Vec<f32>> {
        check_exact("latent code", code, self.latent_size())?;
        finite(self.decode_checked(code))
    }

    fn decode_checked(&self, code: &[f32]) -> Vec<f32> {
        match &self.network {
            Network::Dense(dense) => dense.decode(code),
            Network::Conv(conv) => conv.decode(code),
            Network::Variational(vae) => vae.decode(code),
        }
    }

    /// 784 pixels → 784 pixels, through the code.
    pub fn reconstruct(&self, image: &[f32]) -> Result<Vec<f32>> {
        check_image("image", image)?;
        finite(self.decode_checked(&self.encode_checked(image)))
    }

    /// n images (n×784 pixels) → their n reconstructions.
    pub fn reconstruct_many(&self, images: &[f32]) -> Result<Vec<f32>> {
        check_rows("images", images, PIXELS)?;
        check_pixel_range("images", images)?;
        finite(
            images
                .chunks_exact(PIXELS)
                .flat_map(|image| self.decode_checked(&self.encode_checked(image)))
                .collect(),
        )
    }

    /// Each of n images' (n×784 pixels) mean squared reconstruction error: the anomaly score.
    pub fn reconstruction_errors(&self, images: &[f32]) -> Result<Vec<f32>> {
        let outputs = self.reconstruct_many(images)?;
        Ok(per_image_mse(&outputs, images))
    }

    /// Every stage of the network for one image, input to output: for the convolutional
    /// network the image, the 14×14 and 7×7 feature maps, the code, and the decoder's 7×7 and
    /// 14×14 maps and output. The dense network has no spatial maps: an error says so.
    pub fn feature_maps(&self, image: &[f32]) -> Result<Vec<FeatureMaps>> {
        check_image("image", image)?;
        let (Network::Conv(conv), Architecture::Conv(config)) =
            (&self.network, &self.header.architecture)
        else {
            return Err(Error::InvalidInput(
                "feature maps exist only for the convolutional model".into(),
            ));
        };
        let stages = conv.stages(image);
        let maps = |name: &str, channels: usize, side: usize, values: Vec<f32>| FeatureMaps {
            name: name.into(),
            channels,
            side,
            values,
        };
        let (c1, c2) = (config.channels_14, config.channels_7);
        let (half, quarter) = (SIDE / 2, SIDE / 4);
        Ok(vec![
            maps("input 28×28", 1, SIDE, image.to_vec()),
            maps("encoder 14×14", c1, half, stages.down_14),
            maps("encoder 7×7", c2, quarter, stages.down_7),
            maps(&format!("code ({})", self.latent_size()), 1, 0, stages.code),
            maps("decoder 7×7", c2, quarter, stages.up_7),
            maps("decoder 14×14", c1, half, stages.up_14),
            maps("output 28×28", 1, SIDE, stages.output),
        ])
    }
}

/// `values`, or an error when the network's arithmetic overflowed into NaN or infinity.
fn finite(values: Vec<f32>) -> Result<Vec<f32>> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(values)
    } else {
        Err(Error::InvalidInput(
            "the model's numbers overflowed (its output is not finite)".into(),
        ))
    }
}

#[cfg(test)]
mod tests;

#[cfg(all(test, feature = "training"))]
mod against_burn;
