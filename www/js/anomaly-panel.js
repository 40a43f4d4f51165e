// "Is it a digit?": anomaly detection with Rust's AnomalyDetector (src/web/anomaly.rs), which
// scores an image as drawn and ranks the score among the test digits'. The panel scores with
// the manifest's `detector` model, or with the drawing model when the visitor chooses (so a
// model trained on the page can be tried too), and says which. A gauge shows where the input
// ranks, a slider sets the percentile above which it is flagged, a verdict says so in words,
// and the probe sheet (probe-sheet.js) is rescored with the same detector. The page computes no
// score: every number comes from the detector.

import { AnomalyDetector } from "../pkg/autoencoder_playground_inference.js";
import { $ } from "./shared.js";
import { ordinal, paintDigit, watchVisibility, whenFirstSeen } from "./views.js";

/** Test digits scored per `fitSome` call, and the milliseconds of fitting per frame. */
const FIT_SLICE = 10;
const FIT_MS_PER_FRAME = 12;

export class AnomalyPanel {
  /**
   * @param {object} parts
   * @param {import("./model-store.js").ModelStore} parts.store gives the `detector` model
   * @param {import("./probe-sheet.js").ProbeSheet} parts.probeSheet scored with the panel's detector
   */
  constructor({ store, probeSheet }) {
    this.store = store;
    this.probeSheet = probeSheet;
    this.input = null;
    this.dataset = null;
    /** The handles this panel owns: the detector role's model, and the drawing model. */
    this.handles = { detector: null, drawing: null };
    /** Which of them scores: "detector" or "drawing" (the panel's choice). */
    this.source = $("anomaly-source").value;
    /** The fitted AnomalyDetector in use, owned here, and what it was made from. */
    this.detector = null;
    this.detectorOf = null;
    this.generation = 0;
    this.row = $("anomaly-row");
    this.flagPercentile = flagSliderPercentile();
    $("flag-percentile").addEventListener("input", () => this.moveFlagThreshold());
    $("anomaly-source").addEventListener("change", (event) => this.chooseSource(event.target.value));
    this.visible = watchVisibility($("anomaly-input").closest(".panel"), () => this.show());
    // The detector model loads when the section first comes into view.
    whenFirstSeen($("anomaly-input").closest("section"), () => this.loadDetectorModel());
  }

  /** The drawing model (a handle this panel now owns; the previous one is released) and the
   *  test digits (an MnistSubset, or null until they arrive). */
  setDrawingModel(handle, dataset) {
    const newData = dataset !== this.dataset;
    this.dataset = dataset;
    this.replaceHandle("drawing", handle);
    // The detector model's calibration depends only on the test digits.
    if (this.source === "drawing" || newData) this.refit();
  }

  /** New weights of the drawing model (one being trained; same ownership as setDrawingModel).
   *  Scoring with it, the gauge keeps the previous weights' detector until the new one is fitted. */
  retargetDrawingModel(handle) {
    this.replaceHandle("drawing", handle, { keepDetector: true });
    if (this.source !== "drawing") return;
    // Weights come every few seconds: a fit under way finishes first (with the weights it
    // began with), then one more fit takes the latest.
    if (this.fitting) this.refitPending = true;
    else this.refit({ keepShowing: true });
  }

  /** The drawing view's current input, or null. */
  setInput(input) {
    this.input = input;
    // Off screen, the panel catches up when it scrolls into view (see watchVisibility).
    if (this.visible()) this.show();
  }

  /** Acquires the manifest's `detector` model, kept for the page's lifetime. */
  loadDetectorModel() {
    this.store.acquire("detector").then((handle) => {
      this.replaceHandle("detector", handle);
      if (this.source === "detector") this.refit();
    }, (error) => ($("anomaly-model").textContent = `The detector model did not load: ${error.message}`));
  }

  /** The visitor chose which model scores ("detector" or "drawing"). */
  chooseSource(source) {
    this.source = source;
    this.refit();
  }

  /** Puts `handle` in `slot`, releasing what was there. The detector fitted with the old model
   *  goes first (unless kept: it holds its own share of the weights until it is freed). */
  replaceHandle(slot, handle, { keepDetector = false } = {}) {
    const previous = this.handles[slot];
    this.handles[slot] = handle;
    if (!keepDetector && this.detectorOf === previous) this.dropDetector();
    if (previous && previous !== handle) previous.release();
  }

  dropDetector() {
    this.probeSheet.setDetector(null);
    this.detector?.free();
    this.detector = this.detectorOf = null;
  }

