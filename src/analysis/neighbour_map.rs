//! A model's neighbour-keeping map of the test digits (t-SNE, see [`super::tsne`]), as shipped
//! beside the model, and the drawing placed on it. A t-SNE map has no formula that takes a new
//! code to the plane, so a new code goes where its nearest test codes are: the mean position of
//! its `k` nearest test digits' codes, weighted by closeness.
//!
//! The file (one per model, the test digits in the data file's test order):
//!
//! ```text
//! offset  size  field
//!      0  8     magic "AEPG-MAP"
//!      8  4     format version (u32 LE) = 1
//!     12  4     points N (u32 LE)
//!     16  4     CRC-32 of everything after it (u32 LE)
//!     20  8·N   each point's x, y (f32 LE)
//! ```

use serde::Serialize;

use super::knn::nearest_rows;
use crate::util::container::Format;
use crate::util::error::{Error, Result, check_exact, check_rows};

const FORMAT_VERSION: u32 = 1;
const PREAMBLE_LEN: usize = 20;
/// Far more points than a test split has: a bigger count is a damaged file.
const MAX_POINTS: u32 = 100_000;
/// The file's frame (see [`container`](crate::util::container)).
const FORMAT: Format = Format {
    what: "a map file",
    magic: b"AEPG-MAP",
    version_width: 4,
    versions: FORMAT_VERSION..=FORMAT_VERSION,
    checksum_at: PREAMBLE_LEN - 4,
    max_len: None,
};

/// Test digits whose codes place a new code.
pub const PLACING_NEIGHBOURS: usize = 10;

/// The positions of the test digits on a map, and their codes, to place new codes among them.
#[derive(Debug, Clone)]
pub struct NeighbourMap {
    positions: Vec<f32>,
    codes: Vec<f32>,
    latent_size: usize,
}

/// Where a code lands on the map, and the test digits that put it there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    pub x: f32,
    pub y: f32,
    /// The nearest test digits' positions in the test order, nearest first.
    pub neighbours: Vec<usize>,
}

/// A map file's bytes for `positions` (n × 2 values).
pub fn map_file(positions: &[f32]) -> Result<Vec<u8>> {
    let points = check_rows("map positions", positions, 2)?;
    let body: Vec<u8> = positions.iter().flat_map(|v| v.to_le_bytes()).collect();
    Ok(FORMAT.write(FORMAT_VERSION, &(points as u32).to_le_bytes(), &body))
}

/// The positions in a map file, checked before any is used.
pub fn read_map_file(bytes: &[u8]) -> Result<Vec<f32>> {
    let fail = |message: String| Error::InvalidInput(format!("map file: {message}"));
    let (_, body) = FORMAT.open(bytes, fail, |preamble| {
        let points = preamble.u32(12);
        if points == 0 || points > MAX_POINTS {
            return Err(fail(format!("{points} points: expected 1 to {MAX_POINTS}")));
        }
        Ok(PREAMBLE_LEN as u64 + 8 * points as u64)
    })?;
    let positions: Vec<f32> = body
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    check_rows("map file's positions", &positions, 2)?;
    Ok(positions)
}

impl NeighbourMap {
    /// The map of the test digits whose codes are `codes` (n × `latent_size`, the test order),
    /// from a map file of as many points.
    pub fn new(map_file_bytes: &[u8], codes: Vec<f32>, latent_size: usize) -> Result<Self> {
        let positions = read_map_file(map_file_bytes)?;
        let points = check_rows("test codes", &codes, latent_size)?;
        if points != positions.len() / 2 {
            return Err(Error::InvalidInput(format!(
                "the map has {} points but there are {points} test codes: it was made for \
                 another data file",
                positions.len() / 2
            )));
        }
        Ok(Self {
            positions,
            codes,
            latent_size,
        })
    }

    /// Each test digit's x, y (n × 2 values).
    pub fn positions(&self) -> &[f32] {
        &self.positions
    }

    /// Where `code` lands: among its [`PLACING_NEIGHBOURS`] nearest test codes, at their mean
    /// position weighted by 1 / (distance + the nearest distance), so an exact match lands on
    /// its digit and a code between clusters lands between them.
    pub fn place(&self, code: &[f32]) -> Result<Placement> {
        check_exact("code", code, self.latent_size)?;
        let k = PLACING_NEIGHBOURS.min(self.positions.len() / 2);
        let order: Vec<(f32, usize)> = nearest_rows(&self.codes, self.latent_size, code, k, None)
            .into_iter()
            .map(|(squared, index)| (squared.sqrt(), index))
            .collect();
        let softening = order[0].0.max(1e-6);
        let (mut x, mut y, mut total) = (0.0f64, 0.0f64, 0.0f64);
        for &(distance, index) in &order {
            let weight = 1.0 / (distance + softening) as f64;
            x += weight * self.positions[2 * index] as f64;
            y += weight * self.positions[2 * index + 1] as f64;
            total += weight;
        }
        Ok(Placement {
            x: (x / total) as f32,
            y: (y / total) as f32,
            neighbours: order.into_iter().map(|(_, index)| index).collect(),
        })
    }

    /// The test digit nearest (x, y) on the map.
    pub fn nearest_point(&self, x: f32, y: f32) -> usize {
        self.positions
            .chunks_exact(2)
            .map(|p| (p[0] - x).powi(2) + (p[1] - y).powi(2))
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(0, |(index, _)| index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_file_round_trips_and_damage_is_refused() {
        let positions = vec![0.0, 1.0, -2.5, 3.0, 4.0, -1.0];
        let bytes = map_file(&positions).unwrap();
        assert_eq!(read_map_file(&bytes).unwrap(), positions);
        let mut flipped = bytes.clone();
        flipped[PREAMBLE_LEN + 3] ^= 0x10;
        assert!(
            read_map_file(&flipped)
                .unwrap_err()
                .to_string()
                .contains("checksum")
        );
        assert!(read_map_file(&bytes[..bytes.len() - 4]).is_err());
        let mut future = bytes.clone();
        future[8] = 2;
        assert!(
            read_map_file(&future)
                .unwrap_err()
                .to_string()
                .contains("version")
        );
        assert!(read_map_file(b"AEPG-PCA and more bytes").is_err());
    }

    #[test]
    fn a_code_lands_among_its_nearest_test_codes() {
        // Two groups of codes on a line, mapped to two places.
        let codes: Vec<f32> = (0..20)
            .map(|i| {
                if i < 10 {
                    i as f32 * 0.01
                } else {
                    5.0 + i as f32 * 0.01
                }
            })
            .collect();
        let positions: Vec<f32> = (0..20)
            .flat_map(|i| if i < 10 { [-10.0, 0.0] } else { [10.0, 1.0] })
            .collect();
        let map = NeighbourMap::new(&map_file(&positions).unwrap(), codes, 1).unwrap();
        let near_first = map.place(&[0.03]).unwrap();
        assert_eq!((near_first.x, near_first.y), (-10.0, 0.0));
        assert_eq!(near_first.neighbours[0], 3);
        let near_second = map.place(&[5.2]).unwrap();
        assert_eq!((near_second.x, near_second.y), (10.0, 1.0));
        assert_eq!(map.nearest_point(9.0, 1.0), 10);
        assert!(map.place(&[1.0, 2.0]).is_err());
        assert!(map.place(&[f32::NAN]).is_err());
        // A map made for another number of digits is refused.
        assert!(NeighbourMap::new(&map_file(&positions[..10]).unwrap(), vec![0.0; 20], 1).is_err());
    }
}
