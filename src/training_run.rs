//! A whole training run: epochs of shuffled batches from a subset of the train split, an
//! optional learning-rate schedule, and test metrics per epoch. One batch per [`TrainingRun::step`],
//! so that its callers (the native trainer, the browser's Worker) can report progress, pause or
//! stop between steps without knowing how batches are made.

use serde::{Deserialize, Serialize};

use crate::data::{Dataset, DrawnDigits, Split};
use crate::image::{PIXELS, shifted};
use crate::inference::InferenceModel;
use crate::loss::Metrics;
use crate::training::{SplitMix64, Trainer, TrainingOptions, cosine_learning_rate};
use crate::{Error, Result};

/// How the learning rate moves over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Schedule {
    /// The same learning rate throughout.
    #[default]
    Constant,
    /// Cosine decay from the initial learning rate to a hundredth of it.
    Cosine,
}

/// What a run trains on and for how long (the model's own options are [`TrainingOptions`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RunPlan {
    /// Passes over the training digits.
    pub epochs: usize,
    /// How many train-split digits to train on (the first ones of a seeded shuffle); `None`
    /// for the whole split.
    pub subset_size: Option<usize>,
    /// Learning-rate schedule.
    pub schedule: Schedule,
    /// Shift each training image by up to this many pixels at random (augmentation).
    pub augment_shift: usize,
    /// Digits of the train split held out (after the subset is drawn) for choosing settings.
    pub validation_fraction: f64,
    /// Test digits evaluated after each epoch; `None` for the whole test split.
    pub evaluation_size: Option<usize>,
    /// Train a denoiser: each input is corrupted by a random amount of noise (see
    /// [`crate::noise`]), and the target is the clean digit.
    pub denoise: bool,
    /// Train an anomaly detector with outlier exposure: each digit of a batch has this chance
    /// of bringing a non-digit made from it (see [`crate::negatives`]), which the network
    /// learns not to rebuild (see [`Trainer::step_with_negatives`]).
    pub outlier_exposure: f64,
    /// The reconstruction MSE below which a non-digit adds to the loss (the hinge's margin):
    /// the default is about twice the 99th percentile of the plain dense model's test-digit
    /// errors (0.04).
    pub outlier_margin: f32,
    /// The chance (0…1) that a training digit is shown as it would come out of the drawing
    /// pad (see [`crate::preprocess::as_drawn`]: stroke width normalised) instead of as MNIST
    /// stored it, so that the model meets digits the way the page's drawings reach it.
    pub drawn_share: f64,
}

impl Default for RunPlan {
    fn default() -> Self {
        Self {
            epochs: 10,
            subset_size: None,
            schedule: Schedule::Constant,
            augment_shift: 0,
            validation_fraction: 0.0,
            evaluation_size: None,
            denoise: false,
            outlier_exposure: 0.0,
            outlier_margin: 0.08,
            drawn_share: 0.0,
        }
    }
}

/// The largest shift [`RunPlan::augment_shift`] allows: beyond it digits leave the frame.
const MAX_SHIFT: usize = 4;

impl RunPlan {
    fn validate(&self) -> Result<()> {
        let invalid = |message: String| Err(Error::InvalidOptions(message));
        if self.epochs == 0 {
            return invalid("epochs must be at least 1".into());
        }
        if self.subset_size == Some(0) {
            return invalid("the training subset needs at least 1 digit".into());
        }
        if self.evaluation_size == Some(0) {
            return invalid("evaluation needs at least 1 test digit".into());
        }
        if self.augment_shift > MAX_SHIFT {
            return invalid(format!(
                "augmentShift {} is above {MAX_SHIFT} pixels",
                self.augment_shift
            ));
        }
        if !(0.0..0.9).contains(&self.validation_fraction) {
            return invalid(format!(
                "validationFraction {} is outside [0, 0.9)",
                self.validation_fraction
            ));
        }
        if !(self.outlier_margin > 0.0 && self.outlier_margin < 1.0) {
            return invalid(format!(
                "outlierMargin {} is outside (0, 1)",
                self.outlier_margin
            ));
        }
        if !(0.0..0.9).contains(&self.outlier_exposure) {
            return invalid(format!(
                "outlierExposure {} is outside [0, 0.9)",
                self.outlier_exposure
            ));
        }
        if !(0.0..=1.0).contains(&self.drawn_share) {
            return invalid(format!("drawnShare {} is outside [0, 1]", self.drawn_share));
        }
        Ok(())
    }
}

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
    /// Position in `train` of the next batch; the order is reshuffled at each epoch's start.
    next: usize,
    epoch: usize,
    steps: usize,
    /// Training digits as drawn (see [`RunPlan::drawn_share`]).
    drawn: DrawnDigits,
}

