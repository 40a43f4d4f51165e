//! The self-describing, versioned model file: what the page loads and the trainer writes.
//!
//! ```text
//! offset  size  field
//!      0  8     magic "AEPGMODL"
//!      8  4     format version (u32 LE) = 2
//!     12  4     header length H (u32 LE)
//!     16  4     weights length W (u32 LE)
//!     20  4     CRC-32 of header and weights (u32 LE)
//!     24  H     header: UTF-8 JSON, the architecture and its config, plus provenance
//!   24+H  W     weights: every tensor by name, weight matrices as f16 or as b-bit integers
//!               with a scale per output unit (see [`weights`])
//! ```
//!
//! Version 1 files, whose weights are a burnpack in half precision, still load in the training
//! build (which has burn's reader); the inference build says so instead.
//! Everything is checked before a single weight is used: magic, version, lengths, checksum,
//! the header's config (within the supported range), and, by whoever builds a network from
//! the tensors, that they fit exactly the architecture the header names.
//!
//! The tensors are named by the architecture's own paths (`encoder.0.weight`, …).

pub mod classifier;
#[cfg(feature = "training")]
mod network;
mod packing;
pub mod tensor;
pub mod weights;

use serde::{Deserialize, Serialize};
use strum::VariantArray;

#[cfg(feature = "training")]
pub use network::{apply_tensors, load, save, tensors_of};
pub use tensor::{NamedTensor, Values};
pub use weights::WeightEncoding;

use crate::architecture::{Architecture, ArchitectureKind};
use crate::util::container::Format;
use crate::util::error::{Error, Result};

const MAGIC: &[u8; 8] = b"AEPGMODL";
/// Version of the layout above; bump it when the layout or the weight naming changes.
pub const FORMAT_VERSION: u32 = 2;
/// The first version: the same preamble and header, weights as a half-precision burnpack.
const BURNPACK_VERSION: u32 = 1;
const PREAMBLE_LEN: usize = 24;
/// The file's frame (see [`container`](crate::util::container)).
const FORMAT: Format = Format {
    what: "an autoencoder model file",
    magic: MAGIC,
    version_width: 4,
    versions: BURNPACK_VERSION..=FORMAT_VERSION,
    checksum_at: PREAMBLE_LEN - 4,
    max_len: Some((MAX_FILE_BYTES, too_large)),
};
/// The largest file read: four times the largest model this build makes (dense, L = 128, f32
/// weights: 4.9 MB), so a file chosen by mistake (a video, a disk image) is refused unread.
pub const MAX_FILE_BYTES: usize = 20_000_000;

/// The JSON header of a model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The network and its config.
    pub architecture: Architecture,
    /// Free text: how the weights were made (command, epochs, seed…).
    #[serde(default)]
    pub provenance: String,
}

/// A model file's contents: its header and its tensors, as f32.
#[derive(Debug, Clone)]
pub struct ModelFile {
    /// What the file says it holds.
    pub header: Header,
    /// Every tensor by name.
    pub tensors: Vec<NamedTensor>,
}

impl ModelFile {
    /// The tensor named `name`, with `dims`, or an error that says what does not fit.
    pub fn tensor(&self, name: &str, dims: &[usize]) -> Result<&[f32]> {
        find_tensor(&self.tensors, name, dims)
    }

    /// Refuses a file with tensors the architecture does not use; `expected` lists its names.
    pub fn check_no_others(&self, expected: &[String]) -> Result<()> {
        check_no_others(&self.tensors, expected)
    }
}

/// The tensor of `tensors` named `name`, with `dims`, or an error that says what does not fit.
pub fn find_tensor<'a>(
    tensors: &'a [NamedTensor],
    name: &str,
    dims: &[usize],
) -> Result<&'a [f32]> {
    let tensor = tensors
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| misfit(format!("missing tensor {name}")))?;
    if tensor.dims != dims {
        return Err(misfit(format!(
            "{name} is {:?}, the architecture needs {dims:?}",
            tensor.dims
        )));
    }
    match &tensor.values {
        Values::Float(values) => Ok(values),
        Values::Quantized { .. } => Err(misfit(format!("{name} is still quantised"))),
    }
}

/// Refuses `tensors` that the architecture does not use; `expected` lists its names.
pub fn check_no_others(tensors: &[NamedTensor], expected: &[String]) -> Result<()> {
    let unused: Vec<&str> = tensors
        .iter()
        .map(|t| t.name.as_str())
        .filter(|name| !expected.iter().any(|e| e == name))
        .collect();
    if unused.is_empty() {
        Ok(())
    } else {
        Err(misfit(format!("unexpected tensors {unused:?}")))
    }
}

/// The error for finite weights so large that computing with them overflows (found by fuzzing:
/// a file with a few huge weights rebuilt every image as NaN).
pub(crate) fn overflow() -> Error {
    Error::ModelFile("its weights are too large to compute with: the numbers overflow".into())
}

/// The error for weights that do not fit the header's architecture.
pub(crate) fn misfit(detail: String) -> Error {
    Error::ModelFile(format!("weights do not fit the architecture: {detail}"))
}

