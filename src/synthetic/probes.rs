//! Non-digit probe images for anomaly detection: capital letters drawn from a 5×7 bitmap font,
//! random pen strokes, and blank paper with noise. All are made here, seeded, and go through
//! the same MNIST-style conversion as a drawing, so they differ from digits only in shape.

use super::noise::corrupt_seeded;
use crate::drawing::{InkImage, to_mnist};
use crate::util::image::PIXELS;
use crate::util::rng::SplitMix64;

/// What kind of non-digit a probe is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeKind {
    /// A capital letter.
    Letter,
    /// Random pen strokes.
    Strokes,
    /// Blank paper with noise.
    Noise,
}

/// One probe image.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Probe {
    /// Its kind.
    pub kind: ProbeKind,
    /// A short name ("letter A", "strokes 3", …).
    pub name: String,
    /// 784 pixels in 0…1.
    pub image: Vec<f32>,
}

/// The 5×7 font's letters, each seven rows of five cells, top row first. Letters that are
/// also digit shapes in handwriting (O, I, S, Z, B, G) are left out: a good anomaly detector
/// should accept those as digits.
const FONT: [(char, [&str; 7]); 20] = [
    (
        'A',
        [
            "01110", "10001", "10001", "11111", "10001", "10001", "10001",
        ],
    ),
    (
        'C',
        [
            "01110", "10001", "10000", "10000", "10000", "10001", "01110",
        ],
    ),
    (
        'D',
        [
            "11100", "10010", "10001", "10001", "10001", "10010", "11100",
        ],
    ),
    (
        'E',
        [
            "11111", "10000", "10000", "11110", "10000", "10000", "11111",
        ],
    ),
    (
        'F',
        [
            "11111", "10000", "10000", "11110", "10000", "10000", "10000",
        ],
    ),
    (
        'H',
        [
            "10001", "10001", "10001", "11111", "10001", "10001", "10001",
        ],
    ),
    (
        'J',
        [
            "00111", "00010", "00010", "00010", "00010", "10010", "01100",
        ],
    ),
    (
        'K',
        [
            "10001", "10010", "10100", "11000", "10100", "10010", "10001",
        ],
    ),
    (
        'L',
        [
            "10000", "10000", "10000", "10000", "10000", "10000", "11111",
        ],
    ),
    (
        'M',
        [
            "10001", "11011", "10101", "10101", "10001", "10001", "10001",
        ],
    ),
    (
        'N',
        [
            "10001", "10001", "11001", "10101", "10011", "10001", "10001",
        ],
    ),
    (
        'P',
        [
            "11110", "10001", "10001", "11110", "10000", "10000", "10000",
        ],
    ),
    (
        'Q',
        [
            "01110", "10001", "10001", "10001", "10101", "10010", "01101",
        ],
    ),
    (
        'R',
        [
            "11110", "10001", "10001", "11110", "10100", "10010", "10001",
        ],
    ),
    (
        'T',
        [
            "11111", "00100", "00100", "00100", "00100", "00100", "00100",
        ],
    ),
    (
        'U',
        [
            "10001", "10001", "10001", "10001", "10001", "10001", "01110",
        ],
    ),
    (
        'V',
        [
            "10001", "10001", "10001", "10001", "10001", "01010", "00100",
        ],
    ),
    (
        'W',
        [
            "10001", "10001", "10001", "10101", "10101", "10101", "01010",
        ],
    ),
    (
        'X',
        [
            "10001", "10001", "01010", "00100", "01010", "10001", "10001",
        ],
    ),
    (
        'Y',
        [
            "10001", "10001", "01010", "00100", "00100", "00100", "00100",
        ],
    ),
];

/// Side of the square canvas probes are drawn on before the MNIST-style conversion.
const CANVAS: usize = 280;
/// The pen's radius, as a fraction of the canvas.
const PEN: f64 = 0.045;

/// A cell's centre inside a 0.1…0.9 box, keeping the font's 5:7 aspect.
fn font_cell(x: i32, y: i32) -> (f64, f64) {
    (0.2 + x as f64 * 0.15, 0.1 + y as f64 * 0.1333)
}

/// A capital letter of the probes' font as another hand might draw it: every joint of its
/// strokes moved a little, the letter slanted and stretched a little, the pen a little wider
/// or narrower, at random; converted like a drawing. `None` for a letter the font does not
/// have. (New drawings of a shape for the tests and benchmarks of teaching a model a shape.)
pub fn jittered_letter(letter: char, rng: &mut SplitMix64) -> Option<Vec<f32>> {
    let rows = FONT.iter().find(|(l, _)| *l == letter)?.1;
    let mut spread = |amount: f64| (rng.uniform() * 2.0 - 1.0) * amount;
    let (slant, stretch, pen) = (spread(0.15), 1.0 + spread(0.1), PEN * (1.0 + spread(0.25)));
    let moves: Vec<(f64, f64)> = (0..35).map(|_| (spread(0.03), spread(0.03))).collect();
    let cell = |x: i32, y: i32| {
        let (cx, cy) = font_cell(x, y);
        let (mx, my) = moves[(y * 5 + x) as usize];
        let cy = 0.5 + (cy - 0.5) * stretch;
        (cx + slant * (0.5 - cy) + mx, cy + my)
    };
    Some(draw(&letter_segments(&rows, cell), pen))
}

