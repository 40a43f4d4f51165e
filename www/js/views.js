// Small renderers for the page's views (they only paint numbers they are given), and helpers
// the panels share: visibility tracking, a sliced pass over the test digits, and how the page
// words a percentile.

import { PIXELS, SIDE } from "./shared.js";

/** Each canvas's ImageData, kept: the views repaint on every frame while the visitor draws. */
const images = new WeakMap();

/**
 * Paints every pixel of `canvas`: `colour(i, rgba, at)` writes pixel i's red, green and blue
 * (0…255) at `rgba[at]`, `rgba[at + 1]` and `rgba[at + 2]`; pixels are opaque.
 */
export function paintPixels(canvas, colour) {
  const ctx = canvas.getContext("2d");
  let image = images.get(canvas);
  if (image?.width !== canvas.width || image.height !== canvas.height) {
    image = ctx.createImageData(canvas.width, canvas.height);
    images.set(canvas, image);
  }
  const rgba = image.data;
  for (let i = 0, at = 0; at < rgba.length; i++, at += 4) {
    colour(i, rgba, at);
    rgba[at + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** Writes a grey `shade` (0…255) at `rgba[at…]`. */
export function grey(rgba, at, shade) {
  rgba[at] = rgba[at + 1] = rgba[at + 2] = shade;
}

/** Paints 784 values (0…1, 1 = ink) on a 28×28 canvas as dark ink on paper. */
export function paintDigit(canvas, pixels) {
  paintPixels(canvas, (i, rgba, at) => grey(rgba, at, pixels ? 255 * (1 - pixels[i]) : 255));
}

/**
 * Paints `output - input` per pixel: red where the reconstruction lost ink, blue where it
 * added ink, white where they agree.
 */
export function paintDifference(canvas, input, output) {
  paintPixels(canvas, (i, rgba, at) => {
    const difference = input && output ? output[i] - input[i] : 0;
    // A square root lifts small differences into view; the sign and place are what matter.
    const fade = 255 * (1 - Math.sqrt(Math.min(1, Math.abs(difference))));
    rgba[at] = difference < 0 ? 255 : fade;
    rgba[at + 1] = fade;
    rgba[at + 2] = difference < 0 ? fade : 255;
  });
}

/**
 * Draws the network as an hourglass: one bar per stage, its height growing with the square
 * root of the stage's size (an area-like scale), so the bottleneck stands out at any L. With
 * `variational`, the code is two bars side by side: the encoder's mean and spread heads.
 */
export function drawNetwork(svg, sizes, { variational = false } = {}) {
  const width = 640;
  const height = 150;
  const columnWidth = width / sizes.length;
  const barHeight = (size) => 6 + Math.sqrt(size / Math.max(...sizes)) * 104;
  const middle = Math.floor(sizes.length / 2); // the networks are mirror images around the code
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const add = (name, attributes, text) => {
    const element = document.createElementNS("http://www.w3.org/2000/svg", name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    if (text !== undefined) element.textContent = text;
    svg.append(element);
    return element;
  };
  sizes.forEach((size, i) => {
    const h = barHeight(size);
    const x = i * columnWidth + columnWidth * 0.22;
    const role = i === middle ? "code" : i < middle ? "encoder" : "decoder";
    if (i === middle && variational) {
      for (const offset of [-0.05, 0.33]) {
        add("rect", { x: i * columnWidth + columnWidth * (0.22 + offset + 0.05), y: 62 - h / 2, width: columnWidth * 0.24, height: h, rx: 3, class: `stage-bar ${role}` });
      }
      add("text", { x: x + columnWidth * 0.28, y: 134, class: "stage-size" }, `${size}+${size}`);
      return;
    }
    add("rect", { x, y: 62 - h / 2, width: columnWidth * 0.56, height: h, rx: 4, class: `stage-bar ${role}` });
    add("text", { x: x + columnWidth * 0.28, y: 134, class: "stage-size" }, String(size));
  });
  const label = (text, from, to) =>
    add("text", { x: ((from + to + 1) / 2) * columnWidth, y: 148, class: "stage-label" }, text);
  label("encoder", 0, middle - 1);
  label(variational ? `code distribution (L=${sizes[middle]})` : `latent (L=${sizes[middle]})`, middle, middle);
  label("decoder", middle + 1, sizes.length - 1);
}

/**
 * Shows the latent vector as one bar per dimension, each with its value in `data-value`.
 * The scale is set per model from real digits' codes (see `setScale`) and only grows, so a bar
 * means the same length from one drawing to the next.
 */
export class LatentView {
  constructor(container) {
    this.container = container;
    this.scale = 1;
  }

  /** Rebuilds the bars for a model with `size` dimensions. */
  reset(size) {
    this.scale = 1;
    this.container.replaceChildren();
    this.container.style.setProperty("--dims", size);
    this.container.classList.toggle("dense", size > 32);
    this.bars = Array.from({ length: size }, (_, i) => {
      const row = document.createElement("div");
      row.className = "latent-dim";
      row.setAttribute("role", "listitem");
      row.innerHTML = `<span class="index">z${i}</span><span class="track"><span class="bar"></span></span><span class="value"></span>`;
      this.container.append(row);
      return { row, bar: row.querySelector(".bar"), value: row.querySelector(".value") };
    });
    this.show(null);
  }

  /** Sets the value that fills half a track (the largest |value| expected). */
  setScale(scale) {
    if (scale > 0 && Number.isFinite(scale)) this.scale = scale;
  }

  /** Shows `code` (a Float32Array), or an empty state for `null`. */
  show(code) {
    if (code) {
      const largest = code.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      this.scale = Math.max(this.scale, largest);
    }
    this.bars.forEach((dimension, i) => {
      const value = code ? code[i] : 0;
      dimension.row.dataset.value = code ? String(value) : "";
      const fraction = Math.min(1, Math.abs(value) / this.scale);
      const { bar } = dimension;
      bar.style.width = `${fraction * 50}%`;
      bar.style.left = value < 0 ? `${50 - fraction * 50}%` : "50%";
      bar.classList.toggle("negative", value < 0);
      dimension.value.textContent = code ? value.toFixed(2) : "–";
    });
  }
}

/**
 * Draws `lines` on `canvas` on shared axes, fitted to its CSS size and the screen's pixel
 * density, with the y range labelled and, for more than one line, a legend. Each line:
 * `{points: [x, y][], label, color, dots, dashed, ranges}`; `ranges` (`[low, high]` per point)
 * draws a bar through each point, its spread. `highlight` rings a point of the first
 * line; `emptyText` shows when no line has points; `legendAt` ("top" or "bottom") puts the
 * legend in that right-hand corner.
 */
export function drawLineChart(canvas, lines, { emptyText = "", format = (v) => v.toFixed(3), xTicks = [], highlight = -1, legendAt = "top" } = {}) {
  const scale = window.devicePixelRatio || 1;
  const { width, height } = canvas.getBoundingClientRect();
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext("2d");
  ctx.scale(scale, scale);
  ctx.clearRect(0, 0, width, height);
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#5b6170";
  const drawn = lines.filter((line) => line.points.length > 0);
  // What is on the chart, for the end-to-end tests: the first line's points, every line's label.
  canvas.dataset.points = String(drawn[0]?.points.length ?? 0);
  canvas.dataset.lines = drawn.map((line) => line.label ?? "").join("|");
  if (drawn.length === 0) {
    ctx.textAlign = "center";
    ctx.fillText(emptyText, width / 2, height / 2);
    return;
  }
  const pad = { left: 48, right: xTicks.length ? 24 : 12, top: 12, bottom: xTicks.length ? 22 : 16 };
  const xs = drawn.flatMap((line) => line.points.map(([x]) => x));
  const ys = drawn.flatMap((line) => [...line.points.map(([, y]) => y), ...(line.ranges ?? []).flat()]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.5 * Math.abs(y0 || 1), y1 + 0.5 * Math.abs(y1 || 1)];
  const px = (x) => pad.left + ((x - x0) / (x1 - x0)) * (width - pad.left - pad.right);
  const py = (y) => pad.top + (1 - (y - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);

  ctx.strokeStyle = "#d9dce3";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad.left, pad.top);
  ctx.lineTo(pad.left, height - pad.bottom);
  ctx.lineTo(width - pad.right, height - pad.bottom);
  ctx.stroke();
  ctx.textAlign = "right";
  ctx.fillText(format(y1), pad.left - 4, pad.top + 8);
  ctx.fillText(format(y0), pad.left - 4, height - pad.bottom);

  for (const { points, color = "#2f5bea", dots = false, dashed = false, ranges = [] } of drawn) {
    ctx.strokeStyle = ctx.fillStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash(dashed ? [5, 4] : []);
    ctx.beginPath();
    points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(px(x), py(y)) : ctx.lineTo(px(x), py(y))));
    ctx.stroke();
    ctx.setLineDash([]);
    ranges.forEach(([low, high], i) => {
      const x = px(points[i][0]);
      ctx.beginPath();
      ctx.moveTo(x, py(low));
      ctx.lineTo(x, py(high));
      ctx.stroke();
    });
    if (dots) {
      for (const [x, y] of points) {
        ctx.beginPath();
        ctx.arc(px(x), py(y), 3, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  }
  const highlighted = drawn[0].points[highlight];
  if (highlighted) {
    const [x, y] = highlighted;
    ctx.strokeStyle = "#16181d";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(px(x), py(y), 7, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.fillStyle = "#5b6170";
  ctx.textAlign = "center";
  for (const [x, label] of xTicks) ctx.fillText(label, px(x), height - 6);
  // A legend in the top or bottom right corner (`legendAt`: where the lines are not), once
  // there is more than one line.
  if (drawn.length > 1) {
    ctx.textAlign = "right";
    const first = legendAt === "top" ? pad.top + 6 : height - pad.bottom - 8 - 14 * (drawn.length - 1);
    drawn.forEach(({ label = "", color = "#2f5bea" }, i) => {
      const y = first + 14 * i;
      ctx.fillStyle = color;
      ctx.fillRect(width - pad.right - 10, y - 4, 10, 3);
      ctx.fillStyle = "#5b6170";
      ctx.fillText(label, width - pad.right - 14, y);
    });
  }
}

/**
 * Tracks whether `element` is on screen; `onShow` runs each time it scrolls into view. Panels
 * below the fold use it to skip work while a person draws, and catch up when they are seen.
 * Returns a function that tells whether the element is visible now.
 */
export function watchVisibility(element, onShow) {
  let visible = false;
  new IntersectionObserver((entries) => {
    const now = entries.some((entry) => entry.isIntersecting);
    if (now && !visible) {
      visible = true;
      onShow();
    }
    visible = now;
  }).observe(element);
  return () => visible;
}

/** Runs `load` once, when `element` first comes into view: for work and downloads that are no
 *  part of the first view. */
export function whenFirstSeen(element, load) {
  new IntersectionObserver((seen, observer) => {
    if (!seen.some((s) => s.isIntersecting)) return;
    observer.disconnect();
    load();
  }).observe(element);
}

/** `overTestDigits` works through test digits this many at a time, for up to a frame's worth
 *  of milliseconds, and then lets the page paint. */
const TEST_SLICE = 10;
const WORK_PER_FRAME_MS = 12;

/**
 * Runs `work(images)` over the data file's test digits a slice at a time, yielding to the page
 * between frames; `work` returns `width` numbers per digit. Resolves to all of them in one
 * Float32Array, or to null once `stillWanted()` is false (another model took over meanwhile).
 */
export async function overTestDigits(dataset, width, work, stillWanted) {
  const test = dataset.testIndices();
  const results = new Float32Array(test.length * width);
  let start = 0;
  while (start < test.length) {
    const began = performance.now();
    do {
      const indices = test.slice(start, start + TEST_SLICE);
      results.set(work(dataset.images(indices)), start * width);
      start += TEST_SLICE;
    } while (start < test.length && performance.now() - began < WORK_PER_FRAME_MS);
    await new Promise((resolve) => setTimeout(resolve));
    if (!stillWanted()) return null;
  }
  return results;
}

/** "99th", "81st", "97.5th": a percentile as the page words it. */
export function ordinal(value) {
  if (!Number.isInteger(value)) return `${value}th`;
  const teen = value % 100 >= 11 && value % 100 <= 13;
  return `${value}${teen ? "th" : { 1: "st", 2: "nd", 3: "rd" }[value % 10] ?? "th"}`;
}
