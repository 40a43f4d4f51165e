//! A map that keeps neighbours together: t-SNE (van der Maaten & Hinton 2008), exact, for the
//! two thousand test digits' codes. PCA shows the two directions in which the codes vary most,
//! which for a 32-number code is one blob; t-SNE instead places codes that are near each other
//! in the code space near each other on the plane, so the clusters the codes have (the digits)
//! show. Distances between clusters on a t-SNE map mean little; neighbourhoods do, and
//! [`neighbourhood_agreement`] measures how well a map keeps them.
//!
//! Exact gradients cost n² per iteration: fine for n ≈ 2,000 natively (seconds), which is
//! where the maps are made (`map-report`); the page ships the positions.

use super::knn::nearest_rows;
use super::pca::PlaneProjection;
use crate::util::error::{Error, Result, check_rows};

/// How t-SNE runs.
#[derive(Debug, Clone, PartialEq)]
pub struct TsneOptions {
    /// The effective number of neighbours each point attends to.
    pub perplexity: f64,
    /// Gradient steps in all.
    pub iterations: usize,
    /// The first steps, with the attractions multiplied by `exaggeration` so that clusters
    /// form before they settle.
    pub exaggerated_iterations: usize,
    pub exaggeration: f64,
}

impl Default for TsneOptions {
    /// The usual settings (perplexity 30, early exaggeration 12 for 250 steps), 1,000 steps.
    fn default() -> Self {
        Self {
            perplexity: 30.0,
            iterations: 1000,
            exaggerated_iterations: 250,
            exaggeration: 12.0,
        }
    }
}

/// The n `points` (n × `dim` values, row by row) placed on a plane: n × 2 values. Starts from
/// the PCA plane (scaled small), so the same points give the same map and the map keeps what
/// global layout PCA has.
pub fn tsne(points: &[f32], dim: usize, options: &TsneOptions) -> Result<Vec<f32>> {
    let n = check_rows("points", points, dim)?;
    if n < 3 || options.perplexity * 3.0 >= n as f64 || options.perplexity < 1.0 {
        return Err(Error::InvalidInput(format!(
            "t-SNE with perplexity {} needs more than {} points; got {n}",
            options.perplexity,
            (3.0 * options.perplexity) as usize
        )));
    }
    let affinities = joint_affinities(points, dim, n, options.perplexity);
    let start = PlaneProjection::fit(points, dim)?.project(points)?;
    let spread = (start.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / n as f64).sqrt();
    let mut y: Vec<f64> = start
        .iter()
        .map(|&v| v as f64 * 1e-2 / spread.max(1e-12))
        .collect();
    let mut velocity = vec![0.0f64; 2 * n];
    let mut gains = vec![1.0f64; 2 * n];
    let learning_rate = (n as f64 / options.exaggeration).max(50.0);
    let mut gradient = vec![0.0f64; 2 * n];
    let mut kernel = vec![0.0f64; n * n];
    for step in 0..options.iterations {
        let exaggerated = step < options.exaggerated_iterations;
        let scale = if exaggerated {
            options.exaggeration
        } else {
            1.0
        };
        let momentum = if exaggerated { 0.5 } else { 0.8 };
        // Student-t kernel (1 + d²)⁻¹ between every pair, and its sum Z.
        let mut z = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]);
                let q = 1.0 / (1.0 + dx * dx + dy * dy);
                kernel[i * n + j] = q;
                kernel[j * n + i] = q;
                z += 2.0 * q;
            }
        }
        // ∂C/∂yᵢ = 4 Σⱼ (pᵢⱼ − qᵢⱼ) (1 + d²ᵢⱼ)⁻¹ (yᵢ − yⱼ), with qᵢⱼ = kernelᵢⱼ / Z.
        gradient.fill(0.0);
        for i in 0..n {
            let (p_row, k_row) = (&affinities[i * n..(i + 1) * n], &kernel[i * n..(i + 1) * n]);
            let (mut gx, mut gy) = (0.0, 0.0);
            for j in 0..n {
                if i == j {
                    continue;
                }
                let force = (scale * p_row[j] - k_row[j] / z) * k_row[j];
                gx += force * (y[2 * i] - y[2 * j]);
                gy += force * (y[2 * i + 1] - y[2 * j + 1]);
            }
            gradient[2 * i] = 4.0 * gx;
            gradient[2 * i + 1] = 4.0 * gy;
        }
        // Adaptive gains (Jacobs 1988), as in the reference implementation.
        for k in 0..2 * n {
            let same_sign = (gradient[k] > 0.0) == (velocity[k] > 0.0);
            gains[k] = if same_sign {
                (gains[k] * 0.8).max(0.01)
            } else {
                gains[k] + 0.2
            };
            velocity[k] = momentum * velocity[k] - learning_rate * gains[k] * gradient[k];
            y[k] += velocity[k];
        }
        // Keep the map centred: t-SNE's cost does not see where the map is.
        for axis in 0..2 {
            let mean = (0..n).map(|i| y[2 * i + axis]).sum::<f64>() / n as f64;
            (0..n).for_each(|i| y[2 * i + axis] -= mean);
        }
    }
    let positions: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    if positions.iter().all(|v| v.is_finite()) {
        Ok(positions)
    } else {
        Err(Error::InvalidInput(
            "t-SNE diverged (a position is not finite)".into(),
        ))
    }
}