/// Every probe: 20 letters, 30 stroke scribbles and 20 noise images.
pub fn probes() -> Vec<Probe> {
    let mut all = Vec::new();
    for (letter, rows) in FONT {
        all.push(Probe {
            kind: ProbeKind::Letter,
            name: format!("letter {letter}"),
            image: draw(&letter_segments(&rows, font_cell), PEN),
        });
    }
    let mut rng = SplitMix64::new(2024);
    for index in 0..30 {
        all.push(Probe {
            kind: ProbeKind::Strokes,
            name: format!("strokes {index}"),
            image: draw(&random_strokes(&mut rng), PEN),
        });
    }
    for index in 0..20 {
        let amount = 0.5 + 0.5 * index as f32 / 19.0;
        all.push(Probe {
            kind: ProbeKind::Noise,
            name: format!("noise {amount:.2}"),
            image: corrupt_seeded(&[0.0; PIXELS], amount, 7000 + index as u64)
                .expect("a blank image and an amount in 0…1 are valid"),
        });
    }
    all
}

/// A segment from one point to another, in 0…1 canvas coordinates.
type Segment = ((f64, f64), (f64, f64));

/// Pen strokes through the letter's cells: every pair of neighbouring inked cells is joined,
/// as a pen would draw the letter; `at` places a cell's centre on the canvas.
fn letter_segments(rows: &[&str; 7], at: impl Fn(i32, i32) -> (f64, f64)) -> Vec<Segment> {
    let inked = |x: i32, y: i32| {
        (0..5).contains(&x)
            && (0..7).contains(&y)
            && rows[y as usize].as_bytes()[x as usize] == b'1'
    };
    let mut segments = Vec::new();
    for y in 0..7 {
        for x in 0..5 {
            if !inked(x, y) {
                continue;
            }
            segments.push((at(x, y), at(x, y)));
            for (dx, dy) in [(1, 0), (0, 1), (1, 1), (-1, 1)] {
                // Diagonals only where no straight path joins the two cells already.
                let diagonal = dx != 0 && dy != 0;
                if inked(x + dx, y + dy) && !(diagonal && (inked(x + dx, y) || inked(x, y + dy))) {
                    segments.push((at(x, y), at(x + dx, y + dy)));
                }
            }
        }
    }
    segments
}

/// Three to six connected random strokes across the canvas.
fn random_strokes(rng: &mut SplitMix64) -> Vec<Segment> {
    let mut point = || {
        (
            0.1 + 0.8 * rng.below(1000) as f64 / 1000.0,
            0.1 + 0.8 * rng.below(1000) as f64 / 1000.0,
        )
    };
    let count = 3 + (point().0 * 4.0) as usize;
    let mut points: Vec<(f64, f64)> = (0..=count).map(|_| point()).collect();
    points.dedup();
    points.windows(2).map(|pair| (pair[0], pair[1])).collect()
}

/// Draws the segments with a round pen (`pen`: its radius, a fraction of the canvas) on the
/// canvas and converts the result like a drawing.
fn draw(segments: &[Segment], pen: f64) -> Vec<f32> {
    let pen = pen * CANVAS as f64;
    let mut ink = vec![0u8; CANVAS * CANVAS];
    for &((ax, ay), (bx, by)) in segments {
        let (ax, ay, bx, by) = (
            ax * CANVAS as f64,
            ay * CANVAS as f64,
            bx * CANVAS as f64,
            by * CANVAS as f64,
        );
        let (x0, x1) = (
            (ax.min(bx) - pen).max(0.0) as usize,
            ((ax.max(bx) + pen) as usize).min(CANVAS - 1),
        );
        let (y0, y1) = (
            (ay.min(by) - pen).max(0.0) as usize,
            ((ay.max(by) + pen) as usize).min(CANVAS - 1),
        );
        let (dx, dy) = (bx - ax, by - ay);
        let length_squared = (dx * dx + dy * dy).max(1e-9);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
                let t = (((px - ax) * dx + (py - ay) * dy) / length_squared).clamp(0.0, 1.0);
                let (qx, qy) = (ax + t * dx - px, ay + t * dy - py);
                if qx * qx + qy * qy <= pen * pen {
                    ink[y * CANVAS + x] = 255;
                }
            }
        }
    }
    let image = InkImage::new(CANVAS, CANVAS, &ink).expect("the canvas has CANVAS² pixels");
    to_mnist(image).expect("every probe draws at least one dot")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_are_valid_varied_images() {
        let all = probes();
        assert_eq!(all.len(), 70);
        for probe in &all {
            assert_eq!(probe.image.len(), PIXELS, "{}", probe.name);
            assert!(
                probe.image.iter().all(|v| (0.0..=1.0).contains(v)),
                "{}",
                probe.name
            );
            assert!(
                probe.image.iter().sum::<f32>() > 10.0,
                "{} is nearly blank",
                probe.name
            );
        }
        // Deterministic: the same probes every time.
        assert_eq!(probes()[25].image, all[25].image);
        let letters = |name: &str| all.iter().find(|p| p.name == name).unwrap().image.clone();
        assert_ne!(letters("letter A"), letters("letter H"));
    }

    #[test]
    fn jittered_letters_are_new_drawings_of_the_same_letter() {
        let font_a = probes()[0].image.clone();
        let mut rng = SplitMix64::new(4);
        let difference = |a: &[f32], b: &[f32]| {
            a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f32>() / PIXELS as f32
        };
        let one = jittered_letter('A', &mut rng).unwrap();
        let other = jittered_letter('A', &mut rng).unwrap();
        let h = jittered_letter('H', &mut rng).unwrap();
        assert_ne!(one, other);
        assert!(difference(&one, &font_a) < difference(&h, &font_a));
        assert!(jittered_letter('7', &mut rng).is_none());
    }
}
