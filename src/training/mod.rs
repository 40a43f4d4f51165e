//! Training, without burn's `Learner` (which does not run in wasm): one batch per call, so the
//! caller (the native CLI, the page's Worker) decides when to report, yield, pause or stop.
//!
//! - [`options`]: the model's settings and their limits; [`plan`]: what a run trains on and
//!   towards which [`Objective`]; [`schedule`]: the learning rate over a run;
//! - [`loss`]: the tensor losses; [`trainer`]: the model with Adam's state, one step at a time;
//! - [`batches`]: augmentation and what each objective adds to a batch; [`run`]: a whole run.
//!
//! Adding an objective: a variant of [`Objective`] (with its JSON spelling in `plan/fields.rs`), what it
//! adds to a batch in `batches.rs`, the step it takes in [`TrainingRun::step`], and if it needs
//! one, a loss in `loss.rs` with a `Trainer` step that uses it.

// Options, plans and schedules are plain data (the inference build has them too, so that the
// page's form knows the limits); the rest needs burn.
#[cfg(feature = "training")]
pub mod batches;
#[cfg(feature = "training")]
pub mod data_parallel;
#[cfg(feature = "training")]
pub mod dense_step;
#[cfg(feature = "training")]
pub mod dropout;
#[cfg(feature = "training")]
pub mod fine_tune;
#[cfg(feature = "training")]
pub mod loss;
pub mod options;
pub mod plan;
#[cfg(feature = "training")]
pub mod run;
pub mod schedule;
#[cfg(feature = "training")]
pub mod trainer;
#[cfg(feature = "training")]
pub mod transfer;

pub use options::{MAX_BATCH_SIZE, MAX_LEARNING_RATE, TrainingOptions};
pub use plan::{Objective, RunPlan};
#[cfg(feature = "training")]
pub use run::{StepReport, TrainingRun};
pub use schedule::Schedule;
#[cfg(feature = "training")]
pub use trainer::{Trainer, evaluate, reconstruct_all};

#[cfg(all(test, feature = "training"))]
pub(crate) mod tests {
    use crate::data::Dataset;
    use crate::util::image::PIXELS;

    /// 50 small synthetic samples (40 train, 10 test under the fixed split): enough to check
    /// the bookkeeping, not the learning (the integration tests learn on real digits).
    pub(crate) fn synthetic_dataset() -> Dataset {
        let labels: Vec<u8> = (0..50).map(|i| (i % 10) as u8).collect();
        let pixels: Vec<u8> = (0..50 * PIXELS).map(|i| ((i * 37) % 256) as u8).collect();
        Dataset::from_samples(labels, pixels).unwrap()
    }
}
