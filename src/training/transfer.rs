//! The transfer-learning comparison, one draw of labelled digits at a time: a softmax on
//! pixels, on PCA's codes and on the encoder's frozen codes, and the encoder fine-tuned (or the
//! same network from random weights), each scored on the test split.

use burn::prelude::*;

use super::fine_tune::{self, DIGIT_CLASSES, FineTuneOptions};
use crate::analysis::pca::Pca;
use crate::analysis::softmax::{SoftmaxClassifier, SoftmaxOptions};
use crate::data::{Dataset, Split};
use crate::inference::InferenceModel;
use crate::model::{DenseAutoencoder, EncoderClassifier, Network};
use crate::model_file;
use crate::util::error::{Error, Result};
use crate::util::image::PIXELS;

/// What a softmax classifier reads of a digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureKind {
    /// The 784 pixels.
    Pixels,
    /// PCA's code of the encoder's size, PCA fitted to every training digit (no labels).
    Pca,
    /// The encoder's code, its weights as the autoencoder left them.
    FrozenCodes,
}

/// Where the fine-tuned network's encoder starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The autoencoder's trained encoder.
    Pretrained,
    /// Random weights (the control).
    Random,
}

/// Every digit of the dataset as each kind of features, and the test split's labels.
pub struct TransferData {
    /// The digits.
    pub dataset: Dataset,
    pixels: Vec<f32>,
    pca: Vec<f32>,
    codes: Vec<f32>,
    code_size: usize,
    test: Vec<usize>,
    autoencoder_file: Vec<u8>,
}

impl TransferData {
    /// The features of every digit of `dataset` for the dense autoencoder in `autoencoder_file`.
    pub fn new(dataset: Dataset, autoencoder_file: &[u8]) -> Result<Self> {
        let model = InferenceModel::load(autoencoder_file)?;
        let code_size = model.latent_size();
        let all: Vec<usize> = (0..dataset.len()).collect();
        let pixels = dataset.images(&all);
        let train = dataset.images(&dataset.indices(Split::Train));
        let pca = Pca::fit(&train, PIXELS, code_size)?;
        let mut codes = Vec::with_capacity(all.len() * code_size);
        let mut pca_codes = Vec::with_capacity(all.len() * code_size);
        for image in pixels.chunks_exact(PIXELS) {
            codes.extend(model.encode(image)?);
            pca_codes.extend(pca.project_onto(image, code_size)?);
        }
        Ok(Self {
            test: dataset.indices(Split::Test),
            dataset,
            pixels,
            pca: pca_codes,
            codes,
            code_size,
            autoencoder_file: autoencoder_file.to_vec(),
        })
    }

    /// Numbers per code (L).
    pub fn code_size(&self) -> usize {
        self.code_size
    }

    /// The test split's digits (784 pixels each) and labels.
    pub fn test_set(&self) -> (Vec<f32>, Vec<u8>) {
        let labels = self.test.iter().map(|&i| self.dataset.label(i)).collect();
        (self.dataset.images(&self.test), labels)
    }

    fn features(&self, kind: FeatureKind, indices: &[usize]) -> (Vec<f32>, usize) {
        let (all, dim) = match kind {
            FeatureKind::Pixels => (&self.pixels, PIXELS),
            FeatureKind::Pca => (&self.pca, self.code_size),
            FeatureKind::FrozenCodes => (&self.codes, self.code_size),
        };
        let rows = indices
            .iter()
            .flat_map(|&i| &all[i * dim..(i + 1) * dim])
            .copied()
            .collect();
        (rows, dim)
    }

    fn labels(&self, indices: &[usize]) -> Vec<u32> {
        indices
            .iter()
            .map(|&i| self.dataset.label(i) as u32)
            .collect()
    }

    /// Test accuracy of a softmax on `kind` fitted to the digits `labelled`.
    pub fn softmax_accuracy(&self, kind: FeatureKind, labelled: &[usize]) -> Result<f64> {
        let (features, dim) = self.features(kind, labelled);
        let names = (0..DIGIT_CLASSES).map(|d| d.to_string()).collect();
        let model = SoftmaxClassifier::fit(
            &features,
            dim,
            &self.labels(labelled),
            names,
            &SoftmaxOptions::default(),
        )?;
        let (test_features, _) = self.features(kind, &self.test);
        model.accuracy(&test_features, &self.labels(&self.test))
    }

    /// The network fine-tuned from `start` on the digits `labelled`, and its test accuracy.
    pub fn fine_tuned(
        &self,
        start: Start,
        labelled: &[usize],
        options: &FineTuneOptions,
    ) -> Result<(EncoderClassifier, f64)> {
        let device = crate::device().autodiff();
        let autoencoder = dense_autoencoder(&self.autoencoder_file, &device)?;
        device.seed(options.seed);
        let model = match start {
            Start::Pretrained => {
                EncoderClassifier::from_autoencoder(&autoencoder, DIGIT_CLASSES, &device)
            }
            Start::Random => {
                // Read through a throwaway classifier, whose head takes its draws from the
                // seeded device first: the manifest's figures were measured with that sequence.
                let widths =
                    EncoderClassifier::from_autoencoder(&autoencoder, 1, &device).encoder_widths();
                EncoderClassifier::random(
                    &widths,
                    DIGIT_CLASSES,
                    autoencoder.leaky_slope(),
                    &device,
                )
            }
        };
        let trained = fine_tune::fine_tune(model, &self.dataset, labelled, options)?;
        let (images, labels) = self.test_set();
        let accuracy = fine_tune::accuracy(&trained, &images, &labels);
        Ok((trained, accuracy))
    }
}

/// The dense autoencoder in a model file, on `device`.
fn dense_autoencoder(bytes: &[u8], device: &Device) -> Result<DenseAutoencoder> {
    match model_file::load(bytes, device)? {
        (Network::Dense(model), _) => Ok(model),
        (other, _) => Err(Error::InvalidInput(format!(
            "transfer learning reuses a dense encoder; this model file holds a {} network",
            match other {
                Network::Conv(_) => "convolutional",
                _ => "variational",
            }
        ))),
    }
}
