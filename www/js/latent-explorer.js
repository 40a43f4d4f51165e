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
/** Codes drawn from a variational model's code distribution, shown as a cloud on the map. */
const CLOUD_SIZE = 200;
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
    if (this.model.isVariational) {
      $("map-caption").textContent += " This model is variational: each dot is the mean of a test digit's code distribution.";
    }
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
    // A variational model's code is marked by its distribution (drawn below), a plain one's
    // by a ring.
    const distribution = this.model.isVariational && this.input ? this.codeDistributionOnPlane() : null;
    if (codeFits && !distribution) marks.push([this.plane.project(this.code), "#16181d", "your digit"]);
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
    this.drawCodeDistribution(ctx, toCanvas, distribution);
    if (codeFits) {
      const [x, y] = this.plane.project(this.code);
      canvas.dataset.marker = `${x.toFixed(3)},${y.toFixed(3)}`;
    } else {
      delete canvas.dataset.marker;
    }
  }

  /**
   * A variational model encodes the drawing as a distribution, N(mean, exp(logVariance)), not
   * a point: drawn on the map as a faint cloud of codes drawn from it, with the rings that hold
   * about 39 % and 86 % of them (1 and 2 standard deviations on the plane), and said in words
   * under the map. Plain models have a point, the marker alone.
   */
  drawCodeDistribution(ctx, toCanvas, distribution) {
    const readout = $("map-distribution");
    if (!distribution) {
      readout.hidden = true;
      delete $("latent-map").dataset.cloud;
      return;
    }
    const { cloud, mean, covariance, sigma } = distribution;
    ctx.fillStyle = "rgb(22 24 29 / 0.45)";
    for (let i = 0; i < cloud.length; i += 2) {
      const [x, y] = toCanvas(cloud[i], cloud[i + 1]);
      ctx.beginPath();
      ctx.arc(x, y, 1.3, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.strokeStyle = "#16181d";
    ctx.lineWidth = 1.5;
    for (const [k, dash] of [[1, []], [2, [4, 3]]]) {
      ctx.setLineDash(dash);
      ctx.beginPath();
      ellipsePoints(mean, covariance, k).forEach(([px, py], i) => {
        const [x, y] = toCanvas(px, py);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.stroke();
    }
    ctx.setLineDash([]);
    // The mean, which the drawing is rebuilt from: a dot with a white rim.
    const [cx, cy] = toCanvas(...mean);
    ctx.beginPath();
    ctx.arc(cx, cy, 3.5, 0, Math.PI * 2);
    ctx.fillStyle = "#16181d";
    ctx.fill();
    ctx.strokeStyle = "white";
    ctx.lineWidth = 1.5;
    ctx.stroke();
    $("latent-map").dataset.cloud = String(cloud.length / 2);
    const [sx, sy] = [Math.sqrt(covariance[0]), Math.sqrt(covariance[2])];
    // "−1.19 ± 0.10" as one unbreakable piece, with a true minus sign.
    const spell = (m, s) => `${m < 0 ? "−" : ""}${Math.abs(m).toFixed(2)}\u00a0±\u00a0${s.toFixed(2)}`;
    const range = `${Math.min(...sigma).toFixed(2)} to ${Math.max(...sigma).toFixed(2)}`;
    readout.textContent =
      `Your digit's code is a distribution, not a point: each of its ${sigma.length} numbers has a mean and a spread ` +
      `(σ from ${range}). On this map: x\u00a0${spell(mean[0], sx)}, y\u00a0${spell(mean[1], sy)} ` +
      `(mean ± σ). The grey cloud is ${cloud.length / 2} codes drawn from it; the rings hold about 39 % and 86 % of them. ` +
      "Each would decode to a slightly different digit; the reconstruction decodes the mean.";
    readout.dataset.spreadX = String(sx);
    readout.dataset.spreadY = String(sy);
    readout.hidden = false;
  }

  /** The drawing's code distribution on the map's plane (Rust's `projectDistribution`):
   *  `cloud` (CLOUD_SIZE codes drawn from it, projected), its `mean` and `covariance`
   *  ([xx, xy, yy]) there, and `sigma`, the standard deviation of each latent number. */
  codeDistributionOnPlane() {
    const view = this.model.encodeDistribution(this.input);
    const [mean, logVariance] = [view.mean, view.logVariance];
    view.free();
    // A fixed seed: the same standard-normal draws for every drawing, so the cloud moves and
    // stretches with the distribution while you draw instead of flickering.
    const onPlane = this.plane.projectDistribution(mean, logVariance, CLOUD_SIZE, 7);
    return { ...onPlane, sigma: Array.from(logVariance, (v) => Math.exp(0.5 * v)) };
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

/** Points of the ellipse `k` standard deviations out from `mean`, for a 2×2 covariance given as
 *  [xx, xy, yy]: along its principal axes, with radii k·√eigenvalue. */
function ellipsePoints([mx, my], [a, b, c], k, count = 48) {
  const half = (a - c) / 2;
  const root = Math.sqrt(half * half + b * b);
  const [major, minor] = [Math.sqrt(Math.max((a + c) / 2 + root, 0)), Math.sqrt(Math.max((a + c) / 2 - root, 0))];
  const angle = 0.5 * Math.atan2(2 * b, a - c);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  return Array.from({ length: count + 1 }, (_, i) => {
    const t = (2 * Math.PI * i) / count;
    const [u, v] = [k * major * Math.cos(t), k * minor * Math.sin(t)];
    return [mx + u * cos - v * sin, my + u * sin + v * cos];
  });
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
