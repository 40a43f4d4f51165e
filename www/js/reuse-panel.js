// "Reuse the encoder": what a few labels make of an encoder trained without them. A chart of
// test accuracy against the number of labelled digits (from the manifest's `transfer` figures),
// the drawing classified live by the shipped fine-tuned classifier (the manifest's `classifier`
// role), and a softmax the visitor trains in the page on the drawing model's codes of N labelled
// training digits, whose point joins the chart and which then classifies the drawing too.
//
// main.js imports this module only when the section first comes into view; the classifier file
// and the training digits are fetched then (the digits on the first "Train"). The panel holds
// the classifier for the page's lifetime and frees each in-page softmax when a new one replaces
// it or the drawing model changes. Fitting and classifying happen in Rust (the later views'
// module, with the drawing model's copy there from the model store); this module paints.

import { MnistSubset } from "../pkg/autoencoder_playground_inference.js";
import { laterModule } from "./model-store.js";
import { loadCollection } from "./shape-store.js";
import { $, PIXELS, TRAINING_DIGITS_URL, fetchBytes, fetchDataFile, fileName, modelLabel } from "./shared.js";
import { drawLineChart } from "./views.js";

const DIGITS = Array.from({ length: 10 }, (_, d) => String(d));
/** The chart's series: the manifest's figure each reads, its label and look. */
const SERIES = [
  { key: "fineTuned", label: "encoder fine-tuned", color: "#2f5bea" },
  { key: "randomInit", label: "same network, random start", color: "#d9544f", dashed: true },
  { key: "frozenCodes", label: "softmax on frozen codes", color: "#16181d" },
  { key: "pca", label: "softmax on PCA codes", color: "#8a8f9c", dashed: true },
  { key: "pixels", label: "softmax on pixels", color: "#2e9e6b", dashed: true },
];
const VISITOR = { label: "your softmax on codes", color: "#e08a00" };

export class ReusePanel {
  /**
   * @param {object} page
   * @param {object} page.manifest the models' manifest
   * @param {Promise<MnistSubset>} page.testDigits the test digits, once the page has them
   * @param {object | null} page.drawing a handle on the drawing model (the panel owns it)
   * @param {Float32Array | null} page.input the drawing view's current input
   */
  constructor({ manifest, testDigits, drawing, input }) {
    this.manifest = manifest;
    this.testDigits = testDigits;
    this.drawing = drawing;
    this.input = input;
    this.classifier = null;
    this.mine = null; // {classifier: CodeClassifier, labels, accuracy, model}
    this.points = []; // the visitor's trainings: [labels, accuracy]
    this.trainingDigits = null; // a promise of the MnistSubset of training digits
    this.seed = 1;
    this.describe();
    $("reuse-verdict").textContent = verdict(manifest.transfer);
    this.drawChart();
    new ResizeObserver(() => this.drawChart()).observe($("reuse-chart"));
    $("reuse-train").addEventListener("click", () => this.train());
    $("reuse-train").disabled = false; // disabled in the page until this listener is there
    this.loadClassifier().catch((error) => this.say("reuse-shipped-status", `The classifier did not load: ${error.message}`, "error"));
  }

  async loadClassifier() {
    const id = this.manifest.roles?.classifier;
    const entry = (this.manifest.classifiers ?? []).find((c) => c.id === id);
    if (!entry) throw new Error("the manifest names no classifier");
    const [bytes, { Classifier }] = await Promise.all([fetchBytes(`models/${entry.file}`), laterModule()]);
    this.classifier = Classifier.load(bytes);
    const accuracy = percent(entry.testAccuracy);
    // Named by the model it was fine-tuned from: the drawing model may be another one by now.
    const encoder = this.manifest.models.find((m) => m.id === entry.encoderModel);
    const encoderName = encoder ? `${modelLabel(encoder)}'s encoder` : "an encoder";
    $("reuse-shipped-name").textContent =
      `${encoderName} fine-tuned on ${this.classifier.labelsUsed} labelled digits (${accuracy} on the test digits)`;
    this.classify();
  }

  /** The drawing view's current input, or null. */
  setInput(input) {
    this.input = input;
    this.classify();
  }

