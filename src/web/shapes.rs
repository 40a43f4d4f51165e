//! A visitor's shapes at the boundary: a picture from an image file converted like a drawing,
//! and the shape collection's file. Plain functions: the page keeps the collection itself (in
//! IndexedDB), and Rust decides what a valid picture, name and file are.
//!
//! In the training module only: the page's "Teach it a new shape" section loads that module
//! when it is first seen (it trains with it anyway), so the first view's module stays as it was.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{Float32Values, to_js, to_js_value};
use crate::collection::{self, ShapeCollection};
use crate::drawing;

/// A picture decoded from an image file (RGBA pixels of a canvas, `width × height`) as the
/// 28×28 image a drawing of it would give (`Float32Array(784)`). Throws with the reason for a
/// picture that is too large or blank (nothing stands out from its background).
#[wasm_bindgen(js_name = pictureToMnist)]
pub fn picture_to_mnist(rgba: &[u8], width: usize, height: usize) -> Result<Vec<f32>, JsError> {
    drawing::picture_to_mnist(rgba, width, height).map_err(to_js)
}

/// Refuses an image file of `size` bytes before it is decoded (too large, or empty).
#[wasm_bindgen(js_name = checkPictureFileSize)]
pub fn check_picture_file_size(size: f64) -> Result<(), JsError> {
    let size = if size.is_finite() && size >= 0.0 {
        size.min(usize::MAX as f64) as usize
    } else {
        return Err(JsError::new(&format!("{size} is not a file size")));
    };
    drawing::check_picture_file_size(size).map_err(to_js)
}

/// `name` as a shape's name (trimmed), or throws why it cannot be one.
#[wasm_bindgen(js_name = checkShapeName)]
pub fn check_shape_name(name: &str) -> Result<String, JsError> {
    collection::check_name(name).map_err(to_js)
}

/// The collection file (`Uint8Array`) of a shape named `name` with `examples`
/// (`Float32Array(n·784)`, n ≤ 100, pixels in 0…1, none blank; n may be 0). Throws on a bad
/// name or bad examples.
#[wasm_bindgen(js_name = shapeCollectionFile)]
pub fn shape_collection_file(name: &str, examples: Vec<f32>) -> Result<Vec<u8>, JsError> {
    let collection = ShapeCollection::new(name, examples).map_err(to_js)?;
    Ok(collection.to_bytes())
}

/// `readShapeCollection`'s result.
#[derive(Serialize)]
struct CollectionView {
    name: String,
    count: usize,
    examples: Float32Values,
}

/// A collection file's contents: `{name, count, examples: Float32Array(count·784)}`. Throws with
/// the reason for a damaged file (truncated, altered, from a newer build, not a collection).
#[wasm_bindgen(js_name = readShapeCollection)]
pub fn read_shape_collection(bytes: &[u8]) -> Result<JsValue, JsError> {
    let collection = ShapeCollection::from_bytes(bytes).map_err(to_js)?;
    to_js_value(&CollectionView {
        name: collection.name().to_string(),
        count: collection.len(),
        examples: Float32Values(collection.examples().to_vec()),
    })
}

/// `{maxExamples, maxNameChars, maxPictureFileBytes}`: the limits the functions above keep,
/// for the page's controls.
#[wasm_bindgen(js_name = shapeLimits)]
pub fn shape_limits() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Limits {
        max_examples: usize,
        max_name_chars: usize,
        max_picture_file_bytes: usize,
    }
    to_js_value(&Limits {
        max_examples: collection::MAX_EXAMPLES,
        max_name_chars: collection::MAX_NAME_CHARS,
        max_picture_file_bytes: drawing::picture::MAX_PICTURE_FILE_BYTES,
    })
}

/// `count` new drawings of capital `letter` in the anomaly probes' font, each jittered as
/// another hand would draw it (`Float32Array(count·784)`, seeded): the benchmark's examples of
/// a shape to teach, and its new drawings of that shape. Throws for a letter the font lacks.
#[wasm_bindgen(js_name = jitteredLetters)]
pub fn jittered_letters(letter: &str, count: usize, seed: u32) -> Result<Vec<f32>, JsError> {
    let mut chars = letter.chars();
    let (Some(letter), None) = (chars.next(), chars.next()) else {
        return Err(JsError::new(&format!("{letter:?} is not one letter")));
    };
    let mut rng = crate::util::rng::SplitMix64::new(seed as u64);
    let mut images = Vec::with_capacity(count * crate::util::image::PIXELS);
    for _ in 0..count {
        let image = crate::synthetic::probes::jittered_letter(letter, &mut rng)
            .ok_or_else(|| JsError::new(&format!("the probes' font has no letter {letter}")))?;
        images.extend(image);
    }
    Ok(images)
}
