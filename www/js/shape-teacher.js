// Teaching the model a new shape: the training Worker fine-tunes a copy of the drawing model (or
// trains a fresh one) on the collection's examples, each deformed anew at every step, mixed with
// training digits; this module drives it, keeps the taught model in the store, and says how
// each model rebuilds the examples and the digits, before and after. Its gauges are Rust's
// AnomalyDetector: the drawing model's on the test digits (the page's module), and after
// recalibrating, the taught model's on the test digits and the examples (the training module's,
// initialised by shapes-panel.js: the first view's module does not recalibrate).

import { AnomalyDetector } from "../pkg/autoencoder_playground_inference.js";
import * as training from "../pkg/autoencoder_playground.js";
import { $, PIXELS, TEST_DIGITS_URL, downloadFile, fetchDataFile, fileName } from "./shared.js";
import { TrainerClient } from "./trainer-client.js";

/** The store's key for the taught model. */
export const SHAPE_KEY = "shape";
const BATCH = 64;
const TRAINING_DIGITS = 8004;
/** Test digits whose mean MSE the results compare, before and after. */
const DIGITS_COMPARED = 500;
const FIT_SLICE = 10;
const FIT_MS_PER_FRAME = 12;

/**
 * The section's recipe (pkg-scripts/bench/bench.js measures it): `steps` batches of 64 images,
 * `digitShare` (0…1) of each batch training digits and the rest the examples; the learning
 * rate decays (cosine) to a hundredth, which keeps the digits as they were while the new shape
 * is learned. A copy of the drawing model starts at 2·10⁻³ (over 1,500 steps this rebuilt new
 * drawings of A, K and E 10–20 % better than a constant 5·10⁻⁴, BENCHMARKS.md); a fresh dense
 * model with a code of `latentSize` numbers at 10⁻³.
 */
export function teachingRecipe({ steps, digitShare, fresh = false, latentSize = 0 }) {
  const epochs = Math.ceil((steps * BATCH) / TRAINING_DIGITS);
  return {
    options: fresh
      ? { architecture: "dense", latentSize, dropout: 0, learningRate: 1e-3, batchSize: BATCH, seed: 1 }
      : { learningRate: 2e-3, batchSize: BATCH, seed: 1 },
    plan: {
      epochs,
      subsetSize: (steps * BATCH) / epochs,
      schedule: "cosine",
      exampleShare: 1 - digitShare,
      evaluationSize: DIGITS_COMPARED,
    },
  };
}

export class ShapeTeacher {
  constructor({ store, drawingModel, drawWith, collection, onChange }) {
    Object.assign(this, { store, drawingModel, drawWith, collection, onChange });
    this.dataset = null;
    this.base = null; // handle on the model the examples are first shown to (and taught from)
    this.baseDetector = null; // its gauge, fitted on the test digits
    this.taught = null; // handle on the taught model
    this.taughtDetector = null; // its gauge once recalibrated on digits and examples
    this.bytes = null;
    this.state = "idle";
    this.client = new TrainerClient()
      .on("started", (m) => this.started(m))
      .on("progress", (m) => this.progress(m))
      .on("weights", (m) => this.received(m))
      .on("paused", () => this.setState("paused", "Paused."))
      .on("resumed", () => this.setState("running", "Teaching…"))
      .on("finished", (m) => this.finished(m))
      .on("error", (m) => this.setState("idle", m.message, "error"));
    $("shape-train").addEventListener("click", () => this.start().catch((error) => this.setState("idle", error.message, "error")));
    $("shape-pause").addEventListener("click", () => (this.state === "paused" ? this.client.resume() : this.client.pause()));
    $("shape-stop").addEventListener("click", () => this.client.stop());
    $("shape-use").addEventListener("click", () => this.drawWith(this.taught.share()));
    $("shape-download").addEventListener("click", () => this.download());
    $("shape-recalibrate").addEventListener("click", () => this.recalibrate());
    const share = $("shape-form").elements.digitShare;
    share.addEventListener("input", () => ($("shape-digit-share-value").textContent = `${share.value} %`));
    $("shape-form").addEventListener("submit", (event) => event.preventDefault());
    this.setState("idle", "Add a few examples, then teach the model your shape.");
  }

  setDataset(dataset) {
    this.dataset = dataset;
    this.collectionChanged();
  }

