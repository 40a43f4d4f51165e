//! The loops of a hand-written step, each one pass over its numbers: the activation with
//! dropout, the sigmoid, the cross-entropy's gradient, Adam's update, and the matrix product;
//! and a layer's forward pass, the product then the activation, which the step and the
//! evaluation share.
//!
//! Each loop is a function of its own (`#[inline(never)]`): Chromium compiles a wasm function
//! with its optimising tier only once it has run a while, and one large function holding every
//! loop ran on the baseline tier for much of a run (BENCHMARKS.md, "Training on every core"); a
//! profile can also tell them apart.

use crate::util::metrics::BCE_EPSILON;

use super::{Activation, Layer, Parameter};

impl Layer {
    /// `rows` rows of `input` through the layer into `output`: the product with the weights,
    /// then the bias and the activation (LeakyReLU with `leaky_slope`, recording its `slopes`,
    /// and the dropout `mask`; or the sigmoid, which leaves `slopes` alone).
    pub(super) fn forward(
        &self,
        input: &[f32],
        rows: usize,
        output: &mut [f32],
        slopes: &mut [f32],
        leaky_slope: f32,
        mask: Option<Vec<f32>>,
    ) {
        multiply(
            output,
            Matrix::row_major(input, rows, self.inputs),
            Matrix::row_major(&self.weight.values, self.inputs, self.outputs),
        );
        match self.activation {
            Activation::Sigmoid => add_bias_and_sigmoid(output, &self.bias.values),
            Activation::Leaky { .. } => {
                activate(output, slopes, &self.bias.values, leaky_slope, mask)
            }
        }
    }
}

/// Pre-activations plus `bias`, through LeakyReLU and the dropout `mask`, in place; `slopes`
/// gets what each was multiplied by.
#[inline(never)]
pub(super) fn activate(
    values: &mut [f32],
    slopes: &mut [f32],
    bias: &[f32],
    slope: f32,
    mask: Option<Vec<f32>>,
) {
    let width = bias.len();
    let row_slopes = values
        .chunks_exact_mut(width)
        .zip(slopes.chunks_exact_mut(width));
    for (row, (values, slopes)) in row_slopes.enumerate() {
        for ((value, factor), bias) in values.iter_mut().zip(slopes.iter_mut()).zip(bias) {
            let z = *value + bias;
            *factor = if z > 0.0 { 1.0 } else { slope };
            *value = z * *factor;
        }
        if let Some(mask) = &mask {
            let mask = &mask[row * width..(row + 1) * width];
            for ((value, factor), keep) in values.iter_mut().zip(slopes.iter_mut()).zip(mask) {
                *value *= keep;
                *factor *= keep;
            }
        }
    }
}

#[inline(never)]
pub(super) fn add_bias_and_sigmoid(values: &mut [f32], bias: &[f32]) {
    for row in values.chunks_exact_mut(bias.len()) {
        for (value, bias) in row.iter_mut().zip(bias) {
            *value = 1.0 / (1.0 + (-(*value + bias)).exp());
        }
    }
}

/// The summed cross-entropy of `predictions` (clamped away from 0 and 1, as
/// [`crate::training::loss::binary_cross_entropy`] does) against `targets`, and its gradient at the
/// sigmoid's input, times `scale`: p − t where the clamp let the prediction through, else 0.
#[inline(never)]
pub(super) fn cross_entropy_and_gradient(
    predictions: &[f32],
    targets: &[f32],
    gradients: &mut [f32],
    scale: f32,
) -> f64 {
    let (low, high) = (BCE_EPSILON, 1.0 - BCE_EPSILON);
    let mut sum = 0.0f64;
    for ((&p, &t), gradient) in predictions.iter().zip(targets).zip(gradients.iter_mut()) {
        let clamped = p.clamp(low, high);
        sum -= (t * clamped.ln() + (1.0 - t) * (1.0 - clamped).ln()) as f64;
        *gradient = if (low..=high).contains(&p) {
            (p - t) * scale
        } else {
            0.0
        };
    }
    sum
}