  /** A new drawing model (the panel owns `handle`): a softmax fitted to the old model's codes
   *  means nothing for the new one's, so it goes, and its point with it. */
  setDrawingModel(handle) {
    const sameModel = this.drawing?.info.id === handle.info.id && this.drawing?.info.name === handle.info.name;
    this.drawing?.release();
    this.drawing = handle;
    if (!sameModel) {
      this.forgetMine();
      this.points = [];
      this.drawChart();
      this.say("reuse-train-status", "");
    }
    this.describe();
  }

  forgetMine() {
    this.mine?.classifier.free();
    this.mine = null;
    $("reuse-mine").hidden = true;
  }

  describe() {
    const info = this.drawing?.info;
    $("reuse-model-name").textContent = info ? modelLabel(info) : "the drawing model";
  }

  /** Fits a softmax on the drawing model's codes of N labelled training digits (a new draw each
   *  time), scores it on the test digits and puts its point on the chart. */
  async train() {
    const labels = Number($("reuse-labels").value);
    const button = $("reuse-train");
    button.disabled = true;
    try {
      if (!this.drawing) throw new Error("the drawing model is not loaded yet");
      this.say("reuse-train-status", "Fetching the training digits…");
      const [training, test] = await Promise.all([this.training(), this.testDigits]);
      this.say("reuse-train-status", `Training on ${labels} labels…`);
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      const began = performance.now();
      const indices = training.labelledDraw(labels / 10, this.seed++);
      const drawing = this.drawing;
      const [model, { CodeClassifier }] = await Promise.all([drawing.laterModel(), laterModule()]);
      if (drawing !== this.drawing) throw new Error("the drawing model changed meanwhile: train again");
      // The visitor's named shape ("Teach it a new shape"), if any, as an eleventh class: the
      // encoder reused for something it never saw labelled.
      const shape = await namedShape();
      const images = shape ? concat(training.images(indices), shape.examples) : training.images(indices);
      const classes = shape ? [...DIGITS, shape.name] : DIGITS;
      const classOf = shape
        ? Uint32Array.from([...training.labels(indices), ...Array(shape.count).fill(10)])
        : training.labels(indices);
      const fitted = CodeClassifier.fit(model, images, classOf, classes);
      const fitMs = performance.now() - began;
      const testIndices = test.testIndices();
      const accuracy = fitted.accuracy(test.images(testIndices), test.labels(testIndices));
      this.forgetMine();
      this.mine = { classifier: fitted, labels, accuracy };
      this.points.push([labels, accuracy]);
      this.drawChart();
      this.say("reuse-train-status",
        `Trained on ${labels} labelled digits (${labels / 10} of each) in ${Math.round(fitMs)} ms: ` +
        `${percent(accuracy)} of the ${testIndices.length.toLocaleString("en")} test digits right` +
        (shape ? `, with your ${shape.count} drawings of “${shape.name}” as an eleventh class.` : "."));
      $("reuse-mine-name").textContent = `your softmax, ${labels} labels on ${modelLabel(this.drawing.info)}'s codes` +
        (shape ? ` (and “${shape.name}”)` : "");
      $("reuse-mine").dataset.classes = String(classes.length);
      $("reuse-mine").hidden = false;
      this.classify();
    } catch (error) {
      this.say("reuse-train-status", `Training failed: ${error.message}`, "error");
    } finally {
      button.disabled = false;
    }
  }

  /** The training digits, fetched once, on the first training. */
  training() {
    if (!this.trainingDigits) {
      this.trainingDigits = fetchDataFile(TRAINING_DIGITS_URL).then((bytes) => MnistSubset.load(bytes, fileName(TRAINING_DIGITS_URL)));
      this.trainingDigits.catch(() => (this.trainingDigits = null)); // the next click tries again
    }
    return this.trainingDigits;
  }

  /** Paints the top three classes of the current input by each classifier there is. */
  classify() {
    showTopThree($("reuse-shipped"), this.classifier, this.input);
    if (this.mine) showTopThree($("reuse-mine-list"), this.mine.classifier, this.input);
  }

