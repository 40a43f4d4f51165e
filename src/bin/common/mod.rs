//! What the native tools share: the inputs every one of them reads (the models' manifest and
//! the MNIST subset file), as one clap struct each tool flattens into its own arguments, and
//! one error type for their failures.
#![allow(dead_code)] // each tool uses its own part

use std::path::{Path, PathBuf};

use autoencoder_playground::data::{Dataset, SUBSET_PATH};
use autoencoder_playground::inference::InferenceModel;
use autoencoder_playground::manifest::{MANIFEST_PATH, Manifest, ModelEntry, Role};

/// Why a tool stopped: the crate's error, a file it could not read or write, or a wrong use.
#[derive(thiserror::Error)]
pub enum Failure {
    /// The core refused something (a damaged file, options out of range…).
    #[error(transparent)]
    Core(#[from] autoencoder_playground::Error),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The arguments do not make sense together.
    #[error("{0}")]
    Usage(String),
}

/// `main` prints a returned error with `Debug`: the message, not the enum.
impl std::fmt::Debug for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// A tool's result.
pub type Result<T> = std::result::Result<T, Failure>;

/// Reads the file at `path`, an error naming it.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Failure::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes `bytes` to `path`, an error naming it.
pub fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| Failure::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The inputs the tools share.
#[derive(clap::Args, Debug, Clone)]
pub struct Inputs {
    /// The models' manifest (model files are found beside it).
    #[arg(long, default_value = MANIFEST_PATH)]
    pub manifest: PathBuf,
    /// The MNIST subset file (made by pkg-scripts/fetch-data.sh).
    #[arg(long, default_value = SUBSET_PATH)]
    pub data: PathBuf,
}

impl Inputs {
    /// The manifest.
    pub fn read_manifest(&self) -> Result<Manifest> {
        Ok(Manifest::read(&self.manifest)?)
    }

    /// The manifest, or an empty one when there is none yet (the first model trained).
    pub fn read_manifest_or_new(&self) -> Result<Manifest> {
        if self.manifest.exists() {
            self.read_manifest()
        } else {
            Ok(Manifest::default())
        }
    }

    /// Writes `manifest` where it was read from.
    pub fn write_manifest(&self, manifest: &Manifest) -> Result<()> {
        write(&self.manifest, manifest.to_json())
    }

    /// The digits.
    pub fn dataset(&self) -> Result<Dataset> {
        Ok(Dataset::read(&self.data)?)
    }

    /// The folder the manifest's files are in.
    pub fn models_dir(&self) -> &Path {
        self.manifest.parent().unwrap_or(Path::new("."))
    }

    /// Where the manifest's file `file` is.
    pub fn model_path(&self, file: &str) -> PathBuf {
        self.models_dir().join(file)
    }

    /// The model of a manifest entry.
    pub fn model(&self, entry: &ModelEntry) -> Result<InferenceModel> {
        Ok(InferenceModel::load(&read(&self.model_path(&entry.file))?)?)
    }

    /// The model that fills `role` in `manifest`, with its entry.
    pub fn role<'m>(
        &self,
        manifest: &'m Manifest,
        role: Role,
    ) -> Result<(&'m ModelEntry, InferenceModel)> {
        let entry = manifest.role(role)?;
        Ok((entry, self.model(entry)?))
    }
}
