//! A classifier made of an autoencoder's encoder and a softmax head, in burn: what transfer
//! learning fine-tunes (and, from random weights, what it is compared with).
//!
//! ```text
//! encoder: 784 → 512 → 256 → 128 → 64 → L   (the dense autoencoder's, LeakyReLU after each)
//! head:    L → classes                       (logits; the softmax is the loss's or the caller's)
//! ```
//!
//! No dropout: the augmentation (a new deformation of each digit at every step) is what keeps
//! a hundred labels from being learned by heart.

use burn::nn::{LeakyRelu, LeakyReluConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::softmax;

use super::DenseAutoencoder;
use crate::model_file::classifier::ClassifierHeader;

/// The encoder and its head. Build it with [`EncoderClassifier::from_autoencoder`] or
/// [`EncoderClassifier::random`].
#[derive(Module, Debug)]
pub struct EncoderClassifier {
    encoder: Vec<Linear>,
    head: Linear,
    activation: LeakyRelu,
}

impl EncoderClassifier {
    /// `autoencoder`'s encoder (its trained weights) under a fresh head of `classes` outputs.
    pub fn from_autoencoder(
        autoencoder: &DenseAutoencoder,
        classes: usize,
        device: &Device,
    ) -> Self {
        let encoder = autoencoder.encoder_layers().to_vec();
        let code_size = autoencoder.latent_size();
        Self {
            encoder,
            head: LinearConfig::new(code_size, classes).init(device),
            activation: LeakyReluConfig::new()
                .with_negative_slope(autoencoder.leaky_slope())
                .init(),
        }
    }

    /// The same network with every weight drawn afresh: the control that shows what the
    /// autoencoder's training was worth.
    pub fn random(encoder_widths: &[usize], classes: usize, slope: f64, device: &Device) -> Self {
        Self {
            encoder: encoder_widths
                .windows(2)
                .map(|pair| LinearConfig::new(pair[0], pair[1]).init(device))
                .collect(),
            head: LinearConfig::new(*encoder_widths.last().unwrap_or(&1), classes).init(device),
            activation: LeakyReluConfig::new().with_negative_slope(slope).init(),
        }
    }

    /// A network of the shape a classifier file's header describes, its weights random (for
    /// the file's tensors to fill).
    pub fn for_header(header: &ClassifierHeader, device: &Device) -> Self {
        Self::random(
            &header.encoder_widths,
            header.classes.len(),
            header.leaky_slope,
            device,
        )
    }

    /// The encoder's widths, 784 first.
    pub fn encoder_widths(&self) -> Vec<usize> {
        let mut widths = vec![self.encoder.first().map_or(0, |l| l.weight.dims()[0])];
        widths.extend(self.encoder.iter().map(|l| l.weight.dims()[1]));
        widths
    }

    /// LeakyReLU's slope for negative inputs.
    pub fn leaky_slope(&self) -> f64 {
        self.activation.negative_slope
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`, pixels in 0…1, 1 = ink
    /// - returns: `[batch, classes]`, logits
    pub fn logits(&self, images: Tensor<2>) -> Tensor<2> {
        let code = self
            .encoder
            .iter()
            .fold(images, |x, layer| self.activation.forward(layer.forward(x)));
        self.head.forward(code)
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`
    /// - returns: `[batch, classes]`, probabilities
    pub fn probabilities(&self, images: Tensor<2>) -> Tensor<2> {
        softmax(self.logits(images), 1)
    }
}
