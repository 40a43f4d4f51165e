//! Weight matrices to a few bits each, with error compensation: GPTQ (Frantar et al., "GPTQ:
//! Accurate Post-Training Quantization for Generative Pre-trained Transformers", 2023), for
//! the shipped dense models.
//!
//! Rounding each weight to its nearest step is what a plain b-bit grid does; at 6 bits it
//! raised the tuned L=32 model's test MSE by 1.6 %, at 4 bits by 30 % (BENCHMARKS.md). GPTQ
//! quantises a layer's inputs one at a time and moves each rounding error onto the weights of
//! the inputs not yet quantised, in proportion to how those inputs vary together on real data
//! (the inverse Hessian `(XᵀX)⁻¹` of the layer's squared output error): the layer's outputs
//! on those inputs stay close even when single weights move by a step. Layers are done in
//! order, each on the outputs of the layers already quantised, so later layers make up for
//! earlier ones. Same grid, same file format, same decoder: only the chosen integers differ.

use nalgebra::DMatrix;

use crate::architecture::Architecture;
use crate::inference::InferenceModel;
use crate::inference::layers::{Dense, leaky_relu};
use crate::model_file::{self, Header, NamedTensor, Values, WeightEncoding, tensor};
use crate::util::error::{Error, Result};
use crate::util::metrics::Metrics;

/// How far a shipped file's test MSE may rise over its unquantised weights': under the 1 %
/// the first-view issue allows, with room for the last digit.
pub const MSE_TOLERANCE: f64 = 0.009;

/// Fewest bits per weight tried for a shipped dense model.
const FEWEST_BITS: u8 = 4;

/// A model file ready to ship, with what its quantisation cost.
pub struct Shipped {
    /// The file.
    pub bytes: Vec<u8>,
    /// Bits per weight of its weight matrices.
    pub bits: u8,
    /// Its quality on the test images.
    pub test: Metrics,
}

/// The smallest file of a model (its header and float tensors) whose test MSE on `test`
/// (n × 784) stays within [`MSE_TOLERANCE`] of the float weights': for a network of Dense
/// layers (dense, variational) the fewest bits (4…8) with GPTQ on `calibration`; for the
/// convolutional one 8-bit rounding per output unit. Returns
/// the file and the float weights' test figures.
pub fn ship(
    header: &Header,
    tensors: Vec<NamedTensor>,
    calibration: &[f32],
    test: &[f32],
) -> Result<(Shipped, Metrics)> {
    let model = InferenceModel::from_tensors(header.clone(), tensors.clone())?;
    let float = Metrics::between(&model.reconstruct_many(test)?, test);
    let reference = float.mse;
    let measure = |bytes: Vec<u8>, bits: u8| -> Result<Shipped> {
        let test = metrics_of_file(&bytes, test)?;
        Ok(Shipped { bytes, bits, test })
    };
    if matches!(header.architecture, Architecture::Conv(_)) {
        let shipped = measure(
            model_file::write(header, &tensors, WeightEncoding::INT8)?,
            8,
        )?;
        return Ok((shipped, float));
    }
    let mut best = None;
    for bits in (FEWEST_BITS..=8).rev() {
        let tensors = quantize_dense(&model, calibration, bits)?;
        let candidate = measure(
            model_file::write(header, &tensors, WeightEncoding::Half)?,
            bits,
        )?;
        if candidate.test.mse > reference * (1.0 + MSE_TOLERANCE) {
            break;
        }
        best = Some(candidate);
    }
    let best = best.ok_or_else(|| {
        Error::InvalidInput(format!(
            "even 8-bit weights raise the test MSE more than {:.1} % over {reference:.5}",
            100.0 * MSE_TOLERANCE
        ))
    })?;
    Ok((best, float))
}

/// How well the model in `file` rebuilds `images` (n × 784).
pub fn metrics_of_file(file: &[u8], images: &[f32]) -> Result<Metrics> {
    let model = InferenceModel::load(file)?;
    Ok(Metrics::between(&model.reconstruct_many(images)?, images))
}

