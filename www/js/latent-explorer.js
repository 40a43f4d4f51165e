// The latent-space explorer: sliders that drive the decoder, interpolation between two
// digits (in latent space and, for contrast, in pixel space), and a 2-D map of the test
// digits' codes. Every number it shows comes from Rust (encode, decode, PCA, interpolation);
// this module only wires controls and paints.

import { LatentPlane, interpolate, latentSpread } from "../pkg/autoencoder_playground_inference.js";
import { $, PIXELS, SIDE } from "./shared.js";
import { overTestDigits, paintDigit, watchVisibility } from "./views.js";

/** Sliders shown before "show all": the dimensions that vary most over the test set. */
const FIRST_SLIDERS = 8;
const STRIP_FRAMES = 9;
const MORPH_FRAMES = 48;
/** Ten distinguishable colours, one per digit (Tableau 10). */
export const LABEL_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

export class LatentExplorer {
  constructor() {
    this.model = null;
    this.dataset = null;
    this.input = null; // the current 28×28 input, or null
    this.code = null; // its code
    this.sliderCode = null;
    this.showAll = false;
    this.ends = { a: null, b: null }; // interpolation end images
    this.morph = { frames: [], index: 0, direction: 1, playing: true, last: 0 };

    $("sliders-reset").addEventListener("click", () => this.resetSliders());
    $("sliders-all").addEventListener("click", () => {
      this.showAll = !this.showAll;
      this.buildSliders();
    });
    $("interp-set-a").addEventListener("click", () => this.setEnd("a", this.input));
    $("interp-set-b").addEventListener("click", () => this.setEnd("b", this.input));
    $("morph-toggle").addEventListener("click", () => {
      this.morph.playing = !this.morph.playing;
      $("morph-toggle").textContent = this.morph.playing ? "Pause" : "Play";
    });
    const map = $("latent-map");
    map.addEventListener("click", (event) => this.decodeMapPoint(event));
    map.addEventListener("pointermove", (event) => this.hoverMap(event));
    map.addEventListener("pointerleave", () => ($("map-hover").hidden = true));
    new ResizeObserver(() => this.drawMap()).observe(map);
    this.slidersVisible = watchVisibility($("sliders").closest(".panel"), () => this.resetSliders());
    this.mapVisible = watchVisibility(map, () => this.drawMap());
    requestAnimationFrame((time) => this.animate(time));
  }

  /** A new model (or the data file arriving): re-encode the test set, refit everything. */
  async setModel(model, dataset) {
    this.model = model;
    this.dataset = dataset;
    // Everything fitted to the previous model goes at once, so nothing mixes the two.
    this.spread = this.points = this.sliderCode = this.clicked = null;
    this.plane?.free();
    this.plane = null;
    const generation = (this.generation = (this.generation ?? 0) + 1);
    if (!model || !dataset) return;
    this.fitting = true;
    $("map-caption").textContent = "Encoding the test digits…";
    const codes = await overTestDigits(dataset, model.latentSize, (images) => model.encodeMany(images),
      () => generation === this.generation);
    if (!codes) return;
    this.fitting = false;
    const testIndices = dataset.testIndices();
    this.testIndices = testIndices;
    this.testLabels = Array.from(testIndices, (i) => dataset.label(i));
    this.spread = latentSpread(codes, model.latentSize);
    this.plane = LatentPlane.fit(codes, model.latentSize);
    this.points = this.plane.project(codes);
    this.mapRange = rangeOf(this.points);
    this.mapImage = null;
    this.buildSliders();
    this.resetSliders();
    if (!this.ends.a) this.setDefaultEnds();
    this.updateInterpolation();
    this.describeMap();
    this.drawMap();
  }

  /**
   * The same kind of model with new weights (one being trained): keep the fitted map and
   * spread, which change slowly, and decode with the new weights. A fit still running is
   * restarted, since it would otherwise go on with the old weights.
   */
  async retarget(model) {
    if (this.fitting || !this.spread) return this.setModel(model, this.dataset);
    this.model = model;
    this.updateInterpolation();
    if (this.slidersVisible()) this.resetSliders();
    if (this.mapVisible()) this.drawMap();
  }

  /** The current input changed (drawing, gallery digit, or cleared). */
  setInput(input, code) {
    this.input = input;
    this.code = code;
    $("interp-set-a").disabled = $("interp-set-b").disabled = !input;
    // Off-screen views catch up when they scroll into view (see watchVisibility).
    if (this.slidersVisible()) this.resetSliders();
    if (this.mapVisible()) this.drawMap();
  }

  // --- Sliders -------------------------------------------------------------------------

