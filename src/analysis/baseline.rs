//! The baseline an autoencoder has to beat: principal component analysis of the training
//! digits, used as a codec. Its "code" for a digit is the digit's coordinates along the first
//! L principal axes; its "decoder" adds those axes back onto the mean digit. It is the best
//! any *linear* encoder and decoder can do with L numbers, so an autoencoder earns its
//! non-linear layers only where it rebuilds digits better than this.
//!
//! The axes are nested: the first L of K fitted axes are the L-axis analysis, so one file of
//! K axes serves every L up to K. The file:
//!
//! ```text
//! offset      size     field
//!      0      8        magic "AEPG-PCA"
//!      8      4        format version (u32 LE) = 1
//!     12      4        dimensions D (u32 LE) = 784
//!     16      4        axes K (u32 LE)
//!     20      4        CRC-32 of everything after it (u32 LE)
//!     24      8        total variance of the training digits (f64 LE)
//!     32      4·D      mean digit (f32 LE)
//!   32+4D     4·K      variance along each axis (f32 LE), largest first
//!   32+4D+4K  2·D·K    the axes, one after another (f16 LE: unit vectors lose nothing that
//!                      shows in a rebuilt digit, and the file is half as big)
//! ```

use half::f16;

use super::pca::Pca;
use crate::util::container::Format;
use crate::util::error::{Error, Result, check_image, check_rows};
use crate::util::image::PIXELS;
use crate::util::metrics::Metrics;

const FORMAT_VERSION: u32 = 1;
const PREAMBLE_LEN: usize = 24;
/// The file's frame (see [`container`](crate::util::container)).
const FORMAT: Format = Format {
    what: "a PCA baseline file",
    magic: b"AEPG-PCA",
    version_width: 4,
    versions: FORMAT_VERSION..=FORMAT_VERSION,
    checksum_at: PREAMBLE_LEN - 4,
    max_len: None,
};

/// Principal component analysis of digits, as a codec of any size up to its number of axes.
#[derive(Debug, Clone)]
pub struct PcaBaseline {
    pca: Pca,
}

impl PcaBaseline {
    /// Fits the first `axes` principal axes of `images` (each 784 pixels, concatenated).
    pub fn fit(images: &[f32], axes: usize) -> Result<Self> {
        check_rows("digits to fit", images, PIXELS)?;
        Ok(Self {
            pca: Pca::fit(images, PIXELS, axes)?,
        })
    }

    /// The largest code size this baseline has axes for.
    pub fn max_code_size(&self) -> usize {
        self.pca.axes().len()
    }

    /// Share of the training digits' variance that the first `code_size` axes hold.
    pub fn explained_variance(&self, code_size: usize) -> f64 {
        self.pca.explained_variance_ratio()[..code_size.min(self.max_code_size())]
            .iter()
            .sum()
    }

    /// `pixels`' code: its coordinates along the first `code_size` axes.
    pub fn encode(&self, pixels: &[f32], code_size: usize) -> Result<Vec<f32>> {
        check_image("image to encode", pixels)?;
        self.pca.project_onto(pixels, code_size)
    }

    /// The image a code stands for: the mean digit plus the axes, weighted by the code, with
    /// every pixel clipped to 0…1 (a linear decoder has no sigmoid to keep it there).
    pub fn decode(&self, code: &[f32]) -> Result<Vec<f32>> {
        let image = self.pca.inverse(code)?;
        Ok(image.into_iter().map(|v| v.clamp(0.0, 1.0)).collect())
    }

    /// `pixels` rebuilt from a code of `code_size` numbers.
    pub fn reconstruct(&self, pixels: &[f32], code_size: usize) -> Result<Vec<f32>> {
        self.decode(&self.encode(pixels, code_size)?)
    }

    /// Reconstruction quality on `images` (each 784 pixels, concatenated) at `code_size`.
    pub fn metrics(&self, images: &[f32], code_size: usize) -> Result<Metrics> {
        check_rows("images", images, PIXELS)?;
        let mut rebuilt = Vec::with_capacity(images.len());
        for image in images.chunks_exact(PIXELS) {
            rebuilt.extend(self.reconstruct(image, code_size)?);
        }
        Ok(Metrics::between(&rebuilt, images))
    }

