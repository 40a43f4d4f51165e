// "What autoencoders are for": creates the section's panels (feature maps, denoising, anomaly
// detection and its probe sheet, the codec comparison), loads their own models when the section
// first comes into view, and passes them the page's input and drawing model.

import { $ } from "./shared.js";
import { AnomalyPanel } from "./anomaly-panel.js";
import { CodecPanel } from "./codec-panel.js";
import { DenoisingPanel } from "./denoising-panel.js";
import { FeatureMapsPanel } from "./feature-maps-panel.js";
import { ProbeSheet } from "./probe-sheet.js";

export class UsesSection {
  /**
   * @param {object} page
   * @param {(id: string) => Promise<import("../pkg/autoencoder_playground_inference.js").Autoencoder>} page.loadModel
   *   loads a manifest model by id
   * @param {(pixels: Float32Array, description: string) => void} page.showImage puts a 28×28
   *   image on the drawing pad as the current input
   * @param {() => Promise<import("../pkg/autoencoder_playground_inference.js").PcaBaseline>} page.loadPca
   *   the PCA baseline, loaded once for the page
   */
  constructor({ loadModel, showImage, loadPca, store }) {
    this.codec = new CodecPanel(loadPca);
    this.featureMaps = new FeatureMapsPanel();
    this.denoising = new DenoisingPanel();
    const probeSheet = new ProbeSheet(
      (probe) => showImage(probe.image, `Probe "${probe.name}", a non-digit from the anomaly tests`));
    this.anomaly = new AnomalyPanel({ store, probeSheet });
    // These models add a few megabytes: load them when the section first shows.
    new IntersectionObserver((seen, observer) => {
      if (seen.some((s) => s.isIntersecting)) {
        observer.disconnect();
        this.loadModels(loadModel).catch((error) => ($("uses-status").textContent = `Models did not load: ${error.message}`));
      }
    }).observe($("uses"));
  }

  /** The section's own models, kept by their panels for the page's lifetime. */
  async loadModels(loadModel) {
    const [conv, denoiser, plain] = await Promise.all(["conv-l32", "denoiser-l32", "tuned-l32"].map((id) => loadModel(id)));
    this.featureMaps.setModel(conv);
    this.denoising.setModels(denoiser, plain);
  }

  /** The drawing view's current input, or null. */
  setInput(input) {
    this.featureMaps.setInput(input);
    this.denoising.setInput(input);
    this.anomaly.setInput(input);
    this.codec.setInput(input);
  }

  /** A new drawing model (see AnomalyPanel.setDrawingModel); the codec panel lets go of the old one. */
  setModel(handle, dataset) {
    this.codec.setModel(handle.model);
    this.anomaly.setDrawingModel(handle, dataset);
  }

  /** New weights for the drawing model (see AnomalyPanel.retargetDrawingModel). */
  retarget(handle) {
    this.codec.setModel(handle.model);
    this.anomaly.retargetDrawingModel(handle);
  }
}
