//! Native trainer: trains a dense autoencoder on the MNIST subset's train split and writes a
//! model file (and, with `--id`, its entry in the models manifest). Run with `--help`.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), String> {
    cli::run()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::path::PathBuf;
    use std::time::Instant;

    use autoencoder_playground::data::{Dataset, Split};
    use autoencoder_playground::image::{PIXELS, shifted};
    use autoencoder_playground::manifest::{Manifest, ModelEntry, TrainingRecord};
    use autoencoder_playground::training::{
        SplitMix64, Trainer, TrainingOptions, cosine_learning_rate,
    };
    use clap::{Parser, ValueEnum};
    use indicatif::{ProgressBar, ProgressStyle};

    #[derive(Clone, Copy, Debug, ValueEnum)]
    enum Schedule {
        /// The same learning rate throughout.
        Constant,
        /// Cosine decay from --lr to --lr/100 over the run.
        Cosine,
    }

    /// Train the course note's dense autoencoder on the MNIST subset.
    #[derive(Parser, Debug)]
    #[command(version)]
    struct Args {
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
        /// Learning-rate schedule.
        #[arg(long, value_enum, default_value_t = Schedule::Constant)]
        schedule: Schedule,
        /// Dropout after each hidden layer (the course note: 0.5).
        #[arg(long, default_value_t = 0.5)]
        dropout: f64,
        /// Shift each training image by up to this many pixels at random (0 = off).
        #[arg(long, default_value_t = 0)]
        augment_shift: usize,
        /// Seed for weights, shuffles, dropout and augmentation.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Hold out this fraction of the train split for validation (for choosing settings;
        /// the test split is never used for choices). 0 trains on the whole train split.
        #[arg(long, default_value_t = 0.0)]
        validation: f64,
        /// The MNIST subset file (made by pkg-scripts/fetch-data.sh).
        #[arg(long, default_value = "www/data/mnist-subset.bin")]
        data: PathBuf,
        /// Where to write the model file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Record the model in this manifest under --id (needs --out).
        #[arg(long, default_value = "www/models/manifest.json")]
        manifest: PathBuf,
        /// Manifest id; without it the manifest is left alone.
        #[arg(long)]
        id: Option<String>,
        /// Manifest display name.
        #[arg(long, default_value = "")]
        name: String,
        /// Manifest description, shown on the page.
        #[arg(long, default_value = "")]
        description: String,
        /// Make this the page's default model.
        #[arg(long)]
        default: bool,
    }

    pub fn run() -> Result<(), String> {
        let args = Args::parse();
        if args.epochs == 0 {
            return Err("--epochs must be at least 1".into());
        }
        let command = format!(
            "cargo run --bin train -- {}",
            std::env::args()
                .skip(1)
                .map(|arg| shell_quote(&arg))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let bytes = std::fs::read(&args.data).map_err(|e| {
            format!(
                "{}: {e} (run pkg-scripts/fetch-data.sh first)",
                args.data.display()
            )
        })?;
        let dataset =
            Dataset::parse(&bytes, &args.data.display().to_string()).map_err(|e| e.to_string())?;

        let mut train = dataset.indices(Split::Train);
        let test = dataset.indices(Split::Test);
        let mut rng = SplitMix64::new(args.seed);
        let mut validation = Vec::new();
        if args.validation > 0.0 {
            rng.shuffle(&mut train);
            let held_out = (train.len() as f64 * args.validation).round() as usize;
            validation = train.split_off(train.len() - held_out);
        }
        let options = TrainingOptions {
            latent_size: args.latent,
            learning_rate: args.lr,
            batch_size: args.batch_size,
            dropout: args.dropout,
            seed: args.seed,
        };
        let mut trainer = Trainer::new(options.clone()).map_err(|e| e.to_string())?;
        let test_images = dataset.images(&test);
        let validation_images = dataset.images(&validation);
        println!(
            "training L={} dropout={} on {} digits ({} held out for validation, {} test)",
            args.latent,
            args.dropout,
            train.len(),
            validation.len(),
            test.len()
        );

        let steps_per_epoch = train.len().div_ceil(args.batch_size) as u64;
        let total_steps = steps_per_epoch * args.epochs as u64;
        let started = Instant::now();
        let mut test_metrics = None;
        for epoch in 1..=args.epochs {
            rng.shuffle(&mut train);
            let bar = ProgressBar::new(steps_per_epoch).with_style(
                ProgressStyle::with_template(
                    "epoch {prefix} [{bar:30}] {pos}/{len} steps  loss {msg}  {per_sec}  eta {eta}",
                )
                .unwrap()
                .progress_chars("=> "),
            );
            bar.set_prefix(format!("{epoch:>3}/{}", args.epochs));
            let mut loss_sum = 0.0;
            for batch_indices in train.chunks(args.batch_size) {
                if let Schedule::Cosine = args.schedule {
                    let lr = cosine_learning_rate(args.lr, trainer.steps(), total_steps);
                    trainer.set_learning_rate(lr).map_err(|e| e.to_string())?;
                }
                let batch = batch_pixels(&dataset, batch_indices, args.augment_shift, &mut rng);
                let loss = trainer.step(&batch).map_err(|e| e.to_string())?;
                loss_sum += loss as f64;
                bar.set_message(format!("{loss:.4}"));
                bar.inc(1);
            }
            bar.finish_and_clear();
            let metrics = trainer.evaluate(&test_images).map_err(|e| e.to_string())?;
            let validation_note = if validation.is_empty() {
                String::new()
            } else {
                let metrics = trainer
                    .evaluate(&validation_images)
                    .map_err(|e| e.to_string())?;
                format!("  validation MSE {:.5}", metrics.mse)
            };
            println!(
                "epoch {epoch:>3}/{}  train BCE {:.4}{validation_note}  test MSE {:.5} BCE {:.4} PSNR {:.2} dB  ({:.0} s)",
                args.epochs,
                loss_sum / steps_per_epoch as f64,
                metrics.mse,
                metrics.bce,
                metrics.psnr,
                started.elapsed().as_secs_f64()
            );
            test_metrics = Some(metrics);
        }
        let test_metrics = test_metrics.expect("at least one epoch ran");

        let Some(out) = &args.out else {
            return Ok(());
        };
        let file = trainer.save(&command).map_err(|e| e.to_string())?;
        std::fs::write(out, &file).map_err(|e| format!("{}: {e}", out.display()))?;
        println!("wrote {} ({} bytes)", out.display(), file.len());

        let Some(id) = &args.id else {
            return Ok(());
        };
        let mut manifest = match std::fs::read_to_string(&args.manifest) {
            Ok(json) => Manifest::parse(&json).map_err(|e| e.to_string())?,
            Err(_) => Manifest::default(),
        };
        let file_name = out
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or("--out needs a file name")?;
        manifest.upsert(ModelEntry {
            id: id.clone(),
            name: args.name.clone(),
            description: args.description.clone(),
            file: file_name.to_string(),
            architecture: "dense".into(),
            latent_size: args.latent,
            dropout: args.dropout,
            params: options.model_config().parameter_count(),
            file_bytes: file.len(),
            training: TrainingRecord {
                epochs: args.epochs,
                batch_size: args.batch_size,
                learning_rate: args.lr,
                schedule: format!("{:?}", args.schedule).to_lowercase(),
                augment_shift: args.augment_shift,
                seed: args.seed,
                train_samples: train.len(),
            },
            test: test_metrics,
            command,
        });
        if args.default || manifest.default_model.is_empty() {
            manifest.default_model = id.clone();
        }
        std::fs::write(&args.manifest, manifest.to_json())
            .map_err(|e| format!("{}: {e}", args.manifest.display()))?;
        println!("recorded {id} in {}", args.manifest.display());
        Ok(())
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

    /// The batch's images, each shifted at random by up to `max_shift` pixels.
    fn batch_pixels(
        dataset: &Dataset,
        indices: &[usize],
        max_shift: usize,
        rng: &mut SplitMix64,
    ) -> Vec<f32> {
        if max_shift == 0 {
            return dataset.images(indices);
        }
        let span = 2 * max_shift + 1;
        let mut pixels = Vec::with_capacity(indices.len() * PIXELS);
        for &index in indices {
            let dx = rng.below(span) as i32 - max_shift as i32;
            let dy = rng.below(span) as i32 - max_shift as i32;
            pixels.extend(shifted(&dataset.image(index), dx, dy));
        }
        pixels
    }
}
