//! Straight-line interpolation between two codes (or two images).

use crate::util::error::{Error, Result, check_exact};

/// `steps` vectors evenly spaced on the straight line from `from` to `to`, both included.
pub fn interpolate(from: &[f32], to: &[f32], steps: usize) -> Result<Vec<Vec<f32>>> {
    check_exact("interpolation end", to, from.len())?;
    check_exact("interpolation start", from, to.len())?;
    if steps < 2 {
        return Err(Error::InvalidInput(format!(
            "an interpolation needs at least 2 steps, got {steps}"
        )));
    }
    Ok((0..steps)
        .map(|k| {
            let t = k as f32 / (steps - 1) as f32;
            // (1 − t)·a + t·b, not a + t·(b − a): only this form ends exactly on b.
            from.iter()
                .zip(to)
                .map(|(a, b)| (1.0 - t) * a + t * b)
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_starts_and_ends_at_the_two_codes() {
        let (a, b) = ([0.0, 2.0, -1.0], [4.0, 2.0, 1.0]);
        let path = interpolate(&a, &b, 9).unwrap();
        assert_eq!(path.len(), 9);
        assert_eq!(path[0], a);
        assert_eq!(path[8], b);
        assert_eq!(path[4], vec![2.0, 2.0, 0.0]);
        // Awkward values too: the ends are exact, not merely close.
        let (c, d) = ([-0.170_478_33_f32, 11.865_889], [4.512_189_f32, -2.100_681]);
        let path = interpolate(&c, &d, 7).unwrap();
        assert_eq!((path[0].as_slice(), path[6].as_slice()), (&c[..], &d[..]));
        assert!(interpolate(&a, &b[..2], 9).is_err());
        assert!(interpolate(&a, &b, 1).is_err());
    }
}
