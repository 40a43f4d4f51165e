//! Making a training batch: the plan's digits, each perhaps shown as drawn, shifted and
//! deformed (augmentation), and what the objectives add to them: noisy copies for a denoiser, non-digits
//! for outlier exposure. Every random choice comes from the run's seeded generator.

use crate::data::{Dataset, DrawnDigits};
use crate::synthetic::deform::Deformation;
use crate::synthetic::{negatives, noise};
use crate::util::error::Result;
use crate::util::image::{PIXELS, shifted};
use crate::util::rng::SplitMix64;

/// Digits as a run shows them: stored or as drawn, shifted or not, deformed or not.
#[derive(Debug, Default)]
pub struct Augmentation {
    /// Shift each image by up to this many pixels at random (0: no shift).
    pub max_shift: usize,
    /// The chance (0…1) that a digit is shown as drawn.
    pub drawn_share: f64,
    /// How each image is deformed at random.
    pub deformation: Deformation,
    /// Digits as drawn, converted on first use.
    drawn: DrawnDigits,
}

impl Augmentation {
    /// An augmentation by random shifts of up to `max_shift` pixels, a `drawn_share` of
    /// digits shown as drawn, and a random `deformation` of each.
    pub fn new(max_shift: usize, drawn_share: f64, deformation: Deformation) -> Self {
        Self {
            max_shift,
            drawn_share,
            deformation,
            drawn: DrawnDigits::default(),
        }
    }

    /// The digits `indices` of `dataset`, augmented, concatenated (`indices.len() × 784`).
    pub fn batch(
        &mut self,
        dataset: &Dataset,
        indices: &[usize],
        rng: &mut SplitMix64,
    ) -> Vec<f32> {
        if self.max_shift == 0 && self.drawn_share == 0.0 && self.deformation == Deformation::None {
            return dataset.images(indices);
        }
        let span = 2 * self.max_shift + 1;
        let mut pixels = Vec::with_capacity(indices.len() * PIXELS);
        for &index in indices {
            let image = if self.drawn_share > 0.0 && rng.chance(self.drawn_share) {
                self.drawn.image(dataset, index).to_vec()
            } else {
                dataset.image(index)
            };
            let image = if self.max_shift == 0 {
                image
            } else {
                let dx = rng.below(span) as i32 - self.max_shift as i32;
                let dy = rng.below(span) as i32 - self.max_shift as i32;
                shifted(&image, dx, dy)
            };
            pixels.extend(self.deformation.apply(&image, rng));
        }
        pixels
    }
}

/// How a visitor's examples of a new shape are shown: deformed anew every time, affine and
/// elastic, so that twenty drawings become as many different ones as a run has steps.
pub const EXAMPLE_DEFORMATION: Deformation = Deformation::Elastic;

/// `count` examples drawn at random from `examples` (whole 784-pixel images), each deformed
/// anew by [`EXAMPLE_DEFORMATION`].
pub fn deformed_examples(examples: &[f32], count: usize, rng: &mut SplitMix64) -> Vec<f32> {
    let available = examples.len() / PIXELS;
    let mut pixels = Vec::with_capacity(count * PIXELS);
    for _ in 0..count {
        let pick = rng.below(available);
        let example = &examples[pick * PIXELS..(pick + 1) * PIXELS];
        pixels.extend(EXAMPLE_DEFORMATION.apply(example, rng));
    }
    pixels
}

/// Each image of `batch` corrupted by its own random amount of noise (a denoiser's inputs).
pub fn corrupted(batch: &[f32], rng: &mut SplitMix64) -> Result<Vec<f32>> {
    let mut noisy = Vec::with_capacity(batch.len());
    for image in batch.chunks_exact(PIXELS) {
        let amount = rng.below(1001) as f32 / 1000.0;
        noisy.extend(noise::corrupt(image, amount, rng)?);
    }
    Ok(noisy)
}

