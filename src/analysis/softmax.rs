//! Multinomial logistic regression (a softmax classifier) on feature vectors: what a handful of
//! labels makes of an encoder's codes, of PCA's, or of raw pixels. Small enough to fit in the
//! page in well under a second on codes (`L` numbers per example), and general over its
//! classes: the ten digits, or the digits plus classes a visitor names and draws.
//!
//! Features are standardised with the fitted examples' own means and spreads, so one step size
//! and one penalty suit pixels and codes alike; the weights start at zero and full-batch Adam
//! takes a fixed number of steps, so a fit is deterministic.

use serde::{Deserialize, Serialize};

use crate::inference::layers::softmax;
use crate::util::error::{Error, Result, check_exact, check_rows};

/// How a softmax classifier is fitted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct SoftmaxOptions {
    /// The L2 penalty on the weights, divided by the number of examples (as scikit-learn's
    /// `1 / C`): with few examples the penalty weighs more against the data, as it should.
    pub l2: f64,
    /// Full-batch Adam steps.
    pub steps: usize,
    /// Adam's step size.
    pub learning_rate: f64,
}

impl Default for SoftmaxOptions {
    fn default() -> Self {
        Self {
            l2: 1.0,
            steps: 300,
            learning_rate: 0.05,
        }
    }
}

impl SoftmaxOptions {
    fn validate(&self) -> Result<()> {
        let invalid = |what: String| Err(Error::InvalidOptions(what));
        if !(self.l2.is_finite() && self.l2 >= 0.0) {
            return invalid(format!("l2 {} is not a number ≥ 0", self.l2));
        }
        if !(1..=10_000).contains(&self.steps) {
            return invalid(format!("steps {} is not in 1…10000", self.steps));
        }
        if !(self.learning_rate.is_finite()
            && self.learning_rate > 0.0
            && self.learning_rate <= 10.0)
        {
            return invalid(format!(
                "learning rate {} is not in (0, 10]",
                self.learning_rate
            ));
        }
        Ok(())
    }
}

/// A fitted softmax classifier over named classes.
#[derive(Debug, Clone, PartialEq)]
pub struct SoftmaxClassifier {
    class_names: Vec<String>,
    dim: usize,
    mean: Vec<f32>,
    inverse_spread: Vec<f32>,
    /// `[dim][classes]`, row-major, on standardised features.
    weights: Vec<f32>,
    bias: Vec<f32>,
}

/// A feature's spread is floored at this share of the features' mean spread: a pixel that is
/// ink in one of ten examples would otherwise be scaled up to dominate them.
const SPREAD_FLOOR: f32 = 0.1;

impl SoftmaxClassifier {
    /// Fits `features` (rows of `dim` numbers) labelled by `labels` (indices into
    /// `class_names`). Every class needs at least one example.
    pub fn fit(
        features: &[f32],
        dim: usize,
        labels: &[u32],
        class_names: Vec<String>,
        options: &SoftmaxOptions,
    ) -> Result<Self> {
        options.validate()?;
        if dim == 0 {
            return Err(Error::InvalidInput("features of 0 numbers".into()));
        }
        let rows = check_rows("features", features, dim)?;
        let classes = class_names.len();
        check_classes(&class_names, labels, rows)?;
        let (mean, inverse_spread) = standardisation(features, dim);
        let standardised: Vec<f32> = features
            .chunks_exact(dim)
            .flat_map(|row| standardise(row, &mean, &inverse_spread))
            .collect();

        let mut weights = vec![0.0f32; dim * classes];
        let mut bias = vec![0.0f32; classes];
        let mut adam = Adam::new(weights.len() + classes);
        let penalty = (options.l2 / rows as f64) as f32;
        for _ in 0..options.steps {
            let (mut weight_gradient, bias_gradient) =
                gradients(&standardised, dim, labels, &weights, &bias);
            for (g, w) in weight_gradient.iter_mut().zip(&weights) {
                *g += penalty * w;
            }
            adam.step(
                options.learning_rate as f32,
                [&mut weights[..], &mut bias[..]],
                [&weight_gradient[..], &bias_gradient[..]],
            );
        }
        let model = Self {
            class_names,
            dim,
            mean,
            inverse_spread,
            weights,
            bias,
        };
        if !model
            .weights
            .iter()
            .chain(&model.bias)
            .all(|v| v.is_finite())
        {
            return Err(Error::Diverged(
                "the classifier's weights are not finite; try a smaller learning rate".into(),
            ));
        }
        Ok(model)
    }

