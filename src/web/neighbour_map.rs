//! A model's t-SNE map at the boundary: the test digits' places, and a drawing placed among
//! its nearest test codes.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{to_js, to_js_value};
use crate::analysis::neighbour_map;

/// A model's t-SNE map of the test digits (a shipped `models/<id>.map`) with their codes: the
/// digits' positions, and any code placed among its nearest test codes.
#[wasm_bindgen]
pub struct NeighbourMap {
    inner: neighbour_map::NeighbourMap,
}

/// Where `NeighbourMap.place` puts a code: `{x, y, neighbours}`, the nearest test digits'
/// positions in the test order, nearest first.
#[derive(Serialize)]
struct PlacementView {
    x: f32,
    y: f32,
    neighbours: Vec<u32>,
}

#[wasm_bindgen]
impl NeighbourMap {
    /// The map in `bytes` for the test digits whose codes are `codes`
    /// (`Float32Array(n*latentSize)`, the test order); throws for a damaged file or one made for
    /// another number of digits.
    pub fn load(
        bytes: &[u8],
        codes: Vec<f32>,
        latent_size: usize,
    ) -> Result<NeighbourMap, JsError> {
        neighbour_map::NeighbourMap::new(bytes, codes, latent_size)
            .map(|inner| NeighbourMap { inner })
            .map_err(to_js)
    }

    /// `Float32Array(n*2)`: x, y of each test digit.
    #[wasm_bindgen(getter)]
    pub fn positions(&self) -> Vec<f32> {
        self.inner.positions().to_vec()
    }

    /// Where `code` (`Float32Array(latentSize)`) lands: `{x, y, neighbours: number[]}`.
    pub fn place(&self, code: &[f32]) -> Result<JsValue, JsError> {
        let placement = self.inner.place(code).map_err(to_js)?;
        to_js_value(&PlacementView {
            x: placement.x,
            y: placement.y,
            neighbours: placement.neighbours.into_iter().map(|n| n as u32).collect(),
        })
    }

    /// The position in the test order of the test digit nearest (x, y) on the map.
    #[wasm_bindgen(js_name = nearestPoint)]
    pub fn nearest_point(&self, x: f32, y: f32) -> usize {
        self.inner.nearest_point(x, y)
    }
}
