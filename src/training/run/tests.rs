//! The run's bookkeeping on synthetic digits; learning on real ones is in tests/training.rs
//! and tests/shapes.rs.

use super::*;
use crate::training::schedule::Schedule;
use crate::training::tests::synthetic_dataset;

fn options(batch_size: usize) -> TrainingOptions {
    TrainingOptions {
        latent_size: 4,
        batch_size,
        dropout: 0.0,
        ..Default::default()
    }
}

#[test]
fn steps_walk_through_epochs_of_batches() {
    let plan = RunPlan {
        epochs: 2,
        subset_size: Some(30),
        ..Default::default()
    };
    let mut run = TrainingRun::new(synthetic_dataset(), options(8), plan).unwrap();
    assert_eq!(run.train_digits(), 30);
    assert_eq!(run.steps_per_epoch(), 4);
    let reports: Vec<StepReport> = (0..8).map(|_| run.step().unwrap()).collect();
    let digits: Vec<usize> = reports.iter().map(|r| r.batch_digits).collect();
    assert_eq!(digits, [8, 8, 8, 6, 8, 8, 8, 6]);
    let ends: Vec<bool> = reports.iter().map(|r| r.epoch_finished).collect();
    assert_eq!(ends, [false, false, false, true, false, false, false, true]);
    assert_eq!(reports[5].epoch, 2);
    assert_eq!(reports[5].step_in_epoch, 2);
    assert!(reports[7].finished && run.is_finished());
    assert!(run.step().unwrap_err().to_string().contains("finished"));
}

#[test]
fn cosine_schedule_decays_the_learning_rate() {
    let plan = RunPlan {
        epochs: 2,
        schedule: Schedule::Cosine,
        ..Default::default()
    };
    let mut run = TrainingRun::new(synthetic_dataset(), options(20), plan).unwrap();
    let rates: Vec<f64> = (0..4).map(|_| run.step().unwrap().learning_rate).collect();
    assert_eq!(rates[0], 1e-3);
    assert!(rates.windows(2).all(|pair| pair[1] < pair[0]), "{rates:?}");
}

#[test]
fn a_clean_finish_shows_the_digits_as_they_are_after_its_deformed_epochs() {
    use crate::synthetic::deform::Deformation;
    let plan = RunPlan {
        epochs: 3,
        subset_size: Some(8),
        deformation: Deformation::Elastic,
        deform_epochs: Some(2),
        ..Default::default()
    };
    let mut run = TrainingRun::new(synthetic_dataset(), options(8), plan).unwrap();
    let mut by_epoch = Vec::new();
    while !run.is_finished() {
        run.step().unwrap();
        by_epoch.push(run.augmentation.deformation);
    }
    use Deformation::{Elastic, None};
    assert_eq!(by_epoch, [Elastic, Elastic, None]);
}

#[test]
fn subsets_and_validation_are_seeded_and_disjoint() {
    let plan = RunPlan {
        subset_size: Some(20),
        validation_fraction: 0.25,
        evaluation_size: Some(3),
        ..Default::default()
    };
    let run = TrainingRun::new(synthetic_dataset(), options(8), plan.clone()).unwrap();
    assert_eq!((run.train_digits(), run.validation_digits()), (15, 5));
    assert_eq!(run.evaluation_digits(), 3);
    assert!(run.validation.iter().all(|i| !run.train.contains(i)));
    let again = TrainingRun::new(synthetic_dataset(), options(8), plan).unwrap();
    assert_eq!(run.train, again.train);
}

#[test]
fn every_objective_takes_steps() {
    for objective in [
        Objective::Reconstruct,
        Objective::Denoise,
        Objective::OutlierExposure {
            rate: 0.5,
            margin: 0.08,
        },
    ] {
        let plan = RunPlan {
            epochs: 1,
            objective,
            ..Default::default()
        };
        let mut run = TrainingRun::new(synthetic_dataset(), options(20), plan).unwrap();
        assert!(run.step().unwrap().loss.is_finite(), "{objective:?}");
        assert_eq!(run.trainer().steps(), 1, "{objective:?}");
    }
}

