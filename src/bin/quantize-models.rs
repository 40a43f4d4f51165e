//! Re-saves the shipped models listed in a manifest with as few bits per weight as keep each
//! one's test MSE within `quantization::MSE_TOLERANCE` of its float weights' (GPTQ for the
//! dense models, 8-bit rounding for the others), and records in the manifest each file's size,
//! bits per weight and test figures beside the float weights' (`unquantizedTest`).
//!
//! `quantize-models <dir of float model files> [www/models/manifest.json] [www/data/mnist-subset.bin]`
//!
//! The float files are the models as trained, before any quantisation: files of the same names
//! in f16 or f32 (for the models shipped so far, the version-1 files of the repository's
//! history: `pkg-scripts/quantize-models.sh` fetches them from git).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), String> {
    use autoencoder_playground::data::{Dataset, SUBSET_PATH, Split};
    use autoencoder_playground::manifest::{MANIFEST_PATH, Manifest};
    use autoencoder_playground::model_file;
    use autoencoder_playground::quantization;
    use std::path::Path;

    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(sources) = args.first() else {
        return Err("usage: quantize-models <dir of float model files> [manifest] [data]".into());
    };
    let manifest_path = args.get(1).map_or(MANIFEST_PATH, String::as_str);
    let data_path = args.get(2).map_or(SUBSET_PATH, String::as_str);
    let read = |path: &Path| std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()));
    let mut manifest = Manifest::read(Path::new(manifest_path)).map_err(|e| e.to_string())?;
    let dataset = Dataset::read(Path::new(data_path)).map_err(|e| e.to_string())?;
    let test_images = dataset.images(&dataset.indices(Split::Test));
    let train_images = dataset.images(&dataset.indices(Split::Train));
    let models_dir = Path::new(manifest_path).parent().unwrap_or(Path::new("."));

    println!("| model | float bytes | shipped bytes | bits | float test MSE | shipped | change |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for entry in &mut manifest.models {
        let source = Path::new(sources).join(&entry.file);
        let float_bytes = read(&source)?;
        let file =
            model_file::read(&float_bytes).map_err(|e| format!("{}: {e}", source.display()))?;
        let (shipped, float) =
            quantization::ship(&file.header, file.tensors, &train_images, &test_images)
                .map_err(|e| format!("{}: {e}", entry.id))?;
        println!(
            "| {} | {} | {} | {} | {:.5} | {:.5} | {:+.2} % |",
            entry.id,
            float_bytes.len(),
            shipped.bytes.len(),
            shipped.bits,
            float.mse,
            shipped.test.mse,
            100.0 * (shipped.test.mse / float.mse - 1.0)
        );
        let path = models_dir.join(&entry.file);
        std::fs::write(&path, &shipped.bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        entry.unquantized_test = Some(float);
        entry.test = shipped.test;
        entry.weight_bits = Some(shipped.bits);
        entry.file_bytes = shipped.bytes.len();
    }
    std::fs::write(manifest_path, manifest.to_json())
        .map_err(|e| format!("{manifest_path}: {e}"))?;
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
