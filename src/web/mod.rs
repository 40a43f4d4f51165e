//! The WebAssembly boundary: the only module that knows about JavaScript.
//!
//! Each exported type holds a core value (`inner`), converts typed arrays, and turns every
//! core error into a JS `Error`; nothing here does arithmetic of its own.
//!
//! How results cross: a result is a plain JavaScript object (serde, [`to_js_value`]), never a
//! wasm class, so the page has nothing to free after reading it; numbers per pixel or per
//! code dimension inside it are `Float32Array`s ([`Float32Values`]). A class is exported only
//! for what keeps state between calls (a model, a fitted plane, scale or detector, a data file,
//! a trainer), and its owner frees it.

mod analysis;
mod anomaly;
mod autoencoder;
mod classifier;
mod dataset;
mod limits;
#[cfg(feature = "training")]
mod shapes;
#[cfg(feature = "training")]
mod threads;
#[cfg(feature = "training")]
mod trainer;
#[cfg(feature = "training")]
mod training_run;

pub use analysis::{
    CodeGaussian, LatentPlane, NeighbourMap, PcaBaseline, add_noise, code_byte_size, code_in_bytes,
    interpolate, latent_spread,
};
pub use anomaly::{AnomalyDetector, non_digit_probes};
pub use autoencoder::{Autoencoder, live_models};
pub use classifier::{Classifier, CodeClassifier};
pub use dataset::MnistSubset;
pub use limits::training_limits;
#[cfg(feature = "training")]
pub use shapes::{
    check_picture_file_size, check_shape_name, jittered_letters, picture_to_mnist,
    read_shape_collection, shape_collection_file, shape_limits,
};
#[cfg(feature = "threads")]
pub use threads::init_thread_pool;
#[cfg(feature = "training")]
pub use threads::training_threads;
#[cfg(feature = "training")]
pub use trainer::Trainer;
#[cfg(feature = "training")]
pub use training_run::TrainingRun;

use wasm_bindgen::prelude::*;

use crate::drawing::{InkImage, ink_from_rgba, to_mnist};
#[cfg(feature = "training")]
use crate::model_file::WeightEncoding;
use crate::util::error::check_exact;
use crate::util::metrics::Metrics;

/// What a model trained in the browser says of itself in its file's header.
#[cfg(feature = "training")]
const BROWSER_PROVENANCE: &str = "trained in the browser";
/// Files saved in the browser keep their weights in half precision: a model being trained is
/// saved every epoch and every 2 s, and f16 keeps its reloaded outputs within 2·10⁻³ of the live
/// ones. (The shipped models are 4 or 5 bits per weight: GPTQ, calibrated on the training
/// digits and checked against the test figures, which is a build step, not a page save.)
#[cfg(feature = "training")]
const BROWSER_ENCODING: WeightEncoding = WeightEncoding::Half;

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

/// A core error as a JS `Error` whose `name` tells callers the cases they handle apart:
/// `"TrainingDiverged"` for a non-finite loss (weights kept, try a smaller learning rate),
/// `"LegacyModelFile"` for a version-1 model file, which only the training module reads;
/// a plain `Error` otherwise.
pub(crate) fn to_named_js(error: crate::Error) -> JsValue {
    let name = match error {
        crate::Error::Diverged(_) => Some("TrainingDiverged"),
        crate::Error::LegacyModelFile => Some("LegacyModelFile"),
        _ => None,
    };
    let js = js_sys::Error::new(&error.to_string());
    if let Some(name) = name {
        js.set_name(name);
    }
    js.into()
}

/// An options object from JavaScript; `undefined` or `null` gives the defaults.
///
/// It goes through JSON rather than serde-wasm-bindgen, which reads only the fields it knows
/// and so would silently ignore a misspelt option; serde_json honours `deny_unknown_fields`.
#[cfg(feature = "training")]
pub(crate) fn from_js<T: serde::de::DeserializeOwned + Default>(
    value: JsValue,
    what: &str,
) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let invalid = |detail: String| JsError::new(&format!("{what}: {detail}"));
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(invalid(
            "expected an object such as {latentSize: 32}".into(),
        ));
    }
    let json =
        js_sys::JSON::stringify(&value).map_err(|_| invalid("not representable as JSON".into()))?;
    serde_json::from_str(&String::from(json)).map_err(|e| {
        // serde_json appends "at line 1 column N", which means nothing to a JS caller.
        let message = e.to_string();
        invalid(
            message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string(),
        )
    })
}

/// A plain JavaScript object from a serialisable core value.
pub(crate) fn to_js_value(value: &impl serde::Serialize) -> Result<JsValue, JsError> {
    serde_wasm_bindgen::to_value(value).map_err(|e| JsError::new(&e.to_string()))
}

/// Numbers that reach JavaScript as one `Float32Array` inside a result object (serialised by
/// [`to_js_value`] only; serde_wasm_bindgen would otherwise make a plain array of numbers).
pub(crate) struct Float32Values(pub Vec<f32>);

impl serde::Serialize for Float32Values {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let array = js_sys::Float32Array::from(&self.0[..]);
        serde_wasm_bindgen::preserve::serialize(&array, serializer)
    }
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

/// A model file of either format version as a current one, its weights as they were (a
/// version-1 file's f16 weights stay f16). The page's inference module reads version 2 only and
/// converts older files with this.
#[cfg(feature = "training")]
#[wasm_bindgen(js_name = upgradeModelFile)]
pub fn upgrade_model_file(bytes: &[u8]) -> Result<Vec<u8>, JsError> {
    let file = crate::model_file::read(bytes).map_err(to_js)?;
    crate::model_file::write(&file.header, &file.tensors, WeightEncoding::Half).map_err(to_js)
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
