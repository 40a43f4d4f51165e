// "A learned compressor": the current input squeezed by the drawing model (its code as floats,
// and as bytes), by PCA with as many numbers, and by the browser's own JPEG and WebP encoders
// at their lowest quality; each with its size in bytes, what comes back, and its MSE.

import { codeByteSize, codeInBytes, compareImages } from "../pkg/autoencoder_playground_inference.js";
import { $, PIXELS, SIDE } from "./shared.js";
import { paintDigit, watchVisibility } from "./views.js";

/** The table's rows, top to bottom: id and what each codec is called (L filled in). */
const ROWS = [
  ["pixels", () => "the 784 pixels, a byte each"],
  ["ae-float", (L) => `autoencoder: code of ${L} floats`],
  ["ae-bytes", (L) => `autoencoder: code of ${L} bytes + range`],
  ["pca-float", (L) => `PCA: ${L} floats`],
  ["pca-bytes", (L) => `PCA: ${L} bytes + range`],
  ["jpeg", () => "JPEG, lowest quality"],
  ["webp", () => "WebP, lowest quality"],
];
const IMAGE_CODECS = { jpeg: "image/jpeg", webp: "image/webp" };

export class CodecPanel {
  /** @param {() => Promise<import("../pkg/autoencoder_playground_inference.js").PcaBaseline>} loadPca */
  constructor(loadPca) {
    this.loadPca = loadPca;
    this.pca = null;
    this.pcaError = ""; // why the PCA rows stay empty, if its file did not load
    this.drawing = null; // this panel's handle on the drawing model
    this.input = null;
    this.busy = false;
    this.stale = false;
    this.scratch = document.createElement("canvas");
    this.scratch.width = this.scratch.height = SIDE;
    // Every image codec reads its result back from here: ask for a canvas made for that.
    this.scratch.getContext("2d", { willReadFrequently: true });
    $("codec-table").tBodies[0].replaceChildren(...ROWS.map(([id]) => {
      const row = document.createElement("tr");
      row.id = `codec-${id}`;
      row.innerHTML = `<td></td><td></td><td><canvas width="${SIDE}" height="${SIDE}"></canvas></td><td></td>`;
      return row;
    }));
    this.visible = watchVisibility($("codec-panel"), () => {
      if (!this.pca) {
        this.loadPca()
          .then((pca) => { this.pca = pca; this.refresh(); })
          .catch((error) => {
            this.pcaError = `The PCA baseline did not load: ${error.message}`;
            this.refresh();
          });
      }
      this.refresh();
    });
  }

  /** The drawing model, whose code is the compressed file: the panel owns `handle` and
   *  releases it when the next one comes. */
  setModel(handle) {
    this.drawing?.release();
    this.drawing = handle;
    if (this.visible()) this.refresh();
  }

  /** The drawing model; `show` uses it only before its first await, so a model replaced while
   *  the image codecs run is never touched after its release. */
  get model() {
    return this.drawing?.model ?? null;
  }

  /** The drawing view's current input, or null. */
  setInput(input) {
    this.input = input;
    if (this.visible()) this.refresh();
  }

  /** Shows the current input; the image codecs are asynchronous, so a change that arrives
   *  while they run is shown once they finish. */
  async refresh() {
    if (this.busy) {
      this.stale = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.stale = false;
        await this.show();
      } while (this.stale);
      $("codec-error").textContent = this.pcaError;
    } catch (error) {
      $("codec-error").textContent = `The comparison failed: ${error.message ?? error}`;
    } finally {
      this.busy = false;
    }
  }

  async show() {
    const input = this.input;
    const L = this.model?.latentSize ?? 0;
    const results = {}; // by row id; a row without one shows no figures
    if (input && this.model) {
      results.pixels = { bytes: PIXELS, output: input.map((v) => Math.round(v * 255) / 255) };
      const code = this.model.encode(input);
      results["ae-float"] = { bytes: 4 * L, output: this.model.decode(code) };
      results["ae-bytes"] = { bytes: codeByteSize(L), output: this.model.decode(codeInBytes(code)) };
      if (this.pca && L <= this.pca.maxCodeSize) {
        const pcaCode = this.pca.encode(input, L);
        results["pca-float"] = { bytes: 4 * L, output: this.pca.decode(pcaCode) };
        results["pca-bytes"] = { bytes: codeByteSize(L), output: this.pca.decode(codeInBytes(pcaCode)) };
      }
      for (const [id, type] of Object.entries(IMAGE_CODECS)) results[id] = await this.throughImageCodec(input, type);
    }
    if (input !== this.input) return; // a newer input is waiting (see refresh)
    for (const [id, name] of ROWS) {
      const row = $(`codec-${id}`);
      const result = results[id];
      const [nameCell, bytesCell, , mseCell] = row.cells;
      nameCell.textContent = name(L || "L");
      paintDigit(row.querySelector("canvas"), result?.output ?? null);
      if (!result) {
        // No input yet; or PCA still loading, or a format this browser cannot encode.
        bytesCell.textContent = mseCell.textContent = input ? "–" : "";
        delete row.dataset.bytes;
        delete row.dataset.mse;
        continue;
      }
      const { mse } = compareImages(result.output, input);
      bytesCell.textContent = result.bytes.toLocaleString("en");
      mseCell.textContent = mse.toFixed(4);
      Object.assign(row.dataset, { bytes: String(result.bytes), mse: String(mse) });
    }
  }

  /** `pixels` through the browser's encoder for `type` at its lowest quality and back, or null
   *  when this browser cannot encode that type (it then hands back a PNG). */
  async throughImageCodec(pixels, type) {
    paintDigit(this.scratch, pixels);
    const blob = await new Promise((resolve) => this.scratch.toBlob(resolve, type, 0));
    if (!blob || blob.type !== type) return null;
    const bitmap = await createImageBitmap(blob);
    const ctx = this.scratch.getContext("2d");
    ctx.clearRect(0, 0, SIDE, SIDE);
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const rgba = ctx.getImageData(0, 0, SIDE, SIDE).data;
    const output = Float32Array.from({ length: PIXELS }, (_, i) => 1 - rgba[4 * i] / 255);
    return { bytes: blob.size, output };
  }
}