/// Writes `tensors` as a model file described by `header`, float weight matrices in `encoding`.
pub fn write(
    header: &Header,
    tensors: &[NamedTensor],
    encoding: WeightEncoding,
) -> Result<Vec<u8>> {
    write_framed(&FORMAT, FORMAT_VERSION, header, tensors, encoding)
}

/// A file of `format`: its header as JSON and the weights block under the checksum, their two
/// lengths in the preamble. The frame model files and classifier files share.
pub(crate) fn write_framed(
    format: &Format,
    version: u32,
    header: &impl Serialize,
    tensors: &[NamedTensor],
    encoding: WeightEncoding,
) -> Result<Vec<u8>> {
    let header_json = serde_json::to_vec(header)
        .map_err(|e| Error::ModelFile(format!("cannot write the header: {e}")))?;
    let weights = weights::encode(tensors, encoding)?;

    let mut checked = header_json.clone();
    checked.extend_from_slice(&weights);
    let mut lengths = (header_json.len() as u32).to_le_bytes().to_vec();
    lengths.extend_from_slice(&(weights.len() as u32).to_le_bytes());
    Ok(format.write(version, &lengths, &checked))
}

/// Reads only the header, after checking the whole file's integrity.
pub fn read_header(bytes: &[u8]) -> Result<Header> {
    split(bytes).map(|(_, header, _)| header)
}

/// Reads a model file: its header and every tensor as f32.
pub fn read(bytes: &[u8]) -> Result<ModelFile> {
    let (version, header, weights) = split(bytes)?;
    let tensors = if version == BURNPACK_VERSION {
        read_burnpack(weights)?
    } else {
        weights::decode(weights)?
    };
    if let Some(tensor) = tensors.iter().find(|t| !t.values.is_finite()) {
        return Err(Error::ModelFile(format!(
            "{} holds a number that is not finite (NaN or infinity): the file is corrupt",
            tensor.name
        )));
    }
    Ok(ModelFile { header, tensors })
}

#[cfg(feature = "training")]
fn read_burnpack(weights: &[u8]) -> Result<Vec<NamedTensor>> {
    network::read_burnpack(weights)
}

#[cfg(not(feature = "training"))]
fn read_burnpack(_: &[u8]) -> Result<Vec<NamedTensor>> {
    Err(Error::LegacyModelFile)
}

/// Checks the preamble, checksum and header; returns the version, the header and the weight
/// bytes.
fn split(bytes: &[u8]) -> Result<(u32, Header, &[u8])> {
    let (preamble, checked) = FORMAT.open(bytes, Error::ModelFile, |preamble| {
        Ok(PREAMBLE_LEN as u64 + preamble.u32(12) as u64 + preamble.u32(16) as u64)
    })?;
    let header_len = preamble.u32(12) as usize;
    let (header_json, weights) = checked.split_at(header_len);
    let header: Header =
        serde_json::from_slice(header_json).map_err(|e| header_error(header_json, e))?;
    header
        .architecture
        .validate()
        .map_err(|e| Error::ModelFile(format!("unsupported architecture: {e}")))?;
    Ok((preamble.version(), header, weights))
}

/// Why a file of `len` bytes is not read.
pub fn too_large(len: usize) -> String {
    format!(
        "{:.1} MB is larger than any model file ({} MB at most)",
        len as f64 / 1e6,
        MAX_FILE_BYTES / 1_000_000
    )
}

/// The error for a header that does not parse: an architecture this build does not know (a
/// file from a newer build) named as such, anything else as unreadable.
fn header_error(header_json: &[u8], error: serde_json::Error) -> Error {
    let kind = serde_json::from_slice::<serde_json::Value>(header_json)
        .ok()
        .and_then(|header| header["architecture"]["kind"].as_str().map(str::to_string));
    match kind {
        Some(kind) if kind.parse::<ArchitectureKind>().is_err() => Error::ModelFile(format!(
            "its network is a \"{kind}\" autoencoder, which this build does not know (it knows {})",
            names_in_words(
                &ArchitectureKind::VARIANTS
                    .iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
            )
        )),
        _ => Error::ModelFile(format!("unreadable header: {error}")),
    }
}

/// `["a", "b", "c"]` → `"a, b and c"`.
fn names_in_words(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The architecture whose weights `tensors` are, by a tensor only that architecture has.
fn architecture_of_weights(tensors: &[NamedTensor]) -> Option<ArchitectureKind> {
    ArchitectureKind::VARIANTS.iter().copied().find(|kind| {
        tensors
            .iter()
            .any(|tensor| tensor.name == kind.signature_tensor())
    })
}

/// `error` (the weights did not fit the header), saying which architecture the weights are
/// when it is not the one the header names: a file whose header was edited, or mixed up.
pub(crate) fn explain_misfit(file: &ModelFile, error: Error) -> Error {
    let claimed = file.header.architecture.kind();
    match architecture_of_weights(&file.tensors) {
        Some(actual) if actual != claimed => Error::ModelFile(format!(
            "its header says a {claimed} autoencoder, but its weights are a {actual} \
             autoencoder's; the file was edited or mixed up ({error})"
        )),
        _ => error,
    }
}

// Round trips need burn (the training build).
#[cfg(all(test, feature = "training"))]
pub(crate) mod tests;
