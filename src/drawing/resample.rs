//! Crop, scale and centre, the MNIST recipe, as one area-averaging resample; and the shrinking
//! of a high-density canvas to a working size first.

use super::InkImage;
use crate::util::image::{PIXELS, SIDE};

/// Side of the box the digit's bounding box is scaled into, as in MNIST.
pub const DIGIT_BOX: f64 = 20.0;
/// Ink below this (of 255) is treated as paper when finding the bounding box, so that faint
/// anti-aliasing fringes do not widen it.
const INK_THRESHOLD: u8 = 8;

/// Longest side the drawing is worked on at: 14 source pixels per pixel of the 20 px digit box.
const WORKING_SIDE: usize = 280;

/// The image averaged down by a whole factor so that its longer side is at most
/// [`WORKING_SIDE`], or `None` when it is small enough already.
pub(super) fn shrink_to_working_size(image: InkImage<'_>) -> Option<(usize, usize, Vec<u8>)> {
    let factor = image.width.max(image.height).div_ceil(WORKING_SIDE);
    if factor <= 1 {
        return None;
    }
    let (width, height) = (image.width.div_ceil(factor), image.height.div_ceil(factor));
    let mut sums = vec![0u32; width * height];
    for y in 0..image.height {
        let row = &image.ink[y * image.width..(y + 1) * image.width];
        let out = &mut sums[(y / factor) * width..(y / factor + 1) * width];
        for (x, &v) in row.iter().enumerate() {
            out[x / factor] += v as u32;
        }
    }
    // Edge blocks cut short by the image's border count the missing pixels as paper.
    let block = (factor * factor) as u32;
    Some((
        width,
        height,
        sums.into_iter()
            .map(|s| ((s + block / 2) / block) as u8)
            .collect(),
    ))
}

/// Crop, scale and centre (the MNIST recipe), for ink of any stroke width.
pub(super) fn resample_to_mnist(image: InkImage<'_>) -> Option<Vec<f32>> {
    let (x0, y0, x1, y1) = bounding_box(image)?;
    let (cx, cy) = centre_of_mass(image)?;
    let longer_side = ((x1 - x0).max(y1 - y0) + 1) as f64;
    let scale = DIGIT_BOX / longer_side;
    let centre = SIDE as f64 / 2.0;

    // Output pixel k covers [k, k+1); in source coordinates that is this interval.
    let source_interval = |k: usize, source_centre: f64| {
        let from = (k as f64 - centre) / scale + source_centre;
        (from, from + 1.0 / scale)
    };
    let columns: Vec<Weights> = (0..SIDE)
        .map(|k| Weights::area(source_interval(k, cx), image.width))
        .collect();
    let rows: Vec<Weights> = (0..SIDE)
        .map(|k| Weights::area(source_interval(k, cy), image.height))
        .collect();

    // Separable resample: first each source row into 28 columns, then those into 28 rows.
    let mut narrowed = vec![0.0f64; image.height * SIDE];
    for y in 0..image.height {
        for (k, weights) in columns.iter().enumerate() {
            narrowed[y * SIDE + k] = weights.apply(|x| image.at(x, y));
        }
    }
    let mut pixels = vec![0.0f64; PIXELS];
    for (k, weights) in rows.iter().enumerate() {
        for x in 0..SIDE {
            pixels[k * SIDE + x] = weights.apply(|y| narrowed[y * SIDE + x]);
        }
    }

    // A thin stroke averages to grey; MNIST's strokes peak at full ink.
    let peak = pixels.iter().cloned().fold(0.0, f64::max);
    if peak <= 0.0 {
        return None;
    }
    Some(pixels.iter().map(|&v| (v / peak).min(1.0) as f32).collect())
}

/// Area-averaging weights of one output pixel over a run of source pixels.
struct Weights {
    first: usize,
    weights: Vec<f64>,
}

impl Weights {
    /// Weights of the source pixels overlapping `[from, to)`, divided by its length, so that
    /// `apply` gives the mean over the interval (source outside the image counts as paper).
    fn area((from, to): (f64, f64), source_len: usize) -> Self {
        let length = to - from;
        let first = from.floor().max(0.0) as usize;
        let last = (to.ceil().max(0.0) as usize).min(source_len);
        let weights = (first..last.max(first))
            .map(|i| {
                let overlap = (to.min(i as f64 + 1.0) - from.max(i as f64)).max(0.0);
                overlap / length
            })
            .collect();
        Self { first, weights }
    }

    fn apply(&self, value_at: impl Fn(usize) -> f64) -> f64 {
        self.weights
            .iter()
            .enumerate()
            .map(|(i, w)| w * value_at(self.first + i))
            .sum()
    }
}

/// Inclusive bounding box `(x0, y0, x1, y1)` of the pixels with ink.
pub(super) fn bounding_box(image: InkImage<'_>) -> Option<(usize, usize, usize, usize)> {
    let mut bounds: Option<(usize, usize, usize, usize)> = None;
    for y in 0..image.height {
        for x in 0..image.width {
            if image.ink[y * image.width + x] >= INK_THRESHOLD {
                bounds = Some(match bounds {
                    None => (x, y, x, y),
                    Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
                });
            }
        }
    }
    bounds
}

/// Centre of mass of the ink, in continuous coordinates (pixel i spans [i, i+1)).
pub(super) fn centre_of_mass(image: InkImage<'_>) -> Option<(f64, f64)> {
    let (mut mass, mut mx, mut my) = (0.0, 0.0, 0.0);
    for y in 0..image.height {
        for x in 0..image.width {
            let v = image.at(x, y);
            mass += v;
            mx += v * (x as f64 + 0.5);
            my += v * (y as f64 + 0.5);
        }
    }
    (mass > 0.0).then(|| (mx / mass, my / mass))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_canvas_is_averaged_down_by_whole_blocks() {
        let four_rows = InkImage::new(600, 4, &[200; 2400]).unwrap();
        let (width, height, ink) = shrink_to_working_size(four_rows).unwrap();
        assert_eq!((width, height), (200, 2));
        assert_eq!(ink[0], 200);
        // The second row of blocks holds one image row of three: a third of the ink.
        assert_eq!(ink[200], 67);
    }
}
