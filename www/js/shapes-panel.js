// "Teach it a new shape": the visitor's collection of examples of one shape (drawn on the
// section's pad, or pictures from image files, each converted like a drawing by Rust), kept in
// IndexedDB, exported and imported as a file; how the drawing model rebuilds each example and
// where it ranks on the anomaly gauge; and the teaching itself (shape-teacher.js). The section's
// code, markup, style and Rust load when it first comes into view (see main.js).

import { drawingToMnist } from "../pkg/autoencoder_playground_inference.js";
// The section's own Rust (pictures, the collection's file, the recalibrated gauge) is in the
// training module, which its Worker loads anyway: the first view's module stays as it was.
import initTraining, {
  checkPictureFileSize, checkShapeName, pictureToMnist, readShapeCollection, shapeCollectionFile,
  shapeLimits,
} from "../pkg/autoencoder_playground.js";
import { DrawingPad } from "./draw.js";
import { ShapeTeacher } from "./shape-teacher.js";
import { loadCollection, saveCollection } from "./shape-store.js";
import { SHAPES_MARKUP } from "./shapes-markup.js";
import { $, PIXELS, SIDE, downloadFile } from "./shared.js";
import { ordinal, paintDigit } from "./views.js";

const PICTURE_TYPES = ["image/png", "image/jpeg", "image/webp"];
/** Pictures are drawn at most this large before Rust converts them: it shrinks them to a few
 *  hundred pixels a side anyway, and a photo's full RGBA copy would be tens of megabytes. */
const PICTURE_SIDE = 1024;

/** The section, once the training module is ready (see ShapesPanel for `page`). */
export async function openShapesPanel(page) {
  await initTraining();
  return new ShapesPanel(page);
}

export class ShapesPanel {
  /**
   * @param {object} page
   * @param {import("./model-store.js").ModelStore} page.store
   * @param {Promise<object>} page.testDigits the test digits (MnistSubset), once they are in
   * @param {() => object | null} page.drawingModel the handle on the model drawn with
   * @param {(handle: object) => void} page.drawWith draws with a taught model (the page owns it)
   */
  constructor({ store, testDigits, drawingModel, drawWith }) {
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL("../shapes.css", import.meta.url).href;
    document.head.append(style);
    $("shapes-body").innerHTML = SHAPES_MARKUP;
    this.limits = shapeLimits();
    this.name = "";
    this.examples = [];
    this.dataset = null;
    this.pad = new DrawingPad($("shape-canvas"), () => ($("shape-add").disabled = this.pad.isEmpty));
    this.teacher = new ShapeTeacher({
      store, drawingModel, drawWith,
      collection: () => ({ name: this.name, examples: this.flatExamples() }),
      onChange: () => this.render(),
    });
    $("shape-add").addEventListener("click", () => this.addDrawing());
    $("shape-pad-clear").addEventListener("click", () => this.pad.clear());
    $("shape-files").addEventListener("change", (event) => this.addFiles(event.target.files).finally(() => (event.target.value = "")));
    const drop = $("shape-drop");
    drop.addEventListener("dragover", (event) => {
      event.preventDefault();
      drop.dataset.over = "true";
    });
    drop.addEventListener("dragleave", () => delete drop.dataset.over);
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      delete drop.dataset.over;
      this.addFiles(event.dataTransfer.files);
    });
    $("shape-name").addEventListener("change", () => this.rename($("shape-name").value));
    $("shape-clear").addEventListener("click", () => this.replace(this.name, [], "All examples removed."));
    $("shape-export").addEventListener("click", () => this.exportFile());
    $("shape-import").addEventListener("change", (event) => this.importFile(event.target.files[0]).finally(() => (event.target.value = "")));
    $("shape-examples").addEventListener("click", (event) => {
      const index = event.target.closest("button[data-remove]")?.dataset.remove;
      if (index !== undefined) this.remove(Number(index));
    });
    this.restore();
    testDigits.then((dataset) => {
      this.dataset = dataset;
      this.teacher.setDataset(dataset);
    }, (error) => this.say(`Without the test digits there is nothing to compare with: ${error.message}`, "error"));
  }

  /** The collection saved on an earlier visit, if any. */
  async restore() {
    try {
      const saved = await loadCollection();
      if (saved) this.replace(saved.name, split(saved.examples), "", { save: false });
      else this.render();
    } catch (error) {
      this.render();
      this.say(`Your browser keeps no collection between visits here (${error.message}).`, "error");
    }
    $("shapes-body").dataset.restored = "true";
  }

  flatExamples() {
    const flat = new Float32Array(this.examples.length * PIXELS);
    this.examples.forEach((example, i) => flat.set(example, i * PIXELS));
    return flat;
  }

  addDrawing() {
    const { rgba, width, height } = this.pad.pixels();
    const example = drawingToMnist(rgba, width, height);
    if (!example) return;
    if (this.add([example], "Drawing added.")) this.pad.clear();
  }

  /** Adds `examples` if the collection has room; says why not otherwise. */
  add(examples, message) {
    const room = this.limits.maxExamples - this.examples.length;
    if (examples.length > room) {
      this.say(`A collection holds at most ${this.limits.maxExamples} examples: remove some first.`, "error");
      return false;
    }
    this.replace(this.name, [...this.examples, ...examples], message);
    return true;
  }

  /** Each file converted like a drawing and added; a file that is not a readable picture, is
   *  too large or blank is refused with its reason, and adds nothing. */
  async addFiles(files) {
    const status = $("shape-drop-status");
    for (const file of files) {
      let example;
      try {
        example = await pictureOf(file);
      } catch (error) {
        status.textContent = `${file.name} refused: ${error.message}. The collection is unchanged.`;
        status.dataset.kind = "error";
        continue;
      }
      paintDigit($("shape-preview"), example);
      if (!this.add([example], "")) return;
      status.textContent = `${file.name} added, as the model sees it.`;
      status.dataset.kind = "info";
    }
  }

  rename(name) {
    try {
      this.replace(checkShapeName(name), this.examples, "");
    } catch (error) {
      this.say(error.message, "error");
    }
  }

  remove(index) {
    this.replace(this.name, this.examples.filter((_, i) => i !== index), `Example ${index + 1} removed.`);
  }

  /** The collection becomes `name` and `examples`, saved for the next visit unless told not. */
  replace(name, examples, message, { save = true } = {}) {
    this.name = name;
    this.examples = examples;
    $("shape-name").value = name;
    this.teacher.collectionChanged();
    this.render();
    if (message) this.say(message);
    if (save) {
      saveCollection({ name, examples: this.flatExamples() })
        .catch((error) => this.say(`Not saved for your next visit: ${error.message}`, "error"));
    }
  }

  exportFile() {
    let bytes;
    try {
      bytes = shapeCollectionFile(this.name, this.flatExamples());
    } catch (error) {
      this.say(error.message, "error");
      return;
    }
    downloadFile(bytes, `${this.name || "shape"}.aepgshape`);
  }

  async importFile(file) {
    if (!file) return;
    try {
      const { name, examples, count } = readShapeCollection(new Uint8Array(await file.arrayBuffer()));
      this.replace(name, split(examples), `${file.name}: ${count} example${count === 1 ? "" : "s"} imported.`);
    } catch (error) {
      this.say(`${file.name} refused: ${error.message}. The collection is unchanged.`, "error");
    }
  }

  say(message, kind = "info") {
    $("shape-status").textContent = message;
    $("shape-status").dataset.kind = kind;
  }

  /** The examples, each with how the models rebuild it and where it ranks on the gauges. */
  render() {
    const count = this.examples.length;
    $("shape-count").textContent = count === 0
      ? "No examples yet: draw your shape and add it, a few times, or add pictures."
      : `${count} example${count === 1 ? "" : "s"} of ${this.name ? `“${this.name}”` : "your shape"}.`;
    $("shape-count").dataset.count = String(count);
    $("shape-clear").disabled = count === 0;
    const views = this.teacher.views(this.examples);
    $("shape-examples").replaceChildren(...this.examples.map((example, i) => exampleItem(example, i, views)));
  }
}

