//! Non-digits made from digits, for training an anomaly detector with *outlier exposure*: the
//! detector learns to rebuild digits and *not* to rebuild these (their reconstruction error is
//! pushed above a margin, see `Trainer::step_with_negatives` in `training`), so that its
//! error stays small only on things shaped like digits.
//!
//! Each negative is a real training digit changed so that it is no longer a digit: turned on
//! its side, mirrored, turned upside down, or overlaid with a second digit. A change that maps
//! a digit's class to a digit shape again (a mirrored 0, 1 or 8; a 6 upside down is a 9) is
//! never used for that class. None of the anomaly probes' families (font letters, random
//! strokes, noise; see [`super::probes`]) is used, so the probes measure how the detector
//! generalises to things it never saw.

use crate::util::image::{PIXELS, SIDE};
use crate::util::rng::SplitMix64;

/// A way of turning a digit into a non-digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// Turned a quarter turn clockwise.
    QuarterTurn,
    /// Turned a quarter turn anticlockwise.
    QuarterTurnBack,
    /// Mirrored left to right.
    Mirrored,
    /// Turned upside down (a half turn).
    UpsideDown,
    /// Overlaid with a second digit of another class.
    Overlaid,
}

impl Transform {
    /// Every transform, in a fixed order.
    pub const ALL: [Transform; 5] = [
        Transform::QuarterTurn,
        Transform::QuarterTurnBack,
        Transform::Mirrored,
        Transform::UpsideDown,
        Transform::Overlaid,
    ];

    /// Whether this transform leaves a digit of class `label` shaped like some digit (so the
    /// result would not be a non-digit).
    pub fn keeps_a_digit(self, label: u8) -> bool {
        match self {
            // A 0 on its side is still an oval.
            Transform::QuarterTurn | Transform::QuarterTurnBack => label == 0,
            Transform::Mirrored => matches!(label, 0 | 1 | 8),
            // 6 and 9 swap; 0, 1 and 8 stay themselves.
            Transform::UpsideDown => matches!(label, 0 | 1 | 6 | 8 | 9),
            Transform::Overlaid => false,
        }
    }
}

/// `image` (784 pixels) changed by `transform`; `other` is the second digit of an overlay
/// (ignored by the other transforms).
pub fn apply(transform: Transform, image: &[f32], other: &[f32]) -> Vec<f32> {
    debug_assert_eq!(image.len(), PIXELS);
    let last = SIDE - 1;
    let remap = |source: &dyn Fn(usize, usize) -> (usize, usize)| -> Vec<f32> {
        let mut out = vec![0.0; PIXELS];
        for y in 0..SIDE {
            for x in 0..SIDE {
                let (sx, sy) = source(x, y);
                out[y * SIDE + x] = image[sy * SIDE + sx];
            }
        }
        out
    };
    match transform {
        Transform::QuarterTurn => remap(&|x, y| (y, last - x)),
        Transform::QuarterTurnBack => remap(&|x, y| (last - y, x)),
        Transform::Mirrored => remap(&|x, y| (last - x, y)),
        Transform::UpsideDown => remap(&|x, y| (last - x, last - y)),
        Transform::Overlaid => image.iter().zip(other).map(|(a, b)| a.max(*b)).collect(),
    }
}

/// A non-digit made from the digit `image` of class `label`: a transform drawn at random among
/// those that do not leave a digit of that class. `partner` supplies the overlay's second
/// digit, of another class, when that transform is drawn.
pub fn make(
    image: &[f32],
    label: u8,
    partner: impl FnOnce() -> Vec<f32>,
    rng: &mut SplitMix64,
) -> Vec<f32> {
    let allowed: Vec<Transform> = Transform::ALL
        .into_iter()
        .filter(|t| !t.keeps_a_digit(label))
        .collect();
    let transform = allowed[rng.below(allowed.len())];
    let other = if transform == Transform::Overlaid {
        partner()
    } else {
        Vec::new()
    };
    apply(transform, image, &other)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-pixel image at (x, y).
    fn dot(x: usize, y: usize) -> Vec<f32> {
        let mut image = vec![0.0; PIXELS];
        image[y * SIDE + x] = 1.0;
        image
    }

    fn position(image: &[f32]) -> (usize, usize) {
        let index = image.iter().position(|&v| v == 1.0).unwrap();
        (index % SIDE, index / SIDE)
    }

    #[test]
    fn transforms_move_pixels_where_their_names_say() {
        // A dot at the top, left of centre.
        let image = dot(5, 2);
        let at = |t| position(&apply(t, &image, &[]));
        assert_eq!(at(Transform::QuarterTurn), (25, 5), "top goes right");
        assert_eq!(at(Transform::QuarterTurnBack), (2, 22), "top goes left");
        assert_eq!(at(Transform::Mirrored), (22, 2));
        assert_eq!(at(Transform::UpsideDown), (22, 25));
        let both = apply(Transform::Overlaid, &image, &dot(10, 10));
        assert_eq!(both.iter().sum::<f32>(), 2.0);
    }

    #[test]
    fn a_quarter_turn_and_back_is_the_identity() {
        let image: Vec<f32> = (0..PIXELS).map(|i| (i % 7) as f32 / 7.0).collect();
        let turned = apply(Transform::QuarterTurn, &image, &[]);
        assert_eq!(apply(Transform::QuarterTurnBack, &turned, &[]), image);
    }

    #[test]
    fn symmetric_digits_are_never_mirrored_or_turned_into_digits() {
        let mut rng = SplitMix64::new(3);
        // A 1 as a vertical bar: mirrored or upside down it is a 1 again, so only the quarter
        // turns (a horizontal bar) and overlays may be drawn.
        let mut one = vec![0.0; PIXELS];
        for y in 4..24 {
            one[y * SIDE + 14] = 1.0;
        }
        for _ in 0..50 {
            let negative = make(&one, 1, || dot(3, 3), &mut rng);
            assert_ne!(negative, one);
            let is_horizontal_bar = (4..24).all(|x| negative[14 * SIDE + x] == 1.0)
                || (4..24).all(|x| negative[13 * SIDE + x] == 1.0);
            let is_overlay = negative[3 * SIDE + 3] == 1.0;
            assert!(is_horizontal_bar || is_overlay);
        }
        assert!(Transform::ALL.iter().all(|t| !t.keeps_a_digit(7)));
    }
}