/// Damping added to the Hessian's diagonal, as a fraction of its mean: keeps it invertible
/// (pixels that are never inked have no curvature at all) and the corrections moderate.
const DAMPING: f64 = 0.01;

/// The weight matrices of a network of Dense layers (dense or variational) as `bits`-bit
/// integers with a scale per output unit, chosen by GPTQ on `calibration` (n × 784 pixels,
/// training images); its biases as they are.
pub fn quantize_dense(
    model: &InferenceModel,
    calibration: &[f32],
    bits: u8,
) -> Result<Vec<NamedTensor>> {
    let chain = model
        .dense_chain()
        .ok_or_else(|| Error::InvalidInput("GPTQ here is for networks of Dense layers".into()))?;
    if !tensor::BITS.contains(&bits) {
        return Err(Error::InvalidInput(format!(
            "{bits} bits per weight is outside 2…8"
        )));
    }
    let mut inputs = calibration.to_vec();
    let mut tensors = Vec::new();
    for (position, (path, layer, activated)) in chain.layers.iter().enumerate() {
        for (branch_path, branch, _) in chain.branches.iter().filter(|b| b.2 == position) {
            tensors.extend(quantize_layer(branch_path, branch, &inputs, bits)?.0);
        }
        let (quantized, next) = quantize_layer(path, layer, &inputs, bits)?;
        tensors.extend(quantized);
        // The next layer sees what this quantised layer computes.
        let in_width = layer.shape().0;
        inputs = inputs
            .chunks_exact(in_width)
            .flat_map(|row| {
                let mut out = next.forward(row);
                if *activated {
                    leaky_relu(&mut out, chain.slope);
                }
                out
            })
            .collect();
    }
    Ok(tensors)
}

/// One Dense layer's weight matrix by GPTQ on its `inputs` (rows of its input width), and its
/// bias as it is: the two tensors, and the layer as quantised.
fn quantize_layer(
    path: &str,
    layer: &Dense,
    inputs: &[f32],
    bits: u8,
) -> Result<([NamedTensor; 2], Dense)> {
    let (in_width, out_width) = layer.shape();
    let (scales, codes) = gptq(layer.weights(), in_width, out_width, inputs, bits)?;
    let quantized = NamedTensor {
        name: format!("{path}.weight"),
        dims: vec![in_width, out_width],
        values: Values::Quantized {
            bits,
            scales,
            codes,
        },
    };
    let bias = layer.bias().to_vec();
    let as_quantised = Dense::new(in_width, out_width, quantized.to_f32(), bias.clone());
    let bias = NamedTensor::float(format!("{path}.bias"), vec![out_width], bias);
    Ok(([quantized, bias], as_quantised))
}

/// GPTQ for one Dense weight `[inputs][outputs]` given the layer's inputs on real data (rows
/// of `inputs` values): one scale per output unit (its largest weight on the grid's end) and
/// the integer codes.
fn gptq(
    weight: &[f32],
    inputs: usize,
    outputs: usize,
    data: &[f32],
    bits: u8,
) -> Result<(Vec<f32>, Vec<i8>)> {
    let mut hessian = input_covariance(data, inputs);
    let mean_diagonal = hessian.diagonal().mean();
    let mut dead = vec![false; inputs];
    for i in 0..inputs {
        if hessian[(i, i)] == 0.0 {
            // An input that is always zero: its weights never matter, keep them out of the way.
            dead[i] = true;
            hessian[(i, i)] = 1.0;
        }
        hessian[(i, i)] += DAMPING * mean_diagonal.max(1e-8);
    }
    let singular =
        || Error::InvalidInput("GPTQ: the damped Hessian is not positive definite".into());
    let inverse = hessian.cholesky().ok_or_else(singular)?.inverse();
    // The inverse's upper Cholesky factor U (inverse = UᵀU): row i holds how the error made at
    // input i spreads over the inputs after it.
    let upper = inverse.cholesky().ok_or_else(singular)?.l().transpose();

    let mut w: Vec<f64> = weight.iter().map(|&v| v as f64).collect();
    for (i, _) in dead.iter().enumerate().filter(|(_, dead)| **dead) {
        w[i * outputs..(i + 1) * outputs].fill(0.0);
    }
    let as_f32: Vec<f32> = w.iter().map(|&v| v as f32).collect();
    let scales = tensor::unit_scales(&as_f32, &[inputs, outputs], bits);
    let top = tensor::levels(bits) as f64;
    let mut codes = vec![0i8; inputs * outputs];
    let mut errors = vec![0.0f64; outputs];
    for i in 0..inputs {
        let pivot = upper[(i, i)];
        let (done, rest) = w.split_at_mut((i + 1) * outputs);
        let row = &done[i * outputs..];
        for (o, (&value, error)) in row.iter().zip(&mut errors).enumerate() {
            let scale = scales[o] as f64;
            let q = if scale > 0.0 {
                (value / scale).round().clamp(-top, top)
            } else {
                0.0
            };
            codes[i * outputs + o] = q as i8;
            *error = (value - q * scale) / pivot;
        }
        // The rounding errors of input i, spread over the inputs still to do, row by row.
        for (j, later) in rest.chunks_exact_mut(outputs).enumerate() {
            let weight = upper[(i, i + 1 + j)];
            for (w, error) in later.iter_mut().zip(&errors) {
                *w -= error * weight;
            }
        }
    }
    Ok((scales, codes))
}

