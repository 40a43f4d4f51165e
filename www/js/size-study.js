// The latent-size study: the shipped dense models that differ only in L, their test error
// against L beside the linear baseline's (PCA of the training digits, at the same L), and the
// current input rebuilt by each of them and by PCA, side by side.

import { compareImages } from "../pkg/autoencoder_playground_inference.js";
import { $, SIDE } from "./shared.js";
import { drawLineChart, paintDigit, watchVisibility, whenFirstSeen } from "./views.js";

/** How the study's models were kept from learning their digits by heart, from their plan. */
function recipeInWords(plan) {
  if (!plan || plan.deform === "none") return "";
  const deformed = plan.deformEpochs ?? plan.epochs;
  const plain = plan.epochs - deformed;
  return `These models saw every training digit turned, scaled, shifted${plan.deform === "elastic" ? " and warped" : ""} ` +
    `afresh in each of their first ${deformed} epochs` +
    (plain ? `, and the digits as they are only in the last ${plain}` : "") +
    // Only cosine decay makes the last epochs small steps (little room to memorise the plain digits).
    (plain && plan.schedule === "cosine" ? ", at a small learning rate. " : ". ");
}

export class SizeStudy {
  /**
   * @param {object} page
   * @param {import("./model-store.js").ModelStore} page.store
   * @param {(id: string) => void} page.selectModel switches the page's model
   */
  constructor({ store, selectModel }) {
    this.store = store;
    this.selectModel = selectModel;
    this.entries = [];
    this.models = new Map(); // id → the study's model, acquired when the section first shows
    this.pcaEntry = null; // the manifest's `pcaBaseline`
    this.pca = null; // its PcaBaseline, loaded with the models
    this.input = null;
    this.currentId = null;
    this.features = null; // the manifest's `codesAsFeatures`
    new ResizeObserver(() => this.drawChart()).observe($("size-chart"));
    new ResizeObserver(() => this.drawFeatureChart()).observe($("knn-chart"));
    this.visible = watchVisibility($("size-row"), () => this.showReconstructions());
    this.setManifest(store.manifest);
  }

  /** The study's models from the manifest (`latentSizeStudy`, smallest L first). */
  setManifest(manifest) {
    const byId = new Map(manifest.models.map((m) => [m.id, m]));
    this.entries = (manifest.latentSizeStudy ?? []).map((id) => byId.get(id)).filter(Boolean)
      .sort((a, b) => a.latentSize - b.latentSize);
    this.pcaEntry = manifest.pcaBaseline ?? null;
    this.features = manifest.codesAsFeatures ?? null;
    $("size-row").replaceChildren(...this.entries.map((entry) => {
      const cell = document.createElement("button");
      cell.type = "button";
      cell.className = "size-cell";
      cell.dataset.id = entry.id;
      cell.dataset.latentSize = entry.latentSize;
      cell.title = `Draw with ${entry.name}`;
      cell.innerHTML = `<span class="size-label">L=${entry.latentSize}</span>` +
        `<canvas class="size-ae" width="${SIDE}" height="${SIDE}" aria-label="Rebuilt by the autoencoder"></canvas><span class="size-mse"></span>` +
        (this.pcaEntry ? `<canvas class="size-pca" width="${SIDE}" height="${SIDE}" aria-label="Rebuilt by PCA"></canvas><span class="size-pca-mse"></span>` : "");
      cell.addEventListener("click", () => this.selectModel(entry.id));
      return cell;
    }));
    $("size-verdict").textContent = this.verdict();
    $("size-fit").textContent = this.fitVerdict();
    $("knn-verdict").textContent = this.featureVerdict();
    // Loading six models costs a few megabytes: only once someone scrolls here.
    whenFirstSeen($("size-study"), () => this.loadModels()
      .catch((error) => ($("size-note").textContent = `The study's models did not load: ${error.message}`)));
    this.drawChart();
    this.drawFeatureChart();
  }

  /** The PCA baseline and the study's models, held for the page's lifetime (the drawing model,
   *  when it is one of them, is the same model: the store loads each once). */
  async loadModels() {
    if (this.pcaEntry) {
      this.pca = await this.store.pca();
      this.showReconstructions();
    }
    for (const entry of this.entries) {
      this.models.set(entry.id, (await this.store.acquire({ id: entry.id })).model);
      this.showReconstructions();
    }
  }

  /** Follows the drawing view's input (or null): one model's cell per step, so that the page
   *  can spread the twelve reconstructions over frames (following-views.js). */
  *follow(input) {
    this.input = input;
    if (!this.visible()) return;
    for (const cell of $("size-row").children) {
      this.showCell(cell);
      yield;
    }
  }

  setCurrentModel(id) {
    this.currentId = id;
    for (const cell of $("size-row").children) cell.classList.toggle("current", cell.dataset.id === id);
    this.drawChart();
  }

  showReconstructions() {
    for (const cell of $("size-row").children) this.showCell(cell);
  }

  /** One model's cell: its reconstruction of the input, and PCA's at the same size. */
  showCell(cell) {
    const model = this.models.get(cell.dataset.id);
    showRebuilt(cell, AUTOENCODER, this.input, model, () => model.reconstruct(this.input));
    if (this.pcaEntry) {
      showRebuilt(cell, PCA, this.input, this.pca, () => this.pca.reconstruct(this.input, Number(cell.dataset.latentSize)));
    }
  }

