"""Writes BENCHMARKS.md from the JSON results that bench.sh collected.

usage: report.py RESULTS_DIR SERVE_DIR FIREFOX_VERSION CHROMIUM_VERSION ANOMALY_TABLE COLD_LOAD_JSON SOAK_JSON
                 DREAM_TABLE FRAMES_JSON STEP_PROFILE_JSON
"""
import datetime
import gzip
import json
import pathlib
import platform
import sys

from insides_section import insides_section
from shapes_table import shapes_section
from threads_section import step_profile_section, threads_section
from transfer_section import transfer_section

results_dir, serve, firefox, chromium, anomaly_table, cold_load, soak, dream_table = (
    pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4],
    pathlib.Path(sys.argv[5]), json.loads(pathlib.Path(sys.argv[6]).read_text()),
    json.loads(pathlib.Path(sys.argv[7]).read_text()), pathlib.Path(sys.argv[8]))
frames = json.loads(pathlib.Path(sys.argv[9]).read_text())
step_profile = json.loads(pathlib.Path(sys.argv[10]).read_text())
fuzz_results = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fuzz" / "results.json"
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
Each browser loads three builds in one page (the shipped training module, the page's
inference module without burn, and the training module with the other tensor backend) and
interleaves their measurements round by round, so they see the same conditions; compare
ratios within a browser, since this machine is noisy from run to run.

- *load*: `Autoencoder.load` of the drawing model's file (checksum, packed integer weights →
  f32, inference copy), median of 10.
- *reconstruct*: one `reconstruct` call on a real test digit, median of 200 samples of 50
  calls each (browsers coarsen `performance.now()`), after 100 warm-up calls.
- *drawing → 28×28*: `drawingToMnist` of a 560×560 canvas (a 280 px pad at 2× pixel
  density) holding a drawn 7: stroke-width normalisation, crop, scale and centring; median of 40.
- *train step*: one `Trainer.step` on a batch of 64 real digits with the course-note model
  (Adam, Dropout 0.5), median of 30 after 3 warm-up steps, on the main thread.

## A first visit

What a visitor waits for, by `pkg-scripts/bench/cold_load.py`: `www/` served by Python's
`http.server` (which does not compress) with the cross-origin isolation headers, as demo.sh
serves it, a fresh browser profile for every load, and a 7 drawn
with the mouse (WebDriver) as soon as the pad exists. Bytes are the files the page fetched
(Resource Timing), raw and as `gzip -9` would send them; the time runs from navigation to the
first reconstruction of that stroke (`performance.mark("first-reconstruction")`), on localhost,
median of 5 cold loads. *Model ready* is when the page could rebuild a stroke on its next frame
(the module, the manifest and the drawing model loaded: `performance.mark("model-ready")`).
The first reconstruction also waits for the stroke: *first stroke* is when WebDriver's first
pointer event reached the pad (`performance.mark("first-stroke")`), which the driver's own
latency decides, not the page. The page rebuilds on the frame after the later of the two.

| browser | before the first reconstruction: raw / gzip -9 | first 10 s (that stroke, no click): raw / gzip -9 | files | navigation → model ready (ms), median | navigation → first stroke (ms), median | navigation → first reconstruction (ms), median (all 5) |
|---|---:|---:|---:|---:|---:|---:|""")
for name, r in cold_load.items():
    runs = ", ".join(f"{ms:.0f}" for ms in r["firstReconstructionMs"])
    print(f"| {name.capitalize()} {r['version']} | {r['beforeFirst'][0] / 1e6:.2f} MB / {r['beforeFirst'][1] / 1e6:.2f} MB "
          f"| {r['firstTenSeconds'][0] / 1e6:.2f} MB / {r['firstTenSeconds'][1] / 1e6:.2f} MB | {r['files']} "
          f"| {r['medianModelReadyMs']:.0f} | {r['medianFirstStrokeMs']:.0f} | {r['medianFirstReconstructionMs']:.0f} ({runs}) |")
print("""
The training digits (`data/mnist-train.bin.gz`, 1.29 MB) are not among them: the training
Worker fetches them when a run starts. Targets (the first-view issue): ≤ 1.3 MB gzipped before
the first reconstruction, ≤ 1.7 MB gzipped and ≤ 4 MB raw in the first 10 s, the first
reconstruction ≤ 300 ms after navigation. The page loads the inference module (no burn), the
drawing model at its GPTQ bit width, and, once the model is loaded, the test digits
(`data/mnist-test.bin.gz`); the training module waits for the first training run too, and the
modules of the sections below the pad (the later views' wasm module among them: the network's
insides, the t-SNE map, the classifiers) for each section's first sight. The issues that added
the network's insides, the classifiers and threaded training asked for the first view not to
grow: before them (2026-12-04, Firefox) it was 1.71 MB raw / 1.18 MB gzipped in 31 files.

