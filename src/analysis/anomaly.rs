//! Anomaly detection with an autoencoder: it rebuilds well only what resembles its training
//! data, so the reconstruction error is an anomaly score. [`AnomalyScale`] places a score
//! among the scores of real test digits, and flags it above their 99th percentile.

use super::anomaly_score::{AnomalyMeasure, AnomalyScorer};
use crate::data::{Dataset, Split};
use crate::drawing::as_drawn;
use crate::inference::InferenceModel;
use crate::synthetic::probes::{ProbeKind, probes};
use crate::util::error::{Error, Result, check_exact, check_rows};
use crate::util::image::PIXELS;

/// Scores above this share of the reference digits' scores are flagged.
pub const FLAG_QUANTILE: f64 = 0.99;

/// Refuses a flag quantile outside 0.5…1 (or NaN).
pub fn check_flag_quantile(quantile: f64) -> Result<()> {
    if !(0.5..=1.0).contains(&quantile) {
        return Err(Error::InvalidInput(format!(
            "the flag quantile must be between 0.5 and 1, got {quantile}"
        )));
    }
    Ok(())
}

/// The reconstruction errors of reference digits, sorted, to rank new errors against, and the
/// quantile of them above which an error is flagged.
#[derive(Debug, Clone)]
pub struct AnomalyScale {
    sorted: Vec<f32>,
    flag_quantile: f64,
}

impl AnomalyScale {
    /// A scale from the reference digits' reconstruction errors (any order).
    pub fn fit(errors: &[f32]) -> Result<Self> {
        if errors.len() < 2 {
            return Err(Error::InvalidInput(format!(
                "an anomaly scale needs at least 2 reference errors, got {}",
                errors.len()
            )));
        }
        check_exact("reference errors", errors, errors.len())?;
        let mut sorted = errors.to_vec();
        sorted.sort_by(f32::total_cmp);
        Ok(Self {
            sorted,
            flag_quantile: FLAG_QUANTILE,
        })
    }

    /// Share of the reference digits (0…100 %) whose error is below `error`.
    pub fn percentile(&self, error: f32) -> f64 {
        let below = self.sorted.partition_point(|&e| e < error);
        100.0 * below as f64 / self.sorted.len() as f64
    }

    /// The error at `quantile` (0…1) of the reference digits, by linear interpolation.
    pub fn quantile(&self, quantile: f64) -> f32 {
        let position = quantile.clamp(0.0, 1.0) * (self.sorted.len() - 1) as f64;
        let (low, high) = (position.floor() as usize, position.ceil() as usize);
        let t = (position - low as f64) as f32;
        self.sorted[low] + (self.sorted[high] - self.sorted[low]) * t
    }

    /// The quantile of the references above which errors are flagged ([`FLAG_QUANTILE`]
    /// unless moved).
    pub fn flag_quantile(&self) -> f64 {
        self.flag_quantile
    }

    /// Moves the flag threshold to `quantile` (0.5…1) of the references: a lower one catches
    /// more non-digits and flags more real digits.
    pub fn set_flag_quantile(&mut self, quantile: f64) -> Result<()> {
        check_flag_quantile(quantile)?;
        self.flag_quantile = quantile;
        Ok(())
    }

    /// The error above which a drawing is flagged (the flag quantile of the references).
    pub fn threshold(&self) -> f32 {
        self.quantile(self.flag_quantile)
    }

    /// Share (0…1) of the reference digits whose error is above the threshold: the false
    /// alarms the threshold makes among them.
    pub fn references_flagged(&self) -> f64 {
        self.share_flagged(&self.sorted)
    }

    /// Share (0…1) of `errors` above the threshold (0 for none).
    pub fn share_flagged(&self, errors: &[f32]) -> f64 {
        let flagged = errors.iter().filter(|&&e| self.is_anomalous(e)).count();
        flagged as f64 / errors.len().max(1) as f64
    }

