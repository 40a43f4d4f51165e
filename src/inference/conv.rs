//! The convolutional autoencoder on plain arrays, for one image at a time, with every stage
//! kept for the feature-map view. burn's definition is `model::conv`; the tests check this
//! copy against it.

use super::layers::{Conv3x3, Dense, leaky_relu, sigmoid, upsample_2x};
use crate::architecture::ConvAutoencoderConfig;
use crate::architecture::conv::{HALF, QUARTER};
use crate::model_file::ModelFile;
use crate::util::error::Result;
use crate::util::image::SIDE;

/// The convolutional network's layers.
#[derive(Debug, Clone)]
pub struct ConvInference {
    down_14: Conv3x3,
    down_7: Conv3x3,
    to_code: Dense,
    from_code: Dense,
    up_14: Conv3x3,
    up_28: Conv3x3,
    slope: f32,
}

/// Every stage of one pass: the encoder's maps, the code, the decoder's maps and the output.
pub struct ConvStages {
    /// `C1 × 14 × 14`
    pub down_14: Vec<f32>,
    /// `C2 × 7 × 7`
    pub down_7: Vec<f32>,
    /// `L`
    pub code: Vec<f32>,
    /// `C2 × 7 × 7`
    pub up_7: Vec<f32>,
    /// `C1 × 14 × 14`
    pub up_14: Vec<f32>,
    /// `784`, pixels in 0…1
    pub output: Vec<f32>,
}

impl ConvInference {
    /// The network `config` describes, with the weights of `file`.
    pub fn read(config: &ConvAutoencoderConfig, file: &ModelFile) -> Result<Self> {
        let (c1, c2, latent) = (config.channels_14, config.channels_7, config.latent_size);
        let flat = config.flat_size();
        let names: Vec<String> = [
            "down_14",
            "down_7",
            "to_code",
            "from_code",
            "up_14",
            "up_28",
        ]
        .iter()
        .flat_map(|path| Dense::tensor_names(path))
        .collect();
        file.check_no_others(&names)?;
        Ok(Self {
            down_14: Conv3x3::read(file, "down_14", 1, c1, 2)?,
            down_7: Conv3x3::read(file, "down_7", c1, c2, 2)?,
            to_code: Dense::read(file, "to_code", flat, latent)?,
            from_code: Dense::read(file, "from_code", latent, flat)?,
            up_14: Conv3x3::read(file, "up_14", c2, c1, 1)?,
            up_28: Conv3x3::read(file, "up_28", c1, 1, 1)?,
            slope: config.leaky_slope as f32,
        })
    }

    fn activated(&self, mut values: Vec<f32>) -> Vec<f32> {
        leaky_relu(&mut values, self.slope);
        values
    }

    /// The encoder's stages for one image: `(down_14, down_7, code)`.
    fn encode_stages(&self, image: &[f32]) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let down_14 = self.activated(self.down_14.forward(image, SIDE));
        let down_7 = self.activated(self.down_7.forward(&down_14, HALF));
        let code = self.activated(self.to_code.forward(&down_7));
        (down_14, down_7, code)
    }

    /// The decoder's stages for one code: `(up_7, up_14, output)`.
    fn decode_stages(&self, code: &[f32]) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let up_7 = self.activated(self.from_code.forward(code));
        let up_14 = self.activated(self.up_14.forward(&upsample_2x(&up_7, QUARTER), HALF));
        let mut output = self.up_28.forward(&upsample_2x(&up_14, HALF), SIDE);
        sigmoid(&mut output);
        (up_7, up_14, output)
    }

    /// 784 pixels → L code values (inputs are checked by the caller).
    pub fn encode(&self, image: &[f32]) -> Vec<f32> {
        self.encode_stages(image).2
    }

    /// L code values → 784 pixels in 0…1.
    pub fn decode(&self, code: &[f32]) -> Vec<f32> {
        self.decode_stages(code).2
    }

    /// The whole pass with every intermediate map.
    pub fn stages(&self, image: &[f32]) -> ConvStages {
        let (down_14, down_7, code) = self.encode_stages(image);
        let (up_7, up_14, output) = self.decode_stages(&code);
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