#[test]
fn a_variational_run_denoises_but_takes_no_outlier_exposure() {
    let variational = TrainingOptions {
        architecture: ArchitectureKind::Vae,
        ..options(20)
    };
    let plan = |objective| RunPlan {
        epochs: 1,
        objective,
        ..Default::default()
    };
    let mut run = TrainingRun::new(
        synthetic_dataset(),
        variational.clone(),
        plan(Objective::Denoise),
    )
    .unwrap();
    assert!(run.step().unwrap().loss.is_finite());
    let exposure = Objective::OutlierExposure {
        rate: 0.5,
        margin: 0.08,
    };
    let error = TrainingRun::new(synthetic_dataset(), variational, plan(exposure))
        .err()
        .unwrap();
    assert!(
        error.to_string().contains("not the variational one"),
        "{error}"
    );
}

#[test]
fn a_bad_plan_makes_no_run() {
    let plan = RunPlan {
        epochs: 0,
        ..Default::default()
    };
    let error = TrainingRun::new(synthetic_dataset(), options(8), plan)
        .err()
        .unwrap();
    assert!(error.to_string().contains("epochs"), "{error}");
}

#[test]
fn a_run_on_examples_mixes_its_share_into_every_batch() {
    let examples = synthetic_dataset().images(&[0, 1, 2]);
    let plan = RunPlan {
        epochs: 1,
        example_share: 0.25,
        ..Default::default()
    };
    let mut run =
        TrainingRun::on_examples(synthetic_dataset(), None, options(8), plan, examples).unwrap();
    assert_eq!(run.example_count(), 3);
    // An epoch is as many images as the 40 training digits, whatever the mix.
    assert_eq!(run.steps_per_epoch(), 5);
    let reports: Vec<StepReport> = (0..5).map(|_| run.step().unwrap()).collect();
    let mixes: Vec<(usize, usize)> = reports
        .iter()
        .map(|r| (r.batch_digits, r.batch_examples))
        .collect();
    assert_eq!(mixes, [(6, 2); 5]);
    assert!(reports[4].finished);
    assert!(run.example_metrics().unwrap().unwrap().mse.is_finite());
    assert!(
        TrainingRun::new(synthetic_dataset(), options(8), RunPlan::default())
            .unwrap()
            .example_metrics()
            .unwrap()
            .is_none()
    );
}

#[test]
fn examples_only_and_their_refusals() {
    let examples = synthetic_dataset().images(&[0, 1]);
    let plan = |example_share| RunPlan {
        epochs: 1,
        example_share,
        ..Default::default()
    };
    let mut only = TrainingRun::on_examples(
        synthetic_dataset(),
        None,
        options(8),
        plan(1.0),
        examples.clone(),
    )
    .unwrap();
    let report = only.step().unwrap();
    assert_eq!((report.batch_digits, report.batch_examples), (0, 8));
    let refused = |plan: RunPlan, examples: Vec<f32>| {
        TrainingRun::on_examples(synthetic_dataset(), None, options(8), plan, examples)
            .err()
            .unwrap()
            .to_string()
    };
    assert!(refused(plan(0.0), examples.clone()).contains("never be shown"));
    assert!(refused(plan(0.5), Vec::new()).contains("empty"));
    assert!(refused(plan(0.5), vec![2.0; PIXELS]).contains("0…1"));
    assert!(refused(plan(0.5), examples.clone()[..100].to_vec()).contains("multiple of 784"));
    let error = TrainingRun::on_examples(
        synthetic_dataset(),
        Some(b"not a model file"),
        options(8),
        plan(0.5),
        examples,
    )
    .err()
    .unwrap();
    assert!(error.to_string().contains("model file"), "{error}");
    let error = TrainingRun::new(synthetic_dataset(), options(8), plan(0.5))
        .err()
        .unwrap();
    assert!(error.to_string().contains("needs examples"), "{error}");
}
