//! Re-saves the shipped models listed in a manifest with 8-bit weights (model file version 2),
//! and records in the manifest each file's new size and test figures beside the figures it had
//! before (`unquantizedTest`). Files already in version 2 with 8-bit weights are left alone.
//!
//! `quantize-models [www/models/manifest.json] [www/data/mnist-subset.bin]`

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), String> {
    use autoencoder_playground::data::{Dataset, SUBSET_PATH, Split};
    use autoencoder_playground::inference::InferenceModel;
    use autoencoder_playground::manifest::{MANIFEST_PATH, Manifest};
    use autoencoder_playground::model_file::{self, WeightEncoding};
    use autoencoder_playground::training::evaluate;
    use std::path::Path;

    let args: Vec<String> = std::env::args().skip(1).collect();
    let manifest_path = args.first().map_or(MANIFEST_PATH, String::as_str);
    let data_path = args.get(1).map_or(SUBSET_PATH, String::as_str);
    let read = |path: &str| std::fs::read(path).map_err(|e| format!("{path}: {e}"));
    let mut manifest = Manifest::read(Path::new(manifest_path)).map_err(|e| e.to_string())?;
    let dataset = Dataset::read(Path::new(data_path)).map_err(|e| e.to_string())?;
    let test_images = dataset.images(&dataset.indices(Split::Test));
    let models_dir = Path::new(manifest_path).parent().unwrap_or(Path::new("."));

    println!("| model | bytes before | bytes after | test MSE before | after | change |");
    println!("|---|---:|---:|---:|---:|---:|");
    for entry in &mut manifest.models {
        if entry.unquantized_test.is_some() {
            println!("| {} | already 8-bit | | | | |", entry.id);
            continue;
        }
        let path = models_dir.join(&entry.file);
        let path_text = path.display().to_string();
        let before = read(&path_text)?;
        let model = InferenceModel::load(&before).map_err(|e| format!("{path_text}: {e}"))?;
        let after = model_file::save(model.network(), model.header(), WeightEncoding::Int8PerUnit)
            .map_err(|e| e.to_string())?;
        let quantized = InferenceModel::load(&after).map_err(|e| e.to_string())?;
        let metrics = evaluate(quantized.network(), &test_images);
        println!(
            "| {} | {} | {} | {:.5} | {:.5} | {:+.2} % |",
            entry.id,
            before.len(),
            after.len(),
            entry.test.mse,
            metrics.mse,
            100.0 * (metrics.mse / entry.test.mse - 1.0)
        );
        std::fs::write(&path, &after).map_err(|e| format!("{path_text}: {e}"))?;
        entry.unquantized_test = Some(entry.test);
        entry.test = metrics;
        entry.file_bytes = after.len();
    }
    std::fs::write(manifest_path, manifest.to_json())
        .map_err(|e| format!("{manifest_path}: {e}"))?;
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
