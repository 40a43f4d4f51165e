//! Anomaly detection at the boundary: `AnomalyDetector` (a model, what its score measures and
//! the test digits' scores, fitted in slices; what the page's gauge and probe sheet call) and
//! the non-digit probes. The rule's parts (images as drawn, the scale of the references) are
//! not exported apart from it, so that a page cannot assemble the rule again.

use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{Autoencoder, Float32Values, MnistSubset, to_js, to_js_value};
#[cfg(feature = "training")]
use crate::analysis::anomaly::drawn_images;
use crate::analysis::anomaly_detector;
use crate::analysis::anomaly_score::{AnomalyMeasure, AnomalyScorer};
use crate::drawing;
use crate::inference::InferenceModel;
use crate::synthetic::probes;

/// One non-digit probe for the page: `image` as drawn on the pad, `scored` as anomaly scores
/// see it (the image as drawn, [`crate::drawing::as_drawn`]).
#[derive(Serialize)]
struct ProbeView {
    kind: probes::ProbeKind,
    name: String,
    image: Vec<f32>,
    scored: Vec<f32>,
}

/// The non-digit probes that the anomaly tests and benchmarks score (letters, scribbles, noise):
/// `[{kind: "letter" | "strokes" | "noise", name, image: number[784], scored: number[784]}]`.
#[wasm_bindgen(js_name = nonDigitProbes)]
pub fn non_digit_probes() -> Result<JsValue, JsError> {
    let probes = probes::probes()
        .into_iter()
        .map(|probe| {
            Ok(ProbeView {
                kind: probe.kind,
                name: probe.name,
                scored: drawing::as_drawn(&probe.image)?,
                image: probe.image,
            })
        })
        .collect::<crate::Result<Vec<_>>>()
        .map_err(to_js)?;
    to_js_value(&probes)
}

/// The anomaly detector the page uses: a model, what its score measures, and where a score
/// ranks among the test digits' scores (each test digit taken as drawn, like every image it
/// scores). Fitted a slice of test digits at a time (`fitSome`), so the page can spread the
/// work over frames; then `score(pixels)`.
///
/// It keeps the model's weights (shared with the `Autoencoder` it was made from) until it is
/// freed: its owner frees it with the model's handle.
#[wasm_bindgen]
pub struct AnomalyDetector {
    inner: anomaly_detector::AnomalyDetector<Rc<InferenceModel>>,
    /// The data file's test digits, the references, in the order they are scored.
    test: Vec<u32>,
    /// More references scored after the test digits (a taught shape's examples), as drawn.
    /// Only the training module recalibrates: the page's first view keeps its module as it was.
    #[cfg(feature = "training")]
    extra: Vec<f32>,
}

/// `AnomalyDetector.score`'s result.
#[derive(Serialize)]
struct ScoreView {
    error: f32,
    percentile: f64,
    flagged: bool,
    threshold: f32,
    scored: Float32Values,
    rebuilt: Float32Values,
}

#[wasm_bindgen]
impl AnomalyDetector {
    /// A detector scoring with `model` by `measure` (`"reconstructionError"`, the default;
    /// `"negativeElbo"` for a variational model; `"errorAndCodeDensity"` for a plain model and
    /// a `dataset` with training digits), to be fitted on `dataset`'s test digits with
    /// `fitSome`. Throws for a measure the model cannot give, or a dataset without test digits.
    #[wasm_bindgen(constructor)]
    pub fn new(
        model: &Autoencoder,
        dataset: &MnistSubset,
        measure: Option<String>,
    ) -> Result<AnomalyDetector, JsError> {
        let measure = match measure.as_deref() {
            None => AnomalyMeasure::ReconstructionError,
            Some(key) => AnomalyMeasure::from_key(key).map_err(to_js)?,
        };
        let scorer =
            AnomalyScorer::new(model.shared(), measure, dataset.dataset()).map_err(to_js)?;
        let test = dataset.test_indices();
        let inner = anomaly_detector::AnomalyDetector::new(scorer, test.len()).map_err(to_js)?;
        Ok(AnomalyDetector {
            inner,
            test,
            #[cfg(feature = "training")]
            extra: Vec::new(),
        })
    }

    /// A detector recalibrated on a new mix: scoring with `model` by its reconstruction error,
    /// it ranks scores among `dataset`'s test digits and `extraReferences`
    /// (`Float32Array(n·784)`, n ≥ 1: the examples of a shape the model was taught, so that the
    /// shape stops being an anomaly), scored after the test digits by `fitSome`. Throws on bad
    /// references. (The training module only.)
    #[cfg(feature = "training")]
    pub fn recalibrated(
        model: &Autoencoder,
        dataset: &MnistSubset,
        extra_references: Vec<f32>,
    ) -> Result<AnomalyDetector, JsError> {
        let extra = drawn_images(&extra_references).map_err(to_js)?;
        let scorer = AnomalyScorer::new(
            model.shared(),
            AnomalyMeasure::ReconstructionError,
            dataset.dataset(),
        )
        .map_err(to_js)?;
        let test = dataset.test_indices();
        let references = test.len() + extra.len() / crate::util::image::PIXELS;
        let inner = anomaly_detector::AnomalyDetector::new(scorer, references).map_err(to_js)?;
        Ok(AnomalyDetector { inner, test, extra })
    }