## Speed, by tensor backend

| browser | backend | load (ms) | reconstruct (ms) | drawing → 28×28 (ms) | train step, batch 64 (ms) | training (samples/s) |
|---|---|---:|---:|---:|---:|---:|""")
for label, run in results.items():
    for build, note in (("default", " (shipped: training)"), ("inference", " (shipped: the page)"), ("other", "")):
        r = run["builds"][build]
        step = "—" if r["trainStepMs"] is None else f"{r['trainStepMs']:.1f}"
        rate = "—" if r["trainSamplesPerSec"] is None else f"{r['trainSamplesPerSec']:,.0f}"
        print(f"| {label.capitalize()} | {r['backend']}{note} "
              f"| {r['loadMs']:.1f} | {r['reconstructMs']:.3f} | {r['drawingToMnistMs']:.1f} "
              f"| {step} | {rate} |")

def ratio(browser, key, against="other"):
    builds = results[browser]["builds"]
    return f"{builds['default'][key] / builds[against][key]:.2f}×"

default_backend = results["firefox"]["builds"]["default"]["backend"]
other_backend = results["firefox"]["builds"]["other"]["backend"]
print(f"""
The shipped build (`www/pkg`) uses **{default_backend}**; {other_backend} stays selectable with
its cargo feature and is type-checked for wasm32 by `pkg-scripts/test.sh`. {default_backend}
time ÷ {other_backend} time, same browser, same run: train step
{ratio('firefox', 'trainStepMs')} in Firefox and {ratio('chromium', 'trainStepMs')} in Chromium;
load {ratio('firefox', 'loadMs')} and {ratio('chromium', 'loadMs')}. Reconstruct runs the same
plain-Rust inference code in every build. The page's inference module against the training
module, same run: reconstruct {ratio('firefox', 'reconstructMs', 'inference')} (training ÷
inference) in Firefox and {ratio('chromium', 'reconstructMs', 'inference')} in Chromium, load
{ratio('firefox', 'loadMs', 'inference')} and {ratio('chromium', 'loadMs', 'inference')}.

For orientation, from the issue (same model, same machine): TensorFlow.js 4.22 with its
wasm-SIMD backend takes 0.74 ms per 1-sample predict in Firefox (0.60 ms in Chromium) and about
205 ms per batch-64 training step. Targets: reconstruct ≤ 0.3 ms in Firefox, train step ≤ 45 ms.

## Training in the page's Worker

Three epochs over all 8,004 train digits in `www/js/train-worker.js` (the training panel's
Worker, shipped build, with the module it picks in a cross-origin isolated page: the threaded
one on every core), course-note model, batch 64, Adam; timed from the end of the first step to
the end of the last. Meanwhile the main thread only paints animation frames; long tasks (over
50 ms) are counted where the browser reports them (Chromium).

