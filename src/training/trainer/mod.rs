//! Training without burn's `Learner` (which does not run in wasm): the model and Adam's state
//! live in a [`Trainer`] that takes one batch at a time, so the caller decides when to yield.
//!
//! The dense network's steps are written out by hand ([`DenseStep`], which owns its weights
//! while it trains, split across threads where there are some); the other networks, and the
//! dense network's outlier-exposure loss, go through burn's autodiff.

use std::ops::Range;

use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;

use super::data_parallel::SplitOptimizer;
use super::dense_step::DenseStep;
use super::dropout::{BatchMasks, MaskStream};
use super::loss::{binary_cross_entropy, gaussian_kl, shortfall_below_margin};
use super::options::{TrainingOptions, check_learning_rate};
use crate::architecture::Architecture;
use crate::inference::InferenceModel;
use crate::model::{DenseAutoencoder, Network, images_tensor};
use crate::model_file::{self, Header, WeightEncoding};
use crate::util::error::{Error, Result, check_exact, check_pixel_range, check_rows};
use crate::util::image::PIXELS;
use crate::util::metrics::Metrics;

/// A model being trained, with Adam's state, one batch at a time.
pub struct Trainer {
    options: TrainingOptions,
    /// The model's architecture as its file's header will say (a fine-tuned copy keeps its
    /// original's, leaky slope and all).
    architecture: Architecture,
    learning_rate: f64,
    device: Device,
    /// The network; a dense one's weights are [`Trainer::dense_step`]'s while it trains, and
    /// are copied here when burn needs them ([`Trainer::model_lags`]).
    model: Network,
    /// Adam for the networks burn's autodiff trains.
    optimizer: SplitOptimizer,
    /// The dense network's weights and Adam's state, stepped by hand.
    dense_step: Option<DenseStep>,
    /// Whether `dense_step` has stepped since its weights were last copied into `model`.
    model_lags: bool,
    /// The dense network's dropout masks (none for the other networks, or without dropout).
    dropout: Option<MaskStream>,
    steps: u64,
}

impl Trainer {
    /// A fresh model initialised from `options.seed`.
    pub fn new(options: TrainingOptions) -> Result<Self> {
        options.validate()?;
        let device = crate::device().autodiff();
        device.seed(options.seed);
        let architecture = options.model_config();
        let model = architecture.init(&device);
        Ok(Self::starting(architecture, options, device, model))
    }

    /// A copy of the model in `model_file` to train on (fine-tuning): its architecture and
    /// weights come from the file, the optimiser's settings (learning rate, batch size, seed)
    /// from `options`, whose own architecture fields are ignored. Adam starts afresh.
    pub fn from_model_file(model_file: &[u8], options: TrainingOptions) -> Result<Self> {
        let device = crate::device().autodiff();
        device.seed(options.seed);
        let (model, header) = model_file::load(model_file, &device)?;
        let architecture = header.architecture;
        let options = TrainingOptions {
            architecture: architecture.kind(),
            latent_size: architecture.latent_size(),
            dropout: match &architecture {
                Architecture::Dense(dense) => dense.dropout,
                _ => 0.0,
            },
            beta: match &architecture {
                Architecture::Vae(vae) => vae.beta,
                _ => 1.0,
            },
            ..options
        };
        options.validate()?;
        Ok(Self::starting(architecture, options, device, model))
    }

    /// A trainer of `model` before its first step: Adam starts afresh.
    fn starting(
        architecture: Architecture,
        options: TrainingOptions,
        device: Device,
        model: Network,
    ) -> Self {
        let dropout = match &model {
            Network::Dense(dense) if dense.dropout_rate() > 0.0 => {
                Some(MaskStream::new(options.seed, dense.dropout_rate()))
            }
            _ => None,
        };
        let optimizer = SplitOptimizer::new(&model, || AdamConfig::new().init());
        let dense_step = match &model {
            Network::Dense(dense) => {
                let (encoder, decoder) = dense.layer_values();
                Some(DenseStep::new(encoder, decoder, dense.leaky_slope()))
            }
            _ => None,
        };
        Self {
            architecture,
            learning_rate: options.learning_rate,
            options,
            device,
            model,
            optimizer,
            dense_step,
            model_lags: false,
            dropout,
            steps: 0,
        }
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
        check_learning_rate(learning_rate)?;
        self.learning_rate = learning_rate;
        Ok(())
    }

    /// One Adam step on `batch` (n × 784 pixels in 0…1); returns the batch's loss (the mean
    /// BCE, plus a variational network's β·KL per pixel: see [`Trainer::fitting_loss`]).
    ///
    /// A non-finite loss is reported as [`Error::Diverged`] and the weights stay as they were.
    pub fn step(&mut self, batch: &[f32]) -> Result<f32> {
        self.step_towards(batch, batch)
    }

