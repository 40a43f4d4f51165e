//! Prints, as a Markdown table, how good each shipped variational model's dreams are (digits
//! decoded from its prior), beside those of the plain study model of the same code size drawn
//! from a Gaussian fitted to its codes (for BENCHMARKS.md; see
//! `autoencoder_playground::analysis::dreams`). The judge is the default drawing model.
//!
//! `dream-report [www/models/manifest.json] [www/data/mnist-subset.bin]`

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), String> {
    use autoencoder_playground::analysis::dreams::{
        AGREEING, VOTERS, mean_pairwise_mse, passing_as_digits, plain_dreams, recognised,
    };
    use autoencoder_playground::architecture::ArchitectureKind;
    use autoencoder_playground::data::{Dataset, SUBSET_PATH, Split};
    use autoencoder_playground::inference::InferenceModel;
    use autoencoder_playground::manifest::{MANIFEST_PATH, Manifest, Role};
    use std::path::Path;

    const DRAWS: usize = 100;
    const SEED: u64 = 1;

    let args: Vec<String> = std::env::args().skip(1).collect();
    let manifest_path = args.first().map_or(MANIFEST_PATH, String::as_str);
    let data_path = args.get(1).map_or(SUBSET_PATH, String::as_str);
    let fail = |e: autoencoder_playground::Error| e.to_string();
    let manifest = Manifest::read(Path::new(manifest_path)).map_err(fail)?;
    let dataset = Dataset::read(Path::new(data_path)).map_err(fail)?;
    let models_dir = Path::new(manifest_path).parent().unwrap_or(Path::new("."));
    let load = |id: &str| -> Result<InferenceModel, String> {
        let entry = manifest
            .models
            .iter()
            .find(|m| m.id == id)
            .ok_or(format!("{id} is not in the manifest"))?;
        let path = models_dir.join(&entry.file);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        InferenceModel::load(&bytes).map_err(fail)
    };
    let detector = &manifest.role(Role::Detector).map_err(fail)?.id;
    let judge = load(detector)?;
    let test = dataset.images(&dataset.indices(Split::Test)[..DRAWS]);
    let test_spread = mean_pairwise_mse(&test).map_err(fail)?;

    println!(
        "| dreams ({DRAWS}, seed {SEED}) | pass {}'s detector | recognised ({AGREEING} of {VOTERS} nearest training digits agree) | spread ÷ test digits' |",
        detector
    );
    println!("|---|---:|---:|---:|");
    let row = |name: String, images: &[f32]| -> Result<(), String> {
        println!(
            "| {name} | {} | {} | {:.2} |",
            passing_as_digits(&judge, &dataset, images).map_err(fail)?,
            recognised(&dataset, images).map_err(fail)?,
            mean_pairwise_mse(images).map_err(fail)? / test_spread
        );
        Ok(())
    };
    row(format!("{DRAWS} test digits (for scale)"), &test)?;
    for entry in manifest
        .models
        .iter()
        .filter(|m| m.architecture == ArchitectureKind::Vae)
    {
        let vae = load(&entry.id)?;
        row(
            format!("{}: its prior N(0, I)", entry.id),
            &vae.sample(DRAWS, SEED).map_err(fail)?,
        )?;
        let plain_id = format!("dense-l{}", entry.latent_size);
        if let Ok(plain) = load(&plain_id) {
            let dreams = plain_dreams(&plain, &dataset, DRAWS, SEED).map_err(fail)?;
            row(
                format!("{plain_id}: a Gaussian fitted to its test codes"),
                &dreams,
            )?;
        }
    }
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
