//! A whole training run: epochs of shuffled batches from a subset of the train split, the
//! plan's objective and schedule, and test metrics per epoch. One batch per
//! [`TrainingRun::step`], so that its callers (the native trainer, the browser's Worker) can
//! report progress, pause or stop between steps without knowing how batches are made.

use serde::Serialize;

use super::batches::{Augmentation, corrupted, negatives};
use super::plan::{Objective, RunPlan};
use super::{Trainer, TrainingOptions};
use crate::architecture::ArchitectureKind;
use crate::data::{Dataset, Split};
use crate::inference::InferenceModel;
use crate::model_file::WeightEncoding;
use crate::util::error::{Error, Result};
use crate::util::metrics::Metrics;
use crate::util::rng::SplitMix64;

/// Where a run is after a step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepReport {
    /// The epoch this step belonged to, from 1.
    pub epoch: usize,
    /// Steps done in that epoch, from 1.
    pub step_in_epoch: usize,
    /// Steps in every epoch.
    pub steps_per_epoch: usize,
    /// Steps done in the run.
    pub step: usize,
    /// Steps in the whole run.
    pub total_steps: usize,
    /// The batch's mean BCE.
    pub loss: f32,
    /// The learning rate used for this step.
    pub learning_rate: f64,
    /// Digits in this batch.
    pub batch_digits: usize,
    /// This step ended an epoch.
    pub epoch_finished: bool,
    /// This step ended the run.
    pub finished: bool,
}

/// A training run in progress: the [`Trainer`], its data, and where it is.
pub struct TrainingRun {
    trainer: Trainer,
    plan: RunPlan,
    dataset: Dataset,
    train: Vec<usize>,
    validation: Vec<usize>,
    evaluation: Vec<usize>,
    rng: SplitMix64,
    augmentation: Augmentation,
    /// Position in `train` of the next batch; the order is reshuffled at each epoch's start.
    next: usize,
    epoch: usize,
    steps: usize,
}

impl TrainingRun {
    /// A fresh model and a run over `plan`'s share of `dataset`'s train split.
    pub fn new(dataset: Dataset, options: TrainingOptions, plan: RunPlan) -> Result<Self> {
        plan.validate()?;
        let variational = options.architecture == ArchitectureKind::Vae;
        if variational && matches!(plan.objective, Objective::OutlierExposure { .. }) {
            return Err(super::trainer::outlier_exposure_needs_a_plain_model());
        }
        let mut rng = SplitMix64::new(options.seed);
        let mut train = dataset.indices(Split::Train);
        if train.is_empty() {
            return Err(Error::InvalidOptions(
                "the data has no training digits".into(),
            ));
        }
        // Drawing a subset or a validation share needs a shuffle first; without either, the
        // first shuffle is the first epoch's (so a seed gives the same run as it always has).
        if plan.subset_size.is_some() || plan.validation_fraction > 0.0 {
            rng.shuffle(&mut train);
        }
        train.truncate(plan.subset_size.unwrap_or(usize::MAX));
        let held_out = (train.len() as f64 * plan.validation_fraction).round() as usize;
        let validation = train.split_off(train.len() - held_out);
        let mut evaluation = dataset.indices(Split::Test);
        evaluation.truncate(plan.evaluation_size.unwrap_or(usize::MAX));
        Ok(Self {
            trainer: Trainer::new(options)?,
            augmentation: Augmentation::new(plan.augment_shift, plan.drawn_share, plan.deformation),
            plan,
            dataset,
            train,
            validation,
            evaluation,
            rng,
            next: 0,
            epoch: 0,
            steps: 0,
        })
    }

    /// The trainer (model and optimiser state).
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// The plan this run follows.
    pub fn plan(&self) -> &RunPlan {
        &self.plan
    }

    /// Digits trained on per epoch.
    pub fn train_digits(&self) -> usize {
        self.train.len()
    }

