//! How the learning rate moves over a run.

use serde::{Deserialize, Serialize};

/// A learning-rate schedule: `"constant"` or `"cosine"` wherever it is written.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[cfg_attr(not(target_arch = "wasm32"), derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Schedule {
    /// The same learning rate throughout.
    #[default]
    Constant,
    /// Cosine decay from the initial learning rate to a hundredth of it.
    Cosine,
}

impl Schedule {
    /// The learning rate at `step` of `total`, starting from `initial`.
    pub fn learning_rate(self, initial: f64, step: u64, total: u64) -> f64 {
        match self {
            Self::Constant => initial,
            Self::Cosine => {
                let progress = (step as f64 / total.max(1) as f64).min(1.0);
                let floor = initial / 100.0;
                floor + (initial - floor) * 0.5 * (1.0 + (std::f64::consts::PI * progress).cos())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_schedule_runs_from_initial_to_a_hundredth() {
        let cosine = |step| Schedule::Cosine.learning_rate(1e-3, step, 100);
        assert_eq!(cosine(0), 1e-3);
        assert!((cosine(100) - 1e-5).abs() < 1e-12);
        assert!(cosine(50) < 1e-3 && cosine(50) > cosine(51));
        assert_eq!(Schedule::Constant.learning_rate(1e-3, 50, 100), 1e-3);
        assert_eq!("cosine".parse::<Schedule>().unwrap(), Schedule::Cosine);
        assert!("linear".parse::<Schedule>().is_err());
    }

    #[test]
    fn schedules_are_named_one_way_everywhere() {
        use strum::VariantArray;
        for &schedule in Schedule::VARIANTS {
            let name: &str = schedule.into();
            assert_eq!(
                serde_json::to_string(&schedule).unwrap(),
                format!("\"{name}\"")
            );
            assert_eq!(name.parse::<Schedule>().unwrap(), schedule);
            assert_eq!(schedule.to_string(), name);
        }
        assert_eq!(Schedule::Cosine.to_string(), "cosine");
    }
}
