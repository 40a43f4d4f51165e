// Wires the page together: loads the wasm module, the models manifest and a model, and runs
// drawing → 28×28 → encode → decode on every change. All arithmetic happens in Rust.
//
// Who frees which model (a wasm object lives until its `free()`):
// - The drawing model, `state.model`, is this module's. Only `useModel` replaces it: it first
//   tells the views that hold it (the explorer, the anomaly panel and its probe sheet) about
//   the new model, then frees the old one.
// - Each model reaches `useModel` from one `Autoencoder.load`: of a manifest or custom entry in
//   `selectModel`, of a file in `loadModelFile`, of the trained bytes in `useTrainedModel`; or
//   it is the training panel's, which loads each set of weights once for its strip and hands
//   the model over through `onWeights`, where the page takes it or frees it.
// - The size study, the "what autoencoders are for" panels and "Dream up digits" load their own
//   models and keep them for the page's lifetime.

import init, { Autoencoder, MnistSubset, PcaBaseline, backendName, checkModelFileSize, compareImages, drawingToMnist } from "../pkg/autoencoder_playground_inference.js";
import { DrawingPad } from "./draw.js";
import { LatentExplorer } from "./latent-explorer.js";
import { LABEL_COLOURS } from "./latent-map.js";
import { ModelStore } from "./model-store.js";
import { offerOffline } from "./offline.js";
import { $, PIXELS, SIDE, TEST_DIGITS_URL, fetchBytes, fetchDataFile, fetchOk, fileName } from "./shared.js";
import { linkFragment, parseFragment } from "./share-link.js";
import { SizeStudy } from "./size-study.js";
import { TrainingPanel } from "./training-panel.js";
import { UsesSection } from "./uses.js";
import { LatentView, drawNetwork, paintDifference, paintDigit } from "./views.js";

const state = {
  model: null, // the drawing model (see above)
  manifest: null,
  /** Models that are not in the manifest, by select value: {name, description, bytes}. */
  custom: new Map(),
  dataset: null,
  sample: null, // a 28×28 image shown on the pad (a test digit, a probe), fed to the model as it is
  sampleDigit: null, // the test digit's index when `sample` is one (a link can name it)
  linkedDigit: null, // a link's test digit, shown once the test digits are in
  pending: false,
};

/** The test digits, once they are in: for the sections that load later (see below). */
let testDigitsArrived;
let testDigitsFailed;
const testDigitsReady = new Promise((resolve, reject) => [testDigitsArrived, testDigitsFailed] = [resolve, reject]);
testDigitsReady.catch(() => {}); // the page says so under the pad; a section waiting on it says so too

const latentView = new LatentView($("latent"));
const explorer = new LatentExplorer();
// [glue] until the page hands out the store's handles: a store for the anomaly panel's
// detector role, and handles that do not free the page's drawing model.
let storeArrived;
const storeReady = new Promise((resolve) => (storeArrived = resolve));
const store = { acquire: async (ref) => (await storeReady).acquire(ref) };
const glueHandle = (model) => ({ model, info: { id: state.modelId, name: state.modelName }, release() {}, share() { return this; } });
const uses = new UsesSection({ loadModel: loadManifestModel, showImage, loadPca: loadPcaBaseline, store });
const study = new SizeStudy((id) => {
  $("model-select").value = id;
  selectModel(id).catch(showError);
}, loadPcaBaseline);
// "Dream up digits" is no part of the first view: its module and its four models load when
// the section first comes into view.
new IntersectionObserver((seen, observer) => {
  if (!seen.some((s) => s.isIntersecting)) return;
  observer.disconnect();
  import("./dreams-panel.js")
    .then(({ DreamsPanel }) => new DreamsPanel({ manifest: loadManifest(), loadModel: loadManifestModel, testDigits: testDigitsReady }))
    .catch((error) => ($("dream-status").textContent = `This section did not load: ${error.message}`));
}).observe($("dream"));
// For the benchmark of a cold visit (pkg-scripts/bench/cold_load.py): when the first stroke
// reached the page, which WebDriver's latency decides, and (in `update`) when it was first rebuilt.
$("draw-canvas").addEventListener("pointerdown", () => performance.mark("first-stroke"), { once: true });
const pad = new DrawingPad($("draw-canvas"), () => {
  if (!pad.isEmpty && pad.strokes.length > 0 && state.sample) {
    state.sample = null; // drawn over: the input is the drawing now, no longer the image shown
    state.sampleDigit = null;
    setStatus("", "info", "pad");
  }
  scheduleUpdate();
});

