// Wires the page together: loads the wasm module, the models' manifest and the drawing model,
// and runs drawing → 28×28 → encode → decode on every change. All arithmetic happens in Rust;
// every model comes from the store (model-store.js) as a handle, and each view that keeps the
// drawing model holds its own share of it and releases it when the next one comes.

import init, { MnistSubset, backendName, compareImages, drawingToMnist } from "../pkg/autoencoder_playground_inference.js";
import { DrawingPad } from "./draw.js";
import { FRAME_BUDGET_MS, FollowingViews } from "./following-views.js";
import { buildGallery } from "./gallery.js";
import { LatentExplorer } from "./latent-explorer.js";
import { ModelPicker, TRAINED_KEY } from "./model-picker.js";
import { ModelStore, manifestEntry } from "./model-store.js";
import { offerOffline } from "./offline.js";
import { PageLink, markSectionInView } from "./page-link.js";
import { $, TEST_DIGITS_URL, fetchBytes, fetchDataFile, fetchOk, fileName } from "./shared.js";
import { TrainingPanel } from "./training-panel.js";
import { LatentView, paintDifference, paintDigit, whenFirstSeen } from "./views.js";

/** Refitting the explorer and the anomaly scale encodes every test digit, so a model that keeps
 *  changing (one being trained, refreshed every 2 s) is refitted at most this often. */
const REFIT_EVERY_MS = 15000;

const state = {
  store: null, // the ModelStore, once the manifest is in
  drawing: null, // the handle on the model drawn with (this module's; see useModel)
  lastRefit: -Infinity, // when the views last refitted to the drawing model (performance.now())
  dataset: null, // the test digits (MnistSubset), once they are in
  sample: null, // a 28×28 image shown on the pad (a test digit, a probe), fed to the model as it is
  sampleDigit: null, // the test digit's index when `sample` is one (a link can name it)
  linkedDigit: null, // a link's test digit, shown once the test digits are in
  pending: false, // an update is due on the next animation frame
  inputChanged: false, // the pad's input (or model) changed since its views last showed it
};

/** The test digits, once they are in: for the sections that load later (see below). */
let testDigitsArrived;
let testDigitsFailed;
const testDigitsReady = new Promise((resolve, reject) => [testDigitsArrived, testDigitsFailed] = [resolve, reject]);
testDigitsReady.catch(() => {}); // the page says so under the pad; a section waiting on it says so too

markSectionInView($("section-nav"));
const latentView = new LatentView($("latent"));
const explorer = new LatentExplorer();
// For the benchmark of a cold visit (pkg-scripts/bench/cold_load.py): when the first stroke
// reached the page, which WebDriver's latency decides, and (in `update`) when it was first rebuilt.
$("draw-canvas").addEventListener("pointerdown", () => performance.mark("first-stroke"), { once: true });
const pad = new DrawingPad($("draw-canvas"), () => {
  if (!pad.isEmpty && pad.strokes.length > 0 && state.sample) {
    state.sample = null; // drawn over: the input is the drawing now, no longer the image shown
    state.sampleDigit = null;
    say("", "info", "pad");
  }
  scheduleUpdate();
});
// The sections below the first view, each made when it first comes into view (`main`).
let uses = null; // "What autoencoders are for"
let study = null; // the latent-size study
let insides = null; // "Inside the network"
let reuse = null; // "Reuse the encoder"

/** Shows `message` where the visitor looks for it: beside the model selector and the file
 *  input ("model": loading, ready, a refused file, errors), or under the pad ("pad": what is
 *  shown on it, and what went wrong rebuilding it). */
function say(message, kind = "info", where = "model") {
  const status = $(`${where}-status`);
  status.textContent = message;
  status.dataset.kind = kind;
}
const sayUnderPad = (message, kind = "info") => say(message, kind, "pad");

/** The views below the pad, in page order: they follow its input within each frame's budget. */
const following = new FollowingViews([
  (input, code) => explorer.setInput(input, code),
  (input, code) => insides?.follow(input, code),
  (input) => study?.follow(input),
  (input) => uses?.follow(input),
  (input) => reuse?.setInput(input),
], (error) => sayUnderPad(error.message, "error"));

/** A new input (or model): the pad's views show it on the next animation frame. */
function scheduleUpdate() {
  state.inputChanged = true;
  requestFrame();
}

/** Coalesces the page's work into one update per animation frame. */
function requestFrame() {
  if (state.pending) return;
  state.pending = true;
  requestAnimationFrame(() => {
    state.pending = false;
    update();
  });
}

/** One frame's work: the pad's views when the input changed, then the following views until
 *  the frame's budget is spent. Timed for the per-frame benchmark (pkg-scripts/bench/
 *  frame_budget.py): a measure an observer sees as it is made, cleared at once. */
