// "What autoencoders do": the convolutional model's feature maps (downsampling and
// upsampling made visible), denoising with a noise slider, and anomaly detection by the
// drawing model's reconstruction error. The numbers all come from Rust; this module wires and
// paints.

import { Autoencoder, AnomalyScale, addNoise, asDrawn, compareImages, nonDigitProbes } from "../pkg/autoencoder_playground.js";
import { overTestDigits, paintDigit, watchVisibility } from "./views.js";

const $ = (id) => document.getElementById(id);
const PIXELS = 784;
/** Feature maps shown per stage (the rest are summarised by their count). */
const MAPS_SHOWN = 8;

export class UsesPanel {
  /**
   * @param {object} page
   * @param {(id: string) => Promise<Autoencoder>} page.loadModel loads a manifest model by id
   * @param {(pixels: Float32Array, description: string) => void} page.showImage puts a 28×28
   *   image on the drawing pad as the current input
   */
  constructor({ loadModel, showImage }) {
    this.loadModel = loadModel;
    this.probeSheet = new ProbeSheet($("probe-sheet"), $("probe-summary"),
      (probe) => showImage(probe.image, `Probe "${probe.name}", a non-digit from the anomaly tests`));
    this.input = null;
    this.conv = null;
    this.denoiser = null;
    this.plain = null;
    this.dataset = null;
    this.gauge = new AnomalyGauge($("anomaly-row"), flagSliderPercentile());
    this.noiseSeed = 1;
    $("noise-amount").addEventListener("input", () => this.showDenoising());
    $("flag-percentile").addEventListener("input", () => this.moveFlagThreshold());
    this.mapsVisible = watchVisibility($("feature-maps"), () => this.showFeatureMaps());
    this.denoisingVisible = watchVisibility($("dn-clean"), () => this.showDenoising());
    this.anomalyVisible = watchVisibility($("anomaly-input").closest(".panel"), () => this.showAnomaly());
    this.probesVisible = watchVisibility($("probe-sheet").closest(".panel"), () => this.showProbes());
    $("noise-reseed").addEventListener("click", () => {
      this.noiseSeed += 1;
      this.showDenoising();
    });
    // These models add a few megabytes: load them when the section first shows.
    new IntersectionObserver((seen, observer) => {
      if (seen.some((s) => s.isIntersecting)) {
        observer.disconnect();
        this.loadModels().catch((error) => ($("uses-status").textContent = `Models did not load: ${error.message}`));
      }
    }).observe($("uses"));
  }

  async loadModels() {
    [this.conv, this.denoiser, this.plain] = await Promise.all(
      ["conv-l32", "denoiser-l32", "tuned-l32"].map((id) => this.loadModel(id)),
    );
    this.showFeatureMaps();
    this.showDenoising();
  }

  /** The drawing view's current input (or null), and the model it uses. */
  setInput(input) {
    this.input = input;
    // Off-screen views catch up when they scroll into view (see watchVisibility).
    if (this.mapsVisible()) this.showFeatureMaps();
    if (this.denoisingVisible()) this.showDenoising();
    if (this.anomalyVisible()) this.showAnomaly();
  }

  // --- Feature maps --------------------------------------------------------------------

  showFeatureMaps() {
    const container = $("feature-maps");
    if (!this.conv) return;
    if (!this.input) {
      container.dataset.stages = "0";
      container.replaceChildren(Object.assign(document.createElement("p"), { className: "note", textContent: "Draw a digit to see it pass through the network." }));
      return;
    }
    const stages = this.conv.featureMaps(this.input);
    // The columns are built once; later inputs repaint their canvases in place.
    if (container.dataset.stages !== String(stages.length)) {
      container.replaceChildren(...stages.map((stage) => {
        const column = document.createElement("figure");
        column.className = "stage-maps";
        const caption = document.createElement("figcaption");
        caption.textContent = stage.side && stage.channels > 1 ? `${stage.name} ×${stage.channels}` : stage.name;
        column.append(caption);
        if (stage.side === 0) {
          column.append(Object.assign(document.createElement("div"), { className: "code-bars" }));
        } else {
          for (let c = 0; c < Math.min(stage.channels, MAPS_SHOWN); c++) {
            column.append(Object.assign(document.createElement("canvas"), { width: stage.side, height: stage.side }));
          }
        }
        return column;
      }));
    }
    stages.forEach((stage, i) => {
      const column = container.children[i];
      const values = stage.values;
      if (stage.side === 0) {
        paintCodeBars(column.querySelector(".code-bars"), values);
      } else {
        const size = stage.side * stage.side;
        column.querySelectorAll("canvas").forEach((canvas, c) => paintFeatureMap(canvas, values.subarray(c * size, (c + 1) * size)));
      }
      stage.free();
    });
    container.dataset.stages = String(stages.length);
  }

