//! A loaded model ready for single images: the inference copy of the weights (plain device,
//! dropout off) is made once at load time and reused by every call.

use burn::prelude::*;

use crate::Result;
use crate::error::check_exact;
use crate::model::DenseAutoencoder;
use crate::model_file::{self, Header};
use crate::training::{check_image, to_tensor};

/// A model loaded from a model file, for encoding and decoding one image at a time.
pub struct InferenceModel {
    model: DenseAutoencoder,
    header: Header,
    device: Device,
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
        let device = model
            .devices()
            .first()
            .cloned()
            .unwrap_or_else(crate::device);
        Self {
            model,
            header,
            device,
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
        Ok(to_vec(self.model.encode(to_tensor(image, 1, &self.device))))
    }

    /// L code values → 784 pixels in 0…1.
    pub fn decode(&self, code: &[f32]) -> Result<Vec<f32>> {
        let latent = self.latent_size();
        check_exact("latent code", code, latent)?;
        let codes =
            Tensor::<2>::from_data(TensorData::new(code.to_vec(), [1, latent]), &self.device);
        Ok(to_vec(self.model.decode(codes)))
    }

    /// 784 pixels → 784 pixels, through the code.
    pub fn reconstruct(&self, image: &[f32]) -> Result<Vec<f32>> {
        check_image("image", image)?;
        Ok(to_vec(self.model.forward(to_tensor(
            image,
            1,
            &self.device,
        ))))
    }
}

fn to_vec(tensor: Tensor<2>) -> Vec<f32> {
    tensor.into_data().try_into_vec::<f32>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::PIXELS;
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
