//! Images made here rather than drawn or stored: random deformations of training digits, noise
//! for the denoiser and its slider, the
//! non-digit probes that anomaly detection is tested on, and non-digits made from digits for
//! outlier exposure. All seeded; they depend only on `util` and the drawing conversion.

pub mod deform;
pub mod negatives;
pub mod noise;
pub mod probes;
