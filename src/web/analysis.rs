use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{to_js, to_js_value};
use crate::analysis::{self, PlaneProjection};

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
    let (mean, deviation) = analysis::dimension_spread(codes, latent_size).map_err(to_js)?;
    to_js_value(&Spread { mean, deviation })
}

/// `steps` vectors evenly spaced from `from` to `to` (two codes, or two images), both
/// included, concatenated into one `Float32Array(steps*length)`.
#[wasm_bindgen]
pub fn interpolate(from: &[f32], to: &[f32], steps: usize) -> Result<Vec<f32>, JsError> {
    analysis::interpolate(from, to, steps)
        .map(|path| path.concat())
        .map_err(to_js)
}
