//! What an anomaly score measures. The reconstruction error alone asks "can the model rebuild
//! this?"; a model can also say how *usual* the code is. Three measures, each of an image as
//! drawn (see [`super::anomaly::anomaly_scores`]):
//!
//! - [`AnomalyMeasure::ReconstructionError`]: the mean squared error of the rebuilt image;
//! - [`AnomalyMeasure::NegativeElbo`] (variational models): the negative evidence lower bound,
//!   the rebuilding's cross-entropy plus the code distribution's KL divergence from the prior;
//! - [`AnomalyMeasure::ErrorAndCodeDensity`] (plain models): the reconstruction error and the
//!   code's density under a Gaussian fitted to the training digits' codes, combined as a
//!   likelihood combines them (see [`negative_log_likelihood`]).

use std::fmt;

use super::anomaly::drawn_images;
use super::code_density::CodeGaussian;
use crate::data::{Dataset, Split};
use crate::inference::InferenceModel;
use crate::util::error::{Error, Result};
use crate::util::image::PIXELS;

/// Which anomaly score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnomalyMeasure {
    /// The reconstruction's mean squared error.
    ReconstructionError,
    /// A variational model's negative evidence lower bound, in nats.
    NegativeElbo,
    /// `½·784·ln MSE` plus the code's negative log density under the training codes'
    /// Gaussian: a negative log-likelihood.
    ErrorAndCodeDensity,
}

impl AnomalyMeasure {
    /// Every measure, for reports.
    pub const ALL: [AnomalyMeasure; 3] = [
        Self::ReconstructionError,
        Self::NegativeElbo,
        Self::ErrorAndCodeDensity,
    ];

    /// Whether `model` can give this measure: the ELBO needs a variational model, and the
    /// fitted Gaussian stands in for a prior only a plain model lacks.
    pub fn applies_to(self, model: &InferenceModel) -> bool {
        match self {
            Self::ReconstructionError => true,
            Self::NegativeElbo => model.is_variational(),
            Self::ErrorAndCodeDensity => !model.is_variational(),
        }
    }
}

impl fmt::Display for AnomalyMeasure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ReconstructionError => "reconstruction error",
            Self::NegativeElbo => "negative ELBO",
            Self::ErrorAndCodeDensity => "error + code density",
        })
    }
}

/// A model with one anomaly measure, ready to score images.
pub struct AnomalyScorer<'m> {
    model: &'m InferenceModel,
    scoring: Scoring,
}

/// A measure with what it was fitted to.
enum Scoring {
    Error,
    NegativeElbo,
    /// With the Gaussian of the training digits' codes.
    ErrorAndCodeDensity(CodeGaussian),
}

impl<'m> AnomalyScorer<'m> {
    /// `model` scoring with `measure`; the code-density measure is fitted to the train split of
    /// `dataset`, as drawn.
    pub fn new(
        model: &'m InferenceModel,
        measure: AnomalyMeasure,
        dataset: &Dataset,
    ) -> Result<Self> {
        if !measure.applies_to(model) {
            return Err(Error::InvalidInput(format!(
                "the {measure} is not a measure of a {} model",
                model.header().architecture.kind()
            )));
        }
        let scoring = match measure {
            AnomalyMeasure::ReconstructionError => Scoring::Error,
            AnomalyMeasure::NegativeElbo => Scoring::NegativeElbo,
            AnomalyMeasure::ErrorAndCodeDensity => {
                let train = drawn_images(&dataset.images(&dataset.indices(Split::Train)))?;
                let codes = model.encode_many(&train)?;
                Scoring::ErrorAndCodeDensity(CodeGaussian::fit(&codes, model.latent_size())?)
            }
        };
        Ok(Self { model, scoring })
    }

    /// The measure it scores with.
    pub fn measure(&self) -> AnomalyMeasure {
        match self.scoring {
            Scoring::Error => AnomalyMeasure::ReconstructionError,
            Scoring::NegativeElbo => AnomalyMeasure::NegativeElbo,
            Scoring::ErrorAndCodeDensity(_) => AnomalyMeasure::ErrorAndCodeDensity,
        }
    }

    /// The score of each of n images (n × 784), each taken as drawn: higher is more anomalous.
    pub fn scores(&self, images: &[f32]) -> Result<Vec<f32>> {
        let images = drawn_images(images)?;
        match &self.scoring {
            Scoring::Error => self.model.reconstruction_errors(&images),
            Scoring::NegativeElbo => self.model.negative_elbo(&images),
            Scoring::ErrorAndCodeDensity(gaussian) => {
                negative_log_likelihood(self.model, gaussian, &images)
            }
        }
    }
}

/// Each image's negative log-likelihood, in nats up to a constant, under the plain model read
/// as a generative one: its code drawn from `gaussian`, its pixels from a Gaussian around the
/// decoded image with the variance that fits the image best (its MSE). That is
/// `½·784·ln MSE − ln p(code)`: the two terms weighed as a likelihood weighs them.
fn negative_log_likelihood(
    model: &InferenceModel,
    gaussian: &CodeGaussian,
    images: &[f32],
) -> Result<Vec<f32>> {
    let errors = model.reconstruction_errors(images)?;
    let codes = model.encode_many(images)?;
    errors
        .iter()
        .zip(codes.chunks_exact(model.latent_size()))
        .map(|(&error, code)| {
            let pixels_term = 0.5 * PIXELS as f64 * (error as f64).max(1e-12).ln();
            Ok((pixels_term - gaussian.log_density(code)?) as f32)
        })
        .collect()
}
