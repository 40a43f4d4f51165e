//! Re-quantises a shipped dense (or variational) model to fewer bits per weight, by GPTQ on
//! the training digits, starting from the weights its file holds, and records the result in
//! the manifest: its file size, bits, train and test figures, and this step after the command
//! that trained it. For a model that must fit a byte budget (the drawing model is fetched
//! before the first view) rather than the trainer's "fewest bits within 0.9 % of the float
//! weights".
//!
//! `requantize --id ID --bits BITS [--manifest www/models/manifest.json] [--data www/data/mnist-subset.bin]`

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> common::Result<()> {
    use autoencoder_playground::data::Split;
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
        #[command(flatten)]
        inputs: common::Inputs,
    }

    let args = Args::parse();
    let mut manifest = args.inputs.read_manifest()?;
    let dataset = args.inputs.dataset()?;
    let mut entry = manifest.entry(&args.id)?.clone();
    let model = args.inputs.model(&entry)?;
    let train = dataset.images(&dataset.indices(Split::Train));
    let test = dataset.images(&dataset.indices(Split::Test));

    let tensors = quantize_dense(&model, &train, args.bits)?;
    let file = model_file::write(model.header(), &tensors, WeightEncoding::Half)?;
    let train_metrics = metrics_of_file(&file, &train)?;
    entry.test = metrics_of_file(&file, &test)?;
    println!(
        "{}: {} bits, {} bytes, test MSE {:.5} (train {:.5})",
        entry.id,
        args.bits,
        file.len(),
        entry.test.mse,
        train_metrics.mse
    );
    entry.train = Some(train_metrics);
    entry.weight_bits = Some(args.bits);
    entry.file_bytes = file.len();
    entry.command = format!(
        "{} && cargo run --bin requantize -- --id {} --bits {}",
        entry.command, args.id, args.bits
    );
    common::write(&args.inputs.model_path(&entry.file), &file)?;
    manifest.upsert(entry);
    args.inputs.write_manifest(&manifest)
}

#[cfg(target_arch = "wasm32")]
fn main() {}