function update() {
  const started = performance.now();
  try {
    if (state.inputChanged) {
      state.inputChanged = false;
      updatePad();
    }
    if (following.runUntil(started + FRAME_BUDGET_MS)) requestFrame();
  } finally {
    performance.measure("page-update", { start: started });
    performance.clearMeasures("page-update");
  }
}

/** The input, the model's code and reconstruction beside the pad; then the views below follow. */
function updatePad() {
  const input = currentInput();
  paintDigit($("model-input"), input);
  const model = state.drawing?.model;
  if (!input || !model) {
    latentView.show(null);
    paintDigit($("reconstruction"), null);
    paintDifference($("difference"), null, null);
    $("error").textContent = "Draw a digit to begin.";
    following.follow(null, null);
    return;
  }
  try {
    const code = model.encode(input);
    const output = model.decode(code);
    const { mse, psnr } = compareImages(output, input);
    latentView.show(code);
    paintDigit($("reconstruction"), output);
    // For the benchmark of a cold visit (pkg-scripts/bench/cold_load.py).
    if (!performance.getEntriesByName("first-reconstruction").length) performance.mark("first-reconstruction");
    paintDifference($("difference"), input, output);
    $("error").innerHTML = `MSE <span class="number" data-mse="${mse}">${mse.toFixed(4)}</span> · PSNR ${psnr.toFixed(1)} dB`;
    following.follow(input, code);
  } catch (error) {
    sayUnderPad(error.message, "error");
  }
}

/** The 28×28 model input: a shown test digit as it is, or the drawing converted. */
function currentInput() {
  if (pad.isEmpty) return null;
  if (state.sample) return state.sample;
  const { rgba, width, height } = pad.pixels();
  return drawingToMnist(rgba, width, height) ?? null;
}

/** Draws with `handle`'s model from now on and owns the handle: each view that keeps the model
 *  gets a share of its own, and the previous handle is released. */
function useModel(handle) {
  const previous = state.drawing;
  state.drawing = handle;
  const sameSize = previous?.info.latentSize === handle.info.latentSize;
  const sameModel = sameSize && previous.info.id === handle.info.id && previous.info.name === handle.info.name;
  const now = performance.now();
  if (!sameModel || now - state.lastRefit > REFIT_EVERY_MS) {
    state.lastRefit = now;
    explorer.setModel(handle.share(), state.dataset).catch(showError);
    uses?.setDrawingModel(handle.share(), state.dataset);
  } else {
    // New weights of the model being trained: the views keep what they fitted.
    explorer.retarget(handle.share()).catch(showError);
    uses?.retargetDrawingModel(handle.share());
  }
  insides?.setModel(handle.share());
  reuse?.setDrawingModel(handle.share());
  previous?.release();
  if (!sameSize) latentView.reset(handle.info.latentSize);
  calibrateLatentScale();
  study?.setCurrentModel(handle.info.id);
  scheduleUpdate();
}

/** Scales the latent bars to the codes of real test digits, so one scale fits every drawing. */
function calibrateLatentScale() {
  if (!state.drawing || !state.dataset) return;
  const sample = state.dataset.testIndices().slice(0, 100); // about 15 ms: no long task
  const codes = state.drawing.model.encodeMany(state.dataset.images(sample));
  latentView.setScale(codes.reduce((largest, v) => Math.max(largest, Math.abs(v)), 0));
}

function showRandomDigit() {
  if (!state.dataset) return;
  const test = state.dataset.testIndices();
  showDigit(test[Math.floor(Math.random() * test.length)]);
}

/** Shows sample `index` of the test digits on the pad and feeds it to the model as it is; before
 *  the digits are in, once they are. */
function showDigit(index) {
  if (!state.dataset) {
    state.linkedDigit = index;
    return;
  }
  let pixels;
  try {
    pixels = state.dataset.image(index);
  } catch (error) {
    showError(error);
    return;
  }
  showImage(pixels, `Test digit #${index}: a ${state.dataset.label(index)}`);
  state.sampleDigit = index;
}

/** Shows a 28×28 image (`Float32Array(784)`) on the pad and feeds it to the model as it is. */
function showImage(pixels, description) {
  state.sample = pixels;
  state.sampleDigit = null;
  pad.showImage(pixels);
  sayUnderPad(`${description}. Draw over it, or clear.`);
  scheduleUpdate();
}

function showStrokes(strokes) {
  state.sample = null;
  state.sampleDigit = null;
  pad.setStrokes(strokes);
}

function clearPad() {
  state.sample = null;
  state.sampleDigit = null;
  pad.clear();
  sayUnderPad("");
}

