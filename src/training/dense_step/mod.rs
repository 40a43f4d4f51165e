//! The dense network's training step written out: forward pass, backward pass and Adam over
//! plain `f32` buffers, the matrix products by `gemm` (the crate behind burn-flex's own).
//!
//! Why not burn's autodiff here: split across threads by rows, an autodiff step repeats per
//! share what does not shrink with the rows. Each share's weight gradients are full-size
//! products of only its rows, summed afterwards, and each element-wise operation is a pass of
//! its own; split in two, a step cost a fifth more work (BENCHMARKS.md, "Training on every
//! core"). Written out, a step is two parallel phases:
//! 1. each thread takes its share of the batch's rows through the network and back, down to
//!    each layer's gradient at its outputs (the rows alone decide those);
//! 2. each thread takes a share of every layer's weights: their gradient over the whole batch
//!    (one product, nothing to sum) and Adam's update, in one pass over them.
//!
//! Activation, dropout, the sigmoid and the cross-entropy's gradient are each folded into one
//! pass. The step is burn's (same losses, same Adam), checked against burn's autodiff in the
//! tests; the same seed gives the same step for any number of threads, up to the order in
//! which floating-point sums are added.

use std::ops::Range;

use crate::model::dense::LinearValues;
use crate::util::image::PIXELS;

use super::data_parallel::{self, run_each};
use super::dropout::BatchMasks;

mod kernels;
mod reconstruct;

use kernels::{AdamStep, Matrix, ParameterBand, cross_entropy_and_gradient, multiply};

/// The fewest weights worth a thread of their own in the second phase.
const MIN_WEIGHTS_PER_JOB: usize = 16 * 1024;

/// The dense autoencoder's weights with Adam's state, stepped by hand.
pub struct DenseStep {
    layers: Vec<Layer>,
    leaky_slope: f32,
    /// Adam steps taken (its bias corrections count them).
    adam_steps: i32,
    /// Each layer's outputs, activation slopes and output gradients for a batch, kept between
    /// steps (as are the parameters' gradients) so that a step allocates almost nothing.
    buffers: Buffers,
}

struct Layer {
    inputs: usize,
    outputs: usize,
    activation: Activation,
    weight: Parameter,
    bias: Parameter,
}

#[derive(Clone, Copy, PartialEq)]
enum Activation {
    /// LeakyReLU, then dropout when the batch has masks (`dropped`: a hidden layer).
    Leaky { dropped: bool },
    /// The output layer's sigmoid.
    Sigmoid,
}

/// A parameter's values (row-major) and Adam's two moments of its gradient.
struct Parameter {
    values: Vec<f32>,
    first_moment: Vec<f32>,
    second_moment: Vec<f32>,
    /// Room for a step's gradient, which Adam's update reads as soon as it is made.
    gradient: Vec<f32>,
}

#[derive(Default)]
struct Buffers {
    /// For each layer, rows × outputs: its activations (after dropout).
    outputs: Vec<Vec<f32>>,
    /// For each layer, rows × outputs: what the activation and dropout multiplied each
    /// pre-activation by (LeakyReLU is linear on each side of 0), its derivative.
    slopes: Vec<Vec<f32>>,
    /// For each layer, rows × outputs: the loss's gradient at its pre-activations.
    gradients: Vec<Vec<f32>>,
}

impl Parameter {
    fn new(values: Vec<f32>) -> Self {
        let zeros = vec![0.0; values.len()];
        Self {
            values,
            first_moment: zeros.clone(),
            second_moment: zeros.clone(),
            gradient: zeros,
        }
    }
}