| browser | training (samples/s) | 8,004-digit epoch (s) | main thread: frames/s | longest frame gap (ms) | long tasks |
|---|---:|---:|---:|---:|---:|""")
for label, run in results.items():
    w = run["worker"]
    long_tasks = "not reported" if w["longTasks"] is None else f"{w['longTasks']} (longest {w['longestTaskMs']:.0f} ms)"
    print(f"| {label.capitalize()} | {w['samplesPerSec']:,.0f} | {w['epochSeconds']:.1f} "
          f"| {w['framesPerSec']:.0f} | {w['maxFrameGapMs']:.0f} | {long_tasks} |")
print("""
Targets: at least 1,500 samples/s in Firefox inside the Worker, an 8,000-digit epoch in under
6 s; TensorFlow.js's wasm-SIMD backend does about 310 samples/s on the same model here.
""")
print(threads_section(results))
print(step_profile_section(step_profile))
print(shapes_section(results))
print("""## Size
""")
print("| file | raw | gzip -9 |\n|---|---:|---:|")
total_raw = total_gz = 0
for module, what in (("autoencoder_playground_inference", "the page's inference module"),
                     ("autoencoder_playground_later", "the later views' module (loaded when a section that needs it is first seen)"),
                     ("autoencoder_playground", "the training module (the Worker's)"),
                     ("autoencoder_playground_threads", "the threaded training module (the Worker's in an isolated page)")):
    module_raw = module_gz = 0
    for name in [f"pkg/{module}_bg.wasm", f"pkg/{module}.js"]:
        raw, gz = size(serve / name)
        module_raw += raw
        module_gz += gz
        print(f"| `www/{name}` | {kib(raw)} | {kib(gz)} |")
    print(f"| **{what}: wasm + JS** | **{kib(module_raw)}** | **{kib(module_gz)}** ({module_gz / 1000:,.0f} kB) |")
raw, gz = size(serve / "pkg-other/autoencoder_playground_bg.wasm")
print(f"| {other_backend} build's wasm, for comparison | {kib(raw)} | {kib(gz)} |")
manifest = json.loads((serve / "models" / "manifest.json").read_text())
bits_of = {m["file"]: m.get("weightBits") for m in manifest["models"]}
for model in sorted((serve / "models").glob("*.aepg")):
    raw, gz = size(model)
    print(f"| `www/models/{model.name}` ({bits_of.get(model.name)}-bit weights) | {kib(raw)} ({raw / 1e6:.2f} MB) | {kib(gz)} |")
for name in ["mnist-test.bin.gz", "mnist-train.bin.gz"]:
    raw, _ = size(serve / "data" / name)
    print(f"| `www/data/{name}` (compressed at build time) | {kib(raw)} ({raw / 1e6:.2f} MB) | |")
print("""
Targets: wasm + JS ≤ 450 KB gzipped without weights; a dense L=32 model file ≤ 1.2 MB raw. For
orientation: the TensorFlow.js runtime alone is 527 KiB gzipped.

## Weights: bits per weight and what they cost

The shipped dense models' weight matrices are quantised by GPTQ (`src/quantization.rs`,
calibrated on the 8,004 training digits) to the fewest bits that keep the test MSE within
0.9 % of the float weights' (by the trainer as it writes each file, `quantization::ship`); the conv model is rounded to
8 bits per output channel. From the manifest:

| model | bits per weight | file | test MSE, float weights | test MSE, shipped | change |
|---|---:|---:|---:|---:|---:|""")
for m in manifest["models"]:
    before = m.get("unquantizedTest", {}).get("mse")
    change = f"{100 * (m['test']['mse'] / before - 1):+.2f} %" if before else ""
    print(f"| {m['id']} | {m.get('weightBits')} | {m['fileBytes'] / 1e6:.2f} MB | {before:.5f} | {m['test']['mse']:.5f} | {change} |")
print("""
What the bits cost without error compensation, measured 2026-11-29 (native, the f16 weights of
tuned-l32 and dense-l64, test MSE change against f16): rounding each weight to the nearest step
of its output unit's grid costs +0.10 % at 8 bits, +1.6 % at 6, +6–8 % at 5 and +30 % at 4
(a per-layer 16-level k-means codebook: +24–26 %). GPTQ with 2,000 calibration digits: +0.9 %
at 6 bits, +1.4 % at 5, +4–5.5 % at 4; with all 8,004, as shipped, the table above.

Optimising for size instead of speed was measured and not taken (2026-11-26, Firefox 153 ESR
and Chromium 156, each build against the shipped one in the same run, as in the tables above):

| wasm build (after wasm-bindgen) | gzip -9 | reconstruct | batch-64 train step |
|---|---:|---:|---:|
| shipped: `opt-level = 3` | 868 KiB | 1× | 1× |
| `opt-level = "s"` | 584 KiB | 2.0× slower | 1.15× slower |
| `"s"`, but 3 for gemm-common, gemm-f32, pulp and this crate | 628 KiB | same | 1.17–1.20× slower |
| `"s"`, but 3 for those, burn-flex, gemm, macerator, matrixmultiply | 794 KiB | | |
| `"s"`, but 3 for burn-flex, gemm-common, gemm-f32, macerator and this crate (2026-11-29) | 778 KiB | same | 1.00–1.02× Firefox, 1.09× Chromium (two runs each) |
| `"s"`, but 3 for gemm-common, gemm-f32, macerator and this crate (2026-11-29) | 612 KiB | same | 1.16× Firefox, 1.24× Chromium |
| shipped, then `wasm-opt -O3`, `-Os` or `-Oz` (binaryen 132 from its npm package, 2026-11-29) | 889–896 KiB | | |

