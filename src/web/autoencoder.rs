use std::cell::Cell;
use std::rc::Rc;

#[cfg(feature = "page")]
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::to_named_js;
#[cfg(feature = "page")]
use super::{Float32Values, to_js, to_js_value};
use crate::inference::InferenceModel;

/// A trained autoencoder, loaded from a model file.
///
/// The model is shared (`Rc`) with the `AnomalyDetector`s made from it, which keep its weights
/// until they are freed themselves; `liveModels()` counts `Autoencoder`s.
#[wasm_bindgen]
pub struct Autoencoder {
    pub(super) inner: Rc<InferenceModel>,
}

thread_local! {
    /// `Autoencoder`s created and not yet dropped (freed from JavaScript).
    static LIVE_MODELS: Cell<usize> = const { Cell::new(0) };
}

/// How many `Autoencoder`s exist in this module now: created (`load`, a trainer's `model()`)
/// and not yet freed. What a leak test reads.
#[wasm_bindgen(js_name = liveModels)]
pub fn live_models() -> usize {
    LIVE_MODELS.with(Cell::get)
}

impl Drop for Autoencoder {
    fn drop(&mut self) {
        LIVE_MODELS.with(|live| live.set(live.get() - 1));
    }
}

#[wasm_bindgen]
impl Autoencoder {
    /// Loads a model file (the bytes of a file from `www/models/`). Throws on a damaged file;
    /// the inference module throws an `Error` named `"LegacyModelFile"` for a version-1 file,
    /// which the training module reads.
    pub fn load(bytes: &[u8]) -> Result<Autoencoder, JsValue> {
        InferenceModel::load(bytes)
            .map(Autoencoder::from_inner)
            .map_err(to_named_js)
    }

    /// Width of the code (L).
    #[wasm_bindgen(getter, js_name = latentSize)]
    pub fn latent_size(&self) -> usize {
        self.inner.latent_size()
    }

    /// Which network the file holds: `"dense"`, `"conv"` or `"vae"`.
    #[wasm_bindgen(getter)]
    pub fn architecture(&self) -> String {
        self.inner.header().architecture.kind().to_string()
    }

    /// Whether the model is variational: it encodes a distribution and can dream up digits.
    #[wasm_bindgen(getter, js_name = isVariational)]
    pub fn is_variational(&self) -> bool {
        self.inner.is_variational()
    }
}

/// What the page's first view and its sections read of a model.
#[cfg(feature = "page")]
#[wasm_bindgen]
impl Autoencoder {
    /// The model file's header as a plain object: `{architecture: {kind, latent_size, …}, provenance}`.
    #[wasm_bindgen(getter)]
    pub fn header(&self) -> Result<JsValue, JsError> {
        to_js_value(self.inner.header())
    }

    /// A variational model's code for `Float32Array(784)`, a plain object:
    /// `{mean: Float32Array(latentSize), logVariance: Float32Array(latentSize)}`. Throws for a
    /// plain model, whose code is a single point.
    #[wasm_bindgen(js_name = encodeDistribution)]
    pub fn encode_distribution(&self, pixels: &[f32]) -> Result<JsValue, JsError> {
        let code = self.inner.encode_distribution(pixels).map_err(to_js)?;
        to_js_value(&CodeDistributionView {
            mean: Float32Values(code.mean),
            log_variance: Float32Values(code.log_variance),
        })
    }

    /// `count` (1…1000) digits dreamt up: codes drawn from the prior N(0, I), decoded, as one
    /// `Float32Array(count·784)`. The same `seed`, the same images. Throws for a plain model,
    /// which has no prior to draw from.
    pub fn sample(&self, count: usize, seed: u32) -> Result<Vec<f32>, JsError> {
        self.inner.sample(count, seed as u64).map_err(to_js)
    }

    /// `Float32Array(n·784)` → `Float32Array(n)`: a variational model's negative evidence lower
    /// bound per image, in nats (rebuilding's cross-entropy plus the code's KL divergence).
    #[wasm_bindgen(js_name = negativeElbo)]
    pub fn negative_elbo(&self, images: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.negative_elbo(images).map_err(to_js)
    }

    /// Trainable parameters.
    #[wasm_bindgen(getter, js_name = parameterCount)]
    pub fn parameter_count(&self) -> usize {
        self.inner.header().architecture.parameter_count()
    }

    /// Every stage of the convolutional network for one image (`Float32Array(784)`), input to
    /// output, as plain objects: `[{name, channels, side, values: Float32Array}]` (`values`:
    /// `channels × side²` numbers, map after map; the code's numbers for the code, whose `side`
    /// is 0). Throws for the dense network, which has no spatial feature maps.
    #[wasm_bindgen(js_name = featureMaps)]
    pub fn feature_maps(&self, pixels: &[f32]) -> Result<JsValue, JsError> {
        let stages = self.inner.feature_maps(pixels).map_err(to_js)?;
        let views: Vec<FeatureMapView> = stages
            .into_iter()
            .map(|stage| FeatureMapView {
                name: stage.name,
                channels: stage.channels,
                side: stage.side,
                values: Float32Values(stage.values),
            })
            .collect();
        to_js_value(&views)
    }

    /// `Float32Array(n*784)` → `Float32Array(n)`: each image's mean squared reconstruction
    /// error, the anomaly score.
    #[wasm_bindgen(js_name = reconstructionErrors)]
    pub fn reconstruction_errors(&self, images: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.reconstruction_errors(images).map_err(to_js)
    }

    /// Numbers per image at each stage, input → code → output (for the network diagram).
    #[wasm_bindgen(getter, js_name = stageSizes)]
    pub fn stage_sizes(&self) -> Vec<u32> {
        let sizes = self.inner.header().architecture.stage_sizes();
        sizes.into_iter().map(|size| size as u32).collect()
    }

    /// `Float32Array(n*784)` → `Float32Array(n*latentSize)`: the codes of n images, row by row.
    #[wasm_bindgen(js_name = encodeMany)]
    pub fn encode_many(&self, pixels: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.encode_many(pixels).map_err(to_js)
    }

    /// `Float32Array(784)`, pixels in 0…1, 1 = ink → `Float32Array(latentSize)`.
    pub fn encode(&self, pixels: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.encode(pixels).map_err(to_js)
    }

    /// `Float32Array(latentSize)` → `Float32Array(784)`.
    pub fn decode(&self, latent: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.decode(latent).map_err(to_js)
    }

    /// `Float32Array(784)` → `Float32Array(784)`, through the code.
    pub fn reconstruct(&self, pixels: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.reconstruct(pixels).map_err(to_js)
    }
}

/// A variational code, `Autoencoder.encodeDistribution`'s result.
#[cfg(feature = "page")]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeDistributionView {
    mean: Float32Values,
    log_variance: Float32Values,
}

/// One stage's feature maps, an element of `Autoencoder.featureMaps`'s result.
#[cfg(feature = "page")]
#[derive(Serialize)]
struct FeatureMapView {
    name: String,
    channels: usize,
    side: usize,
    values: Float32Values,
}

impl Autoencoder {
    /// Wraps a core model (for other boundary types, such as a trainer's current model).
    pub fn from_inner(inner: InferenceModel) -> Self {
        LIVE_MODELS.with(|live| live.set(live.get() + 1));
        Self {
            inner: Rc::new(inner),
        }
    }

    /// The model, shared (for an `AnomalyDetector`, which keeps it while it lives).
    pub(crate) fn shared(&self) -> Rc<InferenceModel> {
        Rc::clone(&self.inner)
    }
}
