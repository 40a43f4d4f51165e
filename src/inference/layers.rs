//! The layers of the inference copies, on plain arrays: a Dense layer, a 3×3 convolution, and
//! the activations, computed as burn computes them (its `Linear`, `Conv2d` with padding 1,
//! `LeakyRelu`, `sigmoid`).

use crate::model_file::{ModelFile, NamedTensor, find_tensor};
use crate::util::error::Result;

/// One Dense layer: `weights` is `[inputs][outputs]`, row-major, as burn stores it.
#[derive(Debug, Clone)]
pub(crate) struct Dense {
    inputs: usize,
    outputs: usize,
    weights: Vec<f32>,
    bias: Vec<f32>,
}

// The constructor and the biases serve the quantiser, which only the training build has.
#[cfg(feature = "training")]
impl Dense {
    /// A layer from its weights (`[inputs][outputs]`, row-major) and biases.
    pub fn new(inputs: usize, outputs: usize, weights: Vec<f32>, bias: Vec<f32>) -> Self {
        debug_assert_eq!((weights.len(), bias.len()), (inputs * outputs, outputs));
        Self {
            inputs,
            outputs,
            weights,
            bias,
        }
    }

    /// The biases, one per output.
    pub fn bias(&self) -> &[f32] {
        &self.bias
    }
}

impl Dense {
    /// `(inputs, outputs)`.
    pub fn shape(&self) -> (usize, usize) {
        (self.inputs, self.outputs)
    }

    /// The weights, `[inputs][outputs]`, row-major.
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// The layer stored as `{path}.weight` (`[inputs, outputs]`) and `{path}.bias`.
    pub fn read(file: &ModelFile, path: &str, inputs: usize, outputs: usize) -> Result<Self> {
        Self::read_from(&file.tensors, path, inputs, outputs)
    }

    /// The layer among `tensors` as `{path}.weight` (`[inputs, outputs]`) and `{path}.bias`.
    pub fn read_from(
        tensors: &[NamedTensor],
        path: &str,
        inputs: usize,
        outputs: usize,
    ) -> Result<Self> {
        Ok(Self {
            inputs,
            outputs,
            weights: find_tensor(tensors, &format!("{path}.weight"), &[inputs, outputs])?.to_vec(),
            bias: find_tensor(tensors, &format!("{path}.bias"), &[outputs])?.to_vec(),
        })
    }

    /// The names of the tensors [`Dense::read`] takes.
    pub fn tensor_names(path: &str) -> [String; 2] {
        [format!("{path}.weight"), format!("{path}.bias")]
    }

    /// `bias + input · weights`. Rows for zero inputs are skipped (most of a digit is paper,
    /// which cuts the largest layer's work about five-fold), and the rest are taken four at a
    /// time so that each pass over the output reads and writes it once for four rows; the inner
    /// loops run over contiguous memory and vectorise (wasm SIMD in the browser).
    pub fn forward(&self, input: &[f32]) -> Vec<f32> {
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

/// A 3×3 convolution with padding 1 and stride 1 or 2, on `channels × side × side` maps.
#[derive(Debug, Clone)]
pub(super) struct Conv3x3 {
    inputs: usize,
    outputs: usize,
    stride: usize,
    /// `[outputs][inputs][3][3]`, as burn stores it.
    kernel: Vec<f32>,
    bias: Vec<f32>,
}

impl Conv3x3 {
    /// The convolution stored as `{path}.weight` (`[outputs, inputs, 3, 3]`) and `{path}.bias`.
    pub fn read(
        file: &ModelFile,
        path: &str,
        inputs: usize,
        outputs: usize,
        stride: usize,
    ) -> Result<Self> {
        Ok(Self {
            inputs,
            outputs,
            stride,
            kernel: file
                .tensor(&format!("{path}.weight"), &[outputs, inputs, 3, 3])?
                .to_vec(),
            bias: file.tensor(&format!("{path}.bias"), &[outputs])?.to_vec(),
        })
    }

    /// Cross-correlation, as burn's `Conv2d`: `inputs` maps of `side²` values in, `outputs`
    /// maps of `(side / stride)²` out.
    pub fn forward(&self, input: &[f32], side: usize) -> Vec<f32> {
        debug_assert_eq!(input.len(), self.inputs * side * side);
        let out_side = side / self.stride;
        let plane = out_side * out_side;
        let mut output = vec![0.0f32; self.outputs * plane];
        for (o, map) in output.chunks_exact_mut(plane).enumerate() {
            map.fill(self.bias[o]);
            for i in 0..self.inputs {
                let source = &input[i * side * side..(i + 1) * side * side];
                let taps = &self.kernel[(o * self.inputs + i) * 9..][..9];
                for (tap, &weight) in taps.iter().enumerate() {
                    let (dy, dx) = (tap / 3, tap % 3);
                    for y in 0..out_side {
                        // Input row and column of output (y, x): y·stride + dy − 1 (padding 1).
                        let Some(row) = (y * self.stride + dy).checked_sub(1) else {
                            continue;
                        };
                        if row >= side {
                            continue;
                        }
                        let source_row = &source[row * side..(row + 1) * side];
                        let target = &mut map[y * out_side..(y + 1) * out_side];
                        for (x, value) in target.iter_mut().enumerate() {
                            let column = x * self.stride + dx;
                            if (1..=side).contains(&column) {
                                *value += weight * source_row[column - 1];
                            }
                        }
                    }
                }
            }
        }
        output
    }
}

/// LeakyReLU in place: negative values times `slope`.
pub(crate) fn leaky_relu(values: &mut [f32], slope: f32) {
    for v in values {
        if *v < 0.0 {
            *v *= slope;
        }
    }
}

/// Probabilities from logits, shifted by their maximum so that none overflows.
pub(crate) fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
    let total: f32 = exps.iter().sum();
    exps.iter().map(|e| e / total).collect()
}

/// The logistic sigmoid in place.
pub(super) fn sigmoid(values: &mut [f32]) {
    for v in values {
        *v = 1.0 / (1.0 + (-*v).exp());
    }
}

/// Nearest-neighbour upsampling by 2: every value of each `side × side` map becomes a 2×2
/// block.
pub(super) fn upsample_2x(maps: &[f32], side: usize) -> Vec<f32> {
    let wide = 2 * side;
    let mut output = vec![0.0; maps.len() * 4];
    for (map, out) in maps
        .chunks_exact(side * side)
        .zip(output.chunks_exact_mut(wide * wide))
    {
        for y in 0..wide {
            for x in 0..wide {
                out[y * wide + x] = map[(y / 2) * side + x / 2];
            }
        }
    }
    output
}
