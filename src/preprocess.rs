//! Turning a drawing into the 28×28 image the model expects, the way MNIST digits were made:
//! the ink's bounding box is scaled (anti-aliased, aspect ratio kept) so that its larger side
//! is 20 px, then placed in a 28×28 frame with its centre of mass at the frame's centre.
//!
//! Scaling and placing are one area-averaging resample: every output pixel is the mean ink of
//! the source rectangle it covers. Area averaging keeps the mass and the centre of mass, so the
//! digit lands centred without a second, blurring shift.

use crate::image::{PIXELS, SIDE};
use crate::{Error, Result};

/// Side of the box the digit's bounding box is scaled into, as in MNIST.
pub const DIGIT_BOX: f64 = 20.0;
/// Ink below this (of 255) is treated as paper when finding the bounding box, so that faint
/// anti-aliasing fringes do not widen it.
const INK_THRESHOLD: u8 = 8;

/// A grey image of ink coverage, 0 = paper, 255 = full ink, row-major.
#[derive(Debug, Clone, Copy)]
pub struct InkImage<'a> {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width × height` coverage values.
    pub ink: &'a [u8],
}

impl<'a> InkImage<'a> {
    /// Checks that `ink` holds `width × height` values.
    pub fn new(width: usize, height: usize, ink: &'a [u8]) -> Result<Self> {
        let needed = width.checked_mul(height).filter(|&n| n > 0);
        if needed != Some(ink.len()) {
            return Err(Error::InvalidInput(format!(
                "a {width}×{height} drawing needs {} ink values, got {}",
                width as u64 * height as u64,
                ink.len()
            )));
        }
        Ok(Self { width, height, ink })
    }

    fn at(&self, x: usize, y: usize) -> f64 {
        self.ink[y * self.width + x] as f64 / 255.0
    }
}

/// Ink coverage from RGBA pixels (as a canvas gives them): the alpha channel.
pub fn ink_from_rgba(rgba: &[u8]) -> Result<Vec<u8>> {
    if rgba.len() % 4 != 0 {
        return Err(Error::InvalidInput(format!(
            "RGBA data has {} bytes, not a multiple of 4",
            rgba.len()
        )));
    }
    Ok(rgba.chunks_exact(4).map(|px| px[3]).collect())
}

