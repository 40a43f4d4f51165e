//! The weights block of a version-2 model file: every tensor of the network by name, each in
//! the encoding chosen for the file.
//!
//! ```text
//! u32 LE        tensor count
//! per tensor:   u16 LE name length, the name (UTF-8, burn's path: "encoder.0.weight"),
//!               u8 rank, u32 LE per dimension, u8 encoding, then the values:
//!   0 = f32     4 bytes per value, little-endian
//!   1 = f16     2 bytes per value, little-endian
//!   2 = int8    one f32 scale per output unit, then 1 signed byte per value (value = q · scale)
//!   3 = packed  u8 bits b (2…8), one f32 scale per output unit, then the values as b-bit
//!               two's-complement integers, packed least significant bit first
//!               (⌈count · b / 8⌉ bytes; value = q · scale, |q| ≤ 2^(b−1) − 1)
//! ```
//!
//! Integer encodings are for weight matrices and kernels: symmetric, one scale per output unit
//! (a Dense layer's column, `[inputs, outputs]` in burn; a convolution's output channel,
//! `[out, in, k, k]`), so that each unit keeps its own range. Biases and anything else stay f32.
//! Encoding 2 is what the first 8-bit files used; this build writes 3 (8-bit is the same bytes
//! in either).

use half::f16;

use super::packing::{read_packed, write_packed};
use super::tensor::{BITS, NamedTensor, Values, output_axis, round_per_unit, units_of};
use crate::util::error::{Error, Result};

/// How a file stores its weight matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightEncoding {
    /// Half precision: within about 1e-3 of the trained weights (the page's own saves).
    Half,
    /// `bits`-bit integers (2…8) with a scale per output unit, each weight rounded to the
    /// nearest step. The shipped models are quantised with error compensation instead
    /// (`quantization`), which gives [`Values::Quantized`] tensors directly.
    PerUnit {
        /// Bits per weight.
        bits: u8,
    },
}

impl WeightEncoding {
    /// 8-bit integers with a scale per output unit: half the size of f16.
    pub const INT8: WeightEncoding = WeightEncoding::PerUnit { bits: 8 };
}

const F32: u8 = 0;
const F16: u8 = 1;
const INT8: u8 = 2;
const PACKED: u8 = 3;