wasm-opt makes the file smaller (3.75 MB → 3.34–3.43 MB raw) but less compressible: larger on
the wire. Training speed is felt for minutes, so the training module stays at `opt-level = 3`:
the 700 KB target of the first-view issue is only reached by a build whose training step is
16–24 % slower. The page's
inference module is another matter: without burn it is small, its hot loops are this crate's,
and its dependencies (serde_json, nalgebra, wasm-bindgen) are built with `opt-level = "s"`
while this crate keeps 3 (143 → 132 KiB gzipped; the reconstruct ratio above is the check).""")

baseline = manifest.get("pcaBaseline")
if baseline:
    by_size = {m["latentSize"]: m for m in manifest["models"] if m["id"] in manifest["latentSizeStudy"]}
    print(f"""
## The baseline: PCA

Principal component analysis of the 8,004 training digits (`cargo run --bin study-baselines`,
`www/models/{baseline['file']}`, {baseline['fileBytes'] / 1000:.0f} KB: {baseline['axes']} axes in f16) rebuilds a digit from its
coordinates along the first L axes, clipped to 0…1: the best linear code of L numbers. Beside
it, the latent-size study's autoencoders (from the manifest, test split):

| L | PCA train MSE | PCA test MSE | autoencoder test MSE | autoencoder ÷ PCA |
|---:|---:|---:|---:|---:|""")
    for point in baseline["byCodeSize"]:
        model = by_size.get(point["codeSize"])
        ae = model["test"]["mse"] if model else None
        ratio = f"{ae / point['test']['mse']:.2f}" if ae else ""
        print(f"| {point['codeSize']} | {point['train']['mse']:.4f} | {point['test']['mse']:.4f} | {ae:.4f} | {ratio} |")
features = manifest.get("codesAsFeatures")
if features:
    print(f"""
Codes as features: test digits classified by a vote of the {features['k']} training digits with the
nearest codes (`src/analysis/knn.rs`); with all 784 raw pixels, {100 * features['rawPixels']:.1f} %.

| L | autoencoder codes | PCA codes |
|---:|---:|---:|""")
    for point in features["byCodeSize"]:
        print(f"| {point['codeSize']} | {100 * point['autoencoder']:.1f} % | {100 * point['pca']:.1f} % |")
print(transfer_section(manifest), end="")


study = [m for m in manifest["models"] if m["id"] in manifest["latentSizeStudy"]]
study.sort(key=lambda m: m["latentSize"])
if study and all("train" in m for m in study):
    plan = study[0]["training"]["plan"]
    options = study[0]["training"]["options"]
    pca_test = {p["codeSize"]: p["test"]["mse"] for p in (baseline or {}).get("byCodeSize", [])}
    target = {2: 0.7, 4: 0.7, 8: 0.5, 16: 0.5, 32: 0.5, 64: 0.8}
    print(f"""
## Training the study's models: what helped

Three recipes for the same layers (Adam, BCE, cosine decay, batches of 64, no dropout, seed 1),
by test MSE on the 1,996 test digits: 60 epochs of the digits as they are at learning rate 1e-3
(the manifest of 2026-11-29); 200 epochs of deformed digits at 1e-3 (the manifest of
2026-11-30); and today's recipe ({plan['epochs']} epochs at {options['learningRate']:g}:
{plan.get('deformEpochs') or plan['epochs']} on `{plan['deform']}`-deformed digits, then the rest on
the digits as they are; `pkg-scripts/train-models.sh`). Train MSE is the shipped file's error
on the 8,004 training digits as they are.

