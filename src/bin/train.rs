//! Native trainer: trains an autoencoder (dense or convolutional; plain, as a denoiser or with
//! outlier exposure) on the MNIST subset's train split and writes a model file (and, with
//! `--id`, its entry in the models manifest). Run with `--help`.

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> common::Result<()> {
    cli::run()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    use autoencoder_playground::architecture::ArchitectureKind;
    use autoencoder_playground::data::Split;
    use autoencoder_playground::manifest::{ModelEntry, Role, TrainingRecord};
    use autoencoder_playground::model_file;
    use autoencoder_playground::quantization::{self, Shipped};
    use autoencoder_playground::synthetic::deform::Deformation;
    use autoencoder_playground::training::plan::DEFAULT_OUTLIER_MARGIN;
    use autoencoder_playground::training::{
        Objective, RunPlan, Schedule, TrainingOptions, TrainingRun,
    };
    use autoencoder_playground::util::metrics::Metrics;
    use clap::Parser;
    use indicatif::{ProgressBar, ProgressStyle};

    use crate::common::{self, Failure, Inputs, Result};

    /// Train an autoencoder (the course note's dense one, the convolutional one or the
    /// variational one) on the MNIST subset.
    #[derive(Parser, Debug)]
    #[command(version)]
    struct Args {
        /// Which network to train: dense (the course note's), conv or vae.
        #[arg(long, default_value_t = ArchitectureKind::Dense)]
        architecture: ArchitectureKind,
        /// Train a denoiser: corrupted inputs (Gaussian noise, salt-and-pepper, an erased
        /// patch, by a random amount per image), clean targets.
        #[arg(long, conflicts_with = "outlier_exposure")]
        denoise: bool,
        /// Train an anomaly detector with outlier exposure: each digit (with this chance, 0…0.9)
        /// brings a non-digit made from it (turned, mirrored, upside down, overlaid) that the network
        /// learns not to rebuild.
        #[arg(long)]
        outlier_exposure: Option<f64>,
        /// With --outlier-exposure: the reconstruction MSE the non-digits are pushed above.
        #[arg(long, default_value_t = DEFAULT_OUTLIER_MARGIN, requires = "outlier_exposure")]
        outlier_margin: f32,
        /// The chance (0…1) that a training digit is shown as it would come out of the page's
        /// drawing pad (stroke width normalised) rather than as MNIST stored it.
        #[arg(long, default_value_t = 0.0)]
        drawn_share: f64,
        /// Latent size L (2…128).
        #[arg(long, default_value_t = 32)]
        latent: usize,
        /// Passes over the training data.
        #[arg(long, default_value_t = 20)]
        epochs: usize,
        /// Samples per Adam step.
        #[arg(long, default_value_t = 64)]
        batch_size: usize,
        /// Adam's (initial) learning rate.
        #[arg(long, default_value_t = 1e-3)]
        lr: f64,
        /// Learning-rate schedule: constant, or cosine (decay from --lr to --lr/100 over the run).
        #[arg(long, default_value_t = Schedule::Constant)]
        schedule: Schedule,
        /// Dropout after each hidden layer (the course note: 0.5).
        #[arg(long, default_value_t = 0.5)]
        dropout: f64,
        /// Weight of the KL term, for --architecture vae (1 = the evidence lower bound).
        #[arg(long, default_value_t = 1.0)]
        beta: f64,
        /// Shift each training image by up to this many pixels at random (0 = off).
        #[arg(long, default_value_t = 0)]
        augment_shift: usize,
        /// Deform each training image at random: none, affine (rotation, scaling, shift) or
        /// elastic (affine and an elastic warp).
        #[arg(long, default_value_t = Deformation::None)]
        deform: Deformation,
        /// Deform only in this many first epochs and train the rest on the digits as they are
        /// (a clean finish); every epoch without.
        #[arg(long)]
        deform_epochs: Option<usize>,
        /// Seed for weights, shuffles, dropout and augmentation.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Train on this many digits of the train split (a seeded random subset); all without.
        #[arg(long)]
        subset: Option<usize>,
        /// Hold out this fraction of the train split for validation (for choosing settings;
        /// the test split is never used for choices). 0 trains on the whole train split.
        #[arg(long, default_value_t = 0.0)]
        validation: f64,
        /// The digits (--data) and the manifest that --id records the model in (--manifest).
        #[command(flatten)]
        inputs: Inputs,
        /// Where to write the model file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Manifest id (needs --out); without it the manifest is left alone.
        #[arg(long)]
        id: Option<String>,
        /// Manifest display name.
        #[arg(long, default_value = "")]
        name: String,
        /// Manifest description, shown on the page.
        #[arg(long, default_value = "")]
        description: String,
        /// Give this model a role in the manifest (`drawing`, `detector`, …); repeatable.
        #[arg(long = "role")]
        roles: Vec<Role>,
        /// List this model in the manifest's latent-size study (models that differ only in L).
        #[arg(long)]
        latent_size_study: bool,
    }

    impl Args {
        fn options(&self) -> TrainingOptions {
            TrainingOptions {
                architecture: self.architecture,
                latent_size: self.latent,
                learning_rate: self.lr,
                batch_size: self.batch_size,
                dropout: self.dropout,
                beta: self.beta,
                seed: self.seed,
            }
        }

        fn plan(&self) -> RunPlan {
            RunPlan {
                epochs: self.epochs,
                subset_size: self.subset,
                schedule: self.schedule,
                augment_shift: self.augment_shift,
                deformation: self.deform,
                deform_epochs: self.deform_epochs,
                validation_fraction: self.validation,
                evaluation_size: None,
                objective: match (self.denoise, self.outlier_exposure) {
                    (true, _) => Objective::Denoise,
                    (false, Some(rate)) => Objective::OutlierExposure {
                        rate,
                        margin: self.outlier_margin,
                    },
                    (false, None) => Objective::Reconstruct,
                },
                drawn_share: self.drawn_share,
                // The command line trains on digits; shapes are taught in the page.
                example_share: 0.0,
            }
        }
    }

    /// The shipped file and what it was measured at.
    struct ShippedFile {
        /// The file, its bits per weight and its test figures.
        shipped: Shipped,
        /// The float weights' test figures.
        unquantized: Metrics,
        /// The file's figures on the digits it was trained on.
        train: Metrics,
    }

    pub fn run() -> Result<()> {
        let args = Args::parse();
        let command = format!(
            "cargo run --bin train -- {}",
            std::env::args()
                .skip(1)
                .map(|arg| shell_quote(&arg))
                .collect::<Vec<_>>()
                .join(" ")
        );
        if args.id.is_some() && args.out.is_none() {
            return Err(Failure::Usage(
                "--id needs --out: the file to record".into(),
            ));
        }
        let dataset = args.inputs.dataset()?;
        let test_images = dataset.images(&dataset.indices(Split::Test));
        let train_images = dataset.images(&dataset.indices(Split::Train));
        let (options, plan) = (args.options(), args.plan());
        let mut run = TrainingRun::new(dataset, options.clone(), plan.clone())?;

        let burn_test = train(&mut run, &args)?;
        let Some(out) = &args.out else {
            return Ok(());
        };
        let file = ship(&run, &command, out, &train_images, &test_images)?;
        println!(
            "wrote {} ({} bytes, {}-bit weights): test MSE {:.5} (unquantised {:.5}; burn's {:.5}), train MSE {:.5}",
            out.display(),
            file.shipped.bytes.len(),
            file.shipped.bits,
            file.shipped.test.mse,
            file.unquantized.mse,
            burn_test.mse,
            file.train.mse
        );
        let Some(id) = &args.id else {
            return Ok(());
        };
        let training = TrainingRecord {
            options,
            plan,
            train_samples: run.train_digits(),
        };
        record(&args, id, out, training, file, command)?;
        println!("recorded {id} in {}", args.inputs.manifest.display());
        Ok(())
    }

    /// Trains `run` for the plan's epochs, reporting each; returns the last test figures.
    fn train(run: &mut TrainingRun, args: &Args) -> Result<Metrics> {
        println!(
            "training {} L={} dropout={} on {} digits ({} held out for validation, {} test)",
            args.architecture,
            args.latent,
            args.dropout,
            run.train_digits(),
            run.validation_digits(),
            run.evaluation_digits()
        );
        let started = Instant::now();
        let mut test_metrics = None;
        for epoch in 1..=args.epochs {
            let bar = ProgressBar::new(run.steps_per_epoch() as u64).with_style(
                ProgressStyle::with_template(
                    "epoch {prefix} [{bar:30}] {pos}/{len} steps  loss {msg}  {per_sec}  eta {eta}",
                )
                .unwrap()
                .progress_chars("=> "),
            );
            bar.set_prefix(format!("{epoch:>3}/{}", args.epochs));
            let mut loss_sum = 0.0;
            loop {
                let report = run.step()?;
                loss_sum += report.loss as f64;
                bar.set_message(format!("{:.4}", report.loss));
                bar.inc(1);
                if report.epoch_finished {
                    break;
                }
            }
            bar.finish_and_clear();
            let metrics = run.test_metrics()?;
            let validation_note = match run.validation_metrics()? {
                Some(metrics) => format!("  validation MSE {:.5}", metrics.mse),
                None => String::new(),
            };
            println!(
                "epoch {epoch:>3}/{}  train BCE {:.4}{validation_note}  test MSE {:.5} BCE {:.4} PSNR {:.2} dB  ({:.0} s)",
                args.epochs,
                loss_sum / run.steps_per_epoch() as f64,
                metrics.mse,
                metrics.bce,
                metrics.psnr,
                started.elapsed().as_secs_f64()
            );
            test_metrics = Some(metrics);
        }
        test_metrics.ok_or_else(|| Failure::Usage("--epochs must be at least 1".into()))
    }

    /// Writes the trained model to `out` with as few bits per weight as hold the test MSE
    /// (GPTQ, calibrated on the training digits), and measures the file itself.
    fn ship(
        run: &TrainingRun,
        command: &str,
        out: &Path,
        train_images: &[f32],
        test_images: &[f32],
    ) -> Result<ShippedFile> {
        let trainer = run.trainer();
        let (shipped, unquantized) = quantization::ship(
            &trainer.header(command),
            model_file::tensors_of(&trainer.inference_model())?,
            train_images,
            test_images,
        )?;
        common::write(out, &shipped.bytes)?;
        let train = quantization::metrics_of_file(&shipped.bytes, train_images)?;
        Ok(ShippedFile {
            shipped,
            unquantized,
            train,
        })
    }

    /// Records the shipped file `out` in the manifest under `id`, with the roles and study
    /// membership the flags give it.
    fn record(
        args: &Args,
        id: &str,
        out: &Path,
        training: TrainingRecord,
        file: ShippedFile,
        command: String,
    ) -> Result<()> {
        let mut manifest = args.inputs.read_manifest_or_new()?;
        let file_name = out
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or_else(|| Failure::Usage("--out needs a file name".into()))?;
        let options = &training.options;
        manifest.upsert(ModelEntry {
            id: id.to_string(),
            name: args.name.clone(),
            description: args.description.clone(),
            file: file_name.to_string(),
            architecture: options.architecture,
            latent_size: options.latent_size,
            params: options.model_config().parameter_count(),
            file_bytes: file.shipped.bytes.len(),
            training,
            test: file.shipped.test,
            unquantized_test: Some(file.unquantized),
            train: Some(file.train),
            weight_bits: Some(file.shipped.bits),
            command,
            // New weights move every code: the old map no longer fits (map-report makes one).
            map: None,
        });
        if args.latent_size_study {
            manifest.add_to_latent_size_study(id);
        }
        for role in &args.roles {
            manifest.roles.insert(*role, id.to_string());
        }
        args.inputs.write_manifest(&manifest)
    }

    /// `arg` as a POSIX shell word: as it is when that is safe, else in single quotes.
    fn shell_quote(arg: &str) -> String {
        let safe = |c: char| c.is_ascii_alphanumeric() || "_./=:,+-".contains(c);
        if !arg.is_empty() && arg.chars().all(safe) {
            arg.to_string()
        } else {
            format!("'{}'", arg.replace('\'', r"'\''"))
        }
    }
}
