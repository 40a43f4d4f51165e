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

#[cfg(feature = "training")]
mod network;
mod packing;
pub mod tensor;
pub mod weights;

use serde::{Deserialize, Serialize};

#[cfg(feature = "training")]
pub use network::{load, save, tensors_of};
pub use tensor::{NamedTensor, Values};
pub use weights::WeightEncoding;

use crate::architecture::{Architecture, ArchitectureKind};
use crate::util::checksum;
use crate::util::error::{Error, Result};

const MAGIC: &[u8; 8] = b"AEPGMODL";
/// Version of the layout above; bump it when the layout or the weight naming changes.
pub const FORMAT_VERSION: u32 = 2;
/// The first version: the same preamble and header, weights as a half-precision burnpack.
const BURNPACK_VERSION: u32 = 1;
const PREAMBLE_LEN: usize = 24;
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
        let tensor = self
            .tensors
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

    /// Refuses a file with tensors the architecture does not use; `expected` lists its names.
    pub fn check_no_others(&self, expected: &[String]) -> Result<()> {
        let unused: Vec<&str> = self
            .tensors
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
    let header_json = serde_json::to_vec(header)
        .map_err(|e| Error::ModelFile(format!("cannot write the header: {e}")))?;
    let weights = weights::encode(tensors, encoding)?;

    let mut checked = header_json.clone();
    checked.extend_from_slice(&weights);
    let mut bytes = Vec::with_capacity(PREAMBLE_LEN + checked.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&(weights.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&checksum::crc32(&checked).to_le_bytes());
    bytes.extend_from_slice(&checked);
    Ok(bytes)
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
    let fail = |what: String| Err(Error::ModelFile(what));
    if bytes.is_empty() {
        return fail("the file is empty".into());
    }
    if bytes.len() < PREAMBLE_LEN {
        return fail(format!("truncated: only {} bytes", bytes.len()));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return fail(too_large(bytes.len()));
    }
    if &bytes[..8] != MAGIC {
        return fail("not an autoencoder model file (wrong magic bytes)".into());
    }
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let version = word(8);
    if version > FORMAT_VERSION {
        return fail(format!(
            "format version {version} comes from a newer build than this one, which reads versions {BURNPACK_VERSION} to {FORMAT_VERSION}: reload the page to get the newest"
        ));
    }
    if version < BURNPACK_VERSION {
        return fail(format!("format version {version} does not exist"));
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
    if !checksum::is_intact(checked, word(20)) {
        return fail("checksum mismatch: the file is corrupt".into());
    }
    let (header_json, weights) = checked.split_at(header_len);
    let header: Header =
        serde_json::from_slice(header_json).map_err(|e| header_error(header_json, e))?;
    header
        .architecture
        .validate()
        .map_err(|e| Error::ModelFile(format!("unsupported architecture: {e}")))?;
    Ok((version, header, weights))
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
            ArchitectureKind::ALL.map(|k| k.to_string()).join(" and ")
        )),
        _ => Error::ModelFile(format!("unreadable header: {error}")),
    }
}

#[cfg(all(test, feature = "training"))]
mod tests {
    use super::*;
    use crate::model::Network;
    use crate::model::{ArchitectureKind, ConvAutoencoderConfig, DenseAutoencoderConfig};
    use crate::util::image::PIXELS;
    use crate::util::metrics::max_abs_difference;
    use burn::prelude::*;
    use burn::store::{BurnpackStore, HalfPrecisionAdapter, ModuleSnapshot};

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
        let bytes = save(&model, &header, WeightEncoding::Half).unwrap();
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

    /// The model's outputs (dropout off) for two images of a constant grey `level`.
    fn outputs(model: &Network, level: f32) -> Vec<f32> {
        let input = Tensor::<2>::ones([2, PIXELS], &crate::device()) * level;
        model
            .valid()
            .forward(input)
            .into_data()
            .try_to_vec::<f32>()
            .unwrap()
    }

