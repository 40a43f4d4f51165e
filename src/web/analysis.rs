use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{to_js, to_js_value};
use crate::analysis::pca::{PlaneProjection, dimension_spread};
use crate::analysis::{baseline, code_bytes, code_density, plane_distribution};
use crate::synthetic::noise;

/// The linear baseline: principal component analysis of the training digits as a codec of
/// 1 to `maxCodeSize` numbers (a shipped `models/pca-l64.pca`).
#[wasm_bindgen]
pub struct PcaBaseline {
    inner: baseline::PcaBaseline,
}

#[wasm_bindgen]
impl PcaBaseline {
    /// Reads a baseline file; throws an `Error` that says what is wrong with a damaged one.
    pub fn load(bytes: &[u8]) -> Result<PcaBaseline, JsError> {
        baseline::PcaBaseline::from_bytes(bytes)
            .map(|inner| PcaBaseline { inner })
            .map_err(to_js)
    }

    /// The largest code size it has axes for.
    #[wasm_bindgen(getter, js_name = maxCodeSize)]
    pub fn max_code_size(&self) -> usize {
        self.inner.max_code_size()
    }

    /// `pixels` (`Float32Array(784)`) → its code, `Float32Array(codeSize)`.
    pub fn encode(&self, pixels: &[f32], code_size: usize) -> Result<Vec<f32>, JsError> {
        self.inner.encode(pixels, code_size).map_err(to_js)
    }

    /// A code (`Float32Array(1…maxCodeSize)`) → the image it stands for, `Float32Array(784)`.
    pub fn decode(&self, code: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.decode(code).map_err(to_js)
    }

    /// `pixels` rebuilt from a code of `codeSize` numbers, `Float32Array(784)`.
    pub fn reconstruct(&self, pixels: &[f32], code_size: usize) -> Result<Vec<f32>, JsError> {
        self.inner.reconstruct(pixels, code_size).map_err(to_js)
    }

    /// Share of the training digits' variance a code of `codeSize` numbers holds.
    #[wasm_bindgen(js_name = explainedVariance)]
    pub fn explained_variance(&self, code_size: usize) -> f64 {
        self.inner.explained_variance(code_size)
    }
}

/// A Gaussian fitted to a plain model's codes: its "prior" after the fact, to draw codes from
/// (the plain model's dreams) and to say how usual a code is.
#[wasm_bindgen]
pub struct CodeGaussian {
    inner: code_density::CodeGaussian,
}

#[wasm_bindgen]
impl CodeGaussian {
    /// Fits mean and covariance to `codes` (`Float32Array(n·latentSize)`, n > latentSize).
    pub fn fit(codes: &[f32], latent_size: usize) -> Result<CodeGaussian, JsError> {
        code_density::CodeGaussian::fit(codes, latent_size)
            .map(|inner| CodeGaussian { inner })
            .map_err(to_js)
    }

    /// `count` codes drawn from it, `Float32Array(count·latentSize)`; the same `seed`, the same
    /// codes.
    pub fn sample(&self, count: usize, seed: u32) -> Result<Vec<f32>, JsError> {
        if !(1..=crate::inference::MAX_SAMPLES).contains(&count) {
            return Err(JsError::new(&format!(
                "{count} samples is outside 1…{}",
                crate::inference::MAX_SAMPLES
            )));
        }
        Ok(self.inner.sample(count, seed as u64))
    }

    /// The log density of a code (`Float32Array(latentSize)`), in nats.
    #[wasm_bindgen(js_name = logDensity)]
    pub fn log_density(&self, code: &[f32]) -> Result<f64, JsError> {
        self.inner.log_density(code).map_err(to_js)
    }
}

/// `code` (`Float32Array(L)`) as it comes back from `codeByteSize(L)` bytes: each number on a
/// 256-step grid between the code's smallest and largest.
#[wasm_bindgen(js_name = codeInBytes)]
pub fn code_in_bytes(code: &[f32]) -> Result<Vec<f32>, JsError> {
    code_bytes::round_to_bytes(code).map_err(to_js)
}

