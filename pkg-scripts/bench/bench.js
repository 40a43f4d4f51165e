// Benchmarks the shipped wasm builds (the training module and the page's inference module) and
// the other-backend build in this browser, in one page so that all see the same conditions:
// their measurements are interleaved, round by round. The inference module cannot train.
// Posts the numbers back to the server that bench.sh runs. Query: ?label=<browser name>.

const query = new URLSearchParams(location.search);
const label = query.get("label") ?? "browser";
/** `?only=shapes` runs the shape-teaching benchmark alone, `?only=threads` the training Worker
 *  with each module (pkg-scripts/bench/part.sh runs either). */
const only = query.get("only");
const BUILDS = {
  default: "../pkg/autoencoder_playground.js",
  other: "../pkg-other/autoencoder_playground.js",
  inference: "../pkg/autoencoder_playground_inference.js",
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Times `work` once, in milliseconds. */
function time(work) {
  const start = performance.now();
  work();
  return performance.now() - start;
}

async function run() {
  if (only === "shapes") return { label, userAgent: navigator.userAgent, shapes: await teachShapesInWorker() };
  if (only === "threads") {
    return { label, userAgent: navigator.userAgent, workerModules: await trainInWorkerWithEachModule() };
  }
  const manifest = await (await fetch("../models/manifest.json")).json();
  const entry = manifest.models.find((m) => m.id === manifest.roles.drawing);
  const modelBytes = await fetchBytes(`../models/${entry.file}`);
  const dataBytes = await fetchBytes("../data/mnist-subset.bin");

  const builds = {};
  for (const [name, url] of Object.entries(BUILDS)) {
    const module = await import(url);
    await module.default();
    const data = module.MnistSubset.load(dataBytes);
    const train = data.trainIndices();
    builds[name] = {
      module,
      model: module.Autoencoder.load(modelBytes),
      digits: Array.from(data.testIndices().slice(0, 50), (i) => data.image(i)),
      // The course-note model (Adam, Dropout 0.5) on batches of 64 real digits.
      trainer: module.Trainer
        ? new module.Trainer({ latentSize: 32, dropout: 0.5, batchSize: 64, learningRate: 1e-3, seed: 1 })
        : null,
      batches: Array.from({ length: 8 }, (_, b) => {
        const batch = new Float32Array(64 * 784);
        for (let i = 0; i < 64; i++) batch.set(data.image(train[b * 64 + i]), i * 784);
        return batch;
      }),
      loads: [], reconstructs: [], steps: [], conversions: [],
    };
  }

  // Warm-up, then interleaved rounds.
  for (const b of Object.values(builds)) {
    for (let i = 0; i < 100; i++) b.model.reconstruct(b.digits[i % b.digits.length]);
    for (let i = 0; i < 3; i++) b.trainer?.step(b.batches[i]);
  }
  // Browsers coarsen performance.now() (Firefox to 1 ms without cross-origin isolation), so
  // a reconstruct sample times 50 calls: 0.02 ms resolution.
  const callsPerSample = 50;
  for (let round = 0; round < 200; round++) {
    for (const b of Object.values(builds)) {
      const ms = time(() => {
        for (let k = 0; k < callsPerSample; k++) b.model.reconstruct(b.digits[(round + k) % b.digits.length]);
      });
      b.reconstructs.push(ms / callsPerSample);
    }
  }
  // The drawing pad's conversion at a 2× pixel density (a 560×560 canvas): the per-update cost
  // on top of reconstruct while a person draws.
  const drawing = sevenOnCanvas(560);
  for (let round = 0; round < 40; round++) {
    for (const b of Object.values(builds)) {
      b.conversions.push(time(() => b.module.drawingToMnist(drawing, 560, 560)));
    }
  }
  for (let round = 0; round < 30; round++) {
    for (const b of Object.values(builds)) {
      if (b.trainer) b.steps.push(time(() => b.trainer.step(b.batches[round % b.batches.length])));
      if (round < 10) b.loads.push(time(() => b.module.Autoencoder.load(modelBytes).free()));
    }
  }

  for (const b of Object.values(builds)) b.trainer?.free();
  const workerModules = await trainInWorkerWithEachModule();
  // The figure the page gets: the module and thread count the Worker picks by itself.
  const worker = workerModules.runs.find((r) => r.threads === workerModules.cores && r.threaded === crossOriginIsolated)
    ?? workerModules.runs[0];
  const shapes = await teachShapesInWorker();

  const results = {};
  for (const [name, b] of Object.entries(builds)) {
    const stepMs = b.steps.length ? median(b.steps) : null;
    results[name] = {
      backend: b.module.backendName(),
      loadMs: median(b.loads),
      reconstructMs: median(b.reconstructs),
      drawingToMnistMs: median(b.conversions),
      trainStepMs: stepMs,
      trainSamplesPerSec: stepMs === null ? null : 64 / (stepMs / 1000),
    };
  }
  return { label, userAgent: navigator.userAgent, model: entry.id, builds: results, worker, workerModules, shapes };
}

/** WORKER_EPOCHS epochs in the training Worker with the single-threaded module, then with the
 *  threaded one at each thread count up to the cores (a fresh Worker each: a module's pool is
 *  started once). The threaded ones need this page to be cross-origin isolated (serve.py).
 *  Each of them runs WORKER_ROUNDS times, the rounds interleaved, and the round with the median
 *  rate is kept (with every round's rate): on this 2-core VM one run of each swung the threaded
 *  module's ratio between 1.4× and 1.8× from one bench to the next. */
const WORKER_EPOCHS = 3;
const WORKER_ROUNDS = 3;
async function trainInWorkerWithEachModule() {
  const cores = navigator.hardwareConcurrency ?? 1;
  const threadCounts = crossOriginIsolated ? Array.from({ length: cores }, (_, i) => i + 1) : [];
  const choices = ["single", ...threadCounts];
  const rounds = choices.map(() => []);
  for (let round = 0; round < WORKER_ROUNDS; round++) {
    for (const [i, threads] of choices.entries()) rounds[i].push(await trainInWorker(threads));
  }
  const runs = rounds.map((results) => {
    const byRate = [...results].sort((a, b) => a.samplesPerSec - b.samplesPerSec);
    return { ...byRate[Math.floor(byRate.length / 2)], roundsSamplesPerSec: results.map((r) => r.samplesPerSec) };
  });
  return { cores, crossOriginIsolated, epochs: WORKER_EPOCHS, rounds: WORKER_ROUNDS, runs };
}

/**
 * WORKER_EPOCHS epochs over all 8,004 train digits in the page's own training Worker (www/js/
 * train-worker.js) with the training module `threads` picks ("single", or the threaded one with
 * that many threads), with the course-note model, as the training panel runs it; meanwhile the
 * main thread counts animation frames and long tasks (Chromium reports those; Firefox does not).
 * The rate counts every step after the first; the test MSE is the last epoch's.
 */
async function trainInWorker(threads) {
  // Begin in a fresh task: the task that ran the main-thread rounds would count as a long one.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return new Promise((resolve, reject) => {
    const worker = new Worker("../js/train-worker.js", { type: "module" });
    const longTasks = [];
    let observer = null;
    if (PerformanceObserver.supportedEntryTypes?.includes("longtask")) {
      observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
      observer.observe({ type: "longtask" });
    }
    let firstStepAt = null;
    let lastStep = null;
    let started = null;
    let testMse = null;
    let frames = 0;
    let maxFrameGap = 0;
    let lastFrame = performance.now();
    let measuring = true;
    const frame = (now) => {
      if (!measuring) return;
      if (firstStepAt !== null) {
        frames += 1;
        maxFrameGap = Math.max(maxFrameGap, now - lastFrame);
      }
      lastFrame = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    worker.onerror = (event) => reject(new Error(event.message));
    // The Worker fetches its training digits on the first start, before the first step (which
    // the timing below begins after).
    worker.postMessage({
      type: "start",
      options: { latentSize: 32, dropout: 0.5, batchSize: 64, learningRate: 1e-3, seed: 1 },
      plan: { epochs: WORKER_EPOCHS, schedule: "constant", evaluationSize: 500 },
      threads,
    });
    worker.onmessage = ({ data }) => {
      if (data.type === "error") reject(new Error(data.message));
      if (data.type === "started") started = data;
      if (data.type === "epoch") testMse = data.testMse;
      if (data.type === "progress") {
        // Time from the end of the first step, so that warm-up is not counted.
        if (firstStepAt === null) firstStepAt = { time: performance.now(), digits: data.batchDigits };
        lastStep = { time: performance.now(), report: data };
      }
      if (data.type === "finished") {
        measuring = false;
        observer?.disconnect();
        worker.terminate();
        const seconds = (lastStep.time - firstStepAt.time) / 1000;
        const digits = WORKER_EPOCHS * 8004 - firstStepAt.digits;
        resolve({
          threaded: started.threaded,
          threads: started.threads,
          testMse,
          samplesPerSec: digits / seconds,
          epochSeconds: 8004 / (digits / seconds),
          framesPerSec: frames / seconds,
          maxFrameGapMs: maxFrameGap,
          longTasks: observer ? longTasks.length : null,
          longestTaskMs: observer ? Math.max(0, ...longTasks) : null,
        });
      }
    };
  });
}

