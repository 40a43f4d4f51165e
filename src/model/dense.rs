//! The course note's dense autoencoder, in burn (its config: `architecture::dense`).
//!
//! ```text
//! encoder: 784 → 512 → 256 → 128 → 64 → L     (Dense, LeakyReLU, Dropout between hidden layers)
//! decoder:   L → 64 → 128 → 256 → 512 → 784   (mirrored; sigmoid output, a 28×28 image)
//! ```
//!
//! As in the note, every Dense layer is followed by LeakyReLU (the latent one too), and every
//! hidden activation by Dropout; the latent code and the output are not dropped out. Dropout's
//! keep-masks come from the caller ([`DenseAutoencoder::forward_dropped`]): the trainer draws
//! them from its own seeded stream, so that a batch split across threads is dropped out exactly
//! as it would be whole. Without masks (`forward`), nothing is dropped.

use burn::module::Param;
use burn::nn::{LeakyRelu, LeakyReluConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::sigmoid;

use crate::architecture::DenseAutoencoderConfig;

impl DenseAutoencoderConfig {
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
            dropout_rate: self.dropout,
        }
    }
}

/// The dense autoencoder. Build it with [`DenseAutoencoderConfig::init`].
/// A linear layer's parameters as plain numbers: its weight (`inputs` × `outputs`,
/// row-major, as burn's `Linear` holds it) and its bias.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearValues {
    pub inputs: usize,
    pub outputs: usize,
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

#[derive(Module, Debug)]
pub struct DenseAutoencoder {
    encoder: Vec<Linear>,
    decoder: Vec<Linear>,
    activation: LeakyRelu,
    dropout_rate: f64,
}

impl DenseAutoencoder {
    /// Width of the code.
    pub fn latent_size(&self) -> usize {
        self.encoder
            .last()
            .map_or(0, |layer| layer.weight.dims()[1])
    }

    /// The encoder's Dense layers, input side first (to reuse them in a classifier).
    pub fn encoder_layers(&self) -> &[Linear] {
        &self.encoder
    }

    /// LeakyReLU's slope for negative inputs.
    /// The encoder's layers, then the decoder's.
    pub fn layers(&self) -> impl Iterator<Item = &Linear> {
        self.encoder.iter().chain(&self.decoder)
    }

    /// The values of the encoder's layers and of the decoder's.
    pub fn layer_values(&self) -> (Vec<LinearValues>, Vec<LinearValues>) {
        let values = |layers: &[Linear]| layers.iter().map(linear_values).collect();
        (values(&self.encoder), values(&self.decoder))
    }

    /// This network with its layers' values replaced by `values`: the encoder's then the
    /// decoder's, shaped as [`DenseAutoencoder::layer_values`] gives them. A parameter that
    /// required gradients still does.
    pub fn with_layer_values(mut self, values: Vec<LinearValues>) -> Self {
        assert_eq!(
            values.len(),
            self.encoder.len() + self.decoder.len(),
            "a value per layer"
        );
        let layers = self.encoder.iter_mut().chain(&mut self.decoder);
        for (layer, values) in layers.zip(values) {
            let shape = [values.inputs, values.outputs];
            layer.weight = replaced(layer.weight.clone(), values.weight, shape);
            layer.bias =
                (layer.bias.take()).map(|bias| replaced(bias, values.bias, [values.outputs]));
        }
        self
    }

    pub fn leaky_slope(&self) -> f64 {
        self.activation.negative_slope
    }

    /// The fraction of each hidden activation that training drops out.
    pub fn dropout_rate(&self) -> f64 {
        self.dropout_rate
    }

