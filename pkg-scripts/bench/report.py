"""Writes BENCHMARKS.md from the JSON results that bench.sh collected.

usage: report.py RESULTS_DIR SERVE_DIR FIREFOX_VERSION CHROMIUM_VERSION
"""
import datetime
import gzip
import json
import pathlib
import platform
import sys

results_dir, serve, firefox, chromium = (
    pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4])
results = {p.stem: json.loads(p.read_text()) for p in sorted(results_dir.glob("*.json"))}
for label, result in results.items():
    if "error" in result:
        sys.exit(f"{label} failed: {result['error']}")

def cpu_model():
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()

def size(path):
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 9))

def kib(n):
    return f"{n / 1024:,.0f} KiB"

today = datetime.date.today().isoformat()
print(f"""# Benchmarks

Measured {today} by `pkg-scripts/bench.sh` on the release build, on this machine:
{cpu_model()}, 2 cores, Debian 12. Browsers: **{firefox}** and **{chromium}**, both headless.
Every number in one table comes from one run; compare ratios within it, since this machine
is noisy from run to run.

- *load*: `Autoencoder.load` of the default model file (checksum, f16 → f32, inference copy),
  median of 10.
- *reconstruct*: one `reconstruct` call on a real test digit, median of 200 samples of 50
  calls each (browsers coarsen `performance.now()`), after 100 warm-up calls.
- *train step*: one `Trainer.step` on a batch of 64 real digits with the course-note model
  (Adam, Dropout 0.5), median of 25 after 3 warm-up steps, on the main thread.

## Speed, by tensor backend

| browser | backend | load (ms) | reconstruct (ms) | train step, batch 64 (ms) | training (samples/s) |
|---|---|---:|---:|---:|---:|""")
for label, r in results.items():
    browser = label.split("-")[0].capitalize()
    print(f"| {browser} | {r['backend']} | {r['loadMs']:.1f} | {r['reconstructMs']:.3f} "
          f"| {r['trainStepMs']:.1f} | {r['trainSamplesPerSec']:,.0f} |")

def ratio(browser, key):
    flex, nd = results.get(f"{browser}-flex"), results.get(f"{browser}-ndarray")
    if flex and nd:
        return f"{nd[key] / flex[key]:.2f}×"
    return "n/a"

print(f"""
burn-ndarray time ÷ burn-flex time (same browser, same run): reconstruct
{ratio('firefox', 'reconstructMs')} in Firefox and {ratio('chromium', 'reconstructMs')} in Chromium;
train step {ratio('firefox', 'trainStepMs')} in Firefox and {ratio('chromium', 'trainStepMs')} in Chromium.
The faster backend is the default build (`default = [...]` in `Cargo.toml`); the other stays
selectable with its cargo feature and is type-checked for wasm32 by `pkg-scripts/test.sh`.

For orientation, from the issue (same model, same machine): TensorFlow.js 4.22 with its
wasm-SIMD backend takes 0.74 ms per 1-sample predict in Firefox (0.60 ms in Chromium) and about
205 ms per batch-64 training step. Targets: reconstruct ≤ 0.3 ms in Firefox, train step ≤ 45 ms.

## Size
""")
print("| file | raw | gzip -9 |\n|---|---:|---:|")
total_raw = total_gz = 0
for name in ["pkg/autoencoder_playground_bg.wasm", "pkg/autoencoder_playground.js"]:
    raw, gz = size(serve / name)
    total_raw += raw
    total_gz += gz
    print(f"| `www/{name}` | {kib(raw)} | {kib(gz)} |")
print(f"| **wasm + JS** | **{kib(total_raw)}** | **{kib(total_gz)}** ({total_gz / 1000:,.0f} kB) |")
raw, gz = size(serve / "pkg-flex/autoencoder_playground_bg.wasm")
print(f"| burn-flex build's wasm, for comparison | {kib(raw)} | {kib(gz)} |")
for model in sorted((serve / "models").glob("*.aepg")):
    raw, gz = size(model)
    print(f"| `www/models/{model.name}` (f16 weights) | {kib(raw)} ({raw / 1e6:.2f} MB) | {kib(gz)} |")
print("""
Targets: wasm + JS ≤ 450 KB gzipped without weights; weights ≤ 2.4 MB (f16). For orientation:
the TensorFlow.js runtime alone is 527 KiB gzipped.""")
