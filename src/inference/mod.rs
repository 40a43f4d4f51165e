//! A loaded model ready for single images. For the dense network an inference copy of the
//! weights (plain arrays, dropout off, see [`DenseInference`]) is made once at load time and
//! reused by every call; the convolutional network runs through burn.

mod dense;

use burn::prelude::*;

pub use dense::DenseInference;

use crate::model::{Network, images_tensor};
use crate::model_file::{self, Header};
use crate::util::error::{Error, Result, check_exact, check_image, check_pixel_range, check_rows};
use crate::util::image::{PIXELS, SIDE};
use crate::util::metrics::per_image_mse;

/// A model loaded from a model file, for encoding and decoding one image at a time.
pub struct InferenceModel {
    model: Network,
    /// The plain-array copy of a dense network (none for other architectures).
    fast: Option<DenseInference>,
    header: Header,
}

/// One stage's feature maps for one image: `channels` maps of `side × side` values, map after
/// map, row-major (a code is one "map" of `side = 1`… see [`InferenceModel::feature_maps`]).
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
        let device = crate::device();
        let (model, header) = model_file::load(bytes, &device)?;
        Self::from_model(model.valid(), header)
    }

    /// Wraps an already built model (dropout off).
    pub fn from_model(model: Network, header: Header) -> Result<Self> {
        let fast = match &model {
            Network::Dense(dense) => Some(DenseInference::from_model(dense)?),
            Network::Conv(_) => None,
        };
        Ok(Self {
            fast,
            model,
            header,
        })
    }

    /// The file's header: architecture, config and provenance.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Width of the code (L).
    pub fn latent_size(&self) -> usize {
        self.header.architecture.latent_size()
    }

    /// The underlying network.
    pub fn network(&self) -> &Network {
        &self.model
    }

    /// 784 pixels in 0…1 → L code values.
    pub fn encode(&self, image: &[f32]) -> Result<Vec<f32>> {
        check_image("image", image)?;
        Ok(self.encode_checked(image, 1))
    }

    /// Codes of `rows` images already checked.
    fn encode_checked(&self, images: &[f32], rows: usize) -> Vec<f32> {
        match &self.fast {
            Some(fast) => images
                .chunks_exact(PIXELS)
                .flat_map(|image| fast.encode(image))
                .collect(),
            None => {
                let input = images_tensor(images, rows, &self.model.device());
                to_vec(self.model.encode(input))
            }
        }
    }

    /// n images (n×784 pixels, row by row) → their n codes (n×L values, row by row).
    pub fn encode_many(&self, images: &[f32]) -> Result<Vec<f32>> {
        let rows = check_rows("images", images, PIXELS)?;
        check_pixel_range("images", images)?;
        Ok(self.encode_checked(images, rows))
    }

    /// L code values → 784 pixels in 0…1.
    pub fn decode(&self, code: &[f32]) -> Result<Vec<f32>> {
        check_exact("latent code", code, self.latent_size())?;
        Ok(match &self.fast {
            Some(fast) => fast.decode(code),
            None => {
                let codes = Tensor::<2>::from_data(
                    TensorData::new(code.to_vec(), [1, code.len()]),
                    &self.model.device(),
                );
                to_vec(self.model.decode(codes))
            }
        })
    }

    /// 784 pixels → 784 pixels, through the code.
    pub fn reconstruct(&self, image: &[f32]) -> Result<Vec<f32>> {
        check_image("image", image)?;
        let code = self.encode_checked(image, 1);
        self.decode(&code)
    }

    /// Each of n images' (n×784 pixels) mean squared reconstruction error: the anomaly score.
    pub fn reconstruction_errors(&self, images: &[f32]) -> Result<Vec<f32>> {
        check_rows("images", images, PIXELS)?;
        let outputs = images
            .chunks_exact(PIXELS)
            .map(|image| self.reconstruct(image))
            .collect::<Result<Vec<_>>>()?
            .concat();
        Ok(per_image_mse(&outputs, images))
    }

    /// Every stage of the network for one image, input to output: for the convolutional
    /// network the image, the 14×14 and 7×7 feature maps, the code, and the decoder's 7×7 and
    /// 14×14 maps and output. The dense network has no spatial maps: an error says so.
    pub fn feature_maps(&self, image: &[f32]) -> Result<Vec<FeatureMaps>> {
        check_image("image", image)?;
        let Network::Conv(model) = &self.model else {
            return Err(Error::InvalidInput(
                "feature maps exist only for the convolutional model".into(),
            ));
        };
        let stages = model.stages(images_tensor(image, 1, &self.model.device()));
        let maps = |name: &str, tensor: Tensor<4>| {
            let [_, channels, side, _] = tensor.dims();
            FeatureMaps {
                name: name.into(),
                channels,
                side,
                values: to_vec(tensor),
            }
        };
        let image_map = |name: &str, values: Vec<f32>| FeatureMaps {
            name: name.into(),
            channels: 1,
            side: SIDE,
            values,
        };
        Ok(vec![
            image_map("input 28×28", image.to_vec()),
            maps("encoder 14×14", stages.down_14),
            maps("encoder 7×7", stages.down_7),
            FeatureMaps {
                name: format!("code ({})", self.latent_size()),
                channels: 1,
                side: 0,
                values: to_vec(stages.code),
            },
            maps("decoder 7×7", stages.up_7),
            maps("decoder 14×14", stages.up_14),
            image_map("output 28×28", to_vec(stages.output)),
        ])
    }
}