/** Letters the digit model rebuilds badly (the anomaly probes'), each taught on its own. */
const TAUGHT_LETTERS = ["A", "K", "E"];
/** Choices of the section (shapes-markup.js): its default (1,500 steps, half of each batch
 *  digits), fewer digits (the new shape learned better, the digits kept less well), a shorter run. */
const TEACHING_CHOICES = [
  { steps: 1500, digitShare: 0.5 },
  { steps: 1500, digitShare: 0.2 },
  { steps: 600, digitShare: 0.5 },
];

/**
 * The shape teaching of the page's "Teach it a new shape" section, in its Worker, by its own
 * recipe (shape-teacher.js): for each letter, 20 jittered pen drawings fine-tune a copy of the
 * drawing model for some of the section's choices of steps of 64 images and of the share of
 * digits in them, the rest the drawings deformed anew. Timed from the start
 * message to the last weights (the training digits are fetched before the first letter's run,
 * outside the timing). Then, with the page's inference module: the median MSE of 20 new
 * drawings of the letter, and the test digits' median and mean, before and after.
 */
async function teachShapesInWorker() {
  const training = await import(BUILDS.default);
  await training.default();
  const inference = await import(BUILDS.inference);
  await inference.default();
  const { teachingRecipe } = await import("../js/shape-teacher.js");
  const manifest = await (await fetch("../models/manifest.json")).json();
  const entry = manifest.models.find((m) => m.id === manifest.roles.drawing);
  const modelFile = await fetchBytes(`../models/${entry.file}`);
  const data = inference.MnistSubset.load(await fetchBytes("../data/mnist-subset.bin"));
  const testDigits = data.images(data.testIndices());
  const errorsOf = (bytes, images) => {
    const model = inference.Autoencoder.load(bytes);
    const errors = model.reconstructionErrors(images);
    model.free();
    return errors;
  };
  const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const digitsBefore = errorsOf(modelFile, testDigits);
  const worker = new Worker("../js/train-worker.js", { type: "module" });
  const results = [];
  try {
    for (const [letter, choice] of TAUGHT_LETTERS.flatMap((l) => TEACHING_CHOICES.map((c) => [l, c]))) {
      const examples = training.jitteredLetters(letter, 20, 1);
      const newDrawings = training.jitteredLetters(letter, 20, 2);
      const recipe = teachingRecipe(choice);
      const { bytes, seconds, steps } = await teach(worker, recipe, modelFile, examples);
      const digitsAfter = errorsOf(bytes, testDigits);
      results.push({
        letter, seconds, steps,
        digitShare: choice.digitShare,
        learningRate: recipe.options.learningRate,
        schedule: recipe.plan.schedule,
        newDrawingsBefore: median(errorsOf(modelFile, newDrawings)),
        newDrawingsAfter: median(errorsOf(bytes, newDrawings)),
        digitsMedianBefore: median(digitsBefore),
        digitsMedianAfter: median(digitsAfter),
        digitsMeanBefore: mean(digitsBefore),
        digitsMeanAfter: mean(digitsAfter),
      });
    }
  } finally {
    worker.terminate();
  }
  return results;
}

