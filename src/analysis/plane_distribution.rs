//! A variational code on the latent map: the diagonal Gaussian N(μ, σ²) the encoder gives a
//! drawing, seen through the map's projection. The projection is affine, so the distribution
//! stays Gaussian on the plane: its mean is the projected μ and its covariance follows from
//! where the projection takes one standard deviation along each latent axis.

use serde::Serialize;

use super::pca::PlaneProjection;
use crate::util::error::{Error, Result, check_exact, check_finite};
use crate::util::rng::SplitMix64;

/// Most draws one call shows (the map shows a few hundred).
pub const MAX_DRAWS: usize = 50_000;

/// A code distribution on the plane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaneDistribution {
    /// Codes drawn from the distribution, projected: x, y of each, concatenated.
    pub cloud: Vec<f32>,
    /// The projected mean (x, y).
    pub mean: [f64; 2],
    /// The covariance on the plane, `[xx, xy, yy]`.
    pub covariance: [f64; 3],
}

/// `mean` and `log_variance` (L numbers each, a variational code) on `plane`, with `draws`
/// codes drawn from it: the same `seed`, the same standard-normal draws, so a cloud drawn
/// again for a changed distribution moves instead of flickering.
pub fn project_distribution(
    plane: &PlaneProjection,
    mean: &[f32],
    log_variance: &[f32],
    draws: usize,
    seed: u64,
) -> Result<PlaneDistribution> {
    let latent = plane.dim();
    check_exact("mean", mean, latent)?;
    check_exact("log-variance", log_variance, latent)?;
    check_finite("log-variance", log_variance)?;
    if draws > MAX_DRAWS {
        return Err(Error::InvalidInput(format!(
            "{draws} draws is above {MAX_DRAWS}"
        )));
    }
    let sigma: Vec<f32> = log_variance.iter().map(|v| (0.5 * v).exp()).collect();
    let mut rng = SplitMix64::new(seed);
    let codes: Vec<f32> = (0..draws)
        .flat_map(|_| {
            mean.iter()
                .zip(&sigma)
                .map(|(m, s)| m + s * rng.standard_normal() as f32)
                .collect::<Vec<_>>()
        })
        .collect();
    let cloud = if draws == 0 {
        Vec::new()
    } else {
        plane.project(&codes)?
    };

    // The mean, then the mean moved by one σ along each latent axis.
    let mut probes = mean.repeat(latent + 1);
    for (axis, s) in sigma.iter().enumerate() {
        probes[(axis + 1) * latent + axis] += s;
    }
    let projected = plane.project(&probes)?;
    let centre = [projected[0] as f64, projected[1] as f64];
    let mut covariance = [0.0; 3];
    for point in projected.chunks_exact(2).skip(1) {
        let (dx, dy) = (point[0] as f64 - centre[0], point[1] as f64 - centre[1]);
        covariance[0] += dx * dx;
        covariance[1] += dx * dy;
        covariance[2] += dy * dy;
    }
    Ok(PlaneDistribution {
        cloud,
        mean: centre,
        covariance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_a_two_number_plane_the_covariance_is_the_variances() {
        let plane = PlaneProjection::fit(&[0.0, 0.0, 1.0, 1.0, 2.0, -1.0], 2).unwrap();
        let (mean, log_variance) = ([1.0, -2.0], [0.25f32.ln(), 4f32.ln()]);
        let shown = project_distribution(&plane, &mean, &log_variance, 20_000, 3).unwrap();
        assert_eq!(shown.mean, [1.0, -2.0]);
        let [xx, xy, yy] = shown.covariance;
        assert!((xx - 0.25).abs() < 1e-6 && xy.abs() < 1e-9 && (yy - 4.0).abs() < 1e-5);
        // The cloud has that spread too.
        let xs: Vec<f64> = shown.cloud.iter().step_by(2).map(|&v| v as f64).collect();
        let average = xs.iter().sum::<f64>() / xs.len() as f64;
        let variance = xs.iter().map(|x| (x - average).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!((average - 1.0).abs() < 0.02 && (variance - 0.25).abs() < 0.02);
        assert_eq!(
            shown,
            project_distribution(&plane, &mean, &log_variance, 20_000, 3).unwrap()
        );
    }

    #[test]
    fn a_projected_distribution_matches_its_cloud() {
        // Three-number codes spread mostly along the first two axes.
        let codes: Vec<f32> = (0..300)
            .flat_map(|i| {
                let t = i as f32 / 30.0;
                [t.sin() * 3.0, t.cos() * 2.0, (i % 7) as f32 * 0.01]
            })
            .collect();
        let plane = PlaneProjection::fit(&codes, 3).unwrap();
        let shown =
            project_distribution(&plane, &[0.5, -0.5, 0.0], &[0.0, -1.0, -2.0], 40_000, 9).unwrap();
        let n = (shown.cloud.len() / 2) as f64;
        let (mut sx, mut sy) = (0.0, 0.0);
        for p in shown.cloud.chunks_exact(2) {
            sx += p[0] as f64;
            sy += p[1] as f64;
        }
        let (ax, ay) = (sx / n, sy / n);
        let mut empirical = [0.0; 3];
        for p in shown.cloud.chunks_exact(2) {
            let (dx, dy) = (p[0] as f64 - ax, p[1] as f64 - ay);
            empirical[0] += dx * dx / n;
            empirical[1] += dx * dy / n;
            empirical[2] += dy * dy / n;
        }
        assert!((ax - shown.mean[0]).abs() < 0.02 && (ay - shown.mean[1]).abs() < 0.02);
        for (e, c) in empirical.iter().zip(shown.covariance) {
            assert!(
                (e - c).abs() < 0.03,
                "{empirical:?} vs {:?}",
                shown.covariance
            );
        }
    }

    #[test]
    fn bad_codes_are_refused() {
        let plane = PlaneProjection::fit(&[0.0, 0.0, 1.0, 1.0], 2).unwrap();
        assert!(project_distribution(&plane, &[0.0], &[0.0, 0.0], 10, 1).is_err());
        assert!(project_distribution(&plane, &[0.0, 0.0], &[f32::NAN, 0.0], 10, 1).is_err());
        assert!(project_distribution(&plane, &[0.0, 0.0], &[0.0, 0.0], MAX_DRAWS + 1, 1).is_err());
    }
}
