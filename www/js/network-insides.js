// "Inside the network": every layer of the model drawn with, for the current input, as a strip
// of units drawn to scale (the encoder narrowing to the code, the decoder widening again); what
// a unit of the first layer looks for (its 784 incoming weights) and what one latent number
// draws (the decoder's response to a unit step in it). Rust computes every number
// (Autoencoder.layers, incomingWeights, strongestUnits, codeStepEffect, of the later views'
// module: the model store gives the drawing model's copy there); this module paints.

import { FeatureMapsPanel } from "./feature-maps-panel.js";
import { $, PIXELS, SIDE } from "./shared.js";
import { paintPixels, watchVisibility } from "./views.js";

/** How each place in the network is named on the page. */
const PLACE_NAMES = {
  input: "input",
  encoder: "encoder",
  code: "code",
  logVariance: "log σ² head",
  decoder: "decoder",
  output: "output",
};
/** What each layer computes from the one before, in the note's terms. */
const RULES = {
  given: "the 784 pixels",
  leakyRelu: "LeakyReLU(W·x + b)",
  affine: "W·x + b",
  sigmoid: "sigmoid(W·x + b)",
};
/** Units of the first layer in the gallery of the strongest. */
const GALLERY_UNITS = 12;

export class NetworkInsides {
  constructor() {
    this.stack = $("layer-stack");
    this.handle = null;
    this.inside = null; // the drawing model in the later views' module, once loaded (dense models)
    this.input = null;
    this.code = null;
    this.unit = null; // the first-layer unit shown, or null
    this.latent = null; // the latent number whose step is shown, or null
    this.convMaps = new FeatureMapsPanel($("inside-feature-maps"));
    this.visible = watchVisibility(this.stack, () => this.show());
    $("unit-weights").dataset.unit = "";
    $("step-effect").dataset.index = "";
  }

  /** The drawing model (a handle this view now owns); the previous one is released. */
  setModel(handle) {
    this.handle?.release();
    this.handle = handle;
    this.inside = null;
    const model = handle.model;
    const conv = model.architecture === "conv";
    $("inside-dense").hidden = conv;
    $("inside-conv").hidden = !conv;
    $("inside-model").textContent = `the model you draw with: ${handle.info.name}`;
    this.convMaps.setModel(conv ? model : null);
    this.unit = null;
    this.latent = null;
    this.stack.replaceChildren(); // rows are rebuilt for the new widths
    if (!conv) {
      const { dropout } = model.header.architecture;
      $("inside-dropout").textContent = dropout > 0
        ? `In training, Dropout(${dropout}) switched off that share of each hidden layer's units at random at every step, so that no unit could count on another; drawing, nothing is dropped.`
        : "This model was trained without Dropout: every unit took part in every step.";
    }
    this.paintUnit();
    this.paintStep();
    if (conv) return;
    handle.laterModel().then((inside) => {
      if (this.handle !== handle) return; // another model came meanwhile
      this.inside = inside;
      this.buildGallery();
      this.show();
    }).catch((error) => {
      if (this.handle === handle) $("inside-model").textContent = `The layers could not be shown: ${error.message}`;
    });
  }

  /** Follows the drawing view's input and its code (or nulls), in steps that the page can
   *  spread over frames (following-views.js): the layers, then the chosen number's effect. */
  *follow(input, code) {
    this.input = input;
    this.code = code;
    this.convMaps.setInput(input);
    if (!this.visible()) return;
    yield;
    this.showLayers();
    yield;
    this.paintStep();
  }

  show() {
    this.showLayers();
    this.paintStep();
  }

  /** Every layer's strip and figures for the current input (the dense models). */
  showLayers() {
    const model = this.inside;
    if (!model) return;
    if (!this.input) {
      this.stack.dataset.layers = "0";
      this.stack.replaceChildren(Object.assign(document.createElement("p"), { className: "note", textContent: "Draw a digit to see it pass through every layer." }));
      return;
    }
    const layers = model.layers(this.input); // plain objects: nothing to free
    if (this.stack.dataset.layers !== String(layers.length) || !this.stack.querySelector(".layer-row")) {
      this.stack.replaceChildren(...layers.map((layer, index) => this.buildRow(layer, index, layers)));
    }
    layers.forEach((layer, index) => paintRow(this.stack.children[index], layer));
    this.stack.dataset.layers = String(layers.length);
    this.stack.dataset.updates = String(Number(this.stack.dataset.updates ?? 0) + 1);
  }

  /** One layer's row: its name and rule, its units as a strip as wide as their count, and its
   *  figures. The first hidden layer's units and the code's numbers can be chosen. */
  buildRow(layer, index, layers) {
    const row = document.createElement("div");
    row.className = "layer-row";
    row.dataset.place = layer.place;
    const units = layer.values.length;
    const label = document.createElement("div");
    label.className = "layer-label";
    const number = layers.slice(0, index + 1).filter((l) => l.place === layer.place).length;
    let name = PLACE_NAMES[layer.place];
    if (layer.place === "encoder" || layer.place === "decoder") name += ` ${number}`;
    if (layer.place === "code" && layer.rule === "affine") name = "code: μ head"; // a variational encoder's mean
    label.innerHTML = `<strong>${name}</strong> · ${units}<br><code>${RULES[layer.rule]}</code>`;
    const strip = document.createElement("canvas");
    strip.className = "layer-strip";
    strip.width = units;
    strip.height = 1;
    strip.style.width = `${(100 * units) / PIXELS}%`;
    strip.setAttribute("aria-label", `${name}: ${units} numbers`);
    const stripBox = Object.assign(document.createElement("div"), { className: "layer-strip-box" });
    stripBox.append(strip);
    const figures = Object.assign(document.createElement("div"), { className: "layer-figures" });
    row.append(label, stripBox, figures);
    const firstHidden = layer.place === "encoder" && number === 1;
    if (firstHidden) this.makeChoosable(strip, units, "unit of the first layer", (unit) => this.chooseUnit(unit));
    if (layer.place === "code") this.makeChoosable(strip, units, "number of the code", (latent) => this.chooseLatent(latent));
    return row;
  }

