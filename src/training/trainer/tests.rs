use super::*;

#[test]
fn bad_options_make_no_trainer() {
    let options = TrainingOptions {
        latent_size: 0,
        ..Default::default()
    };
    assert!(Trainer::new(options).is_err());
}

#[test]
fn bad_batches_are_rejected_without_a_step() {
    let mut trainer = Trainer::new(TrainingOptions::default()).unwrap();
    assert!(trainer.step(&[]).is_err());
    assert!(
        trainer
            .step(&[0.5; 100])
            .unwrap_err()
            .to_string()
            .contains("multiple of 784")
    );
    let mut with_nan = vec![0.0; PIXELS];
    with_nan[7] = f32::NAN;
    assert!(
        trainer
            .step(&with_nan)
            .unwrap_err()
            .to_string()
            .contains("index 7")
    );
    assert!(
        trainer
            .step(&[2.0; PIXELS])
            .unwrap_err()
            .to_string()
            .contains("0…1")
    );
    assert_eq!(trainer.steps(), 0);
}

#[test]
fn a_batch_split_into_shares_steps_as_it_would_whole() {
    let images: Vec<f32> = (0..64 * PIXELS)
        .map(|i| (i * 31 % 256) as f32 / 255.0)
        .collect();
    // The same starting weights for both, from a file: burn's generator, which initialises a
    // new trainer's weights, is shared with the tests running alongside.
    let start = Trainer::new(TrainingOptions::default())
        .unwrap()
        .save("start", WeightEncoding::Half)
        .unwrap();
    let after_two_steps = |shares: Vec<Range<usize>>| {
        let mut trainer = Trainer::from_model_file(&start, TrainingOptions::default()).unwrap();
        let losses: Vec<f32> = (0..2)
            .map(|_| {
                trainer
                    .descend_in_shares(&images, &images, shares.clone())
                    .unwrap()
            })
            .collect();
        let rebuilt = reconstruct_all(&trainer.inference_model(), &images[..PIXELS]);
        (losses, rebuilt)
    };
    let whole_batch = 0..64;
    let (whole_losses, whole) = after_two_steps(vec![whole_batch]);
    let (split_losses, split) = after_two_steps(vec![0..16, 16..64]);
    for (whole, split) in whole_losses.iter().zip(&split_losses) {
        assert!((whole - split).abs() < 1e-5, "{whole} vs {split}");
    }
    assert_ne!(whole_losses[0], whole_losses[1]);
    let furthest = whole
        .iter()
        .zip(&split)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max);
    assert!(
        furthest < 1e-4,
        "reconstructions differ by up to {furthest}"
    );
    // The masks are drawn from a stream: another seed trains another network.
    let mut other_seed = Trainer::new(TrainingOptions {
        seed: 2,
        ..Default::default()
    })
    .unwrap();
    other_seed.step(&images).unwrap();
    other_seed.step(&images).unwrap();
    let other = reconstruct_all(&other_seed.inference_model(), &images[..PIXELS]);
    assert!(other.iter().zip(&whole).any(|(a, b)| (a - b).abs() > 1e-3));
}

#[test]
fn bad_negatives_or_margins_are_rejected_without_a_step() {
    let mut trainer = Trainer::new(TrainingOptions {
        latent_size: 4,
        ..Default::default()
    })
    .unwrap();
    let digits = vec![0.5; 2 * PIXELS];
    for margin in [0.0, -1.0, f32::NAN] {
        let error = trainer
            .step_with_negatives(&digits, &digits, margin)
            .unwrap_err();
        assert!(error.to_string().contains("margin"), "{error}");
    }
    assert!(
        trainer
            .step_with_negatives(&digits, &[0.5; 10], 0.1)
            .is_err()
    );
    assert!(
        trainer
            .step_with_negatives(&digits, &[2.0; PIXELS], 0.1)
            .is_err()
    );
    assert_eq!(trainer.steps(), 0);
    trainer.step_with_negatives(&digits, &digits, 0.1).unwrap();
    assert_eq!(trainer.steps(), 1);

    let mut vae = Trainer::new(TrainingOptions {
        architecture: crate::architecture::ArchitectureKind::Vae,
        latent_size: 4,
        dropout: 0.0,
        ..Default::default()
    })
    .unwrap();
    let error = vae.step_with_negatives(&digits, &digits, 0.1).unwrap_err();
    assert!(
        error.to_string().contains("not the variational one"),
        "{error}"
    );
    assert_eq!(vae.steps(), 0);
    vae.step(&digits).unwrap();
    assert_eq!(vae.steps(), 1);
}
