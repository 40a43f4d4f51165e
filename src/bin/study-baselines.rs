//! What the latent-size study's autoencoders are measured against, written into the manifest:
//! - the PCA baseline: principal component analysis of the training digits with as many axes
//!   as the study's largest L, written beside the models, with its train and test quality at
//!   every L of the study;
//! - codes as features: k-nearest-neighbour (k = 5) classification of the test digits by the
//!   training digits' codes, for each study model and for PCA at the same L, and by the raw
//!   pixels.
//!
//! `study-baselines [--manifest www/models/manifest.json] [--data www/data/mnist-subset.bin]`

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> common::Result<()> {
    use autoencoder_playground::analysis::baseline::PcaBaseline;
    use autoencoder_playground::analysis::knn::LabelledSet;
    use autoencoder_playground::data::Split;
    use autoencoder_playground::manifest::{
        BaselinePoint, CodesAsFeatures, FeaturePoint, PcaBaselineEntry,
    };
    use autoencoder_playground::util::image::PIXELS;
    use clap::Parser;
    use common::{Failure, Result};

    /// The PCA baseline and the codes-as-features figures of the latent-size study.
    #[derive(Parser, Debug)]
    struct Args {
        #[command(flatten)]
        inputs: common::Inputs,
    }

    /// Neighbours that vote: odd, so that two labels cannot tie at 2–2 with a fifth.
    const K: usize = 5;

    let inputs = Args::parse().inputs;
    let mut manifest = inputs.read_manifest()?;
    let dataset = inputs.dataset()?;
    let (train_indices, test_indices) =
        (dataset.indices(Split::Train), dataset.indices(Split::Test));
    let train = dataset.images(&train_indices);
    let test = dataset.images(&test_indices);
    let labels =
        |indices: &[usize]| -> Vec<u8> { indices.iter().map(|&i| dataset.label(i)).collect() };
    let (train_labels, test_labels) = (labels(&train_indices), labels(&test_indices));
    let command = format!(
        "cargo run --bin study-baselines -- --manifest {} --data {}",
        inputs.manifest.display(),
        inputs.data.display()
    );

    let sizes = manifest.study_latent_sizes();
    let axes = *sizes
        .iter()
        .max()
        .ok_or_else(|| Failure::Usage("the manifest has no latent-size study".into()))?;
    let file = format!("pca-l{axes}.pca");
    let path = inputs.model_path(&file);
    let bytes = PcaBaseline::fit(&train, axes)?.to_bytes();
    common::write(&path, &bytes)?;
    // Measured on the file as the page reads it (its axes in half precision).
    let pca = PcaBaseline::from_bytes(&bytes)?;
    println!("wrote {} ({} bytes)", path.display(), bytes.len());

    let knn = |train_codes: &[f32], test_codes: &[f32], dim: usize| -> Result<f64> {
        Ok(LabelledSet::new(train_codes, &train_labels, dim)
            .and_then(|set| set.accuracy(test_codes, &test_labels, K))?)
    };
    let pca_codes = |images: &[f32], size: usize| -> Result<Vec<f32>> {
        let mut codes = Vec::with_capacity(images.len() / PIXELS * size);
        for image in images.chunks_exact(PIXELS) {
            codes.extend(pca.encode(image, size)?);
        }
        Ok(codes)
    };
    let raw_pixels = knn(&train, &test, PIXELS)?;

    println!(
        "| L | PCA train MSE | PCA test MSE | kNN: autoencoder | kNN: PCA |\n|---:|---:|---:|---:|---:|"
    );
    let (mut baseline_points, mut feature_points) = (Vec::new(), Vec::new());
    for entry in manifest.study_models() {
        let size = entry.latent_size;
        let metrics = |images: &[f32]| pca.metrics(images, size);
        let point = BaselinePoint {
            code_size: size,
            train: metrics(&train)?,
            test: metrics(&test)?,
        };
        let model = inputs.model(entry)?;
        let feature = FeaturePoint {
            code_size: size,
            autoencoder: knn(
                &model.encode_many(&train)?,
                &model.encode_many(&test)?,
                size,
            )?,
            pca: knn(&pca_codes(&train, size)?, &pca_codes(&test, size)?, size)?,
        };
        println!(
            "| {size} | {:.5} | {:.5} | {:.2} % | {:.2} % |",
            point.train.mse,
            point.test.mse,
            100.0 * feature.autoencoder,
            100.0 * feature.pca
        );
        baseline_points.push(point);
        feature_points.push(feature);
    }
    println!("kNN on the raw pixels: {:.2} %", 100.0 * raw_pixels);
    manifest.pca_baseline = Some(PcaBaselineEntry {
        file,
        axes,
        file_bytes: bytes.len(),
        by_code_size: baseline_points,
        command: command.clone(),
    });
    manifest.codes_as_features = Some(CodesAsFeatures {
        k: K,
        raw_pixels,
        by_code_size: feature_points,
        command,
    });
    inputs.write_manifest(&manifest)?;
    println!("wrote {}", inputs.manifest.display());
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
