use wasm_bindgen::prelude::*;

use super::{to_js, to_js_value};
use crate::inference::InferenceModel;

/// A trained autoencoder, loaded from a model file.
#[wasm_bindgen]
pub struct Autoencoder {
    inner: InferenceModel,
}

#[wasm_bindgen]
impl Autoencoder {
    /// Loads a model file (the bytes of a file from `www/models/`). Throws on a damaged file.
    pub fn load(bytes: &[u8]) -> Result<Autoencoder, JsError> {
        InferenceModel::load(bytes)
            .map(|inner| Autoencoder { inner })
            .map_err(to_js)
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

impl Autoencoder {
    /// Wraps a core model (for other boundary types, such as a trainer's current model).
    pub fn from_inner(inner: InferenceModel) -> Self {
        Self { inner }
    }
}