/** One run of the Worker on `examples` by `recipe` ({ options, plan }): its last weights, and
 *  how long the run took. */
function teach(worker, recipe, modelFile, examples) {
  return new Promise((resolve, reject) => {
    let startedAt = null;
    let bytes = null;
    let steps = 0;
    worker.onerror = (event) => reject(new Error(event.message));
    worker.onmessage = ({ data }) => {
      if (data.type === "error") reject(new Error(data.message));
      if (data.type === "started") startedAt = performance.now();
      if (data.type === "progress") steps = data.step;
      if (data.type === "weights") bytes = data.bytes;
      if (data.type === "finished") {
        if (data.reason !== "done") reject(new Error(`the run ended: ${data.reason} ${data.message ?? ""}`));
        else resolve({ bytes, steps, seconds: (performance.now() - startedAt) / 1000 });
      }
    };
    worker.postMessage({
      type: "start",
      ...recipe,
      examples,
      modelFile: modelFile.slice(),
    });
  });
}

/** RGBA pixels of a `side`² canvas with a hand-drawn-looking 7 in a 26/280 pen. */
function sevenOnCanvas(side) {
  const canvas = new OffscreenCanvas(side, side);
  const ctx = canvas.getContext("2d");
  ctx.lineWidth = (26 * side) / 280;
  ctx.lineCap = ctx.lineJoin = "round";
  ctx.beginPath();
  ctx.moveTo(0.25 * side, 0.2 * side);
  ctx.lineTo(0.75 * side, 0.2 * side);
  ctx.lineTo(0.45 * side, 0.85 * side);
  ctx.stroke();
  return ctx.getImageData(0, 0, side, side).data;
}

async function report(body) {
  await fetch(`/results/${encodeURIComponent(label)}`, { method: "POST", body: JSON.stringify(body) });
  document.getElementById("status").textContent = JSON.stringify(body);
}

run().then(report, (error) => report({ label, error: String(error?.stack ?? error) }));