  /** Fits a detector for the chosen model over the test digits, a slice per frame; a later
   *  call supersedes this one. With `keepShowing`, the current detector stays in use until
   *  the new one is ready. */
  async refit({ keepShowing = false } = {}) {
    const generation = ++this.generation;
    this.fitting = false;
    this.refitPending = false;
    const handle = this.handles[this.source];
    if (!keepShowing) this.dropDetector();
    this.describe();
    this.show();
    if (!handle || !this.dataset) return;
    let detector = null;
    this.fitting = true;
    try {
      detector = new AnomalyDetector(handle.model, this.dataset);
      for (;;) {
        const began = performance.now();
        let fitted = false;
        do fitted = detector.fitSome(this.dataset, FIT_SLICE);
        while (!fitted && performance.now() - began < FIT_MS_PER_FRAME);
        if (fitted) break;
        this.row.dataset.fitting = String(detector.progress);
        await new Promise((resolve) => setTimeout(resolve));
        if (generation !== this.generation) return detector.free();
      }
    } catch (error) {
      this.fitting = false;
      detector?.free();
      $("anomaly-model").textContent = `Scoring the test digits failed: ${error.message}`;
      return;
    }
    delete this.row.dataset.fitting;
    this.fitting = false;
    this.dropDetector();
    this.detector = detector;
    this.detectorOf = handle;
    this.detector.setFlagPercentile(this.flagPercentile);
    this.describe();
    this.probeSheet.setDetector(detector, handle.info.name);
    this.show();
    if (this.refitPending) this.refit({ keepShowing: true });
  }

  /** The flag percentile slider moved: a new threshold for the gauge and the probes. */
  moveFlagThreshold() {
    this.flagPercentile = flagSliderPercentile();
    this.detector?.setFlagPercentile(this.flagPercentile);
    this.row.querySelector(".anomaly-threshold").style.left = `${this.flagPercentile}%`;
    this.probeSheet.thresholdMoved(this.flagPercentile);
    this.show();
  }

  /** Says which model scores and what its score measures. */
  describe() {
    const handle = this.handles[this.source];
    const role = this.source === "detector" ? "the detector model" : "the drawing model";
    const name = handle ? handle.info.name : role;
    $("anomaly-row-label").textContent = handle ? handle.info.name : "Score";
    $("anomaly-rebuilt").nextElementSibling.textContent = `rebuilt by ${name}`;
    const what = this.detector ? ` Its score: ${this.detector.description}.` : "";
    $("anomaly-model").textContent = !handle ? `Loading ${role}…`
      : `Scoring with ${handle.info.name}, ${role}.${what}`;
    $("anomaly-model").dataset.model = handle?.info.id ?? "";
  }

  show() {
    const verdict = $("anomaly-verdict");
    const score = this.detector && this.input ? this.detector.score(this.input) : null;
    paintDigit($("anomaly-input"), score?.scored ?? null);
    paintDigit($("anomaly-rebuilt"), score?.rebuilt ?? null);
    const marker = this.row.querySelector(".anomaly-marker");
    this.row.querySelector(".anomaly-threshold").style.left = `${this.flagPercentile}%`;
    marker.hidden = !score;
    this.row.dataset.flag = score ? (score.flagged ? "anomaly" : "digit") : "";
    if (!score) {
      verdict.textContent = this.detector ? "Draw something: a digit, a letter, a doodle." : "Scoring the test digits…";
      verdict.dataset.flag = "";
      delete verdict.dataset.error;
      return;
    }
    marker.style.left = `${Math.min(score.percentile, 100)}%`;
    this.row.dataset.percentile = String(score.percentile);
    verdict.dataset.flag = score.flagged ? "anomaly" : "digit";
    verdict.dataset.percentile = String(score.percentile);
    verdict.dataset.error = String(score.error);
    const where = `score ${score.error.toFixed(4)}, higher than ${score.percentile.toFixed(1)} % of the test digits' (flag above the ${ordinal(this.flagPercentile)} percentile, ${score.threshold.toFixed(4)})`;
    verdict.textContent = score.flagged ? `Doesn't look like a digit: ${where}.` : `Looks like a digit: ${where}.`;
  }
}

/** The flag percentile the slider is at, echoed beside it: the slider's markup holds the one
 *  default (99) that the gauge, its threshold line and the probe sheet start from. */
function flagSliderPercentile() {
  const percentile = Number($("flag-percentile").value);
  $("flag-percentile-value").textContent = String(percentile);
  return percentile;
}
