//! The WebAssembly boundary: the only module that knows about JavaScript.
//!
//! Each exported type holds a core value (`inner`), converts typed arrays, and turns every
//! core error into a JS `Error`; nothing here does arithmetic of its own.

mod autoencoder;
mod dataset;
mod trainer;

pub use autoencoder::Autoencoder;
pub use dataset::MnistSubset;
pub use trainer::Trainer;

use wasm_bindgen::prelude::*;

use crate::preprocess::{InkImage, ink_from_rgba, to_mnist};

/// Runs once when the module is instantiated: genuine bugs then reach the console with a
/// message instead of a bare "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Core errors become JS `Error`s with the core's message.
pub(crate) fn to_js(error: crate::Error) -> JsError {
    JsError::new(&error.to_string())
}

/// Converts a drawing (RGBA pixels of a canvas, ink in the alpha channel) into the 28×28
/// MNIST-style image the model expects; `undefined` when nothing is drawn.
#[wasm_bindgen(js_name = drawingToMnist)]
pub fn drawing_to_mnist(
    rgba: &[u8],
    width: usize,
    height: usize,
) -> Result<Option<Vec<f32>>, JsError> {
    let ink = ink_from_rgba(rgba).map_err(to_js)?;
    let image = InkImage::new(width, height, &ink).map_err(to_js)?;
    Ok(to_mnist(image))
}

/// Name of the tensor backend compiled in (for the page's footer and the benchmarks).
#[wasm_bindgen(js_name = backendName)]
pub fn backend_name() -> String {
    crate::BACKEND_NAME.to_string()
}

/// Reconstruction quality of `prediction` against `target` (equal-length pixel arrays):
/// `{mse, bce, psnr}`, each a mean per pixel (PSNR in dB).
#[wasm_bindgen(js_name = compareImages)]
pub fn compare_images(prediction: &[f32], target: &[f32]) -> Result<JsValue, JsError> {
    crate::error::check_exact("prediction", prediction, target.len()).map_err(to_js)?;
    crate::error::check_exact("target", target, prediction.len()).map_err(to_js)?;
    let metrics = crate::loss::Metrics::between(prediction, target);
    serde_wasm_bindgen::to_value(&metrics).map_err(|e| JsError::new(&e.to_string()))
}
