// The training Worker: owns the data and the TrainingRun, takes one Adam step per turn of its
// event loop, and reports to the page. The page's thread never runs a training step. The page
// creates it when the first run starts, and it fetches the training digits then.
//
// Messages in:  {type: "start", options, plan, examples?, modelFile?, showing?, threads?},
//               {type: "pause"},
//               {type: "resume"}, {type: "stop"}
//               With `examples` (Float32Array(n·784), a new shape's) the run mixes them into
//               every batch (plan.exampleShare), training a copy of `modelFile` (a model file's
//               bytes) or, without one, a fresh model (TrainingRun.onExamples).
//               `showing` (Float32Array(n·784)): digits the page shows rebuilt by the model as
//               it learns; each "weights" message carries their reconstructions.
//               `threads` picks the training module, on the first start only (it is loaded
//               once): "auto" (the default), "single" or a number (see training-module.js).
// Messages out: {type: "ready"} (the training digits are in, after the first start),
//               {type: "started", trainDigits, evaluationDigits, exampleCount, totalSteps,
//                threads (how many threads a step uses), threaded (which module)},
//               {type: "progress", ...StepReport, samplesPerSec, losses: [[step, loss], ...]}
//                (the last step's report, and the loss of every step since the last one sent;
//                at most every PROGRESS_EVERY_MS, and always before any other message),
//               {type: "epoch", epoch, testMse, exampleMse},
//               {type: "weights", bytes, step, rebuilt (Float32Array(n·784), with `showing`)},
//               {type: "paused"}, {type: "resumed", step},
//               {type: "finished", reason: "done" | "stopped" | "diverged" | "failed", message},
//               {type: "error", message}
// "diverged": a step's loss was not finite; the last good weights were sent first.
// "failed": anything else threw during the run (a step, the test MSE, saving the weights); the
// last weights were sent first if they could still be saved, and the run is gone.
// "error": a command could not be carried out (no data, settings out of range, ...).

import { PIXELS, TEST_DIGITS_URL, TRAINING_DIGITS_URL, fetchDataFile, fileName } from "./shared.js";
import { loadTrainingModule } from "./training-module.js";

/** How often the page gets the current weights mid-epoch (for the strip and "use"). */
const WEIGHTS_EVERY_MS = 2000;
/** Progress goes to the page at most this often. Posted after every step, it was hundreds of
 *  messages a second on two threads, each a task on the page's thread, between the visitor's
 *  strokes. */
const PROGRESS_EVERY_MS = 100;
/** Window for the samples-per-second estimate. */
const RATE_WINDOW_MS = 3000;

/** The training module's exports, the threaded or the single-threaded build. */
let wasm = null;
let data = null;
let run = null;
let running = false;
let lastWeightsAt = 0;
let recent = []; // [time, images] of recent steps
let lastReport = null;
/** The rate at the last step, and the [step, loss] of the steps the page has not yet been told
 *  of (see sendProgress). */
let samplesPerSec = 0;
let unsentLosses = [];
let lastProgressAt = -Infinity;
/** The page's digits to rebuild with each set of weights (see `showing`), or null. */
let showing = null;

/** Posts `message`, after any steps the page has not yet been told of: the page sees every step
 *  before what follows it (an epoch's test MSE, weights, "paused", "finished"). */
function post(message, transfer = []) {
  if (unsentLosses.length) sendProgress();
  self.postMessage(message, transfer);
}

function sendProgress() {
  self.postMessage({ type: "progress", ...lastReport, samplesPerSec, losses: unsentLosses });
  unsentLosses = [];
  lastProgressAt = performance.now();
}

// A MessageChannel yields to the event loop without setTimeout's 4 ms clamp, so control
// messages (pause, stop) are seen between steps at almost no cost.
const loop = new MessageChannel();
loop.port1.onmessage = () => trainOneStep();
const nextTurn = () => loop.port2.postMessage(null);

/** The training module, the test digits (the page fetched them already, so they usually come
 *  from the cache) and the training digits, joined into one set for TrainingRun. */
async function load(threads) {
  const [module, test, train] = await Promise.all([
    wasm ?? loadTrainingModule(threads),
    fetchDataFile(TEST_DIGITS_URL),
    fetchDataFile(TRAINING_DIGITS_URL),
  ]);
  wasm = module;
  data = wasm.MnistSubset.load(test, fileName(TEST_DIGITS_URL));
  const training = wasm.MnistSubset.load(train, fileName(TRAINING_DIGITS_URL));
  data.append(training);
  training.free();
  post({ type: "ready" });
}

/** The data fetch under way, started by a "start" before the data is here; commands wait for
 *  it, in order. A failed fetch is tried again by the next "start". */
let loading = null;

