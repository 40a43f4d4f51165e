//! Turning a drawing into the 28×28 image the model expects, the way MNIST digits were made:
//! the ink's bounding box is scaled (anti-aliased, aspect ratio kept) so that its larger side
//! is 20 px, then placed in a 28×28 frame with its centre of mass at the frame's centre.
//!
//! One step comes first that MNIST did not need: its writers' pens drew thinner lines in
//! smaller digits, but a drawing pad has one pen width for every size, so a digit drawn small
//! would come out much bolder than MNIST's. The stroke is therefore first thinned or thickened
//! to [`STROKE_FRACTION`] of the digit's size (see [`normalise_stroke_width`]).
//!
//! Scaling and placing are one area-averaging resample: every output pixel is the mean ink of
//! the source rectangle it covers. Area averaging keeps the mass and the centre of mass, so the
//! digit lands centred without a second, blurring shift.
//!
//! One file per step: [`stroke`] (the stroke width, by a distance transform) and [`resample`]
//! (shrinking a high-density canvas, then crop, scale and centre); [`picture`] turns an image
//! file's picture into a drawing's ink first. Depends only on `util`.

pub mod picture;
pub mod resample;
pub mod stroke;

use crate::util::error::{Error, Result, check_image};
use crate::util::image::SIDE;

pub use picture::{check_picture_file_size, picture_to_mnist};
pub use resample::DIGIT_BOX;
pub use stroke::{STROKE_FRACTION, normalise_stroke_width};

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

    pub(super) fn at(&self, x: usize, y: usize) -> f64 {
        self.ink[y * self.width + x] as f64 / 255.0
    }
}

/// Ink coverage from RGBA pixels (as a canvas gives them): the alpha channel.
pub fn ink_from_rgba(rgba: &[u8]) -> Result<Vec<u8>> {
    if !rgba.len().is_multiple_of(4) {
        return Err(Error::InvalidInput(format!(
            "RGBA data has {} bytes, not a multiple of 4",
            rgba.len()
        )));
    }
    Ok(rgba.chunks_exact(4).map(|px| px[3]).collect())
}

/// The drawing as a 28×28 MNIST-style image (784 values in 0…1), or `None` when it has no ink.
/// The stroke width is normalised first (see the module docs).
pub fn to_mnist(image: InkImage<'_>) -> Option<Vec<f32>> {
    // A high-density canvas has far more pixels than a 20 px digit needs: shrink it first, so
    // the stroke reshaping works on at most WORKING_SIDE² pixels.
    let shrunk = resample::shrink_to_working_size(image);
    let image = match &shrunk {
        Some((width, height, ink)) => InkImage::new(*width, *height, ink).ok()?,
        None => image,
    };
    match normalise_stroke_width(image) {
        Some(ink) => resample::resample_to_mnist(InkImage { ink: &ink, ..image }),
        None => resample::resample_to_mnist(image),
    }
}

/// Scale at which [`as_drawn`] redraws a 28×28 digit: fine enough for the stroke reshaping
/// (ten enlarged pixels across a stroke), and a sixth of the cost of a 10× enlargement, which
/// gave the same anomaly results.
const REDRAW_SCALE: usize = 4;