/** One example's row: the example, then each model's reconstruction with its MSE and rank. */
function exampleItem(example, index, views) {
  const item = document.createElement("li");
  item.className = "shape-example";
  item.append(thumbnail(example, `Example ${index + 1}`));
  for (const view of views) {
    const { rebuilt, mse, percentile, flagged } = view.of(index);
    const cell = document.createElement("div");
    cell.className = "shape-rebuilt";
    cell.dataset.model = view.key;
    cell.dataset.mse = String(mse);
    cell.append(thumbnail(rebuilt, `Example ${index + 1} rebuilt by ${view.label}`));
    const caption = document.createElement("small");
    const rank = percentile === undefined ? "" : ` · ${ordinal(Math.round(percentile))} pct${flagged ? ", flagged" : ""}`;
    if (percentile !== undefined) cell.dataset.percentile = String(percentile);
    caption.textContent = `${view.label}: MSE ${mse.toFixed(4)}${rank}`;
    cell.append(caption);
    item.append(cell);
  }
  const remove = document.createElement("button");
  remove.type = "button";
  remove.dataset.remove = String(index);
  remove.textContent = "Remove";
  remove.setAttribute("aria-label", `Remove example ${index + 1}`);
  item.append(remove);
  return item;
}

function thumbnail(pixels, label) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = SIDE;
  canvas.className = "pixelated";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  paintDigit(canvas, pixels);
  return canvas;
}

/** Float32Array(n·784) → n Float32Array(784). */
function split(flat) {
  return Array.from({ length: flat.length / PIXELS }, (_, i) => flat.slice(i * PIXELS, (i + 1) * PIXELS));
}

/** A picture file as the model's 28×28 input; throws with the reason it cannot be one. */
async function pictureOf(file) {
  checkPictureFileSize(file.size);
  if (!PICTURE_TYPES.includes(file.type)) throw new Error("it is not a PNG, JPEG or WebP image");
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error("it could not be read as an image (damaged, or not what its name says)");
  }
  const scale = Math.min(1, PICTURE_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return pictureToMnist(context.getImageData(0, 0, width, height).data, width, height);
}
