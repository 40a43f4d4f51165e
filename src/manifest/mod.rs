//! `www/models/manifest.json`: the list of shipped models that the page offers and the tests
//! check. Written by the native trainer, read by the page and by the shipped-models test.
//! Its summary of each model (architecture, L, parameters) is checked against the model file's
//! own header by that test; how the model was trained is the trainer's own options and plan.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::architecture::ArchitectureKind;
use crate::training::{RunPlan, TrainingOptions};
use crate::util::error::{Error, Result};
use crate::util::metrics::Metrics;

mod transfer;
pub use transfer::{Accuracy, ClassifierEntry, TransferPoint, TransferStudy};

/// Where the manifest lives, relative to the repository: the native tools' default.
pub const MANIFEST_PATH: &str = "www/models/manifest.json";

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
    /// Architecture kind, as in the model file's header.
    pub architecture: ArchitectureKind,
    /// Width of the code (L).
    pub latent_size: usize,
    /// Trainable parameters.
    pub params: usize,
    /// Size of the model file in bytes.
    pub file_bytes: usize,
    /// How it was trained.
    pub training: TrainingRecord,
    /// Quality on the fixed test split, of the file as shipped.
    pub test: Metrics,
    /// The same weights' quality before their quantisation (in f16 for the models re-saved
    /// from version-1 files, in f32 for models trained since), so that what the smaller file
    /// costs is on record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unquantized_test: Option<Metrics>,
    /// Quality on the digits it was trained on (the whole train split, undeformed), of the
    /// file as shipped: beside `test`, how much the model overfits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train: Option<Metrics>,
    /// Bits per weight of the file's weight matrices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_bits: Option<u8>,
    /// The command that made the file.
    pub command: String,
    /// The neighbour-keeping map of its test digits' codes, shipped beside it (`map-report`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map: Option<MapEntry>,
}

/// A model's t-SNE map of the test digits' codes, and how well each view of the codes keeps a
/// digit's neighbours the same digit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapEntry {
    /// File name, relative to the manifest.
    pub file: String,
    pub file_bytes: usize,
    /// Neighbours counted per digit.
    pub k: usize,
    /// The share of each test digit's `k` nearest neighbours that are the same digit: on the
    /// PCA plane of the codes, on the t-SNE map, and among the codes themselves (all L numbers).
    pub agreement_pca: f64,
    pub agreement_map: f64,
    pub agreement_codes: f64,
    /// Seconds t-SNE took natively.
    pub seconds: f64,
    /// The command that made the file.
    pub command: String,
}

/// How a shipped model was trained: the trainer's options and the run's plan, as given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainingRecord {
    /// The model and optimiser settings.
    pub options: TrainingOptions,
    /// The run: epochs, data, schedule, objective, augmentation.
    pub plan: RunPlan,
    /// Training digits used (the plan's subset, less any validation share).
    pub train_samples: usize,
}

/// What a shipped model is for. The page, the tests and the tools ask for a model by its role,
/// never by its id, so that a better model can take a role by changing the manifest alone.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
pub enum Role {
    /// The model the page opens with and draws with: the best dense model at L = 32.
    Drawing,
    /// The model whose reconstruction error the anomaly panel scores (`anomaly-report` picks it).
    Detector,
    /// The convolutional model whose feature maps the page shows.
    Conv,
    /// The dense model the convolutional one is compared with (same L).
    ConvBaseline,
    /// The model trained to rebuild clean digits from corrupted ones.
    Denoiser,
    /// The same recipe trained on clean digits, which the denoiser is compared with.
    DenoiserBaseline,
    /// The variational model whose prior the page samples ("Dream up digits").
    Generator,
    /// The variational model with a 2-number code, decoded over its prior's plane.
    GeneratorPlane,
    /// The plain model with a 2-number code, decoded over its codes' plane.
    CodePlane,
    /// The course note's network exactly (Dropout 0.5).
    CourseNote,
    /// The drawing model's encoder fine-tuned on 100 labelled digits (one of `classifiers`).
    Classifier,
}