| L | 60 epochs, as they are | 200, deformed, 1e-3 | today: train MSE | today: test MSE | test ÷ train | test ÷ PCA's (target) |
|---:|---:|---:|---:|---:|---:|---:|""")
    as_they_are = {2: 0.0384, 4: 0.0280, 8: 0.0177, 16: 0.0147, 32: 0.0131, 64: 0.0128}
    deformed = {2: 0.0445, 4: 0.0326, 8: 0.0185, 16: 0.0092, 32: 0.0074, 64: 0.0072}
    for m in study:
        size = m["latentSize"]
        ratio = f"{m['test']['mse'] / pca_test[size]:.2f} ({target[size]})" if size in pca_test else ""
        print(f"| {size} | {as_they_are.get(size, float('nan')):.4f} | {deformed.get(size, float('nan')):.4f} | "
              f"{m['train']['mse']:.4f} | {m['test']['mse']:.4f} | "
              f"{m['test']['mse'] / m['train']['mse']:.2f} | {ratio} |")
    print("""
Deformation (a random rotation of up to 12°, scaling by up to 10 %, a shift of up to 2 pixels and
an elastic warp of about 0.8 pixels, `src/synthetic/deform.rs`) shows the network a new version of
every digit at every epoch, so it cannot learn the 8,004 by heart. That helped the wide codes
most (L = 16 and 32: test MSE down by 37 % and 44 %) and cost the narrow ones (L = 2 to 8): two
to eight numbers must hold the deformations too, and the network never sees the plain digits
it is tested on. Ending on the plain digits fixes that; the learning rate is the other half.
Both were chosen on validation digits (10 % of the train split, 800 digits, held out; the test
split plays no part), at the two ends of the study:

| L = 64, validation MSE | 1e-3, deformed for 200 epochs | 2e-3, deformed for 200 | 2e-3, deformed for 150, then as they are |
|---|---:|---:|---:|
| after 150 epochs | 0.00776 | 0.00686 | 0.00686 |
| after 156 epochs | 0.00768 | 0.00679 | 0.00605 |
| after 200 epochs | 0.00740 | 0.00645 | (stopped once the choice was clear) |

| L = 2, validation MSE | 2e-3, deformed for 200 epochs | 2e-3, deformed for 150, then as they are |
|---|---:|---:|
| after 150 epochs | 0.0447 | 0.0447 |
| after 166 epochs | 0.0445 | 0.0386 |
| after 200 epochs | 0.0441 | (stopped once the choice was clear) |

The two 2e-3 runs at each L are the same run up to epoch 150 (same seed, same held-out digits),
so the gap after it is the plain digits' doing: 6 and 16 epochs on them take L = 64 from 0.0069
to 0.0061 and L = 2 from 0.0447 to 0.0386, beyond what 50 more deformed epochs reach.""")
    conv = next((m for m in manifest["models"] if m["id"] == manifest["roles"].get("conv")), None)
    if conv and "train" in conv and 32 in pca_test:
        conv_plan = conv["training"]["plan"]
        print(f"""
The convolutional model, the same way ({conv_plan['epochs']} epochs: {conv_plan.get('deformEpochs') or conv_plan['epochs']} deformed, then
as they are): test MSE 0.0058 (20 epochs as they are) → 0.0055 (60 deformed) → 0.0047 (60: 45
deformed, 15 as they are; 0.31 × PCA's) → {conv['test']['mse']:.4f} today, train MSE {conv['train']['mse']:.4f},
{conv['test']['mse'] / pca_test[32]:.2f} × PCA's at L = 32 (target 0.3). The longer run was chosen after the
60-epoch one fell short on the test digits, without a validation run of its own.""")
print(f"""
## Anomaly detection

Each shipped model's anomaly scores, by `cargo run --bin anomaly-report` (native, same weights
as the page): its reconstruction error (MSE), and a score that also weighs how usual the code
is (`src/analysis/anomaly_score.rs`): for a variational model its negative ELBO (the
rebuilding's cross-entropy plus the code distribution's KL divergence from the prior, in nats),
for a plain one `½·784·ln MSE` minus the code's log density under a Gaussian fitted to the
training digits' codes (a negative log-likelihood with a Gaussian decoder). Every image is scored
*as drawn* (`anomaly::anomaly_scores`): it first goes through the drawing conversion, which
normalises the stroke width, as the page's drawings and the probes do. The threshold is the
99th percentile of the scores of every other test digit (998); the other 998 test digits
measure false alarms. The 70 probes are made by `src/synthetic/probes.rs`: 20 capital letters of a 5×7
font drawn with a pen (letters that are digit shapes in handwriting, O I S Z B G, left out),
30 random scribbles of 3–6 strokes, and 20 blank images with noise.

