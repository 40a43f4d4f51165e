//! The self-describing, versioned model file: what the page loads and the trainer writes.
//!
//! ```text
//! offset  size  field
//!      0  8     magic "AEPGMODL"
//!      8  4     format version (u32 LE) = 1
//!     12  4     header length H (u32 LE)
//!     16  4     weights length W (u32 LE)
//!     20  4     CRC-32 of header and weights (u32 LE)
//!     24  H     header: UTF-8 JSON, the architecture and its config, plus provenance
//!   24+H  W     weights: burnpack, stored in half precision (f16)
//! ```
//!
//! Everything is checked before a single weight is used: magic, version, lengths, checksum,
//! the header's config (within the supported range), and that the weights fit exactly the
//! architecture the header names.

use burn::prelude::*;
use burn::store::{BurnpackStore, HalfPrecisionAdapter, ModuleSnapshot};
use burn::tensor::Bytes;
use serde::{Deserialize, Serialize};

use crate::model::{Architecture, Network};
use crate::util::error::{Error, Result};

const MAGIC: &[u8; 8] = b"AEPGMODL";
/// Version of the layout above; bump it when the layout or the weight naming changes.
pub const FORMAT_VERSION: u32 = 1;
const PREAMBLE_LEN: usize = 24;

/// The JSON header of a model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The network and its config.
    pub architecture: Architecture,
    /// Free text: how the weights were made (command, epochs, seed…).
    #[serde(default)]
    pub provenance: String,
}