impl TrainingRun {
    /// A fresh model and a run over `plan`'s share of `dataset`'s train split.
    pub fn new(dataset: Dataset, options: TrainingOptions, plan: RunPlan) -> Result<Self> {
        plan.validate()?;
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
            plan,
            dataset,
            train,
            validation,
            evaluation,
            rng,
            drawn: DrawnDigits::default(),
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
        }
        let learning_rate = match self.plan.schedule {
            Schedule::Constant => self.trainer.options().learning_rate,
            Schedule::Cosine => cosine_learning_rate(
                self.trainer.options().learning_rate,
                self.steps as u64,
                self.total_steps() as u64,
            ),
        };
        self.trainer.set_learning_rate(learning_rate)?;
        let end = (self.next + self.trainer.options().batch_size).min(self.train.len());
        let batch = self.batch_pixels(self.next, end);
        let loss = if self.plan.denoise {
            let noisy = self.corrupted(&batch)?;
            self.trainer.step_towards(&noisy, &batch)?
        } else if self.plan.outlier_exposure > 0.0 {
            let negatives = self.negatives(self.next, &batch);
            if negatives.is_empty() {
                self.trainer.step(&batch)?
            } else {
                self.trainer
                    .step_with_negatives(&batch, &negatives, self.plan.outlier_margin)?
            }
        } else {
            self.trainer.step(&batch)?
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

    /// The current weights as a model file.
    pub fn save(&self, provenance: &str) -> Result<Vec<u8>> {
        self.trainer.save(provenance)
    }

    /// The current weights, ready for single-image inference.
    pub fn snapshot(&self, provenance: &str) -> InferenceModel {
        self.trainer.snapshot(provenance)
    }

    /// Each image of `batch` corrupted by its own random amount of noise.
    fn corrupted(&mut self, batch: &[f32]) -> Result<Vec<f32>> {
        let mut noisy = Vec::with_capacity(batch.len());
        for image in batch.chunks_exact(crate::image::PIXELS) {
            let amount = self.rng.below(1001) as f32 / 1000.0;
            noisy.extend(crate::noise::corrupt(image, amount, &mut self.rng)?);
        }
        Ok(noisy)
    }

    /// Non-digits made from the digits `train[from..]` (see [`crate::negatives`]): one for
    /// each digit of `batch` picked with the plan's outlier-exposure chance.
    fn negatives(&mut self, from: usize, batch: &[f32]) -> Vec<f32> {
        let mut negatives = Vec::new();
        for (i, digit) in batch.chunks_exact(PIXELS).enumerate() {
            if !self.rng.chance(self.plan.outlier_exposure) {
                continue;
            }
            let label = self.dataset.label(self.train[from + i]);
            let mut partner_rng = SplitMix64::new(self.rng.next_u64());
            let (dataset, train) = (&self.dataset, &self.train);
            // A digit of another class, if a few draws find one (a subset may hold one class).
            let partner = || {
                let mut index = train[partner_rng.below(train.len())];
                for _ in 0..100 {
                    if dataset.label(index) != label {
                        break;
                    }
                    index = train[partner_rng.below(train.len())];
                }
                dataset.image(index)
            };
            negatives.extend(crate::negatives::make(digit, label, partner, &mut self.rng));
        }
        negatives
    }

    /// The batch `train[from..to]`: each digit as drawn with the plan's drawn share, and
    /// shifted at random when the plan augments.
    fn batch_pixels(&mut self, from: usize, to: usize) -> Vec<f32> {
        let max_shift = self.plan.augment_shift;
        let drawn_share = self.plan.drawn_share;
        if max_shift == 0 && drawn_share == 0.0 {
            return self.dataset.images(&self.train[from..to]);
        }
        let span = 2 * max_shift + 1;
        let mut pixels = Vec::with_capacity((to - from) * PIXELS);
        for position in from..to {
            let index = self.train[position];
            let image = if drawn_share > 0.0 && self.rng.chance(drawn_share) {
                self.drawn.image(&self.dataset, index).to_vec()
            } else {
                self.dataset.image(index)
            };
            if max_shift == 0 {
                pixels.extend(image);
            } else {
                let dx = self.rng.below(span) as i32 - max_shift as i32;
                let dy = self.rng.below(span) as i32 - max_shift as i32;
                pixels.extend(shifted(&image, dx, dy));
            }
        }
        pixels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 50 small synthetic samples (40 train, 10 test under the fixed split): enough to check
    /// the bookkeeping, not the learning.
    fn dataset() -> Dataset {
        let labels: Vec<u8> = (0..50).map(|i| (i % 10) as u8).collect();
        let pixels: Vec<u8> = (0..50 * PIXELS).map(|i| ((i * 37) % 256) as u8).collect();
        Dataset::from_samples(labels, pixels).unwrap()
    }

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
        let mut run = TrainingRun::new(dataset(), options(8), plan).unwrap();
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
        let mut run = TrainingRun::new(dataset(), options(20), plan).unwrap();
        let rates: Vec<f64> = (0..4).map(|_| run.step().unwrap().learning_rate).collect();
        assert_eq!(rates[0], 1e-3);
        assert!(rates.windows(2).all(|pair| pair[1] < pair[0]), "{rates:?}");
    }

    #[test]
    fn subsets_and_validation_are_seeded_and_disjoint() {
        let plan = RunPlan {
            subset_size: Some(20),
            validation_fraction: 0.25,
            evaluation_size: Some(3),
            ..Default::default()
        };
        let run = TrainingRun::new(dataset(), options(8), plan.clone()).unwrap();
        assert_eq!((run.train_digits(), run.validation_digits()), (15, 5));
        assert_eq!(run.evaluation_digits(), 3);
        assert!(run.validation.iter().all(|i| !run.train.contains(i)));
        let again = TrainingRun::new(dataset(), options(8), plan).unwrap();
        assert_eq!(run.train, again.train);
    }

    #[test]
    fn a_denoising_run_trains_on_noisy_inputs() {
        let plan = RunPlan {
            epochs: 1,
            denoise: true,
            ..Default::default()
        };
        let mut run = TrainingRun::new(dataset(), options(20), plan).unwrap();
        let report = run.step().unwrap();
        assert!(report.loss.is_finite());
        assert!(run.test_metrics().unwrap().mse.is_finite());
    }

    #[test]
    fn an_outlier_exposure_run_adds_non_digits_made_from_its_batch() {
        let plan = RunPlan {
            epochs: 1,
            outlier_exposure: 0.5,
            ..Default::default()
        };
        let mut run = TrainingRun::new(dataset(), options(40), plan).unwrap();
        run.rng.shuffle(&mut run.train);
        let batch = run.batch_pixels(0, 40);
        let negatives = run.negatives(0, &batch);
        let count = negatives.len() / PIXELS;
        assert!(
            (8..=32).contains(&count),
            "{count} negatives for 40 digits at 0.5"
        );
        assert!(
            negatives
                .chunks_exact(PIXELS)
                .all(|n| !batch.chunks_exact(PIXELS).any(|d| d == n))
        );
        assert!(run.step().unwrap().loss.is_finite());
    }

    #[test]
    fn a_drawn_share_shows_that_share_of_digits_as_drawn() {
        for (share, expected) in [(0.0, 0..=0), (0.5, 8..=32), (1.0, 40..=40)] {
            let plan = RunPlan {
                drawn_share: share,
                ..Default::default()
            };
            let mut run = TrainingRun::new(dataset(), options(40), plan).unwrap();
            let batch = run.batch_pixels(0, 40);
            let mut drawn = 0;
            for (&index, image) in run.train[..40].iter().zip(batch.chunks_exact(PIXELS)) {
                let stored = run.dataset.image(index);
                let as_drawn = crate::preprocess::as_drawn(&stored).unwrap();
                assert!(image == stored || image == as_drawn);
                drawn += (image == as_drawn && image != stored) as usize;
            }
            assert!(expected.contains(&drawn), "{drawn} of 40 drawn at {share}");
        }
    }

    #[test]
    fn bad_plans_are_refused() {
        for (plan, message) in [
            (
                RunPlan {
                    epochs: 0,
                    ..Default::default()
                },
                "epochs",
            ),
            (
                RunPlan {
                    subset_size: Some(0),
                    ..Default::default()
                },
                "subset",
            ),
            (
                RunPlan {
                    augment_shift: 9,
                    ..Default::default()
                },
                "augmentShift",
            ),
            (
                RunPlan {
                    outlier_exposure: 0.95,
                    ..Default::default()
                },
                "outlierExposure",
            ),
            (
                RunPlan {
                    outlier_margin: f32::NAN,
                    ..Default::default()
                },
                "outlierMargin",
            ),
            (
                RunPlan {
                    validation_fraction: 1.0,
                    ..Default::default()
                },
                "validationFraction",
            ),
            (
                RunPlan {
                    drawn_share: -0.5,
                    ..Default::default()
                },
                "drawnShare",
            ),
        ] {
            let error = TrainingRun::new(dataset(), options(8), plan).err().unwrap();
            assert!(error.to_string().contains(message), "{error}");
        }
    }

    #[test]
    fn plans_deserialize_from_camel_case_with_defaults() {
        let plan: RunPlan =
            serde_json::from_str(r#"{"epochs": 3, "subsetSize": 1000, "schedule": "cosine"}"#)
                .unwrap();
        assert_eq!(plan.epochs, 3);
        assert_eq!(plan.subset_size, Some(1000));
        assert_eq!(plan.schedule, Schedule::Cosine);
        assert!(serde_json::from_str::<RunPlan>(r#"{"epoch": 3}"#).is_err());
    }
}
