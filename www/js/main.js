// Wires the page together: loads the wasm module, the models manifest and a model, and runs
// drawing → 28×28 → encode → decode on every change. All arithmetic happens in Rust.

import init, { Autoencoder, MnistSubset, backendName, compareImages, drawingToMnist } from "../pkg/autoencoder_playground.js";
import { DrawingPad } from "./draw.js";
import { LatentView, paintDigit } from "./views.js";

const $ = (id) => document.getElementById(id);

const state = {
  model: null,
  manifest: null,
  dataset: null,
  sample: null, // a test digit shown on the pad, fed to the model as it is
  pending: false,
};

const latentView = new LatentView($("latent"));
const pad = new DrawingPad($("draw-canvas"), () => {
  if (!pad.isEmpty && pad.strokes.length > 0) state.sample = null;
  scheduleUpdate();
});

function setStatus(message, kind = "info") {
  const status = $("status");
  status.textContent = message;
  status.dataset.kind = kind;
}

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return response;
}

async function fetchBytes(url) {
  return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
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
    $("error").textContent = "Draw a digit to begin.";
    return;
  }
  try {
    const code = state.model.encode(input);
    const output = state.model.decode(code);
    const { mse, psnr } = compareImages(output, input);
    latentView.show(code);
    paintDigit($("reconstruction"), output);
    $("error").innerHTML = `MSE <span class="number" data-mse="${mse}">${mse.toFixed(4)}</span> · PSNR ${psnr.toFixed(1)} dB`;
  } catch (error) {
    setStatus(error.message, "error");
  }
}

/** The 28×28 model input: a shown test digit as it is, or the drawing converted. */
function currentInput() {
  if (pad.isEmpty) return null;
  if (state.sample) return state.sample;
  const { rgba, width, height } = pad.pixels();
  return drawingToMnist(rgba, width, height) ?? null;
}

async function selectModel(id) {
  const entry = state.manifest.models.find((m) => m.id === id);
  if (!entry) throw new Error(`no model "${id}" in the manifest`);
  setStatus(`Loading ${entry.name}…`);
  const model = Autoencoder.load(await fetchBytes(`models/${entry.file}`));
  state.model?.free();
  state.model = model;
  latentView.reset(model.latentSize);
  $("latent-caption").textContent = `${model.latentSize} numbers`;
  $("compression").textContent = `784 pixels → ${model.latentSize} numbers: ${(784 / model.latentSize).toFixed(1)}× smaller.`;
  $("model-description").textContent =
    `${entry.description} Test MSE ${entry.test.mse.toFixed(4)} (PSNR ${entry.test.psnr.toFixed(1)} dB), ${entry.params.toLocaleString("en")} parameters.`;
  setStatus(`${entry.name} ready: draw a digit.`);
  scheduleUpdate();
}

function showRandomDigit() {
  if (!state.dataset) return;
  const test = state.dataset.testIndices();
  showDigit(test[Math.floor(Math.random() * test.length)]);
}

/** Shows sample `index` of the data file on the pad and feeds it to the model as it is. */
function showDigit(index) {
  try {
    state.sample = state.dataset.image(index);
  } catch (error) {
    showError(error);
    return;
  }
  pad.showImage(state.sample);
  setStatus(`Test digit #${index}: a ${state.dataset.label(index)}. Draw over it, or clear.`);
  scheduleUpdate();
}

async function main() {
  await init();
  $("about").textContent += ` Backend: ${backendName()}.`;
  state.manifest = await (await fetchOk("models/manifest.json")).json();
  const select = $("model-select");
  for (const entry of state.manifest.models) {
    select.add(new Option(`${entry.name} (L=${entry.latentSize})`, entry.id));
  }
  select.value = state.manifest.defaultModel;
  select.disabled = false;
  select.addEventListener("change", () => selectModel(select.value).catch(showError));
  await selectModel(select.value);

  $("clear").addEventListener("click", () => { state.sample = null; pad.clear(); });
  $("undo").addEventListener("click", () => pad.undo());
  $("random-digit").addEventListener("click", showRandomDigit);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { state.sample = null; pad.clear(); }
    if (event.key === "z" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); pad.undo(); }
  });

  fetchBytes("data/mnist-subset.bin")
    .then((bytes) => {
      state.dataset = MnistSubset.load(bytes);
      $("random-digit").disabled = false;
      // ?digit=N opens the page on sample N (for links and screenshots).
      const requested = new URLSearchParams(location.search).get("digit");
      if (requested !== null) showDigit(Number(requested));
    })
    .catch((error) => {
      $("random-digit").disabled = true;
      setStatus(`Test digits unavailable: ${error.message}`, "error");
    });
}

function showError(error) {
  console.error(error);
  setStatus(error.message ?? String(error), "error");
}

main().catch(showError);
