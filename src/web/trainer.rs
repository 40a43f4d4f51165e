use wasm_bindgen::prelude::*;

use super::{
    Autoencoder, BROWSER_ENCODING, BROWSER_PROVENANCE, from_js, to_js, to_js_value, to_named_js,
};
use crate::training::{self, TrainingOptions};

/// A model being trained in the browser, with Adam's state kept between steps.
#[wasm_bindgen]
pub struct Trainer {
    inner: training::Trainer,
}

#[wasm_bindgen]
impl Trainer {
    /// `options`: `{architecture, latentSize, learningRate, batchSize, dropout, beta, seed}`, each
    /// optional (`architecture`: `"dense"`, `"conv"` or `"vae"`; `beta` for `"vae"` only).
    /// Throws on options out of range or of the wrong type.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Trainer, JsError> {
        let options: TrainingOptions = from_js(options, "training options")?;
        training::Trainer::new(options)
            .map(|inner| Trainer { inner })
            .map_err(to_js)
    }

    /// One Adam step on `batch` (`Float32Array(n·784)`, n ≥ 1); returns the batch's mean BCE.
    /// A bad batch or a diverging step (an `Error` named `"TrainingDiverged"`) throws and
    /// leaves the weights as they were.
    pub fn step(&mut self, batch: &[f32]) -> Result<f32, JsValue> {
        self.inner.step(batch).map_err(to_named_js)
    }

    /// Mean per-pixel MSE on `images` (`Float32Array(n·784)`), dropout off.
    pub fn evaluate(&self, images: &[f32]) -> Result<f64, JsError> {
        self.inner.evaluate(images).map(|m| m.mse).map_err(to_js)
    }

    /// The current weights as a model file (`Uint8Array`), loadable by `Autoencoder.load`.
    pub fn save(&self) -> Result<Vec<u8>, JsError> {
        self.inner
            .save(BROWSER_PROVENANCE, BROWSER_ENCODING)
            .map_err(to_js)
    }

    /// An `Autoencoder` with the current weights.
    pub fn model(&self) -> Result<Autoencoder, JsError> {
        let inner = self.inner.snapshot(BROWSER_PROVENANCE).map_err(to_js)?;
        Ok(Autoencoder::from_inner(inner))
    }

    /// Steps taken so far.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> f64 {
        self.inner.steps() as f64
    }

    /// The options in effect, with defaults filled in.
    #[wasm_bindgen(getter)]
    pub fn options(&self) -> Result<JsValue, JsError> {
        to_js_value(self.inner.options())
    }
}
