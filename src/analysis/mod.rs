//! Looking at what a trained model does: principal component analysis of its codes and a
//! neighbour-keeping t-SNE map of them (the latent map), straight-line interpolation, and anomaly detection by reconstruction error. Above
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
pub mod neighbour_map;
pub mod pca;
pub mod plane_distribution;
pub mod softmax;
pub mod tsne;
