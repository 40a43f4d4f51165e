//! The CRC-32 that every file of the crate carries (model files, data files, the PCA baseline),
//! written and checked here. A fuzzing build (`cfg(fuzzing)`, which cargo-fuzz sets) takes any
//! stored checksum as right, so that mutated files reach the checks behind it instead of all
//! failing this one; every other build checks it.

/// The checksum of `bytes`, as the files store it.
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// Whether `bytes` still have the checksum `stored` with them.
pub fn is_intact(bytes: &[u8], stored: u32) -> bool {
    cfg!(fuzzing) || crc32(bytes) == stored
}