    /// The widths of the activations dropout applies to, in the order a forward pass meets
    /// them: the encoder's hidden layers, then the decoder's.
    pub fn dropped_widths(&self) -> Vec<usize> {
        let hidden = |layers: &[Linear]| -> Vec<usize> {
            let outputs = layers.iter().map(|layer| layer.weight.dims()[1]);
            outputs.take(layers.len() - 1).collect()
        };
        [hidden(&self.encoder), hidden(&self.decoder)].concat()
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`, pixels in 0…1, 1 = ink
    /// - returns: `[batch, L]`
    pub fn encode(&self, images: Tensor<2>) -> Tensor<2> {
        self.encode_dropped(images, &[])
    }

    /// # Shapes
    /// - `codes`: `[batch, L]`
    /// - returns: `[batch, 784]`, pixels in 0…1
    pub fn decode(&self, codes: Tensor<2>) -> Tensor<2> {
        decode_through(&self.decoder, &self.activation, &[], codes)
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`
    /// - returns: `[batch, 784]`
    pub fn forward(&self, images: Tensor<2>) -> Tensor<2> {
        self.decode(self.encode(images))
    }

    /// The forward pass with dropout: each hidden activation is multiplied by its keep-mask,
    /// in [`DenseAutoencoder::dropped_widths`]' order (0 where dropped, 1 / (1 − rate) where
    /// kept, so that an activation's expected value is unchanged).
    ///
    /// # Shapes
    /// - `images`: `[batch, 784]`
    /// - `keep_masks`: `[batch, width]` each, one per width of `dropped_widths`
    /// - returns: `[batch, 784]`
    pub fn forward_dropped(&self, images: Tensor<2>, keep_masks: &[Tensor<2>]) -> Tensor<2> {
        // No masks at all: no dropout.
        let encoder_hidden = (self.encoder.len() - 1).min(keep_masks.len());
        let (encoder_masks, decoder_masks) = keep_masks.split_at(encoder_hidden);
        let codes = self.encode_dropped(images, encoder_masks);
        decode_through(&self.decoder, &self.activation, decoder_masks, codes)
    }

    /// The encoder, each hidden activation times its keep-mask if `keep_masks` has them.
    fn encode_dropped(&self, images: Tensor<2>, keep_masks: &[Tensor<2>]) -> Tensor<2> {
        let last = self.encoder.len() - 1;
        self.encoder
            .iter()
            .enumerate()
            .fold(images, |x, (index, layer)| {
                let x = self.activation.forward(layer.forward(x));
                match keep_masks.get(index) {
                    Some(mask) if index < last => x * mask.clone(),
                    _ => x,
                }
            })
    }
}

/// `codes` through a decoder's `layers`: LeakyReLU (then times its keep-mask, if `keep_masks`
/// has them) after each but the last, then the sigmoid. The dense and the variational decoders
/// are this.
///
/// # Shapes
/// - `codes`: `[batch, L]`
/// - `keep_masks`: none, or `[batch, width]` for each hidden layer
/// - returns: `[batch, 784]`, pixels in 0…1
fn linear_values(layer: &Linear) -> LinearValues {
    let [inputs, outputs] = layer.weight.dims();
    let numbers = |tensor: Tensor<1>| {
        tensor
            .into_data()
            .try_into_vec::<f32>()
            .expect("f32 weights")
    };
    LinearValues {
        inputs,
        outputs,
        weight: numbers(layer.weight.val().reshape([inputs * outputs])),
        bias: match &layer.bias {
            Some(bias) => numbers(bias.val()),
            None => vec![0.0; outputs],
        },
    }
}

/// `param` holding `values` instead, on the same device, still requiring gradients if it did.
fn replaced<const D: usize>(
    param: Param<Tensor<D>>,
    values: Vec<f32>,
    shape: [usize; D],
) -> Param<Tensor<D>> {
    param.map(|tensor| {
        let replacement = Tensor::from_data(TensorData::new(values, shape), &tensor.device());
        match tensor.is_require_grad() {
            true => replacement.require_grad(),
            false => replacement,
        }
    })
}

pub(super) fn decode_through(
    layers: &[Linear],
    activation: &LeakyRelu,
    keep_masks: &[Tensor<2>],
    codes: Tensor<2>,
) -> Tensor<2> {
    let last = layers.len() - 1;
    let logits = layers.iter().enumerate().fold(codes, |x, (index, layer)| {
        let x = layer.forward(x);
        if index == last {
            return x;
        }
        let x = activation.forward(x);
        match keep_masks.get(index) {
            Some(mask) => x * mask.clone(),
            None => x,
        }
    });
    sigmoid(logits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::image::PIXELS;

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
        assert_eq!(
            model.dropped_widths(),
            [512, 256, 128, 64, 64, 128, 256, 512]
        );
    }

    #[test]
    fn parameter_count_matches_the_layers() {
        let config = DenseAutoencoderConfig::new(32);
        let model = config.init(&crate::device());
        assert_eq!(model.num_params(), config.parameter_count());
    }
}