async function main() {
  // The manifest, then the drawing model, download while the module compiles.
  const manifestArrives = fetchOk("models/manifest.json").then((response) => response.json());
  const drawingBytes = manifestArrives.then((m) => fetchBytes(`models/${manifestEntry(m, "drawing").file}`));
  drawingBytes.catch(() => {}); // awaited below, after the module; not an unhandled rejection meanwhile
  await init();
  $("about").textContent += ` Drawing runs on ${backendName()}; training on burn, in a Worker.`;
  const store = (state.store = new ModelStore(await manifestArrives));
  const drawingId = store.entry("drawing").id;
  const picker = new ModelPicker({ store, onModel: useModel, say });
  const link = new PageLink({
    models: store.manifest.models.map((m) => m.id),
    pad,
    picker,
    shownDigit: () => (state.sample ? (state.sampleDigit ?? undefined) : null),
    showStrokes,
    showDigit,
    say: sayUnderPad,
  });

  const linked = link.read();
  const first = linked?.model ?? drawingId;
  await picker.choose(first, first === drawingId ? drawingBytes : null);
  // From here a stroke is rebuilt on the next frame (the benchmark's "model ready").
  performance.mark("model-ready");
  if (linked) link.show(linked);
  link.follow();

  // The sections below are no part of the first view: their modules, and the models and digits
  // they fetch, load when each first comes into view; then they follow the drawing model.
  const sectionFailed = (where) => (error) => ($(where).textContent = `This section did not load: ${error.message}`);
  whenFirstSeen($("size-study"), () => import("./size-study.js").then(({ SizeStudy }) => {
    study = new SizeStudy({ store, selectModel: (id) => picker.choose(id).catch(showError) });
    study.setCurrentModel(state.drawing.info.id);
    scheduleUpdate();
  }).catch(sectionFailed("size-note")));
  whenFirstSeen($("uses"), () => import("./uses.js").then(({ UsesSection }) => {
    uses = new UsesSection({ store, showImage });
    uses.setDrawingModel(state.drawing.share(), state.dataset);
    scheduleUpdate();
  }).catch(sectionFailed("uses-status")));
  whenFirstSeen($("inside"), () => import("./network-insides.js").then(({ NetworkInsides }) => {
    insides = new NetworkInsides();
    insides.setModel(state.drawing.share());
    scheduleUpdate();
  }).catch(sectionFailed("inside-model")));
  whenFirstSeen($("dream"), () => import("./dreams-panel.js")
    .then(({ DreamsPanel }) => new DreamsPanel({ store, testDigits: testDigitsReady }))
    .catch(sectionFailed("dream-status")));
  whenFirstSeen($("shapes"), () => import("./shapes-panel.js")
    .then(({ openShapesPanel }) => openShapesPanel({
      store,
      testDigits: testDigitsReady,
      drawingModel: () => state.drawing,
      drawWith: (handle) => picker.useAdopted(handle),
    }))
    .catch(sectionFailed("shapes-body")));
  whenFirstSeen($("reuse"), () => import("./reuse-panel.js").then(({ ReusePanel }) => {
    reuse = new ReusePanel({
      manifest: store.manifest, testDigits: testDigitsReady, drawing: state.drawing?.share() ?? null, input: currentInput(),
    });
  }).catch(sectionFailed("reuse-train-status")));

  const training = new TrainingPanel({
    store,
    dataset: () => state.dataset,
    // Drawing with the trained model follows it as it learns.
    following: () => picker.value === TRAINED_KEY,
    onWeights: (handle) => picker.useAdopted(handle),
  });
  $("use-trained").addEventListener("click", () => {
    try {
      picker.useAdopted(training.adoptWeights());
    } catch (error) {
      showError(error);
    }
  });

  $("clear").addEventListener("click", clearPad);
  $("undo").addEventListener("click", () => pad.undo());
  $("random-digit").addEventListener("click", showRandomDigit);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") clearPad();
    if (event.key === "z" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); pad.undo(); }
  });

  // The test digits (the gallery, the explorer, the panels) come once the pad works: on a slow
  // connection the model gets the bandwidth first, and drawing needs nothing else.
  fetchDataFile(TEST_DIGITS_URL)
    .then((bytes) => {
      state.dataset = MnistSubset.load(bytes, fileName(TEST_DIGITS_URL));
      $("random-digit").disabled = false;
      buildGallery(state.dataset, showDigit);
      calibrateLatentScale();
      explorer.setModel(state.drawing.share(), state.dataset).catch(showError);
      uses?.setDrawingModel(state.drawing.share(), state.dataset);
      training.paintStrip(null);
      // ?digit=N opens the page on test digit N (for screenshots), as a link's #digit=N does.
      const requested = new URLSearchParams(location.search).get("digit") ?? state.linkedDigit;
      if (requested != null) showDigit(Number(requested));
      testDigitsArrived(state.dataset);
      offerOffline();
    })
    .catch((error) => {
      testDigitsFailed(new Error(`test digits unavailable (${error.message})`));
      state.dataset = null;
      $("random-digit").disabled = true;
      sayUnderPad(`Test digits unavailable: ${error.message}`, "error");
      offerOffline();
    });
}

function showError(error) {
  console.error(error);
  say(error.message ?? String(error), "error");
}

main().catch(showError);
