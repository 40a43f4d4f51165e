//! How the learning rate moves over a run.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A learning-rate schedule: `"constant"` or `"cosine"` wherever it is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Schedule {
    /// The same learning rate throughout.
    #[default]
    Constant,
    /// Cosine decay from the initial learning rate to a hundredth of it.
    Cosine,
}

impl Schedule {
    /// Every schedule, for listing the choices.
    pub const ALL: [Schedule; 2] = [Self::Constant, Self::Cosine];

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

    /// The schedule's name, as JSON and the CLI write it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Constant => "constant",
            Self::Cosine => "cosine",
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Schedule {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|schedule| schedule.name() == name)
            .ok_or_else(|| format!("unknown schedule {name:?}: choose constant or cosine"))
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
}
