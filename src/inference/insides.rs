//! The dense networks seen from inside, for one image: every layer's output, what a unit of the
//! first layer looks for, and what one latent number draws. The same arithmetic as
//! [`InferenceModel::reconstruct`], kept layer by layer instead of thrown away.

use serde::Serialize;

use super::layers::{Dense, leaky_relu, sigmoid};
use super::{InferenceModel, Network, finite};
use crate::util::error::{Error, Result, check_exact, check_image};
use crate::util::image::PIXELS;

/// Where a layer sits, which says what its numbers mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum LayerPlace {
    /// The 784 pixels.
    Input,
    /// A hidden layer of the encoder (downsampling).
    Encoder,
    /// The code, L numbers: the bottleneck.
    Code,
    /// A variational encoder's second head beside the code: log σ², L numbers.
    LogVariance,
    /// A hidden layer of the decoder (upsampling).
    Decoder,
    /// The rebuilt 784 pixels.
    Output,
}

/// What a layer computes from the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum LayerRule {
    /// Nothing: the input itself.
    Given,
    /// `LeakyReLU(W·x + b)`.
    LeakyRelu,
    /// `W·x + b`: a variational encoder's heads.
    Affine,
    /// `sigmoid(W·x + b)`: the output, pixels in 0…1.
    Sigmoid,
}

/// One layer's output for one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerActivation {
    pub place: LayerPlace,
    pub rule: LayerRule,
    /// The layer's outputs.
    pub values: Vec<f32>,
    /// How many outputs are above zero (for a LeakyReLU layer: the units that let their input
    /// through unscaled).
    pub active: usize,
    /// The largest output.
    pub largest: f32,
    /// The unit with the largest output.
    pub largest_unit: usize,
}

impl LayerActivation {
    fn new(place: LayerPlace, rule: LayerRule, values: Vec<f32>) -> Result<Self> {
        let values = finite(values)?;
        let (largest_unit, largest) = values.iter().copied().enumerate().fold(
            (0, f32::NEG_INFINITY),
            |best, (unit, value)| {
                if value > best.1 { (unit, value) } else { best }
            },
        );
        Ok(Self {
            place,
            rule,
            active: values.iter().filter(|&&v| v > 0.0).count(),
            largest,
            largest_unit,
            values,
        })
    }
}

/// A dense network's encoder, a variational encoder's heads (mean, log-variance), its decoder
/// and LeakyReLU's slope.
type DenseParts<'a> = (
    &'a [Dense],
    Option<(&'a Dense, &'a Dense)>,
    &'a [Dense],
    f32,
);

impl InferenceModel {
    /// Every layer of a dense or variational network for `image`, input to output: the input,
    /// the encoder's hidden layers, the code (a variational encoder's mean, then its
    /// log-variance head), the decoder's hidden layers and the output, which is
    /// [`InferenceModel::reconstruct`]'s image. The convolutional network's stages are its
    /// feature maps ([`InferenceModel::feature_maps`]): an error says so.
    pub fn layer_activations(&self, image: &[f32]) -> Result<Vec<LayerActivation>> {
        check_image("image", image)?;
        let (encoder, heads, decoder, slope) = self.dense_parts()?;
        let mut layers = vec![LayerActivation::new(
            LayerPlace::Input,
            LayerRule::Given,
            image.to_vec(),
        )?];
        let mut x = image.to_vec();
        for layer in encoder {
            x = layer.forward(&x);
            leaky_relu(&mut x, slope);
            layers.push(LayerActivation::new(
                LayerPlace::Encoder,
                LayerRule::LeakyRelu,
                x.clone(),
            )?);
        }
        // A plain encoder's last layer is the code (LeakyReLU like the rest); a variational
        // one reads its trunk's output with two affine heads, and the mean is the code.
        let code = match heads {
            None => layers.pop().map(|last| last.values).unwrap_or_default(),
            Some((mean, log_variance)) => {
                let code = mean.forward(&x);
                let spread = log_variance.forward(&x);
                layers.push(LayerActivation::new(
                    LayerPlace::Code,
                    LayerRule::Affine,
                    code.clone(),
                )?);
                layers.push(LayerActivation::new(
                    LayerPlace::LogVariance,
                    LayerRule::Affine,
                    spread,
                )?);
                code
            }
        };
        if heads.is_none() {
            layers.push(LayerActivation::new(
                LayerPlace::Code,
                LayerRule::LeakyRelu,
                code.clone(),
            )?);
        }
        let mut x = code;
        let last = decoder.len() - 1;
        for (index, layer) in decoder.iter().enumerate() {
            x = layer.forward(&x);
            if index < last {
                leaky_relu(&mut x, slope);
                layers.push(LayerActivation::new(
                    LayerPlace::Decoder,
                    LayerRule::LeakyRelu,
                    x.clone(),
                )?);
            }
        }
        sigmoid(&mut x);
        layers.push(LayerActivation::new(
            LayerPlace::Output,
            LayerRule::Sigmoid,
            x,
        )?);
        Ok(layers)
    }

