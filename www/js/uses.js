// "What autoencoders are for": creates the section's panels (feature maps, denoising, anomaly
// detection and its probe sheet, the codec comparison), acquires their own models from the store
// when the section first comes into view, and passes them the page's input and drawing model.

import { $ } from "./shared.js";
import { AnomalyPanel } from "./anomaly-panel.js";
import { CodecPanel } from "./codec-panel.js";
import { DenoisingPanel } from "./denoising-panel.js";
import { FeatureMapsPanel } from "./feature-maps-panel.js";
import { ProbeSheet } from "./probe-sheet.js";
import { whenFirstSeen } from "./views.js";

export class UsesSection {
  /**
   * @param {object} page
   * @param {import("./model-store.js").ModelStore} page.store
   * @param {(pixels: Float32Array, description: string) => void} page.showImage puts a 28×28
   *   image on the drawing pad as the current input
   */
  constructor({ store, showImage }) {
    this.codec = new CodecPanel(() => store.pca());
    this.featureMaps = new FeatureMapsPanel();
    this.denoising = new DenoisingPanel();
    const probeSheet = new ProbeSheet(
      (probe) => showImage(probe.image, `Probe "${probe.name}", a non-digit from the anomaly tests`));
    this.anomaly = new AnomalyPanel({ store, probeSheet });
    describeConvModel(store);
    // These models add a few megabytes: acquire them when the section first shows.
    whenFirstSeen($("uses"), () => this.acquireModels(store)
      .catch((error) => ($("uses-status").textContent = `Models did not load: ${error.message}`)));
  }

  /** The section's own models, held for the page's lifetime. */
  async acquireModels(store) {
    const [conv, denoiser, plain] = await Promise.all(["conv", "denoiser", "denoiserBaseline"].map((role) => store.acquire(role)));
    this.featureMaps.setModel(conv.model);
    this.denoising.setModels(denoiser.model, plain.model);
  }

  /** Follows the drawing view's input (or null): one panel per step, so that the page can
   *  spread the section's work over frames (following-views.js). */
  *follow(input) {
    for (const panel of [this.featureMaps, this.denoising, this.anomaly, this.codec]) {
      panel.setInput(input);
      yield;
    }
  }

  /** A new drawing model (and the test digits, or null): the section owns `handle`. */
  setDrawingModel(handle, dataset) {
    this.codec.setModel(handle.share());
    this.anomaly.setDrawingModel(handle, dataset);
  }

  /** New weights for the drawing model, one being trained: the section owns `handle`. */
  retargetDrawingModel(handle) {
    this.codec.setModel(handle.share());
    this.anomaly.retargetDrawingModel(handle);
  }
}

/** The convolutional model against the dense one of the same L, from the manifest. */
function describeConvModel(store) {
  let conv;
  let dense;
  try {
    [conv, dense] = [store.entry("conv"), store.entry("convBaseline")];
  } catch {
    return; // a build without them: the panel says so when its model does not load
  }
  const describe = (m) => `${m.params.toLocaleString("en")} parameters, test MSE ${m.test.mse.toFixed(4)}`;
  $("conv-compare").textContent =
    `Convolutional (L=${conv.latentSize}): ${describe(conv)}. Dense (L=${dense.latentSize}): ${describe(dense)}. ` +
    "Sharing small filters across the image needs far fewer weights and rebuilds digits better.";
}
