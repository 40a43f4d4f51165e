"""The "Training on every core" part of BENCHMARKS.md, from the bench page's `workerModules`
results (bench.js, trainInWorkerWithEachModule): used by report.py, and by part.sh to print this
part alone.
"""

# The targets on this 2-core machine.
TARGET_SPEED_UP = 1.6
SAME_MSE_WITHIN = 0.01


def threads_section(results):
    """Markdown for `results` ({browser label: bench result with "workerModules"})."""
    lines = []
    epochs = next(iter(results.values()))["workerModules"]["epochs"]
    rounds = next(iter(results.values()))["workerModules"].get("rounds", 1)
    lines.append(f"""## Training on every core

The training Worker's run above ({epochs} epochs over all 8,004 train digits, batch 64, seed 1)
with each training module in one page: the single-threaded module, and the threaded one
(`--features threads`, atomics and shared memory; its pool of Web Workers started with each
thread count up to the cores, a fresh Worker each). The page is cross-origin isolated (the bench
server sends COOP/COEP, as demo.sh's does). Rate: every step after the first, the epochs' test
evaluations included. Each module and thread count ran {rounds} times, the rounds interleaved;
the table has each one's median rate (every round's rate after it), and × single-threaded is
the medians' ratio. The test MSE is on 500 test digits after the last epoch. Targets (the
issue): the threaded module with every core at least {TARGET_SPEED_UP}× the single-threaded
digits/s on this 2-core machine, and the same test MSE within {SAME_MSE_WITHIN:.0%}.

| browser | module | threads | training (digits/s): median (each round) | × single-threaded | test MSE after {epochs} epochs | MSE vs single-threaded |
|---|---|---:|---:|---:|---:|---:|""")
    for label, run in results.items():
        modules = run["workerModules"]
        single = next(r for r in modules["runs"] if not r["threaded"])
        for r in modules["runs"]:
            module = "threaded" if r["threaded"] else "single-threaded"
            lines.append(
                f"| {label.capitalize()} | {module} | {r['threads']} | {r['samplesPerSec']:,.0f} ({each_round(r)}) "
                f"| {r['samplesPerSec'] / single['samplesPerSec']:.2f}× | {r['testMse']:.5f} "
                f"| {100 * (r['testMse'] / single['testMse'] - 1):+.2f} % |")
        if not modules["crossOriginIsolated"]:
            lines.append(f"| {label.capitalize()} | threaded | — | the page was not isolated | | | |")
    lines.append("")
    for label, run in results.items():
        runs = run["workerModules"]["runs"]
        single = next(r for r in runs if not r["threaded"])
        best = max((r for r in runs if r["threaded"]), key=lambda r: r["threads"], default=None)
        if best is None:
            continue
        speed_up = best["samplesPerSec"] / single["samplesPerSec"]
        same = all(abs(r["testMse"] / single["testMse"] - 1) <= SAME_MSE_WITHIN for r in runs)
        lines.append(
            f"{label.capitalize()}: {best['threads']} threads {speed_up:.2f}× the single-threaded "
            f"module (target {TARGET_SPEED_UP}×: {'met' if speed_up >= TARGET_SPEED_UP else 'not met'}); "
            f"test MSE {'the same within' if same else 'not the same within'} {SAME_MSE_WITHIN:.0%}.")
    return "\n".join(lines) + "\n"


def each_round(run):
    """Every round's rate of `run`, in the order run."""
    return ", ".join(f"{rate:,.0f}" for rate in run.get("roundsSamplesPerSec", [run["samplesPerSec"]]))


def step_profile_section(profile):
    """Markdown for the split of a batch-64 step (bench/profile-step.sh's JSON)."""
    if "error" in profile:
        return f"## Where a training step's time goes\n\nNot measured: {profile['error']}\n"
    lines = [f"""## Where a training step's time goes

One batch-64 step of the course-note model (dense, L = 32, dropout 0.5, Adam), native build
(optimised, no LTO) on one thread, {profile['msPerStep']:.1f} ms per step here, sampled by
`perf` with DWARF call stacks (`pkg-scripts/bench/profile-step.sh`; the classes are defined in
`pkg-scripts/bench/step_profile.py`). The wasm modules run the same code: in the browsers a
step takes longer (above). The step is written out by hand (`src/training/dense_step/mod.rs`):
activation, dropout, sigmoid and the cross-entropy's gradient each one pass, Adam one pass that
also takes the weight gradients as they are made; in the threaded module, each thread takes its
share of the batch's rows forward and back, then its share of every layer's weights (their
gradient over the whole batch, and Adam). The dropout masks come from the trainer's own seeded
stream, half a SplitMix64 output per hidden activation (`src/training/dropout.rs`).

Before the step was written out (2026-12-05, the same machine), burn's autodiff and Adam took
11.4 ms per step: matrix products 57.6 %, Adam 18.2 %, element-wise 14.6 %, dropout masks
5.1 %, autodiff bookkeeping 1.9 %, allocation 1.4 %; and split between two threads, a replica
of the model each, their passes did a fifth more work than the whole batch's.

| part of the step | share |
|---|---:|"""]
    for name, share in profile["shares"].items():
        lines.append(f"| {name} | {100 * share:.1f} % |")
    return "\n".join(lines) + "\n"
