//! Fixtures shared by the test files: the real MNIST subset and the shipped models.
#![allow(dead_code)] // each test file uses its own part of the fixtures

use autoencoder_playground::data::Dataset;
use autoencoder_playground::manifest::Manifest;

/// The MNIST subset made by `pkg-scripts/fetch-data.sh` (the test scripts make it first).
pub const DATA_FILE: &[u8] = include_bytes!("../../www/data/mnist-subset.bin");
/// The shipped models' manifest.
pub const MANIFEST: &str = include_str!("../../www/models/manifest.json");
/// The page's default model.
pub const TUNED_MODEL: &[u8] = include_bytes!("../../www/models/tuned-l32.aepg");
/// The course note's model.
pub const COURSE_NOTE_MODEL: &[u8] = include_bytes!("../../www/models/course-note-l32.aepg");
/// The convolutional model.
pub const CONV_MODEL: &[u8] = include_bytes!("../../www/models/conv-l32.aepg");
/// The denoiser.
pub const DENOISER_MODEL: &[u8] = include_bytes!("../../www/models/denoiser-l32.aepg");

pub fn dataset() -> Dataset {
    Dataset::parse(DATA_FILE, "www/data/mnist-subset.bin").expect("the data file parses")
}

pub fn manifest() -> Manifest {
    Manifest::parse(MANIFEST).expect("the manifest parses")
}

/// Mean squared difference of two equal-length pixel arrays.
pub fn mse(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f32>() / a.len() as f32
}
