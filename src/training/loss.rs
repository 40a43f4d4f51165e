//! The losses training descends, on tensors (evaluation measures on plain slices, with
//! [`crate::util::metrics`]).

use burn::prelude::*;

use crate::util::metrics::BCE_EPSILON;

/// Mean per-pixel binary cross-entropy between predictions in 0…1 and targets in 0…1.
///
/// Written out with clamps rather than burn's `BinaryCrossEntropyLoss`, which wants integer
/// targets; MNIST's grey levels are real numbers.
///
/// # Shapes
/// - `predictions`, `targets`: `[batch, pixels]`
/// - returns: `[1]`
pub fn binary_cross_entropy(predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    let p = predictions.clamp(BCE_EPSILON, 1.0 - BCE_EPSILON);
    let per_pixel =
        targets.clone() * p.clone().log() + (targets.neg() + 1.0) * (p.neg() + 1.0).log();
    per_pixel.mean().neg()
}

/// The KL divergence of each image's code distribution N(μ, σ²) (diagonal) from the prior
/// N(0, I), in nats, averaged over the images: the variational autoencoder's regulariser, in
/// closed form, `½ Σ (μ² + σ² − 1 − log σ²)` over the code's L numbers.
///
/// # Shapes
/// - `mean`, `log_variance`: `[batch, L]`
/// - returns: `[1]`
pub fn gaussian_kl(mean: Tensor<2>, log_variance: Tensor<2>) -> Tensor<1> {
    let per_number = mean.square() + log_variance.clone().exp() - log_variance - 1.0;
    (per_number.sum_dim(1) * 0.5).mean()
}

/// The outlier-exposure hinge: for each image its reconstruction MSE's shortfall below
/// `margin` (0 when the error is above it), averaged over the images. Teaches a network not
/// to rebuild non-digits, and only up to the margin.
///
/// # Shapes
/// - `reconstructions`, `images`: `[negatives, pixels]`
/// - returns: `[1]`
pub fn shortfall_below_margin(
    reconstructions: Tensor<2>,
    images: Tensor<2>,
    margin: f32,
) -> Tensor<1> {
    // [negatives, 1]: each image's reconstruction MSE.
    let errors = (reconstructions - images).square().mean_dim(1);
    burn::tensor::activation::relu(errors.neg() + margin).mean()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::metrics::Metrics;

    #[test]
    fn the_hinge_counts_only_errors_below_the_margin() {
        let device = crate::device();
        // Two images of 4 pixels rebuilt with MSE 0.01 and 0.09.
        let images = Tensor::<2>::from_data(TensorData::new(vec![0.5f32; 8], [2, 4]), &device);
        let rebuilt = Tensor::<2>::from_data(
            TensorData::new(vec![0.6f32, 0.4, 0.6, 0.4, 0.8, 0.2, 0.8, 0.2], [2, 4]),
            &device,
        );
        let hinge = |margin| {
            shortfall_below_margin(rebuilt.clone(), images.clone(), margin).into_scalar::<f32>()
        };
        assert!(hinge(0.005).abs() < 1e-7, "both above the margin");
        assert!(
            (hinge(0.05) - 0.04 / 2.0).abs() < 1e-6,
            "only the first, by 0.04"
        );
        assert!((hinge(0.1) - (0.09 + 0.01) / 2.0).abs() < 1e-6, "both");
    }

    #[test]
    fn the_kl_term_is_its_closed_form_and_what_sampling_estimates() {
        let device = crate::device();
        let (mean, log_variance) = ([1.0f32, -0.5, 0.0], [0.5f32, -1.0, 0.0]);
        let as_tensor =
            |v: &[f32]| Tensor::<2>::from_data(TensorData::new(v.to_vec(), [1, 3]), &device);
        let kl = gaussian_kl(as_tensor(&mean), as_tensor(&log_variance)).into_scalar::<f32>();
        // ½ Σ (μ² + σ² − 1 − log σ²), number by number.
        let by_hand = 0.5 * ((1.0 + 0.5f64.exp() - 1.0 - 0.5) + (0.25 + (-1f64).exp() - 1.0 + 1.0));
        assert!((kl as f64 - by_hand).abs() < 1e-5, "{kl} vs {by_hand}");
        // The same divergence estimated from draws of q: E_q[log q(z) − log p(z)].
        let mut rng = crate::util::rng::SplitMix64::new(5);
        let draws = 200_000;
        let mut estimate = 0.0;
        for _ in 0..draws {
            for (&mu, &lv) in mean.iter().zip(&log_variance) {
                let sigma = (0.5 * lv as f64).exp();
                let epsilon = rng.standard_normal();
                let z = mu as f64 + sigma * epsilon;
                // log q(z) − log p(z); the 2π terms cancel.
                estimate += -0.5 * epsilon * epsilon - sigma.ln() + 0.5 * z * z;
            }
        }
        estimate /= draws as f64;
        assert!((estimate - by_hand).abs() < 0.02, "{estimate} vs {by_hand}");
        // A code that is the prior costs nothing.
        let zero = gaussian_kl(as_tensor(&[0.0; 3]), as_tensor(&[0.0; 3])).into_scalar::<f32>();
        assert!(zero.abs() < 1e-7);
    }

    #[test]
    fn the_training_loss_matches_the_evaluation_metric() {
        let device = crate::device();
        let p = [0.1f32, 0.9, 0.5, 0.0];
        let t = [0.0f32, 1.0, 0.25, 1.0];
        let as_tensor =
            |v: &[f32]| Tensor::<2>::from_data(TensorData::new(v.to_vec(), [1, 4]), &device);
        let bce = binary_cross_entropy(as_tensor(&p), as_tensor(&t)).into_scalar::<f32>();
        let metrics = Metrics::between(&p, &t);
        assert!(
            (bce as f64 - metrics.bce).abs() < 1e-4,
            "{bce} vs {}",
            metrics.bce
        );
        // The clamp keeps a confident wrong pixel finite: -ln(1e-7) ≈ 16.1.
        assert!(metrics.bce.is_finite() && metrics.bce > 16.1 / 4.0);
    }
}
