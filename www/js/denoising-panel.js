// "Denoising": the current input with noise added (amount from a slider, a new draw of noise on
// request), rebuilt by the denoiser and by a plain model of the same layers, each with its MSE
// against the clean input. The noise and the errors come from Rust.

import { addNoise, compareImages } from "../pkg/autoencoder_playground_inference.js";
import { $ } from "./shared.js";
import { paintDigit, watchVisibility } from "./views.js";

/** The cells after the clean input, each painted and scored against it. */
const CELLS = ["noisy", "denoised", "plain"];

export class DenoisingPanel {
  constructor() {
    this.denoiser = null;
    this.plain = null;
    this.input = null;
    this.noiseSeed = 1;
    $("noise-amount").addEventListener("input", () => this.show());
    $("noise-reseed").addEventListener("click", () => {
      this.noiseSeed += 1;
      this.show();
    });
    $("noise-reseed").disabled = false; // disabled in the page until this listener is there
    this.visible = watchVisibility($("dn-clean"), () => this.show());
  }

  /** The denoiser and the plain model it is compared with, kept for the page's lifetime. */
  setModels(denoiser, plain) {
    this.denoiser = denoiser;
    this.plain = plain;
    this.show();
  }

  /** The drawing view's current input, or null. */
  setInput(input) {
    this.input = input;
    // Off screen, the panel catches up when it scrolls into view (see watchVisibility).
    if (this.visible()) this.show();
  }

  show() {
    const amount = Number($("noise-amount").value) / 100;
    $("noise-value").textContent = `${Math.round(amount * 100)} %`;
    if (!this.input || !this.denoiser || !this.plain) {
      for (const id of ["clean", ...CELLS]) paintDigit($(`dn-${id}`), null);
      for (const id of CELLS) $(`dn-${id}-mse`).textContent = "";
      return;
    }
    const noisy = addNoise(this.input, amount, this.noiseSeed);
    const outputs = { noisy, denoised: this.denoiser.reconstruct(noisy), plain: this.plain.reconstruct(noisy) };
    paintDigit($("dn-clean"), this.input);
    for (const id of CELLS) {
      paintDigit($(`dn-${id}`), outputs[id]);
      const { mse } = compareImages(outputs[id], this.input);
      $(`dn-${id}-mse`).textContent = `MSE ${mse.toFixed(4)}`;
      $(`dn-${id}`).dataset.mse = String(mse);
    }
  }
}