  /** One sentence on how the autoencoders compare with PCA, from the manifest's figures. */
  verdict() {
    const pcaMse = this.pcaTestMse();
    const ratios = this.entries.filter((e) => pcaMse.has(e.latentSize))
      .map((e) => `${(e.test.mse / pcaMse.get(e.latentSize)).toFixed(2)}× at L=${e.latentSize}`);
    if (!ratios.length) return "";
    return `The autoencoders' test error as a multiple of PCA's with the same number of numbers: ${ratios.join(", ")} ` +
      "(below 1: the non-linear code keeps more of the digit than the best linear one).";
  }

  /** Train against test error in a sentence, from the manifest: how much each size overfits. */
  fitVerdict() {
    const both = this.entries.filter((e) => e.train);
    if (!both.length) return "";
    const gaps = both.map((e) => `${(e.test.mse / e.train.mse).toFixed(2)}× at L=${e.latentSize}`);
    return `Test error as a multiple of the error on the training digits: ${gaps.join(", ")}. ` +
      "A model that rebuilds its own digits much better than new ones has learnt those digits, " +
      "not digits, and the wider the code, the more it can memorise. " + recipeInWords(both[0].training?.plan) +
      "Train one below on 500 digits without deforming them, and its training loss keeps " +
      "falling while its test error stalls.";
  }

  /** The kNN figures in a sentence, from the manifest. */
  featureVerdict() {
    if (!this.features) return "";
    const percent = (v) => `${(100 * v).toFixed(1)} %`;
    const points = this.features.byCodeSize;
    const wins = points.filter((p) => p.autoencoder > p.pca).map((p) => `L=${p.codeSize}`);
    return `With all 784 pixels the vote is right for ${percent(this.features.rawPixels)} of the test digits; ` +
      `with the autoencoders' codes, from ${percent(points[0].autoencoder)} (L=${points[0].codeSize}) to ` +
      `${percent(points.at(-1).autoencoder)} (L=${points.at(-1).codeSize}). ` +
      (wins.length ? `Their codes beat PCA's at ${wins.join(", ")}: ` +
        "with few numbers, a non-linear code separates the digits better." : "PCA's codes do as well at every size.");
  }

  /** PCA's test MSE by code size, from the manifest. */
  pcaTestMse() {
    return new Map((this.pcaEntry?.byCodeSize ?? []).map((p) => [p.codeSize, p.test.mse]));
  }

  drawChart() {
    const autoencoders = this.entries.map((e) => [Math.log2(e.latentSize), e.test.mse]);
    const trained = this.entries.filter((e) => e.train).map((e) => [Math.log2(e.latentSize), e.train.mse]);
    const pca = [...this.pcaTestMse()].map(([size, mse]) => [Math.log2(size), mse]);
    // The training line dashed: where the two coincide, the test line shows through it.
    drawLineChart($("size-chart"), [
      { points: autoencoders, dots: true, label: "autoencoder (test)" },
      { points: trained, color: "#8fb8e8", dashed: true, label: "autoencoder (train)" },
      { points: pca, color: "#8a8f9c", dashed: true, dots: true, label: "PCA (test)" },
    ], {
      format: (v) => v.toFixed(3),
      xTicks: this.entries.map((e) => [Math.log2(e.latentSize), `L=${e.latentSize}`]),
      highlight: this.entries.findIndex((e) => e.id === this.currentId),
      emptyText: "No latent-size study in the manifest",
    });
  }

  drawFeatureChart() {
    const points = this.features?.byCodeSize ?? [];
    const at = (pick) => points.map((p) => [Math.log2(p.codeSize), pick(p)]);
    drawLineChart($("knn-chart"), [
      { points: at((p) => p.autoencoder), dots: true, label: "autoencoder codes" },
      { points: at((p) => p.pca), color: "#8a8f9c", dashed: true, dots: true, label: "PCA codes" },
      { points: at(() => this.features.rawPixels), color: "#2e9e6b", dashed: true, label: "784 raw pixels" },
    ], {
      format: (v) => `${(100 * v).toFixed(0)} %`,
      xTicks: points.map((p) => [Math.log2(p.codeSize), `L=${p.codeSize}`]),
      emptyText: "No classification figures in the manifest",
      legendAt: "bottom",
    });
  }
}

const AUTOENCODER = { name: "MSE", canvas: ".size-ae", text: ".size-mse", key: "mse" };
const PCA = { name: "PCA", canvas: ".size-pca", text: ".size-pca-mse", key: "pcaMse" };

/** Paints in `cell` what `rebuild()` makes of `input` (blank without a `codec` or an input), and
 *  its error under it and in `cell.dataset`. */
function showRebuilt(cell, { name, canvas, text, key }, input, codec, rebuild) {
  const output = codec && input ? rebuild() : null;
  paintDigit(cell.querySelector(canvas), output);
  const label = cell.querySelector(text);
  if (!output) {
    label.textContent = codec ? "" : "loading…";
    delete cell.dataset[key];
    return;
  }
  const error = compareImages(output, input).mse;
  cell.dataset[key] = String(error);
  label.textContent = `${name} ${error.toFixed(3)}`;
}
