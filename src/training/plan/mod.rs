//! What a run trains on, towards what, and for how long: the [`RunPlan`] and its [`Objective`].
//! The model's own settings are [`super::TrainingOptions`].

mod fields;

use serde::{Deserialize, Serialize};

use super::schedule::Schedule;
use crate::synthetic::deform::Deformation;
use crate::util::error::{Error, Result};

/// The largest shift [`RunPlan::augment_shift`] allows: beyond it digits leave the frame.
pub const MAX_SHIFT: usize = 4;
/// The default outlier-exposure margin: about twice the 99th percentile of the plain dense
/// model's test-digit errors (0.04).
pub const DEFAULT_OUTLIER_MARGIN: f32 = 0.08;

/// What the network learns to do with a batch. One choice per run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Objective {
    /// Rebuild each digit (mean BCE).
    #[default]
    Reconstruct,
    /// Rebuild the clean digit from a copy corrupted by a random amount of noise (see
    /// [`crate::synthetic::noise`]): a denoiser.
    Denoise,
    /// Rebuild digits and *not* non-digits, for an anomaly detector: each digit of a batch has
    /// the chance `rate` of bringing a non-digit made from it (see
    /// [`crate::synthetic::negatives`]), whose reconstruction MSE is pushed above `margin` (see
    /// [`super::Trainer::step_with_negatives`]).
    OutlierExposure {
        /// Chance per digit, in (0, 0.9).
        rate: f64,
        /// The hinge's margin, in (0, 1).
        margin: f32,
    },
}

impl Objective {
    fn validate(&self) -> Result<()> {
        if let Self::OutlierExposure { rate, margin } = *self {
            if !(rate > 0.0 && rate < 0.9) {
                return invalid(format!("outlierExposure {rate} is outside (0, 0.9)"));
            }
            if !(margin > 0.0 && margin < 1.0) {
                return invalid(format!("outlierMargin {margin} is outside (0, 1)"));
            }
        }
        Ok(())
    }
}

/// A run's plan. In JSON (the page's Worker, the manifest) it is a flat object of optional
/// camelCase fields: `{epochs, subsetSize, schedule, augmentShift, deform, deformEpochs,
/// validationFraction, evaluationSize, denoise, outlierExposure, outlierMargin, drawnShare,
/// exampleShare}`;
/// the objective is `denoise: true` or `outlierExposure > 0`, never both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "fields::PlanFields", into = "fields::PlanFields")]
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
    /// How each training image is deformed at random (augmentation; JSON `deform`).
    pub deformation: Deformation,
    /// Deform only in this many first epochs, and show the digits as they are in the rest (a
    /// clean finish: the network ends on the distribution it is tested on); `None` deforms in
    /// every epoch.
    pub deform_epochs: Option<usize>,
    /// Digits of the train split held out (after the subset is drawn) for choosing settings.
    pub validation_fraction: f64,
    /// Test digits evaluated after each epoch; `None` for the whole test split.
    pub evaluation_size: Option<usize>,
    /// What the network learns.
    pub objective: Objective,
    /// The chance (0…1) that a training digit is shown as it would come out of the drawing
    /// pad (see [`crate::drawing::as_drawn`]: stroke width normalised) instead of as MNIST
    /// stored it, so that the model meets digits the way the page's drawings reach it.
    pub drawn_share: f64,
    /// The share (0…1) of every batch made of a visitor's examples of a new shape, each
    /// deformed anew (see [`super::TrainingRun::on_examples`]); the rest are training digits.
    /// 0 for a run on digits only.
    pub example_share: f64,
}

impl Default for RunPlan {
    fn default() -> Self {
        Self {
            epochs: 10,
            subset_size: None,
            schedule: Schedule::Constant,
            augment_shift: 0,
            deformation: Deformation::None,
            deform_epochs: None,
            validation_fraction: 0.0,
            evaluation_size: None,
            objective: Objective::Reconstruct,
            drawn_share: 0.0,
            example_share: 0.0,
        }
    }
}

fn invalid<T>(message: String) -> Result<T> {
    Err(Error::InvalidOptions(message))
}

impl RunPlan {
    /// Rejects plans that cannot run, with a message naming the field as JSON spells it.
    pub fn validate(&self) -> Result<()> {
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
        if let Some(deform_epochs) = self.deform_epochs {
            if self.deformation == Deformation::None {
                return invalid("deformEpochs needs a deformation (deform)".into());
            }
            if deform_epochs > self.epochs {
                return invalid(format!(
                    "deformEpochs {deform_epochs} is more than the run's {} epochs",
                    self.epochs
                ));
            }
        }
        if !(0.0..0.9).contains(&self.validation_fraction) {
            return invalid(format!(
                "validationFraction {} is outside [0, 0.9)",
                self.validation_fraction
            ));
        }
        if !(0.0..=1.0).contains(&self.drawn_share) {
            return invalid(format!("drawnShare {} is outside [0, 1]", self.drawn_share));
        }
        if !(0.0..=1.0).contains(&self.example_share) {
            return invalid(format!(
                "exampleShare {} is outside [0, 1]",
                self.example_share
            ));
        }
        if self.example_share > 0.0 && self.objective != Objective::Reconstruct {
            return invalid(
                "exampleShare trains to rebuild, not with denoise or outlierExposure".into(),
            );
        }
        self.objective.validate()
    }

