// Small renderers for the page's views. They only paint numbers they are given.

const SIDE = 28;

/** Paints 784 values (0…1, 1 = ink) on a 28×28 canvas as dark ink on paper. */
export function paintDigit(canvas, pixels) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const shade = pixels ? Math.round(255 * (1 - pixels[i])) : 255;
    image.data.set([shade, shade, shade, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

/**
 * Shows the latent vector as one bar per dimension, each with its value in `data-value`.
 * The scale only grows (per model), so bars stay comparable while drawing.
 */
export class LatentView {
  constructor(container) {
    this.container = container;
    this.scale = 1;
  }

  /** Rebuilds the bars for a model with `size` dimensions. */
  reset(size) {
    this.scale = 1;
    this.container.replaceChildren();
    this.container.style.setProperty("--dims", size);
    this.container.classList.toggle("dense", size > 32);
    this.bars = Array.from({ length: size }, (_, i) => {
      const row = document.createElement("div");
      row.className = "latent-dim";
      row.setAttribute("role", "listitem");
      row.innerHTML = `<span class="index">z${i}</span><span class="track"><span class="bar"></span></span><span class="value"></span>`;
      this.container.append(row);
      return row;
    });
    this.show(null);
  }

  /** Shows `code` (a Float32Array), or an empty state for `null`. */
  show(code) {
    if (code) {
      const largest = code.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      this.scale = Math.max(this.scale, largest);
    }
    this.bars.forEach((row, i) => {
      const value = code ? code[i] : 0;
      row.dataset.value = code ? String(value) : "";
      const fraction = Math.min(1, Math.abs(value) / this.scale);
      const bar = row.querySelector(".bar");
      bar.style.width = `${fraction * 50}%`;
      bar.style.left = value < 0 ? `${50 - fraction * 50}%` : "50%";
      bar.classList.toggle("negative", value < 0);
      row.querySelector(".value").textContent = code ? value.toFixed(2) : "–";
    });
  }
}