  /** A strip whose units can be picked: click one, or focus the strip and move with the arrow
   *  keys (Enter shows the unit under the cursor). */
  makeChoosable(strip, units, what, choose) {
    strip.tabIndex = 0;
    strip.classList.add("choosable");
    strip.setAttribute("role", "slider");
    strip.setAttribute("aria-valuemin", "0");
    strip.setAttribute("aria-valuemax", String(units - 1));
    strip.setAttribute("aria-valuenow", "0");
    strip.setAttribute("aria-valuetext", "none chosen yet");
    strip.setAttribute("aria-label", `Choose a ${what} (${units}): arrow keys, then Enter`);
    let cursor = 0;
    const pick = (index) => {
      cursor = Math.max(0, Math.min(units - 1, index));
      strip.setAttribute("aria-valuenow", String(cursor));
      strip.setAttribute("aria-valuetext", `${what} ${cursor}`);
      choose(cursor);
    };
    strip.addEventListener("click", (event) => {
      const box = strip.getBoundingClientRect();
      pick(Math.floor(((event.clientX - box.left) / box.width) * units));
    });
    strip.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -10, PageUp: 10 };
      if (event.key in moves) pick(cursor + moves[event.key]);
      else if (event.key === "Enter") pick(cursor);
      else return;
      event.preventDefault();
    });
  }

  chooseUnit(unit) {
    this.unit = unit;
    this.paintUnit();
  }

  chooseLatent(index) {
    this.latent = index;
    this.paintStep();
  }

  /** The first layer's strongest units, each as its weight image; a click shows it large. */
  buildGallery() {
    const model = this.inside;
    const units = Array.from(model.strongestUnits(GALLERY_UNITS));
    $("unit-gallery").replaceChildren(...units.map((unit) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "unit-button";
      button.setAttribute("aria-label", `Unit ${unit} of the first layer`);
      const canvas = Object.assign(document.createElement("canvas"), { width: SIDE, height: SIDE });
      paintSigned(canvas, model.incomingWeights(unit));
      button.append(canvas);
      button.addEventListener("click", () => this.chooseUnit(unit));
      return button;
    }));
  }

  paintUnit() {
    const canvas = $("unit-weights");
    const model = this.inside;
    if (this.unit === null || !model) {
      paintSigned(canvas, null);
      canvas.dataset.unit = "";
      $("unit-caption").textContent = "Choose a unit of encoder 1 (or one below) to see its 784 weights.";
      return;
    }
    const weights = model.incomingWeights(this.unit);
    const largest = paintSigned(canvas, weights);
    canvas.dataset.unit = String(this.unit);
    $("unit-caption").textContent = `Unit ${this.unit} of encoder 1: ink on blue pixels raises its sum, ink on red lowers it (largest weight ${largest.toFixed(3)}).`;
  }

  paintStep() {
    const canvas = $("step-effect");
    const model = this.inside;
    if (this.latent === null || !model || !this.code || this.code.length !== model.latentSize) {
      paintSigned(canvas, null);
      canvas.dataset.index = "";
      $("step-caption").textContent = "Choose a number of the code to see what it draws.";
      return;
    }
    const effect = model.codeStepEffect(this.code, this.latent, 1);
    const largest = paintSigned(canvas, effect);
    canvas.dataset.index = String(this.latent);
    canvas.dataset.largest = String(largest);
    $("step-caption").textContent = `z${this.latent} + 1 from your code: blue is ink it adds, red ink it takes away (at most ${largest.toFixed(3)} per pixel).`;
  }
}

/** Paints a layer's row: its units on the strip, each row on its own signed scale, and its
 *  figures. */
function paintRow(row, layer) {
  const strip = row.querySelector("canvas");
  paintSigned(strip, layer.values);
  const units = layer.values.length;
  const figures = row.querySelector(".layer-figures");
  const active = {
    input: `${layer.active} of ${units} pixels inked`,
    output: "every pixel in 0…1",
    code: `${layer.active} of ${units} above 0`,
    logVariance: `${layer.active} of ${units} above 0`,
  }[layer.place] ?? `${layer.active} of ${units} active`;
  figures.textContent = `${active} · largest ${layer.largest.toFixed(2)} (#${layer.largestUnit})`;
  row.dataset.active = String(layer.active);
}

/** Paints signed values, one per pixel of `canvas` (a layer's strip, a 28×28 image), or clears
 *  it; returns the largest magnitude, which sets the scale. */
function paintSigned(canvas, values) {
  const ctx = canvas.getContext("2d");
  if (!values) {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    return 0;
  }
  let scale = 1e-6;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  // Blue for positive, red for negative, white for zero, scaled to the largest magnitude.
  paintPixels(canvas, (i, rgba, at) => {
    const value = values[i];
    const t = Math.min(1, Math.abs(value) / scale);
    const fade = 255 * (1 - t);
    rgba[at] = value >= 0 ? fade : 255 - 38 * t;
    rgba[at + 1] = fade;
    rgba[at + 2] = value >= 0 ? 255 - 55 * t : fade;
  });
  return scale;
}
