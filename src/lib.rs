//! # Autoencoder Playground
//!
//! The dense autoencoder of the course note (784-512-256-128-64-L and its mirror), its
//! data, training and model files, in plain Rust on [burn]; plus a thin WebAssembly boundary
//! (`web`, compiled only for `wasm32`) that the page in `www/` talks to.
//!
//! Layers, each knowing only the ones below it:
//! - core: [`model`], [`data`], [`preprocess`], [`loss`], [`training`], [`model_file`],
//!   [`inference`], [`manifest`]: no browser types, tested natively;
//! - boundary: `web` (the only module that imports `wasm-bindgen`);
//! - page: `www/` (plain ES modules).

pub mod analysis;
pub mod anomaly;
pub mod data;
pub mod error;
pub mod image;
pub mod inference;
pub mod loss;
pub mod manifest;
pub mod model;
pub mod model_file;
pub mod negatives;
pub mod noise;
pub mod preprocess;
pub mod probes;
pub mod training;
pub mod training_run;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, Result};

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