{anomaly_table.read_text().strip()}

Targets: at least 90 % of probes flagged, at most 2 % of test digits. Every model meets the
second; none meets the first.

Weighing the code does not help enough to matter. tuned-l32's error with its code's
density flags 57 % (its error alone 63 %); vae-l16's negative ELBO 50 % (its error alone 56 %).
For the wide codes it gains a few probes (conv-l32 47 → 54 %, dense-l64 49 → 54 %, with a few
more false alarms), and for the rest it changes next to nothing: no score beats tuned-l32's
error alone. The probes' codes are not unusual: under the Gaussian of tuned-l32's training codes, the letters and noise have
negative log densities of 44–73 nats (one letter, H, 113), inside the training digits' own
range (median 44, 99th percentile 93). An encoder maps what it does not know onto codes it
knows, so the evidence is in the rebuilding, not the code. The page keeps the reconstruction
error. Noise is always caught, but an autoencoder rebuilds pen strokes
in general, and letters and scribbles shaped like digits (C, D, J, L, Q, T, U, a stroke like a
7) rebuild about as well as the oddest real digits. The page scores with the manifest's
`detector`, which `anomaly-report --write-role` chooses: the dense model whose error flags the
most probes with at most 2 % of the held-out test digits flagged (the second table).

The last two columns move the threshold down to the 98th and the 95th percentile of the
calibration digits: a looser threshold catches more probes but flags more digits. Even at five
false alarms in a hundred digits no model reaches 90 % of the probes; this is a limit of the
score (reconstruction error on near-digit shapes), not of where the threshold sits.

Why scored as drawn. Until 2026-11-26 the digits were scored as MNIST stored them and the
probes as drawn, and an outlier-exposure detector (the tuned recipe, shown digits turned,
mirrored, upside down or overlaid and pushed above an MSE of 0.08 by a hinge) appeared to flag
89 % of the probes at 1.0 % false alarms. It had learnt stroke width: it rebuilt MNIST's own
digits and turned the evenly stroked probes into blobs, but also 12.9 % of test digits once
they were converted like drawings, so real drawn digits scored near the 99th percentile.
Scored the same way as the probes, it flags 16 %. It no longer ships.

Variants tried, all scored as drawn (L = 32, 60 epochs, seed 1 unless noted). They were
compared on the probes themselves (there is no separate set of non-digits), so the best row is
not an unbiased estimate:

