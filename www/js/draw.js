// A drawing pad on a canvas: Pointer Events (mouse, pen, touch), smooth round strokes that are
// kept as point lists so that undo can redraw the rest. Knows nothing of the model.

import { SIDE } from "./shared.js";
import { onGrid } from "./share-link.js";

/** Stroke width in CSS pixels: on a 280 px pad this gives MNIST-like strokes after the
 *  drawing is scaled into MNIST's 20 px box. */
const STROKE_WIDTH = 26;

export class DrawingPad {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {() => void} onChange called after every change of the drawing
   */
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.strokes = [];
    this.current = null;
    this.background = null;
    this.context = canvas.getContext("2d", { willReadFrequently: true });
    this.resize();
    new ResizeObserver(() => this.resize()).observe(canvas);

    canvas.addEventListener("pointerdown", (event) => this.begin(event));
    canvas.addEventListener("pointermove", (event) => this.extend(event));
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
      canvas.addEventListener(type, () => this.end());
    }
  }

  /** Matches the backing store to the displayed size and the screen's pixel density. */
  resize() {
    const scale = window.devicePixelRatio || 1;
    const { width, height } = this.canvas.getBoundingClientRect();
    const pixelWidth = Math.max(1, Math.round(width * scale));
    const pixelHeight = Math.max(1, Math.round(height * scale));
    if (this.canvas.width === pixelWidth && this.canvas.height === pixelHeight) return;
    this.canvas.width = pixelWidth;
    this.canvas.height = pixelHeight;
    this.redraw();
  }

  get isEmpty() {
    return this.strokes.length === 0 && !this.background;
  }

  /** Replaces the drawing with a 28×28 image (784 values, 1 = ink) to draw over. */
  showImage(pixels) {
    const small = document.createElement("canvas");
    small.width = small.height = SIDE;
    const image = small.getContext("2d").createImageData(SIDE, SIDE);
    pixels.forEach((value, i) => {
      image.data[i * 4 + 3] = Math.round(value * 255);
    });
    small.getContext("2d").putImageData(image, 0, 0);
    this.background = small;
    this.strokes = [];
    this.current = null;
    this.redraw();
  }

  /** Replaces the drawing with `strokes` (point lists in 0…1 of the pad, as `strokes` holds). */
  setStrokes(strokes) {
    this.strokes = strokes.map((stroke) => stroke.map(({ x, y }) => ({ x, y })));
    this.background = null;
    this.current = null;
    this.redraw();
    this.onChange();
  }

  clear() {
    this.strokes = [];
    this.background = null;
    this.current = null;
    this.redraw();
    this.onChange();
  }

  undo() {
    if (this.strokes.length === 0) return;
    this.strokes.pop();
    this.current = null;
    this.redraw();
    this.onChange();
  }

  /** The drawing's pixels: ink is in the alpha channel. */
  pixels() {
    const { width, height } = this.canvas;
    return { rgba: this.context.getImageData(0, 0, width, height).data, width, height };
  }

  begin(event) {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    event.preventDefault();
    try {
      this.canvas.setPointerCapture(event.pointerId);
    } catch {
      // A pointer the browser no longer tracks (or a synthetic one): draw without capture.
    }
    this.current = [this.toPoint(event)];
    this.strokes.push(this.current);
    this.paintSegment(this.current, 0);
    this.onChange();
  }

  extend(event) {
    if (!this.current) return;
    event.preventDefault();
    // Coalesced events keep fast strokes smooth where the browser batches pointer moves.
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      this.current.push(this.toPoint(e));
      this.paintSegment(this.current, this.current.length - 1);
    }
    this.onChange();
  }

  end() {
    this.current = null;
  }

  /** Points are kept in 0…1 of the pad, so strokes survive a resize, and on a link's grid (steps of
   *  under a tenth of a pixel), so a link holds them exactly. */
  toPoint(event) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: onGrid((event.clientX - rect.left) / rect.width),
      y: onGrid((event.clientY - rect.top) / rect.height),
    };
  }

  setupPen() {
    const ctx = this.context;
    const rect = this.canvas.getBoundingClientRect();
    ctx.lineWidth = (STROKE_WIDTH * this.canvas.width) / Math.max(1, rect.width || 280);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";
    ctx.fillStyle = "#111";
    return ctx;
  }

  /** Paints the segment ending at `points[index]` (a dot for the first point). */
  paintSegment(points, index) {
    const ctx = this.setupPen();
    const { width, height } = this.canvas;
    const point = points[index];
    if (index === 0) {
      ctx.beginPath();
      ctx.arc(point.x * width, point.y * height, ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fill();
      return;
    }
    const previous = points[index - 1];
    ctx.beginPath();
    ctx.moveTo(previous.x * width, previous.y * height);
    ctx.lineTo(point.x * width, point.y * height);
    ctx.stroke();
  }

  redraw() {
    const { width, height } = this.canvas;
    this.context.clearRect(0, 0, width, height);
    if (this.background) {
      // The 28×28 image fills the pad as MNIST fills its frame; smoothing keeps it soft.
      this.context.imageSmoothingEnabled = true;
      this.context.drawImage(this.background, 0, 0, width, height);
    }
    for (const stroke of this.strokes) {
      stroke.forEach((_, index) => this.paintSegment(stroke, index));
    }
  }
}
