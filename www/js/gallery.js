// The gallery under the pad: one test digit per class (the first of each label), each a button
// that puts it on the pad.

import { $, SIDE } from "./shared.js";
import { paintDigit } from "./views.js";

/**
 * @param {import("../pkg/autoencoder_playground_inference.js").MnistSubset} dataset the test digits
 * @param {(index: number) => void} showDigit puts sample `index` on the pad
 */
export function buildGallery(dataset, showDigit) {
  const firstOfLabel = new Map();
  for (const index of dataset.testIndices()) {
    const label = dataset.label(index);
    if (!firstOfLabel.has(label)) firstOfLabel.set(label, index);
    if (firstOfLabel.size === 10) break;
  }
  const buttons = [...firstOfLabel].sort(([a], [b]) => a - b).map(([label, index]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "gallery-digit";
    button.dataset.index = index;
    button.title = `Test digit #${index}, a ${label}`;
    button.setAttribute("aria-label", `Show test digit ${label}`);
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = SIDE;
    paintDigit(canvas, dataset.image(index));
    button.append(canvas);
    button.addEventListener("click", () => showDigit(index));
    return button;
  });
  $("gallery").replaceChildren(...buttons);
}
