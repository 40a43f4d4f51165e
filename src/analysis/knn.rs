//! k-nearest-neighbour classification: what a code is worth as a *feature*. Dimensionality
//! reduction is for something; a code that keeps what makes a 3 a 3 lets a classifier as plain
//! as "vote among the k closest training codes" tell digits apart.

use crate::util::error::{Error, Result, check_rows};

/// The `k` rows of `rows` (rows of `dim` numbers, concatenated) nearest `query`, leaving out
/// row `skip` if given: `(squared Euclidean distance, row)`, nearest first, equal distances in
/// row order. The one nearest-neighbour search of the crate (the vote below, the t-SNE map's
/// neighbourhood measure, placing a code on the map). The caller checks the widths.
pub fn nearest_rows(
    rows: &[f32],
    dim: usize,
    query: &[f32],
    k: usize,
    skip: Option<usize>,
) -> Vec<(f32, usize)> {
    // The k nearest so far, nearest first (k is small: insertion beats a heap).
    let mut nearest: Vec<(f32, usize)> = Vec::with_capacity(k + 1);
    for (row, vector) in rows.chunks_exact(dim).enumerate() {
        if Some(row) == skip {
            continue;
        }
        let distance: f32 = vector
            .iter()
            .zip(query)
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        if nearest.len() == k && distance >= nearest[k - 1].0 {
            continue;
        }
        let at = nearest.partition_point(|&(d, _)| d <= distance);
        nearest.insert(at, (distance, row));
        nearest.truncate(k);
    }
    nearest
}

/// Vectors of one width with their labels: the neighbours to vote.
pub struct LabelledSet<'a> {
    vectors: &'a [f32],
    labels: &'a [u8],
    dim: usize,
}

impl<'a> LabelledSet<'a> {
    /// `vectors` (`labels.len()` rows of `dim` numbers, concatenated) and their labels.
    pub fn new(vectors: &'a [f32], labels: &'a [u8], dim: usize) -> Result<Self> {
        let rows = check_rows("labelled vectors", vectors, dim)?;
        if rows != labels.len() {
            return Err(Error::InvalidInput(format!(
                "{rows} vectors but {} labels",
                labels.len()
            )));
        }
        Ok(Self {
            vectors,
            labels,
            dim,
        })
    }

    /// The majority label among the `k` vectors closest to `query` (squared Euclidean
    /// distance). A tie goes to the tied label whose member is closest.
    pub fn classify(&self, query: &[f32], k: usize) -> Result<u8> {
        if query.len() != self.dim {
            return Err(Error::InvalidInput(format!(
                "a query of {} numbers against vectors of {}",
                query.len(),
                self.dim
            )));
        }
        if k == 0 || k > self.labels.len() {
            return Err(Error::InvalidInput(format!(
                "k = {k}, but there are {} labelled vectors",
                self.labels.len()
            )));
        }
        let nearest: Vec<(f32, u8)> = nearest_rows(self.vectors, self.dim, query, k, None)
            .into_iter()
            .map(|(distance, row)| (distance, self.labels[row]))
            .collect();
        let mut votes = [0usize; 256];
        for &(_, label) in &nearest {
            votes[label as usize] += 1;
        }
        let most = nearest
            .iter()
            .map(|&(_, l)| votes[l as usize])
            .max()
            .unwrap_or(0);
        // Nearest first, so the first label with the most votes is the tie's closest.
        Ok(nearest
            .iter()
            .map(|&(_, label)| label)
            .find(|&label| votes[label as usize] == most)
            .expect("k ≥ 1 neighbours"))
    }

    /// Share of `queries` (rows of `dim` numbers) whose `k`-nearest-neighbour vote is their
    /// label.
    pub fn accuracy(&self, queries: &[f32], labels: &[u8], k: usize) -> Result<f64> {
        let queries = LabelledSet::new(queries, labels, self.dim)?;
        let mut right = 0;
        for (query, &label) in queries.vectors.chunks_exact(self.dim).zip(labels) {
            right += usize::from(self.classify(query, k)? == label);
        }
        Ok(right as f64 / labels.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two clusters on a line, at 0…2 (label 0) and 10…12 (label 1), and a lone 1 at 4.
    const POINTS: [f32; 7] = [0.0, 1.0, 2.0, 10.0, 11.0, 12.0, 4.0];
    const LABELS: [u8; 7] = [0, 0, 0, 1, 1, 1, 1];

    #[test]
    fn the_majority_of_the_nearest_decides() {
        let set = LabelledSet::new(&POINTS, &LABELS, 1).unwrap();
        // Nearest to 3.5 is the lone 1 (at 4), but 3 of its 5 nearest are 0s.
        assert_eq!(set.classify(&[3.5], 1).unwrap(), 1);
        assert_eq!(set.classify(&[3.5], 5).unwrap(), 0);
        assert_eq!(set.classify(&[9.0], 5).unwrap(), 1);
        let accuracy = set
            .accuracy(&[0.5, 3.5, 11.5, 4.2], &[0, 1, 1, 1], 3)
            .unwrap();
        // 3.5 and 4.2: nearest three are 4, 2, 1 → 0, wrong twice.
        assert_eq!(accuracy, 0.5);
    }

    #[test]
    fn a_tie_goes_to_the_closest_label() {
        let set = LabelledSet::new(&[0.0, 1.0, 5.0, 7.0], &[3, 3, 8, 8], 1).unwrap();
        assert_eq!(set.classify(&[2.9], 4).unwrap(), 3);
        assert_eq!(set.classify(&[3.1], 4).unwrap(), 8);
    }

    #[test]
    fn mismatched_input_is_refused() {
        assert!(LabelledSet::new(&POINTS, &LABELS[..6], 1).is_err());
        let set = LabelledSet::new(&POINTS, &LABELS, 1).unwrap();
        assert!(set.classify(&[1.0, 2.0], 3).is_err());
        assert!(set.classify(&[1.0], 0).is_err());
        assert!(set.classify(&[1.0], 8).is_err());
    }
}
