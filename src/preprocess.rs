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

use crate::image::{PIXELS, SIDE};
use crate::{Error, Result};

/// Side of the box the digit's bounding box is scaled into, as in MNIST.
pub const DIGIT_BOX: f64 = 20.0;
/// Ink below this (of 255) is treated as paper when finding the bounding box, so that faint
/// anti-aliasing fringes do not widen it.
const INK_THRESHOLD: u8 = 8;
/// Stroke width as a fraction of the longer side of the digit's bounding box: MNIST-like
/// strokes, about 2.4 px in the 20 px box.
pub const STROKE_FRACTION: f64 = 0.12;
/// Pixels at least this inked count as stroke when measuring and reshaping it.
const STROKE_THRESHOLD: u8 = 128;

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
    let shrunk = shrink_to_working_size(image);
    let image = match &shrunk {
        Some((width, height, ink)) => InkImage::new(*width, *height, ink).ok()?,
        None => image,
    };
    match normalise_stroke_width(image) {
        Some(ink) => resample_to_mnist(InkImage { ink: &ink, ..image }),
        None => resample_to_mnist(image),
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
    crate::error::check_image("image", image)?;
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

/// Longest side the drawing is worked on at: 14 source pixels per pixel of the 20 px digit box.
const WORKING_SIDE: usize = 280;

/// The image averaged down by a whole factor so that its longer side is at most
/// [`WORKING_SIDE`], or `None` when it is small enough already.
fn shrink_to_working_size(image: InkImage<'_>) -> Option<(usize, usize, Vec<u8>)> {
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

/// Thins or thickens the stroke to [`STROKE_FRACTION`] of the digit's size: pixels within the
/// needed distance of the paper are removed (thinning), or paper within that distance of the
/// ink is inked (thickening). Returns the new ink (0 or 255 per pixel; the resample that
/// follows anti-aliases it), or `None` when there is no solid stroke to measure.
///
/// The width is read off the Euclidean distance transform: across a stroke of width w the
/// distances of its pixels to the nearest paper pixel average (w + 2) / 4.
pub fn normalise_stroke_width(image: InkImage<'_>) -> Option<Vec<u8>> {
    let (width, height) = (image.width, image.height);
    let stroke: Vec<bool> = image.ink.iter().map(|&v| v >= STROKE_THRESHOLD).collect();
    let (mut count, mut sum) = (0usize, 0.0f64);
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    let to_paper = squared_distance_transform(&stroke, width, height, false);
    for (i, _) in stroke.iter().enumerate().filter(|(_, inked)| **inked) {
        count += 1;
        sum += to_paper[i].sqrt();
        let (x, y) = (i % width, i / width);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    if count == 0 {
        return None;
    }
    let measured = 4.0 * sum / count as f64 - 2.0;
    let wanted = STROKE_FRACTION * ((x1 - x0).max(y1 - y0) + 1) as f64;
    let radius = (measured - wanted).abs() / 2.0;
    let reshaped: Vec<bool> = if measured > wanted {
        // Thinning keeps the pixels deeper inside the stroke than the radius.
        to_paper.iter().map(|&d| d > radius * radius).collect()
    } else {
        let to_ink = squared_distance_transform(&stroke, width, height, true);
        to_ink.iter().map(|&d| d <= radius * radius).collect()
    };
    if !reshaped.iter().any(|&inked| inked) {
        return None;
    }
    Some(
        reshaped
            .iter()
            .map(|&inked| if inked { 255 } else { 0 })
            .collect(),
    )
}

/// Squared Euclidean distance from every pixel to the nearest pixel whose `stroke` value is
/// `target` (pixel centres; outside the image counts as paper). Exact, in linear time: the
/// lower envelope of parabolas of Felzenszwalb and Huttenlocher, by columns then by rows.
fn squared_distance_transform(
    stroke: &[bool],
    width: usize,
    height: usize,
    target: bool,
) -> Vec<f64> {
    // Far enough to be "none in this column", small enough to square without overflow.
    let far = ((width + height) * (width + height) + 1) as f64;
    let mut distance: Vec<f64> = stroke
        .iter()
        .map(|&inked| if inked == target { 0.0 } else { far })
        .collect();
    let paper_outside = !target;
    let mut line = Vec::new();
    for x in 0..width {
        line.clear();
        line.extend((0..height).map(|y| distance[y * width + x]));
        let result = distance_1d(&line, paper_outside, far);
        for (y, d) in result.into_iter().enumerate() {
            distance[y * width + x] = d;
        }
    }
    for y in 0..height {
        let row = &mut distance[y * width..(y + 1) * width];
        let result = distance_1d(row, paper_outside, far);
        row.copy_from_slice(&result);
    }
    distance
}

/// One line of the distance transform: `min over j of (i - j)² + f[j]`, where `far` marks "no
/// target". With `edges_are_targets`, the pixels just beyond both ends count as targets too
/// (paper around the image).
fn distance_1d(f: &[f64], edges_are_targets: bool, far: f64) -> Vec<f64> {
    let n = f.len();
    if n == 0 {
        return Vec::new();
    }
    // Sample positions and values, with the two virtual edge pixels when they count. A `far`
    // value (no target in that column) exceeds every real squared distance, so it can never be
    // the minimum while a real one exists: it is left out of the envelope.
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(n + 2);
    if edges_are_targets {
        points.push((-1.0, 0.0));
    }
    points.extend(
        f.iter()
            .enumerate()
            .filter(|&(_, &v)| v < far)
            .map(|(i, &v)| (i as f64, v)),
    );
    if edges_are_targets {
        points.push((n as f64, 0.0));
    }
    if points.is_empty() {
        return f.to_vec();
    }
    // The lower envelope of the parabolas y = (x - position)² + value: `vertices[k]` is the
    // lowest from `boundaries[k]` to `boundaries[k + 1]`.
    let intersection = |a: (f64, f64), b: (f64, f64)| {
        ((b.1 + b.0 * b.0) - (a.1 + a.0 * a.0)) / (2.0 * (b.0 - a.0))
    };
    // The first boundary is -∞, so the first vertex is never popped and `last()` always exists.
    let mut vertices = vec![points[0]];
    let mut boundaries = vec![f64::NEG_INFINITY];
    for &point in &points[1..] {
        let mut s = intersection(*vertices.last().unwrap(), point);
        while s <= *boundaries.last().unwrap() {
            vertices.pop();
            boundaries.pop();
            s = intersection(*vertices.last().unwrap(), point);
        }
        vertices.push(point);
        boundaries.push(s);
    }
    boundaries.push(f64::INFINITY);

    let mut k = 0;
    (0..n)
        .map(|i| {
            let x = i as f64;
            while boundaries[k + 1] < x {
                k += 1;
            }
            let (position, value) = vertices[k];
            (x - position) * (x - position) + value
        })
        .collect()
}

/// Crop, scale and centre (the MNIST recipe), for ink of any stroke width.
fn resample_to_mnist(image: InkImage<'_>) -> Option<Vec<f32>> {
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
    fn distance_transform_matches_brute_force() {
        let (width, height) = (13, 9);
        let scattered: Vec<bool> = (0..width * height).map(|i| (i * 7919) % 11 < 3).collect();
        // One inked pixel: most columns and rows hold no ink at all.
        let single: Vec<bool> = (0..width * height).map(|i| i == 4 * width + 9).collect();
        for (stroke, target) in [
            (&scattered, false),
            (&scattered, true),
            (&single, false),
            (&single, true),
        ] {
            let fast = squared_distance_transform(stroke, width, height, target);
            for (i, &d) in fast.iter().enumerate() {
                let (x, y) = ((i % width) as i64, (i / width) as i64);
                // Targets inside the image, plus (for paper) the ring just outside it.
                let mut best = i64::MAX;
                for ty in -1..=height as i64 {
                    for tx in -1..=width as i64 {
                        let outside = tx < 0 || ty < 0 || tx >= width as i64 || ty >= height as i64;
                        let is_target = if outside {
                            !target
                        } else {
                            stroke[ty as usize * width + tx as usize] == target
                        };
                        if is_target {
                            best = best.min((tx - x).pow(2) + (ty - y).pow(2));
                        }
                    }
                }
                assert_eq!(d, best as f64, "pixel ({x}, {y}), target {target}");
            }
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
        let four_rows = InkImage::new(600, 4, &[200; 2400]).unwrap();
        let (width, height, ink) = shrink_to_working_size(four_rows).unwrap();
        assert_eq!((width, height), (200, 2));
        assert_eq!(ink[0], 200);
        // The second row of blocks holds one image row of three: a third of the ink.
        assert_eq!(ink[200], 67);
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
