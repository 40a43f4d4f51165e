//! The classifier file: an autoencoder's encoder fine-tuned with a classification head on a
//! few labelled digits. Not an autoencoder (it rebuilds nothing), so it has its own magic bytes
//! and header; the frame and the weights block are the model file's.
//!
//! ```text
//! offset  size  field
//!      0  8     magic "AEPGCLSF"
//!      8  4     format version (u32 LE) = 1
//!     12  4     header length H (u32 LE)
//!     16  4     weights length W (u32 LE)
//!     20  4     CRC-32 of header and weights (u32 LE)
//!     24  H     header: UTF-8 JSON ([`ClassifierHeader`])
//!   24+H  W     weights, as in the model file: `encoder.0.weight`, …, `head.weight`,
//!               `head.bias`
//! ```
//!
//! The network: the encoder's Dense layers, each followed by LeakyReLU (the autoencoder's
//! encoder as it is), then one Dense layer from the code to a logit per class.

use serde::{Deserialize, Serialize};

use super::{MAX_FILE_BYTES, NamedTensor, WeightEncoding, too_large, weights};
use crate::util::container::Format;
use crate::util::error::{Error, Result};
use crate::util::image::PIXELS;

const FORMAT_VERSION: u32 = 1;
const PREAMBLE_LEN: usize = 24;
const FORMAT: Format = Format {
    what: "a classifier file",
    magic: b"AEPGCLSF",
    version_width: 4,
    versions: FORMAT_VERSION..=FORMAT_VERSION,
    checksum_at: PREAMBLE_LEN - 4,
    max_len: Some((MAX_FILE_BYTES, too_large)),
};
/// The widest layer and the most classes a classifier file may describe.
const MAX_WIDTH: usize = 4096;
const MAX_CLASSES: usize = 256;

/// What a classifier file holds, beside its weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClassifierHeader {
    /// The encoder's widths, 784 first, the code's width last.
    pub encoder_widths: Vec<usize>,
    /// LeakyReLU's slope for negative inputs.
    pub leaky_slope: f64,
    /// The classes' names, in the order of the head's outputs.
    pub classes: Vec<String>,
    /// How many labelled examples it was trained with.
    pub labels_used: usize,
    /// Free text: how the weights were made.
    #[serde(default)]
    pub provenance: String,
}

impl ClassifierHeader {
    /// Width of the code the head reads.
    pub fn code_size(&self) -> usize {
        self.encoder_widths.last().copied().unwrap_or(0)
    }

    /// Refuses a network this build does not compute.
    pub fn validate(&self) -> Result<()> {
        let fail = |what: String| Err(Error::ModelFile(format!("unsupported classifier: {what}")));
        if self.encoder_widths.len() < 2 || self.encoder_widths[0] != PIXELS {
            return fail(format!(
                "the encoder's widths {:?} do not start at {PIXELS} and reach a code",
                self.encoder_widths
            ));
        }
        if let Some(width) = self
            .encoder_widths
            .iter()
            .find(|w| !(1..=MAX_WIDTH).contains(w))
        {
            return fail(format!("a layer of width {width}"));
        }
        if !(2..=MAX_CLASSES).contains(&self.classes.len()) {
            return fail(format!("{} classes", self.classes.len()));
        }
        if !(self.leaky_slope.is_finite() && (0.0..1.0).contains(&self.leaky_slope)) {
            return fail(format!("LeakyReLU slope {}", self.leaky_slope));
        }
        Ok(())
    }

    /// The names of every tensor the network needs, encoder first.
    pub fn tensor_names(&self) -> Vec<String> {
        (0..self.encoder_widths.len() - 1)
            .map(|index| format!("encoder.{index}"))
            .chain(["head".to_string()])
            .flat_map(|path| [format!("{path}.weight"), format!("{path}.bias")])
            .collect()
    }
}

/// A classifier file's contents.
#[derive(Debug, Clone)]
pub struct ClassifierFile {
    /// What the file says it holds.
    pub header: ClassifierHeader,
    /// Every tensor by name, as f32.
    pub tensors: Vec<NamedTensor>,
}

/// Writes a classifier file, its weight matrices in `encoding`.
pub fn write(
    header: &ClassifierHeader,
    tensors: &[NamedTensor],
    encoding: WeightEncoding,
) -> Result<Vec<u8>> {
    header.validate()?;
    super::write_framed(&FORMAT, FORMAT_VERSION, header, tensors, encoding)
}

/// Reads a classifier file, after checking its frame, checksum and header, and that its
/// tensors are exactly the ones its header's network needs (their shapes are checked by
/// whoever builds the network).
pub fn read(bytes: &[u8]) -> Result<ClassifierFile> {
    let (preamble, checked) = FORMAT.open(bytes, Error::ModelFile, |preamble| {
        Ok(PREAMBLE_LEN as u64 + preamble.u32(12) as u64 + preamble.u32(16) as u64)
    })?;
    let (header_json, weights) = checked.split_at(preamble.u32(12) as usize);
    let header: ClassifierHeader = serde_json::from_slice(header_json)
        .map_err(|e| Error::ModelFile(format!("unreadable classifier header: {e}")))?;
    header.validate()?;
    let tensors = weights::decode(weights)?;
    if let Some(tensor) = tensors.iter().find(|t| !t.values.is_finite()) {
        return Err(Error::ModelFile(format!(
            "{} holds a number that is not finite (NaN or infinity): the file is corrupt",
            tensor.name
        )));
    }
    super::check_no_others(&tensors, &header.tensor_names())?;
    Ok(ClassifierFile { header, tensors })
}
