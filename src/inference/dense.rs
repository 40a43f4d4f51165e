//! A plain-Rust copy of a trained [`DenseAutoencoder`] for one image at a time.
//!
//! For a single image, burn's per-operation overhead (dispatch, allocation, a tensor per
//! intermediate result) costs more than the arithmetic. This copy holds the same weights as
//! plain arrays, made once at load time, and runs the same layers as `x·W + b` loops that the
//! compiler vectorises (wasm SIMD in the browser). It skips the zero pixels that make up most
//! of a digit, which cuts the largest layer's work about five-fold. burn stays the one
//! definition of the model: this copy is built from its weights, and the shipped-models test
//! checks it against burn's forward pass on every shipped model.

use burn::tensor::TensorData;

use crate::model::DenseAutoencoder;
use crate::util::error::{Error, Result};

/// One Dense layer: `weights` is `[inputs][outputs]`, row-major, as burn stores it.
#[derive(Debug, Clone)]
struct Layer {
    inputs: usize,
    outputs: usize,
    weights: Vec<f32>,
    bias: Vec<f32>,
}

impl Layer {
    /// `bias + input · weights`. Rows for zero inputs are skipped, and the rest are taken four
    /// at a time so that each pass over the output reads and writes it once for four rows; the
    /// inner loops run over contiguous memory and vectorise.
    fn forward(&self, input: &[f32]) -> Vec<f32> {
        debug_assert_eq!(input.len(), self.inputs);
        let rows: Vec<(f32, &[f32])> = input
            .iter()
            .zip(self.weights.chunks_exact(self.outputs))
            .filter(|(x, _)| **x != 0.0)
            .map(|(&x, row)| (x, row))
            .collect();
        let mut output = self.bias.clone();
        let mut quads = rows.chunks_exact(4);
        for quad in &mut quads {
            let [(a, ra), (b, rb), (c, rc), (d, rd)] = [quad[0], quad[1], quad[2], quad[3]];
            // Equal lengths up front let the compiler drop the bounds checks and vectorise.
            let n = output.len();
            let (ra, rb, rc, rd) = (&ra[..n], &rb[..n], &rc[..n], &rd[..n]);
            for (o, y) in output.iter_mut().enumerate() {
                *y += a * ra[o] + b * rb[o] + c * rc[o] + d * rd[o];
            }
        }
        for &(x, row) in quads.remainder() {
            for (y, &w) in output.iter_mut().zip(row) {
                *y += x * w;
            }
        }
        output
    }
}

/// The inference copy: dropout off, the same activations as the burn model.
#[derive(Debug, Clone)]
pub struct DenseInference {
    encoder: Vec<Layer>,
    decoder: Vec<Layer>,
    slope: f32,
}

impl DenseInference {
    /// Copies the weights out of `model`.
    pub fn from_model(model: &DenseAutoencoder) -> Result<Self> {
        Ok(Self {
            encoder: copy_layers(model.encoder_layers())?,
            decoder: copy_layers(model.decoder_layers())?,
            slope: model.leaky_slope() as f32,
        })
    }

    fn leaky_relu(&self, mut values: Vec<f32>) -> Vec<f32> {
        for v in &mut values {
            if *v < 0.0 {
                *v *= self.slope;
            }
        }
        values
    }

    /// 784 pixels → L code values (inputs are checked by the caller).
    pub fn encode(&self, image: &[f32]) -> Vec<f32> {
        self.encoder.iter().fold(image.to_vec(), |x, layer| {
            self.leaky_relu(layer.forward(&x))
        })
    }

    /// L code values → 784 pixels in 0…1.
    pub fn decode(&self, code: &[f32]) -> Vec<f32> {
        let last = self.decoder.len() - 1;
        let mut x = code.to_vec();
        for (index, layer) in self.decoder.iter().enumerate() {
            x = layer.forward(&x);
            if index < last {
                x = self.leaky_relu(x);
            }
        }
        for v in &mut x {
            *v = 1.0 / (1.0 + (-*v).exp());
        }
        x
    }
}

/// Plain-array copies of burn's Dense layers.
fn copy_layers(layers: &[burn::nn::Linear]) -> Result<Vec<Layer>> {
    let to_vec = |what: &str, data: TensorData| -> Result<Vec<f32>> {
        data.convert::<f32>().try_into_vec::<f32>().map_err(|e| {
            Error::ModelFile(format!("cannot read the {what} as 32-bit floats: {e:?}"))
        })
    };
    layers
        .iter()
        .map(|layer| {
            let [inputs, outputs] = layer.weight.dims();
            let bias = match &layer.bias {
                Some(bias) => to_vec("biases", bias.val().into_data())?,
                None => vec![0.0; outputs],
            };
            Ok(Layer {
                inputs,
                outputs,
                weights: to_vec("weights", layer.weight.val().into_data())?,
                bias,
            })
        })
        .collect()
}
