// The latent-size study: the shipped dense models that differ only in L, their test error
// against L, and the current input rebuilt by each of them side by side.

import { Autoencoder, compareImages } from "../pkg/autoencoder_playground_inference.js";
import { $, SIDE, fetchBytes } from "./shared.js";
import { drawLineChart, paintDigit, watchVisibility } from "./views.js";

export class SizeStudy {
  /** @param {(id: string) => void} selectModel switches the page's model */
  constructor(selectModel) {
    this.selectModel = selectModel;
    this.entries = [];
    this.models = new Map(); // id → the study's own Autoencoder, loaded when the section first shows
    this.input = null;
    this.currentId = null;
    new ResizeObserver(() => this.drawChart()).observe($("size-chart"));
    this.visible = watchVisibility($("size-row"), () => this.showReconstructions());
  }

  /** The study's models from the manifest (`latentSizeStudy`, smallest L first). */
  setManifest(manifest) {
    const byId = new Map(manifest.models.map((m) => [m.id, m]));
    this.entries = (manifest.latentSizeStudy ?? []).map((id) => byId.get(id)).filter(Boolean)
      .sort((a, b) => a.latentSize - b.latentSize);
    $("size-row").replaceChildren(...this.entries.map((entry) => {
      const cell = document.createElement("button");
      cell.type = "button";
      cell.className = "size-cell";
      cell.dataset.id = entry.id;
      cell.title = `Draw with ${entry.name}`;
      cell.innerHTML = `<canvas width="${SIDE}" height="${SIDE}"></canvas><span class="size-label">L=${entry.latentSize}</span><span class="size-mse"></span>`;
      cell.addEventListener("click", () => this.selectModel(entry.id));
      return cell;
    }));
    // Loading six models costs a few megabytes: only once someone scrolls here.
    new IntersectionObserver((seen, observer) => {
      if (seen.some((s) => s.isIntersecting)) {
        observer.disconnect();
        this.loadModels().catch((error) => ($("size-note").textContent = `The study's models did not load: ${error.message}`));
      }
    }).observe($("size-study"));
    this.drawChart();
  }

  async loadModels() {
    for (const entry of this.entries) {
      this.models.set(entry.id, Autoencoder.load(await fetchBytes(`models/${entry.file}`)));
      this.showReconstructions();
    }
  }

  setInput(input) {
    this.input = input;
    if (this.visible()) this.showReconstructions();
  }

  setCurrentModel(id) {
    this.currentId = id;
    for (const cell of $("size-row").children) cell.classList.toggle("current", cell.dataset.id === id);
    this.drawChart();
  }

  showReconstructions() {
    for (const cell of $("size-row").children) {
      const model = this.models.get(cell.dataset.id);
      const canvas = cell.querySelector("canvas");
      const mse = cell.querySelector(".size-mse");
      if (!model || !this.input) {
        paintDigit(canvas, null);
        mse.textContent = model ? "" : "loading…";
        delete cell.dataset.mse;
        continue;
      }
      const output = model.reconstruct(this.input);
      paintDigit(canvas, output);
      const error = compareImages(output, this.input).mse;
      cell.dataset.mse = String(error);
      mse.textContent = `MSE ${error.toFixed(3)}`;
    }
  }

  drawChart() {
    const points = this.entries.map((e) => [Math.log2(e.latentSize), e.test.mse]);
    drawLineChart($("size-chart"), points, {
      dots: true,
      format: (v) => v.toFixed(3),
      xTicks: this.entries.map((e) => [Math.log2(e.latentSize), `L=${e.latentSize}`]),
      highlight: this.entries.findIndex((e) => e.id === this.currentId),
      emptyText: "No latent-size study in the manifest",
    });
  }
}