  // --- Denoising -----------------------------------------------------------------------

  showDenoising() {
    const amount = Number($("noise-amount").value) / 100;
    $("noise-value").textContent = `${Math.round(amount * 100)} %`;
    const cells = ["noisy", "denoised", "plain"];
    if (!this.input || !this.denoiser || !this.plain) {
      for (const id of ["clean", ...cells]) paintDigit($(`dn-${id}`), null);
      for (const id of cells) $(`dn-${id}-mse`).textContent = "";
      return;
    }
    const noisy = addNoise(this.input, amount, this.noiseSeed);
    const outputs = { noisy, denoised: this.denoiser.reconstruct(noisy), plain: this.plain.reconstruct(noisy) };
    paintDigit($("dn-clean"), this.input);
    for (const id of cells) {
      paintDigit($(`dn-${id}`), outputs[id]);
      const { mse } = compareImages(outputs[id], this.input);
      $(`dn-${id}-mse`).textContent = `MSE ${mse.toFixed(4)}`;
      $(`dn-${id}`).dataset.mse = String(mse);
    }
  }

  // --- Anomaly detection ---------------------------------------------------------------

  /** Calibrates the gauge for the drawing model on the test digits. */
  async setModel(model, dataset) {
    this.dataset = dataset;
    // fit() lets go of the previous model (main.js frees it) before its first await.
    const fitted = this.gauge.fit(model, dataset);
    this.probeSheet.invalidate();
    this.showAnomaly();
    await fitted;
    this.showAnomaly();
    if (this.probesVisible()) this.showProbes();
  }

  /** New weights for the same model (one being trained): keep the calibration, unless it is
   *  still running, in which case it restarts with the new weights. */
  async retarget(model) {
    if (this.gauge.fitting || !this.gauge.scale) return this.setModel(model, this.dataset);
    this.gauge.model = model;
    this.probeSheet.invalidate();
    if (this.anomalyVisible()) this.showAnomaly();
    if (this.probesVisible()) this.showProbes();
  }

  /** The flag percentile slider moved: a new threshold for the gauge and the probes. */
  moveFlagThreshold() {
    this.gauge.setFlagPercentile(flagSliderPercentile());
    this.probeSheet.invalidate();
    this.showAnomaly();
    if (this.probesVisible()) this.showProbes();
  }

  /** Rescores the probe sheet if the model, its weights or the threshold changed. */
  showProbes() {
    const { model, scale, flagPercentile } = this.gauge;
    if (model && scale) this.probeSheet.update(model, scale, flagPercentile);
  }

  showAnomaly() {
    const verdict = $("anomaly-verdict");
    // Scored as drawn, like the test digits it is ranked among (see AnomalyGauge.fit).
    const scored = this.input && asDrawn(this.input);
    const model = this.gauge.model;
    paintDigit($("anomaly-input"), scored);
    paintDigit($("anomaly-rebuilt"), scored && model ? model.reconstruct(scored) : null);
    const score = this.gauge.show(scored);
    if (!score) {
      verdict.textContent = this.gauge.scale ? "Draw something: a digit, a letter, a doodle." : "Scoring the test digits…";
      verdict.dataset.flag = "";
      return;
    }
    verdict.dataset.flag = score.flagged ? "anomaly" : "digit";
    verdict.dataset.percentile = String(score.percentile);
    const where = `reconstruction error ${score.error.toFixed(4)}, higher than ${score.percentile.toFixed(1)} % of the test digits' (flag above the ${ordinal(this.gauge.flagPercentile)} percentile, ${score.threshold.toFixed(4)})`;
    verdict.textContent = score.flagged ? `Doesn't look like a digit: ${where}.` : `Looks like a digit: ${where}.`;
  }
}

