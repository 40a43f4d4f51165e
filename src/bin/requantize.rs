//! Re-quantises a shipped dense (or variational) model to fewer bits per weight, by GPTQ on
//! the training digits, starting from the weights its file holds, and records the result in
//! the manifest: its file size, bits, train and test figures, and this step after the command
//! that trained it. For a model that must fit a byte budget (the drawing model is fetched
//! before the first view) rather than the trainer's "fewest bits within 0.9 % of the float
//! weights".
//!
//! `requantize --id dense-l32 --bits 5 [--manifest www/models/manifest.json] [--data www/data/mnist-subset.bin]`

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), autoencoder_playground::Error> {
    use std::path::PathBuf;

    use autoencoder_playground::Error;
    use autoencoder_playground::data::{Dataset, SUBSET_PATH, Split};
    use autoencoder_playground::inference::InferenceModel;
    use autoencoder_playground::manifest::{MANIFEST_PATH, Manifest};
    use autoencoder_playground::model_file::{self, WeightEncoding};
    use autoencoder_playground::quantization::{metrics_of_file, quantize_dense};
    use clap::Parser;

    #[derive(Parser)]
    #[command(about = "Re-quantise a shipped dense model to fewer bits per weight (GPTQ)")]
    struct Args {
        /// The model's id in the manifest.
        #[arg(long)]
        id: String,
        /// Bits per weight (2…8).
        #[arg(long)]
        bits: u8,
        #[arg(long, default_value = MANIFEST_PATH)]
        manifest: PathBuf,
        #[arg(long, default_value = SUBSET_PATH)]
        data: PathBuf,
    }

    let args = Args::parse();
    let io =
        |path: &PathBuf, e: std::io::Error| Error::InvalidInput(format!("{}: {e}", path.display()));
    let mut manifest = Manifest::read(&args.manifest)?;
    let dataset = Dataset::read(&args.data)?;
    let mut entry = manifest.entry(&args.id)?.clone();
    let path = args
        .manifest
        .parent()
        .unwrap_or(".".as_ref())
        .join(&entry.file);
    let model = InferenceModel::load(&std::fs::read(&path).map_err(|e| io(&path, e))?)?;
    let train = dataset.images(&dataset.indices(Split::Train));
    let test = dataset.images(&dataset.indices(Split::Test));

    let tensors = quantize_dense(&model, &train, args.bits)?;
    let file = model_file::write(model.header(), &tensors, WeightEncoding::Half)?;
    entry.test = metrics_of_file(&file, &test)?;
    entry.train = Some(metrics_of_file(&file, &train)?);
    entry.weight_bits = Some(args.bits);
    entry.file_bytes = file.len();
    entry.command = format!(
        "{} && cargo run --bin requantize -- --id {} --bits {}",
        entry.command, args.id, args.bits
    );
    std::fs::write(&path, &file).map_err(|e| io(&path, e))?;
    println!(
        "{}: {} bits, {} bytes, test MSE {:.5} (train {:.5})",
        entry.id,
        args.bits,
        file.len(),
        entry.test.mse,
        entry.train.as_ref().map_or(f64::NAN, |m| m.mse)
    );
    manifest.upsert(entry);
    std::fs::write(&args.manifest, manifest.to_json()).map_err(|e| io(&args.manifest, e))?;
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