  drawChart() {
    const figures = this.manifest.transfer?.byLabels ?? [];
    const at = (key) => figures.map((p) => [Math.log10(p.labels), p[key].mean]);
    // One standard deviation either side, over the draws of which digits are labelled.
    const spread = (key) => figures.map((p) => [p[key].mean - p[key].spread, p[key].mean + p[key].spread]);
    const visitor = [...this.points].sort((a, b) => a[0] - b[0]).map(([n, a]) => [Math.log10(n), a]);
    const canvas = $("reuse-chart");
    drawLineChart(canvas, [
      ...SERIES.map(({ key, label, color, dashed }) => ({ points: at(key), ranges: spread(key), label, color, dashed, dots: true })),
      { points: visitor, label: VISITOR.label, color: VISITOR.color, dots: true },
    ], {
      format: (v) => `${(100 * v).toFixed(0)} %`,
      xTicks: figures.map((p) => [Math.log10(p.labels), p.labels.toLocaleString("en")]),
      emptyText: "No transfer-learning figures in the manifest",
      legendAt: "bottom",
    });
    canvas.dataset.visitorPoints = String(this.points.length);
    canvas.dataset.labelCounts = figures.map((p) => p.labels).join(",");
  }

  say(id, message, kind = "info") {
    $(id).textContent = message;
    $(id).dataset.kind = kind;
  }
}

/** The visitor's shape collection if it is named and has examples: `{name, examples, count}`;
 *  else (none, unnamed, or no storage in this browser) null. */
async function namedShape() {
  try {
    const saved = await loadCollection();
    const count = saved ? saved.examples.length / PIXELS : 0;
    return saved?.name && count > 0 ? { name: saved.name, examples: saved.examples, count } : null;
  } catch {
    return null;
  }
}

function concat(a, b) {
  const joined = new Float32Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** The three most probable classes of `input` under `classifier` as list items (or a dash). */
function showTopThree(list, classifier, input) {
  let probabilities = null;
  try {
    probabilities = classifier && input ? classifier.classify(input) : null;
  } catch (error) {
    list.replaceChildren(item(`(${error.message})`));
    return;
  }
  if (!probabilities) {
    list.replaceChildren(item(classifier ? "Draw a digit." : "Loading…"));
    delete list.dataset.top;
    return;
  }
  const names = classifier.classNames;
  const ranked = [...probabilities.keys()].sort((a, b) => probabilities[b] - probabilities[a]).slice(0, 3);
  list.replaceChildren(...ranked.map((c) => {
    const li = item("");
    const name = document.createElement("strong");
    name.textContent = names[c];
    const bar = document.createElement("meter");
    bar.min = 0;
    bar.max = 1;
    bar.value = probabilities[c];
    bar.setAttribute("aria-label", `probability of ${names[c]}`);
    li.append(name, " ", bar, ` ${percent(probabilities[c])}`);
    return li;
  }));
  list.dataset.top = ranked.map((c) => names[c]).join(",");
}

/** What the manifest's figures say, in words: at 100 labels, and where every variant meets. */
function verdict(transfer) {
  const at = (labels) => transfer?.byLabels.find((p) => p.labels === labels);
  const hundred = at(100);
  if (!hundred) return "";
  const mean = (key) => percent(hundred[key].mean);
  const ten = at(10);
  return `With 100 labels (${hundred.draws} random draws of which digits are labelled): a softmax on ` +
    `the pixels gets ${mean("pixels")} of the test digits right, on PCA's codes ${mean("pca")}, on the ` +
    `frozen codes ${mean("frozenCodes")}; the encoder fine-tuned with its head, each digit deformed anew ` +
    `at every step, ${mean("fineTuned")}, and the same network from random weights ${mean("randomInit")}. ` +
    `Without the deformations the pretraining is worth more: ${mean("fineTunedUndeformed")} fine-tuned ` +
    `against ${mean("randomInitUndeformed")} from random weights, since nothing else tells the network ` +
    "what digits look like." +
    (ten ? ` With 10 labels every variant stays between ${percent(Math.min(...SERIES.map((s) => ten[s.key].mean)))} ` +
      `and ${percent(Math.max(...SERIES.map((s) => ten[s.key].mean)))}.` : "");
}

function item(text) {
  const li = document.createElement("li");
  li.textContent = text;
  return li;
}

function percent(value) {
  return `${(100 * value).toFixed(1)}\u00a0%`; // no line break before the %
}