/// Writes `model` as a model file.
///
/// The weights are stored under the architecture's own tensor paths (`encoder.0.weight`, …),
/// not under the [`Network`] variant's name, so files stay as they were before the enum was a
/// burn `Module`: the header's `kind` says which variant to build before loading them.
pub fn save(model: &Network, header: &Header) -> Result<Vec<u8>> {
    let header_json = serde_json::to_vec(header)
        .map_err(|e| Error::ModelFile(format!("cannot write the header: {e}")))?;
    let mut store = BurnpackStore::from_bytes(None).with_to_adapter(HalfPrecisionAdapter::new());
    match model {
        Network::Dense(model) => model.save_into(&mut store),
        Network::Conv(model) => model.save_into(&mut store),
    }
    .map_err(|e| Error::ModelFile(format!("cannot pack the weights: {e}")))?;
    let weights = store
        .get_bytes()
        .map_err(|e| Error::ModelFile(format!("cannot pack the weights: {e}")))?;

    let mut checked = header_json.clone();
    checked.extend_from_slice(&weights);
    let mut bytes = Vec::with_capacity(PREAMBLE_LEN + checked.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&(weights.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(&checked).to_le_bytes());
    bytes.extend_from_slice(&checked);
    Ok(bytes)
}

/// Reads only the header, after checking the whole file's integrity.
pub fn read_header(bytes: &[u8]) -> Result<Header> {
    split(bytes).map(|(header, _)| header)
}

/// Reads a model file into a model on `device`, with the header that describes it.
pub fn load(bytes: &[u8], device: &Device) -> Result<(Network, Header)> {
    let (header, weights) = split(bytes)?;
    let mut model = header.architecture.init(device);
    let mut store = BurnpackStore::from_bytes(Some(Bytes::from_bytes_vec(weights.to_vec())))
        .with_from_adapter(HalfPrecisionAdapter::new());
    let applied = match &mut model {
        Network::Dense(model) => model.load_from(&mut store),
        Network::Conv(model) => model.load_from(&mut store),
    }
    .map_err(|e| Error::ModelFile(format!("weights do not fit the architecture: {e}")))?;
    if !applied.unused.is_empty() {
        return Err(Error::ModelFile(format!(
            "weights do not fit the architecture: unexpected tensors {:?}",
            applied.unused
        )));
    }
    Ok((model, header))
}

/// Checks the preamble, checksum and header; returns the header and the weight bytes.
fn split(bytes: &[u8]) -> Result<(Header, &[u8])> {
    let fail = |what: String| Err(Error::ModelFile(what));
    if bytes.is_empty() {
        return fail("the file is empty".into());
    }
    if bytes.len() < PREAMBLE_LEN {
        return fail(format!("truncated: only {} bytes", bytes.len()));
    }
    if &bytes[..8] != MAGIC {
        return fail("not an autoencoder model file (wrong magic bytes)".into());
    }
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let version = word(8);
    if version != FORMAT_VERSION {
        return fail(format!(
            "format version {version} is not supported (this build reads version {FORMAT_VERSION})"
        ));
    }
    let (header_len, weights_len) = (word(12) as usize, word(16) as usize);
    let expected = PREAMBLE_LEN as u64 + header_len as u64 + weights_len as u64;
    if bytes.len() as u64 != expected {
        let state = if (bytes.len() as u64) < expected {
            "truncated"
        } else {
            "too long"
        };
        return fail(format!(
            "{state}: {} bytes, but its preamble announces {expected}",
            bytes.len()
        ));
    }
    let checked = &bytes[PREAMBLE_LEN..];
    if crc32fast::hash(checked) != word(20) {
        return fail("checksum mismatch: the file is corrupt".into());
    }
    let (header_json, weights) = checked.split_at(header_len);
    let header: Header = serde_json::from_slice(header_json)
        .map_err(|e| Error::ModelFile(format!("unreadable header: {e}")))?;
    header
        .architecture
        .validate()
        .map_err(|e| Error::ModelFile(format!("unsupported architecture: {e}")))?;
    Ok((header, weights))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArchitectureKind, ConvAutoencoderConfig, DenseAutoencoderConfig};
    use crate::util::image::PIXELS;

    fn saved(latent: usize) -> (Network, Vec<u8>) {
        saved_as(Architecture::Dense(
            DenseAutoencoderConfig::new(latent).with_dropout(0.25),
        ))
    }

    fn saved_as(architecture: Architecture) -> (Network, Vec<u8>) {
        let model = architecture.init(&crate::device());
        let header = Header {
            architecture,
            provenance: "unit test".into(),
        };
        let bytes = save(&model, &header).unwrap();
        (model, bytes)
    }

    #[test]
    fn round_trip_keeps_config_and_outputs_within_half_precision() {
        let device = crate::device();
        let (model, bytes) = saved(4);
        let (loaded, header) = load(&bytes, &device).unwrap();
        assert_eq!(header.architecture.latent_size(), 4);
        assert_eq!(header.provenance, "unit test");
        let Architecture::Dense(config) = header.architecture else {
            panic!("a dense model came back as {:?}", header.architecture);
        };
        assert_eq!(config.dropout, 0.25);

        assert_outputs_survive_half_precision(&model, &loaded);
    }

    /// The reloaded model computes what the saved one did, up to f16 rounding of the weights.
    fn assert_outputs_survive_half_precision(saved: &Network, loaded: &Network) {
        let input = Tensor::<2>::ones([2, PIXELS], &crate::device()) * 0.3;
        let output = |model: &Network| {
            model
                .valid()
                .forward(input.clone())
                .into_data()
                .try_to_vec::<f32>()
                .unwrap()
        };
        let (before, after) = (output(saved), output(loaded));
        let worst = before
            .iter()
            .zip(&after)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst < 2e-3, "f16 storage changed an output by {worst}");
    }

    #[test]
    fn a_conv_model_round_trips_and_says_what_it_is() {
        let device = crate::device();
        let (model, bytes) = saved_as(Architecture::Conv(ConvAutoencoderConfig::new(6)));
        let (loaded, header) = load(&bytes, &device).unwrap();
        assert_eq!(header.architecture.kind(), ArchitectureKind::Conv);
        assert!(matches!(loaded, Network::Conv(_)));
        assert_outputs_survive_half_precision(&model, &loaded);
        assert!(bytes.len() < ConvAutoencoderConfig::new(6).parameter_count() * 2 + 16 * 1024);
    }

    #[test]
    fn weights_of_one_architecture_do_not_load_as_another() {
        let (_, conv) = saved_as(Architecture::Conv(ConvAutoencoderConfig::new(8)));
        let (_, dense) = saved(8);
        let dense_header = read_header(&dense).unwrap();
        let header_len = u32::from_le_bytes(dense[12..16].try_into().unwrap()) as usize;
        let claimed =
            String::from_utf8(dense[PREAMBLE_LEN..PREAMBLE_LEN + header_len].to_vec()).unwrap();
        assert_eq!(dense_header.architecture.kind(), ArchitectureKind::Dense);
        assert!(error_of(&with_header(&conv, &claimed)).contains("do not fit"));
    }

    #[test]
    fn weights_are_stored_in_half_precision() {
        let (_, bytes) = saved(32);
        let params = DenseAutoencoderConfig::new(32).parameter_count();
        assert!(
            bytes.len() < params * 2 + 16 * 1024,
            "{} bytes for {params} params",
            bytes.len()
        );
    }

    fn error_of(bytes: &[u8]) -> String {
        match load(bytes, &crate::device()) {
            Ok(_) => panic!("a bad file loaded"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn rejects_damaged_files_with_a_clear_message() {
        let (_, good) = saved(2);
        assert!(error_of(&[]).contains("empty"));
        assert!(error_of(&good[..10]).contains("truncated"));
        assert!(error_of(&good[..good.len() - 7]).contains("truncated"));
        assert!(error_of(&[good.clone(), vec![1, 2]].concat()).contains("too long"));
        assert!(error_of(b"PK\x03\x04 a zip file, not a model, padded out....").contains("magic"));

        let mut flipped = good.clone();
        let middle = good.len() / 2;
        flipped[middle] ^= 0x40;
        assert!(error_of(&flipped).contains("checksum"));

        let mut version = good.clone();
        version[8] = 7;
        assert!(error_of(&version).contains("version 7"));
    }

    /// Rewrites a file's header, fixing lengths and checksum, to reach the checks behind them.
    fn with_header(good: &[u8], header_json: &str) -> Vec<u8> {
        let header_len = u32::from_le_bytes(good[12..16].try_into().unwrap()) as usize;
        let weights = &good[PREAMBLE_LEN + header_len..];
        let mut checked = header_json.as_bytes().to_vec();
        checked.extend_from_slice(weights);
        let mut bytes = good[..PREAMBLE_LEN].to_vec();
        bytes[12..16].copy_from_slice(&(header_json.len() as u32).to_le_bytes());
        bytes[20..24].copy_from_slice(&crc32fast::hash(&checked).to_le_bytes());
        bytes.extend_from_slice(&checked);
        bytes
    }

    #[test]
    fn rejects_headers_that_do_not_match_the_weights() {
        let (_, good) = saved(2);
        let other_latent =
            r#"{"architecture":{"kind":"dense","latent_size":3,"dropout":0.5,"leaky_slope":0.3}}"#;
        assert!(error_of(&with_header(&good, other_latent)).contains("do not fit"));
        let too_wide = r#"{"architecture":{"kind":"dense","latent_size":4096,"dropout":0.5,"leaky_slope":0.3}}"#;
        assert!(error_of(&with_header(&good, too_wide)).contains("unsupported architecture"));
        let unknown = r#"{"architecture":{"kind":"capsule"}}"#;
        assert!(error_of(&with_header(&good, unknown)).contains("unreadable header"));
        assert!(error_of(&with_header(&good, "not json")).contains("unreadable header"));
    }
}