  /** The examples changed: the gauge of the drawing model is fitted if it is not yet. */
  collectionChanged() {
    const count = this.collection().examples.length / PIXELS;
    if (this.state === "idle" || this.state === "done") $("shape-train").disabled = count === 0 || !this.dataset;
    if (count === 0 || !this.dataset || this.state === "running" || this.state === "paused") return;
    const current = this.drawingModel();
    if (!current || (this.base && sameModel(this.base, current))) return;
    this.base?.release();
    this.base = current.share();
    this.baseDetector?.free();
    this.baseDetector = null;
    const fitting = (this.fitting = fitDetector(this.base.model, this.dataset));
    fitting.then((detector) => {
      if (this.fitting !== fitting) return detector.free();
      this.baseDetector = detector;
      this.onChange();
    }, (error) => this.setState(this.state, `The gauge could not be fitted: ${error.message}`, "error"));
  }

  /** What each model makes of the examples: `[{key, label, of(index) → {rebuilt, mse,
   *  percentile, flagged}}]`, the drawing model's first, then the taught model's. */
  views(examples) {
    const views = [];
    const add = (key, label, model, detector) => {
      const rebuilt = examples.map((example) => model.reconstruct(example));
      const errors = examples.length ? model.reconstructionErrors(flatten(examples)) : [];
      views.push({
        key, label,
        of: (i) => ({ rebuilt: rebuilt[i], mse: errors[i], ...rank(detector, examples[i]) }),
      });
    };
    if (this.base && !this.base.released) add("before", this.base.info.name, this.base.model, this.baseDetector);
    if (this.taught) add("after", "taught", this.taught.model, this.taughtDetector);
    return views;
  }

  async start() {
    const { examples } = this.collection();
    if (!examples.length || !this.dataset) return;
    const form = $("shape-form").elements;
    const fresh = form.start.value === "fresh";
    this.collectionChanged();
    const base = this.base;
    if (!base) throw new Error("the drawing model is not loaded yet");
    const { options, plan } = teachingRecipe({
      steps: Number(form.steps.value),
      digitShare: Number(form.digitShare.value) / 100,
      fresh,
      latentSize: base.model.latentSize,
    });
    const modelFile = fresh ? undefined : await this.store.fileOf(base);
    this.dropTaught();
    this.results = { digitsBefore: digitsError(base.model, this.dataset), examplesBefore: median(base.model.reconstructionErrors(examples)) };
    $("shape-results").textContent = "";
    $("shape-progress").value = 0;
    this.client.start(options, plan, { examples, modelFile });
    this.setState("running", "Starting (the first time, the training digits are fetched)…");
  }

  started({ totalSteps, exampleCount, trainDigits }) {
    $("shape-progress").max = totalSteps;
    this.setState("running", `Teaching: ${exampleCount} examples, deformed anew at every step, mixed with ${trainDigits.toLocaleString("en")} training digits.`);
  }

  progress(report) {
    $("shape-progress").value = report.step;
    const left = report.samplesPerSec > 0 ? Math.ceil(((report.totalSteps - report.step) * BATCH) / report.samplesPerSec) : null;
    $("shape-progress-text").textContent = `Step ${report.step}/${report.totalSteps} · loss ${report.loss.toFixed(4)} · ` +
      `${Math.round(report.samplesPerSec).toLocaleString("en")} images/s${left === null ? "" : ` · ${left} s left`}`;
    $("shape-progress-text").dataset.step = String(report.step);
  }

  received({ bytes }) {
    const name = this.collection().name || "your shape";
    try {
      const handle = this.store.adopt(SHAPE_KEY, bytes, (model) => ({
        name: `Taught “${name}” (L=${model.latentSize})`,
        description: `The drawing model taught ${name} here, from your examples and the training digits.`,
      }));
      this.taught?.release();
      this.taught = handle;
      this.bytes = bytes;
    } catch (error) {
      this.setState(this.state, `The taught weights could not be read: ${error.message}`, "error");
      return;
    }
    this.onChange();
  }

