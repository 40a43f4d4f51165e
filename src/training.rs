//! Training without burn's `Learner` (which does not run in wasm): the model and Adam's state
//! live in a [`Trainer`] that takes one batch at a time, so the caller decides when to yield.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{check_pixel_range, check_rows};
use crate::image::PIXELS;
use crate::inference::InferenceModel;
use crate::loss::{Metrics, binary_cross_entropy, shortfall_below_margin};
use crate::model::{ConvAutoencoderConfig, DenseAutoencoderConfig, Network};
use crate::model_file::{self, Architecture, Header};
use crate::{Error, Result};

/// Largest learning rate accepted: beyond it Adam diverges on this model within a few steps.
pub const MAX_LEARNING_RATE: f64 = 0.1;
/// Largest batch accepted in one step (memory, and the page's responsiveness).
pub const MAX_BATCH_SIZE: usize = 1024;

/// How to train: the architecture and the optimiser's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct TrainingOptions {
    /// Which network: `"dense"` (the course note's) or `"conv"`.
    pub architecture: ArchitectureKind,
    /// Width of the code (L).
    pub latent_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Samples per step; only a hint for callers that cut batches, `step` takes any size.
    pub batch_size: usize,
    /// Dropout rate after each hidden layer (dense only).
    pub dropout: f64,
    /// Seed for the initial weights and the dropout masks.
    pub seed: u64,
}

/// The architectures a [`Trainer`] can build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArchitectureKind {
    /// The course note's dense autoencoder.
    #[default]
    Dense,
    /// The convolutional autoencoder.
    Conv,
}

impl Default for TrainingOptions {
    /// The course note's model at L = 32, with Adam's usual 1e-3 and batches of 64.
    fn default() -> Self {
        Self {
            architecture: ArchitectureKind::Dense,
            latent_size: 32,
            learning_rate: 1e-3,
            batch_size: 64,
            dropout: 0.5,
            seed: 1,
        }
    }
}

impl TrainingOptions {
    /// The architecture these options train.
    pub fn model_config(&self) -> Architecture {
        match self.architecture {
            ArchitectureKind::Dense => Architecture::Dense(
                DenseAutoencoderConfig::new(self.latent_size).with_dropout(self.dropout),
            ),
            ArchitectureKind::Conv => {
                Architecture::Conv(ConvAutoencoderConfig::new(self.latent_size))
            }
        }
    }

    /// Rejects options that cannot train, with a message naming the option.
    pub fn validate(&self) -> Result<()> {
        match self.model_config() {
            Architecture::Dense(config) => config.validate()?,
            Architecture::Conv(config) => config.validate()?,
        }
        if self.architecture == ArchitectureKind::Conv && self.dropout != 0.0 {
            return Err(Error::InvalidOptions(format!(
                "dropout {} applies to the dense model only: use 0 for the convolutional one",
                self.dropout
            )));
        }
        if !(self.learning_rate.is_finite()
            && self.learning_rate > 0.0
            && self.learning_rate <= MAX_LEARNING_RATE)
        {
            return Err(Error::InvalidOptions(format!(
                "learning rate {} is outside (0, {MAX_LEARNING_RATE}]",
                self.learning_rate
            )));
        }
        if !(1..=MAX_BATCH_SIZE).contains(&self.batch_size) {
            return Err(Error::InvalidOptions(format!(
                "batch size {} is outside 1…{MAX_BATCH_SIZE}",
                self.batch_size
            )));
        }
        Ok(())
    }
}

/// A model being trained, with Adam's state, one batch at a time.
pub struct Trainer {
    options: TrainingOptions,
    learning_rate: f64,
    device: Device,
    model: Network,
    optimizer: ModuleOptimizer,
    steps: u64,
}

impl Trainer {
    /// A fresh model initialised from `options.seed`.
    pub fn new(options: TrainingOptions) -> Result<Self> {
        options.validate()?;
        let device = crate::device().autodiff();
        device.seed(options.seed);
        let model = options.model_config().init(&device);
        Ok(Self {
            learning_rate: options.learning_rate,
            options,
            device,
            model,
            optimizer: AdamConfig::new().init(),
            steps: 0,
        })
    }