    /// The classes, in the order of [`SoftmaxClassifier::probabilities`].
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }

    /// Numbers per feature vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The probability of each class for one feature vector.
    pub fn probabilities(&self, features: &[f32]) -> Result<Vec<f32>> {
        check_exact("features", features, self.dim)?;
        let x = standardise(features, &self.mean, &self.inverse_spread);
        Ok(softmax(&logits(&x, &self.weights, &self.bias)))
    }

    /// The index of the most probable class for each row of `features`.
    pub fn predict_all(&self, features: &[f32]) -> Result<Vec<usize>> {
        check_rows("features", features, self.dim)?;
        features
            .chunks_exact(self.dim)
            .map(|row| self.probabilities(row).map(|p| most_probable(&p)))
            .collect()
    }

    /// The share (0…1) of rows of `features` whose most probable class is their label.
    pub fn accuracy(&self, features: &[f32], labels: &[u32]) -> Result<f64> {
        let predicted = self.predict_all(features)?;
        if predicted.len() != labels.len() {
            return Err(Error::InvalidInput(format!(
                "{} feature vectors but {} labels",
                predicted.len(),
                labels.len()
            )));
        }
        let right = predicted
            .iter()
            .zip(labels)
            .filter(|(p, l)| **p == **l as usize)
            .count();
        Ok(right as f64 / labels.len() as f64)
    }
}

/// Refuses labels outside the classes, a label count that is not the row count, unnamed or
/// repeated classes, and a class without examples.
fn check_classes(class_names: &[String], labels: &[u32], rows: usize) -> Result<()> {
    let classes = class_names.len();
    if classes < 2 {
        return Err(Error::InvalidInput(format!(
            "{classes} class: a classifier needs at least two"
        )));
    }
    if let Some(blank) = class_names.iter().position(|n| n.trim().is_empty()) {
        return Err(Error::InvalidInput(format!("class {blank} has no name")));
    }
    for (index, name) in class_names.iter().enumerate() {
        if class_names[..index].contains(name) {
            return Err(Error::InvalidInput(format!(
                "the class name \"{name}\" is given twice"
            )));
        }
    }
    if labels.len() != rows {
        return Err(Error::InvalidInput(format!(
            "{rows} feature vectors but {} labels",
            labels.len()
        )));
    }
    if let Some(&label) = labels.iter().find(|&&l| l as usize >= classes) {
        return Err(Error::InvalidInput(format!(
            "the label {label} names no class: there are {classes} (0…{})",
            classes - 1
        )));
    }
    let mut counts = vec![0usize; classes];
    for &label in labels {
        counts[label as usize] += 1;
    }
    if let Some(empty) = counts.iter().position(|&c| c == 0) {
        return Err(Error::InvalidInput(format!(
            "the class \"{}\" has no examples",
            class_names[empty]
        )));
    }
    Ok(())
}

