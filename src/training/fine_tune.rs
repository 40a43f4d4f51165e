//! Transfer learning: an autoencoder's encoder, trained without labels, fine-tuned with a
//! softmax head on a few labelled digits, each step showing every digit of the batch deformed
//! anew. The same loop trains the control (the network from random weights), so that the two
//! differ only in where the encoder's weights started.

use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::activation::log_softmax;

use super::batches::Augmentation;
use crate::data::Dataset;
use crate::model::{EncoderClassifier, images_tensor};
use crate::model_file::classifier::{self as classifier_file, ClassifierHeader};
use crate::model_file::{self, WeightEncoding};
use crate::synthetic::deform::Deformation;
use crate::util::error::{Error, Result};
use crate::util::image::PIXELS;
use crate::util::rng::SplitMix64;

/// The ten digits, the classes every digit classifier here has.
pub const DIGIT_CLASSES: usize = 10;

/// How a classifier is fine-tuned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FineTuneOptions {
    /// Adam steps.
    pub steps: usize,
    /// Digits per step (all the labelled digits when there are fewer).
    pub batch_size: usize,
    /// Adam's step size.
    pub learning_rate: f64,
    /// How each digit is deformed at each step.
    pub deformation: Deformation,
    /// Seeds the batches and the deformations.
    pub seed: u64,
}

impl Default for FineTuneOptions {
    fn default() -> Self {
        Self {
            steps: 1500,
            batch_size: 100,
            learning_rate: 1e-3,
            deformation: Deformation::Elastic,
            seed: 1,
        }
    }
}

/// `model` (on an autodiff device) trained on the digits `labelled` of `dataset`, with their
/// labels; returns the trained network (dropout-free, on the plain device).
pub fn fine_tune(
    model: EncoderClassifier,
    dataset: &Dataset,
    labelled: &[usize],
    options: &FineTuneOptions,
) -> Result<EncoderClassifier> {
    if labelled.is_empty() || options.batch_size == 0 {
        return Err(Error::InvalidOptions(
            "fine-tuning needs labelled digits and a batch of at least one".into(),
        ));
    }
    let device = model
        .devices()
        .first()
        .cloned()
        .unwrap_or_else(|| crate::device().autodiff());
    let mut model = model;
    let mut optimizer = AdamConfig::new().init();
    let mut augmentation = Augmentation::new(0, 0.0, options.deformation);
    let mut rng = SplitMix64::new(options.seed);
    let mut order = labelled.to_vec();
    let mut next = order.len();
    let batch_size = options.batch_size.min(labelled.len());
    for step in 0..options.steps {
        let mut batch = Vec::with_capacity(batch_size);
        while batch.len() < batch_size {
            if next == order.len() {
                rng.shuffle(&mut order);
                next = 0;
            }
            batch.push(order[next]);
            next += 1;
        }
        let images = augmentation.batch(dataset, &batch, &mut rng);
        let labels: Vec<u8> = batch.iter().map(|&i| dataset.label(i)).collect();
        let loss = cross_entropy(
            model.logits(images_tensor(&images, batch.len(), &device)),
            &labels,
            &device,
        );
        let value = loss.clone().into_scalar::<f32>();
        if !value.is_finite() {
            return Err(Error::Diverged(format!(
                "the classifier's loss became {value} at step {}",
                step + 1
            )));
        }
        let gradients = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(options.learning_rate, model, gradients);
    }
    Ok(model.valid())
}

/// The mean cross-entropy of `logits` (`[batch, classes]`) against `labels`.
fn cross_entropy(logits: Tensor<2>, labels: &[u8], device: &Device) -> Tensor<1> {
    let [rows, classes] = logits.dims();
    let mut one_hot = vec![0.0f32; rows * classes];
    for (row, &label) in labels.iter().enumerate() {
        one_hot[row * classes + label as usize] = 1.0;
    }
    let targets = Tensor::<2>::from_data(TensorData::new(one_hot, [rows, classes]), device);
    (log_softmax(logits, 1) * targets).sum().neg() / rows as f64
}

/// The share (0…1) of `images` (whole 784-pixel images) whose most probable class under
/// `model` (burn's batched forward pass) is their label.
pub fn accuracy(model: &EncoderClassifier, images: &[f32], labels: &[u8]) -> f64 {
    const CHUNK_ROWS: usize = 500;
    let device = model
        .devices()
        .first()
        .cloned()
        .unwrap_or_else(crate::device);
    let mut right = 0;
    for (chunk, chunk_labels) in images
        .chunks(CHUNK_ROWS * PIXELS)
        .zip(labels.chunks(CHUNK_ROWS))
    {
        let rows = chunk.len() / PIXELS;
        let predicted = model
            .logits(images_tensor(chunk, rows, &device))
            .argmax(1)
            .into_data()
            .iter::<i64>()
            .collect::<Vec<_>>();
        right += predicted
            .iter()
            .zip(chunk_labels)
            .filter(|(p, l)| **p == **l as i64)
            .count();
    }
    right as f64 / labels.len() as f64
}

/// `model` as a classifier file over the ten digits, its weight matrices in `encoding`.
pub fn save_digit_classifier(
    model: &EncoderClassifier,
    labels_used: usize,
    provenance: &str,
    encoding: WeightEncoding,
) -> Result<Vec<u8>> {
    let header = ClassifierHeader {
        encoder_widths: model.encoder_widths(),
        leaky_slope: model.leaky_slope(),
        classes: (0..DIGIT_CLASSES).map(|d| d.to_string()).collect(),
        labels_used,
        provenance: provenance.to_string(),
    };
    classifier_file::write(&header, &model_file::tensors_of(model)?, encoding)
}

/// A classifier file as a burn network on `device`, with its header.
pub fn load_classifier(
    bytes: &[u8],
    device: &Device,
) -> Result<(EncoderClassifier, ClassifierHeader)> {
    let file = classifier_file::read(bytes)?;
    let mut model = EncoderClassifier::for_header(&file.header, device);
    model_file::apply_tensors(&mut model, &file.tensors)?;
    Ok((model, file.header))
}
