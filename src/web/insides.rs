//! Inside the network: what the page's "Inside the network" section reads of a model, each
//! layer's outputs for the visitor's drawing, what a first-layer unit looks for and what a
//! latent number draws. In the later views' module (feature `later`), which that section loads
//! when it is first seen.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{Autoencoder, Float32Values, to_js, to_js_value};
use crate::inference::{LayerPlace, LayerRule};

#[wasm_bindgen]
impl Autoencoder {
    /// Every layer of the dense or variational network for one image (`Float32Array(784)`),
    /// input to output, as plain objects: `[{place, rule, values: Float32Array, active,
    /// largest, largestUnit}]`. `place`: `"input"`, `"encoder"`, `"code"`, `"logVariance"` (a
    /// variational encoder's second head), `"decoder"` or `"output"`; `rule`: `"given"`,
    /// `"leakyRelu"`, `"affine"` or `"sigmoid"`; `active`: outputs above zero. Throws for the
    /// convolutional network, whose stages are its feature maps.
    pub fn layers(&self, pixels: &[f32]) -> Result<JsValue, JsError> {
        let layers = self.inner.layer_activations(pixels).map_err(to_js)?;
        let views: Vec<LayerView> = layers
            .into_iter()
            .map(|layer| LayerView {
                place: layer.place,
                rule: layer.rule,
                values: Float32Values(layer.values),
                active: layer.active,
                largest: layer.largest,
                largest_unit: layer.largest_unit,
            })
            .collect();
        to_js_value(&views)
    }

    /// `Float32Array(784)`: the weights by which the first layer's unit `unit` reads each
    /// pixel (signed).
    #[wasm_bindgen(js_name = incomingWeights)]
    pub fn incoming_weights(&self, unit: usize) -> Result<Vec<f32>, JsError> {
        self.inner.incoming_weights(unit).map_err(to_js)
    }

    /// The first layer's `count` strongest units (by the length of their incoming weights),
    /// strongest first.
    #[wasm_bindgen(js_name = strongestUnits)]
    pub fn strongest_units(&self, count: usize) -> Result<Vec<u32>, JsError> {
        let units = self.inner.strongest_units(count).map_err(to_js)?;
        Ok(units.into_iter().map(|unit| unit as u32).collect())
    }

    /// What latent number `index` draws from `code` (`Float32Array(latentSize)`):
    /// `decode(code + step·e) − decode(code)`, `Float32Array(784)`, signed.
    #[wasm_bindgen(js_name = codeStepEffect)]
    pub fn code_step_effect(
        &self,
        code: &[f32],
        index: usize,
        step: f32,
    ) -> Result<Vec<f32>, JsError> {
        self.inner
            .code_step_effect(code, index, step)
            .map_err(to_js)
    }
}

/// One layer's outputs, an element of `Autoencoder.layers`'s result.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LayerView {
    place: LayerPlace,
    rule: LayerRule,
    values: Float32Values,
    active: usize,
    largest: f32,
    largest_unit: usize,
}
