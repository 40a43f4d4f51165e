//! Prints, as a Markdown table, how good each shipped variational model's dreams are (digits
//! decoded from its prior), beside those of the plain study model of the same code size drawn
//! from a Gaussian fitted to its codes (for BENCHMARKS.md; see
//! `autoencoder_playground::analysis::dreams`). The judge is the manifest's `detector`.
//!
//! `dream-report [--manifest www/models/manifest.json] [--data www/data/mnist-subset.bin]`

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> common::Result<()> {
    use autoencoder_playground::analysis::dreams::{
        AGREEING, VOTERS, mean_pairwise_mse, passing_as_digits, plain_dreams, recognised,
    };
    use autoencoder_playground::architecture::ArchitectureKind;
    use autoencoder_playground::data::Split;
    use autoencoder_playground::manifest::Role;
    use clap::Parser;

    /// The variational models' dreams beside a plain model's.
    #[derive(Parser, Debug)]
    struct Args {
        #[command(flatten)]
        inputs: common::Inputs,
    }

    const DRAWS: usize = 100;
    const SEED: u64 = 1;

    let inputs = Args::parse().inputs;
    let manifest = inputs.read_manifest()?;
    let dataset = inputs.dataset()?;
    let (detector, judge) = inputs.role(&manifest, Role::Detector)?;
    let test = dataset.images(&dataset.indices(Split::Test)[..DRAWS]);
    let test_spread = mean_pairwise_mse(&test)?;

    println!(
        "| dreams ({DRAWS}, seed {SEED}) | pass {}'s detector | recognised ({AGREEING} of {VOTERS} nearest training digits agree) | spread ÷ test digits' |",
        detector.id
    );
    println!("|---|---:|---:|---:|");
    let row = |name: String, images: &[f32]| -> common::Result<()> {
        println!(
            "| {name} | {} | {} | {:.2} |",
            passing_as_digits(&judge, &dataset, images)?,
            recognised(&dataset, images)?,
            mean_pairwise_mse(images)? / test_spread
        );
        Ok(())
    };
    row(format!("{DRAWS} test digits (for scale)"), &test)?;
    for entry in manifest
        .models
        .iter()
        .filter(|m| m.architecture == ArchitectureKind::Vae)
    {
        let vae = inputs.model(entry)?;
        row(
            format!("{}: its prior N(0, I)", entry.id),
            &vae.sample(DRAWS, SEED)?,
        )?;
        // The latent-size study's plain model with the same code size, if there is one.
        let study = manifest.study_models();
        if let Some(plain) = study.iter().find(|m| m.latent_size == entry.latent_size) {
            let dreams = plain_dreams(&inputs.model(plain)?, &dataset, DRAWS, SEED)?;
            row(
                format!("{}: a Gaussian fitted to its test codes", plain.id),
                &dreams,
            )?;
        }
    }
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
