//! Classifiers at the boundary: `Classifier`, a shipped fine-tuned classifier file, and
//! `CodeClassifier`, a softmax the page fits on a model's codes of labelled images (the digits,
//! and any classes the page names beside them).

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::{Autoencoder, from_js, to_js};
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
        let options: SoftmaxOptions = from_js(options, "classifier options")?;
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