/// A 28×28 MNIST digit as it would come out of the drawing pad: enlarged (bilinear) to the
/// size of a drawing and passed through [`to_mnist`], which normalises its stroke width. An
/// image with no ink comes back unchanged.
///
/// The page's drawings and the anomaly probes all go through [`to_mnist`]; MNIST's own digits
/// did not, and their strokes range from hairlines to bold. A model that is to judge drawings
/// is calibrated on (and can be trained on) digits converted the same way, so that the stroke
/// width alone cannot tell a drawing from a test digit.
pub fn as_drawn(image: &[f32]) -> Result<Vec<f32>> {
    check_image("image", image)?;
    let side = SIDE * REDRAW_SCALE;
    let last = (SIDE - 1) as f64;
    // Source coordinate and weight of the next source pixel for each enlarged column/row.
    let taps: Vec<(usize, usize, f32)> = (0..side)
        .map(|k| {
            let source = ((k as f64 + 0.5) / REDRAW_SCALE as f64 - 0.5).clamp(0.0, last);
            let low = source.floor() as usize;
            (low, (low + 1).min(SIDE - 1), (source - low as f64) as f32)
        })
        .collect();
    let mut ink = vec![0u8; side * side];
    for (y, &(y0, y1, ty)) in taps.iter().enumerate() {
        for (x, &(x0, x1, tx)) in taps.iter().enumerate() {
            let at = |sx: usize, sy: usize| image[sy * SIDE + sx];
            let top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * tx;
            let bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * tx;
            ink[y * side + x] = ((top + (bottom - top) * ty) * 255.0).round() as u8;
        }
    }
    let enlarged = InkImage::new(side, side, &ink)?;
    Ok(to_mnist(enlarged).unwrap_or_else(|| image.to_vec()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::util::image::PIXELS;

    /// A canvas of `side`² pixels with a "7" drawn by thick line segments, scaled by `size`
    /// (fraction of the canvas) and placed with its top-left corner at (`left`, `top`).
    pub(crate) fn seven(side: usize, left: f64, top: f64, size: f64, stroke: f64) -> Vec<u8> {
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
        resample::bounding_box(InkImage::new(SIDE, SIDE, &bytes).unwrap()).unwrap()
    }

    #[test]
    fn a_stored_digit_as_drawn_gets_the_drawing_stroke_whatever_its_own() {
        // The same 7 as MNIST might store it, with a hairline and with a bold stroke: the
        // drawing conversion brings both to the stroke of a 7 drawn on the pad.
        let drawn_seven = convert(280, &seven(280, 40.0, 40.0, 0.7, 0.12));
        let ink = |pixels: &[f32]| pixels.iter().sum::<f32>();
        for stroke in [0.06, 0.25] {
            let stored: Vec<f32> = seven(SIDE, 4.0, 4.0, 0.7, stroke)
                .iter()
                .map(|&v| v as f32 / 255.0)
                .collect();
            let redrawn = as_drawn(&stored).unwrap();
            let (before, after) = (ink(&stored), ink(&redrawn));
            let target = ink(&drawn_seven);
            assert!(
                (after - target).abs() < 0.4 * (before - target).abs(),
                "stroke {stroke}: ink {before} became {after}, a drawn 7 has {target}"
            );
            let (was, is) = (
                mean_abs_difference(&stored, &drawn_seven),
                mean_abs_difference(&redrawn, &drawn_seven),
            );
            assert!(
                is < 0.6 * was,
                "stroke {stroke}: difference {was} became {is}"
            );
        }
        // A drawing has the pad's stroke already: converting it again barely changes it.
        let again = mean_abs_difference(&as_drawn(&drawn_seven).unwrap(), &drawn_seven);
        assert!(again < 0.03, "a drawing changed by {again}");
        assert_eq!(as_drawn(&[0.0; PIXELS]).unwrap(), vec![0.0; PIXELS]);
        assert!(as_drawn(&[0.5; 100]).is_err());
        assert!(as_drawn(&[f32::NAN; PIXELS]).is_err());
    }

    #[test]
    fn digit_fits_a_20_px_box_centred_by_mass() {
        let pixels = convert(280, &seven(280, 40.0, 40.0, 0.7, 0.12));
        let (x0, y0, x1, y1) = bounding_box_of(&pixels);
        let longer = (x1 - x0).max(y1 - y0) + 1;
        assert!((19..=21).contains(&longer), "longer side {longer}");
        let bytes: Vec<u8> = pixels.iter().map(|&v| (v * 255.0).round() as u8).collect();
        let (cx, cy) =
            resample::centre_of_mass(InkImage::new(SIDE, SIDE, &bytes).unwrap()).unwrap();
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
    fn one_pen_for_every_size_gives_the_same_image() {
        // A pad's pen is the same width whatever the size of the digit drawn with it.
        let pen = 0.12 * 0.7;
        let reference = convert(280, &seven(280, 40.0, 40.0, 0.7, 0.12));
        for (size, left) in [(0.3, 10.0), (0.45, 150.0), (0.9, 10.0)] {
            let ink = seven(280, left, left, size, pen / size);
            let difference = mean_abs_difference(&convert(280, &ink), &reference);
            assert!(
                difference < 0.03,
                "size {size}: mean difference {difference}"
            );
        }
    }

    #[test]
    fn stroke_width_is_normalised() {
        let stroke_width = |pixels: &[f32]| pixels.iter().sum::<f32>();
        let reference = stroke_width(&convert(280, &seven(280, 40.0, 40.0, 0.7, 0.12)));
        for stroke in [0.04, 0.08, 0.2, 0.3] {
            let ink = stroke_width(&convert(280, &seven(280, 40.0, 40.0, 0.7, stroke)));
            assert!(
                (ink / reference - 1.0).abs() < 0.15,
                "stroke {stroke}: ink {ink} vs {reference}"
            );
        }
    }

    #[test]
    fn thin_and_thick_strokes_give_nearly_the_same_image() {
        let thin = convert(280, &seven(280, 40.0, 40.0, 0.7, 0.06));
        let thick = convert(280, &seven(280, 40.0, 40.0, 0.7, 0.18));
        let difference = mean_abs_difference(&thin, &thick);
        assert!(difference < 0.04, "mean difference {difference}");
        let (thin_left, thick_left) = (bounding_box_of(&thin).0, bounding_box_of(&thick).0);
        assert!(
            thin_left.abs_diff(thick_left) <= 1,
            "left edges at {thin_left} and {thick_left}"
        );
    }

    #[test]
    fn a_high_density_canvas_gives_the_same_image_as_a_plain_one() {
        let plain = convert(280, &seven(280, 40.0, 40.0, 0.7, 0.12));
        let dense = convert(560, &seven(560, 80.0, 80.0, 0.7, 0.12));
        let difference = mean_abs_difference(&plain, &dense);
        assert!(difference < 0.02, "mean difference {difference}");
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