/// Each feature's mean and the inverse of its (floored) standard deviation.
fn standardisation(features: &[f32], dim: usize) -> (Vec<f32>, Vec<f32>) {
    let rows = (features.len() / dim) as f64;
    let mut sum = vec![0.0f64; dim];
    let mut squares = vec![0.0f64; dim];
    for row in features.chunks_exact(dim) {
        for (j, &v) in row.iter().enumerate() {
            sum[j] += v as f64;
            squares[j] += (v as f64) * (v as f64);
        }
    }
    let mean: Vec<f64> = sum.iter().map(|s| s / rows).collect();
    let spread: Vec<f64> = squares
        .iter()
        .zip(&mean)
        .map(|(sq, m)| (sq / rows - m * m).max(0.0).sqrt())
        .collect();
    let mean_spread = spread.iter().sum::<f64>() / dim as f64;
    let floor = (SPREAD_FLOOR as f64 * mean_spread).max(1e-6);
    let inverse = spread.iter().map(|s| (1.0 / s.max(floor)) as f32).collect();
    (mean.iter().map(|&m| m as f32).collect(), inverse)
}

fn standardise(row: &[f32], mean: &[f32], inverse_spread: &[f32]) -> Vec<f32> {
    row.iter()
        .zip(mean)
        .zip(inverse_spread)
        .map(|((v, m), s)| (v - m) * s)
        .collect()
}

/// `bias + x · weights` for one standardised row.
fn logits(x: &[f32], weights: &[f32], bias: &[f32]) -> Vec<f32> {
    let classes = bias.len();
    let mut out = bias.to_vec();
    for (&v, row) in x.iter().zip(weights.chunks_exact(classes)) {
        if v != 0.0 {
            for (o, w) in out.iter_mut().zip(row) {
                *o += v * w;
            }
        }
    }
    out
}

/// The index of the largest probability (the first, on a tie).
pub fn most_probable(probabilities: &[f32]) -> usize {
    probabilities
        .iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, &p)| {
            if p > best.1 { (i, p) } else { best }
        })
        .0
}

/// The mean cross-entropy's gradients with respect to the weights and the biases.
fn gradients(
    features: &[f32],
    dim: usize,
    labels: &[u32],
    weights: &[f32],
    bias: &[f32],
) -> (Vec<f32>, Vec<f32>) {
    let classes = bias.len();
    let rows = labels.len() as f32;
    let mut weight_gradient = vec![0.0f32; weights.len()];
    let mut bias_gradient = vec![0.0f32; classes];
    for (x, &label) in features.chunks_exact(dim).zip(labels) {
        let mut error = softmax(&logits(x, weights, bias));
        error[label as usize] -= 1.0;
        for e in &mut error {
            *e /= rows;
        }
        for (b, e) in bias_gradient.iter_mut().zip(&error) {
            *b += e;
        }
        for (&v, row) in x.iter().zip(weight_gradient.chunks_exact_mut(classes)) {
            if v != 0.0 {
                for (g, e) in row.iter_mut().zip(&error) {
                    *g += v * e;
                }
            }
        }
    }
    (weight_gradient, bias_gradient)
}

/// Adam's moments for parameters held in several slices, in order.
struct Adam {
    first: Vec<f32>,
    second: Vec<f32>,
    steps: i32,
}

impl Adam {
    const BETA1: f32 = 0.9;
    const BETA2: f32 = 0.999;
    const EPSILON: f32 = 1e-8;

    fn new(parameters: usize) -> Self {
        Self {
            first: vec![0.0; parameters],
            second: vec![0.0; parameters],
            steps: 0,
        }
    }

    fn step<const N: usize>(
        &mut self,
        learning_rate: f32,
        parameters: [&mut [f32]; N],
        gradients: [&[f32]; N],
    ) {
        self.steps += 1;
        let first_correction = 1.0 - Self::BETA1.powi(self.steps);
        let second_correction = 1.0 - Self::BETA2.powi(self.steps);
        let mut offset = 0;
        for (values, gradient) in parameters.into_iter().zip(gradients) {
            for (i, (value, &g)) in values.iter_mut().zip(gradient).enumerate() {
                let (m, v) = (&mut self.first[offset + i], &mut self.second[offset + i]);
                *m = Self::BETA1 * *m + (1.0 - Self::BETA1) * g;
                *v = Self::BETA2 * *v + (1.0 - Self::BETA2) * g * g;
                let step =
                    (*m / first_correction) / ((*v / second_correction).sqrt() + Self::EPSILON);
                *value -= learning_rate * step;
            }
            offset += values.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::rng::SplitMix64;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("class {i}")).collect()
    }

