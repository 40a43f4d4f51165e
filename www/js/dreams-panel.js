// "Dream up digits": the decoder as a generator of new digits. A strip of digits the
// variational autoencoder decodes from codes drawn from its prior N(0, I), beside the plain
// autoencoder's "dreams" (codes drawn from a Gaussian fitted to its test digits' codes); and,
// for the two models with a 2-number code, a grid of digits decoded over the whole plane.
//
// main.js imports this module only when the section first comes into view, and the panel then
// acquires its four models from the store by role: none of it is part of the first view. It
// holds them for the page's lifetime. Sampling, fitting and decoding happen in Rust; this module lays out and paints.

import { CodeGaussian } from "../pkg/autoencoder_playground_inference.js";
import { $, PIXELS, SIDE, modelLabel } from "./shared.js";
import { overTestDigits, paintDigit } from "./views.js";

/** Digits per strip. */
const DREAMS = 10;
/** Cells per side of each plane's grid. */
const GRID = 15;
/** The plain model's grid spans its test digits' codes between these percentiles per axis. */
const LOW_PERCENTILE = 1;
const HIGH_PERCENTILE = 99;
/** The VAE's grid spans this much of its prior per axis: evenly spaced probabilities from
 *  2.5 % to 97.5 %, which the normal's inverse CDF maps to about ±1.96 σ. */
const PRIOR_TAIL = 0.025;

export class DreamsPanel {
  /**
   * @param {object} page
   * @param {import("./model-store.js").ModelStore} page.store
   * @param {Promise<import("../pkg/autoencoder_playground_inference.js").MnistSubset>} page.testDigits
   *   the test digits, once the page has them
   */
  constructor({ store, testDigits }) {
    this.store = store;
    this.testDigits = testDigits;
    this.seed = 1; // the first strip is always the same; each click draws a new seed
    this.vae = null;
    this.plain = null; // {model, gaussian}: the drawing model and the Gaussian fitted to its codes
    this.problems = [];
    $("dream-button").addEventListener("click", () => {
      this.seed = 1 + Math.floor(Math.random() * 999999);
      this.showDreams();
    });
    paintBlankStrip($("dream-vae"));
    paintBlankStrip($("dream-plain"));
    this.load().catch((error) => this.report(`The section's models did not load: ${error.message}`));
  }

  /** Acquires the section's models by role (held for the page's lifetime); each part shows as
   *  soon as its own model is in, and one that is missing or fails says so and leaves the
   *  others be. */
  async load() {
    const plainEntry = this.store.entry("drawing");
    $("dream-plain-name").textContent = modelLabel(plainEntry);
    const model = async (role) => (await this.store.acquire(role)).model;
    await Promise.all([
      this.part("generator", async () => {
        this.vae = await model("generator");
        $("dream-button").disabled = false;
        this.showDreams();
      }),
      this.part("drawing", async () => {
        const drawing = await model("drawing");
        const codes = await encodeTestDigits(drawing, await this.testDigits);
        this.plain = { model: drawing, gaussian: CodeGaussian.fit(codes, drawing.latentSize) };
        $("dream-button").disabled = false;
        this.showDreams();
      }),
      this.part("generatorPlane", async () => {
        const plane = await model("generatorPlane");
        const axis = priorAxis(GRID);
        await paintPlane($("dream-grid-vae"), plane, axis, axis);
        labelAxes("dream-grid-vae", axis, axis, "σ");
      }),
      this.part("codePlane", async () => {
        const plane = await model("codePlane");
        const codes = await encodeTestDigits(plane, await this.testDigits);
        const [xs, ys] = percentileAxes(codes, GRID);
        await paintPlane($("dream-grid-plain"), plane, xs, ys);
        labelAxes("dream-grid-plain", xs, ys, "");
      }),
    ]);
  }

  /** Runs the part of the section that shows the model of `role`, or says why it cannot. */
  async part(role, run) {
    let name;
    try {
      name = this.store.entry(role).name;
    } catch {
      this.report(`This build ships no model for "${role}".`);
      return;
    }
    try {
      await run();
    } catch (error) {
      this.report(`${name}: ${error.message ?? error}`);
    }
  }

  report(problem) {
    this.problems.push(problem);
    $("dream-status").textContent = this.problems.join(" ");
  }

