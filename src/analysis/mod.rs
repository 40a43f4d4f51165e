//! Looking at what a trained model does: principal component analysis of its codes (the latent
//! map), straight-line interpolation, and anomaly detection by reconstruction error. Above
//! inference, data and the synthetic probes.

pub mod anomaly;
pub mod anomaly_detector;
pub mod anomaly_score;
pub mod baseline;
pub mod code_bytes;
pub mod code_classifier;
pub mod code_density;
pub mod dreams;
pub mod interpolate;
pub mod knn;
pub mod pca;
pub mod plane_distribution;
pub mod softmax;