    /// The baseline as a file (see the module's documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let axes = self.pca.axes();
        let mut body =
            Vec::with_capacity(8 + 4 * PIXELS + 4 * axes.len() + 2 * PIXELS * axes.len());
        body.extend_from_slice(&self.pca.total_variance().to_le_bytes());
        for &m in self.pca.mean() {
            body.extend_from_slice(&(m as f32).to_le_bytes());
        }
        for &v in self.pca.variances() {
            body.extend_from_slice(&(v as f32).to_le_bytes());
        }
        for &a in axes.iter().flatten() {
            body.extend_from_slice(&f16::from_f64(a).to_le_bytes());
        }
        let mut fields = (PIXELS as u32).to_le_bytes().to_vec();
        fields.extend_from_slice(&(axes.len() as u32).to_le_bytes());
        FORMAT.write(FORMAT_VERSION, &fields, &body)
    }

    /// Reads a baseline file, checking everything before using any of it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let fail = Error::PcaFile;
        let (preamble, body) = FORMAT.open(bytes, fail, |preamble| {
            let (dim, axes) = (preamble.u32(12) as u64, preamble.u32(16) as u64);
            if dim != PIXELS as u64 || axes == 0 || axes > PIXELS as u64 {
                return Err(fail(format!(
                    "{axes} axes of {dim} dimensions: expected 1 to {PIXELS} of {PIXELS}"
                )));
            }
            Ok(PREAMBLE_LEN as u64 + 8 + 4 * dim + 4 * axes + 2 * dim * axes)
        })?;
        let (dim, axes) = (preamble.u32(12) as usize, preamble.u32(16) as usize);
        let total_variance = f64::from_le_bytes(body[..8].try_into().unwrap());
        let f32s = |at: usize, count: usize| -> Vec<f64> {
            body[at..at + 4 * count]
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().unwrap()) as f64)
                .collect()
        };
        let mean = f32s(8, dim);
        let variances = f32s(8 + 4 * dim, axes);
        let axis_values: Vec<f64> = body[8 + 4 * dim + 4 * axes..]
            .chunks_exact(2)
            .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f64())
            .collect();
        let finite = |values: &[f64]| values.iter().all(|v| v.is_finite());
        if !(total_variance.is_finite()
            && finite(&mean)
            && finite(&variances)
            && finite(&axis_values))
        {
            return Err(fail("a value is not a finite number".into()));
        }
        let axes = axis_values.chunks_exact(dim).map(<[f64]>::to_vec).collect();
        Ok(Self {
            pca: Pca::from_parts(mean, axes, variances, total_variance),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::rng::SplitMix64;

    /// Digits of a toy world: each image is a blend of three fixed random patterns, plus a
    /// little noise, clipped to 0…1.
    fn toy_digits(count: usize) -> Vec<f32> {
        let mut rng = SplitMix64::new(3);
        let patterns: Vec<Vec<f64>> = (0..3)
            .map(|_| (0..PIXELS).map(|_| rng.uniform()).collect())
            .collect();
        (0..count)
            .flat_map(|_| {
                let weights: Vec<f64> = (0..3).map(|_| rng.uniform() / 3.0).collect();
                let noise: Vec<f64> = (0..PIXELS).map(|_| 0.01 * rng.standard_normal()).collect();
                (0..PIXELS)
                    .map(|p| {
                        let value: f64 = (0..3).map(|k| weights[k] * patterns[k][p]).sum();
                        (value + noise[p]).clamp(0.0, 1.0) as f32
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn more_axes_rebuild_better_and_three_hold_almost_everything() {
        let digits = toy_digits(300);
        let baseline = PcaBaseline::fit(&digits, 5).unwrap();
        let mse: Vec<f64> = (1..=5)
            .map(|k| baseline.metrics(&digits, k).unwrap().mse)
            .collect();
        assert!(mse.windows(2).all(|w| w[1] <= w[0] + 1e-12), "{mse:?}");
        assert!(mse[2] < 2e-4 && mse[0] > 10.0 * mse[2], "{mse:?}");
        assert!(baseline.explained_variance(3) > 0.9);
        let rebuilt = baseline.reconstruct(&digits[..PIXELS], 3).unwrap();
        assert!(rebuilt.iter().all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn the_file_round_trips_and_damage_is_refused() {
        let digits = toy_digits(100);
        let baseline = PcaBaseline::fit(&digits, 4).unwrap();
        let bytes = baseline.to_bytes();
        let read = PcaBaseline::from_bytes(&bytes).unwrap();
        assert_eq!(read.max_code_size(), 4);
        let (a, b) = (
            baseline.reconstruct(&digits[..PIXELS], 4).unwrap(),
            read.reconstruct(&digits[..PIXELS], 4).unwrap(),
        );
        // f16 axes: a rebuilt pixel moves by far less than a grey level (1/255).
        assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-3));

        let refused = |bytes: &[u8]| PcaBaseline::from_bytes(bytes).unwrap_err().to_string();
        assert!(refused(&bytes[..bytes.len() - 1]).contains("bytes"));
        assert!(refused(b"AEPG-PCA").contains("truncated"));
        let model_file = [b"AEPGMODL".as_slice(), &bytes[8..]].concat();
        assert!(refused(&model_file).contains("magic"));
        let mut flipped = bytes.clone();
        flipped[PREAMBLE_LEN + 100] ^= 1;
        let damaged = refused(&flipped);
        assert!(damaged.contains("checksum"), "{damaged}");
        // It says which file it is: the PCA baseline's, not a model file.
        assert!(damaged.starts_with("PCA baseline file: "), "{damaged}");
        assert!(!damaged.contains("model file"), "{damaged}");
        let mut future = bytes.clone();
        future[8] = 9;
        assert!(refused(&future).contains("version 9"));
    }

    #[test]
    fn codes_and_images_are_checked() {
        let baseline = PcaBaseline::fit(&toy_digits(50), 3).unwrap();
        assert!(baseline.encode(&[0.5; 10], 2).is_err());
        assert!(baseline.encode(&[2.0; PIXELS], 2).is_err());
        assert!(baseline.encode(&[0.5; PIXELS], 4).is_err());
        assert!(baseline.decode(&[f32::NAN, 0.0]).is_err());
        assert_eq!(baseline.encode(&[0.5; PIXELS], 2).unwrap().len(), 2);
    }
}