  buildSliders() {
    if (!this.spread) return;
    const { mean, deviation } = this.spread;
    const order = deviation.map((d, i) => [d, i]).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
    const shown = this.showAll ? order : order.slice(0, FIRST_SLIDERS);
    $("sliders-all").hidden = order.length <= FIRST_SLIDERS;
    $("sliders-all").textContent = this.showAll ? `Show the ${FIRST_SLIDERS} that vary most` : `Show all ${order.length}`;
    $("sliders").replaceChildren(...shown.map((dim) => {
      const row = document.createElement("label");
      row.className = "slider";
      const spread = 3 * Math.max(deviation[dim], 1e-3);
      row.innerHTML = `<span class="index">z${dim}</span><input type="range"><output></output>`;
      const input = row.querySelector("input");
      Object.assign(input, { min: mean[dim] - spread, max: mean[dim] + spread, step: spread / 150 });
      input.dataset.dim = dim;
      input.setAttribute("aria-label", `Latent dimension ${dim}`);
      input.addEventListener("input", () => {
        this.sliderCode[dim] = Number(input.value);
        this.showSliderCode();
      });
      return row;
    }));
    this.showSliderCode();
  }

  /** Back to the current input's code, or the mean code when there is none. */
  resetSliders() {
    if (!this.spread) return;
    const codeFits = this.code?.length === this.model.latentSize;
    this.sliderCode = Float32Array.from(codeFits ? this.code : this.spread.mean);
    this.showSliderCode();
  }

  showSliderCode() {
    if (!this.sliderCode || !this.model) return;
    for (const input of $("sliders").querySelectorAll("input")) {
      const value = this.sliderCode[Number(input.dataset.dim)];
      input.value = value;
      input.nextElementSibling.textContent = value.toFixed(2);
    }
    const image = this.model.decode(this.sliderCode);
    paintDigit($("slider-decoded"), image);
    $("slider-decoded").dataset.sum = image.reduce((a, b) => a + b, 0).toFixed(3);
    $("sliders-note").textContent = this.code
      ? "Starting from your digit's code. Move a slider to change one number and decode."
      : "Starting from the average code of the test digits. Draw to start from yours.";
  }

  // --- Interpolation -------------------------------------------------------------------

  setDefaultEnds() {
    const firstOf = (label) => this.testIndices[this.testLabels.indexOf(label)];
    this.ends.a = this.dataset.image(firstOf(3));
    this.ends.b = this.dataset.image(firstOf(8));
  }

  setEnd(which, image) {
    if (!image) return;
    this.ends[which] = Float32Array.from(image);
    this.updateInterpolation();
  }

  updateInterpolation() {
    const { a, b } = this.ends;
    if (!a || !b || !this.spread) return;
    paintDigit($("interp-a"), a);
    paintDigit($("interp-b"), b);
    const [codeA, codeB] = [this.model.encode(a), this.model.encode(b)];
    const latentFrames = frames(interpolate(codeA, codeB, STRIP_FRAMES), this.model.latentSize)
      .map((code) => this.model.decode(code));
    const pixelFrames = frames(interpolate(a, b, STRIP_FRAMES), PIXELS);
    paintStrip($("interp-latent"), latentFrames);
    paintStrip($("interp-pixels"), pixelFrames);
    this.morph.frames = frames(interpolate(codeA, codeB, MORPH_FRAMES), this.model.latentSize)
      .map((code) => this.model.decode(code));
    this.morph.index = 0;
  }

  animate(time) {
    const morph = this.morph;
    if (morph.playing && morph.frames.length && time - morph.last > 40) {
      morph.last = time;
      paintDigit($("interp-morph"), morph.frames[morph.index]);
      // Back and forth, pausing briefly at each end.
      morph.index += morph.direction;
      if (morph.index >= morph.frames.length - 1 || morph.index <= 0) {
        morph.direction = -morph.direction;
        morph.last = time + 500;
      }
    }
    requestAnimationFrame((t) => this.animate(t));
  }

  // --- Map -----------------------------------------------------------------------------

  describeMap() {
    const share = Math.round(this.plane.explainedVariance * 100);
    $("map-caption").textContent = this.plane.isPca
      ? `Each dot is a test digit's ${this.model.latentSize}-number code, projected onto its two principal axes (PCA, computed in Rust): the plane shows ${share}% of the codes' variance. Click anywhere to decode that point (the code on the plane through the mean code).`
      : "Each dot is a test digit's 2-number code, drawn as it is: this map is the whole latent space. Click anywhere to decode that exact code.";
    $("latent-map").dataset.points = String(this.points.length / 2);
  }

  /** Canvas position ↔ plane coordinates, with a margin around the points. */
  transform(canvas) {
    const { width, height } = canvas.getBoundingClientRect();
    const { minX, maxX, minY, maxY } = this.mapRange;
    const margin = 12;
    const sx = (width - 2 * margin) / (maxX - minX);
    const sy = (height - 2 * margin) / (maxY - minY);
    return {
      width, height,
      toCanvas: (x, y) => [margin + (x - minX) * sx, height - margin - (y - minY) * sy],
      toPlane: (cx, cy) => [minX + (cx - margin) / sx, minY + (height - margin - cy) / sy],
    };
  }