/// The whole manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The model id that fills each role.
    pub roles: BTreeMap<Role, String>,
    /// Every shipped model.
    pub models: Vec<ModelEntry>,
    /// Ids of the models that differ only in their latent size, for the page's study.
    #[serde(default)]
    pub latent_size_study: Vec<String>,
    /// The linear baseline the study compares them with (`study-baselines` writes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pca_baseline: Option<PcaBaselineEntry>,
    /// The study's codes as features for a classifier (`study-baselines` writes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes_as_features: Option<CodesAsFeatures>,
    /// Shipped classifiers (not autoencoders: the `classifier` role names one of these).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classifiers: Vec<ClassifierEntry>,
    /// What a few labels make of the encoder (`transfer-report` writes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<TransferStudy>,
}

/// How well k-nearest-neighbour voting among the training digits' codes classifies the test
/// digits: for each L of the study, with the autoencoder's codes and with PCA's, and with
/// the raw pixels for comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodesAsFeatures {
    /// Neighbours that vote.
    pub k: usize,
    /// Test accuracy (0…1) on the 784 raw pixels.
    pub raw_pixels: f64,
    /// Test accuracy at each latent size of the study.
    pub by_code_size: Vec<FeaturePoint>,
    /// The command that measured it.
    pub command: String,
}

/// Test accuracy (0…1) of k-nearest-neighbour voting with codes of one size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeaturePoint {
    /// Numbers per code (L).
    pub code_size: usize,
    /// With the study's autoencoder of this L.
    pub autoencoder: f64,
    /// With PCA's code of this size.
    pub pca: f64,
}

/// Principal component analysis of the training digits, as a codec (see
/// [`crate::analysis::baseline`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PcaBaselineEntry {
    /// File name, relative to the manifest.
    pub file: String,
    /// Axes in the file: the largest code size it serves.
    pub axes: usize,
    /// Size of the file in bytes.
    pub file_bytes: usize,
    /// Its quality at each latent size of the study, on the fixed splits, of the file as
    /// shipped.
    pub by_code_size: Vec<BaselinePoint>,
    /// The command that made the file.
    pub command: String,
}

/// A baseline's quality with codes of one size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaselinePoint {
    /// Numbers per code (L).
    pub code_size: usize,
    /// On the training digits it was fitted to.
    pub train: Metrics,
    /// On the test digits.
    pub test: Metrics,
}

impl Manifest {
    /// Parses the manifest's JSON.
    pub fn parse(json: &str) -> Result<Self> {
        serde_json::from_str(json)
            .map_err(|e| Error::InvalidInput(format!("models/manifest.json: {e}")))
    }

