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

// Each wasm module has the exports its users load (pkg-scripts/build.sh builds them): with the
// feature `page`, the page's inference module, what the first view and most sections use; with
// `later`, the later views' module, what a few sections further down load when first seen (a
// model's insides, the classifiers, the t-SNE map); the training modules (`training`) have
// both, and the trainers.
#[cfg(feature = "page")]
mod analysis;
#[cfg(feature = "page")]
mod anomaly;
mod autoencoder;
#[cfg(feature = "later")]
mod classifier;
#[cfg(feature = "page")]
mod dataset;
#[cfg(feature = "later")]
mod insides;
#[cfg(feature = "page")]
mod limits;
#[cfg(feature = "later")]
mod neighbour_map;
#[cfg(feature = "page")]
mod page;
#[cfg(feature = "training")]
mod shapes;
#[cfg(feature = "training")]
mod threads;
#[cfg(feature = "training")]
mod trainer;
#[cfg(feature = "training")]
mod training_run;

#[cfg(feature = "page")]
pub use analysis::{
    CodeGaussian, LatentPlane, PcaBaseline, add_noise, code_byte_size, code_in_bytes, interpolate,
    latent_spread,
};
#[cfg(feature = "page")]
pub use anomaly::{AnomalyDetector, non_digit_probes};
pub use autoencoder::{Autoencoder, live_models};
#[cfg(feature = "later")]
pub use classifier::{Classifier, CodeClassifier};
#[cfg(feature = "page")]
pub use dataset::MnistSubset;
#[cfg(feature = "page")]
pub use limits::training_limits;
#[cfg(feature = "later")]
pub use neighbour_map::NeighbourMap;
#[cfg(feature = "page")]
pub use page::{backend_name, check_model_file_size, compare_images, drawing_to_mnist};
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

#[cfg(feature = "training")]
use crate::model_file::WeightEncoding;

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

/// A model file of either format version as a current one, its weights as they were (a
/// version-1 file's f16 weights stay f16). The page's inference module reads version 2 only and
/// converts older files with this.
#[cfg(feature = "training")]
#[wasm_bindgen(js_name = upgradeModelFile)]
pub fn upgrade_model_file(bytes: &[u8]) -> Result<Vec<u8>, JsError> {
    let file = crate::model_file::read(bytes).map_err(to_js)?;
    crate::model_file::write(&file.header, &file.tensors, WeightEncoding::Half).map_err(to_js)
}
