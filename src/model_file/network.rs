//! Model files to and from burn networks (the training build only): a network's parameters as
//! named tensors and back, and the version-1 weights (a half-precision burnpack).

use burn::prelude::*;
use burn::store::ModuleSnapshot;
use burn::store::burn_pack::{DType, Reader, Tensor as PackTensor};
use burn::tensor::{Bytes, f16};

use super::{Header, NamedTensor, WeightEncoding, explain_misfit, misfit, overflow};
use crate::model::{Network, images_tensor};
use crate::util::error::{Error, Result};
use crate::util::image::PIXELS;

/// Writes `network` as a model file, its weight matrices in `encoding`.
pub fn save(network: &Network, header: &Header, encoding: WeightEncoding) -> Result<Vec<u8>> {
    super::write(header, &tensors_of(network)?, encoding)
}

/// Reads a model file (either version) into a network on `device`, with the header that
/// describes it. Refused as the page's inference copy refuses it: weights that do not fit the
/// header exactly (another architecture's weights named as such), or that overflow.
pub fn load(bytes: &[u8], device: &Device) -> Result<(Network, Header)> {
    let file = super::read(bytes)?;
    let mut network = file.header.architecture.init(device);
    apply_tensors(&mut network, &file.tensors).map_err(|error| explain_misfit(&file, error))?;
    check_computes(&network, device)?;
    Ok((network, file.header))
}

/// Fills `module`'s parameters with `tensors`, by their paths; refuses tensors that do not fit
/// it exactly (a wrong shape, one missing, one left over).
pub fn apply_tensors<M: ModuleSnapshot>(module: &mut M, tensors: &[NamedTensor]) -> Result<()> {
    let tensors = tensors.iter().map(|tensor| {
        let bytes = tensor
            .clone()
            .into_f32()
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let (name, dims) = (tensor.name.clone(), tensor.dims.clone());
        PackTensor::new(name, DType::F32, dims, None, Bytes::from_bytes_vec(bytes))
    });
    // Skipping the enum's variant name: files keep the architecture's own tensor paths.
    let result = module.apply(tensors.collect(), None, None, true);
    if !result.errors.is_empty() {
        Err(misfit(format!("{:?}", result.errors)))
    } else if !result.missing.is_empty() {
        let names: Vec<&str> = result
            .missing
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        Err(misfit(format!("missing tensors {names:?}")))
    } else if !result.unused.is_empty() {
        Err(misfit(format!("unexpected tensors {:?}", result.unused)))
    } else {
        Ok(())
    }
}

/// Refuses finite weights large enough to overflow: a network that cannot rebuild a blank, a
/// grey or a fully inked image (the check the inference copy makes, on burn's forward pass).
fn check_computes(network: &Network, device: &Device) -> Result<()> {
    for level in [0.0, 0.5, 1.0] {
        let input = images_tensor(&[level; PIXELS], 1, device);
        let output = network.valid().forward(input).into_data();
        let finite = output
            .as_slice::<f32>()
            .is_ok_and(|values| values.iter().all(|v| v.is_finite()));
        if !finite {
            return Err(overflow());
        }
    }
    Ok(())
}

/// Every parameter of `module` by its path in the architecture (`encoder.0.weight`), as f32.
pub fn tensors_of<M: ModuleSnapshot>(module: &M) -> Result<Vec<NamedTensor>> {
    module
        .collect(None, None, true)
        .into_iter()
        .map(|tensor| {
            let fail = |e: String| Error::ModelFile(format!("cannot read the weights: {e}"));
            let (name, dtype, shape, _, bytes) =
                tensor.into_parts().map_err(|e| fail(e.to_string()))?;
            if dtype != DType::F32 {
                return Err(fail(format!("{name} is {dtype:?}, not f32")));
            }
            let values = bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            Ok(NamedTensor::float(name, shape.to_vec(), values))
        })
        .collect()
}

/// The tensors of a version-1 weights block: a burnpack of f16 tensors.
pub(super) fn read_burnpack(weights: &[u8]) -> Result<Vec<NamedTensor>> {
    let damaged = |e: String| Error::ModelFile(format!("the weights are damaged: {e}"));
    let reader = Reader::from_bytes(Bytes::from_bytes_vec(weights.to_vec()))
        .map_err(|e| damaged(e.to_string()))?;
    reader
        .into_tensors()
        .map_err(|e| damaged(e.to_string()))?
        .into_iter()
        .map(|tensor| {
            let (name, dtype, shape, _, bytes) =
                tensor.into_parts().map_err(|e| damaged(e.to_string()))?;
            let values = match dtype {
                DType::F16 => bytes
                    .chunks_exact(2)
                    .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())
                    .collect(),
                DType::F32 => bytes
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect(),
                other => return Err(damaged(format!("{name} is {other:?}"))),
            };
            Ok(NamedTensor::float(name, shape.to_vec(), values))
        })
        .collect()
}
