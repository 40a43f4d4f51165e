//! Runs batch-64 training steps of the course-note model (the bench page's `Trainer`: dense,
//! L = 32, dropout 0.5, Adam at 10⁻³) on the training digits, for a profiler to watch, and
//! prints the mean time per step. pkg-scripts/bench/profile-step.sh runs it under `perf` and
//! sorts the samples into matrix products, element-wise work, allocation, autodiff bookkeeping
//! and Adam (BENCHMARKS.md). One thread: run it with RAYON_NUM_THREADS=1 for the browser's
//! single-threaded module; with more, a step splits its batch across them as the threaded
//! module does.
//!
//! `step-profile [--data www/data/mnist-subset.bin] [--steps 1500]`

#[cfg(not(target_arch = "wasm32"))]
mod common;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> common::Result<()> {
    use autoencoder_playground::data::Split;
    use autoencoder_playground::training::{Trainer, TrainingOptions};
    use clap::Parser;
    use std::time::Instant;

    /// Batch-64 training steps for a profiler.
    #[derive(Parser, Debug)]
    struct Args {
        #[command(flatten)]
        inputs: common::Inputs,
        /// How many steps to time (after 20 of warm-up).
        #[arg(long, default_value_t = 1500)]
        steps: usize,
    }

    const WARM_UP_STEPS: usize = 20;
    let args = Args::parse();
    let dataset = args.inputs.dataset()?;
    let options = TrainingOptions::default();
    let train = dataset.indices(Split::Train);
    let batches: Vec<Vec<f32>> = train
        .chunks_exact(options.batch_size)
        .map(|rows| dataset.images(rows))
        .collect();
    let mut trainer = Trainer::new(options)?;
    for batch in batches.iter().cycle().take(WARM_UP_STEPS) {
        trainer.step(batch)?;
    }
    let started = Instant::now();
    for batch in batches.iter().cycle().take(args.steps) {
        trainer.step(batch)?;
    }
    let ms_per_step = started.elapsed().as_secs_f64() * 1000.0 / args.steps as f64;
    println!(
        "{ms_per_step:.3} ms per batch-64 step ({} steps)",
        args.steps
    );
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {}
