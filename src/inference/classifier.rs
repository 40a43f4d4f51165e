//! A fine-tuned classifier (an encoder and a softmax head, see
//! [`model_file::classifier`](crate::model_file::classifier)) on plain arrays, for one image at a
//! time: the page's copy of `model::classifier`, tested against its forward pass.

use super::dense::activated_stack;
use super::layers::{Dense, softmax};
use crate::model_file::classifier::{self, ClassifierFile, ClassifierHeader};
use crate::model_file::overflow;
use crate::util::error::{Result, check_image};
use crate::util::image::PIXELS;

/// A loaded classifier.
#[derive(Debug, Clone)]
pub struct Classifier {
    encoder: Vec<Dense>,
    head: Dense,
    slope: f32,
    header: ClassifierHeader,
}

impl Classifier {
    /// Loads and validates a classifier file.
    pub fn load(bytes: &[u8]) -> Result<Self> {
        Self::from_file(classifier::read(bytes)?)
    }

    /// The network a classifier file's header describes, with its weights; refuses weights that
    /// do not fit it, or that overflow.
    pub fn from_file(file: ClassifierFile) -> Result<Self> {
        let widths = &file.header.encoder_widths;
        let encoder = widths
            .windows(2)
            .enumerate()
            .map(|(index, pair)| {
                Dense::read_from(&file.tensors, &format!("encoder.{index}"), pair[0], pair[1])
            })
            .collect::<Result<Vec<_>>>()?;
        let head = Dense::read_from(
            &file.tensors,
            "head",
            file.header.code_size(),
            file.header.classes.len(),
        )?;
        let model = Self {
            encoder,
            head,
            slope: file.header.leaky_slope as f32,
            header: file.header,
        };
        for level in [0.0, 0.5, 1.0] {
            let logits = model.logits(&[level; PIXELS]);
            if !logits.iter().all(|v| v.is_finite()) {
                return Err(overflow());
            }
        }
        Ok(model)
    }

    /// The file's header: the network, the classes, the labels it was trained with.
    pub fn header(&self) -> &ClassifierHeader {
        &self.header
    }

    /// The classes, in the order of [`Classifier::classify`]'s probabilities.
    pub fn class_names(&self) -> &[String] {
        &self.header.classes
    }

    /// How many labelled examples it was trained with.
    pub fn labels_used(&self) -> usize {
        self.header.labels_used
    }

    /// The probability of each class for one image (784 pixels in 0…1, 1 = ink).
    pub fn classify(&self, pixels: &[f32]) -> Result<Vec<f32>> {
        check_image("image", pixels)?;
        Ok(softmax(&self.logits(pixels)))
    }

    /// The head's outputs before the softmax (inputs are checked by the caller).
    pub fn logits(&self, pixels: &[f32]) -> Vec<f32> {
        self.head
            .forward(&activated_stack(&self.encoder, self.slope, pixels))
    }
}
