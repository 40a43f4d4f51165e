//! Principal component analysis: the linear baseline an autoencoder is measured against (see
//! [`super::baseline`]), the map of codes of any width onto a plane, and the spread of each
//! latent dimension.

use nalgebra::{DMatrix, SymmetricEigen};

use crate::util::error::{Error, Result, check_exact, check_finite, check_rows};

/// A principal component analysis of a set of vectors.
#[derive(Debug, Clone)]
pub struct Pca {
    mean: Vec<f64>,
    /// Unit principal axes, largest variance first.
    axes: Vec<Vec<f64>>,
    /// Variance along each axis.
    variances: Vec<f64>,
    total_variance: f64,
}

impl Pca {
    /// Fits the `components` leading axes of `rows` (each `dim` numbers, concatenated).
    pub fn fit(rows: &[f32], dim: usize, components: usize) -> Result<Self> {
        if dim == 0 || components == 0 || components > dim {
            return Err(Error::InvalidInput(format!(
                "PCA needs 1 ≤ components ≤ dimensions, got {components} of {dim}"
            )));
        }
        let count = check_rows("PCA input", rows, dim)?;
        if count < 2 {
            return Err(Error::InvalidInput("PCA needs at least two vectors".into()));
        }
        let mut mean = vec![0.0f64; dim];
        for row in rows.chunks_exact(dim) {
            for (m, &v) in mean.iter_mut().zip(row) {
                *m += v as f64;
            }
        }
        mean.iter_mut().for_each(|m| *m /= count as f64);

        let mut covariance = DMatrix::<f64>::zeros(dim, dim);
        let mut centred = vec![0.0f64; dim];
        for row in rows.chunks_exact(dim) {
            for ((c, &v), m) in centred.iter_mut().zip(row).zip(&mean) {
                *c = v as f64 - m;
            }
            for i in 0..dim {
                for j in i..dim {
                    covariance[(i, j)] += centred[i] * centred[j];
                }
            }
        }
        for i in 0..dim {
            for j in i..dim {
                let value = covariance[(i, j)] / (count - 1) as f64;
                covariance[(i, j)] = value;
                covariance[(j, i)] = value;
            }
        }

        let eigen = SymmetricEigen::new(covariance);
        let mut order: Vec<usize> = (0..dim).collect();
        order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]));
        let axes = order[..components]
            .iter()
            .map(|&k| {
                let mut axis: Vec<f64> = eigen.eigenvectors.column(k).iter().copied().collect();
                // An axis's sign is arbitrary; fix it so that results are reproducible.
                let largest = axis
                    .iter()
                    .copied()
                    .fold(0.0f64, |a, v| if v.abs() > a.abs() { v } else { a });
                if largest < 0.0 {
                    axis.iter_mut().for_each(|v| *v = -*v);
                }
                axis
            })
            .collect();
        let variances = order[..components]
            .iter()
            .map(|&k| eigen.eigenvalues[k].max(0.0))
            .collect();
        let total_variance = eigen.eigenvalues.iter().map(|v| v.max(0.0)).sum();
        Ok(Self {
            mean,
            axes,
            variances,
            total_variance,
        })
    }

    /// An analysis from its parts (a file's): `axes` of unit length, largest variance first,
    /// each `mean.len()` numbers.
    pub(crate) fn from_parts(
        mean: Vec<f64>,
        axes: Vec<Vec<f64>>,
        variances: Vec<f64>,
        total_variance: f64,
    ) -> Self {
        debug_assert!(axes.iter().all(|axis| axis.len() == mean.len()));
        debug_assert_eq!(axes.len(), variances.len());
        Self {
            mean,
            axes,
            variances,
            total_variance,
        }
    }

    /// The mean the axes start from.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// Variance along each axis.
    pub fn variances(&self) -> &[f64] {
        &self.variances
    }

    /// Total variance of the fitted vectors, over every dimension.
    pub fn total_variance(&self) -> f64 {
        self.total_variance
    }

    /// Dimensions of the vectors this analysis was fitted to.
    pub fn dim(&self) -> usize {
        self.mean.len()
    }

    /// The fitted axes, largest variance first (each of unit length).
    pub fn axes(&self) -> &[Vec<f64>] {
        &self.axes
    }

    /// Share of the total variance each axis explains (0…1).
    pub fn explained_variance_ratio(&self) -> Vec<f64> {
        self.variances
            .iter()
            .map(|v| {
                if self.total_variance > 0.0 {
                    v / self.total_variance
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// Coordinates of `vector` along the axes.
    pub fn project(&self, vector: &[f32]) -> Result<Vec<f32>> {
        self.project_onto(vector, self.axes.len())
    }

    /// Coordinates of `vector` along the first `count` axes.
    pub fn project_onto(&self, vector: &[f32], count: usize) -> Result<Vec<f32>> {
        check_exact("vector to project", vector, self.dim())?;
        self.check_axis_count(count)?;
        Ok(self.axes[..count]
            .iter()
            .map(|axis| {
                axis.iter()
                    .zip(vector)
                    .zip(&self.mean)
                    .map(|((a, &v), m)| a * (v as f64 - m))
                    .sum::<f64>() as f32
            })
            .collect())
    }

    /// `vector` rebuilt from its coordinates along the first `count` axes: the closest vector
    /// to it in the span of those axes through the mean (itself, if it lies in that span).
    pub fn reconstruct(&self, vector: &[f32], count: usize) -> Result<Vec<f32>> {
        self.inverse(&self.project_onto(vector, count)?)
    }

    fn check_axis_count(&self, count: usize) -> Result<()> {
        if count == 0 || count > self.axes.len() {
            return Err(Error::InvalidInput(format!(
                "this analysis has {} axes: 1 to {0} of them, not {count}",
                self.axes.len()
            )));
        }
        Ok(())
    }

    /// The vector at `coordinates` along the first `coordinates.len()` axes, from the mean
    /// (exact for vectors in the span of those axes).
    pub fn inverse(&self, coordinates: &[f32]) -> Result<Vec<f32>> {
        self.check_axis_count(coordinates.len())?;
        check_finite("PCA coordinates", coordinates)?;
        let mut vector = self.mean.clone();
        for (axis, &c) in self.axes.iter().zip(coordinates) {
            for (v, a) in vector.iter_mut().zip(axis) {
                *v += c as f64 * a;
            }
        }
        Ok(vector.into_iter().map(|v| v as f32).collect())
    }
}

/// Codes of any width on a plane: the codes themselves when they have two numbers, else their
/// projection onto the two principal axes.
#[derive(Debug, Clone)]
pub enum PlaneProjection {
    /// Two-number codes are already points.
    Identity,
    /// Wider codes, through the two leading principal axes.
    Pca(Pca),
}

impl PlaneProjection {
    /// Fits a projection to `codes` (each `dim` numbers, concatenated).
    pub fn fit(codes: &[f32], dim: usize) -> Result<Self> {
        if dim == 2 {
            check_rows("codes", codes, dim)?;
            Ok(Self::Identity)
        } else {
            Pca::fit(codes, dim, 2).map(Self::Pca)
        }
    }

    /// Width of the codes this projection takes.
    pub fn dim(&self) -> usize {
        match self {
            Self::Identity => 2,
            Self::Pca(pca) => pca.dim(),
        }
    }

    /// Share of the codes' variance the plane shows (1 for two-number codes).
    pub fn explained_variance(&self) -> f64 {
        match self {
            Self::Identity => 1.0,
            Self::Pca(pca) => pca.explained_variance_ratio().iter().sum(),
        }
    }

    /// Points (x, y, concatenated) of `codes` (each `dim()` numbers, concatenated).
    pub fn project(&self, codes: &[f32]) -> Result<Vec<f32>> {
        check_rows("codes", codes, self.dim())?;
        match self {
            Self::Identity => Ok(codes.to_vec()),
            Self::Pca(pca) => Ok(codes
                .chunks_exact(pca.dim())
                .map(|code| pca.project(code))
                .collect::<Result<Vec<_>>>()?
                .concat()),
        }
    }

    /// The code at point (x, y): exact for two-number codes; for wider ones the code on the
    /// plane through the mean code, which the projection maps back to (x, y).
    pub fn unproject(&self, x: f32, y: f32) -> Result<Vec<f32>> {
        match self {
            Self::Identity => {
                check_exact("point", &[x, y], 2)?;
                Ok(vec![x, y])
            }
            Self::Pca(pca) => pca.inverse(&[x, y]),
        }
    }
}

/// Mean and standard deviation of each of the `dim` numbers over `codes` (concatenated).
pub fn dimension_spread(codes: &[f32], dim: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    let count = check_rows("codes", codes, dim)?;
    let mut mean = vec![0.0f64; dim];
    for code in codes.chunks_exact(dim) {
        for (m, &v) in mean.iter_mut().zip(code) {
            *m += v as f64 / count as f64;
        }
    }
    let mut variance = vec![0.0f64; dim];
    for code in codes.chunks_exact(dim) {
        for ((s, &v), m) in variance.iter_mut().zip(code).zip(&mean) {
            *s += (v as f64 - m).powi(2) / count as f64;
        }
    }
    Ok((mean, variance.into_iter().map(f64::sqrt).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::rng::SplitMix64;

    /// Samples of a 2-D Gaussian with standard deviations 3 and 0.5 along axes rotated by
    /// 30°, centred on (5, -2).
    fn rotated_gaussian(count: usize) -> Vec<f32> {
        let mut rng = SplitMix64::new(42);
        let (sin, cos) = 30f64.to_radians().sin_cos();
        let mut rows = Vec::with_capacity(count * 2);
        for _ in 0..count {
            let (x, y) = (3.0 * rng.standard_normal(), 0.5 * rng.standard_normal());
            rows.push((5.0 + cos * x - sin * y) as f32);
            rows.push((-2.0 + sin * x + cos * y) as f32);
        }
        rows
    }

    #[test]
    fn recovers_the_axes_of_a_known_gaussian() {
        let pca = Pca::fit(&rotated_gaussian(20_000), 2, 2).unwrap();
        let (sin, cos) = 30f64.to_radians().sin_cos();
        let [first, second] = [&pca.axes()[0], &pca.axes()[1]];
        assert!(
            (first[0].abs() - cos).abs() < 0.01 && (first[1].abs() - sin).abs() < 0.01,
            "{first:?}"
        );
        assert!(
            first[0] * first[1] > 0.0,
            "first axis points the wrong way: {first:?}"
        );
        assert!(
            (second[0] * first[0] + second[1] * first[1]).abs() < 1e-9,
            "axes not orthogonal"
        );
        let ratio = pca.explained_variance_ratio();
        let expected = 9.0 / (9.0 + 0.25);
        assert!((ratio[0] - expected).abs() < 0.01, "{ratio:?}");
        let centre = pca.project(&[5.0, -2.0]).unwrap();
        // The sample mean is off by about 3/√20000 ≈ 0.02 along the long axis: allow 5σ.
        assert!(centre.iter().all(|c| c.abs() < 0.1), "{centre:?}");
    }

    #[test]
    fn inverse_undoes_project_with_all_axes() {
        let rows: Vec<f32> = (0..60).map(|i| ((i * 37) % 11) as f32 - 5.0).collect();
        let pca = Pca::fit(&rows, 3, 3).unwrap();
        let vector = [1.5, -2.0, 0.25];
        let back = pca.inverse(&pca.project(&vector).unwrap()).unwrap();
        assert!(
            back.iter().zip(vector).all(|(a, b)| (a - b).abs() < 1e-4),
            "{back:?}"
        );
    }

    #[test]
    fn a_point_in_the_span_of_the_first_axes_is_rebuilt_exactly() {
        // Five-number vectors that vary along two directions only.
        let (u, v) = ([1.0, 2.0, 0.0, -1.0, 0.5], [0.0, 1.0, -1.0, 1.0, 2.0]);
        let mut rng = SplitMix64::new(7);
        let rows: Vec<f32> = (0..500)
            .flat_map(|_| {
                let (a, b) = (rng.standard_normal(), rng.standard_normal());
                (0..5).map(move |i| (4.0 * a * u[i] + 2.0 * b * v[i]) as f32)
            })
            .collect();
        let pca = Pca::fit(&rows, 5, 3).unwrap();
        let mean: Vec<f32> = pca.mean().iter().map(|&m| m as f32).collect();
        let in_span: Vec<f32> = (0..5)
            .map(|i| mean[i] + (0.7 * u[i] - 1.3 * v[i]) as f32)
            .collect();
        let rebuilt = pca.reconstruct(&in_span, 2).unwrap();
        let error = |rebuilt: &[f32]| {
            rebuilt
                .iter()
                .zip(&in_span)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max)
        };
        assert!(error(&rebuilt) < 1e-4, "{rebuilt:?}");
        // One axis loses what the second holds.
        assert!(error(&pca.reconstruct(&in_span, 1).unwrap()) > 0.1);
        assert!(pca.reconstruct(&in_span, 0).is_err() && pca.reconstruct(&in_span, 4).is_err());
    }

    #[test]
    fn rejects_unusable_input() {
        assert!(Pca::fit(&[1.0, 2.0], 2, 1).is_err());
        assert!(Pca::fit(&[1.0, 2.0, 3.0], 2, 1).is_err());
        assert!(Pca::fit(&[1.0; 8], 2, 3).is_err());
        let pca = Pca::fit(&[1.0, 2.0, 3.0, 5.0], 2, 1).unwrap();
        assert!(pca.project(&[1.0]).is_err());
        assert!(pca.inverse(&[f32::NAN]).is_err());
    }

    #[test]
    fn the_plane_is_the_codes_themselves_at_two_dimensions() {
        let codes = [1.0, 2.0, 3.0, -4.0];
        let plane = PlaneProjection::fit(&codes, 2).unwrap();
        assert_eq!(plane.project(&codes).unwrap(), codes);
        assert_eq!(plane.unproject(0.5, -1.5).unwrap(), [0.5, -1.5]);
        assert_eq!(plane.explained_variance(), 1.0);
    }

    #[test]
    fn wider_codes_go_through_pca_and_back_onto_the_plane() {
        // Three-number codes that vary mostly along the first two numbers.
        let codes: Vec<f32> = (0..300)
            .flat_map(|i| {
                let (a, b) = ((i % 17) as f32 - 8.0, (i % 5) as f32 - 2.0);
                [a, b, 0.01 * ((i % 3) as f32 - 1.0)]
            })
            .collect();
        let plane = PlaneProjection::fit(&codes, 3).unwrap();
        assert!(plane.explained_variance() > 0.99);
        let points = plane.project(&codes).unwrap();
        assert_eq!(points.len(), 600);
        let code = plane.unproject(points[0], points[1]).unwrap();
        let again = plane.project(&code).unwrap();
        assert!((again[0] - points[0]).abs() < 1e-4 && (again[1] - points[1]).abs() < 1e-4);
        assert!(plane.project(&codes[..4]).is_err());
    }

    #[test]
    fn spread_is_the_mean_and_deviation_of_each_dimension() {
        let (mean, deviation) = dimension_spread(&[1.0, 10.0, 3.0, 10.0], 2).unwrap();
        assert_eq!(mean, [2.0, 10.0]);
        assert_eq!(deviation, [1.0, 0.0]);
        assert!(dimension_spread(&[1.0, 2.0, 3.0], 2).is_err());
    }
}
