//! Training on every core: how many threads there are, a batch cut into one share of rows per
//! thread, and jobs run on them. The dense network's step ([`super::dense_step`]) runs its two
//! phases as such jobs; the networks burn's autodiff trains split Adam's step by parameter
//! ([`SplitOptimizer`]), their passes being burn's own (burn-flex splits its larger matrix
//! products across the same pool).
//!
//! The pool is rayon's: natively always, in wasm only in the threaded module (the `threads`
//! feature), whose pool is Web Workers. Without one, or with one thread, jobs run one after
//! another on the calling thread.

use std::any::Any;
use std::collections::HashMap;
use std::ops::Range;

use burn::module::{ModuleMapper, ModuleVisitor, Param, ParamId};
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::*;

/// The fewest rows worth a thread of their own: below it the passes are too short to pay for
/// handing them over.
const MIN_ROWS_PER_SHARE: usize = 16;

/// How many threads a step can use: rayon's pool's, or 1 where there is no pool.
pub fn threads() -> usize {
    #[cfg(any(feature = "threads", not(target_arch = "wasm32")))]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(any(feature = "threads", not(target_arch = "wasm32"))))]
    {
        1
    }
}

/// A batch of `rows` cut into consecutive shares, one per thread (fewer for a small batch).
pub fn shares(rows: usize) -> Vec<Range<usize>> {
    let count = threads().min(rows / MIN_ROWS_PER_SHARE).max(1);
    (0..count)
        .map(|share| share * rows / count..(share + 1) * rows / count)
        .collect()
}

/// `work` on each of `jobs`, in parallel where there is a pool of more than one thread (a pool
/// of one would only move the work off the calling thread); the results in `jobs`' order.
pub fn run_each<J: Send, T: Send>(jobs: Vec<J>, work: impl Fn(J) -> T + Sync + Send) -> Vec<T> {
    #[cfg(any(feature = "threads", not(target_arch = "wasm32")))]
    {
        use rayon::prelude::*;
        if jobs.len() > 1 && threads() > 1 {
            return jobs.into_par_iter().map(work).collect();
        }
    }
    jobs.into_iter().map(work).collect()
}

/// `work` run on one of the pool's threads (where there is a pool of more than one thread):
/// the parallel jobs inside it then start and end among the pool's threads, without waking the
/// calling thread (the page's Worker) in between; it is woken once, when `work` is done.
pub fn on_the_pool<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    #[cfg(any(feature = "threads", not(target_arch = "wasm32")))]
    if threads() > 1 {
        return rayon::scope(|_| work());
    }
    work()
}

/// An optimiser whose step is split across the pool: each thread's own optimiser owns the state
/// of a group of parameters, the groups about equal in numbers, and steps only those (burn's
/// optimisers leave a parameter without a gradient as it is).
pub struct SplitOptimizer {
    /// The index in `optimizers` of each parameter's owner.
    owners: HashMap<ParamId, usize>,
    optimizers: Vec<ModuleOptimizer>,
}

impl SplitOptimizer {
    /// One optimiser made by `make` per thread, for `module`'s parameters.
    pub fn new<M: Module>(module: &M, make: impl Fn() -> ModuleOptimizer) -> Self {
        let mut sizes = ParameterSizes(Vec::new());
        module.visit(&mut sizes);
        let mut sizes = sizes.0;
        let count = threads().min(sizes.len()).max(1);
        // Largest first, each to the least loaded group: near-even groups for a few numbers.
        sizes.sort_by_key(|&(_, size)| std::cmp::Reverse(size));
        let mut loads = vec![0; count];
        let mut owners = HashMap::new();
        for (id, size) in sizes {
            let owner = (0..count).min_by_key(|&group| loads[group]).unwrap_or(0);
            loads[owner] += size;
            owners.insert(id, owner);
        }
        Self {
            owners,
            optimizers: (0..count).map(|_| make()).collect(),
        }
    }

    /// One step of `module` at `learning_rate` with `gradients`.
    pub fn step<M: Module>(
        &mut self,
        learning_rate: f64,
        module: M,
        gradients: GradientsParams,
    ) -> M {
        if let [optimizer] = self.optimizers.as_mut_slice() {
            return optimizer.step(learning_rate, module, gradients);
        }
        let mut sorter = GradientSorter {
            owners: &self.owners,
            gradients,
            by_owner: (0..self.optimizers.len())
                .map(|_| GradientsParams::new())
                .collect(),
        };
        module.visit(&mut sorter);
        let jobs: Vec<_> = (self.optimizers.iter_mut().zip(sorter.by_owner))
            .map(|(optimizer, gradients)| (optimizer, module.clone(), gradients))
            .collect();
        let stepped = run_each(jobs, |(optimizer, module, gradients)| {
            optimizer.step(learning_rate, module, gradients)
        });
        let mut stepped = stepped.into_iter();
        let first = stepped.next().expect("one optimiser at least");
        let mut picker = OwnedParameters {
            owners: &self.owners,
            owner: 0,
            tensors: HashMap::new(),
        };
        for (owner, module) in stepped.enumerate() {
            picker.owner = owner + 1;
            module.visit(&mut picker);
        }
        first.map(&mut picker)
    }
}

/// Each parameter's id and number of values, in the module's order.
struct ParameterSizes(Vec<(ParamId, usize)>);

impl ModuleVisitor for ParameterSizes {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0.push((param.id, param.shape().num_elements()));
    }
}

/// The gradients, each moved to its parameter's owner.
struct GradientSorter<'a> {
    owners: &'a HashMap<ParamId, usize>,
    gradients: GradientsParams,
    by_owner: Vec<GradientsParams>,
}

impl ModuleVisitor for GradientSorter<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if let Some(gradient) = self.gradients.remove::<D>(param.id) {
            self.by_owner[self.owners[&param.id]].register(param.id, gradient);
        }
    }
}

/// Visiting: takes the parameters `owner` owns from each optimiser's result; mapping: puts
/// them into the first's.
struct OwnedParameters<'a> {
    owners: &'a HashMap<ParamId, usize>,
    owner: usize,
    tensors: HashMap<ParamId, Box<dyn Any + Send>>,
}

impl ModuleVisitor for OwnedParameters<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if self.owners.get(&param.id) == Some(&self.owner) {
            self.tensors.insert(param.id, Box::new(param.val()));
        }
    }
}

impl ModuleMapper for OwnedParameters<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        match self.tensors.remove(&param.id) {
            Some(tensor) => {
                let tensor = *tensor
                    .downcast::<Tensor<D>>()
                    .expect("a parameter keeps its rank through a step");
                param.map(|_| tensor)
            }
            None => param,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_the_batch_in_order() {
        for rows in [1, 15, 16, 33, 64, 1000] {
            let shares = shares(rows);
            assert!(shares.len() <= threads().max(1));
            assert_eq!(shares.first().unwrap().start, 0);
            assert_eq!(shares.last().unwrap().end, rows);
            assert!(shares.windows(2).all(|pair| pair[0].end == pair[1].start));
            if shares.len() > 1 {
                assert!(shares.iter().all(|share| share.len() >= MIN_ROWS_PER_SHARE));
            }
        }
    }

    #[test]
    fn jobs_keep_their_order() {
        assert_eq!(
            run_each((0..8).collect(), |job| job * 10),
            [0, 10, 20, 30, 40, 50, 60, 70]
        );
    }
}