/// The symmetric joint probabilities pᵢⱼ of the input space: each point's Gaussian over the
/// others, its width found by bisection so that its entropy matches `perplexity`, then
/// pᵢⱼ = (pⱼ|ᵢ + pᵢ|ⱼ) / 2n. An n × n matrix, row by row.
fn joint_affinities(points: &[f32], dim: usize, n: usize, perplexity: f64) -> Vec<f64> {
    let target_entropy = perplexity.ln();
    let mut p = vec![0.0f64; n * n];
    let mut distances = vec![0.0f64; n];
    for i in 0..n {
        let a = &points[i * dim..(i + 1) * dim];
        for (j, d) in distances.iter_mut().enumerate() {
            let b = &points[j * dim..(j + 1) * dim];
            *d = a.iter().zip(b).map(|(x, y)| ((x - y) as f64).powi(2)).sum();
        }
        // Bisection on β = 1 / 2σ²; distances are shifted by the nearest one so that the
        // exponentials cannot all underflow.
        let nearest = (0..n)
            .filter(|&j| j != i)
            .map(|j| distances[j])
            .fold(f64::INFINITY, f64::min);
        let (mut low, mut high, mut beta) = (
            0.0,
            f64::INFINITY,
            1.0 / distances.iter().sum::<f64>().max(1e-12) * n as f64,
        );
        let row = &mut p[i * n..(i + 1) * n];
        for _ in 0..64 {
            let mut sum = 0.0;
            let mut weighted = 0.0;
            for j in 0..n {
                row[j] = if j == i {
                    0.0
                } else {
                    (-(distances[j] - nearest) * beta).exp()
                };
                sum += row[j];
                weighted += row[j] * (distances[j] - nearest);
            }
            let entropy = sum.ln() + beta * weighted / sum;
            row.iter_mut().for_each(|v| *v /= sum);
            if (entropy - target_entropy).abs() < 1e-5 {
                break;
            }
            if entropy > target_entropy {
                low = beta;
                beta = if high.is_finite() {
                    (beta + high) / 2.0
                } else {
                    beta * 2.0
                };
            } else {
                high = beta;
                beta = (beta + low) / 2.0;
            }
        }
    }
    let total = 2.0 * n as f64;
    for i in 0..n {
        for j in i + 1..n {
            let joint = ((p[i * n + j] + p[j * n + i]) / total).max(1e-12);
            p[i * n + j] = joint;
            p[j * n + i] = joint;
        }
    }
    p
}

/// How well `points` (n × `dim`) keep like with like: the share of each point's `k` nearest
/// neighbours (Euclidean, among the others) that have its label, averaged over the points. On
/// a map of the test digits, the share of a digit's neighbours on the map that are the same
/// digit.
pub fn neighbourhood_agreement(points: &[f32], dim: usize, labels: &[u8], k: usize) -> Result<f64> {
    let n = check_rows("points", points, dim)?;
    if labels.len() != n || k == 0 || k >= n {
        return Err(Error::InvalidInput(format!(
            "{n} points need {n} labels (got {}) and 1 ≤ k < {n} (got {k})",
            labels.len()
        )));
    }
    let agreeing: usize = (0..n)
        .map(|i| {
            nearest_rows(points, dim, &points[i * dim..(i + 1) * dim], k, Some(i))
                .iter()
                .filter(|&&(_, j)| labels[j] == labels[i])
                .count()
        })
        .sum();
    Ok(agreeing as f64 / (n * k) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::rng::SplitMix64;

    /// Three tight clusters in 10 dimensions, far apart along different axes.
    fn clusters(per_cluster: usize) -> (Vec<f32>, Vec<u8>) {
        let mut rng = SplitMix64::new(5);
        let mut points = Vec::new();
        let mut labels = Vec::new();
        for cluster in 0..3u8 {
            for _ in 0..per_cluster {
                for d in 0..10 {
                    let centre = if d == cluster as usize { 10.0 } else { 0.0 };
                    points.push(centre + rng.standard_normal() as f32);
                }
                labels.push(cluster);
            }
        }
        (points, labels)
    }

    #[test]
    fn separate_clusters_stay_separate_on_the_map() {
        let (points, labels) = clusters(40);
        let options = TsneOptions {
            perplexity: 10.0,
            ..TsneOptions::default()
        };
        let map = tsne(&points, 10, &options).unwrap();
        assert_eq!(map.len(), 2 * 120);
        assert_eq!(neighbourhood_agreement(&map, 2, &labels, 5).unwrap(), 1.0);
        // The same points, the same map.
        assert_eq!(tsne(&points, 10, &options).unwrap(), map);
    }

    #[test]
    fn the_agreement_counts_like_neighbours() {
        // On a line: 0 0 1 1, each point's nearest other is its twin.
        let points = [0.0, 1.0, 10.0, 11.0];
        assert_eq!(
            neighbourhood_agreement(&points, 1, &[0, 0, 1, 1], 1).unwrap(),
            1.0
        );
        // Its two nearest: the twin and one of the other pair, for the inner two; the outer
        // two also reach across.
        assert_eq!(
            neighbourhood_agreement(&points, 1, &[0, 0, 1, 1], 2).unwrap(),
            0.5
        );
        assert!(neighbourhood_agreement(&points, 1, &[0, 0, 1], 1).is_err());
        assert!(neighbourhood_agreement(&points, 1, &[0, 0, 1, 1], 4).is_err());
    }

    #[test]
    fn too_few_points_for_the_perplexity_are_refused() {
        let (points, _) = clusters(5);
        assert!(tsne(&points, 10, &TsneOptions::default()).is_err());
    }
}
