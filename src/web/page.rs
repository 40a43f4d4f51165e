//! The first view's free functions: a drawing to the model's input, a model file's size
//! checked before it is read, the backend's name, and two images compared.

use wasm_bindgen::prelude::*;

use super::{to_js, to_js_value};
use crate::drawing::{InkImage, ink_from_rgba, to_mnist};
use crate::util::error::check_exact;
use crate::util::metrics::Metrics;

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

/// Refuses a model file of `size` bytes before it is read, when no model file is that large;
/// the same check (and message) as loading it would give.
#[wasm_bindgen(js_name = checkModelFileSize)]
pub fn check_model_file_size(size: f64) -> Result<(), JsError> {
    if size > crate::model_file::MAX_FILE_BYTES as f64 {
        return Err(to_js(crate::util::error::Error::ModelFile(
            crate::model_file::too_large(size as usize),
        )));
    }
    Ok(())
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
    check_exact("prediction", prediction, target.len()).map_err(to_js)?;
    check_exact("target", target, prediction.len()).map_err(to_js)?;
    to_js_value(&Metrics::between(prediction, target))
}
