//! Classifiers at the boundary: `Classifier`, a shipped fine-tuned classifier file, and
//! `CodeClassifier`, a softmax the page fits on a model's codes of labelled images (the digits,
//! and any classes the page names beside them).

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::{Autoencoder, to_js};
use crate::analysis::code_classifier;
use crate::analysis::softmax::SoftmaxOptions;
use crate::inference::{self, InferenceModel};

/// A classifier file from `www/models/` (the manifest's `classifier` role): an autoencoder's
/// encoder fine-tuned with a softmax head on a few labelled digits.
#[wasm_bindgen]
pub struct Classifier {
    inner: inference::Classifier,
}

#[wasm_bindgen]
impl Classifier {
    /// Loads a classifier file; throws on a damaged file or one of another kind.
    pub fn load(bytes: &[u8]) -> Result<Classifier, JsError> {
        inference::Classifier::load(bytes)
            .map(|inner| Classifier { inner })
            .map_err(to_js)
    }

    /// `Float32Array(784)` (0…1, 1 = ink) → `Float32Array(classes)`, each class's probability,
    /// in the order of `classNames`. Throws for an image of the wrong size or range.
    pub fn classify(&self, pixels: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.classify(pixels).map_err(to_js)
    }

    /// The classes' names (`"0"` … `"9"` for a digit classifier).
    #[wasm_bindgen(getter, js_name = classNames)]
    pub fn class_names(&self) -> Vec<String> {
        self.inner.class_names().to_vec()
    }

    /// How many labelled digits it was trained with.
    #[wasm_bindgen(getter, js_name = labelsUsed)]
    pub fn labels_used(&self) -> usize {
        self.inner.labels_used()
    }

    /// Width of the code its head reads.
    #[wasm_bindgen(getter, js_name = codeSize)]
    pub fn code_size(&self) -> usize {
        self.inner.header().code_size()
    }
}

/// A softmax classifier on an `Autoencoder`'s codes, fitted in the page. It keeps the model's
/// weights (shared with the `Autoencoder` it was made from) until it is freed.
#[wasm_bindgen]
pub struct CodeClassifier {
    inner: code_classifier::CodeClassifier<Rc<InferenceModel>>,
}

#[wasm_bindgen]
impl CodeClassifier {
    /// Fits a softmax on `model`'s codes of `images` (`Float32Array(n*784)`, 0…1), image `i`
    /// of the class `labels[i]` (`Uint32Array(n)`, an index into `classNames`, every class
    /// with at least one image). `options`: `{l2, steps, learningRate}`, each optional. Throws
    /// on bad input, naming it.
    pub fn fit(
        model: &Autoencoder,
        images: &[f32],
        labels: &[u32],
        class_names: Vec<String>,
        options: JsValue,
    ) -> Result<CodeClassifier, JsError> {
        let options = softmax_options(&options)?;
        code_classifier::CodeClassifier::fit(model.shared(), images, labels, class_names, &options)
            .map(|inner| CodeClassifier { inner })
            .map_err(to_js)
    }

    /// `Float32Array(784)` (0…1, 1 = ink) → `Float32Array(classes)`, each class's probability,
    /// in the order of `classNames`.
    pub fn classify(&self, pixels: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.classify(pixels).map_err(to_js)
    }

    /// The share (0…1) of `images` (`Float32Array(n*784)`) whose most probable class is
    /// `labels[i]` (`Uint32Array(n)`).
    pub fn accuracy(&self, images: &[f32], labels: &[u32]) -> Result<f64, JsError> {
        self.inner.accuracy(images, labels).map_err(to_js)
    }

    /// The classes' names, in the order of `classify`'s probabilities.
    #[wasm_bindgen(getter, js_name = classNames)]
    pub fn class_names(&self) -> Vec<String> {
        self.inner.class_names().to_vec()
    }

    /// How many labelled images it was fitted on.
    #[wasm_bindgen(getter)]
    pub fn examples(&self) -> usize {
        self.inner.examples()
    }
}

/// `{l2, steps, learningRate}` from JavaScript, each optional, a misspelt name refused. Read
/// field by field rather than through JSON (`from_js`), which would add a quarter of this
/// module's growth to the page's first download for three numbers.
fn softmax_options(value: &JsValue) -> Result<SoftmaxOptions, JsError> {
    let mut options = SoftmaxOptions::default();
    if value.is_undefined() || value.is_null() {
        return Ok(options);
    }
    let invalid = |detail: String| JsError::new(&format!("classifier options: {detail}"));
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(invalid("expected an object such as {steps: 300}".into()));
    }
    let object: &js_sys::Object = value.unchecked_ref();
    for key in js_sys::Object::keys(object).iter() {
        let name = key.as_string().unwrap_or_default();
        let number = js_sys::Reflect::get(value, &key)
            .ok()
            .and_then(|v| v.as_f64())
            .ok_or_else(|| invalid(format!("{name} is not a number")))?;
        match name.as_str() {
            "l2" => options.l2 = number,
            "learningRate" => options.learning_rate = number,
            "steps" if number.fract() == 0.0 && number >= 0.0 => options.steps = number as usize,
            "steps" => return Err(invalid(format!("steps {number} is not a whole number"))),
            _ => {
                return Err(invalid(format!(
                    "unknown field `{name}`, expected one of `l2`, `steps`, `learningRate`"
                )));
            }
        }
    }
    Ok(options)
}