/// Bytes a code of `length` numbers takes at one byte per number (see `codeInBytes`).
#[wasm_bindgen(js_name = codeByteSize)]
pub fn code_byte_size(length: usize) -> usize {
    code_bytes::byte_size(length)
}

/// The latent map's plane: codes of any width as points, and points back as codes.
#[wasm_bindgen]
pub struct LatentPlane {
    inner: PlaneProjection,
}

#[wasm_bindgen]
impl LatentPlane {
    /// Fits the plane to `codes` (`Float32Array(n*latentSize)`): the codes themselves when
    /// `latentSize` is 2, else their two principal axes.
    pub fn fit(codes: &[f32], latent_size: usize) -> Result<LatentPlane, JsError> {
        PlaneProjection::fit(codes, latent_size)
            .map(|inner| LatentPlane { inner })
            .map_err(to_js)
    }

    /// `Float32Array(n*latentSize)` → `Float32Array(n*2)`: x, y of each code.
    pub fn project(&self, codes: &[f32]) -> Result<Vec<f32>, JsError> {
        self.inner.project(codes).map_err(to_js)
    }

    /// The code at (x, y) (`Float32Array(latentSize)`), ready for `Autoencoder.decode`.
    pub fn unproject(&self, x: f32, y: f32) -> Result<Vec<f32>, JsError> {
        self.inner.unproject(x, y).map_err(to_js)
    }

    /// A variational code (`mean`, `logVariance`: `Float32Array(latentSize)` each) on the plane:
    /// `{cloud: number[] (x, y of draws codes drawn from it), mean: [x, y], covariance: [xx,
    /// xy, yy]}`. The same `seed`, the same draws.
    #[wasm_bindgen(js_name = projectDistribution)]
    pub fn project_distribution(
        &self,
        mean: &[f32],
        log_variance: &[f32],
        draws: usize,
        seed: u32,
    ) -> Result<JsValue, JsError> {
        let shown = plane_distribution::project_distribution(
            &self.inner,
            mean,
            log_variance,
            draws,
            seed as u64,
        )
        .map_err(to_js)?;
        to_js_value(&shown)
    }

    /// Share of the codes' variance that the plane shows (1 for two-number codes).
    #[wasm_bindgen(getter, js_name = explainedVariance)]
    pub fn explained_variance(&self) -> f64 {
        self.inner.explained_variance()
    }

    /// Whether the plane is a PCA projection (false: the codes themselves).
    #[wasm_bindgen(getter, js_name = isPca)]
    pub fn is_pca(&self) -> bool {
        matches!(self.inner, PlaneProjection::Pca(_))
    }
}

#[derive(Serialize)]
struct Spread {
    mean: Vec<f64>,
    deviation: Vec<f64>,
}

/// Mean and standard deviation of each latent dimension over `codes`
/// (`Float32Array(n*latentSize)`): `{mean: number[], deviation: number[]}`.
#[wasm_bindgen(js_name = latentSpread)]
pub fn latent_spread(codes: &[f32], latent_size: usize) -> Result<JsValue, JsError> {
    let (mean, deviation) = dimension_spread(codes, latent_size).map_err(to_js)?;
    to_js_value(&Spread { mean, deviation })
}

/// `steps` vectors evenly spaced from `from` to `to` (two codes, or two images), both
/// included, concatenated into one `Float32Array(steps*length)`.
#[wasm_bindgen]
pub fn interpolate(from: &[f32], to: &[f32], steps: usize) -> Result<Vec<f32>, JsError> {
    crate::analysis::interpolate::interpolate(from, to, steps)
        .map(|path| path.concat())
        .map_err(to_js)
}

/// `pixels` (`Float32Array(784)`) with noise: Gaussian, salt-and-pepper and an erased patch,
/// scaled by `amount` (0…1); the same noise for the same `seed`.
#[wasm_bindgen(js_name = addNoise)]
pub fn add_noise(pixels: &[f32], amount: f32, seed: u32) -> Result<Vec<f32>, JsError> {
    noise::corrupt_seeded(pixels, amount, seed as u64).map_err(to_js)
}
