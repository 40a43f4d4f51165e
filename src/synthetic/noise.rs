//! Corrupting digits, for the page's noise slider and the denoiser's training inputs: Gaussian
//! noise on every pixel, salt-and-pepper (pixels flipped to paper or full ink), and a random
//! erased patch. One `amount` from 0 (clean) to 1 (heavily corrupted) scales all three.

use crate::util::error::{Error, Result, check_image, check_pixel_range};
use crate::util::image::SIDE;
use crate::util::rng::SplitMix64;

/// Standard deviation of the Gaussian noise at `amount` = 1.
const GAUSSIAN_AT_FULL: f64 = 0.45;
/// Share of pixels flipped to 0 or 1 at `amount` = 1.
const SALT_AND_PEPPER_AT_FULL: f64 = 0.2;
/// Chance of an erased patch at `amount` = 1, and the range of its side in pixels.
const ERASE_AT_FULL: f64 = 0.6;
const ERASE_SIDES: std::ops::RangeInclusive<usize> = 4..=10;

/// `image` (784 pixels in 0…1) corrupted by `amount` (0…1), drawing randomness from `rng`.
pub fn corrupt(image: &[f32], amount: f32, rng: &mut SplitMix64) -> Result<Vec<f32>> {
    check_image("image to corrupt", image)?;
    if !(0.0..=1.0).contains(&amount) {
        return Err(Error::InvalidInput(format!(
            "noise amount {amount} is outside 0…1"
        )));
    }
    let amount = amount as f64;
    let mut noisy: Vec<f32> = image
        .iter()
        .map(|&v| {
            let gaussian = GAUSSIAN_AT_FULL * amount * rng.standard_normal();
            let mut value = v as f64 + gaussian;
            if rng.uniform() < SALT_AND_PEPPER_AT_FULL * amount {
                value = if rng.uniform() < 0.5 { 0.0 } else { 1.0 };
            }
            value.clamp(0.0, 1.0) as f32
        })
        .collect();
    if rng.uniform() < ERASE_AT_FULL * amount {
        let span = ERASE_SIDES.end() - ERASE_SIDES.start() + 1;
        let (width, height) = (
            ERASE_SIDES.start() + rng.below(span),
            ERASE_SIDES.start() + rng.below(span),
        );
        let (left, top) = (rng.below(SIDE - width + 1), rng.below(SIDE - height + 1));
        for y in top..top + height {
            noisy[y * SIDE + left..y * SIDE + left + width].fill(0.0);
        }
    }
    debug_assert!(check_pixel_range("noisy image", &noisy).is_ok());
    Ok(noisy)
}

/// `image` corrupted by `amount`, the same for the same `seed` (the page's slider).
pub fn corrupt_seeded(image: &[f32], amount: f32, seed: u64) -> Result<Vec<f32>> {
    corrupt(image, amount, &mut SplitMix64::new(seed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::image::PIXELS;

    fn digit() -> Vec<f32> {
        (0..PIXELS)
            .map(|i| {
                if (i % SIDE).abs_diff(14) < 3 {
                    1.0
                } else {
                    0.0
                }
            })
            .collect()
    }

    fn mean_abs_difference(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f32>() / a.len() as f32
    }

    #[test]
    fn no_noise_leaves_the_image_alone() {
        assert_eq!(corrupt_seeded(&digit(), 0.0, 3).unwrap(), digit());
    }

    #[test]
    fn more_noise_changes_more_and_stays_in_range() {
        let clean = digit();
        let changes: Vec<f32> = [0.2, 0.5, 1.0]
            .iter()
            .map(|&amount| {
                let noisy = corrupt_seeded(&clean, amount, 9).unwrap();
                assert!(noisy.iter().all(|v| (0.0..=1.0).contains(v)));
                mean_abs_difference(&noisy, &clean)
            })
            .collect();
        assert!(changes.windows(2).all(|p| p[1] > p[0]), "{changes:?}");
        assert!(changes[2] > 0.15, "{changes:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_noise() {
        let clean = digit();
        assert_eq!(
            corrupt_seeded(&clean, 0.6, 42).unwrap(),
            corrupt_seeded(&clean, 0.6, 42).unwrap()
        );
        assert_ne!(
            corrupt_seeded(&clean, 0.6, 42).unwrap(),
            corrupt_seeded(&clean, 0.6, 43).unwrap()
        );
    }

    #[test]
    fn bad_amounts_and_images_are_refused() {
        assert!(corrupt_seeded(&digit(), 1.5, 1).is_err());
        assert!(corrupt_seeded(&digit(), f32::NAN, 1).is_err());
        assert!(corrupt_seeded(&digit()[..700], 0.5, 1).is_err());
    }
}
