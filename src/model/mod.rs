//! The autoencoder architectures. They know tensors and layers, nothing of files or browsers.

pub mod dense;
pub mod dense_inference;

pub use dense::{DenseAutoencoder, DenseAutoencoderConfig};
pub use dense_inference::DenseInference;

/// Smallest latent size the page and the model files accept.
pub const MIN_LATENT: usize = 2;
/// Largest latent size the page and the model files accept.
pub const MAX_LATENT: usize = 128;
/// Keras's default LeakyReLU slope: the course note uses `tf.keras` defaults.
pub const KERAS_LEAKY_SLOPE: f64 = 0.3;