    /// One Adam step that teaches the network to turn `inputs` into `targets` (both n × 784,
    /// row for row): a denoiser sees corrupted inputs and clean targets. Returns the loss.
    pub fn step_towards(&mut self, inputs: &[f32], targets: &[f32]) -> Result<f32> {
        let rows = check_rows("training batch", inputs, PIXELS)?;
        check_pixel_range("training batch", inputs)?;
        check_exact("training targets", targets, inputs.len())?;
        check_pixel_range("training targets", targets)?;
        if let (Network::Dense(dense), Some(dense_step)) = (&self.model, &mut self.dense_step) {
            let masks = (self.dropout.as_mut())
                .map(|stream| stream.next_batch(rows, &dense.dropped_widths()));
            let loss = dense_step.step(inputs, targets, masks.as_ref(), self.learning_rate);
            let loss = loss.map_err(|value| self.diverged(value))?;
            self.model_lags = true;
            self.steps += 1;
            return Ok(loss);
        }
        let inputs = images_tensor(inputs, rows, &self.device);
        let targets = images_tensor(targets, rows, &self.device);
        let loss = self.fitting_loss(inputs, targets);
        self.descend(loss)
    }

    /// What the network learns to minimise, turning `inputs` into `targets`: the mean BCE per
    /// pixel. A variational network rebuilds from one draw of each code's distribution and adds
    /// β times the KL divergence from the prior, per pixel, so that at β = 1 the loss is the
    /// negative evidence lower bound divided by 784.
    fn fitting_loss(&mut self, inputs: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
        let Network::Variational(vae) = &self.model else {
            return binary_cross_entropy(self.forward_dropped(inputs), targets);
        };
        let code = vae.encode_distribution(inputs);
        let rebuilt = vae.decode(code.sample());
        let kl_per_pixel = gaussian_kl(code.mean, code.log_variance) / PIXELS as f64;
        binary_cross_entropy(rebuilt, targets) + kl_per_pixel * self.options.beta
    }

    /// One Adam step for an anomaly detector trained with outlier exposure: the network learns
    /// to rebuild `digits` (mean BCE, as in [`Trainer::step`]) and *not* to rebuild
    /// `negatives` (non-digits, see [`crate::synthetic::negatives`]): each negative whose reconstruction
    /// MSE is below `margin` adds its shortfall to the loss. A hinge rather than a target
    /// image, so the network is pushed only as far as the margin and keeps its capacity for
    /// the digits. Returns the loss.
    pub fn step_with_negatives(
        &mut self,
        digits: &[f32],
        negatives: &[f32],
        margin: f32,
    ) -> Result<f32> {
        if matches!(self.model, Network::Variational(_)) {
            return Err(outlier_exposure_needs_a_plain_model());
        }
        let rows = check_rows("training batch", digits, PIXELS)?;
        check_pixel_range("training batch", digits)?;
        let negative_rows = check_rows("negatives", negatives, PIXELS)?;
        check_pixel_range("negatives", negatives)?;
        if !(margin.is_finite() && margin > 0.0) {
            return Err(Error::InvalidOptions(format!(
                "the negatives' margin {margin} is not a positive number"
            )));
        }
        self.catch_up_model();
        let digits = images_tensor(digits, rows, &self.device);
        let negatives = images_tensor(negatives, negative_rows, &self.device);
        // One forward pass over both, so dropout and batch statistics see one batch.
        let outputs = self.forward_dropped(Tensor::cat(vec![digits.clone(), negatives.clone()], 0));
        let rebuilt_digits = outputs.clone().narrow(0, 0, rows);
        let rebuilt_negatives = outputs.narrow(0, rows, negative_rows);
        self.descend(
            binary_cross_entropy(rebuilt_digits, digits)
                + shortfall_below_margin(rebuilt_negatives, negatives, margin),
        )
    }

    /// The training forward pass of `images`: the dense network's with the next dropout masks.
    fn forward_dropped(&mut self, images: Tensor<2>) -> Tensor<2> {
        let Network::Dense(dense) = &self.model else {
            return self.model.forward(images);
        };
        let rows = images.dims()[0];
        let masks = self
            .dropout
            .as_mut()
            .map(|stream| stream.next_batch(rows, &dense.dropped_widths()));
        dense.forward_dropped(images, &mask_tensors(masks.as_ref(), 0..rows, &self.device))
    }

    /// Backpropagates `loss` and takes one Adam step, unless the loss is not finite.
    fn descend(&mut self, loss: Tensor<1>) -> Result<f32> {
        let value = loss.clone().into_scalar::<f32>();
        if !value.is_finite() {
            return Err(self.diverged(value));
        }
        let gradients = GradientsParams::from_grads(loss.backward(), &self.model);
        if let (Network::Dense(dense), Some(dense_step)) = (&self.model, &mut self.dense_step) {
            dense_step.apply_gradients(&layer_gradients(dense, &gradients), self.learning_rate);
            self.model_lags = true;
            self.steps += 1;
            return Ok(value);
        }
        Ok(self.take_step(value, gradients))
    }

