//! What a few labels make of the drawing model's encoder (the manifest's `drawing` role): for
//! 10, 100, 1,000 and all 8,004 labelled training digits (the same number of each digit, over
//! several random draws of which ones), the test accuracy of a softmax on pixels, on PCA's codes
//! and on the frozen codes, and of the encoder fine-tuned with a softmax head, against the same
//! network from random weights, each with and without deformations. Prints a Markdown table;
//! `--write ID` records the figures in the manifest (`transfer`) and ships the classifier
//! fine-tuned on the first draw of 100 labels as `ID` (the `classifier` role).
//!
//! `transfer-report [--draws 5,5,3,1] [--steps 1500] [--write ID]`

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> common::Result<()> {
    report::run()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod report {
    use std::time::Instant;

    use autoencoder_playground::inference::Classifier;
    use autoencoder_playground::manifest::{
        Accuracy, ClassifierEntry, Role, TransferPoint, TransferStudy,
    };
    use autoencoder_playground::model_file::WeightEncoding;
    use autoencoder_playground::synthetic::deform::Deformation;
    use autoencoder_playground::training::fine_tune::{FineTuneOptions, save_digit_classifier};
    use autoencoder_playground::training::transfer::{FeatureKind, Start, TransferData};
    use autoencoder_playground::util::image::PIXELS;
    use clap::Parser;

    use crate::common::{Failure, Inputs, Result, read, write};

    /// Labelled digits of each class at each point; `None` is every training digit.
    const PER_CLASS: [Option<usize>; 4] = [Some(1), Some(10), Some(100), None];
    /// The shipped classifier's labelled digits per class (100 labels).
    const SHIPPED_PER_CLASS: usize = 10;
    /// Bits per weight of the shipped classifier's matrices.
    const SHIPPED_BITS: u8 = 8;

    /// Transfer learning with a handful of labels.
    #[derive(Parser, Debug)]
    struct Args {
        #[command(flatten)]
        inputs: Inputs,
        /// Draws of labelled digits at 10, 100, 1,000 and 8,004 labels.
        #[arg(long, value_delimiter = ',', default_value = "5,5,3,1")]
        draws: Vec<usize>,
        /// Fine-tuning's Adam steps.
        #[arg(long, default_value_t = 1500)]
        steps: usize,
        /// Digits per fine-tuning step.
        #[arg(long, default_value_t = 100)]
        batch_size: usize,
        /// Record the figures in the manifest and ship the 100-label classifier under this id
        /// (its file is `<id>.aeclf` beside the manifest), with the `classifier` role.
        #[arg(long, value_name = "ID")]
        write: Option<String>,
    }

    pub fn run() -> Result<()> {
        let args = Args::parse();
        if args.draws.len() != PER_CLASS.len() || args.draws.contains(&0) {
            return Err(Failure::Usage(
                "--draws takes four counts ≥ 1 (10, 100, 1,000 and all labels)".into(),
            ));
        }
        let mut manifest = args.inputs.read_manifest()?;
        let encoder = manifest.role(Role::Drawing)?.clone();
        let autoencoder_file = read(&args.inputs.model_path(&encoder.file))?;
        let data = TransferData::new(args.inputs.dataset()?, &autoencoder_file)?;
        let options = FineTuneOptions {
            steps: args.steps,
            batch_size: args.batch_size,
            ..Default::default()
        };
        println!(
            "| labels | draws | pixels | PCA | frozen codes | fine-tuned | without deformations | random init | without deformations |\n|---|---|---|---|---|---|---|---|---|"
        );
        let mut points = Vec::new();
        let mut shipped = None;
        for (&per_class, &draws) in PER_CLASS.iter().zip(&args.draws) {
            let mut runs: [Vec<f64>; 7] = Default::default();
            let mut labels = 0;
            for draw in 0..draws as u64 {
                let started = Instant::now();
                let seed = 1000 * per_class.unwrap_or(0) as u64 + draw + 1;
                let labelled = data.dataset.labelled_draw(per_class, seed);
                labels = labelled.len();
                for (kind, slot) in [
                    (FeatureKind::Pixels, 0),
                    (FeatureKind::Pca, 1),
                    (FeatureKind::FrozenCodes, 2),
                ] {
                    runs[slot].push(data.softmax_accuracy(kind, &labelled)?);
                }
                for (start, deformation, slot) in [
                    (Start::Pretrained, Deformation::Elastic, 3),
                    (Start::Pretrained, Deformation::None, 4),
                    (Start::Random, Deformation::Elastic, 5),
                    (Start::Random, Deformation::None, 6),
                ] {
                    let options = FineTuneOptions {
                        deformation,
                        seed,
                        ..options
                    };
                    let (model, accuracy) = data.fine_tuned(start, &labelled, &options)?;
                    runs[slot].push(accuracy);
                    let ships = per_class == Some(SHIPPED_PER_CLASS)
                        && draw == 0
                        && start == Start::Pretrained
                        && deformation == Deformation::Elastic;
                    if ships {
                        shipped = Some((model, labelled.clone(), seed, accuracy));
                    }
                }
                let last: Vec<String> = runs.iter().map(|r| percent(*r.last().unwrap())).collect();
                eprintln!(
                    "{labels} labels, draw {}: {} ({:.0} s)",
                    draw + 1,
                    last.join(" "),
                    started.elapsed().as_secs_f64()
                );
            }
            let [
                pixels,
                pca,
                frozen_codes,
                fine_tuned,
                fine_tuned_undeformed,
                random_init,
                random_init_undeformed,
            ] = runs.map(Accuracy::of);
            let point = TransferPoint {
                labels,
                draws,
                pixels,
                pca,
                frozen_codes,
                fine_tuned,
                fine_tuned_undeformed,
                random_init,
                random_init_undeformed,
            };
            print_row(&point);
            points.push(point);
        }
        let Some(id) = args.write else {
            return Ok(());
        };
        let (model, labelled, seed, unquantized) =
            shipped.ok_or_else(|| Failure::Usage("no 100-label draw was run".into()))?;
        let command = command_line();
        let provenance = format!(
            "{}'s encoder fine-tuned on {} labelled digits (draw seed {seed}): {command}",
            encoder.id,
            labelled.len()
        );
        let bytes = save_digit_classifier(
            &model,
            labelled.len(),
            &provenance,
            WeightEncoding::PerUnit { bits: SHIPPED_BITS },
        )?;
        let test_accuracy = file_accuracy(&bytes, &data)?;
        eprintln!(
            "shipped classifier: {} bytes, test accuracy {} ({} before quantisation)",
            bytes.len(),
            percent(test_accuracy),
            percent(unquantized)
        );
        let file = format!("{id}.aeclf");
        write(&args.inputs.model_path(&file), &bytes)?;
        manifest.classifiers.retain(|c| c.id != id);
        manifest.classifiers.push(ClassifierEntry {
            id: id.clone(),
            file,
            file_bytes: bytes.len(),
            encoder_model: encoder.id.clone(),
            labels_used: labelled.len(),
            labels_per_class: SHIPPED_PER_CLASS,
            label_seed: seed,
            test_accuracy,
            weight_bits: SHIPPED_BITS,
            command: command.clone(),
        });
        manifest.roles.insert(Role::Classifier, id);
        manifest.transfer = Some(TransferStudy {
            encoder_model: encoder.id.clone(),
            code_size: data.code_size(),
            steps: args.steps,
            batch_size: args.batch_size,
            by_labels: points,
            command,
        });
        args.inputs.write_manifest(&manifest)?;
        Ok(())
    }

    /// Test accuracy of a classifier file as the page computes it (plain Rust, one image at a
    /// time).
    fn file_accuracy(bytes: &[u8], data: &TransferData) -> Result<f64> {
        let classifier = Classifier::load(bytes)?;
        let (images, labels) = data.test_set();
        let mut right = 0;
        for (image, &label) in images.chunks_exact(PIXELS).zip(&labels) {
            let probabilities = classifier.classify(image)?;
            let best = autoencoder_playground::analysis::softmax::most_probable(&probabilities);
            right += usize::from(best == label as usize);
        }
        Ok(right as f64 / labels.len() as f64)
    }

    fn print_row(point: &TransferPoint) {
        let cell = |a: &Accuracy| format!("{} ± {:.1}", percent(a.mean), 100.0 * a.spread);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            point.labels,
            point.draws,
            cell(&point.pixels),
            cell(&point.pca),
            cell(&point.frozen_codes),
            cell(&point.fine_tuned),
            cell(&point.fine_tuned_undeformed),
            cell(&point.random_init),
            cell(&point.random_init_undeformed)
        );
    }

    fn percent(value: f64) -> String {
        format!("{:.1} %", 100.0 * value)
    }

    fn command_line() -> String {
        let args: Vec<String> = std::env::args().skip(1).collect();
        format!("cargo run --bin transfer-report -- {}", args.join(" "))
    }
}