    /// Whether `error` is above the flag threshold.
    pub fn is_anomalous(&self, error: f32) -> bool {
        error > self.threshold()
    }

    /// Number of reference errors.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Always false: a scale has at least two references.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }
}

/// How well a model's reconstruction error separates digits from non-digits.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DetectorReport {
    /// The flag threshold (the 99th percentile of the calibration digits' errors).
    pub threshold: f32,
    /// Test digits the threshold was calibrated on (every other one of the test split).
    pub calibration_digits: usize,
    /// The other test digits, and the share of them flagged (the false-alarm rate).
    pub held_out_digits: usize,
    /// Share of the held-out test digits flagged.
    pub held_out_flagged: f64,
    /// Share of all probes flagged.
    pub probes_flagged: f64,
    /// Flagged and total probes of each kind.
    pub by_kind: Vec<(ProbeKind, usize, usize)>,
    /// Names of the probes that were not flagged.
    pub missed: Vec<String>,
    /// What looser thresholds would trade: the flag threshold and [`LOOSER_QUANTILES`].
    pub operating_points: Vec<OperatingPoint>,
}

/// Lower calibration quantiles reported besides [`FLAG_QUANTILE`], to show how many more
/// probes a looser threshold would catch and at what cost in false alarms.
pub const LOOSER_QUANTILES: [f64; 2] = [0.98, 0.95];

/// The detector with its threshold at one quantile of the calibration digits' errors.
#[derive(Debug, Clone, Copy, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperatingPoint {
    /// The quantile (0…1) of the calibration digits' errors used as the threshold.
    pub quantile: f64,
    /// Share of the held-out test digits above that threshold.
    pub held_out_flagged: f64,
    /// Share of the probes above it.
    pub probes_flagged: f64,
}

/// Calibrates on every other test digit, then counts how many of the other test digits and
/// of the [`probes`] the threshold flags, all scored by [`anomaly_scores`].
pub fn evaluate_detector(model: &InferenceModel, dataset: &Dataset) -> Result<DetectorReport> {
    let scorer = AnomalyScorer::new(model, AnomalyMeasure::ReconstructionError, dataset)?;
    evaluate_scorer(&scorer, dataset)
}