impl DenseStep {
    /// A step for the network whose `encoder` and `decoder` layers hold these values (each
    /// encoder layer and each hidden decoder layer is followed by LeakyReLU with
    /// `leaky_slope`, the hidden ones by dropout, the last by the sigmoid). Adam starts afresh.
    pub fn new(encoder: Vec<LinearValues>, decoder: Vec<LinearValues>, leaky_slope: f64) -> Self {
        let hidden = |count: usize, index: usize| index + 1 < count;
        let encoder_count = encoder.len();
        let decoder_count = decoder.len();
        let encoder = encoder.into_iter().enumerate().map(|(index, values)| {
            let dropped = hidden(encoder_count, index);
            (values, Activation::Leaky { dropped })
        });
        let decoder = decoder.into_iter().enumerate().map(|(index, values)| {
            let activation = match hidden(decoder_count, index) {
                true => Activation::Leaky { dropped: true },
                false => Activation::Sigmoid,
            };
            (values, activation)
        });
        let layers = encoder
            .chain(decoder)
            .map(|(values, activation)| Layer {
                inputs: values.inputs,
                outputs: values.outputs,
                activation,
                weight: Parameter::new(values.weight),
                bias: Parameter::new(values.bias),
            })
            .collect();
        Self {
            layers,
            leaky_slope: leaky_slope as f32,
            adam_steps: 0,
            buffers: Buffers::default(),
        }
    }

    /// The current values of the encoder's layers then the decoder's, in [`DenseStep::new`]'s
    /// order.
    pub fn values(&self) -> Vec<LinearValues> {
        self.layers
            .iter()
            .map(|layer| LinearValues {
                inputs: layer.inputs,
                outputs: layer.outputs,
                weight: layer.weight.values.clone(),
                bias: layer.bias.values.clone(),
            })
            .collect()
    }

    /// One Adam step at `learning_rate` that teaches the network to turn `inputs` into
    /// `targets` (both rows × 784, row for row) by the mean binary cross-entropy, dropping out
    /// by `masks` (none: no dropout). Returns the batch's loss; a loss that is not finite is
    /// returned as the error, and the weights stay as they were.
    pub fn step(
        &mut self,
        inputs: &[f32],
        targets: &[f32],
        masks: Option<&BatchMasks>,
        learning_rate: f64,
    ) -> Result<f32, f32> {
        let shares = data_parallel::shares(inputs.len() / PIXELS);
        // Both phases on the pool: the step wakes the calling thread once, not after each.
        data_parallel::on_the_pool(|| {
            self.step_in_shares(inputs, targets, masks, learning_rate, shares)
        })
    }

    fn step_in_shares(
        &mut self,
        inputs: &[f32],
        targets: &[f32],
        masks: Option<&BatchMasks>,
        learning_rate: f64,
        shares: Vec<Range<usize>>,
    ) -> Result<f32, f32> {
        assert_eq!(inputs.len(), targets.len(), "a target for every input");
        let rows = inputs.len() / PIXELS;
        let widths: Vec<usize> = self.layers.iter().map(|layer| layer.outputs).collect();
        self.buffers.resize(rows, &widths);
        let pass = Pass {
            layers: &self.layers,
            leaky_slope: self.leaky_slope,
            loss_scale: 1.0 / (rows * PIXELS) as f32,
        };
        let jobs: Vec<_> = self
            .buffers
            .share_views(&widths, &shares)
            .into_iter()
            .zip(&shares)
            .map(|(views, share)| (views, share.clone()))
            .collect();
        let losses = run_each(jobs, |(views, share)| {
            let pixels = share.start * PIXELS..share.end * PIXELS;
            let masks = masks.map(|masks| masks.rows(share));
            pass.forward_and_back(&inputs[pixels.clone()], &targets[pixels], masks, views)
        });
        let loss = (losses.iter().sum::<f64>() / (rows * PIXELS) as f64) as f32;
        if !loss.is_finite() {
            return Err(loss);
        }
        self.descend(inputs, learning_rate);
        Ok(loss)
    }

    /// Phase two: every layer's weight gradients over the batch, and Adam's update with them.
    fn descend(&mut self, inputs: &[f32], learning_rate: f64) {
        self.adam_steps += 1;
        let adam = AdamStep::new(learning_rate, self.adam_steps);
        let buffers = &self.buffers;
        let rows = inputs.len() / PIXELS;
        let jobs: Vec<WeightJob> = self
            .layers
            .iter_mut()
            .enumerate()
            .flat_map(|(index, layer)| {
                let layer_inputs = match index {
                    0 => inputs,
                    _ => &buffers.outputs[index - 1][..],
                };
                WeightJob::for_layer(layer, layer_inputs, &buffers.gradients[index], rows)
            })
            .collect();
        run_each(jobs, |job| job.run(&adam));
    }

