//! A convolutional autoencoder: downsampling by strided convolutions, upsampling by
//! nearest-neighbour resizing followed by a convolution.
//!
//! ```text
//! encoder: 1×28×28 → conv 3×3 stride 2 → C1×14×14 → conv 3×3 stride 2 → C2×7×7 → Dense → L
//! decoder: L → Dense → C2×7×7 → upsample ×2, conv 3×3 → C1×14×14 → upsample ×2, conv 3×3 → 1×28×28
//! ```
//!
//! Every layer but the last is followed by LeakyReLU; the output goes through a sigmoid.
//! Upsampling is nearest-neighbour then a convolution rather than a transposed convolution:
//! with a 3×3 kernel and stride 2 a transposed convolution covers some output pixels with more
//! kernel taps than others, which paints a checkerboard into the image; resizing first gives
//! every output pixel the same number of taps (Odena, Dumoulin and Olah, "Deconvolution and
//! Checkerboard Artifacts", 2016).

use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{LeakyRelu, LeakyReluConfig, Linear, LinearConfig, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::sigmoid;

use crate::architecture::ConvAutoencoderConfig;
use crate::architecture::conv::QUARTER;
use crate::util::image::{PIXELS, SIDE};

impl ConvAutoencoderConfig {
    /// A freshly initialised model on `device`.
    pub fn init(&self, device: &Device) -> ConvAutoencoder {
        let padded = || PaddingConfig2d::Explicit(1, 1, 1, 1);
        let conv = |input: usize, output: usize, stride: usize| {
            Conv2dConfig::new([input, output], [3, 3])
                .with_stride([stride, stride])
                .with_padding(padded())
                .init(device)
        };
        let flat = self.flat_size();
        ConvAutoencoder {
            down_14: conv(1, self.channels_14, 2),
            down_7: conv(self.channels_14, self.channels_7, 2),
            to_code: LinearConfig::new(flat, self.latent_size).init(device),
            from_code: LinearConfig::new(self.latent_size, flat).init(device),
            up_14: conv(self.channels_7, self.channels_14, 1),
            up_28: conv(self.channels_14, 1, 1),
            activation: LeakyReluConfig::new()
                .with_negative_slope(self.leaky_slope)
                .init(),
        }
    }
}

/// The convolutional autoencoder. Build it with [`ConvAutoencoderConfig::init`].
#[derive(Module, Debug)]
pub struct ConvAutoencoder {
    down_14: Conv2d,
    down_7: Conv2d,
    to_code: Linear,
    from_code: Linear,
    up_14: Conv2d,
    up_28: Conv2d,
    activation: LeakyRelu,
}

/// Every stage of one forward pass: the reference the page's feature maps (the inference
/// copy's) are checked against.
pub struct ConvStages {
    /// `[batch, C1, 14, 14]`
    pub down_14: Tensor<4>,
    /// `[batch, C2, 7, 7]`
    pub down_7: Tensor<4>,
    /// `[batch, L]`
    pub code: Tensor<2>,
    /// `[batch, C2, 7, 7]`
    pub up_7: Tensor<4>,
    /// `[batch, C1, 14, 14]`
    pub up_14: Tensor<4>,
    /// `[batch, 784]`, pixels in 0…1
    pub output: Tensor<2>,
}

impl ConvAutoencoder {
    /// Width of the code.
    pub fn latent_size(&self) -> usize {
        self.to_code.weight.dims()[1]
    }

    fn channels_7(&self) -> usize {
        self.down_7.weight.dims()[0]
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`, pixels in 0…1, 1 = ink
    /// - returns: `([batch, C1, 14, 14], [batch, C2, 7, 7], [batch, L])`
    fn encode_stages(&self, images: Tensor<2>) -> (Tensor<4>, Tensor<4>, Tensor<2>) {
        let [batch, _] = images.dims();
        let x = images.reshape([batch, 1, SIDE, SIDE]);
        let down_14 = self.activation.forward(self.down_14.forward(x));
        let down_7 = self
            .activation
            .forward(self.down_7.forward(down_14.clone()));
        let flat = down_7
            .clone()
            .reshape([batch, self.channels_7() * QUARTER * QUARTER]);
        let code = self.activation.forward(self.to_code.forward(flat));
        (down_14, down_7, code)
    }

    /// # Shapes
    /// - `codes`: `[batch, L]`
    /// - returns: `([batch, C2, 7, 7], [batch, C1, 14, 14], [batch, 784])`
    fn decode_stages(&self, codes: Tensor<2>) -> (Tensor<4>, Tensor<4>, Tensor<2>) {
        let [batch, _] = codes.dims();
        let up_7 = self
            .activation
            .forward(self.from_code.forward(codes))
            .reshape([batch, self.channels_7(), QUARTER, QUARTER]);
        let up_14 = self
            .activation
            .forward(self.up_14.forward(upsample_2x(up_7.clone())));
        let logits = self.up_28.forward(upsample_2x(up_14.clone()));
        (up_7, up_14, sigmoid(logits.reshape([batch, PIXELS])))
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`, pixels in 0…1, 1 = ink
    /// - returns: `[batch, L]`
    pub fn encode(&self, images: Tensor<2>) -> Tensor<2> {
        self.encode_stages(images).2
    }

    /// # Shapes
    /// - `codes`: `[batch, L]`
    /// - returns: `[batch, 784]`, pixels in 0…1
    pub fn decode(&self, codes: Tensor<2>) -> Tensor<2> {
        self.decode_stages(codes).2
    }

    /// # Shapes
    /// - `images`: `[batch, 784]`
    /// - returns: `[batch, 784]`
    pub fn forward(&self, images: Tensor<2>) -> Tensor<2> {
        self.decode(self.encode(images))
    }

    /// The whole pass with every intermediate feature map (see [`ConvStages`]).
    pub fn stages(&self, images: Tensor<2>) -> ConvStages {
        let (down_14, down_7, code) = self.encode_stages(images);
        let (up_7, up_14, output) = self.decode_stages(code.clone());
        ConvStages {
            down_14,
            down_7,
            code,
            up_7,
            up_14,
            output,
        }
    }
}

/// Nearest-neighbour upsampling by 2 in both directions: every value becomes a 2×2 block.
///
/// # Shapes
/// - `x`: `[batch, channels, h, w]`
/// - returns: `[batch, channels, 2h, 2w]`
fn upsample_2x(x: Tensor<4>) -> Tensor<4> {
    let [batch, channels, height, width] = x.dims();
    x.reshape([batch, channels, height, 1, width, 1])
        .repeat_dim(3, 2)
        .repeat_dim(5, 2)
        .reshape([batch, channels, 2 * height, 2 * width])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_has_the_documented_shape() {
        let device = crate::device();
        let config = ConvAutoencoderConfig::new(8);
        let model = config.init(&device);
        let images = Tensor::<2>::ones([3, PIXELS], &device) * 0.5;
        let stages = model.stages(images);
        assert_eq!(stages.down_14.dims(), [3, 16, 14, 14]);
        assert_eq!(stages.down_7.dims(), [3, 32, 7, 7]);
        assert_eq!(stages.code.dims(), [3, 8]);
        assert_eq!(stages.up_7.dims(), [3, 32, 7, 7]);
        assert_eq!(stages.up_14.dims(), [3, 16, 14, 14]);
        assert_eq!(stages.output.dims(), [3, PIXELS]);
        assert_eq!(model.latent_size(), 8);
        let output = stages.output.into_data().try_to_vec::<f32>().unwrap();
        assert!(output.iter().all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn parameter_count_matches_the_module() {
        let config = ConvAutoencoderConfig::new(32);
        let model = config.init(&crate::device());
        assert_eq!(model.num_params(), config.parameter_count());
    }

    #[test]
    fn upsampling_repeats_each_value_into_a_block() {
        let device = crate::device();
        let x = Tensor::<4>::from_data(
            TensorData::new(vec![1.0f32, 2.0, 3.0, 4.0], [1, 1, 2, 2]),
            &device,
        );
        let up = upsample_2x(x).into_data().try_to_vec::<f32>().unwrap();
        #[rustfmt::skip]
        let expected = [
            1.0, 1.0, 2.0, 2.0,
            1.0, 1.0, 2.0, 2.0,
            3.0, 3.0, 4.0, 4.0,
            3.0, 3.0, 4.0, 4.0,
        ];
        assert_eq!(up, expected);
    }
}