/** Shows `message` where the visitor looks for it: beside the model selector and the file
 *  input ("model": loading, ready, a refused file, errors), or under the pad ("pad": what is
 *  shown on it, and what went wrong rebuilding it). */
function setStatus(message, kind = "info", where = "model") {
  const status = $(`${where}-status`);
  status.textContent = message;
  status.dataset.kind = kind;
}

/** Coalesces changes into one update per animation frame. */
function scheduleUpdate() {
  if (state.pending) return;
  state.pending = true;
  requestAnimationFrame(() => {
    state.pending = false;
    update();
  });
}

function update() {
  const input = currentInput();
  paintDigit($("model-input"), input);
  if (!input || !state.model) {
    latentView.show(null);
    paintDigit($("reconstruction"), null);
    paintDifference($("difference"), null, null);
    $("error").textContent = "Draw a digit to begin.";
    explorer.setInput(null, null);
    study.setInput(null);
    uses.setInput(null);
    return;
  }
  try {
    const code = state.model.encode(input);
    const output = state.model.decode(code);
    const { mse, psnr } = compareImages(output, input);
    latentView.show(code);
    paintDigit($("reconstruction"), output);
    // For the benchmark of a cold visit (pkg-scripts/bench/cold_load.py).
    if (!performance.getEntriesByName("first-reconstruction").length) performance.mark("first-reconstruction");
    paintDifference($("difference"), input, output);
    $("error").innerHTML = `MSE <span class="number" data-mse="${mse}">${mse.toFixed(4)}</span> · PSNR ${psnr.toFixed(1)} dB`;
    explorer.setInput(input, code);
    study.setInput(input);
    uses.setInput(input);
  } catch (error) {
    setStatus(error.message, "error", "pad");
  }
}

/** The 28×28 model input: a shown test digit as it is, or the drawing converted. */
function currentInput() {
  if (pad.isEmpty) return null;
  if (state.sample) return state.sample;
  const { rgba, width, height } = pad.pixels();
  return drawingToMnist(rgba, width, height) ?? null;
}

/** The convolutional model against the dense one it is compared with, from the manifest. */
function describeConvModel(manifest) {
  const find = (id) => manifest.models.find((m) => m.id === id);
  const [conv, dense] = [find("conv-l32"), find("dense-l32")];
  if (!conv || !dense) return;
  const describe = (m) => `${m.params.toLocaleString("en")} parameters, test MSE ${m.test.mse.toFixed(4)}`;
  $("conv-compare").textContent =
    `Convolutional (L=${conv.latentSize}): ${describe(conv)}. Dense (L=${dense.latentSize}, the latent-size study's): ${describe(dense)}. ` +
    "Sharing small filters across the image needs far fewer weights and rebuilds digits better.";
}

/** The models' manifest: the page's copy once `main` has it, else fetched. */
async function loadManifest() {
  return state.manifest ?? (await (await fetchOk("models/manifest.json")).json());
}

/** A model of the manifest, loaded on its own (for the sections that compare models). */
async function loadManifestModel(id) {
  const manifest = await loadManifest();
  return Autoencoder.load(await fetchBytes(`models/${manifestEntry(manifest, id).file}`));
}

/** The PCA baseline the manifest names, loaded once for the views that compare with it. */
let pcaBaseline = null;
function loadPcaBaseline() {
  pcaBaseline ??= (async () => {
    const manifest = await loadManifest();
    if (!manifest.pcaBaseline) throw new Error("the manifest names no PCA baseline");
    return PcaBaseline.load(await fetchBytes(`models/${manifest.pcaBaseline.file}`));
  })();
  return pcaBaseline;
}

function manifestEntry(manifest, id) {
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry) throw new Error(`no model "${id}" in the manifest`);
  return entry;
}

