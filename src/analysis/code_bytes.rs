//! A code as bytes: what an autoencoder's (or PCA's) L numbers cost to store or send, for the
//! comparison with general-purpose image codecs. Each number becomes one byte on a 256-step
//! grid between the code's own smallest and largest number, which are kept as two f32s.

use crate::util::error::{Result, check_rows};

/// Bytes that hold the two ends of the grid.
const ENDS_BYTES: usize = 8;

/// Bytes a code of `len` numbers takes at one byte per number.
pub fn byte_size(len: usize) -> usize {
    len + ENDS_BYTES
}

/// `code` as it comes back from its bytes: each number rounded to the nearest of 256 steps
/// from the code's smallest number to its largest.
pub fn round_to_bytes(code: &[f32]) -> Result<Vec<f32>> {
    check_rows("code", code, code.len().max(1))?;
    let (low, high) = code
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let step = (high - low) / 255.0;
    if step == 0.0 {
        return Ok(code.to_vec());
    }
    Ok(code
        .iter()
        .map(|&v| low + ((v - low) / step).round() * step)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_keeps_its_ends_and_moves_by_at_most_half_a_step() {
        let code = [-3.0, 0.1234, 2.5, 7.0, 6.99];
        let back = round_to_bytes(&code).unwrap();
        assert_eq!((back[0], back[3]), (-3.0, 7.0));
        let half_step = 10.0 / 255.0 / 2.0;
        assert!(
            code.iter()
                .zip(&back)
                .all(|(a, b)| (a - b).abs() <= half_step + 1e-6)
        );
        assert_eq!(byte_size(code.len()), 13);
    }

    #[test]
    fn flat_codes_and_bad_input() {
        assert_eq!(round_to_bytes(&[0.5, 0.5]).unwrap(), [0.5, 0.5]);
        assert!(round_to_bytes(&[]).is_err());
        assert!(round_to_bytes(&[1.0, f32::NAN]).is_err());
    }
}