    /// Copies the hand-stepped dense network's weights into `model`, for burn to use.
    fn catch_up_model(&mut self) {
        if let (true, Some(dense_step)) = (self.model_lags, &self.dense_step) {
            if let Network::Dense(dense) = &mut self.model {
                *dense = dense.clone().with_layer_values(dense_step.values());
            }
            self.model_lags = false;
        }
    }

    /// One Adam step with `gradients`, of a batch whose loss was `value`; returns `value`.
    fn take_step(&mut self, value: f32, gradients: GradientsParams) -> f32 {
        self.model = self
            .optimizer
            .step(self.learning_rate, self.model.clone(), gradients);
        self.steps += 1;
        value
    }

    fn diverged(&self, value: f32) -> Error {
        Error::Diverged(format!(
            "the loss became {value} at step {}; the weights were kept as they were",
            self.steps + 1
        ))
    }

    /// Reconstruction metrics on `images` (n × 784), with dropout off. A dense network is
    /// evaluated by its step's own forward pass (see `dense_step/reconstruct.rs`).
    pub fn evaluate(&self, images: &[f32]) -> Result<Metrics> {
        check_rows("evaluation images", images, PIXELS)?;
        Ok(match &self.dense_step {
            Some(dense_step) => Metrics::between(&dense_step.reconstruct(images), images),
            None => evaluate(&self.inference_model(), images),
        })
    }

    /// A copy of the current weights for inference: plain device, dropout off.
    pub fn inference_model(&self) -> Network {
        match (self.model.valid(), &self.dense_step) {
            (Network::Dense(dense), Some(dense_step)) if self.model_lags => {
                Network::Dense(dense.with_layer_values(dense_step.values()))
            }
            (model, _) => model,
        }
    }

    /// The model-file header describing this trainer's model.
    pub fn header(&self, provenance: &str) -> Header {
        Header {
            architecture: self.architecture.clone(),
            provenance: provenance.to_string(),
        }
    }

    /// The current weights as a model file, weight matrices in `encoding`.
    pub fn save(&self, provenance: &str, encoding: WeightEncoding) -> Result<Vec<u8>> {
        model_file::save(&self.inference_model(), &self.header(provenance), encoding)
    }

    /// The current weights, ready for single-image inference.
    pub fn snapshot(&self, provenance: &str) -> Result<InferenceModel> {
        let tensors = model_file::tensors_of(&self.inference_model())?;
        InferenceModel::from_tensors(self.header(provenance), tensors)
    }
}

/// Outlier exposure's hinge is written for a network rebuilt deterministically: a variational
/// one would train without its KL term, and stop being a generator.
pub(super) fn outlier_exposure_needs_a_plain_model() -> Error {
    Error::InvalidOptions(
        "outlier exposure trains the dense or convolutional network, not the variational one"
            .into(),
    )
}

/// Each layer's weight and bias gradients in `gradients`, encoder first; zeros for a parameter
/// the loss does not reach.
fn layer_gradients(
    dense: &DenseAutoencoder,
    gradients: &GradientsParams,
) -> Vec<(Vec<f32>, Vec<f32>)> {
    fn numbers<const D: usize>(
        gradients: &GradientsParams,
        param: &burn::module::Param<Tensor<D>>,
    ) -> Vec<f32> {
        match gradients.get::<D>(param.id) {
            Some(gradient) => gradient
                .into_data()
                .try_into_vec::<f32>()
                .expect("f32 gradients"),
            None => vec![0.0; param.shape().num_elements()],
        }
    }
    dense
        .layers()
        .map(|layer| {
            let bias = match &layer.bias {
                Some(bias) => numbers(gradients, bias),
                None => vec![0.0; layer.weight.dims()[1]],
            };
            (numbers(gradients, &layer.weight), bias)
        })
        .collect()
}

/// The keep-masks of `rows` of a batch as tensors (none without dropout).
fn mask_tensors(masks: Option<&BatchMasks>, rows: Range<usize>, device: &Device) -> Vec<Tensor<2>> {
    let Some(masks) = masks else {
        return Vec::new();
    };
    masks
        .rows(rows.clone())
        .into_iter()
        .map(|(width, mask)| Tensor::from_data(TensorData::new(mask, [rows.len(), width]), device))
        .collect()
}

/// Reconstructions of `images` (whole 784-pixel images) by `model` (dropout off), in chunks to
/// bound memory: burn's batched forward pass, the reference the other paths are checked against.
pub fn reconstruct_all(model: &Network, images: &[f32]) -> Vec<f32> {
    const CHUNK_ROWS: usize = 500;
    let device = model.device();
    let mut outputs = Vec::with_capacity(images.len());
    for chunk in images.chunks(CHUNK_ROWS * PIXELS) {
        let input = images_tensor(chunk, chunk.len() / PIXELS, &device);
        outputs.extend(model.forward(input).into_data().iter::<f32>());
    }
    outputs
}

/// Reconstruction metrics of `model` (dropout off) on `images` (whole 784-pixel images).
pub fn evaluate(model: &Network, images: &[f32]) -> Metrics {
    Metrics::between(&reconstruct_all(model, images), images)
}

#[cfg(test)]
mod tests;