/// A band of a parameter's values and moments.
pub(super) struct ParameterBand<'a> {
    pub values: &'a mut [f32],
    pub first_moment: &'a mut [f32],
    pub second_moment: &'a mut [f32],
}

/// Adam's update at one step: burn's `Adam` (its bias corrections folded into two factors).
pub(super) struct AdamStep {
    learning_rate: f32,
    /// √(1 − β₂ᵗ) / (1 − β₁ᵗ)
    moment_scale: f32,
    /// ε · √(1 − β₂ᵗ)
    epsilon: f32,
}

impl AdamStep {
    pub fn new(learning_rate: f64, step: i32) -> Self {
        let second_correction = (1.0 - BETA_2.powi(step)).sqrt();
        Self {
            learning_rate: learning_rate as f32,
            moment_scale: second_correction / (1.0 - BETA_1.powi(step)),
            epsilon: EPSILON * second_correction,
        }
    }

    pub fn update(&self, parameter: &mut Parameter, gradient: &[f32]) {
        let band = ParameterBand {
            values: &mut parameter.values,
            first_moment: &mut parameter.first_moment,
            second_moment: &mut parameter.second_moment,
        };
        self.update_band(band, gradient);
    }

    #[inline(never)]
    pub fn update_band(&self, band: ParameterBand, gradient: &[f32]) {
        assert_eq!(
            band.values.len(),
            gradient.len(),
            "a gradient for every value"
        );
        let moments = band
            .first_moment
            .iter_mut()
            .zip(band.second_moment.iter_mut());
        for ((value, (first, second)), &g) in band.values.iter_mut().zip(moments).zip(gradient) {
            *first = BETA_1 * *first + (1.0 - BETA_1) * g;
            *second = BETA_2 * *second + (1.0 - BETA_2) * g * g;
            let step = *first * self.moment_scale / (second.sqrt() + self.epsilon);
            *value -= step * self.learning_rate;
        }
    }
}

/// A matrix read from a slice with any strides (a transposed one is the same values read the
/// other way).
#[derive(Clone, Copy)]
pub(super) struct Matrix<'a> {
    pub values: &'a [f32],
    pub rows: usize,
    pub columns: usize,
    pub row_stride: usize,
    pub column_stride: usize,
}

impl<'a> Matrix<'a> {
    pub fn row_major(values: &'a [f32], rows: usize, columns: usize) -> Self {
        Self {
            values,
            rows,
            columns,
            row_stride: columns,
            column_stride: 1,
        }
    }

    pub fn transposed(self) -> Self {
        Self {
            rows: self.columns,
            columns: self.rows,
            row_stride: self.column_stride,
            column_stride: self.row_stride,
            ..self
        }
    }

    /// Whether every element is inside the slice.
    fn fits(&self) -> bool {
        self.rows == 0
            || self.columns == 0
            || (self.rows - 1) * self.row_stride + (self.columns - 1) * self.column_stride
                < self.values.len()
    }
}

/// `product` (row-major, lhs.rows × rhs.columns) = lhs · rhs, on this thread.
pub(super) fn multiply(product: &mut [f32], lhs: Matrix, rhs: Matrix) {
    assert_eq!(lhs.columns, rhs.rows, "the inner dimensions agree");
    assert_eq!(product.len(), lhs.rows * rhs.columns, "the product's size");
    assert!(lhs.fits() && rhs.fits(), "both factors inside their slices");
    if product.is_empty() {
        return;
    }
    // SAFETY: the asserts above keep every element gemm reads or writes inside the three
    // slices, and `product` does not overlap the factors (it is borrowed mutably).
    unsafe {
        gemm::gemm(
            lhs.rows,
            rhs.columns,
            lhs.columns,
            product.as_mut_ptr(),
            1,
            rhs.columns as isize,
            false,
            lhs.values.as_ptr(),
            lhs.column_stride as isize,
            lhs.row_stride as isize,
            rhs.values.as_ptr(),
            rhs.column_stride as isize,
            rhs.row_stride as isize,
            0.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// Adam's settings: burn's `AdamConfig` defaults, which the other networks train with.
const BETA_1: f32 = 0.9;
const BETA_2: f32 = 0.999;
const EPSILON: f32 = 1e-5;
