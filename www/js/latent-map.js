// The explorer's map: the test digits' codes on a plane (the codes themselves for L = 2; for a
// longer code a PCA projection, or the model's shipped t-SNE map, which keeps neighbours
// together), coloured by digit, the current input as a marker (on PCA's plane a variational
// model's as its code distribution), a click decodes a point, hovering shows the nearest test
// digit. Rust fits, projects, places and decodes; this module paints.

import { LatentPlane } from "../pkg/autoencoder_playground_inference.js";
import { laterModule } from "./model-store.js";
import { $, fetchBytes } from "./shared.js";
import { paintDigit, watchVisibility } from "./views.js";

/** Codes drawn from a variational model's code distribution, shown as a cloud on the map. */
const CLOUD_SIZE = 200;
/** Ten distinguishable colours, one per digit (Tableau 10). */
const LABEL_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

export class LatentMap {
  /** @param {import("./latent-explorer.js").LatentExplorer} explorer the model, the test digits and the input */
  constructor(explorer) {
    this.explorer = explorer;
    this.plane = null; // the LatentPlane, owned here: freed when the next model comes
    this.neighbourMap = null; // the model's t-SNE map (a NeighbourMap, owned here), once chosen
    this.projection = "pca"; // or "tsne", the visitor's choice
    this.codes = null; // the test digits' codes the map shows
    this.points = null;
    this.clicked = null;
    for (const choice of document.querySelectorAll("input[name=map-projection]")) {
      choice.addEventListener("change", () => {
        this.projection = choice.value;
        this.layOut().catch((error) => ($("map-caption").textContent = `The map could not be laid out: ${error.message}`));
      });
    }
    const map = $("latent-map");
    map.addEventListener("click", (event) => this.decodePoint(event));
    map.addEventListener("pointermove", (event) => this.hover(event));
    map.addEventListener("pointerleave", () => ($("map-hover").hidden = true));
    // The canvas's size, kept from the observer: reading it while drawing, after other views
    // changed the page in the same frame, would force a layout of the whole page every frame.
    this.size = null;
    new ResizeObserver(([entry]) => {
      this.size = { width: entry.contentRect.width, height: entry.contentRect.height };
      this.draw();
    }).observe(map);
    this.visible = watchVisibility(map, () => this.draw());
    paintLegend($("map-legend"));
  }

  /** Forgets the previous model's plane and points. */
  clear() {
    this.plane?.free();
    this.neighbourMap?.free();
    this.plane = this.neighbourMap = this.points = this.clicked = this.codes = null;
  }

  /** The model's t-SNE map file (a manifest entry's), or null: plain L = 2 codes need none. */
  get mapFile() {
    const { model, handle } = this.explorer;
    return model && model.latentSize > 2 ? (handle.info.map?.file ?? null) : null;
  }

  /** Whether the map shows the t-SNE layout now. */
  get onNeighbourMap() {
    return this.projection === "tsne" && this.neighbourMap !== null;
  }

  /** Fits the plane to `codes` (the test digits', `Float32Array(n·latentSize)`) and draws them. */
  fit(codes, latentSize) {
    this.clear();
    this.codes = codes;
    this.plane = LatentPlane.fit(codes, latentSize);
    return this.layOut();
  }

  /** Lays the points out as chosen: on PCA's plane, or on the model's t-SNE map (fetched and
   *  placed in Rust, by the later views' module, the first time it is chosen for this model). */
  async layOut() {
    const mapFile = this.mapFile;
    $("map-projection").hidden = !mapFile;
    if (!this.codes) return;
    if (this.projection === "tsne" && mapFile && !this.neighbourMap) {
      const codes = this.codes;
      const [bytes, { NeighbourMap }] = await Promise.all([fetchBytes(`models/${mapFile}`), laterModule()]);
      if (codes !== this.codes) return; // another model came meanwhile
      this.neighbourMap = NeighbourMap.load(bytes, codes, this.explorer.model.latentSize);
    }
    this.points = this.onNeighbourMap ? this.neighbourMap.positions : this.plane.project(this.codes);
    this.clicked = null;
    this.mapRange = rangeOf(this.points);
    this.mapImage = null;
    this.describe();
    this.draw();
  }

  /** The input or the model's weights changed: redraw if on screen (else when it scrolls into view). */
  refresh() {
    if (this.visible()) this.draw();
  }

  describe() {
    const share = Math.round(this.plane.explainedVariance * 100);
    const figures = this.explorer.handle.info.map;
    const percent = (v) => `${Math.round(v * 100)}%`;
    $("latent-map").dataset.projection = this.onNeighbourMap ? "tsne" : "pca";
    $("map-caption").textContent = this.onNeighbourMap
      ? `Each dot is a test digit's ${this.explorer.model.latentSize}-number code, placed by t-SNE so that codes near each other in the code space stay near each other here: of each digit's ${figures.k} nearest dots, ${percent(figures.agreementMap)} are the same digit (${percent(figures.agreementPca)} on PCA's plane, ${percent(figures.agreementCodes)} among the codes themselves). The clusters are real; the distances between them mean little. Your drawing sits among its nearest test codes; click a dot to decode that digit's code.`
      : this.plane.isPca
      ? `Each dot is a test digit's ${this.explorer.model.latentSize}-number code, projected onto its two principal axes (PCA, computed in Rust): the plane shows ${share}% of the codes' variance. Click anywhere to decode that point (the code on the plane through the mean code).`
      : "Each dot is a test digit's 2-number code, drawn as it is: this map is the whole latent space. Click anywhere to decode that exact code.";
    if (this.explorer.model.isVariational) {
      $("map-caption").textContent += " This model is variational: each dot is the mean of a test digit's code distribution.";
    }
    $("latent-map").dataset.points = String(this.points.length / 2);
  }

