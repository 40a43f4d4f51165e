//! A softmax classifier on a model's codes: the page's "train the classifier with N labels".
//! Fitted on images (each encoded by the model) with their classes, so that the classes can be
//! the ten digits, or the digits beside shapes a visitor names and draws; it then classifies an
//! image by its code.

use std::borrow::Borrow;

use super::softmax::{SoftmaxClassifier, SoftmaxOptions};
use crate::inference::InferenceModel;
use crate::util::error::{Error, Result, check_image, check_pixel_range, check_rows};
use crate::util::image::PIXELS;

/// The most images one fit takes (every training digit, and room for a visitor's own).
pub const MAX_EXAMPLES: usize = 20_000;

/// A model and a softmax classifier on its codes.
pub struct CodeClassifier<M: Borrow<InferenceModel>> {
    model: M,
    softmax: SoftmaxClassifier,
    examples: usize,
}

impl<M: Borrow<InferenceModel>> CodeClassifier<M> {
    /// Fits a softmax on `model`'s codes of `images` (whole 784-pixel images in 0…1), each of
    /// the class `labels[i]` (an index into `class_names`).
    pub fn fit(
        model: M,
        images: &[f32],
        labels: &[u32],
        class_names: Vec<String>,
        options: &SoftmaxOptions,
    ) -> Result<Self> {
        let rows = check_rows("images", images, PIXELS)?;
        check_pixel_range("images", images)?;
        if rows > MAX_EXAMPLES {
            return Err(Error::InvalidInput(format!(
                "{rows} images: at most {MAX_EXAMPLES} at once"
            )));
        }
        let codes = model.borrow().encode_many(images)?;
        let dim = model.borrow().latent_size();
        let softmax = SoftmaxClassifier::fit(&codes, dim, labels, class_names, options)?;
        Ok(Self {
            model,
            softmax,
            examples: rows,
        })
    }

    /// The classes, in the order of [`CodeClassifier::classify`]'s probabilities.
    pub fn class_names(&self) -> &[String] {
        self.softmax.class_names()
    }

    /// How many labelled images it was fitted on.
    pub fn examples(&self) -> usize {
        self.examples
    }

    /// The probability of each class for one image (784 pixels in 0…1, 1 = ink).
    pub fn classify(&self, pixels: &[f32]) -> Result<Vec<f32>> {
        check_image("image", pixels)?;
        self.softmax
            .probabilities(&self.model.borrow().encode(pixels)?)
    }

    /// The share (0…1) of `images` whose most probable class is their label.
    pub fn accuracy(&self, images: &[f32], labels: &[u32]) -> Result<f64> {
        let codes = self.model.borrow().encode_many(images)?;
        self.softmax.accuracy(&codes, labels)
    }
}
