// The explorer's sliders: the decoder as a generator. One slider per latent number (the ones
// that vary most over the test digits first), starting at the current input's code, decoding
// live. Rust encodes, decodes and measures the spread; this module wires the sliders.

import { $ } from "./shared.js";
import { paintDigit, watchVisibility } from "./views.js";

/** Sliders shown before "show all": the dimensions that vary most over the test set. */
const FIRST_SLIDERS = 8;

export class LatentSliders {
  /** @param {import("./latent-explorer.js").LatentExplorer} explorer the model, its fit and the input */
  constructor(explorer) {
    this.explorer = explorer;
    this.showAll = false;
    this.code = null; // the code the sliders hold
    $("sliders-reset").addEventListener("click", () => this.reset());
    $("sliders-all").addEventListener("click", () => {
      this.showAll = !this.showAll;
      this.build();
    });
    this.visible = watchVisibility($("sliders").closest(".panel"), () => this.reset());
  }

  /** A new fit (`spread`: the test codes' `{mean, deviation}` per number): new sliders. */
  build() {
    const spread = this.explorer.spread;
    if (!spread) return;
    const { mean, deviation } = spread;
    const order = deviation.map((d, i) => [d, i]).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
    const shown = this.showAll ? order : order.slice(0, FIRST_SLIDERS);
    $("sliders-all").hidden = order.length <= FIRST_SLIDERS;
    $("sliders-all").textContent = this.showAll ? `Show the ${FIRST_SLIDERS} that vary most` : `Show all ${order.length}`;
    $("sliders").replaceChildren(...shown.map((dim) => {
      const row = document.createElement("label");
      row.className = "slider";
      const range = 3 * Math.max(deviation[dim], 1e-3);
      row.innerHTML = `<span class="index">z${dim}</span><input type="range"><output></output>`;
      const input = row.querySelector("input");
      Object.assign(input, { min: mean[dim] - range, max: mean[dim] + range, step: range / 150 });
      input.dataset.dim = dim;
      input.setAttribute("aria-label", `Latent dimension ${dim}`);
      input.addEventListener("input", () => {
        this.code[dim] = Number(input.value);
        this.show();
      });
      return row;
    }));
    this.show();
  }

  /** Forgets the code of the previous model. */
  clear() {
    this.code = null;
  }

  /** Back to the current input's code, or the mean code when there is none. */
  reset() {
    const { spread, model, code } = this.explorer;
    if (!spread || !model) return;
    const codeFits = code?.length === model.latentSize;
    this.code = Float32Array.from(codeFits ? code : spread.mean);
    this.show();
  }

  /** The input or the model changed: follow it if on screen (else when it scrolls into view). */
  refresh() {
    if (this.visible()) this.reset();
  }

  show() {
    const model = this.explorer.model;
    if (!this.code || !model) return;
    for (const input of $("sliders").querySelectorAll("input")) {
      const value = this.code[Number(input.dataset.dim)];
      input.value = value;
      input.nextElementSibling.textContent = value.toFixed(2);
    }
    const image = model.decode(this.code);
    paintDigit($("slider-decoded"), image);
    $("slider-decoded").dataset.sum = image.reduce((a, b) => a + b, 0).toFixed(3);
    $("sliders-note").textContent = this.explorer.code
      ? "Starting from your digit's code. Move a slider to change one number and decode."
      : "Starting from the average code of the test digits. Draw to start from yours.";
  }
}