    /// Three clusters in the plane around (0, 0), (10, 0) and (0, 10), plus a feature of pure
    /// noise, which a good fit ignores.
    fn clusters(per_class: usize, seed: u64) -> (Vec<f32>, Vec<u32>) {
        let mut rng = SplitMix64::new(seed);
        let centres = [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)];
        let (mut features, mut labels) = (Vec::new(), Vec::new());
        for _ in 0..per_class {
            for (class, (x, y)) in centres.iter().enumerate() {
                features.push(x + rng.standard_normal() as f32);
                features.push(y + rng.standard_normal() as f32);
                features.push(100.0 * rng.standard_normal() as f32);
                labels.push(class as u32);
            }
        }
        (features, labels)
    }

    #[test]
    fn separable_clusters_are_told_apart_and_the_boundary_is_where_it_should_be() {
        let (features, labels) = clusters(20, 1);
        let model =
            SoftmaxClassifier::fit(&features, 3, &labels, names(3), &SoftmaxOptions::default())
                .unwrap();
        let (test, test_labels) = clusters(100, 2);
        assert!(model.accuracy(&test, &test_labels).unwrap() > 0.97);
        // Centres and the midpoints between them: the known answer.
        let p = model.probabilities(&[10.0, 0.0, 0.0]).unwrap();
        assert_eq!(most_probable(&p), 1);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        let midway = model.probabilities(&[5.0, 0.0, 0.0]).unwrap();
        assert!((midway[0] - midway[1]).abs() < 0.2, "{midway:?}");
        assert!(midway[2] < 0.1, "{midway:?}");
    }

    #[test]
    fn a_fit_is_deterministic_and_a_stronger_penalty_makes_it_less_sure() {
        let (features, labels) = clusters(5, 3);
        let fit = |l2| {
            let options = SoftmaxOptions {
                l2,
                ..Default::default()
            };
            SoftmaxClassifier::fit(&features, 3, &labels, names(3), &options).unwrap()
        };
        assert_eq!(fit(1.0), fit(1.0));
        let sure = |m: SoftmaxClassifier| m.probabilities(&[10.0, 0.0, 0.0]).unwrap()[1];
        let (loose, tight) = (sure(fit(0.1)), sure(fit(100.0)));
        assert!(tight < loose, "{tight} {loose}");
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        let (features, labels) = clusters(2, 4);
        let options = SoftmaxOptions::default();
        let error = |features: &[f32], dim, labels: &[u32], names| {
            SoftmaxClassifier::fit(features, dim, labels, names, &options)
                .unwrap_err()
                .to_string()
        };
        assert!(error(&features, 3, &labels[1..], names(3)).contains("labels"));
        assert!(error(&features, 3, &labels, names(2)).contains("names no class"));
        assert!(error(&features[..5], 3, &labels, names(3)).contains("multiple of 3"));
        assert!(error(&features, 3, &labels, names(4)).contains("no examples"));
        assert!(error(&features, 3, &labels, names(1)).contains("at least two"));
        let twice = vec!["a".into(), "b".into(), "a".into()];
        assert!(error(&features, 3, &labels, twice).contains("twice"));
        let mut nan = features.clone();
        nan[4] = f32::NAN;
        assert!(error(&nan, 3, &labels, names(3)).contains("non-finite"));
        let bad = SoftmaxOptions {
            steps: 0,
            ..Default::default()
        };
        assert!(SoftmaxClassifier::fit(&features, 3, &labels, names(3), &bad).is_err());
        let model = SoftmaxClassifier::fit(&features, 3, &labels, names(3), &options).unwrap();
        assert!(model.probabilities(&[1.0, 2.0]).is_err());
        assert!(model.probabilities(&[1.0, f32::INFINITY, 2.0]).is_err());
    }
}
