//! A Gaussian fitted to a plain autoencoder's codes: what a variational autoencoder's prior is
//! by construction, estimated after the fact. Drawing codes from it and decoding them shows why
//! a plain autoencoder is a poor generator (its codes fill a lumpy region, not a Gaussian, so
//! many draws land where no digit's code is); its density gives the anomaly score a second
//! opinion, on how usual the code is as well as how well the image was rebuilt.

use crate::util::error::{Error, Result, check_finite, check_rows};
use crate::util::rng::SplitMix64;

/// Added to the covariance's diagonal, as a fraction of its mean variance: keeps it invertible
/// when the codes lie (almost) in a subspace, as LeakyReLU codes can.
const RIDGE: f64 = 1e-6;

/// A multivariate Gaussian N(mean, covariance) over codes of L numbers.
///
/// Written out on plain arrays rather than with nalgebra (which the PCA uses): its generic
/// Cholesky added 7.5 KB gzipped to the page's first download; these L×L loops add little.
#[derive(Debug, Clone)]
pub struct CodeGaussian {
    mean: Vec<f64>,
    /// Lower-triangular L (row-major, L×L) with L·Lᵀ = covariance.
    cholesky: Vec<f64>,
    /// log det(covariance).
    log_determinant: f64,
}

impl CodeGaussian {
    /// The maximum-likelihood Gaussian of `codes` (n × `latent_size` values, row by row,
    /// n > `latent_size`).
    pub fn fit(codes: &[f32], latent_size: usize) -> Result<Self> {
        if latent_size == 0 {
            return Err(Error::InvalidInput("codes need at least one number".into()));
        }
        let rows = check_rows("codes", codes, latent_size)?;
        if rows <= latent_size {
            return Err(Error::InvalidInput(format!(
                "fitting a Gaussian to codes of {latent_size} numbers needs more than \
                 {latent_size} codes, not {rows}"
            )));
        }
        let l = latent_size;
        let mut mean = vec![0.0; l];
        for code in codes.chunks_exact(l) {
            for (m, &v) in mean.iter_mut().zip(code) {
                *m += v as f64 / rows as f64;
            }
        }
        let mut covariance = vec![0.0; l * l];
        for code in codes.chunks_exact(l) {
            for i in 0..l {
                let di = code[i] as f64 - mean[i];
                for j in 0..=i {
                    covariance[i * l + j] += di * (code[j] as f64 - mean[j]) / rows as f64;
                }
            }
        }
        let trace: f64 = (0..l).map(|i| covariance[i * l + i]).sum();
        let ridge = RIDGE * trace / l as f64 + f64::MIN_POSITIVE;
        for i in 0..l {
            covariance[i * l + i] += ridge;
        }
        let cholesky = cholesky(&covariance, l)
            .ok_or_else(|| Error::InvalidInput("the codes' covariance is degenerate".into()))?;
        let log_determinant = 2.0 * (0..l).map(|i| cholesky[i * l + i].ln()).sum::<f64>();
        Ok(Self {
            mean,
            cholesky,
            log_determinant,
        })
    }

    /// Width of the codes.
    pub fn latent_size(&self) -> usize {
        self.mean.len()
    }

    /// `count` codes drawn from the Gaussian (count × L values); the same `seed`, the same codes.
    pub fn sample(&self, count: usize, seed: u64) -> Vec<f32> {
        let mut rng = SplitMix64::new(seed);
        let l = self.latent_size();
        let mut codes = Vec::with_capacity(count * l);
        for _ in 0..count {
            let normal: Vec<f64> = (0..l).map(|_| rng.standard_normal()).collect();
            for i in 0..l {
                let row = &self.cholesky[i * l..i * l + i + 1];
                let offset: f64 = row.iter().zip(&normal).map(|(a, z)| a * z).sum();
                codes.push((self.mean[i] + offset) as f32);
            }
        }
        codes
    }

    /// The log density of `code` (L values), in nats.
    pub fn log_density(&self, code: &[f32]) -> Result<f64> {
        let l = self.latent_size();
        if code.len() != l {
            return Err(Error::InvalidInput(format!(
                "a code of {} numbers, but the Gaussian is over {l}",
                code.len()
            )));
        }
        check_finite("code", code)?;
        // w = L⁻¹(x − μ) by forward substitution; ‖w‖² is the squared Mahalanobis distance.
        let mut whitened = vec![0.0; l];
        for i in 0..l {
            let known: f64 = (0..i).map(|j| self.cholesky[i * l + j] * whitened[j]).sum();
            whitened[i] = (code[i] as f64 - self.mean[i] - known) / self.cholesky[i * l + i];
        }
        let distance: f64 = whitened.iter().map(|w| w * w).sum();
        Ok(-0.5 * (distance + self.log_determinant + l as f64 * std::f64::consts::TAU.ln()))
    }
}

