use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::to_js;
use crate::data::{Dataset, DrawnDigits, Split};

/// An MNIST data file (the page's `data/mnist-test.bin.gz` and `data/mnist-train.bin.gz`,
/// unpacked, or the whole `mnist-subset.bin`), for galleries and training batches.
#[wasm_bindgen]
pub struct MnistSubset {
    inner: Dataset,
    /// The digits as drawn, kept for every model's anomaly calibration.
    drawn: RefCell<DrawnDigits>,
}

#[wasm_bindgen]
impl MnistSubset {
    /// Parses and validates a data file's bytes; throws with the file's fault, naming the file
    /// `name` (optional) in the message.
    pub fn load(bytes: &[u8], name: Option<String>) -> Result<MnistSubset, JsError> {
        Dataset::parse(bytes, name.as_deref().unwrap_or("the MNIST data file"))
            .map(|inner| MnistSubset {
                inner,
                drawn: RefCell::default(),
            })
            .map_err(to_js)
    }

    /// Adds `other`'s digits after these, each keeping its split: the test digits and the
    /// training digits, fetched as two files, become one set to train on.
    pub fn append(&mut self, other: &MnistSubset) {
        self.inner.append(&other.inner);
    }

    /// Number of digits.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// Indices of the test split, in file order.
    #[wasm_bindgen(js_name = testIndices)]
    pub fn test_indices(&self) -> Vec<u32> {
        to_u32(self.inner.indices(Split::Test))
    }

    /// Indices of the train split, in file order.
    #[wasm_bindgen(js_name = trainIndices)]
    pub fn train_indices(&self) -> Vec<u32> {
        to_u32(self.inner.indices(Split::Train))
    }

    /// Which training digits a classifier may see the labels of: `perClass` of each digit,
    /// drawn at random by `seed` (every training digit when `perClass` is `undefined`), as
    /// indices in file order.
    #[wasm_bindgen(js_name = labelledDraw)]
    pub fn labelled_draw(&self, per_class: Option<u32>, seed: u32) -> Vec<u32> {
        to_u32(
            self.inner
                .labelled_draw(per_class.map(|n| n as usize), seed as u64),
        )
    }

    /// The digits shown by samples `indices`, as one `Uint32Array`.
    pub fn labels(&self, indices: &[u32]) -> Result<Vec<u32>, JsError> {
        indices
            .iter()
            .map(|&i| {
                self.check(i as usize)?;
                Ok(self.inner.label(i as usize) as u32)
            })
            .collect()
    }

    /// The digit shown by sample `index`.
    pub fn label(&self, index: usize) -> Result<u8, JsError> {
        self.check(index)?;
        Ok(self.inner.label(index))
    }

    /// Samples `indices` as one `Float32Array(n*784)`, image after image (a batch).
    pub fn images(&self, indices: &[u32]) -> Result<Vec<f32>, JsError> {
        let indices: Vec<usize> = indices.iter().map(|&i| i as usize).collect();
        for &index in &indices {
            self.check(index)?;
        }
        Ok(self.inner.images(&indices))
    }

    /// Samples `indices` as they would come out of the drawing pad (stroke width normalised,
    /// see `drawing::as_drawn`), one `Float32Array(n*784)`: what drawings are compared with.
    #[wasm_bindgen(js_name = drawnImages)]
    pub fn drawn_images(&self, indices: &[u32]) -> Result<Vec<f32>, JsError> {
        let mut drawn = self.drawn.borrow_mut();
        let mut images = Vec::with_capacity(indices.len() * crate::util::image::PIXELS);
        for &index in indices {
            self.check(index as usize)?;
            images.extend_from_slice(drawn.image(&self.inner, index as usize));
        }
        Ok(images)
    }

    /// Sample `index` as `Float32Array(784)` in 0…1.
    pub fn image(&self, index: usize) -> Result<Vec<f32>, JsError> {
        self.check(index)?;
        Ok(self.inner.image(index))
    }
}

impl MnistSubset {
    /// The parsed file, for the training types and the anomaly detector.
    pub(crate) fn dataset(&self) -> &Dataset {
        &self.inner
    }

    fn check(&self, index: usize) -> Result<(), JsError> {
        if index < self.inner.len() {
            Ok(())
        } else {
            Err(JsError::new(&format!(
                "sample {index} does not exist: the file has {} digits",
                self.inner.len()
            )))
        }
    }
}

fn to_u32(indices: Vec<usize>) -> Vec<u32> {
    indices.into_iter().map(|i| i as u32).collect()
}