  drawMap() {
    const canvas = $("latent-map");
    if (!this.points) return;
    const scale = window.devicePixelRatio || 1;
    const { width, height, toCanvas } = this.transform(canvas);
    if (canvas.width !== Math.round(width * scale) || !this.mapImage) {
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      // The dots are drawn once per model and size; the marker is drawn over a copy.
      const dots = new OffscreenCanvas(canvas.width, canvas.height);
      const ctx = dots.getContext("2d");
      ctx.scale(scale, scale);
      ctx.globalAlpha = 0.7;
      for (let i = 0; i < this.testLabels.length; i++) {
        const [x, y] = toCanvas(this.points[2 * i], this.points[2 * i + 1]);
        ctx.fillStyle = LABEL_COLOURS[this.testLabels[i]];
        ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
      }
      this.mapImage = dots;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(this.mapImage, 0, 0);
    ctx.scale(scale, scale);
    const marks = [];
    const codeFits = this.code?.length === this.model.latentSize;
    if (codeFits) marks.push([this.plane.project(this.code), "#16181d", "your digit"]);
    if (this.clicked) marks.push([this.clicked, "#2f5bea", "decoded point"]);
    for (const [[px, py], colour] of marks) {
      const [x, y] = toCanvas(px, py);
      ctx.strokeStyle = "white";
      ctx.lineWidth = 5;
      ctx.beginPath();
      ctx.arc(x, y, 8, 0, Math.PI * 2);
      ctx.stroke();
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2.5;
      ctx.stroke();
    }
    if (codeFits) {
      const [x, y] = this.plane.project(this.code);
      canvas.dataset.marker = `${x.toFixed(3)},${y.toFixed(3)}`;
    } else {
      delete canvas.dataset.marker;
    }
  }

  decodeMapPoint(event) {
    if (!this.points) return;
    const canvas = $("latent-map");
    const rect = canvas.getBoundingClientRect();
    const [x, y] = this.transform(canvas).toPlane(event.clientX - rect.left, event.clientY - rect.top);
    this.clicked = [x, y];
    const image = this.model.decode(this.plane.unproject(x, y));
    paintDigit($("map-decoded"), image);
    $("map-decoded").dataset.sum = image.reduce((a, b) => a + b, 0).toFixed(3);
    $("map-decoded-note").textContent = `Decoded at (${x.toFixed(2)}, ${y.toFixed(2)}).`;
    this.drawMap();
  }

  /** Shows the test digit nearest the pointer. */
  hoverMap(event) {
    if (!this.points) return;
    const canvas = $("latent-map");
    const rect = canvas.getBoundingClientRect();
    const { toCanvas } = this.transform(canvas);
    const [mx, my] = [event.clientX - rect.left, event.clientY - rect.top];
    let best = -1;
    let bestDistance = 12 * 12; // within 12 CSS px
    for (let i = 0; i < this.testLabels.length; i++) {
      const [x, y] = toCanvas(this.points[2 * i], this.points[2 * i + 1]);
      const distance = (x - mx) ** 2 + (y - my) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    }
    const hover = $("map-hover");
    if (best < 0) {
      hover.hidden = true;
      return;
    }
    paintDigit(hover.querySelector("canvas"), this.dataset.image(this.testIndices[best]));
    hover.querySelector("span").textContent = `a ${this.testLabels[best]} (#${this.testIndices[best]})`;
    hover.style.left = `${Math.min(mx + 14, rect.width - 80)}px`;
    hover.style.top = `${Math.max(my - 70, 0)}px`;
    hover.hidden = false;
  }
}

/** Splits a concatenated Float32Array into `length`-sized rows. */
function frames(values, length) {
  return Array.from({ length: values.length / length }, (_, i) => values.subarray(i * length, (i + 1) * length));
}

function paintStrip(container, images) {
  if (container.children.length !== images.length) {
    container.replaceChildren(...images.map(() => Object.assign(document.createElement("canvas"), { width: SIDE, height: SIDE })));
  }
  images.forEach((image, i) => paintDigit(container.children[i], image));
}

function rangeOf(points) {
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < points.length; i += 2) {
    minX = Math.min(minX, points[i]);
    maxX = Math.max(maxX, points[i]);
    minY = Math.min(minY, points[i + 1]);
    maxY = Math.max(maxY, points[i + 1]);
  }
  const padX = (maxX - minX) * 0.05 || 1;
  const padY = (maxY - minY) * 0.05 || 1;
  return { minX: minX - padX, maxX: maxX + padX, minY: minY - padY, maxY: maxY + padY };
}
