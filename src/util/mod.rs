//! The bottom layer: what every other part of the crate shares and nothing here depends on —
//! the error type and input checks, file checksums and the files' shared frame, the image geometry, seeded random numbers and the
//! reconstruction metrics on plain slices. No tensors, no browser.

pub mod checksum;
pub mod container;
pub mod error;
pub mod image;
pub mod metrics;
pub mod rng;
