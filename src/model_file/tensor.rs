//! A network's tensors as the model file holds them: by name, as floats or as integers on a
//! grid with a scale per output unit, and the grid itself.

/// One tensor of a network, by its path in the module (`encoder.0.weight`).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedTensor {
    /// burn's path of the parameter.
    pub name: String,
    /// Its shape.
    pub dims: Vec<usize>,
    /// Its values, as floats or already on an integer grid.
    pub values: Values,
}

/// A tensor's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Plain numbers, row-major.
    Float(Vec<f32>),
    /// Integers `codes` of `bits` bits, each times the scale of its output unit.
    Quantized {
        /// Bits per value (2…8).
        bits: u8,
        /// One scale per output unit (see [`output_axis`]).
        scales: Vec<f32>,
        /// One integer per value, row-major, |q| ≤ 2^(bits−1) − 1.
        codes: Vec<i8>,
    },
}

impl NamedTensor {
    /// A tensor of plain numbers.
    pub fn float(name: impl Into<String>, dims: Vec<usize>, values: Vec<f32>) -> Self {
        Self {
            name: name.into(),
            dims,
            values: Values::Float(values),
        }
    }

    /// The values as f32, whatever their encoding.
    pub fn to_f32(&self) -> Vec<f32> {
        match &self.values {
            Values::Float(values) => values.clone(),
            Values::Quantized { scales, codes, .. } => dequantize(codes, scales, &self.dims),
        }
    }

    /// The values taken into f32, whatever their encoding.
    pub fn into_f32(self) -> Vec<f32> {
        self.values.into_f32(&self.dims)
    }
}

impl Values {
    /// Whether every number is finite (an integer grid's scales included): a NaN or an
    /// infinity in a weight would turn every reconstruction into NaN.
    pub fn is_finite(&self) -> bool {
        match self {
            Values::Float(values) => values.iter().all(|v| v.is_finite()),
            Values::Quantized { scales, .. } => scales.iter().all(|s| s.is_finite()),
        }
    }

    /// The values of a tensor of shape `dims` taken into f32.
    pub fn into_f32(self, dims: &[usize]) -> Vec<f32> {
        match self {
            Values::Float(values) => values,
            Values::Quantized { scales, codes, .. } => dequantize(&codes, &scales, dims),
        }
    }
}

/// Each code times its output unit's scale. A page's first model load runs this on a million
/// weights, so it walks the units in order instead of working out each element's unit.
fn dequantize(codes: &[i8], scales: &[f32], dims: &[usize]) -> Vec<f32> {
    let mut values = Vec::with_capacity(codes.len());
    match output_axis(dims) {
        // A Dense weight, [inputs, outputs]: every row runs through the units once.
        Some(axis) if axis + 1 == dims.len() => {
            for row in codes.chunks_exact(scales.len()) {
                values.extend(row.iter().zip(scales).map(|(&q, &scale)| q as f32 * scale));
            }
        }
        // Elements run [outer][unit][inner], one unit's `inner` values next to each other.
        Some(axis) => {
            let inner: usize = dims[axis + 1..].iter().product();
            for block in codes.chunks_exact(inner * scales.len()) {
                for (group, &scale) in block.chunks_exact(inner).zip(scales) {
                    values.extend(group.iter().map(|&q| q as f32 * scale));
                }
            }
        }
        None => values.extend(codes.iter().map(|&q| q as f32 * scales[0])),
    }
    values
}

/// Largest integer magnitude of a `bits`-bit symmetric code: 127 for 8 bits, 31 for 6.
pub fn levels(bits: u8) -> i32 {
    (1 << (bits - 1)) - 1
}

/// Bits per weight an integer encoding may use.
pub const BITS: std::ops::RangeInclusive<u8> = 2..=8;

/// Rounds each value to the nearest step of its output unit's `bits`-bit grid, the unit's
/// largest magnitude being the grid's end.
pub fn round_per_unit(values: &[f32], dims: &[usize], bits: u8) -> Values {
    let scales = unit_scales(values, dims, bits);
    let unit = unit_of(dims);
    let top = levels(bits) as f32;
    let codes = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let scale = scales[unit(i)];
            if scale > 0.0 {
                (v / scale).round().clamp(-top, top) as i8
            } else {
                0
            }
        })
        .collect();
    Values::Quantized {
        bits,
        scales,
        codes,
    }
}

/// Each output unit's step for a `bits`-bit grid that just covers its largest magnitude.
pub fn unit_scales(values: &[f32], dims: &[usize], bits: u8) -> Vec<f32> {
    let unit = unit_of(dims);
    let mut largest = vec![0.0f32; units_of(dims)];
    for (i, v) in values.iter().enumerate() {
        largest[unit(i)] = largest[unit(i)].max(v.abs());
    }
    largest.iter().map(|m| m / levels(bits) as f32).collect()
}

/// The axis whose units get their own scale: a Dense weight's outputs (`[in, out]`), a
/// convolution kernel's output channels (`[out, in, k, k]`); none for biases.
pub fn output_axis(dims: &[usize]) -> Option<usize> {
    match dims.len() {
        2 => Some(1),
        4 => Some(0),
        _ => None,
    }
}

pub(super) fn units_of(dims: &[usize]) -> usize {
    output_axis(dims).map_or(1, |axis| dims[axis])
}

/// The output unit of each element, by its row-major index.
fn unit_of(dims: &[usize]) -> impl Fn(usize) -> usize {
    let (stride, units) = match output_axis(dims) {
        Some(axis) => (dims[axis + 1..].iter().product(), dims[axis]),
        None => (1, 1),
    };
    move |index| (index / stride) % units
}
