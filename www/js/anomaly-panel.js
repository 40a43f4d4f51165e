// "Is it a digit?": anomaly detection by the drawing model's reconstruction error. A gauge ranks
// the current input's error among the test digits', a slider sets the percentile above which
// it is flagged, and a verdict says so in words. The probe sheet (probe-sheet.js) is rescored
// whenever the model, its calibration or the threshold changes. The scores come from Rust.

import { AnomalyScale, asDrawn } from "../pkg/autoencoder_playground_inference.js";
import { $ } from "./shared.js";
import { ordinal, overTestDigits, paintDigit, watchVisibility } from "./views.js";

export class AnomalyPanel {
  /** @param {import("./probe-sheet.js").ProbeSheet} probeSheet scored at the gauge's threshold */
  constructor(probeSheet) {
    this.probeSheet = probeSheet;
    this.input = null;
    this.dataset = null;
    this.gauge = new AnomalyGauge($("anomaly-row"), flagSliderPercentile());
    $("flag-percentile").addEventListener("input", () => this.moveFlagThreshold());
    this.visible = watchVisibility($("anomaly-input").closest(".panel"), () => this.show());
  }

  /** The drawing model (the page's; it stays the page's to free), calibrated here on the test
   *  digits. The page calls this, or `retarget`, before it frees the previous model. */
  async setModel(model, dataset) {
    this.dataset = dataset;
    // fit() lets go of the previous model and its calibration before its first await.
    const fitted = this.gauge.fit(model, dataset);
    this.probeSheet.setCalibration(null);
    this.show();
    if (!(await fitted)) return; // no data yet, or another model took over meanwhile
    this.show();
    this.probeSheet.setCalibration(this.gauge.calibration);
  }

  /** New weights for the same model (one being trained): keep the calibration, unless it is
   *  still running, in which case it restarts with the new weights. */
  async retarget(model) {
    if (this.gauge.fitting || !this.gauge.scale) return this.setModel(model, this.dataset);
    this.gauge.model = model;
    this.probeSheet.setCalibration(this.gauge.calibration);
    if (this.visible()) this.show();
  }

  /** The drawing view's current input, or null. */
  setInput(input) {
    this.input = input;
    // Off screen, the panel catches up when it scrolls into view (see watchVisibility).
    if (this.visible()) this.show();
  }

  /** The flag percentile slider moved: a new threshold for the gauge and the probes. */
  moveFlagThreshold() {
    this.gauge.setFlagPercentile(flagSliderPercentile());
    this.probeSheet.setCalibration(this.gauge.calibration);
    this.show();
  }

  show() {
    const verdict = $("anomaly-verdict");
    // Scored as drawn, like the test digits it is ranked among (see AnomalyGauge.fit).
    const scored = this.input && asDrawn(this.input);
    const model = this.gauge.model;
    paintDigit($("anomaly-input"), scored);
    paintDigit($("anomaly-rebuilt"), scored && model ? model.reconstruct(scored) : null);
    const score = this.gauge.show(scored);
    if (!score) {
      verdict.textContent = this.gauge.scale ? "Draw something: a digit, a letter, a doodle." : "Scoring the test digits…";
      verdict.dataset.flag = "";
      return;
    }
    verdict.dataset.flag = score.flagged ? "anomaly" : "digit";
    verdict.dataset.percentile = String(score.percentile);
    const where = `reconstruction error ${score.error.toFixed(4)}, higher than ${score.percentile.toFixed(1)} % of the test digits' (flag above the ${ordinal(this.gauge.flagPercentile)} percentile, ${score.threshold.toFixed(4)})`;
    verdict.textContent = score.flagged ? `Doesn't look like a digit: ${where}.` : `Looks like a digit: ${where}.`;
  }
}

/** One model's reconstruction error ranked among the test digits': a bar with the flag
 *  threshold marked and a marker for the current input. */
class AnomalyGauge {
  /**
   * @param {HTMLElement} row the gauge's row, holding an `.anomaly-marker` and an `.anomaly-threshold`
   * @param {number} flagPercentile flag errors above this percentile (50…100) of the test digits'
   */
  constructor(row, flagPercentile) {
    this.row = row;
    this.model = null;
    this.scale = null; // the gauge's own AnomalyScale, freed when the next fit begins
    this.fitting = false;
    this.generation = 0;
    this.setFlagPercentile(flagPercentile);
  }

  /** What the gauge flags with, `{model, scale, flagPercentile}`, or null until it is fitted.
   *  Both objects stay valid until the next `fit`. */
  get calibration() {
    return this.scale ? { model: this.model, scale: this.scale, flagPercentile: this.flagPercentile } : null;
  }

  /** Flags errors above `percentile` (50…100) of the test digits' from now on. */
  setFlagPercentile(percentile) {
    this.scale?.setFlagPercentile(percentile);
    this.flagPercentile = percentile;
    this.row.querySelector(".anomaly-threshold").style.left = `${percentile}%`;
  }

  /** Scores every test digit, as drawn, with `model`; a later call supersedes this one.
   *  Resolves to true once fitted, false without data or when superseded.
   *  Drawings reach the model with their stroke width normalised, and so do the test digits
   *  here (and any input, in AnomalyPanel.show): otherwise a stroke wider or thinner than
   *  MNIST's would count against a drawing, whatever its shape. */
  async fit(model, dataset) {
    this.model = model;
    this.scale?.free();
    this.scale = null;
    const generation = ++this.generation;
    if (!model || !dataset) return false;
    this.fitting = true;
    const errors = await overTestDigits(dataset, 1, (images) => model.reconstructionErrors(images),
      () => generation === this.generation, { asDrawn: true });
    if (!errors) return false;
    this.fitting = false;
    this.scale = AnomalyScale.fit(errors);
    this.scale.setFlagPercentile(this.flagPercentile);
    return true;
  }

  /** Places `input` (as drawn) on the gauge: its error, percentile and flag, or null before
   *  calibration. */
  show(input) {
    const marker = this.row.querySelector(".anomaly-marker");
    if (!this.scale || !input) {
      marker.hidden = true;
      this.row.dataset.flag = "";
      return null;
    }
    const [error] = this.model.reconstructionErrors(input);
    const percentile = this.scale.percentile(error);
    const flagged = this.scale.isAnomalous(error);
    marker.hidden = false;
    marker.style.left = `${Math.min(percentile, 100)}%`;
    this.row.dataset.flag = flagged ? "anomaly" : "digit";
    this.row.dataset.percentile = String(percentile);
    return { error, percentile, flagged, threshold: this.scale.threshold };
  }
}

/** The flag percentile the slider is at, echoed beside it: the slider's markup holds the one
 *  default (99) that the gauge, its threshold line and the probe sheet start from. */
function flagSliderPercentile() {
  const percentile = Number($("flag-percentile").value);
  $("flag-percentile-value").textContent = String(percentile);
  return percentile;
}