    /// How the training digits are deformed in `epoch` (counted from 1).
    pub fn deformation_in_epoch(&self, epoch: usize) -> Deformation {
        match self.deform_epochs {
            Some(deform_epochs) if epoch > deform_epochs => Deformation::None,
            _ => self.deformation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> std::result::Result<RunPlan, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn plans_deserialize_from_camel_case_with_defaults() {
        let plan = parse(r#"{"epochs": 3, "subsetSize": 1000, "schedule": "cosine"}"#).unwrap();
        assert_eq!(plan.deformation, Deformation::None);
        let plan = parse(
            r#"{"epochs": 3, "subsetSize": 1000, "schedule": "cosine", "deform": "elastic"}"#,
        )
        .unwrap();
        assert_eq!(plan.deformation, Deformation::Elastic);
        assert!(parse(r#"{"deform": "warp"}"#).is_err());
        assert_eq!(plan.epochs, 3);
        assert_eq!(plan.subset_size, Some(1000));
        assert_eq!(plan.schedule, Schedule::Cosine);
        assert_eq!(plan.objective, Objective::Reconstruct);
        assert!(
            parse(r#"{"epoch": 3}"#)
                .unwrap_err()
                .contains("unknown field")
        );
    }

    #[test]
    fn the_objective_is_one_explicit_choice() {
        assert_eq!(
            parse(r#"{"denoise": true}"#).unwrap().objective,
            Objective::Denoise
        );
        assert_eq!(
            parse(r#"{"outlierExposure": 0.3, "outlierMargin": 0.05}"#)
                .unwrap()
                .objective,
            Objective::OutlierExposure {
                rate: 0.3,
                margin: 0.05
            }
        );
        // Once, denoise silently won over outlier exposure: now the plan is refused.
        let both = parse(r#"{"denoise": true, "outlierExposure": 0.3}"#).unwrap_err();
        assert!(both.contains("choose one"), "{both}");
        let stray = parse(r#"{"outlierMargin": 0.2}"#).unwrap_err();
        assert!(stray.contains("outlierExposure"), "{stray}");
    }

    #[test]
    fn plans_round_trip_through_json() {
        for objective in [
            Objective::Reconstruct,
            Objective::Denoise,
            Objective::OutlierExposure {
                rate: 0.25,
                margin: 0.1,
            },
        ] {
            let plan = RunPlan {
                epochs: 4,
                subset_size: Some(100),
                objective,
                drawn_share: 0.5,
                example_share: if objective == Objective::Reconstruct {
                    0.25
                } else {
                    0.0
                },
                deformation: Deformation::Affine,
                deform_epochs: Some(3),
                ..Default::default()
            };
            let json = serde_json::to_string(&plan).unwrap();
            assert_eq!(parse(&json).unwrap(), plan, "{json}");
        }
    }

    #[test]
    fn bad_plans_are_refused() {
        let oe = |rate, margin| Objective::OutlierExposure { rate, margin };
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
                    evaluation_size: Some(0),
                    ..Default::default()
                },
                "evaluation",
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
                    objective: oe(0.95, 0.08),
                    ..Default::default()
                },
                "outlierExposure",
            ),
            (
                RunPlan {
                    objective: oe(0.0, 0.08),
                    ..Default::default()
                },
                "outlierExposure",
            ),
            (
                RunPlan {
                    objective: oe(0.5, f32::NAN),
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
                    deform_epochs: Some(5),
                    ..Default::default()
                },
                "deformEpochs needs a deformation",
            ),
            (
                RunPlan {
                    epochs: 4,
                    deformation: Deformation::Elastic,
                    deform_epochs: Some(5),
                    ..Default::default()
                },
                "deformEpochs 5 is more than the run's 4 epochs",
            ),
            (
                RunPlan {
                    drawn_share: -0.5,
                    ..Default::default()
                },
                "drawnShare",
            ),
            (
                RunPlan {
                    example_share: 1.5,
                    ..Default::default()
                },
                "exampleShare",
            ),
            (
                RunPlan {
                    example_share: 0.5,
                    objective: Objective::Denoise,
                    ..Default::default()
                },
                "exampleShare trains to rebuild",
            ),
        ] {
            let error = plan.validate().unwrap_err().to_string();
            assert!(error.contains(message), "{error}");
        }
        assert!(RunPlan::default().validate().is_ok());
    }

    #[test]
    fn a_clean_finish_stops_deforming_after_its_epochs() {
        let plan = RunPlan {
            epochs: 4,
            deformation: Deformation::Elastic,
            deform_epochs: Some(3),
            ..Default::default()
        };
        let by_epoch: Vec<_> = (1..=4).map(|e| plan.deformation_in_epoch(e)).collect();
        use Deformation::{Elastic, None};
        assert_eq!(by_epoch, [Elastic, Elastic, Elastic, None]);
        let always = RunPlan {
            deform_epochs: Option::None,
            ..plan
        };
        assert_eq!(always.deformation_in_epoch(4), Elastic);
    }
}