    /// The reloaded model computes what the saved one did, up to f16 rounding of the weights.
    fn assert_outputs_survive_half_precision(saved: &Network, loaded: &Network) {
        let worst = max_abs_difference(&outputs(saved, 0.3), &outputs(loaded, 0.3));
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
    fn weight_matrices_take_two_bytes_in_half_precision_and_one_in_int8() {
        let architecture = Architecture::Dense(DenseAutoencoderConfig::new(32));
        let model = architecture.init(&crate::device());
        let header = Header {
            architecture,
            provenance: String::new(),
        };
        let params = DenseAutoencoderConfig::new(32).parameter_count();
        let half = save(&model, &header, WeightEncoding::Half).unwrap();
        assert!(
            half.len() < params * 2 + 32 * 1024,
            "{} bytes for {params} params",
            half.len()
        );
        let int8 = save(&model, &header, WeightEncoding::INT8).unwrap();
        // One byte per weight; per output unit a 4-byte scale and a 4-byte bias.
        assert!(
            int8.len() < params + 32 * 1024,
            "{} bytes for {params} params",
            int8.len()
        );
        assert!(int8.len() <= 1_200_000, "the shipped L=32 file's budget");
    }

    #[test]
    fn an_int8_file_rebuilds_what_the_saved_model_did() {
        let device = crate::device();
        for architecture in [
            Architecture::Dense(DenseAutoencoderConfig::new(8)),
            Architecture::Conv(ConvAutoencoderConfig::new(8)),
        ] {
            let model = architecture.init(&device);
            let header = Header {
                architecture,
                provenance: String::new(),
            };
            let bytes = save(&model, &header, WeightEncoding::INT8).unwrap();
            let (loaded, _) = load(&bytes, &device).unwrap();
            let worst = max_abs_difference(&outputs(&model, 0.3), &outputs(&loaded, 0.3));
            assert!(
                worst < 2e-2,
                "{:?}: int8 changed an output by {worst}",
                header.architecture.kind()
            );
        }
    }

    /// A version-1 file, as earlier builds wrote it: the weights as a half-precision burnpack.
    fn saved_as_version_1(model: &Network, header: &Header) -> Vec<u8> {
        let mut store =
            BurnpackStore::from_bytes(None).with_to_adapter(HalfPrecisionAdapter::new());
        match model {
            Network::Dense(model) => model.save_into(&mut store),
            Network::Conv(model) => model.save_into(&mut store),
        }
        .unwrap();
        let weights = store.get_bytes().unwrap();
        let header_json = serde_json::to_vec(header).unwrap();
        let mut checked = header_json.clone();
        checked.extend_from_slice(&weights);
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&BURNPACK_VERSION.to_le_bytes());
        bytes.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&(weights.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&crc32fast::hash(&checked).to_le_bytes());
        bytes.extend_from_slice(&checked);
        bytes
    }

    #[test]
    fn version_1_files_still_load() {
        let device = crate::device();
        for architecture in [
            Architecture::Dense(DenseAutoencoderConfig::new(4)),
            Architecture::Conv(ConvAutoencoderConfig::new(4)),
        ] {
            let model = architecture.init(&device);
            let header = Header {
                architecture,
                provenance: "v1".into(),
            };
            let old = saved_as_version_1(&model, &header);
            let (loaded, read) = load(&old, &device).unwrap();
            assert_eq!(read, header);
            assert_outputs_survive_half_precision(&model, &loaded);
            // Saved again, it is a version-2 file with the same f16 weights.
            let again = save(&loaded, &read, WeightEncoding::Half).unwrap();
            assert_eq!(
                u32::from_le_bytes(again[8..12].try_into().unwrap()),
                FORMAT_VERSION
            );
            let (reloaded, _) = load(&again, &device).unwrap();
            assert_eq!(outputs(&loaded, 0.6), outputs(&reloaded, 0.6));
        }
    }

    fn error_of(bytes: &[u8]) -> String {
        match load(bytes, &crate::device()) {
            Ok(_) => panic!("a bad file loaded"),
            Err(e) => e.to_string(),
        }
    }

    /// Found by fuzzing (`pkg-scripts/fuzz.sh`, target model_file): a file whose numbers include
    /// a NaN or an infinity loaded, and every reconstruction it made was NaN.
    #[test]
    fn rejects_weights_that_are_not_finite() {
        let (_, good) = saved(2);
        let file = read(&good).unwrap();
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let mut tensors = file.tensors.clone();
            let bias = tensors
                .iter_mut()
                .find(|t| t.name.ends_with("bias"))
                .expect("a bias");
            let Values::Float(values) = &mut bias.values else {
                panic!("biases are stored as floats");
            };
            values[0] = bad;
            let bytes = write(&file.header, &tensors, WeightEncoding::Half).unwrap();
            let error = read(&bytes).unwrap_err().to_string();
            assert!(error.contains("not finite"), "{bad}: {error}");
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

        let oversized = [good.clone(), vec![0; MAX_FILE_BYTES]].concat();
        assert!(error_of(&oversized).contains("larger than any model file"));
    }

    #[test]
    fn the_size_cap_leaves_room_for_the_largest_model() {
        let largest =
            crate::architecture::DenseAutoencoderConfig::new(crate::architecture::MAX_LATENT)
                .parameter_count()
                * std::mem::size_of::<f32>();
        assert!(4 * largest <= MAX_FILE_BYTES, "{largest} bytes of weights");
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
        let error = error_of(&with_header(&good, unknown));
        assert!(error.contains(r#""capsule" autoencoder"#), "{error}");
        assert!(error.contains("dense and conv"), "{error}");
        let broken_dense = r#"{"architecture":{"kind":"dense","latent_size":"many"}}"#;
        assert!(error_of(&with_header(&good, broken_dense)).contains("unreadable header"));
        assert!(error_of(&with_header(&good, "not json")).contains("unreadable header"));
    }
}