    /// The 784 weights by which unit `unit` of the first layer reads the pixels, in pixel
    /// order: the image that unit responds to most (positive weights) and is held back by
    /// (negative ones).
    pub fn incoming_weights(&self, unit: usize) -> Result<Vec<f32>> {
        let first = &self.dense_parts()?.0[0];
        let (inputs, outputs) = first.shape();
        if unit >= outputs {
            return Err(Error::InvalidInput(format!(
                "the first layer has units 0…{}, not {unit}",
                outputs - 1
            )));
        }
        Ok((0..inputs)
            .map(|pixel| first.weights()[pixel * outputs + unit])
            .collect())
    }

    /// The first layer's units, strongest first: by the length of their 784 incoming weights,
    /// the units that read the pixels most strongly.
    pub fn strongest_units(&self, count: usize) -> Result<Vec<usize>> {
        let first = &self.dense_parts()?.0[0];
        let outputs = first.shape().1;
        let mut strength = vec![0.0f64; outputs];
        for row in first.weights().chunks_exact(outputs) {
            for (sum, &w) in strength.iter_mut().zip(row) {
                *sum += (w as f64) * (w as f64);
            }
        }
        let mut units: Vec<usize> = (0..outputs).collect();
        units.sort_by(|&a, &b| strength[b].total_cmp(&strength[a]));
        units.truncate(count);
        Ok(units)
    }

    /// What latent number `index` draws, seen from `code`: decode(code + step·e) − decode(code),
    /// 784 signed values (ink the step adds is positive, ink it takes away negative).
    pub fn code_step_effect(&self, code: &[f32], index: usize, step: f32) -> Result<Vec<f32>> {
        check_exact("latent code", code, self.latent_size())?;
        if index >= code.len() {
            return Err(Error::InvalidInput(format!(
                "the code has numbers 0…{}, not {index}",
                code.len() - 1
            )));
        }
        if !step.is_finite() {
            return Err(Error::InvalidInput(format!(
                "the step {step} is not a number"
            )));
        }
        let before = self.decode(code)?;
        let mut moved = code.to_vec();
        moved[index] += step;
        let after = self.decode(&moved)?;
        debug_assert_eq!(after.len(), PIXELS);
        Ok(after.iter().zip(&before).map(|(a, b)| a - b).collect())
    }

    /// The encoder's Dense layers, a variational encoder's two heads, the decoder's layers and
    /// LeakyReLU's slope; an error for the convolutional network.
    fn dense_parts(&self) -> Result<DenseParts<'_>> {
        match &self.network {
            Network::Dense(dense) => {
                let (encoder, decoder, slope) = dense.parts();
                Ok((encoder, None, decoder, slope))
            }
            Network::Variational(vae) => {
                let (trunk, mean, log_variance, decoder, slope) = vae.parts();
                Ok((trunk, Some((mean, log_variance)), decoder, slope))
            }
            Network::Conv(_) => Err(Error::InvalidInput(
                "the convolutional model has no dense layers to show: its stages are its \
                 feature maps"
                    .into(),
            )),
        }
    }
}
