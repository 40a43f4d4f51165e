//! Training without burn's `Learner` (which does not run in wasm): the model and Adam's state
//! live in a [`Trainer`] that takes one batch at a time, so the caller decides when to yield.

use std::ops::Range;

use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;

use super::data_parallel::{self, SplitOptimizer};
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
    model: Network,
    optimizer: SplitOptimizer,
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
        Self {
            architecture,
            learning_rate: options.learning_rate,
            options,
            device,
            model,
            optimizer,
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
        if matches!(self.model, Network::Dense(_)) {
            return self.descend_in_shares(inputs, targets, data_parallel::shares(rows));
        }
        let inputs = images_tensor(inputs, rows, &self.device);
        let targets = images_tensor(targets, rows, &self.device);
        let loss = self.fitting_loss(inputs, targets);
        self.descend(loss)
    }

    /// [`Trainer::step_towards`] for the dense network, its batch split into one share of rows
    /// per thread ([`data_parallel`]): each share's mean BCE, weighted by its part of the batch,
    /// is backpropagated on its own replica, and the summed gradients take the Adam step. The
    /// masks have their places in the stream by row, so the split changes only the order in which
    /// floating-point sums are added up.
    fn descend_in_shares(
        &mut self,
        inputs: &[f32],
        targets: &[f32],
        shares: Vec<Range<usize>>,
    ) -> Result<f32> {
        let Network::Dense(dense) = &self.model else {
            unreachable!("descend_in_shares is called for the dense network only")
        };
        let rows = inputs.len() / PIXELS;
        let masks = self
            .dropout
            .as_mut()
            .map(|stream| stream.next_batch(rows, &dense.dropped_widths()));
        let replicas = shares.iter().map(|_| match shares.len() {
            1 => dense.clone(),
            _ => dense.clone().fork(&self.device),
        });
        let jobs: Vec<_> = shares.iter().cloned().zip(replicas).collect();
        let device = &self.device;
        let results = data_parallel::run_each(jobs, |(share, replica)| {
            share_loss_and_gradients(
                &replica,
                share,
                rows,
                inputs,
                targets,
                masks.as_ref(),
                device,
            )
        });
        let value: f32 = results.iter().map(|(value, _)| value).sum();
        let gradients: Option<Vec<_>> = results
            .into_iter()
            .map(|(_, gradients)| gradients)
            .collect();
        match gradients {
            Some(gradients) if value.is_finite() => Ok(self.take_step(value, gradients)),
            _ => Err(self.diverged(value)),
        }
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
        Ok(self.take_step(value, vec![gradients]))
    }

    /// One Adam step with the sum of the shares' `gradients`, of a batch whose loss was `value`;
    /// returns `value`.
    fn take_step(&mut self, value: f32, gradients: Vec<GradientsParams>) -> f32 {
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

    /// Reconstruction metrics on `images` (n × 784), with dropout off.
    pub fn evaluate(&self, images: &[f32]) -> Result<Metrics> {
        check_rows("evaluation images", images, PIXELS)?;
        Ok(evaluate(&self.inference_model(), images))
    }

    /// A copy of the current weights for inference: plain device, dropout off.
    pub fn inference_model(&self) -> Network {
        self.model.valid()
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

/// One share of a batch through `replica`: its loss (its mean BCE weighted by its part of the
/// `rows`) and, when that is finite, its gradients. `masks` are the whole batch's.
fn share_loss_and_gradients(
    replica: &DenseAutoencoder,
    share: Range<usize>,
    rows: usize,
    inputs: &[f32],
    targets: &[f32],
    masks: Option<&BatchMasks>,
    device: &Device,
) -> (f32, Option<GradientsParams>) {
    let pixels = share.start * PIXELS..share.end * PIXELS;
    let inputs = images_tensor(&inputs[pixels.clone()], share.len(), device);
    let targets = images_tensor(&targets[pixels], share.len(), device);
    let keep_masks = mask_tensors(masks, share.clone(), device);
    let rebuilt = replica.forward_dropped(inputs, &keep_masks);
    let loss = binary_cross_entropy(rebuilt, targets) * (share.len() as f64 / rows as f64);
    let value = loss.clone().into_scalar::<f32>();
    if !value.is_finite() {
        return (value, None);
    }
    (
        value,
        Some(GradientsParams::from_grads(loss.backward(), replica)),
    )
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
