//! The course note's dense autoencoder on plain arrays, for one image at a time.
//!
//! For a single image, burn's per-operation overhead (dispatch, allocation, a tensor per
//! intermediate result) costs more than the arithmetic; and the page's inference module has no
//! burn at all. burn stays the one definition of the model (`model::dense`): this copy runs the
//! same layers on the weights of a model file, and the tests check it against burn's forward
//! pass, here on random networks and on every shipped model.

use super::layers::{Dense, leaky_relu, sigmoid};
use crate::architecture::DenseAutoencoderConfig;
use crate::model_file::ModelFile;
use crate::util::error::Result;

/// The inference copy: dropout off, the same activations as the burn model.
#[derive(Debug, Clone)]
pub struct DenseInference {
    encoder: Vec<Dense>,
    decoder: Vec<Dense>,
    slope: f32,
}

impl DenseInference {
    /// The network `config` describes, with the weights of `file`.
    pub fn read(config: &DenseAutoencoderConfig, file: &ModelFile) -> Result<Self> {
        let parts = [
            ("encoder", config.encoder_widths()),
            ("decoder", config.decoder_widths()),
        ];
        file.check_no_others(&stack_tensor_names(&parts))?;
        Ok(Self {
            encoder: read_stack(file, "encoder", &config.encoder_widths())?,
            decoder: read_stack(file, "decoder", &config.decoder_widths())?,
            slope: config.leaky_slope as f32,
        })
    }

    /// 784 pixels → L code values (inputs are checked by the caller).
    pub fn encode(&self, image: &[f32]) -> Vec<f32> {
        activated_stack(&self.encoder, self.slope, image)
    }

    /// L code values → 784 pixels in 0…1.
    pub fn decode(&self, code: &[f32]) -> Vec<f32> {
        decoder_stack(&self.decoder, self.slope, code)
    }

    /// The encoder's layers, the decoder's and LeakyReLU's slope.
    pub(super) fn parts(&self) -> (&[Dense], &[Dense], f32) {
        (&self.encoder, &self.decoder, self.slope)
    }

    /// Every Dense layer in order, input to output, with its path in the model file and
    /// whether LeakyReLU follows it (all but the last; the last is followed by the sigmoid).
    #[cfg(feature = "training")]
    pub(crate) fn layers(&self) -> Vec<(String, &Dense, bool)> {
        let last = self.encoder.len() + self.decoder.len() - 1;
        self.encoder
            .iter()
            .enumerate()
            .map(|(index, layer)| (format!("encoder.{index}"), layer))
            .chain(
                self.decoder
                    .iter()
                    .enumerate()
                    .map(|(index, layer)| (format!("decoder.{index}"), layer)),
            )
            .enumerate()
            .map(|(position, (path, layer))| (path, layer, position < last))
            .collect()
    }

    /// LeakyReLU's slope for negative inputs.
    #[cfg(feature = "training")]
    pub(crate) fn slope(&self) -> f32 {
        self.slope
    }
}

/// The Dense layers `{part}.0`, `{part}.1`, … between consecutive `widths`, from `file`.
pub(super) fn read_stack(file: &ModelFile, part: &str, widths: &[usize]) -> Result<Vec<Dense>> {
    widths
        .windows(2)
        .enumerate()
        .map(|(index, pair)| Dense::read(file, &format!("{part}.{index}"), pair[0], pair[1]))
        .collect()
}

/// The tensor names of the stacks `(part, widths)` that [`read_stack`] reads.
pub(super) fn stack_tensor_names(parts: &[(&str, Vec<usize>)]) -> Vec<String> {
    parts
        .iter()
        .flat_map(|(part, widths)| {
            (0..widths.len() - 1)
                .flat_map(move |index| Dense::tensor_names(&format!("{part}.{index}")))
        })
        .collect()
}

/// `input` through `layers`, each followed by LeakyReLU (the encoders).
pub(super) fn activated_stack(layers: &[Dense], slope: f32, input: &[f32]) -> Vec<f32> {
    layers.iter().fold(input.to_vec(), |x, layer| {
        let mut y = layer.forward(&x);
        leaky_relu(&mut y, slope);
        y
    })
}

/// A code through the decoder's `layers`: LeakyReLU after each but the last, then the sigmoid.
pub(super) fn decoder_stack(layers: &[Dense], slope: f32, code: &[f32]) -> Vec<f32> {
    let last = layers.len() - 1;
    let mut x = code.to_vec();
    for (index, layer) in layers.iter().enumerate() {
        x = layer.forward(&x);
        if index < last {
            leaky_relu(&mut x, slope);
        }
    }
    sigmoid(&mut x);
    x
}
