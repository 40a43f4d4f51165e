// The probe sheet: the non-digits the anomaly tests score (src/synthetic/probes.rs), each marked by
// whether the drawing model flags it at the anomaly panel's threshold: the tests' result, live,
// for whichever model draws. A click puts one on the pad. The scores come from Rust.

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
    this.calibration = null;
    this.stale = true;
    this.visible = watchVisibility(this.container.closest(".panel"), () => this.update());
  }

  /** Scores with `{model, scale, flagPercentile}` from now on (the drawing model, an
   *  AnomalyScale that flags above that percentile), or with nothing (null) while they are
   *  fitted. Holds them until the next call: the anomaly panel calls again before either is
   *  freed. */
  setCalibration(calibration) {
    this.calibration = calibration;
    this.stale = true;
    if (this.visible()) this.update();
  }

  /** Rescores the probes if the calibration changed since last time (70 reconstructions: too
   *  many for every stroke, so only when the sheet is on screen). */
  update() {
    if (!this.stale || !this.calibration) return;
    this.stale = false;
    const { model, scale, flagPercentile } = this.calibration;
    if (!this.probes) this.build();
    const errors = model.reconstructionErrors(this.scored);
    const tally = new Map(Object.keys(PROBE_GROUPS).map((kind) => [kind, { flagged: 0, total: 0 }]));
    this.probes.forEach((probe, i) => {
      const flagged = scale.isAnomalous(errors[i]);
      const count = tally.get(probe.kind);
      if (flagged) count.flagged += 1;
      count.total += 1;
      probe.button.dataset.flag = flagged ? "anomaly" : "digit";
      probe.button.title = `${probe.name}: ${flagged ? "flagged" : "passes as a digit"}, error higher than ${scale.percentile(errors[i]).toFixed(1)} % of the test digits'`;
    });
    for (const [kind, { flagged, total }] of tally) {
      this.container.querySelector(`[data-kind="${kind}"] .probe-count`).textContent = `· ${flagged} of ${total} flagged`;
    }
    const flagged = [...tally.values()].reduce((sum, count) => sum + count.flagged, 0);
    const digits = (100 * scale.referencesFlagged).toFixed(1);
    this.summary.textContent = `Above the ${ordinal(flagPercentile)} percentile the drawing model flags ${flagged} of these ${this.probes.length} non-digits (red; green ones pass as digits) and ${digits}\u00a0% of the test digits. Lower the percentile to catch more non-digits, at the cost of more digits. Click one to score it.`;
    this.summary.dataset.digitsFlagged = digits;
    this.summary.dataset.flagged = String(flagged);
  }

  build() {
    this.probes = nonDigitProbes().map((probe) => ({ ...probe, image: Float32Array.from(probe.image) }));
    this.scored = new Float32Array(this.probes.length * PIXELS);
    this.probes.forEach((probe, i) => this.scored.set(probe.scored, i * PIXELS));
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