function start({ options, plan, examples, modelFile, showing: digits }) {
  stop();
  showing = digits ?? null;
  run = examples
    ? wasm.TrainingRun.onExamples(data, modelFile, options, plan, examples)
    : new wasm.TrainingRun(data, options, plan);
  recent = [];
  lastReport = null;
  unsentLosses = [];
  lastProgressAt = -Infinity; // the first step is reported at once
  lastWeightsAt = performance.now();
  post({
    type: "started",
    trainDigits: run.trainDigits,
    evaluationDigits: run.evaluationDigits,
    exampleCount: run.exampleCount,
    totalSteps: run.totalSteps,
    threads: wasm.trainingThreads(),
    threaded: typeof wasm.initThreadPool === "function",
  });
  running = true;
  nextTurn();
}

/** One turn of the loop: a step, and what follows from it. Every throw ends the run. */
function trainOneStep() {
  if (!running || !run) return;
  try {
    stepAndReport();
  } catch (error) {
    running = false;
    if (error?.name === "TrainingDiverged") endDiverged(error);
    else endFailed(error);
  }
}

function stepAndReport() {
  const report = run.step();
  lastReport = report;
  const now = performance.now();
  recent.push([now, report.batchDigits + report.batchExamples]);
  while (recent.length > 2 && now - recent[0][0] > RATE_WINDOW_MS) recent.shift();
  const span = (now - recent[0][0]) / 1000;
  const images = recent.slice(1).reduce((sum, [, n]) => sum + n, 0);
  samplesPerSec = span > 0 ? images / span : 0;
  unsentLosses.push([report.step, report.loss]);
  if (now - lastProgressAt >= PROGRESS_EVERY_MS) sendProgress();

  if (report.epochFinished) {
    post({ type: "epoch", epoch: report.epoch, testMse: run.testMse(), exampleMse: run.exampleMse() });
    sendWeights();
  } else if (now - lastWeightsAt > WEIGHTS_EVERY_MS) {
    sendWeights();
  }
  if (report.finished) {
    running = false;
    post({ type: "finished", reason: "done" });
    return;
  }
  nextTurn();
}

/** A step's loss was not finite. The step left the weights as they were: those go to the page,
 *  and the run is kept, like a finished one, until the next start or stop. */
function endDiverged(error) {
  try {
    sendWeights();
  } catch (saveError) {
    endFailed(saveError);
    return;
  }
  post({ type: "finished", reason: "diverged", message: error.message });
}

/** Anything else threw: the run is over. The page gets its last weights if they can still be
 *  saved (if not, it keeps those it received last), and the run is freed. */
function endFailed(error) {
  try {
    sendWeights();
  } catch {
    // Saving fails too: the page keeps the weights it received last.
  }
  const failedRun = run;
  run = null;
  try {
    failedRun.free();
  } catch {
    // A Rust panic leaves the run borrowed, so freeing it throws; it is dropped all the same.
  }
  post({ type: "finished", reason: "failed", message: error?.message ?? String(error) });
}

/** The current weights, and the page's digits rebuilt by them: rebuilt here, so that the page's
 *  thread need not load each set of weights (2.3 MB) to show how the model is doing. */
function sendWeights() {
  const bytes = run.save();
  const rebuilt = showing && rebuild(showing);
  lastWeightsAt = performance.now();
  post({ type: "weights", bytes, step: lastReport?.step ?? 0, rebuilt }, [bytes.buffer, ...(rebuilt ? [rebuilt.buffer] : [])]);
}

function rebuild(digits) {
  const model = run.model();
  try {
    const rebuilt = new Float32Array(digits.length);
    for (let start = 0; start < digits.length; start += PIXELS) {
      rebuilt.set(model.reconstruct(digits.subarray(start, start + PIXELS)), start);
    }
    return rebuilt;
  } finally {
    model.free();
  }
}

/** Ends the current run; its last weights go to the page first. */
function stop() {
  if (!run) return;
  const unfinished = !lastReport?.finished;
  running = false;
  try {
    sendWeights();
  } finally {
    run.free();
    run = null;
  }
  if (unfinished) post({ type: "finished", reason: "stopped" });
}

self.onmessage = async ({ data: message }) => {
  try {
    if (message.type === "start" && !data) {
      loading ??= load(message.threads).finally(() => (loading = null));
    }
    if (loading) {
      await loading.catch((error) => {
        throw new Error(`Training data: ${error.message}`);
      });
    }
    switch (message.type) {
      case "start":
        start(message);
        break;
      case "pause":
        if (running) {
          running = false;
          post({ type: "paused" });
        }
        break;
      case "resume":
        if (run && !running && !lastReport?.finished) {
          running = true;
          recent = [];
          post({ type: "resumed", step: lastReport?.step ?? 0 });
          nextTurn();
        }
        break;
      case "stop":
        stop();
        break;
      default:
        throw new Error(`unknown message type "${message.type}"`);
    }
  } catch (error) {
    running = false;
    post({ type: "error", message: error.message ?? String(error) });
  }
};
