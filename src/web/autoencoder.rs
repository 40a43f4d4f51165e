use wasm_bindgen::prelude::*;

use super::{to_js, to_js_value, to_named_js};
use crate::inference::{CodeDistribution, FeatureMaps, InferenceModel};

/// A trained autoencoder, loaded from a model file.
#[wasm_bindgen]
pub struct Autoencoder {
    inner: InferenceModel,
}

#[wasm_bindgen]
impl Autoencoder {
    /// Loads a model file (the bytes of a file from `www/models/`). Throws on a damaged file;
    /// the inference module throws an `Error` named `"LegacyModelFile"` for a version-1 file,
    /// which the training module reads.
    pub fn load(bytes: &[u8]) -> Result<Autoencoder, JsValue> {
        InferenceModel::load(bytes)
            .map(|inner| Autoencoder { inner })
            .map_err(to_named_js)
    }

    /// Width of the code (L).
    #[wasm_bindgen(getter, js_name = latentSize)]
    pub fn latent_size(&self) -> usize {
        self.inner.latent_size()
    }

    /// The model file's header as a plain object: `{architecture: {kind, latent_size, …}, provenance}`.
    #[wasm_bindgen(getter)]
    pub fn header(&self) -> Result<JsValue, JsError> {
        to_js_value(self.inner.header())
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

    /// A variational model's code for `Float32Array(784)`:
    /// `{mean: Float32Array(latentSize), logVariance: Float32Array(latentSize)}`. Throws for a
    /// plain model, whose code is a single point.
    #[wasm_bindgen(js_name = encodeDistribution)]
    pub fn encode_distribution(&self, pixels: &[f32]) -> Result<CodeDistributionView, JsError> {
        self.inner
            .encode_distribution(pixels)
            .map(|inner| CodeDistributionView { inner })
            .map_err(to_js)
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
    /// output: `[{name, channels, side, values: Float32Array}]`. Throws for the dense network,
    /// which has no spatial feature maps.
    #[wasm_bindgen(js_name = featureMaps)]
    pub fn feature_maps(&self, pixels: &[f32]) -> Result<Vec<FeatureMapView>, JsError> {
        let stages = self.inner.feature_maps(pixels).map_err(to_js)?;
        Ok(stages.into_iter().map(FeatureMapView::from).collect())
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

/// A variational code: a diagonal Gaussian (see `Autoencoder.encodeDistribution`).
#[wasm_bindgen]
pub struct CodeDistributionView {
    inner: CodeDistribution,
}

#[wasm_bindgen]
impl CodeDistributionView {
    /// The mean μ: the code the image is rebuilt from.
    #[wasm_bindgen(getter)]
    pub fn mean(&self) -> Vec<f32> {
        self.inner.mean.clone()
    }

    /// The log-variance log σ² of each number.
    #[wasm_bindgen(getter, js_name = logVariance)]
    pub fn log_variance(&self) -> Vec<f32> {
        self.inner.log_variance.clone()
    }
}

/// One stage's feature maps (see `Autoencoder.featureMaps`).
#[wasm_bindgen]
pub struct FeatureMapView {
    inner: FeatureMaps,
}

#[wasm_bindgen]
impl FeatureMapView {
    /// What the stage is ("encoder 14×14", "code (32)", …).
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// Number of maps.
    #[wasm_bindgen(getter)]
    pub fn channels(&self) -> usize {
        self.inner.channels
    }

    /// Side of each square map (0 for the code).
    #[wasm_bindgen(getter)]
    pub fn side(&self) -> usize {
        self.inner.side
    }

    /// `channels × side²` values, map after map (the code's values for the code).
    #[wasm_bindgen(getter)]
    pub fn values(&self) -> Vec<f32> {
        self.inner.values.clone()
    }
}

impl From<FeatureMaps> for FeatureMapView {
    fn from(inner: FeatureMaps) -> Self {
        Self { inner }
    }
}

impl Autoencoder {
    /// Wraps a core model (for other boundary types, such as a trainer's current model).
    pub fn from_inner(inner: InferenceModel) -> Self {
        Self { inner }
    }
}
