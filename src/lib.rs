//! # Autoencoder Playground
//!
//! The autoencoders of the course note (the dense 784-512-256-128-64-L network and its mirror)
//! and a convolutional one, their data, training, model files and analysis, in plain Rust on
//! [burn]; plus a thin WebAssembly boundary (`web`, compiled only for `wasm32`) that the page in
//! `www/` talks to.
//!
//! Layers, each folder one layer, imports pointing down only:
//!
//! ```text
//! web/         the only module that knows JavaScript (wasm-bindgen), wasm32 only
//! manifest     the shipped models' list: what was trained how, and its test figures
//! training/    options, plans and objectives, losses, the Trainer, batches, whole runs
//! analysis/    PCA and the latent plane, interpolation, anomaly detection
//! inference/   a loaded model for one image at a time (a plain-Rust copy of dense models)
//! data         the MNIST subset file and its fixed split
//! model_file   the versioned, checksummed model file
//! synthetic/   noise, non-digit probes, non-digits made from digits
//! model/       the architectures, defined once with burn
//! drawing/     a drawing → MNIST-style 28×28 (stroke width, crop, scale, centre)
//! util/        errors and input checks, image geometry, seeded RNG, metrics
//! ```
//!
//! (`synthetic` sits on `drawing`, `data` on `drawing`; `model` and `drawing` only on `util`.)

pub mod analysis;
pub mod data;
pub mod drawing;
pub mod inference;
pub mod manifest;
pub mod model;
pub mod model_file;
pub mod synthetic;
pub mod training;
pub mod util;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use util::error::{Error, Result};

use burn::tensor::Device;

/// The one place the tensor backend is chosen (a cargo feature, see `Cargo.toml`).
#[allow(deprecated)] // burn-ndarray is deprecated upstream, but it stays selectable for comparison
pub fn device() -> Device {
    #[cfg(feature = "backend-flex")]
    return Device::flex();
    #[cfg(all(feature = "backend-ndarray", not(feature = "backend-flex")))]
    return Device::ndarray();
}

/// The backend's name, for benchmarks and the page's "about" line.
pub const BACKEND_NAME: &str = if cfg!(feature = "backend-flex") {
    "burn-flex"
} else {
    "burn-ndarray"
};

#[cfg(not(any(feature = "backend-flex", feature = "backend-ndarray")))]
compile_error!("enable one tensor backend: feature `backend-flex` or `backend-ndarray`");
