//! A visitor's shape collection: a name and a few examples of one shape (28×28 images made from
//! drawings or pictures, see [`crate::drawing`]), and its file, which the page exports and
//! imports. The file has the crate's frame (see [`crate::util::container`]):
//!
//! ```text
//! offset  size  field
//!      0  8     magic "AEPG-SHP"
//!      8  4     format version (u32 LE), 1
//!     12  4     examples (u32 LE)
//!     16  4     name length in bytes (u32 LE)
//!     20  4     CRC-32 of everything after this field
//!     24  …     the name (UTF-8), then each example's 784 pixels (f32 LE, 0…1)
//! ```
//!
//! Pixels are stored as f32, as the page holds them, so an exported collection imports to the
//! very images it had (a few kilobytes per example).

use crate::util::container::Format;
use crate::util::error::{Error, Result, check_pixel_range, check_rows};
use crate::util::image::PIXELS;

/// The most examples a collection holds: twenty drawings are enough to learn a shape, and the
/// page shows every example's thumbnail and reconstruction.
pub const MAX_EXAMPLES: usize = 100;
/// The longest name, in characters (the classifier shows it beside the ten digits).
pub const MAX_NAME_CHARS: usize = 40;

const FORMAT_VERSION: u32 = 1;
const PREAMBLE_LEN: usize = 24;
const FORMAT: Format = Format {
    what: "a shape collection file",
    magic: b"AEPG-SHP",
    version_width: 4,
    versions: FORMAT_VERSION..=FORMAT_VERSION,
    checksum_at: PREAMBLE_LEN - 4,
    max_len: Some((MAX_FILE_BYTES, too_large)),
};
/// No collection file is larger: the longest name and the most examples.
const MAX_FILE_BYTES: usize = PREAMBLE_LEN + 4 * MAX_NAME_CHARS + MAX_EXAMPLES * PIXELS * 4;

fn too_large(len: usize) -> String {
    format!("{len} bytes, larger than any collection of {MAX_EXAMPLES} examples")
}

fn damaged(what: String) -> Error {
    Error::DataFile(format!("shape collection file: {what}"))
}

/// A named shape and its examples.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeCollection {
    name: String,
    /// `n × 784` pixels in 0…1.
    examples: Vec<f32>,
}

impl ShapeCollection {
    /// A collection of `examples` (`n × 784` pixels in 0…1, n ≤ [`MAX_EXAMPLES`], none blank)
    /// named `name` (trimmed; empty means "not named yet").
    pub fn new(name: &str, examples: Vec<f32>) -> Result<Self> {
        let name = check_name(name)?;
        if !examples.is_empty() {
            let count = check_rows("the examples", &examples, PIXELS)?;
            check_pixel_range("the examples", &examples)?;
            if count > MAX_EXAMPLES {
                return Err(Error::InvalidInput(format!(
                    "a collection holds at most {MAX_EXAMPLES} examples, not {count}"
                )));
            }
            if let Some(blank) = examples
                .chunks_exact(PIXELS)
                .position(|example| example.iter().all(|&v| v == 0.0))
            {
                return Err(Error::InvalidInput(format!(
                    "example {} is blank",
                    blank + 1
                )));
            }
        }
        Ok(Self { name, examples })
    }

    /// The shape's name ("" when it has none yet).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The examples, `len() × 784` pixels.
    pub fn examples(&self) -> &[f32] {
        &self.examples
    }

    /// How many examples it has.
    pub fn len(&self) -> usize {
        self.examples.len() / PIXELS
    }

    /// Whether it has no examples.
    pub fn is_empty(&self) -> bool {
        self.examples.is_empty()
    }

    /// The collection as a file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut fields = Vec::with_capacity(8);
        fields.extend_from_slice(&(self.len() as u32).to_le_bytes());
        fields.extend_from_slice(&(self.name.len() as u32).to_le_bytes());
        let mut body = self.name.as_bytes().to_vec();
        body.extend(self.examples.iter().flat_map(|v| v.to_le_bytes()));
        FORMAT.write(FORMAT_VERSION, &fields, &body)
    }

    /// Reads a collection file, refusing a damaged one (truncated, altered, from a newer build,
    /// not a collection) with the reason.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let (preamble, body) = FORMAT.open(bytes, damaged, |preamble| {
            let count = preamble.u32(12) as u64;
            let name_len = preamble.u32(16) as u64;
            Ok(PREAMBLE_LEN as u64 + name_len + count * PIXELS as u64 * 4)
        })?;
        let name_len = preamble.u32(16) as usize;
        let name = std::str::from_utf8(&body[..name_len])
            .map_err(|_| damaged("the name is not UTF-8 text".into()))?;
        let examples = body[name_len..]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Self::new(name, examples).map_err(|error| damaged(error.to_string()))
    }
}

/// `name` trimmed, or why it cannot name a shape.
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(Error::InvalidInput(format!(
            "the name has {chars} characters: at most {MAX_NAME_CHARS}"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::InvalidInput(
            "the name has a control character".into(),
        ));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(seed: usize) -> Vec<f32> {
        (0..PIXELS)
            .map(|i| ((i * 7 + seed) % 11) as f32 / 10.0)
            .collect()
    }

    fn collection() -> ShapeCollection {
        ShapeCollection::new("  Äpfel ", [example(1), example(2), example(3)].concat()).unwrap()
    }

    #[test]
    fn a_collection_round_trips_through_its_file() {
        let original = collection();
        assert_eq!(original.name(), "Äpfel");
        assert_eq!(original.len(), 3);
        let read = ShapeCollection::from_bytes(&original.to_bytes()).unwrap();
        assert_eq!(read, original);
        let empty = ShapeCollection::new("", Vec::new()).unwrap();
        assert!(empty.is_empty());
        assert_eq!(
            ShapeCollection::from_bytes(&empty.to_bytes()).unwrap(),
            empty
        );
    }

    #[test]
    fn a_damaged_file_is_refused_with_the_reason() {
        let bytes = collection().to_bytes();
        let error = |bytes: &[u8]| ShapeCollection::from_bytes(bytes).unwrap_err().to_string();
        assert!(error(&bytes[..bytes.len() - 10]).contains("truncated"));
        assert!(error(&bytes[..10]).contains("truncated"));
        let mut flipped = bytes.clone();
        flipped[PREAMBLE_LEN + 500] ^= 0x10;
        assert!(error(&flipped).contains("checksum"), "{}", error(&flipped));
        let mut future = bytes.clone();
        future[8] = 2;
        let message = error(&future);
        assert!(message.contains("newer build"), "{message}");
        assert!(message.starts_with("shape collection file"), "{message}");
        assert!(error(b"not a collection at all, just text").contains("magic"));
        assert!(error(&[]).contains("empty"));
    }

    #[test]
    fn bad_examples_and_names_are_refused() {
        let error = |name: &str, examples: Vec<f32>| {
            ShapeCollection::new(name, examples)
                .unwrap_err()
                .to_string()
        };
        assert!(error("x", vec![0.5; 100]).contains("multiple of 784"));
        assert!(error("x", vec![1.5; PIXELS]).contains("0…1"));
        assert!(
            error("x", [example(1), vec![0.0; PIXELS]].concat()).contains("example 2 is blank")
        );
        assert!(error(&"long".repeat(11), example(1)).contains("at most 40"));
        assert!(error("a\u{7}b", example(1)).contains("control"));
        let too_many = (0..=MAX_EXAMPLES).flat_map(example).collect();
        assert!(error("x", too_many).contains("at most 100 examples"));
    }
}
