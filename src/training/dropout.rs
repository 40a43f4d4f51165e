//! Dropout's keep-masks for a training batch, from the trainer's own seeded stream.
//!
//! burn's `Dropout` draws each mask through `random_like` (a Bernoulli sampler per tensor, from
//! the device's shared generator): a sixth of a batch-64 step (BENCHMARKS.md), and in an order
//! that threads sharing the generator would make unrepeatable. Here each mask number is one
//! half of one SplitMix64 output, and SplitMix64 can start anywhere in its sequence: every
//! activation of a batch has its fixed place in the stream, so each thread draws the masks of
//! its own rows, and however the batch is split, the same seed drops out the same activations.

use std::ops::Range;

/// A seeded stream of dropout keep-masks, one batch after another.
#[derive(Debug, Clone)]
pub struct MaskStream {
    seed: u64,
    /// Mask numbers handed out so far (each batch's, rounded up to whole outputs).
    drawn: u64,
    /// A mask number below this (out of 2³²) drops its activation.
    drop_below: u64,
    /// What a kept activation is multiplied by: 1 / (1 − rate).
    keep_scale: f32,
}

/// The place of one batch's masks in the stream: for each dropped layer, `rows` × its width
/// numbers, row-major, each 0 or 1 / (1 − rate). [`BatchMasks::rows`] draws them.
#[derive(Debug, Clone)]
pub struct BatchMasks {
    stream: MaskStream,
    rows: usize,
    widths: Vec<usize>,
}

/// SplitMix64's increment (Steele, Lea and Flood 2014).
const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

impl MaskStream {
    /// A stream dropping out `rate` (in 0…1) of the activations, from `seed`.
    pub fn new(seed: u64, rate: f64) -> Self {
        // The same seed also initialises the weights, through burn's generator; the stream is
        // offset so that it does not merely replay those numbers.
        const STREAM_OFFSET: u64 = 0x6a09_e667_f3bc_c908;
        Self {
            seed: seed ^ STREAM_OFFSET,
            drawn: 0,
            drop_below: (rate * 4_294_967_296.0) as u64,
            keep_scale: (1.0 / (1.0 - rate)) as f32,
        }
    }

    /// The masks of the next batch, of `rows` images, for layers `widths` wide.
    pub fn next_batch(&mut self, rows: usize, widths: &[usize]) -> BatchMasks {
        let batch = BatchMasks {
            stream: self.clone(),
            rows,
            widths: widths.to_vec(),
        };
        let numbers = (rows * widths.iter().sum::<usize>()) as u64;
        self.drawn += numbers.next_multiple_of(2);
        batch
    }

    /// The stream's `index`th output: SplitMix64's, one add and three multiply-xorshifts,
    /// statistically sound for masks and a few times cheaper than a Bernoulli sampler.
    fn output(&self, index: u64) -> u64 {
        let mut z = self
            .seed
            .wrapping_add(index.wrapping_add(1).wrapping_mul(GOLDEN_GAMMA));
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Mask numbers `numbers` (counted from the stream's start) as mask values, onto `mask`:
    /// both halves of each output at once, and a lone half at either end.
    fn extend(&self, mask: &mut Vec<f32>, numbers: Range<u64>) {
        let value = |half: u64| {
            if half < self.drop_below {
                0.0
            } else {
                self.keep_scale
            }
        };
        let mut number = numbers.start;
        if number % 2 == 1 && number < numbers.end {
            mask.push(value(self.output(number / 2) >> 32));
            number += 1;
        }
        while number + 2 <= numbers.end {
            let output = self.output(number / 2);
            mask.push(value(output & 0xffff_ffff));
            mask.push(value(output >> 32));
            number += 2;
        }
        if number < numbers.end {
            mask.push(value(self.output(number / 2) & 0xffff_ffff));
        }
    }
}

impl BatchMasks {
    /// Rows `rows` of every layer's mask, each with its width.
    pub fn rows(&self, rows: Range<usize>) -> Vec<(usize, Vec<f32>)> {
        let mut layer_start = self.stream.drawn;
        self.widths
            .iter()
            .map(|&width| {
                let mut mask = Vec::with_capacity(rows.len() * width);
                let start = layer_start + (rows.start * width) as u64;
                let end = layer_start + (rows.end * width) as u64;
                self.stream.extend(&mut mask, start..end);
                layer_start += (self.rows * width) as u64;
                (width, mask)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_drop_about_the_rate_and_scale_what_they_keep() {
        for rate in [0.0, 0.25, 0.5, 0.9] {
            let masks = MaskStream::new(3, rate)
                .next_batch(64, &[512, 7])
                .rows(0..64);
            assert_eq!(masks.len(), 2);
            assert_eq!(masks[1], (7, masks[1].1.clone()));
            assert_eq!(masks[1].1.len(), 64 * 7);
            let mask = &masks[0].1;
            let dropped = mask.iter().filter(|&&m| m == 0.0).count() as f64 / mask.len() as f64;
            assert!(
                (dropped - rate).abs() < 0.01,
                "rate {rate}: dropped {dropped}"
            );
            let keep = (1.0 / (1.0 - rate)) as f32;
            assert!(mask.iter().all(|&m| m == 0.0 || m == keep));
        }
    }

    #[test]
    fn the_seed_decides_the_masks_and_the_stream_moves_on() {
        let draw = |seed| MaskStream::new(seed, 0.5).next_batch(4, &[9, 3]).rows(0..4);
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
        let mut stream = MaskStream::new(1, 0.5);
        let first = stream.next_batch(4, &[9, 3]).rows(0..4);
        assert_ne!(first, stream.next_batch(4, &[9, 3]).rows(0..4));
    }

    #[test]
    fn any_rows_are_the_whole_batch_masks_rows() {
        // Odd widths: rows start in the middle of the stream's outputs.
        let batch = MaskStream::new(5, 0.5).next_batch(5, &[3, 7]);
        let whole = batch.rows(0..5);
        for rows in [0..1, 1..3, 2..5, 4..5] {
            let part = batch.rows(rows.clone());
            for ((width, whole), (part_width, part)) in whole.iter().zip(&part) {
                assert_eq!(width, part_width);
                assert_eq!(
                    &whole[rows.start * width..rows.end * width],
                    part.as_slice()
                );
            }
        }
    }
}
