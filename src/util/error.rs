//! One error type for the core, with messages written for the person who sees them.

/// Everything that can go wrong in the core, with a message a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Caller input of the wrong shape or with non-finite values.
    #[error("{0}")]
    InvalidInput(String),
    /// A model file that cannot be used.
    #[error("model file: {0}")]
    ModelFile(String),
    /// A version-1 model file (a half-precision burnpack), which only the training build reads.
    #[error(
        "model file: format version 1 (from an earlier build) is read by the training module only"
    )]
    LegacyModelFile,
    /// The PCA baseline's file, damaged or of another kind.
    #[error("PCA baseline file: {0}")]
    PcaFile(String),
    /// A data file that cannot be used (the message names the file).
    #[error("{0}")]
    DataFile(String),
    /// Training options out of range.
    #[error("training options: {0}")]
    InvalidOptions(String),
    /// A training step produced a non-finite loss; the weights were left as they were.
    #[error("training diverged: {0}")]
    Diverged(String),
}

/// Result with the crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Checks that `values` holds whole images (a positive multiple of `width`) of finite numbers.
/// Returns how many rows it holds.
pub fn check_rows(what: &str, values: &[f32], width: usize) -> Result<usize> {
    if values.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{what} is empty: expected a multiple of {width} numbers"
        )));
    }
    if !values.len().is_multiple_of(width) {
        return Err(Error::InvalidInput(format!(
            "{what} has {} numbers: expected a multiple of {width}",
            values.len()
        )));
    }
    check_finite(what, values)?;
    Ok(values.len() / width)
}

/// Checks that `values` holds exactly `len` finite numbers.
pub fn check_exact(what: &str, values: &[f32], len: usize) -> Result<()> {
    if values.len() != len {
        return Err(Error::InvalidInput(format!(
            "{what} has {} numbers: expected exactly {len}",
            values.len()
        )));
    }
    check_finite(what, values)
}

/// Pixels must be grey levels in 0…1 (the loss is undefined elsewhere).
pub fn check_pixel_range(what: &str, pixels: &[f32]) -> Result<()> {
    match pixels.iter().position(|v| !(0.0..=1.0).contains(v)) {
        Some(index) => Err(Error::InvalidInput(format!(
            "{what} has the value {} at index {index}: pixels must be in 0…1",
            pixels[index]
        ))),
        None => Ok(()),
    }
}

/// Checks a single image: exactly 784 finite grey levels in 0…1.
pub fn check_image(what: &str, pixels: &[f32]) -> Result<()> {
    check_exact(what, pixels, super::image::PIXELS)?;
    check_pixel_range(what, pixels)
}

/// Checks that every one of `values` is a finite number.
pub fn check_finite(what: &str, values: &[f32]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::InvalidInput(format!(
            "{what} has a non-finite value ({}) at index {index}",
            values[index]
        ))),
        None => Ok(()),
    }
}