/** One model's reconstruction error ranked among the test digits': a bar with the 99th
 *  percentile marked and a marker for the current input. */
class AnomalyGauge {
  /**
   * @param {HTMLElement} row the gauge's row, holding an `.anomaly-marker` and an `.anomaly-threshold`
   * @param {number} flagPercentile flag errors above this percentile (50…100) of the test digits'
   */
  constructor(row, flagPercentile) {
    this.row = row;
    this.model = null;
    this.scale = null;
    this.fitting = false;
    this.generation = 0;
    this.setFlagPercentile(flagPercentile);
  }

  /** Flags errors above `percentile` (50…100) of the test digits' from now on. */
  setFlagPercentile(percentile) {
    this.scale?.setFlagPercentile(percentile);
    this.flagPercentile = percentile;
    this.row.querySelector(".anomaly-threshold").style.left = `${percentile}%`;
  }

  /** Scores every test digit, as drawn, with `model`; a later call supersedes this one.
   *  Drawings reach the model with their stroke width normalised, and so do the test digits
   *  here (and any input, in showAnomaly): otherwise a stroke wider or thinner than MNIST's
   *  would count against a drawing, whatever its shape. */
  async fit(model, dataset) {
    this.model = model;
    this.scale?.free();
    this.scale = null;
    const generation = ++this.generation;
    if (!model || !dataset) return;
    this.fitting = true;
    const errors = await overTestDigits(dataset, 1, (images) => model.reconstructionErrors(images),
      () => generation === this.generation, { asDrawn: true });
    if (!errors) return;
    this.fitting = false;
    this.scale = AnomalyScale.fit(errors);
    this.scale.setFlagPercentile(this.flagPercentile);
  }

  /** Places `input` (as drawn) on the gauge: its error, percentile and flag, or null before
   *  calibration. */
  show(input) {
    const marker = this.row.querySelector(".anomaly-marker");
    if (!this.scale || !input) {
      marker.hidden = true;
      this.row.dataset.flag = "";
      return null;
    }
    const [error] = this.model.reconstructionErrors(input);
    const percentile = this.scale.percentile(error);
    const flagged = this.scale.isAnomalous(error);
    marker.hidden = false;
    marker.style.left = `${Math.min(percentile, 100)}%`;
    this.row.dataset.flag = flagged ? "anomaly" : "digit";
    this.row.dataset.percentile = String(percentile);
    return { error, percentile, flagged, threshold: this.scale.threshold };
  }
}

/** The flag percentile the slider is at, echoed beside it: the slider's markup holds the one
 *  default (99) that the gauge, its threshold line and the probe sheet start from. */
function flagSliderPercentile() {
  const percentile = Number($("flag-percentile").value);
  $("flag-percentile-value").textContent = String(percentile);
  return percentile;
}

/** "99th", "81st", "97.5th": a percentile as the page words it. */
function ordinal(value) {
  if (!Number.isInteger(value)) return `${value}th`;
  const teen = value % 100 >= 11 && value % 100 <= 13;
  return `${value}${teen ? "th" : { 1: "st", 2: "nd", 3: "rd" }[value % 10] ?? "th"}`;
}

/** What the probes' `kind` is called on the page, in the order the sheet shows them. */
const PROBE_GROUPS = { letter: "Letters", strokes: "Scribbles", noise: "Noise" };

/** The non-digits the anomaly tests score (src/probes.rs), each marked by whether the drawing
 *  model flags it: the tests' result, live, for whichever model draws. A click puts one on the
 *  pad. */
class ProbeSheet {
  constructor(container, summary, onPick) {
    this.container = container;
    this.summary = summary;
    this.onPick = onPick;
    this.probes = null;
    this.stale = true;
  }

  /** The model or its calibration changed: rescore on the next update. */
  invalidate() {
    this.stale = true;
  }

