//! The network's forward pass with dropout off, by the step's own loops: the trainer's
//! evaluation after each epoch. The step keeps these loops hot, so evaluating costs no copy of
//! the weights into burn and no new code for the browser to compile mid-run: burn's own forward
//! pass, run once an epoch, had Chromium compile its element-wise operations with its optimising
//! tier while the visitor drew, taking the page's cores for a tenth of a second
//! (BENCHMARKS.md, "Soak: long use in one page").

use crate::util::image::PIXELS;

use super::DenseStep;
use super::data_parallel::{self, run_each};

/// Rows taken through the network at once, to bound the memory a large evaluation needs.
pub(super) const CHUNK_ROWS: usize = 500;

impl DenseStep {
    /// Reconstructions of `images` (rows × 784), dropout off: what burn's network with these
    /// weights gives in inference.
    pub fn reconstruct(&self, images: &[f32]) -> Vec<f32> {
        let mut outputs = Vec::with_capacity(images.len());
        for chunk in images.chunks(CHUNK_ROWS * PIXELS) {
            let rows = chunk.len() / PIXELS;
            let shares = data_parallel::shares(rows);
            let parts = data_parallel::on_the_pool(|| {
                run_each(shares, |share| {
                    self.forward(&chunk[share.start * PIXELS..share.end * PIXELS])
                })
            });
            for part in parts {
                outputs.extend(part);
            }
        }
        outputs
    }

    /// The forward pass of `inputs`' rows.
    fn forward(&self, inputs: &[f32]) -> Vec<f32> {
        let rows = inputs.len() / PIXELS;
        let mut activations: Option<Vec<f32>> = None;
        let mut slopes = Vec::new();
        for layer in &self.layers {
            let input = activations.as_deref().unwrap_or(inputs);
            let mut output = vec![0.0; rows * layer.outputs];
            // The slopes are the backward pass's; evaluation has none, so they go unread.
            slopes.resize(output.len(), 0.0);
            layer.forward(
                input,
                rows,
                &mut output,
                &mut slopes,
                self.leaky_slope,
                None,
            );
            activations = Some(output);
        }
        activations.unwrap_or_default()
    }
}
