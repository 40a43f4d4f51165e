// The training panel: reads the settings (the form's ranges come from Rust's trainingLimits;
// the network, dense or variational, decides which of β and dropout apply), drives the training
// Worker through TrainerClient, and shows progress, the loss charts and a strip of test digits
// as the model rebuilds them (the Worker rebuilds them). The weights it receives stay bytes until
// the page needs a model: "use it", or drawing with the model as it learns (`following`).

import { trainingLimits } from "../pkg/autoencoder_playground_inference.js";
import { TRAINED_KEY } from "./model-picker.js";
import { $, PIXELS, SIDE, downloadFile, formatDuration } from "./shared.js";
import { TrainerClient } from "./trainer-client.js";
import { drawLineChart, paintDigit } from "./views.js";

/** What the loss chart plots, by network (the Worker's step loss, src/training/loss.rs). */
const LOSS_CAPTIONS = {
  dense: "BCE per step, smoothed",
  vae: "BCE per pixel + β·KL/784 per step, smoothed: rebuilding error plus β times the code's distance from N(0, I)",
};

/**
 * The Deform choices as the Worker's plan spells them. A clean finish deforms in the first
 * three quarters of the epochs and shows the digits as they are in the rest (the study's recipe).
 */
const DEFORMATIONS = {
  none: { deform: "none" },
  affine: { deform: "affine" },
  elastic: { deform: "elastic" },
  "elastic-then-clean": { deform: "elastic", cleanFinish: true },
};
const DEFORMED_SHARE_OF_A_CLEAN_FINISH = 0.75;

/** The progress line and the charts are repainted at most this often. A step takes a few
 *  milliseconds, and repainting after each one kept the page's main thread from the visitor's
 *  strokes (BENCHMARKS.md, the soak). */
const REPAINT_EVERY_MS = 250;
/** Weight of the newest step in the smoothed loss curve. */
const SMOOTHING = 0.1;
const STRIP_SIZE = 8;

export class TrainingPanel {
  /**
   * @param {object} page
   * @param {import("./model-store.js").ModelStore} page.store
   * @param {() => import("../pkg/autoencoder_playground_inference.js").MnistSubset | null} page.dataset
   * @param {() => boolean} page.following whether the page draws with the model being trained,
   *   and so wants each new set of weights as a model
   * @param {(handle: object) => void} page.onWeights new weights from the run while `following`,
   *   kept by the store as the "trained" model: the page owns the handle from then on
   */
  constructor({ store, dataset, following, onWeights }) {
    this.store = store;
    this.dataset = dataset;
    this.following = following;
    this.onWeights = onWeights;
    fitFormToLimits($("training-form"), trainingLimits());
    $("training-form").elements.architecture.addEventListener("change", () => this.syncNetworkFields());
    this.client = new TrainerClient();
    this.state = "idle"; // idle | running | paused | done
    this.weights = null;
    this.reset();

    this.client
      .on("ready", () => {
        if (this.state === "running") this.setState("running", "Training digits loaded; starting…");
      })
      .on("started", (m) => this.started(m))
      .on("progress", (m) => this.progress(m))
      .on("epoch", (m) => this.epoch(m))
      .on("weights", (m) => this.received(m))
      .on("paused", () => {
        this.paintProgress();
        this.setState("paused", "Paused.");
      })
      .on("resumed", (m) => this.resumed(m))
      .on("finished", (m) => this.finished(m))
      .on("error", (m) => this.setState(this.weights ? "done" : "idle", m.message, "error"));

    // Enter in a field would submit the form, which the page's CSP forbids (form-action 'none'),
    // and there is nothing to send anywhere: the Start button starts a run.
    $("training-form").addEventListener("submit", (event) => event.preventDefault());
    $("train-start").addEventListener("click", () => this.start());
    $("train-pause").addEventListener("click", () => (this.state === "paused" ? this.client.resume() : this.client.pause()));
    $("train-stop").addEventListener("click", () => this.client.stop());
    $("train-reset").addEventListener("click", () => {
      this.client.stop();
      this.reset();
      this.setState("idle", "Reset: the charts are cleared; the shipped models are unchanged.");
    });
    $("download-trained").addEventListener("click", () => this.download());
    new ResizeObserver(() => this.drawCharts()).observe($("loss-chart"));
    this.setState("idle", "Ready to train: the 8,004 training digits are fetched when you start.");
  }