/// `XᵀX / n` for the n rows of `data`, skipping zero inputs (most of a digit's pixels).
fn input_covariance(data: &[f32], inputs: usize) -> DMatrix<f64> {
    let rows = data.len() / inputs;
    let mut sum = vec![0.0f64; inputs * inputs];
    for row in data.chunks_exact(inputs) {
        let row: Vec<f64> = row.iter().map(|&v| v as f64).collect();
        for (a, &value) in row.iter().enumerate().filter(|(_, v)| **v != 0.0) {
            for (h, &other) in sum[a * inputs..(a + 1) * inputs].iter_mut().zip(&row) {
                *h += value * other;
            }
        }
    }
    DMatrix::from_row_slice(inputs, inputs, &sum) / rows.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensation_beats_rounding_on_correlated_inputs() {
        // Inputs that move together (a digit's neighbouring pixels do): GPTQ's outputs on them
        // stay closer to the float layer's than plain rounding's.
        let (inputs, outputs, rows) = (12, 5, 400);
        let data: Vec<f32> = (0..rows * inputs)
            .map(|k| {
                let (r, i) = (k / inputs, k % inputs);
                let shared = ((r * 37 % 101) as f32 / 101.0) - 0.5;
                shared + 0.1 * (((r * 13 + i * 7) % 17) as f32 / 17.0 - 0.5)
            })
            .collect();
        let weight: Vec<f32> = (0..inputs * outputs)
            .map(|k| ((k * 29 % 23) as f32 - 11.0) / 20.0)
            .collect();
        let bits = 4;
        let (scales, codes) = gptq(&weight, inputs, outputs, &data, bits).unwrap();
        let compensated = NamedTensor {
            name: "w".into(),
            dims: vec![inputs, outputs],
            values: Values::Quantized {
                bits,
                scales,
                codes,
            },
        }
        .to_f32();
        let rounded = NamedTensor {
            name: "w".into(),
            dims: vec![inputs, outputs],
            values: tensor::round_per_unit(&weight, &[inputs, outputs], bits),
        }
        .to_f32();
        let output_error = |w: &[f32]| -> f32 {
            data.chunks_exact(inputs)
                .map(|row| {
                    (0..outputs)
                        .map(|o| {
                            let d: f32 = (0..inputs)
                                .map(|i| row[i] * (w[i * outputs + o] - weight[i * outputs + o]))
                                .sum();
                            d * d
                        })
                        .sum::<f32>()
                })
                .sum()
        };
        let (gptq_error, rounding_error) = (output_error(&compensated), output_error(&rounded));
        assert!(
            gptq_error < 0.5 * rounding_error,
            "GPTQ {gptq_error} vs rounding {rounding_error}"
        );
    }
}
