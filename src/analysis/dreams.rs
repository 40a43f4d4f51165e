//! How good a model's dreams are: images decoded from random codes, judged as digits three
//! ways, because no single measure sees it all. A reconstruction-error detector asks whether
//! a model of digits rebuilds them (a decoder's output usually is easy to rebuild); the
//! training digits' vote asks whether the nearest real digits agree on what it is (a
//! malformed digit sits between classes); the spread asks whether the dreams differ (a blob
//! repeated passes the other two).

use super::anomaly::{AnomalyScale, anomaly_scores};
use super::code_density::CodeGaussian;
use crate::data::{Dataset, Split};
use crate::inference::InferenceModel;
use crate::util::error::{Result, check_rows};
use crate::util::image::PIXELS;
use crate::util::metrics::mean_squared_error;

/// Nearest training digits that vote on what an image is.
pub const VOTERS: usize = 10;
/// Votes for one label that make an image recognised.
pub const AGREEING: usize = 8;

/// A plain model's dreams: `count` codes drawn from a Gaussian fitted to its codes of the test
/// digits, decoded (count × 784).
pub fn plain_dreams(
    model: &InferenceModel,
    dataset: &Dataset,
    count: usize,
    seed: u64,
) -> Result<Vec<f32>> {
    let codes = model.encode_many(&dataset.images(&dataset.indices(Split::Test)))?;
    let gaussian = CodeGaussian::fit(&codes, model.latent_size())?;
    let mut images = Vec::with_capacity(count * PIXELS);
    for code in gaussian
        .sample(count, seed)
        .chunks_exact(model.latent_size())
    {
        images.extend(model.decode(code)?);
    }
    Ok(images)
}

/// How many of `images` (n × 784) `judge`'s detector does not flag, its threshold the 99th
/// percentile of the test digits' anomaly scores.
pub fn passing_as_digits(
    judge: &InferenceModel,
    dataset: &Dataset,
    images: &[f32],
) -> Result<usize> {
    let test = dataset.images(&dataset.indices(Split::Test));
    let scale = AnomalyScale::fit(&anomaly_scores(judge, &test)?)?;
    let scores = anomaly_scores(judge, images)?;
    Ok(scores
        .iter()
        .filter(|&&score| !scale.is_anomalous(score))
        .count())
}

/// How many of `images` (n × 784) the training digits recognise: at least [`AGREEING`] of each
/// image's [`VOTERS`] nearest training digits (by MSE) carry one label.
pub fn recognised(dataset: &Dataset, images: &[f32]) -> Result<usize> {
    check_rows("images", images, PIXELS)?;
    let train_indices = dataset.indices(Split::Train);
    let train = dataset.images(&train_indices);
    let count = images
        .chunks_exact(PIXELS)
        .filter(|image| {
            let mut nearest: Vec<(f32, u8)> = train
                .chunks_exact(PIXELS)
                .zip(&train_indices)
                .map(|(digit, &index)| (mean_squared_error(image, digit), dataset.label(index)))
                .collect();
            nearest.select_nth_unstable_by(VOTERS - 1, |a, b| a.0.total_cmp(&b.0));
            let mut votes = [0; 10];
            for &(_, label) in &nearest[..VOTERS] {
                votes[label as usize] += 1;
            }
            votes.iter().max().is_some_and(|&top| top >= AGREEING)
        })
        .count();
    Ok(count)
}

/// The mean squared difference over every pair of `images` (n × 784, n ≥ 2): how much they
/// differ from each other.
pub fn mean_pairwise_mse(images: &[f32]) -> Result<f64> {
    check_rows("images", images, PIXELS)?;
    let rows: Vec<&[f32]> = images.chunks_exact(PIXELS).collect();
    let (mut sum, mut pairs) = (0.0, 0usize);
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[i + 1..] {
            sum += mean_squared_error(a, b) as f64;
            pairs += 1;
        }
    }
    Ok(sum / pairs.max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pairwise_spread_of_copies_is_zero_and_of_opposites_one() {
        let (blank, inked) = (vec![0.0; PIXELS], vec![1.0; PIXELS]);
        assert_eq!(
            mean_pairwise_mse(&[blank.clone(), blank.clone()].concat()).unwrap(),
            0.0
        );
        // Pairs: blank–inked, blank–inked, blank–blank: (1 + 1 + 0) / 3.
        let three = [blank.clone(), inked, blank].concat();
        assert!((mean_pairwise_mse(&three).unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert!(mean_pairwise_mse(&[0.0; 10]).is_err());
    }
}
