//! Teaching the drawing model a new shape from a few drawings: fine-tuned on pen-drawn capital
//! letters, each deformed anew at every step and mixed with training digits, it rebuilds new
//! drawings of the letter far better, while the digits' test error rises by at most 15 %.
// Native only: the browser runs tests/web.rs, and building this for wasm32 costs minutes.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use autoencoder_playground::manifest::Role;
use autoencoder_playground::model_file::{self, WeightEncoding};
use autoencoder_playground::synthetic::probes::jittered_letter;
use autoencoder_playground::training::{RunPlan, TrainingOptions, TrainingRun, reconstruct_all};
use autoencoder_playground::util::image::PIXELS;
use autoencoder_playground::util::metrics::mean_squared_error;
use autoencoder_playground::util::rng::SplitMix64;

fn drawings_of(letter: char, count: usize, seed: u64) -> Vec<f32> {
    let mut rng = SplitMix64::new(seed);
    (0..count)
        .flat_map(|_| jittered_letter(letter, &mut rng).expect("the font has the letter"))
        .collect()
}

/// The median per-image MSE of the run's current model on `images`.
fn median_mse(run: &TrainingRun, images: &[f32]) -> f64 {
    let rebuilt = reconstruct_all(&run.trainer().inference_model(), images);
    let mut errors: Vec<f64> = rebuilt
        .chunks_exact(PIXELS)
        .zip(images.chunks_exact(PIXELS))
        .map(|(out, image)| mean_squared_error(out, image) as f64)
        .collect();
    errors.sort_by(f64::total_cmp);
    errors[errors.len() / 2]
}

#[test]
fn a_few_deformed_drawings_teach_the_drawing_model_a_letter_and_it_keeps_the_digits() {
    let examples = drawings_of('K', 8, 1);
    let new_drawings = drawings_of('K', 12, 2);
    let plan = RunPlan {
        epochs: 2,
        subset_size: Some(4_800),
        evaluation_size: Some(500),
        example_share: 0.25,
        ..Default::default()
    };
    let options = TrainingOptions {
        learning_rate: 5e-4,
        ..Default::default()
    };
    let mut run = TrainingRun::on_examples(
        common::dataset(),
        Some(common::model(Role::Drawing)),
        options,
        plan,
        examples.clone(),
    )
    .unwrap();
    let digits_before = run.test_metrics().unwrap().mse;
    let letters_before = median_mse(&run, &new_drawings);
    let examples_before = run.example_metrics().unwrap().unwrap().mse;
    while !run.is_finished() {
        run.step().unwrap();
    }
    let digits_after = run.test_metrics().unwrap().mse;
    let letters_after = median_mse(&run, &new_drawings);
    let examples_after = run.example_metrics().unwrap().unwrap().mse;
    eprintln!(
        "{} steps: examples {examples_before:.4} → {examples_after:.4}, new drawings \
         {letters_before:.4} → {letters_after:.4}, digits {digits_before:.4} → {digits_after:.4}",
        run.total_steps()
    );
    assert!(examples_after < 0.5 * examples_before);
    assert!(letters_after < 0.5 * letters_before);
    assert!(
        digits_after <= 1.15 * digits_before,
        "digits' test MSE {digits_before} → {digits_after}"
    );
    // The taught copy is the original's architecture, leaky slope and dropout included.
    let taught = run.save("taught", WeightEncoding::Half).unwrap();
    let original = model_file::read(common::model(Role::Drawing)).unwrap();
    let taught = model_file::read(&taught).unwrap();
    assert_eq!(taught.header.architecture, original.header.architecture);
}