  /** The settings as the Worker's `options` and `plan`. */
  settings() {
    const form = $("training-form");
    const number = (name) => Number(form.elements[name].value);
    const architecture = form.elements.architecture.value;
    const variational = architecture === "vae";
    const epochs = number("epochs");
    const { deform, cleanFinish } = DEFORMATIONS[form.elements.deform.value];
    return {
      options: {
        architecture,
        latentSize: number("latentSize"),
        learningRate: number("learningRate"),
        batchSize: number("batchSize"),
        // Rust refuses dropout for a VAE, and a β other than 1 for the dense network.
        dropout: variational ? 0 : number("dropout"),
        beta: variational ? number("beta") : 1,
        seed: number("seed"),
      },
      plan: {
        epochs,
        subsetSize: number("subsetSize"),
        schedule: form.elements.schedule.value,
        deform,
        ...(cleanFinish && { deformEpochs: Math.round(DEFORMED_SHARE_OF_A_CLEAN_FINISH * epochs) }),
        evaluationSize: 500,
      },
    };
  }

  start() {
    if (!$("training-form").reportValidity()) return;
    const { options, plan } = this.settings();
    this.reset();
    this.runOptions = options;
    $("loss-caption").textContent = LOSS_CAPTIONS[options.architecture];
    this.client.start(options, plan, { showing: this.stripDigits() });
    this.setState("running", "Starting (the first run fetches the training digits)…");
  }

  reset() {
    this.losses = []; // [step, smoothed loss]
    this.testMse = []; // [epoch, mse]
    this.smoothed = null;
    this.startedAt = null;
    this.weights = null;
    this.lastReport = null;
    $("train-progress").value = 0;
    $("train-progress-text").textContent = "";
    delete $("training-status").dataset.resumedStep;
    delete $("test-chart").dataset.lastTestMse;
    this.drawCharts();
    this.paintStrip(null);
  }

  started({ trainDigits, evaluationDigits, totalSteps, threads }) {
    this.startedAt = performance.now();
    $("train-progress").max = totalSteps;
    this.threads = threads;
    $("training-status").dataset.threads = String(threads);
    this.setState("running", `Training on ${trainDigits.toLocaleString("en")} digits, ${describeThreads(threads)}; test MSE on ${evaluationDigits} test digits after each epoch.`);
  }

  progress(report) {
    for (const [step, loss] of report.losses) {
      this.smoothed = this.smoothed === null ? loss : this.smoothed + SMOOTHING * (loss - this.smoothed);
      this.losses.push([step, this.smoothed]);
    }
    this.lastReport = report;
    this.scheduleRepaint();
  }

  /** The progress line for the last step reported. */
  paintProgress() {
    const report = this.lastReport;
    if (!report) return;
    $("train-progress").value = report.step;
    const stepsLeft = report.totalSteps - report.step;
    const secondsPerStep = report.batchDigits / Math.max(report.samplesPerSec, 1e-9);
    const left = report.samplesPerSec > 0 ? formatDuration(stepsLeft * secondsPerStep) : "…";
    $("train-progress-text").textContent =
      `Epoch ${report.epoch}/${Math.ceil(report.totalSteps / report.stepsPerEpoch)} · step ${report.stepInEpoch}/${report.stepsPerEpoch}` +
      ` · loss ${report.loss.toFixed(4)} · ${Math.round(report.samplesPerSec).toLocaleString("en")} digits/s` +
      ` on ${this.threads === 1 ? "1 thread" : `${this.threads} threads`} · ${left} left`;
    $("train-progress-text").dataset.step = report.step;
  }

