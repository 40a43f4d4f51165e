//! The stroke width step: a drawing pad has one pen for every size of digit, MNIST's writers
//! did not, so the stroke is thinned or thickened to a fixed fraction of the digit's size. The
//! width is measured, and the stroke reshaped, with an exact Euclidean distance transform.

use super::InkImage;

/// Stroke width as a fraction of the longer side of the digit's bounding box: MNIST-like
/// strokes, about 2.4 px in the 20 px box.
pub const STROKE_FRACTION: f64 = 0.12;
/// Pixels at least this inked count as stroke when measuring and reshaping it.
const STROKE_THRESHOLD: u8 = 128;

/// Thins or thickens the stroke to [`STROKE_FRACTION`] of the digit's size: pixels within the
/// needed distance of the paper are removed (thinning), or paper within that distance of the
/// ink is inked (thickening). Returns the new ink (0 or 255 per pixel; the resample that
/// follows anti-aliases it), or `None` when there is no solid stroke to measure.
///
/// The width is read off the Euclidean distance transform: across a stroke of width w the
/// distances of its pixels to the nearest paper pixel average (w + 2) / 4.
pub fn normalise_stroke_width(image: InkImage<'_>) -> Option<Vec<u8>> {
    let stroke: Vec<bool> = image.ink.iter().map(|&v| v >= STROKE_THRESHOLD).collect();
    let (x0, y0, x1, y1) = stroke_box(&stroke, image.width)?;
    let wanted = STROKE_FRACTION * ((x1 - x0).max(y1 - y0) + 1) as f64;
    // The work is done on the stroke's box and a border of paper, not the whole canvas (a
    // digit covers a small part of it): the distance transforms are most of the conversion's
    // time. The border is wider than any thickening (at most half the wanted width) and at
    // least a pixel, so every distance that matters is the same as on the whole canvas.
    let border = (wanted / 2.0).ceil() as usize + 1;
    let window = Window {
        left: x0.saturating_sub(border),
        top: y0.saturating_sub(border),
        width: (x1 + border + 1).min(image.width) - x0.saturating_sub(border),
        height: (y1 + border + 1).min(image.height) - y0.saturating_sub(border),
    };
    let reshaped = reshape(
        &window.cut(&stroke, image.width),
        window.width,
        window.height,
        wanted,
    )?;
    let mut ink = vec![0u8; image.ink.len()];
    window.paste(&reshaped, &mut ink, image.width);
    Some(ink)
}

/// The bounding box (x0, y0, x1, y1, inclusive) of the `true` pixels of a `width`-wide image.
fn stroke_box(stroke: &[bool], width: usize) -> Option<(usize, usize, usize, usize)> {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for (i, _) in stroke.iter().enumerate().filter(|(_, inked)| **inked) {
        let (x, y) = (i % width, i / width);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    (x0 != usize::MAX).then_some((x0, y0, x1, y1))
}

/// A rectangle of an image.
struct Window {
    left: usize,
    top: usize,
    width: usize,
    height: usize,
}

impl Window {
    /// The window's pixels of a `full_width`-wide image.
    fn cut<T: Copy>(&self, image: &[T], full_width: usize) -> Vec<T> {
        (self.top..self.top + self.height)
            .flat_map(|y| &image[y * full_width + self.left..][..self.width])
            .copied()
            .collect()
    }

    /// Writes `pixels` (the window's) into a `full_width`-wide image.
    fn paste<T: Copy>(&self, pixels: &[T], image: &mut [T], full_width: usize) {
        for (row, y) in pixels.chunks_exact(self.width).zip(self.top..) {
            image[y * full_width + self.left..][..self.width].copy_from_slice(row);
        }
    }
}

/// The stroke (a `width` × `height` image with paper all around it) thinned or thickened to
/// `wanted` pixels: the new ink, 0 or 255 per pixel, or `None` when none is left.
fn reshape(stroke: &[bool], width: usize, height: usize, wanted: f64) -> Option<Vec<u8>> {
    let to_paper = squared_distance_transform(stroke, width, height, false);
    let (mut count, mut sum) = (0usize, 0.0f64);
    for (i, _) in stroke.iter().enumerate().filter(|(_, inked)| **inked) {
        count += 1;
        sum += to_paper[i].sqrt();
    }
    let measured = 4.0 * sum / count as f64 - 2.0;
    let radius = (measured - wanted).abs() / 2.0;
    let reshaped: Vec<bool> = if measured > wanted {
        // Thinning keeps the pixels deeper inside the stroke than the radius.
        to_paper.iter().map(|&d| d > radius * radius).collect()
    } else {
        let to_ink = squared_distance_transform(stroke, width, height, true);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing::tests::seven;

    #[test]
    fn working_on_the_strokes_box_gives_what_the_whole_canvas_gives() {
        // Thin strokes are thickened, thick ones thinned; a digit in a corner or cut by the
        // canvas's edge has its box cut by the edge too.
        for (left, top, stroke) in [
            (60.0, 40.0, 0.03),
            (60.0, 40.0, 0.25),
            (0.0, 0.0, 0.03),
            (160.0, 160.0, 0.25),
            (160.0, 160.0, 0.02),
        ] {
            let ink = seven(280, left, top, 0.45, stroke);
            let strokes: Vec<bool> = ink.iter().map(|&v| v >= STROKE_THRESHOLD).collect();
            let (x0, y0, x1, y1) = stroke_box(&strokes, 280).unwrap();
            let wanted = STROKE_FRACTION * ((x1 - x0).max(y1 - y0) + 1) as f64;
            let whole_canvas = reshape(&strokes, 280, 280, wanted);
            assert!(whole_canvas.is_some());
            assert_eq!(
                normalise_stroke_width(InkImage::new(280, 280, &ink).unwrap()),
                whole_canvas,
                "a 7 at ({left}, {top}), stroke {stroke}"
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
}