/// [`evaluate_detector`] with any [`AnomalyMeasure`]: calibrated on every other test digit,
/// the other test digits and the probes scored by `scorer`.
pub fn evaluate_scorer(
    scorer: &AnomalyScorer<impl std::ops::Deref<Target = InferenceModel>>,
    dataset: &Dataset,
) -> Result<DetectorReport> {
    let test = dataset.indices(Split::Test);
    let (calibration, held_out): (Vec<usize>, Vec<usize>) = {
        let (even, odd): (Vec<_>, Vec<_>) = test.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        (
            even.into_iter().map(|(_, &d)| d).collect(),
            odd.into_iter().map(|(_, &d)| d).collect(),
        )
    };
    let scale = AnomalyScale::fit(&scorer.scores(&dataset.images(&calibration))?)?;
    let held_out_errors = scorer.scores(&dataset.images(&held_out))?;
    let probes = probes();
    let probe_images: Vec<f32> = probes.iter().flat_map(|p| p.image.clone()).collect();
    let probe_errors = scorer.scores(&probe_images)?;

    let operating_points = std::iter::once(FLAG_QUANTILE)
        .chain(LOOSER_QUANTILES)
        .map(|quantile| {
            let mut moved = scale.clone();
            moved.set_flag_quantile(quantile)?;
            Ok(OperatingPoint {
                quantile,
                held_out_flagged: moved.share_flagged(&held_out_errors),
                probes_flagged: moved.share_flagged(&probe_errors),
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let mut by_kind: Vec<(ProbeKind, usize, usize)> = Vec::new();
    let mut missed = Vec::new();
    for (probe, &error) in probes.iter().zip(&probe_errors) {
        let flagged = scale.is_anomalous(error);
        match by_kind.iter_mut().find(|(kind, _, _)| *kind == probe.kind) {
            Some(entry) => {
                entry.1 += flagged as usize;
                entry.2 += 1;
            }
            None => by_kind.push((probe.kind, flagged as usize, 1)),
        }
        if !flagged {
            missed.push(probe.name.clone());
        }
    }
    Ok(DetectorReport {
        threshold: scale.threshold(),
        calibration_digits: calibration.len(),
        held_out_digits: held_out.len(),
        held_out_flagged: scale.share_flagged(&held_out_errors),
        probes_flagged: (probes.len() - missed.len()) as f64 / probes.len() as f64,
        by_kind,
        missed,
        operating_points,
    })
}

/// The anomaly score of each image of `images` (784 pixels each): the model's reconstruction
/// error on the image *as drawn* ([`as_drawn`]).
///
/// Drawings reach the model through the drawing conversion, which normalises the stroke
/// width, and so do the probes; MNIST's stored digits did not, and their strokes run from
/// hairline to bold. Scored as they are, digits and drawings would differ in stroke width as
/// well as in shape, and a model could rank a drawing by its stroke alone. Converting every
/// image first leaves only the shape (a drawing, already converted, barely changes).
pub fn anomaly_scores(model: &InferenceModel, images: &[f32]) -> Result<Vec<f32>> {
    model.reconstruction_errors(&drawn_images(images)?)
}

/// Images (n × 784) as the drawing pad would give them ([`as_drawn`]: stroke width
/// normalised), what every anomaly score is measured on.
pub fn drawn_images(images: &[f32]) -> Result<Vec<f32>> {
    check_rows("images", images, PIXELS)?;
    let mut drawn = Vec::with_capacity(images.len());
    for image in images.chunks_exact(PIXELS) {
        drawn.extend(as_drawn(image)?);
    }
    Ok(drawn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_quantiles_rank_against_the_references() {
        let errors: Vec<f32> = (1..=100).map(|i| i as f32 / 1000.0).collect();
        let scale = AnomalyScale::fit(&errors).unwrap();
        assert_eq!(scale.percentile(0.0), 0.0);
        assert_eq!(scale.percentile(0.0505), 50.0);
        assert_eq!(scale.percentile(1.0), 100.0);
        assert!((scale.quantile(0.5) - 0.0505).abs() < 1e-6);
        assert!((scale.threshold() - 0.09901).abs() < 1e-5);
        assert!(scale.is_anomalous(0.1) && !scale.is_anomalous(0.05));
    }

    #[test]
    fn a_moved_flag_quantile_moves_the_threshold_and_the_false_alarms() {
        let errors: Vec<f32> = (1..=100).map(|i| i as f32 / 1000.0).collect();
        let mut scale = AnomalyScale::fit(&errors).unwrap();
        assert_eq!(scale.flag_quantile(), FLAG_QUANTILE);
        assert_eq!(scale.references_flagged(), 0.01);
        scale.set_flag_quantile(0.9).unwrap();
        assert!((scale.threshold() - 0.0901).abs() < 1e-6);
        assert_eq!(scale.references_flagged(), 0.1);
        assert!(scale.is_anomalous(0.095) && !scale.is_anomalous(0.09));
        assert_eq!(scale.share_flagged(&[0.095, 0.09]), 0.5);
        assert_eq!(scale.share_flagged(&[]), 0.0);
        for bad in [0.4, 1.5, f64::NAN] {
            assert!(scale.set_flag_quantile(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            scale.flag_quantile(),
            0.9,
            "a refused quantile leaves the last one"
        );
    }

    #[test]
    fn too_few_or_non_finite_references_are_refused() {
        assert!(AnomalyScale::fit(&[0.1]).is_err());
        assert!(AnomalyScale::fit(&[0.1, f32::NAN]).is_err());
    }
}