    /// The options this trainer was made with.
    pub fn options(&self) -> &TrainingOptions {
        &self.options
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Changes the learning rate for the following steps (for schedules).
    pub fn set_learning_rate(&mut self, learning_rate: f64) -> Result<()> {
        TrainingOptions {
            learning_rate,
            ..self.options.clone()
        }
        .validate()?;
        self.learning_rate = learning_rate;
        Ok(())
    }

    /// One Adam step on `batch` (n × 784 pixels in 0…1); returns the batch's mean BCE.
    ///
    /// A non-finite loss is reported as [`Error::Diverged`] and the weights stay as they were.
    pub fn step(&mut self, batch: &[f32]) -> Result<f32> {
        self.step_towards(batch, batch)
    }

    /// One Adam step that teaches the network to turn `inputs` into `targets` (both n × 784,
    /// row for row): a denoiser sees corrupted inputs and clean targets. Returns the mean BCE.
    pub fn step_towards(&mut self, inputs: &[f32], targets: &[f32]) -> Result<f32> {
        let rows = check_rows("training batch", inputs, PIXELS)?;
        check_pixel_range("training batch", inputs)?;
        crate::error::check_exact("training targets", targets, inputs.len())?;
        check_pixel_range("training targets", targets)?;
        let inputs = to_tensor(inputs, rows, &self.device);
        let targets = to_tensor(targets, rows, &self.device);
        self.descend(binary_cross_entropy(self.model.forward(inputs), targets))
    }

    /// One Adam step for an anomaly detector trained with outlier exposure: the network learns
    /// to rebuild `digits` (mean BCE, as in [`Trainer::step`]) and *not* to rebuild
    /// `negatives` (non-digits, see [`crate::negatives`]): each negative whose reconstruction
    /// MSE is below `margin` adds its shortfall to the loss. A hinge rather than a target
    /// image, so the network is pushed only as far as the margin and keeps its capacity for
    /// the digits. Returns the loss.
    pub fn step_with_negatives(
        &mut self,
        digits: &[f32],
        negatives: &[f32],
        margin: f32,
    ) -> Result<f32> {
        let rows = check_rows("training batch", digits, PIXELS)?;
        check_pixel_range("training batch", digits)?;
        let negative_rows = check_rows("negatives", negatives, PIXELS)?;
        check_pixel_range("negatives", negatives)?;
        if !(margin.is_finite() && margin > 0.0) {
            return Err(Error::InvalidOptions(format!(
                "the negatives' margin {margin} is not a positive number"
            )));
        }
        let digits = to_tensor(digits, rows, &self.device);
        let negatives = to_tensor(negatives, negative_rows, &self.device);
        // One forward pass over both, so dropout and batch statistics see one batch.
        let outputs = self
            .model
            .forward(Tensor::cat(vec![digits.clone(), negatives.clone()], 0));
        let rebuilt_digits = outputs.clone().narrow(0, 0, rows);
        let rebuilt_negatives = outputs.narrow(0, rows, negative_rows);
        self.descend(
            binary_cross_entropy(rebuilt_digits, digits)
                + shortfall_below_margin(rebuilt_negatives, negatives, margin),
        )
    }

    /// Backpropagates `loss` and takes one Adam step, unless the loss is not finite.
    fn descend(&mut self, loss: Tensor<1>) -> Result<f32> {
        let value = loss.clone().into_scalar::<f32>();
        if !value.is_finite() {
            return Err(Error::Diverged(format!(
                "the loss became {value} at step {}; the weights were kept as they were",
                self.steps + 1
            )));
        }
        let gradients = loss.backward();
        let (optimizer, rate) = (&mut self.optimizer, self.learning_rate);
        self.model = match self.model.clone() {
            Network::Dense(model) => {
                let grads = GradientsParams::from_grads(gradients, &model);
                Network::Dense(optimizer.step(rate, model, grads))
            }
            Network::Conv(model) => {
                let grads = GradientsParams::from_grads(gradients, &model);
                Network::Conv(optimizer.step(rate, model, grads))
            }
        };
        self.steps += 1;
        Ok(value)
    }

    /// Reconstruction metrics on `images` (n × 784), with dropout off.
    pub fn evaluate(&self, images: &[f32]) -> Result<Metrics> {
        let rows = check_rows("evaluation images", images, PIXELS)?;
        let model = self.inference_model();
        Ok(evaluate(&model, images, rows))
    }

    /// A copy of the current weights for inference: plain device, dropout off.
    pub fn inference_model(&self) -> Network {
        self.model.valid()
    }

    /// The model-file header describing this trainer's model.
    pub fn header(&self, provenance: &str) -> Header {
        Header {
            architecture: self.options.model_config(),
            provenance: provenance.to_string(),
        }
    }

    /// The current weights as a model file.
    pub fn save(&self, provenance: &str) -> Result<Vec<u8>> {
        model_file::save(&self.inference_model(), &self.header(provenance))
    }

    /// The current weights, ready for single-image inference.
    pub fn snapshot(&self, provenance: &str) -> InferenceModel {
        InferenceModel::from_model(self.inference_model(), self.header(provenance))
    }
}

/// Reconstruction metrics of `model` (dropout off) on `rows` images, in chunks to bound memory.
pub fn evaluate(model: &Network, images: &[f32], rows: usize) -> Metrics {
    const CHUNK_ROWS: usize = 500;
    let device = model
        .devices()
        .first()
        .cloned()
        .unwrap_or_else(crate::device);
    let mut outputs = Vec::with_capacity(images.len());
    for chunk in images.chunks(CHUNK_ROWS * PIXELS) {
        let input = to_tensor(chunk, chunk.len() / PIXELS, &device);
        outputs.extend(model.forward(input).into_data().iter::<f32>());
    }
    debug_assert_eq!(outputs.len(), rows * PIXELS);
    Metrics::between(&outputs, images)
}

/// `rows` × 784 pixels as a `[rows, 784]` tensor.
pub fn to_tensor(pixels: &[f32], rows: usize, device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(pixels.to_vec(), [rows, PIXELS]), device)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_validated() {
        let bad = |change: fn(&mut TrainingOptions)| {
            let mut options = TrainingOptions::default();
            change(&mut options);
            Trainer::new(options)
                .err()
                .expect("bad options accepted")
                .to_string()
        };
        assert!(bad(|o| o.learning_rate = -1e-3).contains("learning rate"));
        assert!(bad(|o| o.learning_rate = f64::NAN).contains("learning rate"));
        assert!(bad(|o| o.latent_size = 0).contains("latent size"));
        assert!(bad(|o| o.batch_size = 0).contains("batch size"));
        assert!(bad(|o| o.dropout = 1.0).contains("dropout"));
    }