fn to_vec<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor
        .into_data()
        .try_to_vec::<f32>()
        .expect("the model computes in f32")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Architecture, ConvAutoencoderConfig, DenseAutoencoderConfig};
    use crate::util::metrics::max_abs_difference;

    fn tiny_model() -> InferenceModel {
        model_of(Architecture::Dense(DenseAutoencoderConfig::new(3)))
    }

    fn model_of(architecture: Architecture) -> InferenceModel {
        let model = architecture.init(&crate::device()).valid();
        let header = Header {
            architecture,
            provenance: String::new(),
        };
        InferenceModel::from_model(model, header).unwrap()
    }

    #[test]
    fn shapes_and_bad_input() {
        let model = tiny_model();
        assert_eq!(model.encode(&[0.2; PIXELS]).unwrap().len(), 3);
        assert_eq!(model.decode(&[0.1, 0.2, 0.3]).unwrap().len(), PIXELS);
        assert_eq!(model.reconstruct(&[0.0; PIXELS]).unwrap().len(), PIXELS);
        assert!(
            model
                .encode(&[0.2; 783])
                .unwrap_err()
                .to_string()
                .contains("783")
        );
        assert!(
            model
                .decode(&[0.1, 0.2])
                .unwrap_err()
                .to_string()
                .contains("exactly 3")
        );
        assert!(model.decode(&[0.1, f32::INFINITY, 0.3]).is_err());
        assert!(
            model
                .reconstruct(&[])
                .unwrap_err()
                .to_string()
                .contains("0 numbers")
        );
    }

    #[test]
    fn the_inference_copy_matches_the_burn_model() {
        // Mostly paper, some ink (the copy skips zero pixels, burn does not), on models of
        // several widths; the shipped-models test does the same for every shipped file.
        let images: Vec<Vec<f32>> = (0..3)
            .map(|k| {
                (0..PIXELS)
                    .map(|i| {
                        if (i + k) % 5 == 0 {
                            ((i * (k + 1)) % 11) as f32 / 10.0
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        for latent in [2, 3, 16] {
            let model = model_of(Architecture::Dense(DenseAutoencoderConfig::new(latent)));
            for image in &images {
                let input = images_tensor(image, 1, &crate::device());
                let burn_code = to_vec(model.network().encode(input.clone()));
                let burn_image = to_vec(model.network().forward(input));
                let code = model.encode(image).unwrap();
                assert!(
                    max_abs_difference(&code, &burn_code) < 1e-5,
                    "L={latent}: codes"
                );
                let image = model.reconstruct(image).unwrap();
                assert!(
                    max_abs_difference(&image, &burn_image) < 1e-5,
                    "L={latent}: images"
                );
            }
        }
    }

    #[test]
    fn encode_many_is_encode_row_by_row() {
        let model = tiny_model();
        let first: Vec<f32> = (0..PIXELS).map(|i| (i % 7) as f32 / 7.0).collect();
        let second: Vec<f32> = (0..PIXELS).map(|i| (i % 3) as f32 / 3.0).collect();
        let both = model
            .encode_many(&[first.clone(), second.clone()].concat())
            .unwrap();
        let expected = [
            model.encode(&first).unwrap(),
            model.encode(&second).unwrap(),
        ]
        .concat();
        assert_eq!(both, expected);
        assert!(model.encode_many(&first[..700]).is_err());
        assert!(model.encode_many(&[2.0; PIXELS]).is_err());
    }

    #[test]
    fn the_conv_model_gives_its_feature_maps_and_the_dense_one_says_it_has_none() {
        let conv = model_of(Architecture::Conv(ConvAutoencoderConfig::new(4)));
        let image: Vec<f32> = (0..PIXELS).map(|i| (i % 9) as f32 / 9.0).collect();
        let stages = conv.feature_maps(&image).unwrap();
        let shapes: Vec<(usize, usize)> = stages.iter().map(|s| (s.channels, s.side)).collect();
        assert_eq!(
            shapes,
            [
                (1, 28),
                (16, 14),
                (32, 7),
                (1, 0),
                (32, 7),
                (16, 14),
                (1, 28)
            ]
        );
        assert_eq!(stages[3].values, conv.encode(&image).unwrap());
        let direct = conv.reconstruct(&image).unwrap();
        assert!(max_abs_difference(&stages[6].values, &direct) < 1e-5);
        assert_eq!(conv.decode(&[0.5; 4]).unwrap().len(), PIXELS);
        assert_eq!(
            conv.encode_many(&[image.clone(), image.clone()].concat())
                .unwrap()
                .len(),
            8
        );
        assert!(
            tiny_model()
                .feature_maps(&image)
                .unwrap_err()
                .to_string()
                .contains("convolutional")
        );
    }
}
