"""The "Teaching a shape in the Worker" part of BENCHMARKS.md, from the bench page's `shapes`
results (bench.js, teachShapesInWorker): used by report.py, and by part.sh to print this part
alone.
"""


def shapes_section(results):
    """Markdown for `results` ({browser label: bench result with "shapes"})."""
    first = next(r for run in results.values() for r in run.get("shapes", []))
    lines = [f"""## Teaching a shape in the Worker

The "Teach it a new shape" section's run in `www/js/train-worker.js`, by its recipe
(`teachingRecipe` in `www/js/shape-teacher.js`): for each capital letter, 20 jittered pen
drawings of it (the anomaly probes' font, `jitteredLetters`, seed 1) fine-tune a copy of the
drawing model for the steps below (batches of 64 images; 1,500 is the section's default), a
share of each batch training digits (the section's slider, 50 % by default) and the rest the
drawings deformed anew (affine and elastic) at every step, Adam from {first['learningRate']:g}
with {first['schedule']} decay.
Timed from the run's start to its last weights, the training digits already fetched.
Then 20 new drawings of the letter (seed 2) and all 1,996 test digits are rebuilt by the
drawing model before and by the taught model after (per-image MSE). Targets (the issue): the
new drawings' median at most the test digits' median, the digits' mean MSE up by at most 15 %,
a useful result within a minute.

| browser | letter | steps | digits in a batch | time (s) | new drawings, median MSE: before → after | test digits, median MSE: before → after | test digits, mean MSE: before → after (change) |
|---|---|---:|---:|---:|---:|---:|---:|"""]
    for label, run in results.items():
        for r in run.get("shapes", []):
            change = 100 * (r["digitsMeanAfter"] / r["digitsMeanBefore"] - 1)
            lines.append(
                f"| {label.capitalize()} | {r['letter']} | {r['steps']:,} | {100 * r['digitShare']:.0f} % | {r['seconds']:.1f} "
                f"| {r['newDrawingsBefore']:.4f} → {r['newDrawingsAfter']:.4f} "
                f"| {r['digitsMedianBefore']:.4f} → {r['digitsMedianAfter']:.4f} "
                f"| {r['digitsMeanBefore']:.4f} → {r['digitsMeanAfter']:.4f} ({change:+.0f} %) |")
    return "\n".join(lines) + "\n"

