//! A whole training run: epochs of shuffled batches from a subset of the train split, the
//! plan's objective and schedule, and test metrics per epoch. One batch per
//! [`TrainingRun::step`], so that its callers (the native trainer, the browser's Worker) can
//! report progress, pause or stop between steps without knowing how batches are made.

use serde::Serialize;

use super::batches::{Augmentation, corrupted, deformed_examples, negatives};
use super::plan::{Objective, RunPlan};
use super::{Trainer, TrainingOptions};
use crate::architecture::ArchitectureKind;
use crate::data::{Dataset, Split};
use crate::inference::InferenceModel;
use crate::model_file::WeightEncoding;
use crate::util::error::{Error, Result, check_pixel_range, check_rows};
use crate::util::image::PIXELS;
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
    /// The visitor's examples in this batch (see [`RunPlan::example_share`]).
    pub batch_examples: usize,
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
    /// A visitor's examples of a new shape (`n × 784`), mixed into every batch; often none.
    examples: Vec<f32>,
    /// Examples in each batch; the rest of the batch is digits.
    examples_per_batch: usize,
    epoch: usize,
    steps: usize,
}

impl TrainingRun {
    /// A fresh model and a run over `plan`'s share of `dataset`'s train split.
    pub fn new(dataset: Dataset, options: TrainingOptions, plan: RunPlan) -> Result<Self> {
        plan.validate()?;
        Self::with_trainer(dataset, Trainer::new(options)?, plan, Vec::new())
    }

    /// A run that teaches a model a new shape from a visitor's `examples` (`n × 784` pixels in
    /// 0…1): each batch is `plan.example_share` examples, drawn at random and deformed anew,
    /// and training digits for the rest. It trains a copy of the model in `model_file`
    /// (fine-tuning; `options` give only the optimiser's settings) or, without one, a fresh
    /// model from `options`.
    pub fn on_examples(
        dataset: Dataset,
        model_file: Option<&[u8]>,
        options: TrainingOptions,
        plan: RunPlan,
        examples: Vec<f32>,
    ) -> Result<Self> {
        plan.validate()?;
        check_rows("the examples", &examples, PIXELS)?;
        check_pixel_range("the examples", &examples)?;
        if plan.example_share == 0.0 {
            return Err(Error::InvalidOptions(
                "exampleShare is 0: the examples would never be shown".into(),
            ));
        }
        let trainer = match model_file {
            Some(bytes) => Trainer::from_model_file(bytes, options)?,
            None => Trainer::new(options)?,
        };
        Self::with_trainer(dataset, trainer, plan, examples)
    }

    fn with_trainer(
        dataset: Dataset,
        trainer: Trainer,
        plan: RunPlan,
        examples: Vec<f32>,
    ) -> Result<Self> {
        let variational = trainer.options().architecture == ArchitectureKind::Vae;
        if variational && matches!(plan.objective, Objective::OutlierExposure { .. }) {
            return Err(super::trainer::outlier_exposure_needs_a_plain_model());
        }
        if examples.is_empty() && plan.example_share > 0.0 {
            return Err(Error::InvalidOptions(
                "exampleShare needs examples of a shape to show".into(),
            ));
        }
        let mut rng = SplitMix64::new(trainer.options().seed);
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
        let batch_size = trainer.options().batch_size;
        let examples_per_batch = if examples.is_empty() {
            0
        } else {
            ((plan.example_share * batch_size as f64).round() as usize).clamp(1, batch_size)
        };
        Ok(Self {
            trainer,
            augmentation: Augmentation::new(plan.augment_shift, plan.drawn_share, plan.deformation),
            plan,
            dataset,
            train,
            validation,
            evaluation,
            rng,
            examples,
            examples_per_batch,
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

    /// The visitor's examples the run mixes in (none for a run on digits only).
    pub fn example_count(&self) -> usize {
        self.examples.len() / PIXELS
    }

    /// Steps in each epoch: an epoch is as many images as there are training digits, so with
    /// examples in the mix it shows that share fewer digits (a different part each epoch).
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
        let steps_per_epoch = self.steps_per_epoch();
        let step_in_epoch = self.steps % steps_per_epoch;
        if step_in_epoch == 0 {
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
        let digits_per_batch = self.trainer.options().batch_size - self.examples_per_batch;
        let start = (step_in_epoch * digits_per_batch).min(self.train.len());
        let end = (start + digits_per_batch).min(self.train.len());
        let indices = &self.train[start..end];
        let mut batch = self
            .augmentation
            .batch(&self.dataset, indices, &mut self.rng);
        batch.extend(deformed_examples(
            &self.examples,
            self.examples_per_batch,
            &mut self.rng,
        ));
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
        self.steps += 1;
        Ok(StepReport {
            epoch: self.epoch,
            step_in_epoch: step_in_epoch + 1,
            steps_per_epoch,
            step: self.steps,
            total_steps: self.total_steps(),
            loss,
            learning_rate,
            batch_digits: end - start,
            batch_examples: self.examples_per_batch,
            epoch_finished: self.steps.is_multiple_of(steps_per_epoch),
            finished: self.is_finished(),
        })
    }

    /// Metrics on the evaluated test digits, with dropout off.
    pub fn test_metrics(&self) -> Result<Metrics> {
        self.trainer
            .evaluate(&self.dataset.images(&self.evaluation))
    }

    /// Metrics on the visitor's examples as they are (not deformed), or `None` without any.
    pub fn example_metrics(&self) -> Result<Option<Metrics>> {
        if self.examples.is_empty() {
            return Ok(None);
        }
        self.trainer.evaluate(&self.examples).map(Some)
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
mod tests;