/** Loads model `id` (a manifest entry, or one trained or loaded here) for drawing. */
async function selectModel(id, fetching = null) {
  const custom = state.custom.get(id);
  const entry = custom ?? manifestEntry(state.manifest, id);
  setStatus(`Loading ${entry.name}…`);
  const bytes = custom ? custom.bytes : await (fetching ?? fetchBytes(`models/${entry.file}`));
  const description = custom
    ? custom.description
    : `${entry.description} Test MSE ${entry.test.mse.toFixed(4)} (PSNR ${entry.test.psnr.toFixed(1)} dB), ${entry.params.toLocaleString("en")} parameters.`;
  useModel(id, Autoencoder.load(bytes), entry.name, description);
}

/** Refitting the explorer and the anomaly scale encodes every test digit, so a model that keeps
 *  changing (one being trained, refreshed every 2 s) is refitted at most this often. */
const REFIT_EVERY_MS = 15000;

/** Draws with `model` (select value `id`) from now on, and takes it over: see the top. */
function useModel(id, model, name, description) {
  const previous = state.model;
  const sameSize = previous?.latentSize === model.latentSize;
  const now = performance.now();
  const refit = !sameSize || state.modelName !== name || now - state.lastRefit > REFIT_EVERY_MS;
  state.model = model;
  state.modelName = name;
  state.modelId = id;
  // The views let go of the previous model here, synchronously, before it is freed below.
  if (refit) {
    state.lastRefit = now;
    explorer.setModel(glueHandle(model), state.dataset).catch(showError);
    uses.setModel(glueHandle(model), state.dataset);
  } else {
    explorer.retarget(glueHandle(model)).catch(showError);
    uses.retarget(glueHandle(model));
  }
  previous?.free();
  if (!sameSize) latentView.reset(model.latentSize);
  calibrateLatentScale();
  study.setCurrentModel(id);
  const variational = model.isVariational;
  drawNetwork($("network-diagram"), model.stageSizes, { variational });
  $("network-caption").textContent =
    `${name}: numbers per image at each layer, ${model.stageSizes.join(" → ")}.` +
    (variational
      ? ` Variational: the encoder ends in two heads of ${model.latentSize} numbers, a mean and a spread (log-variance) for each number of the code. In training the decoder rebuilds the image from a code drawn from that distribution; here it decodes the mean.`
      : "");
  $("latent-caption").textContent = variational
    ? `${model.latentSize} numbers: the means of the code's distribution`
    : `${model.latentSize} numbers`;
  $("compression").textContent = `${PIXELS} pixels → ${model.latentSize} numbers: ${(PIXELS / model.latentSize).toFixed(1)}× smaller.`;
  $("model-description").textContent = description;
  setStatus(`${name} ready: draw a digit.`);
  scheduleUpdate();
}

/** Adds (or updates) a model that is not in the manifest, `model` loaded from `bytes` (which
 *  the selector keeps, to load it again when it is chosen), and draws with it. */
function addCustomModel(id, name, description, bytes, model) {
  state.custom.set(id, { name, description, bytes });
  const select = $("model-select");
  let option = [...select.options].find((o) => o.value === id);
  if (!option) select.add((option = new Option("", id)));
  option.text = name;
  select.value = id;
  useModel(id, model, name, description);
}

/** A model file chosen from disk: used when valid, refused with the reason when not. */
async function loadModelFile(file) {
  let bytes;
  let model;
  try {
    checkModelFileSize(file.size); // before reading a file chosen by mistake into memory
    bytes = new Uint8Array(await file.arrayBuffer());
    try {
      model = Autoencoder.load(bytes);
    } catch (error) {
      if (error.name !== "LegacyModelFile") throw error;
      setStatus(`${file.name} comes from an earlier version of this page: converting it…`);
      bytes = await upgradeModelFile(bytes);
      model = Autoencoder.load(bytes);
    }
  } catch (error) {
    setStatus(`${file.name} is not a model this page can use (${error.message}). The current model is kept.`, "error");
    return;
  }
  addCustomModel("file", `${file.name} (L=${model.latentSize})`, `Loaded from ${file.name}.`, bytes, model);
}

/** A version-1 model file as a current one. Only the training module reads version 1, so it is
 *  fetched for this (once; the training Worker has its own copy). */
