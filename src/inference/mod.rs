//! A loaded model for one image at a time, on plain arrays: the inference copy of each
//! architecture ([`DenseInference`], [`ConvInference`]) runs the layers burn defines on the
//! weights of a model file, without burn, so that the page's inference module can leave burn's
//! training stack out. The tests check each copy against burn's forward pass.

mod conv;
mod dense;
pub(crate) mod layers;

pub use conv::{ConvInference, ConvStages};
pub use dense::DenseInference;

use crate::architecture::Architecture;
use crate::model_file::{self, Header, ModelFile, NamedTensor};
use crate::util::error::{Error, Result, check_exact, check_image, check_pixel_range, check_rows};
use crate::util::image::{PIXELS, SIDE};
use crate::util::metrics::per_image_mse;

/// A model loaded from a model file, for encoding and decoding one image at a time.
pub struct InferenceModel {
    network: Network,
    header: Header,
}

/// The inference copy of either architecture.
enum Network {
    Dense(DenseInference),
    Conv(Box<ConvInference>),
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
        let network = match &file.header.architecture {
            Architecture::Dense(config) => Network::Dense(DenseInference::read(config, &file)?),
            Architecture::Conv(config) => {
                Network::Conv(Box::new(ConvInference::read(config, &file)?))
            }
        };
        let model = Self {
            network,
            header: file.header,
        };
        // Finite weights can still be large enough to overflow (found by fuzzing: a file with
        // a few huge weights rebuilt every image as NaN). A model that cannot rebuild a blank,
        // a grey or a fully inked image is refused here, where the file is chosen.
        for level in [0.0, 0.5, 1.0] {
            model.reconstruct(&[level; PIXELS]).map_err(|_| {
                Error::ModelFile(
                    "its weights are too large to compute with: the numbers overflow".into(),
                )
            })?;
        }
        Ok(model)
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

    /// The dense inference copy, for tools that work layer by layer (none for other
    /// architectures).
    pub fn dense(&self) -> Option<&DenseInference> {
        match &self.network {
            Network::Dense(dense) => Some(dense),
            Network::Conv(_) => None,
        }
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
mod tests {
    use super::*;
    use crate::architecture::{ConvAutoencoderConfig, DenseAutoencoderConfig};

    /// A network of `architecture` with small deterministic weights, without burn.
    fn plain_model(architecture: Architecture) -> InferenceModel {
        let (header, tensors) = plain_tensors(architecture, 1.0);
        InferenceModel::from_tensors(header, tensors).unwrap()
    }

    /// The header and tensors of [`plain_model`], every weight times `scale`.
    fn plain_tensors(architecture: Architecture, scale: f32) -> (Header, Vec<NamedTensor>) {
        let mut tensors = Vec::new();
        let mut add = |name: String, dims: Vec<usize>| {
            let count: usize = dims.iter().product();
            let values = (0..count)
                .map(|i| scale * (((i * 7919 + name.len() * 31) % 97) as f32 - 48.0) / 480.0)
                .collect();
            tensors.push(NamedTensor::float(name, dims, values));
        };
        match &architecture {
            Architecture::Dense(config) => {
                for (part, widths) in [
                    ("encoder", config.encoder_widths()),
                    ("decoder", config.decoder_widths()),
                ] {
                    for (index, pair) in widths.windows(2).enumerate() {
                        add(format!("{part}.{index}.weight"), vec![pair[0], pair[1]]);
                        add(format!("{part}.{index}.bias"), vec![pair[1]]);
                    }
                }
            }
            Architecture::Conv(config) => {
                let (c1, c2, flat, l) = (
                    config.channels_14,
                    config.channels_7,
                    config.flat_size(),
                    config.latent_size,
                );
                for (path, inputs, outputs) in [
                    ("down_14", 1, c1),
                    ("down_7", c1, c2),
                    ("up_14", c2, c1),
                    ("up_28", c1, 1),
                ] {
                    add(format!("{path}.weight"), vec![outputs, inputs, 3, 3]);
                    add(format!("{path}.bias"), vec![outputs]);
                }
                for (path, inputs, outputs) in [("to_code", flat, l), ("from_code", l, flat)] {
                    add(format!("{path}.weight"), vec![inputs, outputs]);
                    add(format!("{path}.bias"), vec![outputs]);
                }
            }
        }
        let header = Header {
            architecture,
            provenance: String::new(),
        };
        (header, tensors)
    }

    /// Found by fuzzing (`pkg-scripts/fuzz.sh`, target model_file): finite weights so large that
    /// the arithmetic overflows loaded, and rebuilt every image as NaN.
    #[test]
    fn weights_that_overflow_are_refused_when_loaded() {
        for architecture in [
            Architecture::Dense(DenseAutoencoderConfig::new(3)),
            Architecture::Conv(ConvAutoencoderConfig::new(4)),
        ] {
            let (header, tensors) = plain_tensors(architecture, 1e30);
            let error = InferenceModel::from_tensors(header, tensors)
                .err()
                .expect("overflowing weights loaded")
                .to_string();
            assert!(error.contains("too large"), "{error}");
        }
    }

    fn tiny_model() -> InferenceModel {
        plain_model(Architecture::Dense(DenseAutoencoderConfig::new(3)))
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
    fn weights_that_do_not_fit_the_header_are_refused() {
        let model = tiny_model();
        let fitting = |mut tensors: Vec<NamedTensor>, edit: &dyn Fn(&mut Vec<NamedTensor>)| {
            edit(&mut tensors);
            let header = model.header().clone();
            match InferenceModel::from_tensors(header, tensors) {
                Ok(_) => panic!("weights that do not fit were taken"),
                Err(e) => e.to_string(),
            }
        };
        let tensors = dense_tensors(3);
        assert!(
            fitting(tensors.clone(), &|t| {
                t.remove(0);
            })
            .contains("missing tensor encoder.0.weight")
        );
        assert!(
            fitting(tensors.clone(), &|t| t[0].dims = vec![784, 511])
                .contains("encoder.0.weight is [784, 511]")
        );
        assert!(
            fitting(tensors, &|t| t.push(NamedTensor::float(
                "extra",
                vec![1],
                vec![0.0]
            )))
            .contains("unexpected tensors [\"extra\"]")
        );
    }

    fn dense_tensors(latent: usize) -> Vec<NamedTensor> {
        let config = DenseAutoencoderConfig::new(latent);
        let mut tensors = Vec::new();
        for (part, widths) in [
            ("encoder", config.encoder_widths()),
            ("decoder", config.decoder_widths()),
        ] {
            for (index, pair) in widths.windows(2).enumerate() {
                tensors.push(NamedTensor::float(
                    format!("{part}.{index}.weight"),
                    vec![pair[0], pair[1]],
                    vec![0.01; pair[0] * pair[1]],
                ));
                tensors.push(NamedTensor::float(
                    format!("{part}.{index}.bias"),
                    vec![pair[1]],
                    vec![0.0; pair[1]],
                ));
            }
        }
        tensors
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
        let conv = plain_model(Architecture::Conv(ConvAutoencoderConfig::new(4)));
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
        for stage in &stages {
            let expected = if stage.side == 0 {
                4
            } else {
                stage.channels * stage.side * stage.side
            };
            assert_eq!(stage.values.len(), expected, "{}", stage.name);
        }
        assert_eq!(stages[3].values, conv.encode(&image).unwrap());
        assert_eq!(stages[6].values, conv.reconstruct(&image).unwrap());
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

#[cfg(all(test, feature = "training"))]
mod against_burn;