/// Non-digits made from the digits of `batch` (whose dataset indices are `batch_indices`), one
/// for each digit picked with chance `rate`; an overlay's second digit is drawn from
/// `partners`, of another class when a few draws find one (a subset may hold one class).
pub fn negatives(
    dataset: &Dataset,
    batch_indices: &[usize],
    batch: &[f32],
    partners: &[usize],
    rate: f64,
    rng: &mut SplitMix64,
) -> Vec<f32> {
    let mut made = Vec::new();
    for (&index, digit) in batch_indices.iter().zip(batch.chunks_exact(PIXELS)) {
        if !rng.chance(rate) {
            continue;
        }
        let label = dataset.label(index);
        let mut partner_rng = SplitMix64::new(rng.next_u64());
        let partner = || {
            let mut other = partners[partner_rng.below(partners.len())];
            for _ in 0..100 {
                if dataset.label(other) != label {
                    break;
                }
                other = partners[partner_rng.below(partners.len())];
            }
            dataset.image(other)
        };
        made.extend(negatives::make(digit, label, partner, rng));
    }
    made
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing::as_drawn;
    use crate::training::tests::synthetic_dataset;

    #[test]
    fn a_drawn_share_shows_that_share_of_digits_as_drawn() {
        let dataset = synthetic_dataset();
        let indices: Vec<usize> = (0..40).collect();
        for (share, expected) in [(0.0, 0..=0), (0.5, 8..=32), (1.0, 40..=40)] {
            let mut augmentation = Augmentation::new(0, share, Deformation::None);
            let batch = augmentation.batch(&dataset, &indices, &mut SplitMix64::new(1));
            let mut drawn = 0;
            for (&index, image) in indices.iter().zip(batch.chunks_exact(PIXELS)) {
                let stored = dataset.image(index);
                let as_drawn = as_drawn(&stored).unwrap();
                assert!(image == stored || image == as_drawn);
                drawn += (image == as_drawn && image != stored) as usize;
            }
            assert!(expected.contains(&drawn), "{drawn} of 40 drawn at {share}");
        }
    }

    #[test]
    fn shifts_move_digits_within_the_limit() {
        let dataset = synthetic_dataset();
        let mut augmentation = Augmentation::new(2, 0.0, Deformation::None);
        let batch = augmentation.batch(&dataset, &[3], &mut SplitMix64::new(5));
        let stored = dataset.image(3);
        let moved_by = (-2..=2)
            .flat_map(|dx| (-2..=2).map(move |dy| (dx, dy)))
            .find(|&(dx, dy)| shifted(&stored, dx, dy) == batch);
        assert!(moved_by.is_some(), "not a shift of at most 2 pixels");
    }

    #[test]
    fn deformed_batches_differ_from_the_stored_digits_and_stay_in_range() {
        let dataset = synthetic_dataset();
        let indices: Vec<usize> = (0..10).collect();
        let mut augmentation = Augmentation::new(0, 0.0, Deformation::Elastic);
        let batch = augmentation.batch(&dataset, &indices, &mut SplitMix64::new(5));
        assert_eq!(batch.len(), 10 * PIXELS);
        assert!(batch.iter().all(|v| (0.0..=1.0).contains(v)));
        for (&index, image) in indices.iter().zip(batch.chunks_exact(PIXELS)) {
            assert_ne!(
                image,
                dataset.image(index).as_slice(),
                "digit {index} unchanged"
            );
        }
    }

    #[test]
    fn examples_come_back_deformed_anew_each_time() {
        let examples = synthetic_dataset().images(&[0, 1]);
        let mut rng = SplitMix64::new(9);
        let first = deformed_examples(&examples, 3, &mut rng);
        let again = deformed_examples(&examples, 3, &mut rng);
        assert_eq!(first.len(), 3 * PIXELS);
        assert!(first.iter().all(|v| (0.0..=1.0).contains(v)));
        for (one, other) in first.chunks_exact(PIXELS).zip(again.chunks_exact(PIXELS)) {
            assert_ne!(one, other);
            assert!(examples.chunks_exact(PIXELS).all(|example| example != one));
        }
    }

    #[test]
    fn outlier_exposure_adds_non_digits_made_from_its_batch() {
        let dataset = synthetic_dataset();
        let indices: Vec<usize> = (0..40).collect();
        let batch = dataset.images(&indices);
        let made = negatives(
            &dataset,
            &indices,
            &batch,
            &indices,
            0.5,
            &mut SplitMix64::new(2),
        );
        let count = made.len() / PIXELS;
        assert!(
            (8..=32).contains(&count),
            "{count} negatives for 40 digits at 0.5"
        );
        assert!(
            made.chunks_exact(PIXELS)
                .all(|n| !batch.chunks_exact(PIXELS).any(|d| d == n))
        );
    }

    #[test]
    fn every_noisy_copy_differs_and_stays_in_range() {
        let batch = synthetic_dataset().images(&[0, 1, 2]);
        let noisy = corrupted(&batch, &mut SplitMix64::new(3)).unwrap();
        assert_eq!(noisy.len(), batch.len());
        assert!(noisy.iter().all(|v| (0.0..=1.0).contains(v)));
        for (k, (noisy, clean)) in noisy
            .chunks_exact(PIXELS)
            .zip(batch.chunks_exact(PIXELS))
            .enumerate()
        {
            let changed = noisy.iter().zip(clean).filter(|(a, b)| a != b).count();
            assert!(changed > 0, "noisy copy {k} is the clean digit");
        }
    }
}
