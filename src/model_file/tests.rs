//! The model file's round trips through burn, and the damaged files it refuses.

use super::*;
use crate::model::Network;
use crate::model::{
    ArchitectureKind, ConvAutoencoderConfig, DenseAutoencoderConfig, VariationalAutoencoderConfig,
};
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
fn a_variational_model_round_trips_with_its_beta() {
    let device = crate::device();
    let config = VariationalAutoencoderConfig::new(2).with_beta(4.0);
    let (model, bytes) = saved_as(Architecture::Vae(config.clone()));
    let (loaded, header) = load(&bytes, &device).unwrap();
    assert_eq!(header.architecture, Architecture::Vae(config));
    assert!(matches!(loaded, Network::Variational(_)));
    assert_outputs_survive_half_precision(&model, &loaded);
}

#[test]
fn a_variational_file_under_another_header_is_refused_saying_what_it_holds() {
    let (_, vae) = saved_as(Architecture::Vae(VariationalAutoencoderConfig::new(8)));
    for claimed in [
        r#"{"architecture":{"kind":"dense","latent_size":8,"dropout":0.5,"leaky_slope":0.3}}"#,
        r#"{"architecture":{"kind":"conv","latent_size":8}}"#,
    ] {
        let error = error_of(&with_header(&vae, claimed));
        assert!(
            error.contains("its weights are a vae autoencoder's"),
            "{error}"
        );
    }
    // And the other way round: a dense file called variational.
    let (_, dense) = saved(8);
    let claimed = r#"{"architecture":{"kind":"vae","latent_size":8}}"#;
    let error = error_of(&with_header(&dense, claimed));
    assert!(
        error.contains("header says a vae autoencoder, but its weights are a dense"),
        "{error}"
    );
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
    let mut store = BurnpackStore::from_bytes(None).with_to_adapter(HalfPrecisionAdapter::new());
    match model {
        Network::Dense(model) => model.save_into(&mut store),
        Network::Conv(model) => model.save_into(&mut store),
        Network::Variational(model) => model.save_into(&mut store),
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
    let largest = crate::architecture::DenseAutoencoderConfig::new(crate::architecture::MAX_LATENT)
        .parameter_count()
        * std::mem::size_of::<f32>();
    assert!(4 * largest <= MAX_FILE_BYTES, "{largest} bytes of weights");
}

/// Rewrites a file's header, fixing lengths and checksum, to reach the checks behind them.
pub(crate) fn with_header(good: &[u8], header_json: &str) -> Vec<u8> {
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
    let too_wide =
        r#"{"architecture":{"kind":"dense","latent_size":4096,"dropout":0.5,"leaky_slope":0.3}}"#;
    assert!(error_of(&with_header(&good, too_wide)).contains("unsupported architecture"));
    let unknown = r#"{"architecture":{"kind":"capsule"}}"#;
    let error = error_of(&with_header(&good, unknown));
    assert!(error.contains(r#""capsule" autoencoder"#), "{error}");
    assert!(error.contains("dense, conv and vae"), "{error}");
    let broken_dense = r#"{"architecture":{"kind":"dense","latent_size":"many"}}"#;
    assert!(error_of(&with_header(&good, broken_dense)).contains("unreadable header"));
    assert!(error_of(&with_header(&good, "not json")).contains("unreadable header"));
}