  /** Scores the probes with `model` against `scale` (which flags above `flagPercentile`),
   *  unless nothing changed since last time (70 reconstructions: too many for every stroke). */
  update(model, scale, flagPercentile) {
    if (!this.stale) return;
    this.stale = false;
    if (!this.probes) this.build();
    const errors = model.reconstructionErrors(this.scored);
    const tally = new Map(Object.keys(PROBE_GROUPS).map((kind) => [kind, { flagged: 0, total: 0 }]));
    this.probes.forEach((probe, i) => {
      const flagged = scale.isAnomalous(errors[i]);
      const count = tally.get(probe.kind);
      if (flagged) count.flagged += 1;
      count.total += 1;
      probe.button.dataset.flag = flagged ? "anomaly" : "digit";
      probe.button.title = `${probe.name}: ${flagged ? "flagged" : "passes as a digit"}, error higher than ${scale.percentile(errors[i]).toFixed(1)} % of the test digits'`;
    });
    for (const [kind, { flagged, total }] of tally) {
      this.container.querySelector(`[data-kind="${kind}"] .probe-count`).textContent = `· ${flagged} of ${total} flagged`;
    }
    const flagged = [...tally.values()].reduce((sum, count) => sum + count.flagged, 0);
    const digits = (100 * scale.referencesFlagged).toFixed(1);
    this.summary.textContent = `Above the ${ordinal(flagPercentile)} percentile the drawing model flags ${flagged} of these ${this.probes.length} non-digits (red; green ones pass as digits) and ${digits}\u00a0% of the test digits. Lower the percentile to catch more non-digits, at the cost of more digits. Click one to score it.`;
    this.summary.dataset.digitsFlagged = digits;
    this.summary.dataset.flagged = String(flagged);
  }

  build() {
    this.probes = nonDigitProbes().map((probe) => ({ ...probe, image: Float32Array.from(probe.image) }));
    this.scored = new Float32Array(this.probes.length * PIXELS);
    this.probes.forEach((probe, i) => this.scored.set(probe.scored, i * PIXELS));
    const groups = Object.entries(PROBE_GROUPS).map(([kind, title]) => {
      const group = document.createElement("div");
      group.className = "probe-group";
      group.dataset.kind = kind;
      group.innerHTML = `<p class="probe-title">${title} <span class="probe-count"></span></p><div class="probe-grid"></div>`;
      return group;
    });
    for (const probe of this.probes) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "probe";
      button.dataset.name = probe.name;
      button.setAttribute("aria-label", `Score probe ${probe.name}`);
      const canvas = Object.assign(document.createElement("canvas"), { width: 28, height: 28 });
      paintDigit(canvas, probe.image);
      button.append(canvas);
      button.addEventListener("click", () => this.onPick(probe));
      probe.button = button;
      groups.find((g) => g.dataset.kind === probe.kind).querySelector(".probe-grid").append(button);
    }
    this.container.replaceChildren(...groups);
  }
}

/** Paints one feature map in grey, scaled to its own range (dark = strong). */
function paintFeatureMap(canvas, values) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(canvas.width, canvas.height);
  let [low, high] = [Infinity, -Infinity];
  for (const v of values) [low, high] = [Math.min(low, v), Math.max(high, v)];
  const range = high - low || 1;
  values.forEach((v, i) => {
    const shade = Math.round(255 * (1 - (v - low) / range));
    image.data.set([shade, shade, shade, 255], i * 4);
  });
  ctx.putImageData(image, 0, 0);
}

/** The code as a column of small bars, centred on zero. */
function paintCodeBars(box, values) {
  if (box.children.length !== values.length) {
    box.replaceChildren(...Array.from(values, () => document.createElement("span")));
  }
  const largest = Math.max(...Array.from(values, Math.abs), 1e-6);
  values.forEach((v, i) => {
    const bar = box.children[i];
    const share = (Math.abs(v) / largest) * 50;
    bar.style.width = `${share}%`;
    bar.style.marginLeft = v < 0 ? `${50 - share}%` : "50%";
    bar.className = v < 0 ? "negative" : "";
  });
}