  /** The Worker goes on from its own step count, which `data-resumed-step` records: the run
   *  did not move while paused if it equals the step shown at the pause. */
  resumed({ step }) {
    $("training-status").dataset.resumedStep = String(step);
    this.setState("running", "Training…");
  }

  epoch({ epoch, testMse }) {
    this.testMse.push([epoch, testMse]);
    $("test-chart").dataset.lastTestMse = String(testMse);
    this.scheduleRepaint();
  }

  received({ bytes, step, rebuilt }) {
    this.weights = bytes;
    this.latest = { bytes, step }; // kept through a reset, for "use it"
    this.paintStrip(rebuilt ?? null);
    $("use-trained").disabled = false;
    $("download-trained").disabled = false;
    if (!this.following()) return;
    try {
      this.onWeights(this.adoptWeights());
    } catch (error) {
      this.setState(this.state, `The trained weights could not be read: ${error.message}`, "error");
    }
  }

  /** The last weights received, kept by the store as the "trained" model: a handle the caller
   *  owns. Throws when they are not a model, or before the first weights. */
  adoptWeights() {
    if (!this.latest) throw new Error("no trained weights yet");
    const { bytes, step } = this.latest;
    return this.store.adopt(TRAINED_KEY, bytes, (model) => {
      const what = model.isVariational ? ["VAE", "variational model"] : ["model", "model"];
      // A VAE gets a name of its own: a new name makes the views refit (see main.js's useModel).
      return { name: `Your ${what[0]} (L=${model.latentSize})`, description: `The ${what[1]} you are training here, as of step ${step}.` };
    });
  }

  finished({ reason, message }) {
    this.paintProgress();
    this.drawCharts();
    const text = {
      done: "Finished. Use the model for drawing, or download it.",
      stopped: "Stopped.",
      diverged: `Training stopped: ${message}. The last good weights are kept; try a smaller learning rate.`,
      failed: `Training failed: ${message}.${this.weights ? " The last weights received are kept." : ""}`,
    }[reason];
    const failure = reason === "diverged" || reason === "failed";
    this.setState(this.weights ? "done" : "idle", text, failure ? "error" : "info");
  }

  setState(state, message, kind = "info") {
    this.state = state;
    const status = $("training-status");
    status.textContent = message;
    status.dataset.kind = kind;
    status.dataset.state = state;
    const active = state === "running" || state === "paused";
    $("train-start").disabled = false; // the markup disables it until this module runs
    $("train-start").textContent = active ? "Restart" : "Start training";
    $("train-pause").disabled = !active;
    $("train-pause").textContent = state === "paused" ? "Resume" : "Pause";
    $("train-stop").disabled = !active;
    for (const element of $("training-form").elements) element.disabled = active;
    if (!active) this.syncNetworkFields();
  }

  /** β applies to the variational network only, dropout to the dense one only: the field
   *  that does not apply is disabled (dropout showing 0, what the VAE trains with), and the
   *  loss chart's caption says what it will plot. Dropout comes back when dense is chosen. */
  syncNetworkFields() {
    const { architecture, beta, dropout } = $("training-form").elements;
    const variational = architecture.value === "vae";
    if (variational && this.denseDropout === undefined) {
      this.denseDropout = dropout.value;
      dropout.value = "0";
    } else if (!variational && this.denseDropout !== undefined) {
      dropout.value = this.denseDropout;
      this.denseDropout = undefined;
    }
    beta.disabled = !variational;
    dropout.disabled = variational;
    if (this.state !== "running" && this.state !== "paused") {
      $("loss-caption").textContent = LOSS_CAPTIONS[architecture.value];
    }
  }

