// The training Worker: owns the data and the TrainingRun, takes one Adam step per turn of its
// event loop, and reports to the page. The page's thread never runs a training step.
//
// Messages in:  {type: "start", options, plan}, {type: "pause"}, {type: "resume"}, {type: "stop"}
// Messages out: {type: "ready"}, {type: "started", trainDigits, evaluationDigits, totalSteps},
//               {type: "progress", ...StepReport, samplesPerSec},
//               {type: "epoch", epoch, testMse}, {type: "weights", bytes, step},
//               {type: "paused"}, {type: "resumed"},
//               {type: "finished", reason: "done" | "stopped" | "diverged", message},
//               {type: "error", message}

import init, { MnistSubset, TrainingRun } from "../pkg/autoencoder_playground.js";

/** How often the page gets the current weights mid-epoch (for the strip and "use"). */
const WEIGHTS_EVERY_MS = 2000;
/** Window for the samples-per-second estimate. */
const RATE_WINDOW_MS = 3000;

let data = null;
let run = null;
let running = false;
let lastWeightsAt = 0;
let recent = []; // [time, digits] of recent steps
let lastReport = null;

const post = (message, transfer = []) => self.postMessage(message, transfer);

// A MessageChannel yields to the event loop without setTimeout's 4 ms clamp, so control
// messages (pause, stop) are seen between steps at almost no cost.
const loop = new MessageChannel();
loop.port1.onmessage = () => trainOneStep();
const nextTurn = () => loop.port2.postMessage(null);

async function load() {
  await init();
  const response = await fetch(new URL("../data/mnist-subset.bin", import.meta.url));
  if (!response.ok) throw new Error(`data/mnist-subset.bin: ${response.status} ${response.statusText}`);
  data = MnistSubset.load(new Uint8Array(await response.arrayBuffer()));
  post({ type: "ready" });
}

const loaded = load().catch((error) => post({ type: "error", message: `Training data: ${error.message}` }));

function start({ options, plan }) {
  stop();
  run = new TrainingRun(data, options, plan);
  recent = [];
  lastReport = null;
  lastWeightsAt = performance.now();
  post({
    type: "started",
    trainDigits: run.trainDigits,
    evaluationDigits: run.evaluationDigits,
    totalSteps: run.totalSteps,
  });
  running = true;
  nextTurn();
}

function trainOneStep() {
  if (!running || !run) return;
  let report;
  try {
    report = run.step();
  } catch (error) {
    // A non-finite loss leaves the weights as they were: hand those back and stop.
    running = false;
    sendWeights();
    post({ type: "finished", reason: "diverged", message: error.message });
    return;
  }
  lastReport = report;
  const now = performance.now();
  recent.push([now, report.batchDigits]);
  while (recent.length > 2 && now - recent[0][0] > RATE_WINDOW_MS) recent.shift();
  const span = (now - recent[0][0]) / 1000;
  const digits = recent.slice(1).reduce((sum, [, n]) => sum + n, 0);
  post({ type: "progress", ...report, samplesPerSec: span > 0 ? digits / span : 0 });

  if (report.epochFinished) {
    post({ type: "epoch", epoch: report.epoch, testMse: run.testMse() });
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

function sendWeights() {
  const bytes = run.save();
  lastWeightsAt = performance.now();
  post({ type: "weights", bytes, step: lastReport?.step ?? 0 }, [bytes.buffer]);
}

/** Ends the current run; its last weights go to the page first. */
function stop() {
  if (!run) return;
  const unfinished = !lastReport?.finished;
  running = false;
  sendWeights();
  run.free();
  run = null;
  if (unfinished) post({ type: "finished", reason: "stopped" });
}

self.onmessage = async ({ data: message }) => {
  await loaded;
  try {
    switch (message.type) {
      case "start":
        if (!data) throw new Error("the training data did not load");
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
          post({ type: "resumed" });
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