    /// Scores up to `count` more test digits of `dataset` (the one it was made with), as drawn;
    /// true once every test digit is scored and the detector is fitted.
    #[wasm_bindgen(js_name = fitSome)]
    pub fn fit_some(&mut self, dataset: &MnistSubset, count: usize) -> Result<bool, JsError> {
        if dataset.test_indices() != self.test {
            return Err(JsError::new(
                "fitSome needs the data file the detector was made with",
            ));
        }
        let start = self.inner.references_scored();
        let end = (start + count).min(self.test.len());
        if start < end {
            let drawn = dataset.drawn_images(&self.test[start..end])?;
            self.inner.add_references(&drawn).map_err(to_js)?;
        }
        #[cfg(feature = "training")]
        if end == self.test.len() && !self.extra.is_empty() && !self.inner.is_fitted() {
            self.inner.add_references(&self.extra).map_err(to_js)?;
        }
        Ok(self.inner.is_fitted())
    }

    /// Whether every test digit is scored (`score` works from then on).
    #[wasm_bindgen(getter)]
    pub fn fitted(&self) -> bool {
        self.inner.is_fitted()
    }

    /// Share (0…1) of the test digits scored so far.
    #[wasm_bindgen(getter)]
    pub fn progress(&self) -> f64 {
        self.inner.references_scored() as f64 / self.inner.references() as f64
    }

    /// `pixels` (`Float32Array(784)`: a drawing, a probe or a stored digit) scored as drawn:
    /// `{error, percentile, flagged, threshold, scored: Float32Array(784), rebuilt:
    /// Float32Array(784)}` (`error`: the score; `percentile`: the share, 0…100, of the test
    /// digits scoring lower; `scored`: the image as scored; `rebuilt`: the model's
    /// reconstruction of it). Throws before the detector is fitted.
    pub fn score(&self, pixels: &[f32]) -> Result<JsValue, JsError> {
        let score = self.inner.score(pixels).map_err(to_js)?;
        to_js_value(&ScoreView {
            error: score.error,
            percentile: score.percentile,
            flagged: score.flagged,
            threshold: score.threshold,
            scored: Float32Values(score.scored),
            rebuilt: Float32Values(score.rebuilt),
        })
    }

    /// `Float32Array(n·784)` → `Float32Array(n)`: each image's score, as drawn (what `score`
    /// gives as `error`), for `percentile` and `isAnomalous`.
    pub fn scores(&self, images: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.scores(images).map_err(to_js)
    }

    /// Share (0…100) of the test digits whose score is below `error`.
    pub fn percentile(&self, error: f32) -> Result<f64, JsError> {
        Ok(self.inner.scale().map_err(to_js)?.percentile(error))
    }

    /// Whether a score is above the threshold.
    #[wasm_bindgen(js_name = isAnomalous)]
    pub fn is_anomalous(&self, error: f32) -> Result<bool, JsError> {
        Ok(self.inner.scale().map_err(to_js)?.is_anomalous(error))
    }

    /// The score above which an image is flagged (the flag percentile of the test digits').
    #[wasm_bindgen(getter)]
    pub fn threshold(&self) -> Result<f32, JsError> {
        Ok(self.inner.scale().map_err(to_js)?.threshold())
    }

    /// Share (0…1) of the test digits above the threshold: its false alarms among them.
    #[wasm_bindgen(getter, js_name = referencesFlagged)]
    pub fn references_flagged(&self) -> Result<f64, JsError> {
        Ok(self.inner.scale().map_err(to_js)?.references_flagged())
    }

    /// The percentile (50…100) of the test digits' scores above which images are flagged.
    #[wasm_bindgen(getter, js_name = flagPercentile)]
    pub fn flag_percentile(&self) -> f64 {
        100.0 * self.inner.flag_quantile()
    }

    /// Flags above `percentile` (50…100) of the test digits' scores from now on (also before
    /// the fit); anything else throws and keeps the current one.
    #[wasm_bindgen(js_name = setFlagPercentile)]
    pub fn set_flag_percentile(&mut self, percentile: f64) -> Result<(), JsError> {
        self.inner
            .set_flag_quantile(percentile / 100.0)
            .map_err(|_| flag_percentile_error(percentile))
    }

    /// What the score measures: `"reconstructionError"`, `"negativeElbo"` or
    /// `"errorAndCodeDensity"`.
    #[wasm_bindgen(getter)]
    pub fn measure(&self) -> String {
        self.inner.measure().key().into()
    }

    /// What the score measures, in words for the page.
    #[wasm_bindgen(getter)]
    pub fn description(&self) -> String {
        self.inner.measure().description().into()
    }
}

/// A flag percentile refused, said in the caller's units (the core speaks quantiles, 0.5…1).
fn flag_percentile_error(percentile: f64) -> JsError {
    JsError::new(&format!(
        "the flag percentile must be between 50 and 100, got {percentile}"
    ))
}