async function upgradeModelFile(bytes) {
  const training = await import("../pkg/autoencoder_playground.js");
  await training.default();
  return training.upgradeModelFile(bytes);
}

/** Scales the latent bars to the codes of real test digits, so one scale fits every drawing. */
function calibrateLatentScale() {
  if (!state.model || !state.dataset) return;
  const sample = state.dataset.testIndices().slice(0, 100); // about 15 ms: no long task
  const codes = state.model.encodeMany(state.dataset.images(sample));
  latentView.setScale(codes.reduce((largest, v) => Math.max(largest, Math.abs(v)), 0));
}

/** One button per digit class: the first test digit of each label. */
function buildGallery() {
  const gallery = $("gallery");
  const firstOfLabel = new Map();
  for (const index of state.dataset.testIndices()) {
    const label = state.dataset.label(index);
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
    paintDigit(canvas, state.dataset.image(index));
    button.append(canvas);
    button.addEventListener("click", () => showDigit(index));
    return button;
  });
  gallery.replaceChildren(...buttons);
}

function showRandomDigit() {
  if (!state.dataset) return;
  const test = state.dataset.testIndices();
  showDigit(test[Math.floor(Math.random() * test.length)]);
}

/** Shows sample `index` of the data file on the pad and feeds it to the model as it is. */
function showDigit(index) {
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
  setStatus(`${description}. Draw over it, or clear.`, "info", "pad");
  scheduleUpdate();
}

async function main() {
  // The manifest, then the default model, download while the module compiles.
  const manifest = fetchOk("models/manifest.json").then((response) => response.json());
  const defaultModel = manifest.then((m) => fetchBytes(`models/${manifestEntry(m, m.roles.drawing).file}`));
  defaultModel.catch(() => {}); // awaited below, after the module; not an unhandled rejection meanwhile
  await init();
  $("about").textContent += ` Drawing runs on ${backendName()}; training on burn, in a Worker.`;
  state.manifest = await manifest;
  storeArrived(new ModelStore(state.manifest));
  const select = $("model-select");
  for (const entry of state.manifest.models) {
    select.add(new Option(`${entry.name} (L=${entry.latentSize})`, entry.id));
  }
  const link = readLink();
  select.value = link?.model ?? state.manifest.roles.drawing;
  study.setManifest(state.manifest);
  describeConvModel(state.manifest);
  $("map-legend").replaceChildren(...LABEL_COLOURS.map((colour, digit) => {
    const item = document.createElement("span");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colour; // a style property, which the page's CSP allows (an attribute it would not)
    item.append(swatch, ` ${digit}`);
    return item;
  }));
  select.disabled = false;
  select.addEventListener("change", () => selectModel(select.value).catch(showError));
  await selectModel(select.value, select.value === state.manifest.roles.drawing ? defaultModel : null);
  // From here a stroke is rebuilt on the next frame (the benchmark's "model ready").
  performance.mark("model-ready");
  if (link) showLink(link);
  window.addEventListener("hashchange", () => {
    const changed = readLink();
    if (!changed) return;
    if (changed.model && changed.model !== select.value) {
      select.value = changed.model;
      selectModel(changed.model).then(() => showLink(changed)).catch(showError);
    } else {
      showLink(changed);
    }
  });
  $("copy-link").addEventListener("click", () => copyLink().catch(showError));
  // The test digits (the gallery, the explorer, the panels) come once the pad works: on a slow
  // connection the model gets the bandwidth first, and drawing needs nothing else.
  const testDigits = fetchDataFile(TEST_DIGITS_URL);

  $("model-file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) loadModelFile(file).catch(showError);
    event.target.value = "";
  });

  const training = new TrainingPanel({
    dataset: () => state.dataset,
    onWeights: (model, bytes, { step, latentSize, variational }) => {
      state.trained = { bytes, step, latentSize, variational };
      // Drawing with the trained model follows it as it learns; otherwise this copy has no use.
      if ($("model-select").value === "trained") useTrainedModel(model);
      else model.free();
    },
  });
  $("use-trained").addEventListener("click", () => useTrainedModel());

  const clearPad = () => {
    state.sample = null;
    state.sampleDigit = null;
    pad.clear();
    setStatus("", "info", "pad");
  };
  $("clear").addEventListener("click", clearPad);
  $("undo").addEventListener("click", () => pad.undo());
  $("random-digit").addEventListener("click", showRandomDigit);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") clearPad();
    if (event.key === "z" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); pad.undo(); }
  });

  testDigits
    .then((bytes) => {
      state.dataset = MnistSubset.load(bytes, fileName(TEST_DIGITS_URL));
      $("random-digit").disabled = false;
      buildGallery();
      calibrateLatentScale();
      explorer.setModel(glueHandle(state.model), state.dataset).catch(showError);
      uses.setModel(glueHandle(state.model), state.dataset);
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
      setStatus(`Test digits unavailable: ${error.message}`, "error", "pad");
      offerOffline();
    });
}

