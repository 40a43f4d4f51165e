// "Downsampling and upsampling": the current input passing through the convolutional model,
// stage by stage, as feature maps (and the code as bars). Rust computes every stage; this
// module lays out the columns and paints them.

import { $ } from "./shared.js";
import { grey, paintPixels, watchVisibility } from "./views.js";

/** Feature maps shown per stage (the rest are summarised by their count). */
const MAPS_SHOWN = 8;

export class FeatureMapsPanel {
  /** @param {HTMLElement} container where the stages' columns go */
  constructor(container = $("feature-maps")) {
    this.container = container;
    this.model = null;
    this.input = null;
    this.visible = watchVisibility(this.container, () => this.show());
  }

  /** The convolutional model, kept for the page's lifetime. */
  setModel(model) {
    this.model = model;
    this.show();
  }

  /** The drawing view's current input, or null. */
  setInput(input) {
    this.input = input;
    // Off screen, the panel catches up when it scrolls into view (see watchVisibility).
    if (this.visible()) this.show();
  }

  show() {
    const container = this.container;
    if (!this.model) return;
    if (!this.input) {
      container.dataset.stages = "0";
      container.replaceChildren(Object.assign(document.createElement("p"), { className: "note", textContent: "Draw a digit to see it pass through the network." }));
      return;
    }
    const stages = this.model.featureMaps(this.input); // plain objects: nothing to free
    // The columns are built once; later inputs repaint their canvases in place.
    if (container.dataset.stages !== String(stages.length)) {
      container.replaceChildren(...stages.map((stage) => {
        const column = document.createElement("figure");
        column.className = "stage-maps";
        const caption = document.createElement("figcaption");
        caption.textContent = stage.side && stage.channels > 1 ? `${stage.name} ×${stage.channels}` : stage.name;
        column.append(caption);
        if (stage.side === 0) {
          column.append(Object.assign(document.createElement("div"), { className: "code-bars" }));
        } else {
          for (let c = 0; c < Math.min(stage.channels, MAPS_SHOWN); c++) {
            column.append(Object.assign(document.createElement("canvas"), { width: stage.side, height: stage.side }));
          }
        }
        return column;
      }));
    }
    stages.forEach((stage, i) => {
      const column = container.children[i];
      const values = stage.values;
      if (stage.side === 0) {
        paintCodeBars(column.querySelector(".code-bars"), values);
      } else {
        const size = stage.side * stage.side;
        column.querySelectorAll("canvas").forEach((canvas, c) => paintFeatureMap(canvas, values.subarray(c * size, (c + 1) * size)));
      }
    });
    container.dataset.stages = String(stages.length);
  }
}

/** Paints one feature map in grey, scaled to its own range (dark = strong). */
function paintFeatureMap(canvas, values) {
  let [low, high] = [Infinity, -Infinity];
  for (const v of values) [low, high] = [Math.min(low, v), Math.max(high, v)];
  const range = high - low || 1;
  paintPixels(canvas, (i, rgba, at) => grey(rgba, at, 255 * (1 - (values[i] - low) / range)));
}

/** The code as a column of small bars, centred on zero. */
function paintCodeBars(box, values) {
  if (box.children.length !== values.length) {
    box.replaceChildren(...Array.from(values, () => document.createElement("span")));
  }
  const largest = Math.max(...Array.from(values, Math.abs), 1e-6);
  values.forEach((v, i) => {
    const bar = box.children[i];
    const share = (Math.abs(v) / largest) * 50;
    bar.style.width = `${share}%`;
    bar.style.marginLeft = v < 0 ? `${50 - share}%` : "50%";
    bar.className = v < 0 ? "negative" : "";
  });
}
