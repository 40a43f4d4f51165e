//! Dropout's keep-masks for a training batch, from the trainer's own seeded stream.
//!
//! burn's `Dropout` draws each mask through `random_like` (a Bernoulli sampler per tensor, from
//! the device's shared generator): a sixth of a batch-64 step (BENCHMARKS.md), and in an order
//! that threads sharing the generator would make unrepeatable. Here each mask number is one
//! half of one SplitMix64 output, and a batch's masks are drawn whole, row after row, before
//! its forward pass: however the batch is then split across threads, the same seed drops out
//! the same activations.

/// A seeded stream of dropout keep-masks.
#[derive(Debug, Clone)]
pub struct MaskStream {
    state: u64,
    /// A mask number below this (out of 2³²) drops its activation.
    drop_below: u64,
    /// What a kept activation is multiplied by: 1 / (1 − rate).
    keep_scale: f32,
}

/// One batch's keep-masks: for each dropped layer, `rows` × its width numbers, row-major,
/// each 0 or 1 / (1 − rate).
#[derive(Debug, Clone, PartialEq)]
pub struct BatchMasks {
    pub rows: usize,
    pub layers: Vec<(usize, Vec<f32>)>,
}

impl MaskStream {
    /// A stream dropping out `rate` (in 0…1) of the activations, from `seed`.
    pub fn new(seed: u64, rate: f64) -> Self {
        // The same seed also initialises the weights, through burn's generator; the stream is
        // offset so that it does not merely replay those numbers.
        const STREAM_OFFSET: u64 = 0x6a09_e667_f3bc_c908;
        Self {
            state: seed ^ STREAM_OFFSET,
            drop_below: (rate * 4_294_967_296.0) as u64,
            keep_scale: (1.0 / (1.0 - rate)) as f32,
        }
    }

    /// The masks of a batch of `rows` images for layers `widths` wide.
    pub fn draw(&mut self, rows: usize, widths: &[usize]) -> BatchMasks {
        let layers = widths
            .iter()
            .map(|&width| {
                let mut mask = Vec::with_capacity(rows * width);
                while mask.len() < rows * width {
                    let bits = self.next();
                    mask.push(self.keep(bits & 0xffff_ffff));
                    mask.push(self.keep(bits >> 32));
                }
                mask.truncate(rows * width);
                (width, mask)
            })
            .collect();
        BatchMasks { rows, layers }
    }

    fn keep(&self, number: u64) -> f32 {
        if number < self.drop_below {
            0.0
        } else {
            self.keep_scale
        }
    }

    /// SplitMix64 (Steele, Lea and Flood 2014): one add and three multiply-xorshifts per 64
    /// bits, statistically sound for masks and a few times cheaper than a Bernoulli sampler.
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl BatchMasks {
    /// Rows `start .. start + count` of every layer's mask.
    pub fn rows(&self, start: usize, count: usize) -> Vec<(usize, &[f32])> {
        self.layers
            .iter()
            .map(|(width, mask)| (*width, &mask[start * width..(start + count) * width]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_drop_about_the_rate_and_scale_what_they_keep() {
        for rate in [0.0, 0.25, 0.5, 0.9] {
            let masks = MaskStream::new(3, rate).draw(64, &[512, 7]);
            assert_eq!(masks.layers.len(), 2);
            assert_eq!(masks.layers[1].1.len(), 64 * 7);
            let mask = &masks.layers[0].1;
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
        let draw = |seed| MaskStream::new(seed, 0.5).draw(4, &[9, 3]);
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
        let mut stream = MaskStream::new(1, 0.5);
        assert_ne!(stream.draw(4, &[9, 3]), stream.draw(4, &[9, 3]));
    }

    #[test]
    fn rows_are_cut_from_every_layer() {
        let masks = MaskStream::new(5, 0.5).draw(4, &[3, 2]);
        let rows = masks.rows(1, 2);
        assert_eq!(rows[0], (3, &masks.layers[0].1[3..9]));
        assert_eq!(rows[1], (2, &masks.layers[1].1[2..6]));
    }
}
