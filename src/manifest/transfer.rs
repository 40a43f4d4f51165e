//! The manifest's record of transfer learning: the shipped classifiers and the study of
//! accuracy against the number of labels (`transfer-report` writes both).

use serde::{Deserialize, Serialize};

/// A shipped classifier file (see [`crate::model_file::classifier`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassifierEntry {
    /// Stable identifier (what the `classifier` role names).
    pub id: String,
    /// File name, relative to the manifest.
    pub file: String,
    /// Size of the file in bytes.
    pub file_bytes: usize,
    /// The autoencoder whose encoder it fine-tuned.
    pub encoder_model: String,
    /// Labelled training digits it was trained with.
    pub labels_used: usize,
    /// Labelled training digits of each class.
    pub labels_per_class: usize,
    /// The seed of the draw of which training digits were labelled: they are
    /// `Dataset::labelled_draw(Some(labels_per_class), label_seed)` of the MNIST subset file.
    pub label_seed: u64,
    /// Test accuracy (0…1) of the file as shipped.
    pub test_accuracy: f64,
    /// Bits per weight of its weight matrices.
    pub weight_bits: u8,
    /// The command that made the file.
    pub command: String,
}

/// Test accuracy against the number of labelled training digits, for a softmax on pixels, on
/// PCA's codes and on the encoder's frozen codes, and for the encoder fine-tuned (and the same
/// network from random weights), each with and without deformations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferStudy {
    /// The autoencoder whose encoder is reused.
    pub encoder_model: String,
    /// Numbers per code (L), also PCA's code size.
    pub code_size: usize,
    /// Fine-tuning's Adam steps and digits per step.
    pub steps: usize,
    /// Digits per step (all the labelled digits when there are fewer).
    pub batch_size: usize,
    /// One point per number of labels, fewest first.
    pub by_labels: Vec<TransferPoint>,
    /// The command that measured it.
    pub command: String,
}

/// Test accuracies (0…1) with one number of labels, each over the same draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferPoint {
    /// Labelled training digits (the same number of each digit, or all 8,004).
    pub labels: usize,
    /// Random draws of which digits are labelled.
    pub draws: usize,
    /// Softmax on the 784 pixels.
    pub pixels: Accuracy,
    /// Softmax on PCA's codes of the same size.
    pub pca: Accuracy,
    /// Softmax on the encoder's frozen codes.
    pub frozen_codes: Accuracy,
    /// The encoder and a head fine-tuned, with deformations.
    pub fine_tuned: Accuracy,
    /// The same without deformations.
    pub fine_tuned_undeformed: Accuracy,
    /// The same network from random weights, with deformations.
    pub random_init: Accuracy,
    /// The same without deformations.
    pub random_init_undeformed: Accuracy,
}

/// An accuracy over several draws: each run's, their mean and standard deviation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accuracy {
    /// Mean over the runs.
    pub mean: f64,
    /// Standard deviation over the runs (0 for one run).
    pub spread: f64,
    /// Each run's accuracy, draw by draw.
    pub runs: Vec<f64>,
}

impl Accuracy {
    /// The mean and spread of `runs`.
    pub fn of(runs: Vec<f64>) -> Self {
        let n = runs.len().max(1) as f64;
        let mean = runs.iter().sum::<f64>() / n;
        let spread = (runs.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / n).sqrt();
        Self { mean, spread, runs }
    }
}
