"""Sorts `perf` samples of training steps into where a step's time goes, for BENCHMARKS.md.

usage: perf script -F period,ip,sym --no-inline -i PERF_DATA | step_profile.py MS_PER_STEP > OUT.json

Only samples taken inside a training step (`Trainer::step` on the stack) count. Each is put in
the first class that matches, looking at the whole stack for Adam and the dropout masks, and at
the innermost functions (where the time was spent) for the rest:
  Adam                     the dense step's fused update (`AdamStep`), or anything under burn-optim
                           (the gradients handed over, the moments and the update: its
                           element-wise work included)
  dropout masks            drawing the random numbers of the dropout masks
  matrix products          gemm's kernels and packing
  allocation               malloc/free, the kernel's page faults on fresh memory, zeroing
  autodiff bookkeeping     burn-autodiff's own code: the graph, its nodes, the gradients' map
  element-wise             burn-flex's element-wise kernels, copies, exp/log and the like
  other                    everything else
"""
import json
import re
import sys

STEP = re.compile(r"Trainer::step")
# (class, what the stack must contain anywhere)
BY_STACK = [
    ("Adam", re.compile(r"burn_optim::optim|AdamStep")),
    ("dropout masks", re.compile(r"random_like|Dropout|ElementRandom|TensorData::random|chacha|rand::|MaskStream|mask_tensors")),
]
# (class, what the innermost frame must match)
BY_LEAF = [
    ("matrix products", re.compile(r"gemm")),
    ("allocation", re.compile(
        r"malloc|_int_free|\bfree\b|cfree|realloc|calloc|__rust_alloc|__rust_dealloc|__rdl_|mmap|munmap|"
        r"page_fault|clear_page|memset|alloc_pages|folio|^ffffffff|RawVec|do_anonymous_page")),
    ("autodiff bookkeeping", re.compile(
        r"burn_autodiff|hashbrown|HashMap|core::hash|Arc<|drop_in_place|spin::|parking_lot|RwLock|Mutex|"
        r"NodeId|NodeRef|Graph|Checkpoint|Step|Backward")),
    ("element-wise", re.compile(
        r"burn_flex|macerator|memcpy|memmove|exp|log|from_iter|map|fold|binary|unary|scalar|"
        r"iter::|slice::|burn_std::data|TensorData|bytemuck|ndarray|"
        r"dense_step::(activate|add_bias_and_sigmoid|cross_entropy_and_gradient|Pass|WeightJob)")),
]
CLASSES = ["matrix products", "element-wise", "allocation", "autodiff bookkeeping", "Adam",
           "dropout masks", "other"]


def samples(lines):
    """(period, [frame symbols, innermost first]) for each sample of `perf script`."""
    period, frames = None, []
    for line in lines:
        if not line.strip():
            if period is not None:
                yield period, frames
            period, frames = None, []
        elif period is None:
            period = int(line.split()[0])
        else:
            parts = line.strip().split(None, 1)
            # A kernel frame is kept by its address (it has no user-space symbol).
            frames.append(parts[1] if len(parts) > 1 else parts[0])
    if period is not None:
        yield period, frames


def classify(frames):
    stack = "\n".join(frames)
    for name, pattern in BY_STACK:
        if pattern.search(stack):
            return name
    leaf = frames[0] if frames else ""
    # gemm's packing runs in closures (`FnOnce::call_once`) called from its own frames.
    if any("gemm" in frame for frame in frames[:3]):
        return "matrix products"
    for name, pattern in BY_LEAF:
        if pattern.search(leaf):
            return name
    return "other"


def main():
    ms_per_step = float(sys.argv[1])
    totals = dict.fromkeys(CLASSES, 0)
    for period, frames in samples(sys.stdin):
        if any(STEP.search(f) for f in frames):
            totals[classify(frames)] += period
    whole = sum(totals.values()) or 1
    json.dump({"msPerStep": ms_per_step,
               "shares": {name: totals[name] / whole for name in CLASSES}}, sys.stdout, indent=1)
    print()


main()