    /// Reads and parses the manifest at `path` (native tools).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn read(path: &std::path::Path) -> Result<Self> {
        let json = std::fs::read_to_string(path)
            .map_err(|e| Error::InvalidInput(format!("{}: {e}", path.display())))?;
        Self::parse(&json)
    }

    /// The manifest as pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a manifest serialises");
        json.push('\n');
        json
    }

    /// Adds model `id` to the latent-size study (once), keeping the study ordered by L.
    pub fn add_to_latent_size_study(&mut self, id: &str) {
        if !self.latent_size_study.iter().any(|s| s == id) {
            self.latent_size_study.push(id.to_string());
        }
        let latent = |id: &String| {
            self.models
                .iter()
                .find(|m| &m.id == id)
                .map_or(usize::MAX, |m| m.latent_size)
        };
        let mut study = self.latent_size_study.clone();
        study.sort_by_key(latent);
        self.latent_size_study = study;
    }

    /// The study's models, smallest L first.
    pub fn study_models(&self) -> Vec<&ModelEntry> {
        self.latent_size_study
            .iter()
            .filter_map(|id| self.models.iter().find(|m| &m.id == id))
            .collect()
    }

    /// The latent sizes of the study's models, smallest first.
    pub fn study_latent_sizes(&self) -> Vec<usize> {
        self.study_models().iter().map(|m| m.latent_size).collect()
    }

    /// The model that fills `role`, or an error naming the role when none does.
    pub fn role(&self, role: Role) -> Result<&ModelEntry> {
        let id = self.roles.get(&role).ok_or_else(|| {
            Error::InvalidInput(format!(
                "models/manifest.json: no model has the role {role:?}"
            ))
        })?;
        self.entry(id)
    }

    /// The classifier that fills the `classifier` role.
    pub fn classifier(&self) -> Result<&ClassifierEntry> {
        let id = self.roles.get(&Role::Classifier).ok_or_else(|| {
            Error::InvalidInput("models/manifest.json: no classifier has the role".into())
        })?;
        self.classifiers
            .iter()
            .find(|c| &c.id == id)
            .ok_or_else(|| {
                Error::InvalidInput(format!("models/manifest.json: no classifier \"{id}\""))
            })
    }

    /// The entry with `id`, or an error naming it.
    pub fn entry(&self, id: &str) -> Result<&ModelEntry> {
        self.models
            .iter()
            .find(|m| m.id == id)
            .ok_or_else(|| Error::InvalidInput(format!("models/manifest.json: no model \"{id}\"")))
    }

    /// Adds `entry`, replacing an entry with the same id in place.
    pub fn upsert(&mut self, entry: ModelEntry) {
        match self.models.iter_mut().find(|m| m.id == entry.id) {
            Some(existing) => *existing = entry,
            None => self.models.push(entry),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, latent_size: usize) -> ModelEntry {
        ModelEntry {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            file: format!("{id}.aepg"),
            architecture: ArchitectureKind::Dense,
            latent_size,
            params: 1,
            file_bytes: 1,
            training: TrainingRecord {
                options: TrainingOptions {
                    latent_size,
                    ..Default::default()
                },
                plan: RunPlan::default(),
                train_samples: 1,
            },
            test: Metrics {
                mse: 0.1,
                bce: 0.2,
                psnr: 10.0,
            },
            unquantized_test: None,
            train: None,
            weight_bits: None,
            command: String::new(),
            map: None,
        }
    }

    #[test]
    fn the_latent_size_study_stays_ordered_by_l_and_survives_a_round_trip() {
        let mut manifest = Manifest::default();
        for (id, latent) in [("l32", 32), ("l2", 2), ("l8", 8)] {
            manifest.upsert(entry(id, latent));
            manifest.add_to_latent_size_study(id);
        }
        manifest.add_to_latent_size_study("l8");
        assert_eq!(manifest.latent_size_study, ["l2", "l8", "l32"]);
        assert_eq!(Manifest::parse(&manifest.to_json()).unwrap(), manifest);
        // Manifests written before the study existed still parse.
        let old = r#"{"roles": {}, "models": []}"#;
        assert!(Manifest::parse(old).unwrap().latent_size_study.is_empty());
    }

    #[test]
    fn a_role_has_one_name_in_json_and_on_the_command_line() {
        use strum::VariantArray;
        for &role in Role::VARIANTS {
            let json = serde_json::to_value(role).unwrap();
            assert_eq!(json.as_str().unwrap().parse::<Role>().unwrap(), role);
        }
        assert_eq!("convBaseline".parse::<Role>().unwrap(), Role::ConvBaseline);
        assert!("conv-baseline".parse::<Role>().is_err());
    }

    #[test]
    fn a_role_names_its_model_and_a_missing_role_or_model_is_an_error() {
        let mut manifest = Manifest::default();
        manifest.upsert(entry("a", 32));
        manifest.roles.insert(Role::Drawing, "a".into());
        manifest.roles.insert(Role::Conv, "gone".into());
        assert_eq!(manifest.role(Role::Drawing).unwrap().id, "a");
        assert!(
            manifest
                .role(Role::Detector)
                .unwrap_err()
                .to_string()
                .contains("Detector")
        );
        assert!(
            manifest
                .role(Role::Conv)
                .unwrap_err()
                .to_string()
                .contains("gone")
        );
        let json = manifest.to_json();
        assert!(json.contains(r#""drawing": "a""#), "{json}");
        assert_eq!(Manifest::parse(&json).unwrap(), manifest);
    }
}
