//! How many threads a training step uses, and (in the threaded module) the pool behind them.
//!
//! The threaded module is this crate built with the `threads` feature, atomics and shared
//! memory (pkg-scripts/build.sh): a training step then splits its batch, and Adam's step,
//! across rayon's global pool (`training::data_parallel`). The training Worker starts that pool
//! once, with `initThreadPool(n)` (wasm-bindgen-rayon's, which spawns `n` Web Workers sharing
//! this module's memory), before its first run. The single-threaded module has no pool and says 1.

use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// The number of threads a training step is split across: the pool's size
/// in the threaded module once `initThreadPool` has finished, 1 in the single-threaded module.
#[wasm_bindgen(js_name = trainingThreads)]
pub fn training_threads() -> usize {
    #[cfg(feature = "threads")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "threads"))]
    {
        1
    }
}