  /** Canvas position ↔ plane coordinates, with a margin around the points. */
  transform(canvas) {
    const { width, height } = this.size ?? canvas.getBoundingClientRect();
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

  draw() {
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
      for (let i = 0; i < this.explorer.testLabels.length; i++) {
        const [x, y] = toCanvas(this.points[2 * i], this.points[2 * i + 1]);
        ctx.fillStyle = LABEL_COLOURS[this.explorer.testLabels[i]];
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
    const codeFits = this.explorer.code?.length === this.explorer.model.latentSize;
    // On PCA's plane a variational model's code is marked by its distribution (drawn below),
    // a plain one's by a ring.
    const distribution = this.explorer.model.isVariational && this.explorer.input && !this.onNeighbourMap ? this.codeDistributionOnPlane() : null;
    const marker = codeFits ? this.place(this.explorer.code) : null;
    if (marker && !distribution) marks.push([marker, "#16181d", "your digit"]);
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
    if (marker) {
      canvas.dataset.marker = `${marker[0].toFixed(3)},${marker[1].toFixed(3)}`;
    } else {
      delete canvas.dataset.marker;
      delete canvas.dataset.neighbourLabels;
    }
  }

  /** Where `code` goes on the map: its projection on PCA's plane, or on the t-SNE map among its
   *  nearest test codes (whose digits are kept on the canvas, for the tests). */
  place(code) {
    if (!this.onNeighbourMap) return this.plane.project(code);
    const { x, y, neighbours } = this.neighbourMap.place(code);
    $("latent-map").dataset.neighbourLabels = neighbours.map((n) => this.explorer.testLabels[n]).join("");
    return [x, y];
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
    const { mean, logVariance } = this.explorer.model.encodeDistribution(this.explorer.input);
    // A fixed seed: the same standard-normal draws for every drawing, so the cloud moves and
    // stretches with the distribution while you draw instead of flickering.
    const onPlane = this.plane.projectDistribution(mean, logVariance, CLOUD_SIZE, 7);
    return { ...onPlane, sigma: Array.from(logVariance, (v) => Math.exp(0.5 * v)) };
  }

  decodePoint(event) {
    if (!this.points) return;
    const canvas = $("latent-map");
    const rect = canvas.getBoundingClientRect();
    const [x, y] = this.transform(canvas).toPlane(event.clientX - rect.left, event.clientY - rect.top);
    let image;
    if (this.onNeighbourMap) {
      // A t-SNE map has no way back to a code between its dots: the nearest digit's is decoded.
      const nearest = this.neighbourMap.nearestPoint(x, y);
      const size = this.explorer.model.latentSize;
      image = this.explorer.model.decode(this.codes.subarray(nearest * size, (nearest + 1) * size));
      this.clicked = [this.points[2 * nearest], this.points[2 * nearest + 1]];
      $("map-decoded-note").textContent = `Test digit #${this.explorer.testIndices[nearest]} (a ${this.explorer.testLabels[nearest]}), decoded from its code.`;
    } else {
      image = this.explorer.model.decode(this.plane.unproject(x, y));
      this.clicked = [x, y];
      $("map-decoded-note").textContent = `Decoded at (${x.toFixed(2)}, ${y.toFixed(2)}).`;
    }
    paintDigit($("map-decoded"), image);
    $("map-decoded").dataset.sum = image.reduce((a, b) => a + b, 0).toFixed(3);
    this.draw();
  }

  /** Shows the test digit nearest the pointer. */
  hover(event) {
    if (!this.points) return;
    const canvas = $("latent-map");
    const rect = canvas.getBoundingClientRect();
    const { toCanvas } = this.transform(canvas);
    const [mx, my] = [event.clientX - rect.left, event.clientY - rect.top];
    let best = -1;
    let bestDistance = 12 * 12; // within 12 CSS px
    for (let i = 0; i < this.explorer.testLabels.length; i++) {
      const [x, y] = toCanvas(this.points[2 * i], this.points[2 * i + 1]);
      const distance = (x - mx) ** 2 + (y - my) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    }
    const hover = $("map-hover");
    if (best < 0) {
      hover.hidden = true;
      return;
    }
    paintDigit(hover.querySelector("canvas"), this.explorer.dataset.image(this.explorer.testIndices[best]));
    hover.querySelector("span").textContent = `a ${this.explorer.testLabels[best]} (#${this.explorer.testIndices[best]})`;
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

/** The map's legend: a swatch per digit in the map's colours. */
function paintLegend(legend) {
  legend.replaceChildren(...LABEL_COLOURS.map((colour, digit) => {
    const item = document.createElement("span");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colour; // a style property, which the page's CSP allows (an attribute it would not)
    item.append(swatch, ` ${digit}`);
    return item;
  }));
}
