//! The neighbour-keeping maps of the test digits: for every shipped model with more than two
//! latent numbers, the test digits' codes placed on a plane by t-SNE, written beside the model
//! (`<id>.map`), and how well each view keeps a digit among its own kind (the share of its 10
//! nearest neighbours that are the same digit) on PCA's plane, on the map and among the codes
//! themselves, recorded in the manifest.
//!
//! `map-report [--manifest www/models/manifest.json] [--data www/data/mnist-subset.bin]
//!  [--iterations 1000]`

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> common::Result<()> {
    use std::time::Instant;

    use autoencoder_playground::analysis::neighbour_map::map_file;
    use autoencoder_playground::analysis::pca::PlaneProjection;
    use autoencoder_playground::analysis::tsne::{TsneOptions, neighbourhood_agreement, tsne};
    use autoencoder_playground::data::Split;
    use autoencoder_playground::manifest::MapEntry;
    use clap::Parser;

    /// Neighbour-keeping maps of the test digits' codes, one per shipped model.
    #[derive(Parser, Debug)]
    struct Args {
        #[command(flatten)]
        inputs: common::Inputs,
        /// t-SNE's gradient steps.
        #[arg(long, default_value_t = TsneOptions::default().iterations)]
        iterations: usize,
    }

    /// Neighbours counted per digit.
    const K: usize = 10;

    let args = Args::parse();
    let inputs = &args.inputs;
    let mut manifest = inputs.read_manifest()?;
    let dataset = inputs.dataset()?;
    let test = dataset.indices(Split::Test);
    let images = dataset.images(&test);
    let labels: Vec<u8> = test.iter().map(|&i| dataset.label(i)).collect();
    let options = TsneOptions {
        iterations: args.iterations,
        ..TsneOptions::default()
    };
    let command = format!(
        "cargo run --release --bin map-report -- --manifest {} --data {} --iterations {}",
        inputs.manifest.display(),
        inputs.data.display(),
        args.iterations
    );
    let mut entries = manifest.models.clone();
    for entry in entries.iter_mut().filter(|entry| entry.latent_size > 2) {
        let latent = entry.latent_size;
        let codes = inputs.model(entry)?.encode_many(&images)?;
        let started = Instant::now();
        let positions = tsne(&codes, latent, &options)?;
        let seconds = started.elapsed().as_secs_f64();
        let plane = PlaneProjection::fit(&codes, latent)?.project(&codes)?;
        let bytes = map_file(&positions)?;
        let file = format!("{}.map", entry.id);
        common::write(&inputs.model_path(&file), &bytes)?;
        let map = MapEntry {
            file,
            file_bytes: bytes.len(),
            k: K,
            agreement_pca: neighbourhood_agreement(&plane, 2, &labels, K)?,
            agreement_map: neighbourhood_agreement(&positions, 2, &labels, K)?,
            agreement_codes: neighbourhood_agreement(&codes, latent, &labels, K)?,
            seconds,
            command: command.clone(),
        };
        println!(
            "{:<16} L={latent:<3} same-digit neighbours: PCA plane {:.3}, t-SNE map {:.3}, codes {:.3} ({seconds:.1} s)",
            entry.id, map.agreement_pca, map.agreement_map, map.agreement_codes
        );
        entry.map = Some(map);
    }
    manifest.models = entries;
    inputs.write_manifest(&manifest)?;
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