    /// One Adam step at `learning_rate` with gradients found elsewhere (burn's autodiff, for a
    /// loss this file does not write out): for each layer, its weight's and its bias's.
    pub fn apply_gradients(&mut self, gradients: &[(Vec<f32>, Vec<f32>)], learning_rate: f64) {
        self.adam_steps += 1;
        let adam = AdamStep::new(learning_rate, self.adam_steps);
        for (layer, (weight, bias)) in self.layers.iter_mut().zip(gradients) {
            adam.update(&mut layer.weight, weight);
            adam.update(&mut layer.bias, bias);
        }
    }
}

/// What the first phase reads: the weights, and how the loss is scaled.
struct Pass<'a> {
    layers: &'a [Layer],
    leaky_slope: f32,
    /// The loss is the mean over the whole batch's pixels, not the share's.
    loss_scale: f32,
}

/// One share's rows of each layer's buffers.
struct ShareViews<'a> {
    outputs: Vec<&'a mut [f32]>,
    slopes: Vec<&'a mut [f32]>,
    gradients: Vec<&'a mut [f32]>,
}

impl Pass<'_> {
    /// Phase one for a share of `rows` rows: their activations, and the loss's gradient at
    /// every layer's pre-activations. Returns the share's summed cross-entropy.
    #[inline(never)]
    fn forward_and_back(
        &self,
        inputs: &[f32],
        targets: &[f32],
        masks: Option<Vec<(usize, Vec<f32>)>>,
        mut views: ShareViews,
    ) -> f64 {
        let rows = inputs.len() / PIXELS;
        let mut masks = masks.unwrap_or_default().into_iter().map(|(_, mask)| mask);
        for (index, layer) in self.layers.iter().enumerate() {
            let (done, rest) = views.outputs.split_at_mut(index);
            let input = done.last().map_or(inputs, |previous| &**previous);
            let mask = match layer.activation {
                Activation::Leaky { dropped: true } => masks.next(),
                _ => None,
            };
            let slopes = &mut *views.slopes[index];
            layer.forward(input, rows, &mut *rest[0], slopes, self.leaky_slope, mask);
        }
        let last = self.layers.len() - 1;
        let loss = cross_entropy_and_gradient(
            views.outputs[last],
            targets,
            views.gradients[last],
            self.loss_scale,
        );
        for index in (1..self.layers.len()).rev() {
            let layer = &self.layers[index];
            let (below, above) = views.gradients.split_at_mut(index);
            let gradient_below = &mut *below[index - 1];
            multiply(
                gradient_below,
                Matrix::row_major(above[0], rows, layer.outputs),
                Matrix::row_major(&layer.weight.values, layer.inputs, layer.outputs).transposed(),
            );
            for (gradient, slope) in gradient_below.iter_mut().zip(&*views.slopes[index - 1]) {
                *gradient *= slope;
            }
        }
        loss
    }
}

/// Phase two's work on a band of one layer's weight rows: their gradient over the batch and
/// their Adam update (the first band of a layer also takes its bias).
struct WeightJob<'a> {
    layer_inputs: &'a [f32],
    gradients: &'a [f32],
    batch_rows: usize,
    inputs: usize,
    outputs: usize,
    band: Range<usize>,
    weight: ParameterBand<'a>,
    /// Where the band's weight gradient goes.
    weight_gradient: &'a mut [f32],
    /// The layer's bias, and where its gradient goes.
    bias: Option<(ParameterBand<'a>, &'a mut [f32])>,
}