    #[test]
    fn bad_batches_are_rejected_without_a_step() {
        let mut trainer = Trainer::new(TrainingOptions::default()).unwrap();
        assert!(trainer.step(&[]).is_err());
        assert!(
            trainer
                .step(&[0.5; 100])
                .unwrap_err()
                .to_string()
                .contains("multiple of 784")
        );
        let mut with_nan = vec![0.0; PIXELS];
        with_nan[7] = f32::NAN;
        assert!(
            trainer
                .step(&with_nan)
                .unwrap_err()
                .to_string()
                .contains("index 7")
        );
        assert!(
            trainer
                .step(&[2.0; PIXELS])
                .unwrap_err()
                .to_string()
                .contains("0…1")
        );
        assert_eq!(trainer.steps(), 0);
    }

    #[test]
    fn bad_negatives_or_margins_are_rejected_without_a_step() {
        let mut trainer = Trainer::new(TrainingOptions {
            latent_size: 4,
            ..Default::default()
        })
        .unwrap();
        let digits = vec![0.5; 2 * PIXELS];
        for margin in [0.0, -1.0, f32::NAN] {
            let error = trainer
                .step_with_negatives(&digits, &digits, margin)
                .unwrap_err();
            assert!(error.to_string().contains("margin"), "{error}");
        }
        assert!(
            trainer
                .step_with_negatives(&digits, &[0.5; 10], 0.1)
                .is_err()
        );
        assert!(
            trainer
                .step_with_negatives(&digits, &[2.0; PIXELS], 0.1)
                .is_err()
        );
        assert_eq!(trainer.steps(), 0);
        trainer.step_with_negatives(&digits, &digits, 0.1).unwrap();
        assert_eq!(trainer.steps(), 1);
    }

    #[test]
    fn options_deserialize_with_defaults_and_reject_unknown_fields() {
        let options: TrainingOptions = serde_json::from_str(r#"{"latentSize": 8}"#).unwrap();
        assert_eq!(options.latent_size, 8);
        assert_eq!(options.batch_size, 64);
        assert!(serde_json::from_str::<TrainingOptions>(r#"{"latentsize": 8}"#).is_err());
    }
}

/// Small, seeded, platform-independent random numbers (SplitMix64) for shuffles and
/// augmentation, so a seed means the same run natively and in the browser.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize
    }

    /// True with `probability` (0…1, in steps of a millionth); one draw either way.
    pub fn chance(&mut self, probability: f64) -> bool {
        self.below(1_000_000) < (probability * 1e6) as usize
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Learning rate at `step` of `total` for a cosine decay from `initial` to `initial / 100`.
pub fn cosine_learning_rate(initial: f64, step: u64, total: u64) -> f64 {
    let progress = step as f64 / total.max(1) as f64;
    let floor = initial / 100.0;
    floor + (initial - floor) * 0.5 * (1.0 + (std::f64::consts::PI * progress.min(1.0)).cos())
}

#[cfg(test)]
mod schedule_tests {
    use super::*;

    #[test]
    fn cosine_schedule_runs_from_initial_to_a_hundredth() {
        assert_eq!(cosine_learning_rate(1e-3, 0, 100), 1e-3);
        assert!((cosine_learning_rate(1e-3, 100, 100) - 1e-5).abs() < 1e-12);
        assert!(cosine_learning_rate(1e-3, 50, 100) < 1e-3);
    }

    #[test]
    fn shuffles_are_seeded_permutations() {
        let shuffled = |seed| {
            let mut items: Vec<usize> = (0..50).collect();
            SplitMix64::new(seed).shuffle(&mut items);
            items
        };
        assert_eq!(shuffled(7), shuffled(7));
        assert_ne!(shuffled(7), shuffled(8));
        let mut sorted = shuffled(7);
        sorted.sort();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
    }
}