/** The sections a link can open at: the page's top-level sections, by id. */
const linkableSections = () => [...document.querySelectorAll("main > section[id]")].map((section) => section.id);

/** The link in the address's fragment, or null when there is none or it is damaged (then the
 *  pad says so, and the link changes nothing: on a fresh load the pad stays empty). */
function readLink() {
  try {
    return parseFragment(location.hash, { models: state.manifest.models.map((m) => m.id), sections: linkableSections() });
  } catch (error) {
    setStatus(`This link is damaged (${error.message}) and was ignored.`, "error", "pad");
    return null;
  }
}

/** Shows what a link holds: its strokes on the pad (or its test digit, once the digits are in)
 *  and its section in view. The caller has selected its model. */
function showLink({ strokes, digit, section }) {
  if (strokes) {
    state.sample = null;
    state.sampleDigit = null;
    pad.setStrokes(strokes);
    setStatus("The drawing from the link.", "info", "pad");
  } else if (state.dataset) {
    showDigit(digit);
  } else {
    state.linkedDigit = digit;
  }
  if (section) document.getElementById(section).scrollIntoView();
}

/** Puts the drawing (or test digit), the model and the section most in view into the address,
 *  and copies it. */
async function copyLink() {
  if (state.sample && state.sampleDigit === null) {
    setStatus("Only a drawing or a test digit can travel in a link, not this image.", "error", "pad");
    return;
  }
  if (pad.isEmpty) {
    setStatus("Draw something first: the link holds the drawing.", "error", "pad");
    return;
  }
  const model = $("model-select").value;
  const shareable = state.manifest.models.some((m) => m.id === model);
  history.replaceState(null, "", `#${linkFragment({
    strokes: pad.strokes,
    digit: state.sampleDigit,
    model: shareable ? model : null,
    section: sectionInView(),
  })}`);
  const caveat = shareable ? "" : ` Your own model cannot travel in a link: it opens with ${manifestEntry(state.manifest, state.manifest.roles.drawing).name}.`;
  try {
    await navigator.clipboard.writeText(location.href);
    setStatus(`Link copied: it opens this drawing as you see it now.${caveat}`, "info", "pad");
  } catch (error) {
    setStatus(`The address bar holds the link; copy it from there (the browser would not: ${error.message}).${caveat}`, "info", "pad");
  }
}

/** The id of the section that fills most of the window. */
function sectionInView() {
  let best = null;
  let bestHeight = 0;
  for (const id of linkableSections()) {
    const { top, bottom } = document.getElementById(id).getBoundingClientRect();
    const visible = Math.min(bottom, innerHeight) - Math.max(top, 0);
    if (visible > bestHeight) [best, bestHeight] = [id, visible];
  }
  return best;
}

/** Draws with the trained weights last received (`state.trained`): `model`, the panel's load
 *  of them, or else a load of their bytes. */
function useTrainedModel(model) {
  try {
    const { bytes, step, latentSize, variational } = state.trained;
    // A VAE gets a name of its own: a new name makes the views refit (see useModel).
    addCustomModel("trained", `Your ${variational ? "VAE" : "model"} (L=${latentSize})`,
      `The ${variational ? "variational " : ""}model you are training here, as of step ${step}.`, bytes, model ?? Autoencoder.load(bytes));
  } catch (error) {
    showError(error);
  }
}

function showError(error) {
  console.error(error);
  setStatus(error.message ?? String(error), "error");
}

main().catch(showError);