| variant | probes flagged | test digits flagged |
|---|---:|---:|
| tuned-l32 (shipped, the detector) | 63 % | 1.1 % |
| trained on digits as drawn (`--drawn-share 1`) | 64 % | 1.0 % |
| outlier exposure 0.25 on digits as drawn, seed 1 / seed 2 | 70 % / 56 % | 1.0 % / 0.9 % |
| outlier exposure 0.25, half the digits as drawn, seed 1 / seed 2 | 59 % / 59 % | 0.4 % / 0.7 % |
| outlier exposure on digits as drawn, halves of digits added as non-digits | 47 % | 1.2 % |
| the former detector (outlier exposure on MNIST's stored digits) | 16 % | 0.7 % |
| conv-l32 | 49 % | 1.0 % |

Outlier exposure with these non-digits does not beat the plain model reliably once stroke
width is out of the picture: the two seeds of the same recipe land 14 points apart.

Other ways of turning tuned-l32's reconstructions into a score, tried 2026-11-26 with the same
calibration and probes (a scratch program; the plain MSE flags 43 of 70 in that program, one
fewer than the table, from batch versus one-image inference at the threshold's edge):

| score (same reconstructions) | probes flagged | test digits flagged |
|---|---:|---:|
| mean squared error (shipped) | 43 of 70 | 1.1 % |
| mean absolute error / binary cross-entropy | 37 / 39 | 1.1 % / 1.1 % |
| MSE after a 3×3 / 5×5 blur of both images | 42 / 39 | 1.2 % / 0.6 % |
| MSE of the worst 7×7 / 11×11 window | 18 / 31 | 1.8 % / 1.4 % |
| the 100 largest pixel errors | 43 | 0.9 % |
| lost ink only / added ink only | 45 / 21 | 1.0 % / 1.6 % |
| chamfer distance between the inked pixels / its square / Hausdorff distance | 40 / 34 / 29 | 1.5 % / 1.3 % / 0.7 % |
| seven models' scores over their thresholds, averaged (all shipped but dense-l2 and dense-l4) | 40 | 1.0 % |
| decoding the mean (or the best) of the k nearest training codes, k = 1…30 | 35–42 | 0.6–1.1 % |
| MSE against the 99th percentile of the 100 test digits with the most similar amount of ink (calibration halves swapped) | 53 / 49 | 2.0 % / 1.1 % |

Only the last, a threshold that grows with the amount of ink, gains a few probes, at up to
twice the false alarms; none comes near 90 %.""")

def figure(model_id):
    entry = next(m for m in manifest["models"] if m["id"] == model_id)
    return f"{entry['test']['mse']:.4f}"


print(f"""
## Dreaming up digits: the variational autoencoder

`vae-l2` and `vae-l16` (`src/model/variational.rs`): the dense trunk 784-512-256-128-64 with a
mean and a log-variance head, the dense decoder, trained 150 epochs (cosine decay from 1e-3,
batch 64, seed 1, digits as they are) on BCE plus the KL divergence of each code's distribution
from N(0, I) (β = 1). Rebuilt from the mean, their test MSE is {figure("vae-l2")} and
{figure("vae-l16")}, against {figure("dense-l2")} and {figure("dense-l16")} for the plain study
models of the same size: the KL term costs the wide code detail (it pulls every code towards
the prior), and at L = 2 the VAE's smoother code rebuilds better than the plain one.

Dreams, by `cargo run --bin dream-report`: 100 codes drawn (seed 1) from the VAE's prior, or,
for a plain model, from a Gaussian fitted to its test digits' codes (what the page shows beside
the VAE's strip), decoded, and judged three ways.

{dream_table.read_text().strip()}

The reconstruction-error detector passes nearly everything a decoder makes, the plain model's
dreams included: decoders draw smooth strokes, which autoencoders rebuild well. The vote of the
nearest training digits tells them apart: more of the plain model's dreams fall between classes
(a 3 half turned 8, a broken 0), because its codes fill a lumpy region that one Gaussian does
not describe, while the VAE was trained to make its codes fill the prior. At L = 2 both
models' dreams vary less than real digits: two numbers hold little more than which digit it is.
""")

print("""
## Soak: long use in one page

`pkg-scripts/bench/soak.py`, in each browser: in one page, 100,000 reconstructions with the
drawing model, 50 loads of it (each used and freed) and 30 short training runs with the training
module (1 epoch of 640 digits, L = 16, each freed), sampling each module's wasm memory; then, in
a fresh page, a training run started from the panel while digits are drawn with the mouse for
30 s. *Longest gap* is the longest the main thread left a MessageChannel ping loop waiting (what
a click or a stroke would wait for); *longest task* is Chromium's Long Tasks API (Firefox has none).

| | Firefox | Chromium |
|---|---:|---:|""")
def memory_row(label, key):
    cells = []
    for name in ["firefox", "chromium"]:
        samples = soak[name]["memory"][key]
        growth = soak[name]["memory"]["growthAfterWarmUp"][key]
        cells.append(f"{samples[0] / 2**20:.1f} → {samples[-1] / 2**20:.1f} MiB (+{growth / 2**20:.1f} after warm-up)")
    print(f"| wasm memory over {label} | " + " | ".join(cells) + " |")
memory_row("100,000 reconstructions", "reconstructions")
memory_row("50 model loads", "loads")
memory_row("30 training runs", "trainingRuns")
def during(key, unit="ms"):
    values = [soak[name]["whileTraining"][key] for name in ["firefox", "chromium"]]
    return " | ".join("—" if v is None else "none over 50 ms" if v == 0 else f"{v:.0f} {unit}"
                      for v in values)
print(f"| longest gap while the Worker trains and digits are drawn | {during('longestGapMs')} |")
print(f"| longest task then (Long Tasks API) | {during('longestTaskMs')} |")
print(f"| digits drawn in those 30 s | " + " | ".join(str(soak[n]["whileTraining"]["digitsDrawn"]) for n in ["firefox", "chromium"]) + " |")
gaps = [soak[n]["whileTraining"]["longestGapMs"] for n in ["firefox", "chromium"]]
longest_task = soak["chromium"]["whileTraining"]["longestTaskMs"]
tasks = ("saw no task over 50 ms" if not longest_task
         else f"saw tasks up to {longest_task:.0f} ms")
verdict = "the target is met" if max(gaps) <= 50 and not longest_task else "the target is not met"
# A leak grows with every round of a phase; an allocator's high-water mark is reached early and
# then holds. So the verdict looks at the second half of each phase.
late_growth = max(samples[-1] - samples[len(samples) // 2]
                  for name in ["firefox", "chromium"] for key in ["reconstructions", "loads", "trainingRuns"]
                  for samples in [soak[name]["memory"][key]])
early_growth = max(soak[name]["memory"]["growthAfterWarmUp"][key]
                   for name in ["firefox", "chromium"] for key in ["reconstructions", "loads", "trainingRuns"])
if late_growth > 0:
    memory_verdict = f"The memory grows through the second half of a phase (up to {late_growth / 2**20:.1f} MiB): a leak."
elif early_growth > 0:
    memory_verdict = (f"The memory stops growing: what a phase gains after its warm-up (up to {early_growth / 2**20:.1f} MiB) "
                      "it gains in its first half and then holds through the second, as an allocator's high-water mark does "
                      "and a leak would not.")
else:
    memory_verdict = "The memory is flat."
print(f"""
{memory_verdict} The target for the main thread while the Worker trains is 50 ms at most:
Chromium's Long Tasks API {tasks}, and the ping loop's longest gap, which also
counts the frames the page renders after each stroke and WebDriver's input, is {gaps[0]:.0f} ms
in Firefox and {gaps[1]:.0f} ms in Chromium: {verdict}. It varies from run to run (116 ms in
Chromium on 2026-11-30, on another machine of this kind) and with whatever else the machine
runs. The page is served cross-origin isolated (as demo.sh serves it), so the Worker trains
with the threaded module on every core, and the page's main thread shares the cores with it.
Three things keep the main thread's share: the Worker reports progress at most every 100 ms (a
message per step was about 280 a second at batch 32, each a task on the main thread); it
evaluates a dense network after each epoch with its training step's own forward pass, whose
code is already compiled (burn's forward pass, run for the first time at the end of the first
epoch, had Chromium compile its element-wise operations on three threads while the visitor
drew: gaps of 60–100 ms in the first second); and sections off screen are not rendered
(`content-visibility`), so a stroke's frame costs the sections in view.""")

print(insides_section(manifest, frames, firefox, chromium))

if fuzz_results.exists():
    fuzz = json.loads(fuzz_results.read_text())
    print("""
## Fuzzing the parsers

`pkg-scripts/fuzz.sh` (cargo-fuzz, libFuzzer with AddressSanitizer, on a nightly toolchain): each
target from its committed corpus (`tests/fuzz/corpus/`) and every shipped file. A fuzzing build
accepts any checksum (`src/util/checksum.rs`), so that mutated files reach the checks behind it.
The model-file target is slow per input (a shipped model is 0.1–1 MB, and each accepted one is
built and run); the others run millions.

| target | what it checks | date, toolchain | time | inputs run | corpus | crashes, hangs |
|---|---|---|---:|---:|---:|---:|""")
    for run in fuzz["runs"]:
        print(f"| `{run['target']}` | {run['checks']} | {run['date']}, {run['toolchain']} | {run['seconds']} s | "
              f"{run['executions']:,} | {run['corpus']} | {run['failures']} |")
    print("""
Found and fixed (2026-11-30), each now refused with a message and kept as a regression test;
the inputs that found them pass:

- after 1,246 inputs, a model file whose weights held a NaN: it loaded, and every image it
  rebuilt was NaN. A model file with a number that is not finite is now refused
  (`model_file::read`; test `rejects_weights_that_are_not_finite`).
- after 9,157 inputs of the next run, a quantised weight matrix with a side of zero: unpacking
  it panicked (`chunks_exact(0)`), which in the page is a wasm trap. A zero side is now an
  impossible shape (`weights::decode`; test `a_matrix_with_a_zero_side_is_refused`).
- after 942 inputs of the third, a convolutional model with a few huge but finite weights: the
  arithmetic overflowed and every image came back NaN. A model is now refused when it loads if
  it cannot rebuild a blank, a grey and a fully inked image, and every output is checked
  (`InferenceModel::from_file`; test `weights_that_overflow_are_refused_when_loaded`).""")
