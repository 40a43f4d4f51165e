//! A loaded model ready for single images. The inference copy of the weights (plain arrays,
//! dropout off, see [`DenseInference`]) is made once at load time and reused by every call.

use burn::prelude::*;

use crate::Result;
use crate::error::{check_exact, check_image, check_pixel_range, check_rows};
use crate::image::PIXELS;
use crate::model::{DenseAutoencoder, DenseInference};
use crate::model_file::{self, Header};

/// A model loaded from a model file, for encoding and decoding one image at a time.
pub struct InferenceModel {
    model: DenseAutoencoder,
    fast: DenseInference,
    header: Header,
}

impl InferenceModel {
    /// Loads and validates a model file.
    pub fn load(bytes: &[u8]) -> Result<Self> {
        let device = crate::device();
        let (model, header) = model_file::load(bytes, &device)?;
        Ok(Self::from_model(model.valid(), header))
    }

    /// Wraps an already built model (dropout off).
    pub fn from_model(model: DenseAutoencoder, header: Header) -> Self {
        Self {
            fast: DenseInference::from_model(&model),
            model,
            header,
        }
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
    pub fn network(&self) -> &DenseAutoencoder {
        &self.model
    }

    /// 784 pixels in 0…1 → L code values.
    pub fn encode(&self, image: &[f32]) -> Result<Vec<f32>> {
        check_image("image", image)?;
        Ok(self.fast.encode(image))
    }

    /// n images (n×784 pixels, row by row) → their n codes (n×L values, row by row).
    pub fn encode_many(&self, images: &[f32]) -> Result<Vec<f32>> {
        check_rows("images", images, PIXELS)?;
        check_pixel_range("images", images)?;
        Ok(images
            .chunks_exact(PIXELS)
            .flat_map(|image| self.fast.encode(image))
            .collect())
    }

    /// L code values → 784 pixels in 0…1.
    pub fn decode(&self, code: &[f32]) -> Result<Vec<f32>> {
        check_exact("latent code", code, self.latent_size())?;
        Ok(self.fast.decode(code))
    }

    /// 784 pixels → 784 pixels, through the code.
    pub fn reconstruct(&self, image: &[f32]) -> Result<Vec<f32>> {
        check_image("image", image)?;
        Ok(self.fast.decode(&self.fast.encode(image)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DenseAutoencoderConfig;
    use crate::model_file::Architecture;

    fn tiny_model() -> InferenceModel {
        let config = DenseAutoencoderConfig::new(3);
        let model = config.init(&crate::device()).valid();
        let header = Header {
            architecture: Architecture::Dense(config),
            provenance: String::new(),
        };
        InferenceModel::from_model(model, header)
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
        let model = tiny_model();
        // Mostly paper, some ink: the copy skips zero pixels, burn does not.
        let image: Vec<f32> = (0..PIXELS)
            .map(|i| {
                if i % 5 == 0 {
                    (i % 11) as f32 / 10.0
                } else {
                    0.0
                }
            })
            .collect();
        let device = crate::device();
        let input = crate::training::to_tensor(&image, 1, &device);
        let burn_code = model
            .network()
            .encode(input.clone())
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let burn_image = model
            .network()
            .forward(input)
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let close = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5);
        assert!(close(&model.encode(&image).unwrap(), &burn_code));
        assert!(close(&model.reconstruct(&image).unwrap(), &burn_image));
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
    fn decode_of_encode_is_reconstruct() {
        let model = tiny_model();
        let image: Vec<f32> = (0..PIXELS).map(|i| (i % 7) as f32 / 7.0).collect();
        let via_code = model.decode(&model.encode(&image).unwrap()).unwrap();
        let direct = model.reconstruct(&image).unwrap();
        let worst = via_code
            .iter()
            .zip(&direct)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-5);
    }
}
