//! A whole anomaly detector: an [`AnomalyScorer`] (a model and what its score measures) with
//! the [`AnomalyScale`] of its scores on reference digits, fitted a slice of digits at a time
//! so that a page can spread the work over frames. What the page's gauge and probe sheet ask.

use std::ops::Deref;

use super::anomaly::{AnomalyScale, FLAG_QUANTILE, check_flag_quantile, drawn_images};
use super::anomaly_score::{AnomalyMeasure, AnomalyScorer};
use crate::inference::InferenceModel;
use crate::util::error::{Error, Result, check_rows};
use crate::util::image::PIXELS;

/// One image scored: the score, where it ranks among the references and whether it is flagged,
/// with the image as scored (as drawn) and the model's reconstruction of it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnomalyScore {
    /// The score ([`AnomalyScorer::scores`]): for the reconstruction error, its MSE.
    pub error: f32,
    /// Share (0…100) of the reference digits with a lower score.
    pub percentile: f64,
    /// Whether the score is above the threshold.
    pub flagged: bool,
    /// The score above which an image is flagged.
    pub threshold: f32,
    /// The image as scored: as drawn ([`crate::drawing::as_drawn`]).
    pub scored: Vec<f32>,
    /// The model's reconstruction of `scored`.
    pub rebuilt: Vec<f32>,
}

/// A scorer and the scale of its reference scores, once every reference is scored.
pub struct AnomalyDetector<M> {
    scorer: AnomalyScorer<M>,
    /// How many reference images the scale is fitted to.
    references: usize,
    /// Their scores so far, in the order they came.
    reference_scores: Vec<f32>,
    /// Fitted when the last reference is scored.
    scale: Option<AnomalyScale>,
    flag_quantile: f64,
}

impl<M: Deref<Target = InferenceModel>> AnomalyDetector<M> {
    /// A detector that will rank scores among `references` reference images (at least two),
    /// given with [`AnomalyDetector::add_references`] in slices.
    pub fn new(scorer: AnomalyScorer<M>, references: usize) -> Result<Self> {
        if references < 2 {
            return Err(Error::InvalidInput(format!(
                "an anomaly detector needs at least 2 reference digits, got {references}"
            )));
        }
        Ok(Self {
            scorer,
            references,
            reference_scores: Vec::with_capacity(references),
            scale: None,
            flag_quantile: FLAG_QUANTILE,
        })
    }

    /// A detector fitted at once to `images` (n × 784, as stored: each is taken as drawn).
    pub fn fit(scorer: AnomalyScorer<M>, images: &[f32]) -> Result<Self> {
        check_rows("reference images", images, PIXELS)?;
        let mut detector = Self::new(scorer, images.len() / PIXELS)?;
        detector.add_references(&drawn_images(images)?)?;
        Ok(detector)
    }

    /// Scores the next reference images, `drawn` (k × 784, already as drawn: see
    /// [`drawn_images`]); the scale is fitted once the last one is in.
    pub fn add_references(&mut self, drawn: &[f32]) -> Result<()> {
        check_rows("reference images", drawn, PIXELS)?;
        let count = drawn.len() / PIXELS;
        if self.reference_scores.len() + count > self.references {
            return Err(Error::InvalidInput(format!(
                "{count} more reference digits would exceed the {} the detector was made for \
                 ({} already scored)",
                self.references,
                self.reference_scores.len()
            )));
        }
        let scores = self.scorer.scores_as_drawn(drawn)?;
        self.reference_scores.extend(scores);
        if self.reference_scores.len() == self.references {
            let mut scale = AnomalyScale::fit(&self.reference_scores)?;
            scale.set_flag_quantile(self.flag_quantile)?;
            self.scale = Some(scale);
        }
        Ok(())
    }

    /// Reference images scored so far.
    pub fn references_scored(&self) -> usize {
        self.reference_scores.len()
    }

    /// Reference images the scale is fitted to.
    pub fn references(&self) -> usize {
        self.references
    }

    /// Whether every reference is scored and the scale fitted.
    pub fn is_fitted(&self) -> bool {
        self.scale.is_some()
    }

    /// The scale of the references' scores; an error until it is fitted.
    pub fn scale(&self) -> Result<&AnomalyScale> {
        self.scale.as_ref().ok_or_else(|| {
            Error::InvalidInput(format!(
                "the anomaly detector is not fitted yet: {} of {} reference digits scored",
                self.reference_scores.len(),
                self.references
            ))
        })
    }

    /// What it measures.
    pub fn measure(&self) -> AnomalyMeasure {
        self.scorer.measure()
    }

    /// The scorer (its model and measure).
    pub fn scorer(&self) -> &AnomalyScorer<M> {
        &self.scorer
    }

    /// The quantile (0.5…1) of the references above which scores are flagged.
    pub fn flag_quantile(&self) -> f64 {
        self.flag_quantile
    }

    /// Flags scores above `quantile` (0.5…1) of the references from now on; anything else is
    /// refused and the current one kept. Allowed before the fit too.
    pub fn set_flag_quantile(&mut self, quantile: f64) -> Result<()> {
        check_flag_quantile(quantile)?;
        if let Some(scale) = &mut self.scale {
            scale.set_flag_quantile(quantile)?;
        }
        self.flag_quantile = quantile;
        Ok(())
    }

    /// The score of each of n images (n × 784, each taken as drawn).
    pub fn scores(&self, images: &[f32]) -> Result<Vec<f32>> {
        self.scorer.scores(images)
    }

    /// One image (784 pixels, as drawn on the pad or as stored) scored as drawn and ranked.
    pub fn score(&self, image: &[f32]) -> Result<AnomalyScore> {
        let scale = self.scale()?;
        let scored = drawn_images(image)?;
        if scored.len() != PIXELS {
            return Err(Error::InvalidInput(format!(
                "score takes one image of {PIXELS} pixels, got {} numbers",
                image.len()
            )));
        }
        let error = self.scorer.scores_as_drawn(&scored)?[0]; // one image, one score
        let rebuilt = self.scorer.model().reconstruct(&scored)?;
        Ok(AnomalyScore {
            error,
            percentile: scale.percentile(error),
            flagged: scale.is_anomalous(error),
            threshold: scale.threshold(),
            scored,
            rebuilt,
        })
    }
}
