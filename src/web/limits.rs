use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::to_js_value;
use crate::training;

/// The ranges the training options accept, for the page's form (one source for both).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrainingLimits {
    min_latent_size: usize,
    max_latent_size: usize,
    max_learning_rate: f64,
    max_batch_size: usize,
    max_beta: f64,
}

/// `{minLatentSize, maxLatentSize, maxLearningRate, maxBatchSize, maxBeta}`: what `Trainer` and
/// `TrainingRun` accept, so that a form can refuse the rest before a run starts.
#[wasm_bindgen(js_name = trainingLimits)]
pub fn training_limits() -> Result<JsValue, JsError> {
    to_js_value(&TrainingLimits {
        min_latent_size: crate::architecture::MIN_LATENT,
        max_latent_size: crate::architecture::MAX_LATENT,
        max_learning_rate: training::MAX_LEARNING_RATE,
        max_batch_size: training::MAX_BATCH_SIZE,
        max_beta: crate::architecture::variational::MAX_BETA,
    })
}