/// The tensors as a weights block: float weight matrices in `encoding`, quantised ones as they
/// are, everything else f32.
pub(super) fn encode(tensors: &[NamedTensor], encoding: WeightEncoding) -> Result<Vec<u8>> {
    let fail = |e: String| Error::ModelFile(format!("cannot pack the weights: {e}"));
    let mut out = Vec::new();
    out.extend_from_slice(&(tensors.len() as u32).to_le_bytes());
    for tensor in tensors {
        let count: usize = tensor.dims.iter().product();
        let name = &tensor.name;
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.push(tensor.dims.len() as u8);
        for &dim in &tensor.dims {
            out.extend_from_slice(&(dim as u32).to_le_bytes());
        }
        let matrix = output_axis(&tensor.dims).is_some();
        let rounded;
        let values = match (&tensor.values, encoding) {
            (Values::Float(values), WeightEncoding::PerUnit { bits }) if matrix => {
                if !BITS.contains(&bits) {
                    return Err(fail(format!("{bits} bits per weight is outside 2…8")));
                }
                rounded = round_per_unit(values, &tensor.dims, bits);
                &rounded
            }
            (values, _) => values,
        };
        match values {
            Values::Float(values) if values.len() != count => {
                return Err(fail(format!(
                    "{name} has {} values for {count}",
                    values.len()
                )));
            }
            Values::Float(values) if matrix && encoding == WeightEncoding::Half => {
                out.push(F16);
                for v in values {
                    out.extend_from_slice(&f16::from_f32(*v).to_le_bytes());
                }
            }
            Values::Float(values) => {
                out.push(F32);
                for v in values {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
            Values::Quantized {
                bits,
                scales,
                codes,
            } => {
                if !matrix || codes.len() != count || scales.len() != units_of(&tensor.dims) {
                    return Err(fail(format!(
                        "{name} is not a well-formed quantised matrix"
                    )));
                }
                out.push(PACKED);
                out.push(*bits);
                for scale in scales {
                    out.extend_from_slice(&scale.to_le_bytes());
                }
                write_packed(&mut out, codes, *bits);
            }
        }
    }
    Ok(out)
}

/// The tensors of a weights block, as f32.
pub(super) fn decode(block: &[u8]) -> Result<Vec<NamedTensor>> {
    let mut reader = Reader {
        bytes: block,
        at: 0,
    };
    let count = reader.u32()? as usize;
    let mut tensors = Vec::with_capacity(count.min(1024));
    for _ in 0..count {
        let name_len = reader.u16()? as usize;
        let name = String::from_utf8(reader.take(name_len)?.to_vec())
            .map_err(|_| corrupt("a tensor name is not UTF-8"))?;
        let rank = reader.u8()? as usize;
        let dims = (0..rank)
            .map(|_| reader.u32().map(|d| d as usize))
            .collect::<Result<Vec<_>>>()?;
        // A zero side would make an empty weight matrix with no units to scale (found by
        // fuzzing: it panicked in `dequantize`).
        let count = dims
            .iter()
            .try_fold(1usize, |n, &d| n.checked_mul(d).filter(|_| d > 0))
            .filter(|&n| n <= block.len().saturating_mul(8))
            .ok_or_else(|| corrupt(&format!("{name} claims an impossible shape {dims:?}")))?;
        let integer = |what: &str| {
            output_axis(&dims)
                .map(|_| units_of(&dims))
                .ok_or_else(|| corrupt(&format!("{name} is {what} but not a weight matrix")))
        };
        let values = match reader.u8()? {
            F32 => Values::Float(
                reader
                    .take(count * 4)?
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect(),
            ),
            F16 => Values::Float(
                reader
                    .take(count * 2)?
                    .chunks_exact(2)
                    .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
                    .collect(),
            ),
            INT8 => {
                let scales = read_scales(&mut reader, integer("8-bit")?)?;
                let codes = reader.take(count)?.iter().map(|&q| q as i8).collect();
                Values::Quantized {
                    bits: 8,
                    scales,
                    codes,
                }
            }
            PACKED => {
                let units = integer("packed")?;
                let bits = reader.u8()?;
                if !BITS.contains(&bits) {
                    return Err(corrupt(&format!("{name} claims {bits} bits per weight")));
                }
                let scales = read_scales(&mut reader, units)?;
                let bytes = reader.take((count * bits as usize).div_ceil(8))?;
                Values::Quantized {
                    bits,
                    scales,
                    codes: read_packed(bytes, count, bits),
                }
            }
            other => return Err(corrupt(&format!("{name} has unknown encoding {other}"))),
        };
        let values = Values::Float(values.into_f32(&dims));
        tensors.push(NamedTensor { name, dims, values });
    }
    if reader.at != block.len() {
        return Err(corrupt("bytes left over after the last tensor"));
    }
    Ok(tensors)
}

fn read_scales(reader: &mut Reader<'_>, units: usize) -> Result<Vec<f32>> {
    let scales: Vec<f32> = reader
        .take(units * 4)?
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    if scales.iter().any(|s| !s.is_finite()) {
        return Err(corrupt("a scale is not a finite number"));
    }
    Ok(scales)
}

fn corrupt(what: &str) -> Error {
    Error::ModelFile(format!("the weights are damaged: {what}"))
}

/// Reads the block front to back, refusing to read past its end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| corrupt("it ends inside a tensor"))?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("two bytes"),
        ))
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("four bytes"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(name: &str, dims: Vec<usize>, values: &[f32]) -> NamedTensor {
        NamedTensor::float(name, dims, values.to_vec())
    }

    fn values(tensor: NamedTensor) -> Vec<f32> {
        tensor.into_f32()
    }

    #[test]
    fn each_output_unit_keeps_its_own_range() {
        // A [3 inputs, 2 outputs] Dense weight: output 0 is large, output 1 tiny.
        let weight = [10.0, 0.01, -5.0, -0.02, 2.5, 0.005];
        let bias = [0.123_456_7, -1.0];
        let block = encode(
            &[
                tensor("w", vec![3, 2], &weight),
                tensor("b", vec![2], &bias),
            ],
            WeightEncoding::INT8,
        )
        .unwrap();
        let mut decoded = decode(&block).unwrap().into_iter();
        let w = values(decoded.next().unwrap());
        for (got, want) in w.iter().zip(weight) {
            // Half a step of that unit's scale at most: 10/254 for output 0, 0.02/254 for 1.
            let step = if want.abs() > 1.0 {
                10.0 / 127.0
            } else {
                0.02 / 127.0
            };
            assert!((got - want).abs() <= step / 2.0 + 1e-7, "{got} vs {want}");
        }
        assert_eq!(values(decoded.next().unwrap()), bias, "biases stay exact");
        // 4 count + per tensor (2 + 1 name + 1 rank + 4·rank + 1 encoding): for the matrix the
        // bit count, scales and values, for the bias its values.
        assert_eq!(
            block.len(),
            4 + (2 + 1 + 1 + 8 + 1) + 1 + 2 * 4 + 6 + (2 + 1 + 1 + 4 + 1) + 2 * 4
        );
    }

    #[test]
    fn convolution_kernels_are_scaled_per_output_channel() {
        // [2 out, 1 in, 1, 2]: channel 0 spans ±1, channel 1 ±100.
        let kernel = [1.0, -0.5, 100.0, 50.0];
        let block = encode(
            &[tensor("k", vec![2, 1, 1, 2], &kernel)],
            WeightEncoding::INT8,
        )
        .unwrap();
        let got = values(decode(&block).unwrap().remove(0));
        assert!((got[1] + 0.5).abs() < 1.0 / 254.0, "{got:?}");
        assert!((got[3] - 50.0).abs() < 100.0 / 254.0, "{got:?}");
    }

    #[test]
    fn half_precision_rounds_weights_to_f16() {
        let weight = [0.1f32, -2.0, 2.5, 1e-3];
        let block = encode(&[tensor("w", vec![2, 2], &weight)], WeightEncoding::Half).unwrap();
        let got = values(decode(&block).unwrap().remove(0));
        for (g, w) in got.iter().zip(weight) {
            assert_eq!(*g, f16::from_f32(w).to_f32());
        }
    }

    #[test]
    fn damaged_blocks_are_refused() {
        let block = encode(&[tensor("w", vec![2, 2], &[1.0; 4])], WeightEncoding::INT8).unwrap();
        for cut in [0, 3, 10, block.len() - 1] {
            assert!(decode(&block[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = block.clone();
        longer.push(0);
        assert!(
            decode(&longer)
                .unwrap_err()
                .to_string()
                .contains("left over")
        );
        let mut huge = block.clone();
        huge[4 + 2 + 1 + 1..4 + 2 + 1 + 1 + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(
            decode(&huge)
                .unwrap_err()
                .to_string()
                .contains("impossible shape")
        );
    }
}

#[cfg(test)]
mod bit_width_tests {
    use super::*;
    use crate::model_file::tensor::levels;

    #[test]
    fn fewer_bits_make_smaller_blocks_and_coarser_weights() {
        let weight: Vec<f32> = (0..64 * 32)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0)
            .collect();
        let tensors = [tensor_of(&weight)];
        let mut previous = (usize::MAX, 0.0f32);
        for bits in [8, 6, 4] {
            let block = encode(&tensors, WeightEncoding::PerUnit { bits }).unwrap();
            let got = decode(&block).unwrap().remove(0).into_f32();
            let worst = got
                .iter()
                .zip(&weight)
                .map(|(g, w)| (g - w).abs())
                .fold(0.0, f32::max);
            // Half a step: the largest magnitude (1.0) over 2^(b-1) - 1 steps, halved.
            assert!(
                worst <= 0.5 / levels(bits) as f32 + 1e-6,
                "{bits} bits: off by {worst}"
            );
            assert!(block.len() < previous.0 && worst > previous.1);
            previous = (block.len(), worst);
        }
        assert!(encode(&tensors, WeightEncoding::PerUnit { bits: 9 }).is_err());
    }

    #[test]
    fn quantised_tensors_are_written_as_they_are() {
        let dims = vec![3, 2];
        let values = Values::Quantized {
            bits: 5,
            scales: vec![0.5, 0.25],
            codes: vec![15, -15, 1, 0, -3, 7],
        };
        let tensor = NamedTensor {
            name: "w".into(),
            dims: dims.clone(),
            values,
        };
        let block = encode(std::slice::from_ref(&tensor), WeightEncoding::Half).unwrap();
        let got = decode(&block).unwrap().remove(0).into_f32();
        assert_eq!(got, [7.5, -3.75, 0.5, 0.0, -1.5, 1.75]);
        assert_eq!(got, tensor.to_f32());
    }

    /// Found by fuzzing (`pkg-scripts/fuzz.sh`, target model_file): a quantised matrix with a
    /// side of zero panicked while its weights were unpacked.
    #[test]
    fn a_matrix_with_a_zero_side_is_refused() {
        let tensor = NamedTensor {
            name: "w".into(),
            dims: vec![3, 2],
            values: Values::Quantized {
                bits: 5,
                scales: vec![0.5, 0.25],
                codes: vec![15, -15, 1, 0, -3, 7],
            },
        };
        let block = encode(std::slice::from_ref(&tensor), WeightEncoding::Half).unwrap();
        // count (4 bytes), name length (2), "w", rank (1), then the two sides (4 bytes each).
        for side in [8, 12] {
            let mut damaged = block.clone();
            damaged[side..side + 4].copy_from_slice(&0u32.to_le_bytes());
            let error = decode(&damaged).unwrap_err().to_string();
            assert!(error.contains("impossible shape"), "{error}");
        }
    }

    fn tensor_of(weight: &[f32]) -> NamedTensor {
        NamedTensor::float("w", vec![64, 32], weight.to_vec())
    }
}
