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
