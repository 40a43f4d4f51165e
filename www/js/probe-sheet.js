// The probe sheet: the non-digits the anomaly tests score (src/synthetic/probes.rs), each marked by
// whether the anomaly panel's detector flags it at the panel's threshold: the tests' result,
// live, for whichever model scores. A click puts one on the pad. The scores come from Rust's
// AnomalyDetector; this module only marks and counts them.

import { nonDigitProbes } from "../pkg/autoencoder_playground_inference.js";
import { $, PIXELS, SIDE } from "./shared.js";
import { ordinal, paintDigit, watchVisibility } from "./views.js";

/** What the probes' `kind` is called on the page, in the order the sheet shows them. */
const PROBE_GROUPS = { letter: "Letters", strokes: "Scribbles", noise: "Noise" };

export class ProbeSheet {
  /** @param {(probe: {name: string, image: Float32Array}) => void} onPick a probe was clicked */
  constructor(onPick) {
    this.container = $("probe-sheet");
    this.summary = $("probe-summary");
    this.onPick = onPick;
    this.probes = null;
    this.detector = null;
    this.scores = null;
    this.stale = true;
    this.visible = watchVisibility(this.container.closest(".panel"), () => this.update());
  }

  /** Scores with `detector` (a fitted AnomalyDetector of the anomaly panel, which calls this
   *  with null before it frees it) from now on; `modelName` is what the summary calls its model. */
  setDetector(detector, modelName = "") {
    this.detector = detector;
    this.modelName = modelName;
    this.scores = null;
    this.stale = true;
    if (this.visible()) this.update();
  }

  /** The detector's flag percentile moved: the same scores, marked against the new threshold. */
  thresholdMoved() {
    this.stale = true;
    if (this.visible()) this.update();
  }

  /** Re-marks the probes if the detector or its threshold changed since last time (scoring
   *  is 70 reconstructions: too many for every stroke, so only when the sheet is on screen). */
  update() {
    if (!this.stale || !this.detector) return;
    this.stale = false;
    const detector = this.detector;
    if (!this.probes) this.build();
    // One score per probe and detector; a moved threshold only re-marks them.
    this.scores ??= detector.scores(this.images);
    const tally = new Map(Object.keys(PROBE_GROUPS).map((kind) => [kind, { flagged: 0, total: 0 }]));
    this.probes.forEach((probe, i) => {
      const flagged = detector.isAnomalous(this.scores[i]);
      const count = tally.get(probe.kind);
      if (flagged) count.flagged += 1;
      count.total += 1;
      probe.button.dataset.flag = flagged ? "anomaly" : "digit";
      probe.button.dataset.score = String(this.scores[i]);
      probe.button.title = `${probe.name}: ${flagged ? "flagged" : "passes as a digit"}, score higher than ${detector.percentile(this.scores[i]).toFixed(1)} % of the test digits'`;
    });
    for (const [kind, { flagged, total }] of tally) {
      this.container.querySelector(`[data-kind="${kind}"] .probe-count`).textContent = `· ${flagged} of ${total} flagged`;
    }
    const flagged = [...tally.values()].reduce((sum, count) => sum + count.flagged, 0);
    const digits = (100 * detector.referencesFlagged).toFixed(1);
    this.summary.textContent = `Above the ${ordinal(detector.flagPercentile)} percentile ${this.modelName} flags ${flagged} of these ${this.probes.length} non-digits (red; green ones pass as digits) and ${digits}\u00a0% of the test digits. Lower the percentile to catch more non-digits, at the cost of more digits. Click one to score it.`;
    this.summary.dataset.digitsFlagged = digits;
    this.summary.dataset.flagged = String(flagged);
    this.summary.dataset.model = this.modelName;
  }

  build() {
    this.probes = nonDigitProbes().map((probe) => ({ kind: probe.kind, name: probe.name, image: Float32Array.from(probe.image) }));
    // As on the pad: the detector takes each one as drawn, as it takes a drawing.
    this.images = new Float32Array(this.probes.length * PIXELS);
    this.probes.forEach((probe, i) => this.images.set(probe.image, i * PIXELS));
    const groups = Object.entries(PROBE_GROUPS).map(([kind, title]) => {
      const group = document.createElement("div");
      group.className = "probe-group";
      group.dataset.kind = kind;
      group.innerHTML = `<p class="probe-title">${title} <span class="probe-count"></span></p><div class="probe-grid"></div>`;
      return group;
    });
    for (const probe of this.probes) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "probe";
      button.dataset.name = probe.name;
      button.setAttribute("aria-label", `Score probe ${probe.name}`);
      const canvas = Object.assign(document.createElement("canvas"), { width: SIDE, height: SIDE });
      paintDigit(canvas, probe.image);
      button.append(canvas);
      button.addEventListener("click", () => this.onPick(probe));
      probe.button = button;
      groups.find((g) => g.dataset.kind === probe.kind).querySelector(".probe-grid").append(button);
    }
    this.container.replaceChildren(...groups);
  }
}