/// The lower-triangular Cholesky factor (row-major) of the symmetric positive-definite
/// `matrix` (n×n, its lower triangle read), or `None` when it is not positive definite.
fn cholesky(matrix: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut factor = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let dot: f64 = (0..j).map(|k| factor[i * n + k] * factor[j * n + k]).sum();
            let value = matrix[i * n + j] - dot;
            if i == j {
                // Not positive (or NaN): the matrix is not positive definite.
                if value.is_nan() || value <= 0.0 {
                    return None;
                }
                factor[i * n + i] = value.sqrt();
            } else {
                factor[i * n + j] = value / factor[j * n + j];
            }
        }
    }
    Some(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes from a known 2-D Gaussian: mean (1, −2), σ = (2, 0.5), correlation 0.6.
    fn known_codes(count: usize) -> Vec<f32> {
        let mut rng = SplitMix64::new(4);
        (0..count)
            .flat_map(|_| {
                let (a, b) = (rng.standard_normal(), rng.standard_normal());
                let x = 1.0 + 2.0 * a;
                let y = -2.0 + 0.5 * (0.6 * a + 0.8 * b);
                [x as f32, y as f32]
            })
            .collect()
    }

    #[test]
    fn it_recovers_a_known_gaussian_and_its_draws_follow_it() {
        let gaussian = CodeGaussian::fit(&known_codes(50_000), 2).unwrap();
        assert!((gaussian.mean[0] - 1.0).abs() < 0.03 && (gaussian.mean[1] + 2.0).abs() < 0.01);
        // L·Lᵀ for the 2×2 factor [[a, 0], [b, c]].
        let [a, _, b, c] = gaussian.cholesky[..] else {
            panic!("a 2×2 factor")
        };
        let covariance = [a * a, a * b, b * b + c * c];
        assert!((covariance[0] - 4.0).abs() < 0.1, "{covariance:?}");
        assert!((covariance[2] - 0.25).abs() < 0.01, "{covariance:?}");
        assert!((covariance[1] - 0.6).abs() < 0.03, "{covariance:?}");
        // Refitting its own draws gives it back.
        let draws = gaussian.sample(50_000, 8);
        assert_eq!(draws, gaussian.sample(50_000, 8));
        let refit = CodeGaussian::fit(&draws, 2).unwrap();
        let moved: f64 = refit
            .mean
            .iter()
            .zip(&gaussian.mean)
            .map(|(a, b)| (a - b).powi(2))
            .sum();
        assert!(moved.sqrt() < 0.03);
    }

    #[test]
    fn the_density_is_the_closed_form() {
        let gaussian = CodeGaussian::fit(&known_codes(50_000), 2).unwrap();
        // At the mean: −½ (log det Σ + 2 ln 2π), det Σ = 4·0.25·(1 − 0.6²) = 0.64.
        let at_mean = [gaussian.mean[0] as f32, gaussian.mean[1] as f32];
        let expected = -0.5 * (0.64f64.ln() + 2.0 * std::f64::consts::TAU.ln());
        assert!((gaussian.log_density(&at_mean).unwrap() - expected).abs() < 0.05);
        // Two σ away along x (y at its conditional mean) is 2 nats less likely: Mahalanobis 2.
        let away = [at_mean[0] + 4.0, at_mean[1] + 0.6];
        let drop = gaussian.log_density(&at_mean).unwrap() - gaussian.log_density(&away).unwrap();
        assert!((drop - 2.0).abs() < 0.1, "{drop}");
        assert!(gaussian.log_density(&[0.0]).is_err());
        assert!(gaussian.log_density(&[f32::NAN, 0.0]).is_err());
    }

    #[test]
    fn too_few_codes_are_refused() {
        assert!(CodeGaussian::fit(&[0.0, 1.0, 2.0, 3.0], 2).is_err());
        assert!(CodeGaussian::fit(&[0.0; 5], 2).is_err());
        // Identical codes are degenerate, but the ridge keeps them usable.
        let flat = CodeGaussian::fit(&[0.5; 20], 2).unwrap();
        assert!(flat.log_density(&[0.5, 0.5]).unwrap().is_finite());
    }
}
