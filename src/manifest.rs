//! `www/models/manifest.json`: the list of shipped models that the page offers and the tests
//! check. Written by the native trainer, read by the page and by the shipped-weights test.

use serde::{Deserialize, Serialize};

use crate::loss::Metrics;
use crate::{Error, Result};

/// One shipped model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelEntry {
    /// Stable identifier, used in URLs and selectors.
    pub id: String,
    /// Human name for the page's selector.
    pub name: String,
    /// One or two sentences for the page: what this model is and why it differs.
    pub description: String,
    /// File name, relative to the manifest.
    pub file: String,
    /// Architecture kind, as in the model file's header (`"dense"`).
    pub architecture: String,
    /// Width of the code (L).
    pub latent_size: usize,
    /// Dropout rate used in training.
    pub dropout: f64,
    /// Trainable parameters.
    pub params: usize,
    /// Size of the model file in bytes.
    pub file_bytes: usize,
    /// How it was trained.
    pub training: TrainingRecord,
    /// Quality on the fixed test split.
    pub test: Metrics,
    /// The command that made the file.
    pub command: String,
}

/// How a shipped model was trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainingRecord {
    /// Passes over the training data.
    pub epochs: usize,
    /// Samples per Adam step.
    pub batch_size: usize,
    /// Adam's initial learning rate.
    pub learning_rate: f64,
    /// Learning-rate schedule (`"constant"` or `"cosine"`).
    pub schedule: String,
    /// Random shift augmentation, in pixels (0 = none).
    pub augment_shift: usize,
    /// Seed of the weights, the shuffles and the dropout masks.
    pub seed: u64,
    /// Training samples used.
    pub train_samples: usize,
}

/// The whole manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The model the page opens with.
    pub default_model: String,
    /// Every shipped model.
    pub models: Vec<ModelEntry>,
}

impl Manifest {
    /// Parses the manifest's JSON.
    pub fn parse(json: &str) -> Result<Self> {
        serde_json::from_str(json)
            .map_err(|e| Error::InvalidInput(format!("models/manifest.json: {e}")))
    }

    /// The manifest as pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a manifest serialises");
        json.push('\n');
        json
    }

    /// Adds `entry`, replacing an entry with the same id in place.
    pub fn upsert(&mut self, entry: ModelEntry) {
        match self.models.iter_mut().find(|m| m.id == entry.id) {
            Some(existing) => *existing = entry,
            None => self.models.push(entry),
        }
    }
}
