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
use std::ops::Deref;

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

impl AnomalyMeasure {
    /// The measure's name in the page's API (`"reconstructionError"`, `"negativeElbo"`,
    /// `"errorAndCodeDensity"`).
    pub fn key(self) -> &'static str {
        match self {
            Self::ReconstructionError => "reconstructionError",
            Self::NegativeElbo => "negativeElbo",
            Self::ErrorAndCodeDensity => "errorAndCodeDensity",
        }
    }

    /// The measure called `key` (see [`AnomalyMeasure::key`]).
    pub fn from_key(key: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|measure| measure.key() == key)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|m| m.key()).collect();
                Error::InvalidInput(format!(
                    "no anomaly measure is called {key:?} (known: {})",
                    known.join(", ")
                ))
            })
    }

    /// What the measure scores, in a sentence for the page.
    pub fn description(self) -> &'static str {
        match self {
            Self::ReconstructionError => {
                "the mean squared error of the model's reconstruction of the image as drawn"
            }
            Self::NegativeElbo => {
                "the variational model's negative ELBO of the image as drawn: the \
                 reconstruction's cross-entropy plus the code's divergence from the prior, in nats"
            }
            Self::ErrorAndCodeDensity => {
                "the reconstruction error of the image as drawn with its code's density under a \
                 Gaussian fitted to the training digits' codes, as a negative log-likelihood"
            }
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

/// A model with one anomaly measure, ready to score images. `M` holds the model: a borrow
/// (`&InferenceModel`) or a shared owner (`Rc<InferenceModel>`, the page's detector).
pub struct AnomalyScorer<M> {
    model: M,
    scoring: Scoring,
}

/// A measure with what it was fitted to.
enum Scoring {
    Error,
    NegativeElbo,
    /// With the Gaussian of the training digits' codes.
    ErrorAndCodeDensity(CodeGaussian),
}

impl<M: Deref<Target = InferenceModel>> AnomalyScorer<M> {
    /// `model` scoring with `measure`; the code-density measure is fitted to the train split of
    /// `dataset`, as drawn.
    pub fn new(model: M, measure: AnomalyMeasure, dataset: &Dataset) -> Result<Self> {
        if !measure.applies_to(&model) {
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

    /// The model it scores with.
    pub fn model(&self) -> &InferenceModel {
        &self.model
    }

    /// The score of each of n images (n × 784), each taken as drawn: higher is more anomalous.
    pub fn scores(&self, images: &[f32]) -> Result<Vec<f32>> {
        self.scores_as_drawn(&drawn_images(images)?)
    }

    /// [`AnomalyScorer::scores`] of images already as drawn (through
    /// [`super::anomaly::drawn_images`] or a cache of it): the same numbers, without converting
    /// twice.
    pub fn scores_as_drawn(&self, drawn: &[f32]) -> Result<Vec<f32>> {
        let model: &InferenceModel = &self.model;
        match &self.scoring {
            Scoring::Error => model.reconstruction_errors(drawn),
            Scoring::NegativeElbo => model.negative_elbo(drawn),
            Scoring::ErrorAndCodeDensity(gaussian) => {
                negative_log_likelihood(model, gaussian, drawn)
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
