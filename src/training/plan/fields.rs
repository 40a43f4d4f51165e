//! [`RunPlan`] as JSON spells it: a flat object of optional fields, the objective as flags.

use serde::{Deserialize, Serialize};

use super::{DEFAULT_OUTLIER_MARGIN, Objective, RunPlan, invalid};
use crate::synthetic::deform::Deformation;
use crate::training::schedule::Schedule;
use crate::util::error::{Error, Result};

/// [`RunPlan`] as JSON spells it (see there).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub(super) struct PlanFields {
    epochs: usize,
    subset_size: Option<usize>,
    schedule: Schedule,
    augment_shift: usize,
    deform: Deformation,
    deform_epochs: Option<usize>,
    validation_fraction: f64,
    evaluation_size: Option<usize>,
    denoise: bool,
    outlier_exposure: f64,
    outlier_margin: f32,
    drawn_share: f64,
    // Left out when 0, so that the manifest's plans read as they did before shapes existed.
    #[serde(skip_serializing_if = "is_zero")]
    example_share: f64,
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

impl Default for PlanFields {
    fn default() -> Self {
        RunPlan::default().into()
    }
}

impl From<RunPlan> for PlanFields {
    fn from(plan: RunPlan) -> Self {
        let (denoise, outlier_exposure, outlier_margin) = match plan.objective {
            Objective::Reconstruct => (false, 0.0, DEFAULT_OUTLIER_MARGIN),
            Objective::Denoise => (true, 0.0, DEFAULT_OUTLIER_MARGIN),
            Objective::OutlierExposure { rate, margin } => (false, rate, margin),
        };
        Self {
            epochs: plan.epochs,
            subset_size: plan.subset_size,
            schedule: plan.schedule,
            augment_shift: plan.augment_shift,
            deform: plan.deformation,
            deform_epochs: plan.deform_epochs,
            validation_fraction: plan.validation_fraction,
            evaluation_size: plan.evaluation_size,
            denoise,
            outlier_exposure,
            outlier_margin,
            drawn_share: plan.drawn_share,
            example_share: plan.example_share,
        }
    }
}

impl TryFrom<PlanFields> for RunPlan {
    type Error = Error;

    fn try_from(fields: PlanFields) -> Result<Self> {
        let objective = match (fields.denoise, fields.outlier_exposure) {
            (true, rate) if rate != 0.0 => {
                return invalid(
                    "denoise and outlierExposure are two objectives: choose one".into(),
                );
            }
            (true, _) => Objective::Denoise,
            (false, rate) if rate != 0.0 => Objective::OutlierExposure {
                rate,
                margin: fields.outlier_margin,
            },
            (false, _) if fields.outlier_margin != DEFAULT_OUTLIER_MARGIN => {
                return invalid("outlierMargin applies only with outlierExposure above 0".into());
            }
            (false, _) => Objective::Reconstruct,
        };
        let plan = Self {
            epochs: fields.epochs,
            subset_size: fields.subset_size,
            schedule: fields.schedule,
            augment_shift: fields.augment_shift,
            deformation: fields.deform,
            deform_epochs: fields.deform_epochs,
            validation_fraction: fields.validation_fraction,
            evaluation_size: fields.evaluation_size,
            objective,
            drawn_share: fields.drawn_share,
            example_share: fields.example_share,
        };
        plan.validate()?;
        Ok(plan)
    }
}