impl<'a> WeightJob<'a> {
    fn for_layer(
        layer: &'a mut Layer,
        layer_inputs: &'a [f32],
        gradients: &'a [f32],
        batch_rows: usize,
    ) -> Vec<WeightJob<'a>> {
        let (inputs, outputs) = (layer.inputs, layer.outputs);
        let bands = (inputs * outputs / MIN_WEIGHTS_PER_JOB).clamp(1, data_parallel::threads());
        let band_rows = inputs.div_ceil(bands);
        let weight = &mut layer.weight;
        let chunks = (weight.values.chunks_mut(band_rows * outputs))
            .zip(weight.first_moment.chunks_mut(band_rows * outputs))
            .zip(weight.second_moment.chunks_mut(band_rows * outputs))
            .zip(weight.gradient.chunks_mut(band_rows * outputs));
        let bias = &mut layer.bias;
        let mut bias = Some((
            ParameterBand {
                values: &mut bias.values,
                first_moment: &mut bias.first_moment,
                second_moment: &mut bias.second_moment,
            },
            &mut bias.gradient[..],
        ));
        chunks
            .enumerate()
            .map(
                |(band, (((values, first_moment), second_moment), weight_gradient))| {
                    let start = band * band_rows;
                    WeightJob {
                        layer_inputs,
                        gradients,
                        batch_rows,
                        inputs,
                        outputs,
                        band: start..start + values.len() / outputs,
                        weight: ParameterBand {
                            values,
                            first_moment,
                            second_moment,
                        },
                        weight_gradient,
                        bias: bias.take(),
                    }
                },
            )
            .collect()
    }

    #[inline(never)]
    fn run(self, adam: &AdamStep) {
        // The band's rows of inputsᵀ · output gradients: the band's columns of the inputs.
        let inputs_band = Matrix {
            values: &self.layer_inputs[self.band.start..],
            rows: self.band.len(),
            columns: self.batch_rows,
            row_stride: 1,
            column_stride: self.inputs,
        };
        let gradients = Matrix::row_major(self.gradients, self.batch_rows, self.outputs);
        multiply(self.weight_gradient, inputs_band, gradients);
        adam.update_band(self.weight, self.weight_gradient);
        if let Some((bias, sums)) = self.bias {
            sums.fill(0.0);
            for row in self.gradients.chunks_exact(self.outputs) {
                sums.iter_mut()
                    .zip(row)
                    .for_each(|(sum, value)| *sum += value);
            }
            adam.update_band(bias, sums);
        }
    }
}

impl Buffers {
    fn resize(&mut self, rows: usize, widths: &[usize]) {
        for buffers in [&mut self.outputs, &mut self.slopes, &mut self.gradients] {
            buffers.resize_with(widths.len(), Vec::new);
            for (buffer, width) in buffers.iter_mut().zip(widths) {
                buffer.resize(rows * width, 0.0);
            }
        }
    }

    /// Each share's rows of every buffer (the shares consecutive from row 0).
    fn share_views(&mut self, widths: &[usize], shares: &[Range<usize>]) -> Vec<ShareViews<'_>> {
        let outputs = split_rows(&mut self.outputs, widths, shares);
        let slopes = split_rows(&mut self.slopes, widths, shares);
        let gradients = split_rows(&mut self.gradients, widths, shares);
        (outputs.into_iter().zip(slopes).zip(gradients))
            .map(|((outputs, slopes), gradients)| ShareViews {
                outputs,
                slopes,
                gradients,
            })
            .collect()
    }
}

/// For each share, its rows of each of `buffers` (`widths` wide).
fn split_rows<'a>(
    buffers: &'a mut [Vec<f32>],
    widths: &[usize],
    shares: &[Range<usize>],
) -> Vec<Vec<&'a mut [f32]>> {
    let mut per_share: Vec<Vec<&mut [f32]>> = shares.iter().map(|_| Vec::new()).collect();
    for (buffer, width) in buffers.iter_mut().zip(widths) {
        let mut rest = &mut buffer[..];
        for (share, views) in shares.iter().zip(&mut per_share) {
            let (view, tail) = rest.split_at_mut(share.len() * width);
            views.push(view);
            rest = tail;
        }
    }
    per_share
}

#[cfg(test)]
mod tests;
