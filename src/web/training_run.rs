use wasm_bindgen::prelude::*;

use super::{
    Autoencoder, BROWSER_ENCODING, BROWSER_PROVENANCE, MnistSubset, from_js, to_js, to_js_value,
    to_named_js,
};
use crate::training::{self, RunPlan};

/// A whole training run over a subset of the data file's train split, one batch per `step`
/// (the page's Worker drives it; batches, shuffles and schedules stay in Rust).
#[wasm_bindgen]
pub struct TrainingRun {
    inner: training::TrainingRun,
}

#[wasm_bindgen]
impl TrainingRun {
    /// `options`: the `Trainer`'s options; `plan`: `{epochs, subsetSize, schedule
    /// ("constant" | "cosine"), augmentShift, deform ("none" | "affine" | "elastic"),
    /// deformEpochs (deform only in that many first epochs), validationFraction,
    /// evaluationSize, denoise, outlierExposure, outlierMargin, drawnShare, exampleShare}`, each optional
    /// (`RunPlan`'s JSON; denoise and outlier exposure are two objectives: at most one). Throws
    /// on options out of range or a field it does not know.
    #[wasm_bindgen(constructor)]
    pub fn new(
        data: &MnistSubset,
        options: JsValue,
        plan: JsValue,
    ) -> Result<TrainingRun, JsError> {
        let options = from_js(options, "training options")?;
        let plan: RunPlan = from_js(plan, "training plan")?;
        training::TrainingRun::new(data.dataset().clone(), options, plan)
            .map(|inner| TrainingRun { inner })
            .map_err(to_js)
    }

    /// A run that teaches a model a new shape: each batch is `plan.exampleShare` (0 < share ≤ 1)
    /// of `examples` (`Float32Array(n·784)`, drawn at random and deformed anew every time),
    /// the rest training digits. It trains a copy of `modelFile` (a model file's bytes:
    /// fine-tuning, `options` giving only `learningRate`, `batchSize` and `seed`) or, when
    /// `modelFile` is `undefined`, a fresh model from `options`. Throws on bad examples, a bad
    /// model file, or a plan or options out of range.
    #[wasm_bindgen(js_name = onExamples)]
    pub fn on_examples(
        data: &MnistSubset,
        model_file: Option<Vec<u8>>,
        options: JsValue,
        plan: JsValue,
        examples: Vec<f32>,
    ) -> Result<TrainingRun, JsError> {
        let options = from_js(options, "training options")?;
        let plan: RunPlan = from_js(plan, "training plan")?;
        training::TrainingRun::on_examples(
            data.dataset().clone(),
            model_file.as_deref(),
            options,
            plan,
            examples,
        )
        .map(|inner| TrainingRun { inner })
        .map_err(to_js)
    }

    /// One Adam step on the next batch → `{epoch, stepInEpoch, stepsPerEpoch, step,
    /// totalSteps, loss, learningRate, batchDigits, batchExamples, epochFinished, finished}`. Throws after
    /// the last step, and on a non-finite loss an `Error` named `"TrainingDiverged"` (the
    /// weights are then left as they were).
    pub fn step(&mut self) -> Result<JsValue, JsValue> {
        let report = self.inner.step().map_err(to_named_js)?;
        to_js_value(&report).map_err(JsValue::from)
    }

    /// Mean per-pixel MSE on the plan's test digits, dropout off.
    #[wasm_bindgen(js_name = testMse)]
    pub fn test_mse(&self) -> Result<f64, JsError> {
        self.inner.test_metrics().map(|m| m.mse).map_err(to_js)
    }

    /// Mean per-pixel MSE on the examples as they are (not deformed), dropout off; `undefined`
    /// for a run on digits only.
    #[wasm_bindgen(js_name = exampleMse)]
    pub fn example_mse(&self) -> Result<Option<f64>, JsError> {
        let metrics = self.inner.example_metrics().map_err(to_js)?;
        Ok(metrics.map(|m| m.mse))
    }

    /// The current weights as a model file (`Uint8Array`), loadable by `Autoencoder.load`.
    pub fn save(&self) -> Result<Vec<u8>, JsError> {
        self.inner
            .save(BROWSER_PROVENANCE, BROWSER_ENCODING)
            .map_err(to_js)
    }

    /// An `Autoencoder` with the current weights.
    pub fn model(&self) -> Result<Autoencoder, JsError> {
        let inner = self.inner.snapshot(BROWSER_PROVENANCE).map_err(to_js)?;
        Ok(Autoencoder::from_inner(inner))
    }

    /// Digits trained on per epoch.
    #[wasm_bindgen(getter, js_name = trainDigits)]
    pub fn train_digits(&self) -> usize {
        self.inner.train_digits()
    }

    /// Test digits evaluated by `testMse`.
    #[wasm_bindgen(getter, js_name = evaluationDigits)]
    pub fn evaluation_digits(&self) -> usize {
        self.inner.evaluation_digits()
    }

    /// The examples mixed into every batch (0 for a run on digits only).
    #[wasm_bindgen(getter, js_name = exampleCount)]
    pub fn example_count(&self) -> usize {
        self.inner.example_count()
    }

    /// Steps in the whole run.
    #[wasm_bindgen(getter, js_name = totalSteps)]
    pub fn total_steps(&self) -> usize {
        self.inner.total_steps()
    }
}