    /// Digits held out for validation.
    pub fn validation_digits(&self) -> usize {
        self.validation.len()
    }

    /// Test digits evaluated by [`Self::test_metrics`].
    pub fn evaluation_digits(&self) -> usize {
        self.evaluation.len()
    }

    /// Steps in each epoch.
    pub fn steps_per_epoch(&self) -> usize {
        self.train.len().div_ceil(self.trainer.options().batch_size)
    }

    /// Steps in the whole run.
    pub fn total_steps(&self) -> usize {
        self.steps_per_epoch() * self.plan.epochs
    }

    /// Whether every epoch has run.
    pub fn is_finished(&self) -> bool {
        self.steps >= self.total_steps()
    }

    /// One Adam step on the next batch. After the last step it returns an error, as it does
    /// when the loss is not finite (then the weights are left as they were: see
    /// [`Trainer::step`]).
    pub fn step(&mut self) -> Result<StepReport> {
        if self.is_finished() {
            return Err(Error::InvalidOptions(format!(
                "the run has finished its {} epochs",
                self.plan.epochs
            )));
        }
        if self.next == 0 {
            self.rng.shuffle(&mut self.train);
            self.epoch += 1;
            self.augmentation.deformation = self.plan.deformation_in_epoch(self.epoch);
        }
        let learning_rate = self.plan.schedule.learning_rate(
            self.trainer.options().learning_rate,
            self.steps as u64,
            self.total_steps() as u64,
        );
        self.trainer.set_learning_rate(learning_rate)?;
        let end = (self.next + self.trainer.options().batch_size).min(self.train.len());
        let indices = &self.train[self.next..end];
        let batch = self
            .augmentation
            .batch(&self.dataset, indices, &mut self.rng);
        let loss = match self.plan.objective {
            Objective::Reconstruct => self.trainer.step(&batch)?,
            Objective::Denoise => {
                let noisy = corrupted(&batch, &mut self.rng)?;
                self.trainer.step_towards(&noisy, &batch)?
            }
            Objective::OutlierExposure { rate, margin } => {
                let made = negatives(
                    &self.dataset,
                    indices,
                    &batch,
                    &self.train,
                    rate,
                    &mut self.rng,
                );
                if made.is_empty() {
                    self.trainer.step(&batch)?
                } else {
                    self.trainer.step_with_negatives(&batch, &made, margin)?
                }
            }
        };
        let batch_digits = end - self.next;
        self.next = if end == self.train.len() { 0 } else { end };
        self.steps += 1;
        let steps_per_epoch = self.steps_per_epoch();
        Ok(StepReport {
            epoch: self.epoch,
            step_in_epoch: (self.steps - 1) % steps_per_epoch + 1,
            steps_per_epoch,
            step: self.steps,
            total_steps: self.total_steps(),
            loss,
            learning_rate,
            batch_digits,
            epoch_finished: self.next == 0,
            finished: self.is_finished(),
        })
    }

    /// Metrics on the evaluated test digits, with dropout off.
    pub fn test_metrics(&self) -> Result<Metrics> {
        self.trainer
            .evaluate(&self.dataset.images(&self.evaluation))
    }

    /// Metrics on the held-out train digits, or `None` without a validation share.
    pub fn validation_metrics(&self) -> Result<Option<Metrics>> {
        if self.validation.is_empty() {
            return Ok(None);
        }
        self.trainer
            .evaluate(&self.dataset.images(&self.validation))
            .map(Some)
    }

    /// The current weights as a model file, weight matrices in `encoding`.
    pub fn save(&self, provenance: &str, encoding: WeightEncoding) -> Result<Vec<u8>> {
        self.trainer.save(provenance, encoding)
    }

    /// The current weights, ready for single-image inference.
    pub fn snapshot(&self, provenance: &str) -> Result<InferenceModel> {
        self.trainer.snapshot(provenance)
    }
}

#[cfg(test)]
mod tests {
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
}
