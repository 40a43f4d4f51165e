//! Weight codes of 2 to 8 bits packed end to end: the bit layout of a model file's packed
//! weight matrices (encoding 3, see [`super::weights`]).

/// Appends `codes` to `out` as `bits`-bit two's-complement integers, least significant bits
/// first, with no padding between codes (the last byte is zero-padded).
pub(super) fn write_packed(out: &mut Vec<u8>, codes: &[i8], bits: u8) {
    let mask = (1u32 << bits) - 1;
    let (mut buffer, mut filled) = (0u32, 0u8);
    for &q in codes {
        buffer |= (q as i32 as u32 & mask) << filled;
        filled += bits;
        while filled >= 8 {
            out.push(buffer as u8);
            buffer >>= 8;
            filled -= 8;
        }
    }
    if filled > 0 {
        out.push(buffer as u8);
    }
}

/// The `count` codes [`write_packed`] wrote into `bytes` (missing bytes read as zeros).
pub(super) fn read_packed(bytes: &[u8], count: usize, bits: u8) -> Vec<i8> {
    let mask = (1u64 << bits) - 1;
    let sign = 1u64 << (bits - 1);
    // Sign-extends a b-bit two's-complement value.
    let code = |raw: u64| ((raw ^ sign).wrapping_sub(sign)) as i8;
    let mut codes = Vec::with_capacity(count);
    // Eight codes fill exactly `bits` bytes: whole groups are read a word at a time (a page's
    // first model load unpacks a million codes).
    let groups = count / 8;
    for group in bytes.chunks_exact(bits as usize).take(groups) {
        let mut word = [0u8; 8];
        word[..group.len()].copy_from_slice(group);
        let mut word = u64::from_le_bytes(word);
        for _ in 0..8 {
            codes.push(code(word & mask));
            word >>= bits;
        }
    }
    let (mut buffer, mut filled) = (0u64, 0u8);
    let mut rest = bytes.iter().skip(groups * bits as usize);
    while codes.len() < count {
        while filled < bits {
            buffer |= (*rest.next().unwrap_or(&0) as u64) << filled;
            filled += 8;
        }
        codes.push(code(buffer & mask));
        buffer >>= bits;
        filled -= bits;
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model_file::tensor::{BITS, levels};

    #[test]
    fn every_bit_width_packs_and_unpacks_every_code() {
        for bits in BITS {
            let top = levels(bits) as i8;
            let codes: Vec<i8> = (0..37)
                .map(|i| (i % (2 * top as i32 + 1)) as i8 - top)
                .collect();
            let mut bytes = Vec::new();
            write_packed(&mut bytes, &codes, bits);
            assert_eq!(bytes.len(), (codes.len() * bits as usize).div_ceil(8));
            assert_eq!(read_packed(&bytes, codes.len(), bits), codes, "{bits} bits");
        }
    }
}