  finished({ reason, message }) {
    if (!this.taught) return this.setState("idle", message ?? "Stopped before any weights came.", "error");
    const { examples } = this.collection();
    const digitsAfter = digitsError(this.taught.model, this.dataset);
    const examplesAfter = median(this.taught.model.reconstructionErrors(examples));
    const { digitsBefore, examplesBefore } = this.results;
    const change = ((digitsAfter / digitsBefore - 1) * 100).toFixed(0);
    Object.assign($("shape-results").dataset, { digitsBefore, digitsAfter, examplesBefore, examplesAfter });
    $("shape-results").textContent =
      `Your examples' median MSE: ${examplesBefore.toFixed(4)} before, ${examplesAfter.toFixed(4)} after. ` +
      `The digits' (${DIGITS_COMPARED} test digits, mean): ${digitsBefore.toFixed(4)} before, ${digitsAfter.toFixed(4)} after ` +
      `(${change >= 0 ? "+" : ""}${change} %)${change > 15 ? ": it is forgetting them; put more digits in the mix" : ""}.`;
    const text = {
      done: "Taught. Draw with it, download it, or recalibrate the gauge so your shape stops being an anomaly.",
      stopped: "Stopped: the weights as they were are kept.",
      diverged: `Teaching stopped: ${message}. The last good weights are kept.`,
      failed: `Teaching failed: ${message}.`,
    }[reason];
    this.setState("done", text, reason === "diverged" || reason === "failed" ? "error" : "info");
  }

  async recalibrate() {
    const { examples } = this.collection();
    $("shape-recalibrate").disabled = true;
    this.setState(this.state, "Recalibrating: scoring the test digits and your examples with the taught model…");
    try {
      const detector = await recalibratedDetector(this.bytes, examples);
      this.taughtDetector?.free();
      this.taughtDetector = detector;
      this.setState(this.state, "The taught model's gauge now ranks scores among the test digits and your examples.");
      this.onChange();
    } catch (error) {
      this.setState(this.state, `Recalibrating failed: ${error.message}`, "error");
    }
    $("shape-recalibrate").disabled = !this.taught;
  }

  dropTaught() {
    this.taughtDetector?.free();
    this.taughtDetector = null;
    this.taught?.release();
    this.taught = null;
    this.bytes = null;
  }

  download() {
    downloadFile(this.bytes, `taught-${this.collection().name || "shape"}.aepg`);
  }

  setState(state, message, kind = "info") {
    this.state = state;
    const status = $("shape-train-status");
    status.textContent = message;
    status.dataset.kind = kind;
    status.dataset.state = state;
    const active = state === "running" || state === "paused";
    const count = this.collection().examples.length;
    $("shape-train").disabled = active || count === 0 || !this.dataset;
    $("shape-pause").disabled = !active;
    $("shape-pause").textContent = state === "paused" ? "Resume" : "Pause";
    $("shape-stop").disabled = !active;
    for (const element of $("shape-form").elements) element.disabled = active;
    for (const id of ["shape-use", "shape-download", "shape-recalibrate"]) $(id).disabled = active || !this.taught;
  }
}

const sameModel = (a, b) => a.info.id === b.info.id && a.info.name === b.info.name && a.model === b.model;

function rank(detector, example) {
  if (!detector) return {};
  const { percentile, flagged } = detector.score(example);
  return { percentile, flagged };
}

/** Mean MSE of `model` on the first test digits. */
function digitsError(model, dataset) {
  const errors = model.reconstructionErrors(dataset.images(dataset.testIndices().slice(0, DIGITS_COMPARED)));
  return errors.reduce((sum, e) => sum + e, 0) / errors.length;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function flatten(examples) {
  const flat = new Float32Array(examples.length * PIXELS);
  examples.forEach((example, i) => flat.set(example, i * PIXELS));
  return flat;
}

/** The taught model's gauge (its file `bytes`), ranking among the test digits and `examples`:
 *  the training module's, which reads the model and the test digits itself. */
async function recalibratedDetector(bytes, examples) {
  const model = training.Autoencoder.load(bytes);
  const dataset = training.MnistSubset.load(await fetchDataFile(TEST_DIGITS_URL), fileName(TEST_DIGITS_URL));
  try {
    // The detector keeps its own share of the weights: the model can go at once.
    return await fitSlices(training.AnomalyDetector.recalibrated(model, dataset, examples), dataset);
  } finally {
    model.free();
    dataset.free();
  }
}

/** An AnomalyDetector for `model` fitted on the test digits. */
function fitDetector(model, dataset) {
  return fitSlices(new AnomalyDetector(model, dataset), dataset);
}

/** Fits `detector` a slice per frame, so that the page stays responsive. */
async function fitSlices(detector, dataset) {
  try {
    for (;;) {
      const began = performance.now();
      let fitted = false;
      do fitted = detector.fitSome(dataset, FIT_SLICE);
      while (!fitted && performance.now() - began < FIT_MS_PER_FRAME);
      if (fitted) return detector;
      await new Promise((resolve) => setTimeout(resolve));
    }
  } catch (error) {
    detector.free();
    throw error;
  }
}
