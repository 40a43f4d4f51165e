//! Reconstruction quality on plain slices: what evaluation, the anomaly score and the page's
//! readouts all measure.

use super::image::PIXELS;

/// Predictions are kept this far from 0 and 1 so that `ln` stays finite (in training's loss
/// too, so that the two agree).
pub const BCE_EPSILON: f32 = 1e-7;

/// Reconstruction quality of a set of images, each metric a mean per pixel.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Metrics {
    /// Mean squared error.
    pub mse: f64,
    /// Binary cross-entropy (with the same clamp as training).
    pub bce: f64,
    /// Peak signal-to-noise ratio in dB, for pixel range 1 (from `mse`).
    pub psnr: f64,
}

impl Metrics {
    /// Metrics of `predictions` against `targets`, both flat pixel arrays of equal length.
    pub fn between(predictions: &[f32], targets: &[f32]) -> Self {
        assert_eq!(
            predictions.len(),
            targets.len(),
            "metrics of unequal lengths"
        );
        let n = predictions.len().max(1) as f64;
        let (mut squared, mut cross_entropy) = (0.0f64, 0.0f64);
        for (&p, &t) in predictions.iter().zip(targets) {
            let (p, t) = (p as f64, t as f64);
            squared += (p - t) * (p - t);
            let p = p.clamp(BCE_EPSILON as f64, 1.0 - BCE_EPSILON as f64);
            cross_entropy -= t * p.ln() + (1.0 - t) * (1.0 - p).ln();
        }
        let mse = squared / n;
        Self {
            mse,
            bce: cross_entropy / n,
            psnr: psnr(mse),
        }
    }
}

/// PSNR in dB of a mean squared error, for pixel range 1. Infinite for a perfect match.
pub fn psnr(mse: f64) -> f64 {
    -10.0 * mse.log10()
}

/// Mean squared difference of two equal-length arrays.
///
/// # Panics
/// When the lengths differ: callers check their inputs first.
pub fn mean_squared_error(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "mean squared error of unequal lengths");
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f32>() / a.len().max(1) as f32
}

/// The largest absolute difference between two equal-length arrays (how far apart two
/// computations of the same thing are).
///
/// # Panics
/// When the lengths differ, which is a difference no tolerance should hide.
pub fn max_abs_difference(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "arrays of unequal lengths compared");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// Each image's mean squared error (images of 784 pixels, concatenated, row for row): the
/// anomaly score. (Scaling it by the image's ink was tried and separated the probes from the
/// digits less well.)
pub fn per_image_mse(outputs: &[f32], inputs: &[f32]) -> Vec<f32> {
    outputs
        .chunks_exact(PIXELS)
        .zip(inputs.chunks_exact(PIXELS))
        .map(|(output, input)| mean_squared_error(output, input))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_of_known_errors() {
        let metrics = Metrics::between(&[0.1, 0.9, 0.5, 0.0], &[0.0, 1.0, 0.25, 1.0]);
        assert!((metrics.mse - (0.01 + 0.01 + 0.0625 + 1.0) / 4.0).abs() < 1e-7);
        // The clamp keeps a confident wrong pixel finite: -ln(1e-7) ≈ 16.1.
        assert!(metrics.bce.is_finite() && metrics.bce > 16.1 / 4.0);
        assert!((psnr(0.01) - 20.0).abs() < 1e-9);
        assert!(psnr(0.0).is_infinite());
    }

    #[test]
    fn per_image_errors_are_each_images_mean_squared_error() {
        let inputs = vec![0.0; 2 * PIXELS];
        let mut outputs = inputs.clone();
        outputs[PIXELS..].fill(0.5);
        assert_eq!(per_image_mse(&outputs, &inputs), [0.0, 0.25]);
        assert_eq!(mean_squared_error(&[1.0, 3.0], &[0.0, 1.0]), 2.5);
        assert_eq!(max_abs_difference(&[1.0, 3.0], &[0.5, 1.0]), 2.0);
    }

    #[test]
    #[should_panic(expected = "unequal lengths")]
    fn arrays_of_different_lengths_are_never_close() {
        max_abs_difference(&[1.0], &[1.0, 2.0]);
    }
}