  /** Repaints the progress line and the charts in an animation frame, at most once every
   *  REPAINT_EVERY_MS. */
  scheduleRepaint() {
    if (this.repaintPending) return;
    this.repaintPending = true;
    const wait = Math.max(0, (this.lastRepaintAt ?? -Infinity) + REPAINT_EVERY_MS - performance.now());
    setTimeout(() => requestAnimationFrame(() => {
      this.repaintPending = false;
      this.lastRepaintAt = performance.now();
      this.paintProgress();
      this.drawCharts();
    }), wait);
  }

  drawCharts() {
    drawLineChart($("loss-chart"), [{ points: this.losses }], { emptyText: "Loss per step appears here", format: (v) => v.toFixed(3) });
    drawLineChart($("test-chart"), [{ points: this.testMse, color: "#d9544f", dots: true }], { emptyText: "Test MSE after each epoch", format: (v) => v.toFixed(4) });
  }

  /** The strip's test digits, the first of each class (`Float32Array(n·784)`), once the test
   *  digits are in; undefined before. */
  stripDigits() {
    const data = this.dataset();
    if (!this.strip && data) {
      const firstOfLabel = new Map();
      for (const index of data.testIndices()) {
        if (!firstOfLabel.has(data.label(index))) firstOfLabel.set(data.label(index), index);
        if (firstOfLabel.size === STRIP_SIZE) break;
      }
      this.strip = data.images([...firstOfLabel].sort(([a], [b]) => a - b).map(([, index]) => index));
    }
    return this.strip;
  }

  /** The strip's digits, each over its reconstruction in `rebuilt` (`Float32Array(n·784)`, in
   *  the same order), or blank. */
  paintStrip(rebuilt) {
    const strip = $("training-strip");
    const digits = this.stripDigits();
    if (!digits) return;
    const pixelsOf = (images, i) => images.subarray(i * PIXELS, (i + 1) * PIXELS);
    if (!strip.children.length) {
      strip.replaceChildren(...Array.from({ length: digits.length / PIXELS }, (_, i) => {
        const cell = document.createElement("div");
        cell.className = "strip-cell";
        cell.innerHTML = `<canvas width="${SIDE}" height="${SIDE}"></canvas>`.repeat(2);
        paintDigit(cell.firstChild, pixelsOf(digits, i));
        return cell;
      }));
    }
    [...strip.children].forEach((cell, i) => paintDigit(cell.lastChild, rebuilt && pixelsOf(rebuilt, i)));
    strip.dataset.updates = String(Number(strip.dataset.updates ?? 0) + (rebuilt ? 1 : 0));
  }

  download() {
    if (!this.weights) return;
    const { latentSize, architecture } = this.runOptions;
    downloadFile(this.weights, `my-${architecture === "vae" ? "vae" : "autoencoder"}-l${latentSize}.aepg`);
  }
}

/** Sets the form's ranges to those Rust accepts, so they have one source: the learning rate's
 *  `max`, and only the latent and batch sizes within range are offered. */
function fitFormToLimits(form, { minLatentSize, maxLatentSize, maxLearningRate, maxBatchSize, maxBeta }) {
  form.elements.learningRate.max = String(maxLearningRate);
  form.elements.beta.max = String(maxBeta);
  keepOptionsWithin(form.elements.latentSize, minLatentSize, maxLatentSize);
  keepOptionsWithin(form.elements.batchSize, 1, maxBatchSize);
}

function keepOptionsWithin(select, min, max) {
  for (const option of [...select.options]) {
    const value = Number(option.value);
    if (!(value >= min && value <= max)) option.remove();
  }
}

/** How many threads a step uses, and, for one, why no more (see training-module.js). */
function describeThreads(threads) {
  if (threads > 1) return `on ${threads} threads`;
  if (!self.crossOriginIsolated) return "on 1 thread (the page is not cross-origin isolated, so it cannot share memory between threads)";
  return "on 1 thread";
}
