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
//! ```
//!
//! The 8-bit encoding is for weight matrices and kernels: symmetric, one scale per output unit
//! (a Dense layer's column, `[inputs, outputs]` in burn; a convolution's output channel,
//! `[out, in, k, k]`), so that each unit keeps its own range. Biases and anything else stay f32.

use burn::store::burn_pack::{DType, Tensor as PackTensor};
use burn::tensor::Bytes;
use burn::tensor::f16;

use crate::util::error::{Error, Result};

/// How a file stores its weight matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightEncoding {
    /// Half precision: within about 1e-3 of the trained weights (the page's own saves).
    Half,
    /// 8-bit integers with a scale per output unit: half the size of f16 (the shipped models).
    Int8PerUnit,
}

const F32: u8 = 0;
const F16: u8 = 1;
const INT8: u8 = 2;

/// The tensors as a weights block, weight matrices in `encoding`.
pub(super) fn encode(tensors: Vec<PackTensor>, encoding: WeightEncoding) -> Result<Vec<u8>> {
    let fail = |e: String| Error::ModelFile(format!("cannot pack the weights: {e}"));
    let mut out = Vec::new();
    out.extend_from_slice(&(tensors.len() as u32).to_le_bytes());
    for tensor in tensors {
        let (name, dtype, shape, _, bytes) =
            tensor.into_parts().map_err(|e| fail(e.to_string()))?;
        if dtype != DType::F32 {
            return Err(fail(format!("{name} is {dtype:?}, not f32")));
        }
        let values: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let dims = shape.to_vec();
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.push(dims.len() as u8);
        for &dim in &dims {
            out.extend_from_slice(&(dim as u32).to_le_bytes());
        }
        match (encoding, output_axis(&dims)) {
            (WeightEncoding::Int8PerUnit, Some(axis)) => {
                out.push(INT8);
                write_int8(&mut out, &values, &dims, axis);
            }
            (WeightEncoding::Half, Some(_)) => {
                out.push(F16);
                for v in values {
                    out.extend_from_slice(&f16::from_f32(v).to_le_bytes());
                }
            }
            (_, None) => {
                out.push(F32);
                for v in values {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
    }
    Ok(out)
}

/// The tensors of a weights block, as f32 tensors ready to apply to a network.
pub(super) fn decode(block: &[u8]) -> Result<Vec<PackTensor>> {
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
        let count = dims
            .iter()
            .try_fold(1usize, |n, &d| n.checked_mul(d))
            .filter(|&n| n <= block.len())
            .ok_or_else(|| corrupt(&format!("{name} claims an impossible shape {dims:?}")))?;
        let values = match reader.u8()? {
            F32 => reader
                .take(count * 4)?
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            F16 => reader
                .take(count * 2)?
                .chunks_exact(2)
                .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            INT8 => {
                let axis = output_axis(&dims)
                    .ok_or_else(|| corrupt(&format!("{name} is 8-bit but not a weight matrix")))?;
                read_int8(&mut reader, &dims, axis, count)?
            }
            other => return Err(corrupt(&format!("{name} has unknown encoding {other}"))),
        };
        let bytes: Vec<u8> = values.iter().flat_map(|v: &f32| v.to_le_bytes()).collect();
        tensors.push(PackTensor::new(
            name,
            DType::F32,
            dims,
            None,
            Bytes::from_bytes_vec(bytes),
        ));
    }
    if reader.at != block.len() {
        return Err(corrupt("bytes left over after the last tensor"));
    }
    Ok(tensors)
}

/// The axis whose units get their own scale: a Dense weight's outputs (`[in, out]`), a
/// convolution kernel's output channels (`[out, in, k, k]`); none for biases.
fn output_axis(dims: &[usize]) -> Option<usize> {
    match dims.len() {
        2 => Some(1),
        4 => Some(0),
        _ => None,
    }
}

/// The stride between consecutive elements along `axis`, and the number of units on it.
fn unit_of(dims: &[usize], axis: usize) -> impl Fn(usize) -> usize {
    let stride: usize = dims[axis + 1..].iter().product();
    let units = dims[axis];
    move |index| (index / stride) % units
}

fn write_int8(out: &mut Vec<u8>, values: &[f32], dims: &[usize], axis: usize) {
    let unit = unit_of(dims, axis);
    let mut largest = vec![0.0f32; dims[axis]];
    for (i, v) in values.iter().enumerate() {
        largest[unit(i)] = largest[unit(i)].max(v.abs());
    }
    let scales: Vec<f32> = largest.iter().map(|m| m / 127.0).collect();
    for scale in &scales {
        out.extend_from_slice(&scale.to_le_bytes());
    }
    for (i, v) in values.iter().enumerate() {
        let scale = scales[unit(i)];
        let q = if scale > 0.0 {
            (v / scale).round().clamp(-127.0, 127.0)
        } else {
            0.0
        };
        out.push(q as i8 as u8);
    }
}

fn read_int8(
    reader: &mut Reader<'_>,
    dims: &[usize],
    axis: usize,
    count: usize,
) -> Result<Vec<f32>> {
    let scales: Vec<f32> = reader
        .take(dims[axis] * 4)?
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    if scales.iter().any(|s| !s.is_finite()) {
        return Err(corrupt("a scale is not a finite number"));
    }
    let unit = unit_of(dims, axis);
    Ok(reader
        .take(count)?
        .iter()
        .enumerate()
        .map(|(i, &q)| q as i8 as f32 * scales[unit(i)])
        .collect())
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

    fn tensor(name: &str, dims: Vec<usize>, values: &[f32]) -> PackTensor {
        let bytes = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        PackTensor::new(
            name.into(),
            DType::F32,
            dims,
            None,
            Bytes::from_bytes_vec(bytes),
        )
    }

    fn values(tensor: PackTensor) -> Vec<f32> {
        tensor
            .into_bytes()
            .unwrap()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    }

    #[test]
    fn each_output_unit_keeps_its_own_range() {
        // A [3 inputs, 2 outputs] Dense weight: output 0 is large, output 1 tiny.
        let weight = [10.0, 0.01, -5.0, -0.02, 2.5, 0.005];
        let bias = [0.123_456_7, -1.0];
        let block = encode(
            vec![
                tensor("w", vec![3, 2], &weight),
                tensor("b", vec![2], &bias),
            ],
            WeightEncoding::Int8PerUnit,
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
        // 4 count + per tensor (2 + 1 name + 1 rank + 4·rank + 1 encoding): scales, then values.
        assert_eq!(
            block.len(),
            4 + (2 + 1 + 1 + 8 + 1) + 2 * 4 + 6 + (2 + 1 + 1 + 4 + 1) + 2 * 4
        );
    }

    #[test]
    fn convolution_kernels_are_scaled_per_output_channel() {
        // [2 out, 1 in, 1, 2]: channel 0 spans ±1, channel 1 ±100.
        let kernel = [1.0, -0.5, 100.0, 50.0];
        let block = encode(
            vec![tensor("k", vec![2, 1, 1, 2], &kernel)],
            WeightEncoding::Int8PerUnit,
        )
        .unwrap();
        let got = values(decode(&block).unwrap().remove(0));
        assert!((got[1] + 0.5).abs() < 1.0 / 254.0, "{got:?}");
        assert!((got[3] - 50.0).abs() < 100.0 / 254.0, "{got:?}");
    }

    #[test]
    fn half_precision_rounds_weights_to_f16() {
        let weight = [0.1f32, -2.0, 2.5, 1e-3];
        let block = encode(vec![tensor("w", vec![2, 2], &weight)], WeightEncoding::Half).unwrap();
        let got = values(decode(&block).unwrap().remove(0));
        for (g, w) in got.iter().zip(weight) {
            assert_eq!(*g, f16::from_f32(w).to_f32());
        }
    }

    #[test]
    fn damaged_blocks_are_refused() {
        let block = encode(
            vec![tensor("w", vec![2, 2], &[1.0; 4])],
            WeightEncoding::Int8PerUnit,
        )
        .unwrap();
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