/// The drawing as a 28×28 MNIST-style image (784 values in 0…1), or `None` when it has no ink.
pub fn to_mnist(image: InkImage<'_>) -> Option<Vec<f32>> {
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
fn bounding_box(image: InkImage<'_>) -> Option<(usize, usize, usize, usize)> {
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
fn centre_of_mass(image: InkImage<'_>) -> Option<(f64, f64)> {
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

    /// A canvas of `side`² pixels with a "7" drawn by thick line segments, scaled by `size`
    /// (fraction of the canvas) and placed with its top-left corner at (`left`, `top`).
    fn seven(side: usize, left: f64, top: f64, size: f64, stroke: f64) -> Vec<u8> {
        let s = side as f64 * size;
        let segments = [
            ((0.1, 0.1), (0.9, 0.1)),
            ((0.9, 0.1), (0.45, 0.95)),
            ((0.3, 0.5), (0.75, 0.5)),
        ];
        let mut ink = vec![0u8; side * side];
        for y in 0..side {
            for x in 0..side {
                let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
                let near = segments.iter().any(|&((ax, ay), (bx, by))| {
                    let (ax, ay, bx, by) =
                        (left + ax * s, top + ay * s, left + bx * s, top + by * s);
                    let (dx, dy) = (bx - ax, by - ay);
                    let t =
                        (((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
                    let (qx, qy) = (ax + t * dx - px, ay + t * dy - py);
                    (qx * qx + qy * qy).sqrt() <= stroke * s / 2.0
                });
                if near {
                    ink[y * side + x] = 255;
                }
            }
        }
        ink
    }

    fn convert(side: usize, ink: &[u8]) -> Vec<f32> {
        to_mnist(InkImage::new(side, side, ink).unwrap()).expect("ink was drawn")
    }

    fn mean_abs_difference(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f32>() / a.len() as f32
    }

    fn bounding_box_of(pixels: &[f32]) -> (usize, usize, usize, usize) {
        let bytes: Vec<u8> = pixels.iter().map(|&v| (v * 255.0) as u8).collect();
        bounding_box(InkImage::new(SIDE, SIDE, &bytes).unwrap()).unwrap()
    }

    #[test]
    fn digit_fits_a_20_px_box_centred_by_mass() {
        let pixels = convert(280, &seven(280, 40.0, 40.0, 0.7, 0.12));
        let (x0, y0, x1, y1) = bounding_box_of(&pixels);
        let longer = (x1 - x0).max(y1 - y0) + 1;
        assert!((19..=21).contains(&longer), "longer side {longer}");
        let bytes: Vec<u8> = pixels.iter().map(|&v| (v * 255.0).round() as u8).collect();
        let (cx, cy) = centre_of_mass(InkImage::new(SIDE, SIDE, &bytes).unwrap()).unwrap();
        assert!(
            (cx - 14.0).abs() < 0.3 && (cy - 14.0).abs() < 0.3,
            "centre {cx},{cy}"
        );
        assert!(pixels.iter().all(|v| (0.0..=1.0).contains(v)));
        assert_eq!(pixels.iter().cloned().fold(0.0, f32::max), 1.0);
    }

    #[test]
    fn position_and_size_do_not_change_the_result() {
        let reference = convert(280, &seven(280, 40.0, 40.0, 0.7, 0.12));
        let variants = [
            ("top-left corner, small", seven(280, 2.0, 2.0, 0.25, 0.12)),
            (
                "bottom-right corner, small",
                seven(280, 205.0, 205.0, 0.25, 0.12),
            ),
            ("large", seven(280, 0.0, 0.0, 1.0, 0.12)),
            ("another canvas size", seven(560, 80.0, 30.0, 0.7, 0.12)),
        ];
        for (name, ink) in variants {
            let side = (ink.len() as f64).sqrt() as usize;
            let difference = mean_abs_difference(&convert(side, &ink), &reference);
            assert!(difference < 0.03, "{name}: mean difference {difference}");
        }
    }

    #[test]
    fn thin_and_thick_strokes_give_nearly_the_same_image() {
        let thin = convert(280, &seven(280, 40.0, 40.0, 0.7, 0.06));
        let thick = convert(280, &seven(280, 40.0, 40.0, 0.7, 0.18));
        let difference = mean_abs_difference(&thin, &thick);
        assert!(difference < 0.12, "mean difference {difference}");
        assert_eq!(
            bounding_box_of(&thin).0.abs_diff(bounding_box_of(&thick).0) <= 1,
            true
        );
    }

    #[test]
    fn an_empty_canvas_has_no_digit() {
        assert!(to_mnist(InkImage::new(10, 10, &[0; 100]).unwrap()).is_none());
        assert!(to_mnist(InkImage::new(10, 10, &[3; 100]).unwrap()).is_none());
    }

    #[test]
    fn a_single_dot_is_a_centred_blob() {
        let mut ink = vec![0u8; 100];
        ink[0] = 255;
        let pixels = convert(10, &ink);
        assert!(pixels.iter().all(|v| v.is_finite()));
        assert_eq!(pixels[14 * SIDE + 14], 1.0);
    }

    #[test]
    fn rejects_mismatched_sizes() {
        assert!(InkImage::new(10, 10, &[0; 99]).is_err());
        assert!(InkImage::new(0, 0, &[]).is_err());
        // On wasm32 this product would wrap to 0 and match an empty array.
        assert!(InkImage::new(1 << 16, 1 << 16, &[]).is_err());
        assert!(ink_from_rgba(&[0; 7]).is_err());
        assert_eq!(
            ink_from_rgba(&[1, 2, 3, 4, 5, 6, 7, 8]).unwrap(),
            vec![4, 8]
        );
    }
}
