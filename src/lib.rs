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
//! web/          the only module that knows JavaScript (wasm-bindgen), wasm32 only
//! manifest      the shipped models' list: what was trained how, and its test figures       [T]
//! quantization  weights to a few bits with error compensation (GPTQ), for shipped files     [T]
//! training/     options, plans and objectives; losses, the Trainer, batches, whole runs [T]
//! analysis/     PCA and the latent plane, interpolation, anomaly detection
//! inference/    a loaded model for one image at a time, on plain arrays (no burn)
//! data          the MNIST subset file and its fixed split
//! collection    a visitor's named shape: its examples and its file
//! model_file    the versioned, checksummed model file (to and from burn networks: [T])
//! synthetic/    noise, non-digit probes, non-digits made from digits
//! model/        the architectures' layers, defined once with burn                         [T]
//! architecture/ the architectures as plain configs
//! drawing/      a drawing → MNIST-style 28×28 (stroke width, crop, scale, centre)
//! util/         errors and input checks, image geometry, seeded RNG, metrics
//! ```
//!
//! [T]: only in the training build (cargo feature `training`, on by default through its
//! tensor backend). Without it the crate is the page's inference module: drawing, inference,
//! analysis and the model and data files, with no burn, a sixth of the wasm bytes.
//! (`synthetic` and `data` sit on `drawing`; `architecture` and `drawing` only on `util`.)

pub mod analysis;
pub mod architecture;
pub mod collection;
pub mod data;
pub mod drawing;
pub mod inference;
#[cfg(feature = "training")]
pub mod manifest;
#[cfg(feature = "training")]
pub mod model;
pub mod model_file;
#[cfg(feature = "training")]
pub mod quantization;
pub mod synthetic;
pub mod training;
pub mod util;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use util::error::{Error, Result};

/// The one place the tensor backend is chosen (a cargo feature, see `Cargo.toml`).
#[cfg(feature = "training")]
#[allow(deprecated)] // burn-ndarray is deprecated upstream, but it stays selectable for comparison
pub fn device() -> burn::tensor::Device {
    #[cfg(feature = "backend-flex")]
    return burn::tensor::Device::flex();
    #[cfg(all(feature = "backend-ndarray", not(feature = "backend-flex")))]
    return burn::tensor::Device::ndarray();
}

/// The backend's name, for benchmarks and the page's "about" line: the training build's tensor
/// backend, or the inference build's plain Rust.
pub const BACKEND_NAME: &str = if cfg!(feature = "backend-flex") {
    "burn-flex"
} else if cfg!(feature = "backend-ndarray") {
    "burn-ndarray"
} else {
    "plain Rust (inference only)"
};

#[cfg(all(
    feature = "training",
    not(any(feature = "backend-flex", feature = "backend-ndarray"))
))]
compile_error!("the training build needs one tensor backend: `backend-flex` or `backend-ndarray`");
