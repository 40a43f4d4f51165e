// The latent-space explorer: its model and the test digits' codes, shared by three parts that
// each own their view: the sliders that drive the decoder (latent-sliders.js), interpolation
// between two digits (latent-interpolation.js) and the map of the test digits' codes
// (latent-map.js). Every number they show comes from Rust (encode, decode, PCA, interpolation).

import { latentSpread } from "../pkg/autoencoder_playground_inference.js";
import { $ } from "./shared.js";
import { overTestDigits } from "./views.js";
import { LatentInterpolation } from "./latent-interpolation.js";
import { LatentMap } from "./latent-map.js";
import { LatentSliders } from "./latent-sliders.js";

export class LatentExplorer {
  constructor() {
    /** The model's handle, owned here: released when the next one comes. */
    this.handle = null;
    this.dataset = null;
    this.input = null; // the current 28×28 input, or null
    this.code = null; // its code
    this.spread = null; // the test codes' {mean, deviation} per number, once fitted
    this.fitting = false;
    this.generation = 0;
    this.sliders = new LatentSliders(this);
    this.interpolation = new LatentInterpolation(this);
    this.map = new LatentMap(this);
  }

  /** The model the parts decode with (valid while the explorer holds its handle). */
  get model() {
    return this.handle?.model ?? null;
  }

  /** A new model (a handle the explorer now owns; the previous one is released), or the data
   *  file arriving: re-encode the test digits, refit every part. */
  async setModel(handle, dataset) {
    this.adopt(handle);
    this.dataset = dataset;
    // Everything fitted to the previous model goes at once, so nothing mixes the two.
    this.spread = null;
    this.sliders.clear();
    this.map.clear();
    const generation = ++this.generation;
    const model = this.model;
    if (!model || !dataset) return;
    this.fitting = true;
    $("map-caption").textContent = "Encoding the test digits…";
    const codes = await overTestDigits(dataset, model.latentSize, (images) => model.encodeMany(images),
      () => generation === this.generation);
    if (!codes) return;
    this.fitting = false;
    this.testIndices = dataset.testIndices();
    this.testLabels = Array.from(this.testIndices, (i) => dataset.label(i));
    this.spread = latentSpread(codes, model.latentSize);
    this.sliders.build();
    this.sliders.reset();
    this.interpolation.setDefaultEnds(dataset, this.testIndices, this.testLabels);
    this.interpolation.update();
    await this.map.fit(codes, model.latentSize);
  }

  /**
   * The same kind of model with new weights (one being trained; a handle owned as in
   * `setModel`): keep the fitted map and spread, which change slowly, and decode with the new
   * weights. A fit still running is restarted, since it would otherwise go on with the old
   * weights.
   */
  async retarget(handle) {
    if (this.fitting || !this.spread) return this.setModel(handle, this.dataset);
    this.adopt(handle);
    this.interpolation.update();
    this.sliders.refresh();
    this.map.refresh();
  }

  /** Holds `handle` and lets go of the previous one (the fit running for it stops using it:
   *  it checks its generation after each slice, before the model is used again). */
  adopt(handle) {
    const previous = this.handle;
    this.handle = handle;
    if (previous && previous !== handle) previous.release();
  }

  /** The current input changed (drawing, gallery digit, or cleared). */
  setInput(input, code) {
    this.input = input;
    this.code = code;
    this.interpolation.setInput(input);
    // Off-screen views catch up when they scroll into view (see watchVisibility).
    this.sliders.refresh();
    this.map.refresh();
  }
}
