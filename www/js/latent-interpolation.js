// The explorer's interpolation between two inputs A and B: a strip of frames decoded from
// codes evenly spaced between A's and B's, an animated morph, and the pixel-space cross-fade
// under it for contrast. Rust encodes, interpolates and decodes; this module paints.

import { interpolate } from "../pkg/autoencoder_playground_inference.js";
import { $, PIXELS, SIDE } from "./shared.js";
import { paintDigit, watchVisibility } from "./views.js";

const STRIP_FRAMES = 9;
const MORPH_FRAMES = 48;

export class LatentInterpolation {
  /** @param {import("./latent-explorer.js").LatentExplorer} explorer the model, its fit and the input */
  constructor(explorer) {
    this.explorer = explorer;
    this.ends = { a: null, b: null }; // the end images
    this.morph = { frames: [], index: 0, direction: 1, playing: true, last: 0, looping: false };
    $("interp-set-a").addEventListener("click", () => this.setEnd("a", explorer.input));
    $("interp-set-b").addEventListener("click", () => this.setEnd("b", explorer.input));
    $("morph-toggle").addEventListener("click", () => {
      this.morph.playing = !this.morph.playing;
      $("morph-toggle").textContent = this.morph.playing ? "Pause" : "Play";
      this.loop();
    });
    this.morphVisible = watchVisibility($("interp-morph"), () => this.loop());
  }

  /** Starts the morph's frame loop, which runs while the morph plays and is on screen: off
   *  screen, each frame it asked for cost the page a rendering pass (style, paint, commit) while
   *  the visitor drew at the top of the page or the Worker trained. */
  loop() {
    if (this.morph.looping) return;
    this.morph.looping = true;
    requestAnimationFrame((time) => this.animate(time));
  }

  /** The default ends, a test 3 and a test 8, unless some are set already. */
  setDefaultEnds(dataset, testIndices, testLabels) {
    if (this.ends.a) return;
    const firstOf = (label) => testIndices[testLabels.indexOf(label)];
    this.ends.a = dataset.image(firstOf(3));
    this.ends.b = dataset.image(firstOf(8));
  }

  /** The current input is there (or not) to be an end. */
  setInput(input) {
    $("interp-set-a").disabled = $("interp-set-b").disabled = !input;
  }

  setEnd(which, image) {
    if (!image) return;
    this.ends[which] = Float32Array.from(image);
    this.update();
  }

  /** Decodes the frames again (new ends or a new model). */
  update() {
    const { a, b } = this.ends;
    const { model, spread } = this.explorer;
    if (!a || !b || !spread || !model) return;
    paintDigit($("interp-a"), a);
    paintDigit($("interp-b"), b);
    const [codeA, codeB] = [model.encode(a), model.encode(b)];
    const decoded = (count) => frames(interpolate(codeA, codeB, count), model.latentSize).map((code) => model.decode(code));
    paintStrip($("interp-latent"), decoded(STRIP_FRAMES));
    paintStrip($("interp-pixels"), frames(interpolate(a, b, STRIP_FRAMES), PIXELS));
    this.morph.frames = decoded(MORPH_FRAMES);
    this.morph.index = 0;
  }

  animate(time) {
    const morph = this.morph;
    if (!morph.playing || !this.morphVisible()) {
      morph.looping = false;
      return;
    }
    if (morph.frames.length && time - morph.last > 40) {
      morph.last = time;
      paintDigit($("interp-morph"), morph.frames[morph.index]);
      // Back and forth, pausing briefly at each end.
      morph.index += morph.direction;
      if (morph.index >= morph.frames.length - 1 || morph.index <= 0) {
        morph.direction = -morph.direction;
        morph.last = time + 500;
      }
    }
    requestAnimationFrame((t) => this.animate(t));
  }
}

/** Splits a concatenated Float32Array into `length`-sized rows. */
function frames(values, length) {
  return Array.from({ length: values.length / length }, (_, i) => values.subarray(i * length, (i + 1) * length));
}

function paintStrip(container, images) {
  if (container.children.length !== images.length) {
    container.replaceChildren(...images.map(() => Object.assign(document.createElement("canvas"), { width: SIDE, height: SIDE })));
  }
  images.forEach((image, i) => paintDigit(container.children[i], image));
}