  /** Both strips for the current seed: the VAE's draws from its prior, and the plain model's
   *  draws from the Gaussian fitted to its codes, each decoded. */
  showDreams() {
    $("dream-seed").textContent = `seed ${this.seed}`;
    if (this.vae) {
      paintStrip($("dream-vae"), this.vae.sample(DREAMS, this.seed));
      $("dream-vae").dataset.seed = String(this.seed);
    }
    if (this.plain) {
      const { model, gaussian } = this.plain;
      const codes = gaussian.sample(DREAMS, this.seed);
      const L = model.latentSize;
      const images = new Float32Array(DREAMS * PIXELS);
      for (let i = 0; i < DREAMS; i++) images.set(model.decode(codes.subarray(i * L, (i + 1) * L)), i * PIXELS);
      paintStrip($("dream-plain"), images);
      $("dream-plain").dataset.seed = String(this.seed);
    }
  }
}

/** Every test digit's code under `model`, in slices that leave the page responsive. */
function encodeTestDigits(model, dataset) {
  return overTestDigits(dataset, model.latentSize, (images) => model.encodeMany(images), () => true);
}

/** `images` (n·784) on the strip's n canvases, made on first use. */
function paintStrip(strip, images) {
  const count = images.length / PIXELS;
  if (strip.children.length !== count) paintBlankStrip(strip, count);
  for (let i = 0; i < count; i++) paintDigit(strip.children[i], images.subarray(i * PIXELS, (i + 1) * PIXELS));
  strip.dataset.updates = String(Number(strip.dataset.updates ?? 0) + 1);
}

function paintBlankStrip(strip, count = DREAMS) {
  strip.replaceChildren(...Array.from({ length: count }, () => {
    const canvas = Object.assign(document.createElement("canvas"), { width: SIDE, height: SIDE });
    paintDigit(canvas, null);
    return canvas;
  }));
}

/**
 * Decodes the code (xs[column], ys[row]) into each cell of `canvas`, a GRID×GRID mosaic of
 * 28×28 digits; the first row is the largest y, so that up on the screen is up on the plane.
 * A row at a time, letting the page paint in between.
 */
async function paintPlane(canvas, model, xs, ys) {
  canvas.width = canvas.height = GRID * SIDE;
  const ctx = canvas.getContext("2d");
  const cell = ctx.createImageData(SIDE, SIDE);
  for (let row = 0; row < ys.length; row++) {
    const y = ys[ys.length - 1 - row];
    for (let column = 0; column < xs.length; column++) {
      const image = model.decode(Float32Array.of(xs[column], y));
      for (let i = 0; i < PIXELS; i++) {
        const shade = Math.round(255 * (1 - image[i]));
        cell.data.set([shade, shade, shade, 255], 4 * i);
      }
      ctx.putImageData(cell, column * SIDE, row * SIDE);
    }
    await new Promise((resolve) => setTimeout(resolve));
  }
  canvas.dataset.cells = String(xs.length * ys.length);
}

/** The axes' ends under and beside a grid (`unit` after the numbers: "σ" for the prior). */
function labelAxes(id, xs, ys, unit) {
  const format = (v) => `${v < 0 ? "−" : ""}${Math.abs(v).toFixed(1)}${unit}`;
  $(`${id}-x`).textContent = `z0 from ${format(xs[0])} to ${format(xs[xs.length - 1])} →`;
  $(`${id}-y`).textContent = `z1 from ${format(ys[0])} to ${format(ys[ys.length - 1])} →`;
}

/** `count` points of the standard normal at evenly spaced probabilities from PRIOR_TAIL to
 *  1 − PRIOR_TAIL: every column of the grid holds the same share of the prior's draws. */
function priorAxis(count) {
  return Array.from({ length: count }, (_, i) =>
    normalQuantile(PRIOR_TAIL + ((1 - 2 * PRIOR_TAIL) * i) / (count - 1)));
}

/** For a 2-number code per digit: `count` evenly spaced values per axis, from the codes'
 *  LOW_PERCENTILE to their HIGH_PERCENTILE (a few outliers would otherwise stretch the grid). */
function percentileAxes(codes, count) {
  return [0, 1].map((axis) => {
    const values = Float32Array.from({ length: codes.length / 2 }, (_, i) => codes[2 * i + axis]).sort();
    const at = (p) => values[Math.round((p / 100) * (values.length - 1))];
    const [low, high] = [at(LOW_PERCENTILE), at(HIGH_PERCENTILE)];
    return Array.from({ length: count }, (_, i) => low + ((high - low) * i) / (count - 1));
  });
}

/** The standard normal's inverse CDF (Acklam's rational approximation, relative error below
 *  1.2·10⁻⁹): fifteen grid positions, not worth a trip into Rust. */
function normalQuantile(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
