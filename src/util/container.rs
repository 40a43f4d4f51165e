//! The frame every file of the crate shares, read and written in one place. Each file (the
//! MNIST subset file in `data`, the model file in `model_file`, the classifier file in
//! `model_file::classifier`, the PCA baseline's file in `analysis::baseline`) starts with a
//! preamble:
//!
//! ```text
//! offset  size  field
//!      0  8     magic bytes, the format's own
//!      8  2|4   format version (u16 or u32 LE)
//!   8+w   …     the format's sizes and settings (counts, lengths, dimensions)
//!      c  4     CRC-32 of everything after the preamble (u32 LE)
//!    c+4  …     the body
//! ```
//!
//! [`Format`] describes one format's preamble; [`Format::open`] checks a file against it
//! (length, size cap, magic, version, the length its sizes announce, checksum) before anything
//! in it is used, in that order, each error naming the file the way its format's errors do.

use std::ops::RangeInclusive;

use super::checksum;
use super::error::{Error, Result};

/// One file format's preamble.
#[derive(Debug, Clone)]
pub struct Format {
    /// What a file of this format is, for "not … (wrong magic bytes)": "an MNIST subset file".
    pub what: &'static str,
    /// Its first eight bytes.
    pub magic: &'static [u8; 8],
    /// Bytes of the version field (2 or 4), at offset 8.
    pub version_width: usize,
    /// The versions this build reads.
    pub versions: RangeInclusive<u32>,
    /// Where the body's CRC-32 sits; the preamble ends 4 bytes later.
    pub checksum_at: usize,
    /// The largest file read, if any, and how a larger one is described.
    pub max_len: Option<SizeCap>,
}

/// The largest file a format reads, and why a larger one is not read (given its length).
pub type SizeCap = (usize, fn(usize) -> String);

/// A checked file's preamble, to read its fields from.
#[derive(Debug, Clone, Copy)]
pub struct Preamble<'a> {
    bytes: &'a [u8],
    version: u32,
}

impl Preamble<'_> {
    /// The format version.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The byte at `at`.
    pub fn u8(&self, at: usize) -> u8 {
        self.bytes[at]
    }

    /// The u32 (LE) at `at`.
    pub fn u32(&self, at: usize) -> u32 {
        u32::from_le_bytes(self.bytes[at..at + 4].try_into().unwrap())
    }
}

impl Format {
    /// Bytes before the body.
    pub fn preamble_len(&self) -> usize {
        self.checksum_at + 4
    }

    /// Checks `bytes` against this format and returns its preamble and its body. `expected_len`
    /// checks the preamble's own fields and returns the whole file's length they announce;
    /// `fail` turns a fault into the format's error.
    pub fn open<'a>(
        &self,
        bytes: &'a [u8],
        fail: impl Fn(String) -> Error,
        expected_len: impl FnOnce(&Preamble<'a>) -> Result<u64>,
    ) -> Result<(Preamble<'a>, &'a [u8])> {
        let preamble_len = self.preamble_len();
        if bytes.is_empty() {
            return Err(fail("the file is empty".into()));
        }
        if bytes.len() < preamble_len {
            return Err(fail(format!(
                "truncated: only {} bytes, shorter than the {preamble_len}-byte preamble",
                bytes.len()
            )));
        }
        if let Some((max, too_large)) = self.max_len
            && bytes.len() > max
        {
            return Err(fail(too_large(bytes.len())));
        }
        if &bytes[..8] != self.magic {
            return Err(fail(format!("not {} (wrong magic bytes)", self.what)));
        }
        let version = match self.version_width {
            2 => u16::from_le_bytes([bytes[8], bytes[9]]) as u32,
            _ => u32::from_le_bytes(bytes[8..12].try_into().unwrap()),
        };
        let (oldest, newest) = (*self.versions.start(), *self.versions.end());
        if version > newest {
            let readable = if oldest == newest {
                format!("version {newest}")
            } else {
                format!("versions {oldest} to {newest}")
            };
            return Err(fail(format!(
                "format version {version} comes from a newer build than this one, which reads {readable}: reload the page to get the newest"
            )));
        }
        if version < oldest {
            return Err(fail(format!("format version {version} does not exist")));
        }
        let preamble = Preamble {
            bytes: &bytes[..preamble_len],
            version,
        };
        let expected = expected_len(&preamble)?;
        if bytes.len() as u64 != expected {
            let state = if (bytes.len() as u64) < expected {
                "truncated"
            } else {
                "too long"
            };
            return Err(fail(format!(
                "{state}: {} bytes, but its preamble announces {expected}",
                bytes.len()
            )));
        }
        let body = &bytes[preamble_len..];
        if !checksum::is_intact(body, preamble.u32(self.checksum_at)) {
            return Err(fail("checksum mismatch: the file is corrupt".into()));
        }
        Ok((preamble, body))
    }

    /// A file of this format: the preamble (`fields` are the bytes between the version and the
    /// checksum) and `body`.
    pub fn write(&self, version: u32, fields: &[u8], body: &[u8]) -> Vec<u8> {
        debug_assert_eq!(8 + self.version_width + fields.len(), self.checksum_at);
        let mut bytes = Vec::with_capacity(self.preamble_len() + body.len());
        bytes.extend_from_slice(self.magic);
        bytes.extend_from_slice(&version.to_le_bytes()[..self.version_width]);
        bytes.extend_from_slice(fields);
        bytes.extend_from_slice(&checksum::crc32(body).to_le_bytes());
        bytes.extend_from_slice(body);
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOY: Format = Format {
        what: "a toy file",
        magic: b"TOYFILE!",
        version_width: 2,
        versions: 1..=2,
        checksum_at: 12,
        max_len: None,
    };

    fn open(bytes: &[u8]) -> Result<Vec<u8>> {
        TOY.open(
            bytes,
            |what| Error::DataFile(format!("toy: {what}")),
            |preamble| Ok(TOY.preamble_len() as u64 + preamble.u8(10) as u64),
        )
        .map(|(_, body)| body.to_vec())
    }

    #[test]
    fn a_written_file_opens_and_every_fault_is_named() {
        let good = TOY.write(2, &[3, 0], b"abc");
        assert_eq!(good.len(), 16 + 3);
        assert_eq!(open(&good).unwrap(), b"abc");
        let error = |bytes: &[u8]| open(bytes).unwrap_err().to_string();
        assert_eq!(error(&[]), "toy: the file is empty");
        assert!(error(&good[..5]).contains("truncated: only 5 bytes"));
        assert!(error(&good[..good.len() - 1]).contains("truncated: 18 bytes"));
        assert!(error(&[good.clone(), vec![0]].concat()).contains("too long"));
        let mut changed = good.clone();
        changed[0] = b'X';
        assert!(error(&changed).contains("not a toy file (wrong magic bytes)"));
        let mut changed = good.clone();
        changed[8] = 3;
        assert!(error(&changed).contains("version 3 comes from a newer build"));
        changed[8] = 0;
        assert!(error(&changed).contains("version 0 does not exist"));
        let mut changed = good.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert!(error(&changed).contains("checksum"));
    }
}
