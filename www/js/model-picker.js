// The "Model" card: the selector (the manifest's models, then any the visitor loaded from a
// file or trained here), "Load a model file…", and what the chosen model is (its description,
// the diagram of its layers, the captions that name its code). Models come from the store; the
// picker hands each chosen one to the page as a handle the page then owns.

import { checkModelFileSize } from "../pkg/autoencoder_playground_inference.js";
import { $, PIXELS, modelLabel } from "./shared.js";
import { drawNetwork } from "./views.js";

/** The keys under which the store keeps models that are not in the manifest. */
export const FILE_KEY = "file";
export const TRAINED_KEY = "trained";

export class ModelPicker {
  /**
   * @param {object} page
   * @param {import("./model-store.js").ModelStore} page.store
   * @param {(handle: object) => void} page.onModel the chosen model: the page owns the handle
   * @param {(message: string, kind?: string) => void} page.say a message beside the selector
   */
  constructor({ store, onModel, say }) {
    this.store = store;
    this.onModel = onModel;
    this.say = say;
    this.select = $("model-select");
    this.requests = 0; // choices made so far: a load that finishes after a later choice is dropped
    for (const entry of store.manifest.models) {
      this.select.add(new Option(modelLabel(entry), entry.id));
    }
    this.select.disabled = false;
    this.select.addEventListener("change", () => this.choose(this.select.value).catch((error) => this.say(error.message, "error")));
    $("model-file").addEventListener("change", (event) => {
      const [file] = event.target.files;
      if (file) this.loadFile(file).catch((error) => this.say(error.message, "error"));
      event.target.value = "";
    });
  }

  /** The select value of the model drawn with: a manifest id, or a store key. */
  get value() {
    return this.select.value;
  }

  /** Whether the model drawn with is in the manifest (so that a link can name it). */
  get isShipped() {
    return !this.store.has(this.value);
  }

  /** Draws with `value` (a manifest id or a store key) from now on. `fetching`: the file's
   *  bytes, already on their way. A later choice made while this one loads wins. */
  async choose(value, fetching = null) {
    const request = ++this.requests;
    const adopted = this.store.has(value);
    if (!adopted) this.select.value = value;
    this.say(`Loading ${adopted ? "your model" : this.store.entry({ id: value }).name}…`);
    const handle = await this.store.acquire(adopted ? { key: value } : { id: value }, fetching);
    if (request !== this.requests) {
      handle.release(); // the visitor chose another one meanwhile
      return;
    }
    if (adopted) this.useAdopted(handle);
    else this.use(handle);
  }

  /** Adds (or replaces) a model that is not in the manifest, kept by the store as `key`, to the
   *  selector and draws with it. */
  useAdopted(handle) {
    this.requests += 1; // supersedes a choice still loading
    const key = handle.info.id;
    let option = [...this.select.options].find((o) => o.value === key);
    if (!option) this.select.add((option = new Option("", key)));
    option.text = handle.info.name;
    this.select.value = key;
    this.use(handle);
  }

  /** A model file chosen from disk: drawn with when valid, refused with the reason when not. */
  async loadFile(file) {
    let handle;
    try {
      checkModelFileSize(file.size); // before reading a file chosen by mistake into memory
      let bytes = new Uint8Array(await file.arrayBuffer());
      const describeFile = (model) => ({ name: `${file.name} (L=${model.latentSize})`, description: `Loaded from ${file.name}.` });
      try {
        handle = this.store.adopt(FILE_KEY, bytes, describeFile);
      } catch (error) {
        if (error.name !== "LegacyModelFile") throw error;
        this.say(`${file.name} comes from an earlier version of this page: converting it…`);
        bytes = await upgradeModelFile(bytes);
        handle = this.store.adopt(FILE_KEY, bytes, describeFile);
      }
    } catch (error) {
      this.say(`${file.name} is not a model this page can use (${error.message}). The current model is kept.`, "error");
      return;
    }
    this.useAdopted(handle);
  }

  use(handle) {
    describe(handle);
    this.onModel(handle);
    this.say(`${handle.info.name} ready: draw a digit.`);
  }
}

/** The model card's description, network diagram and captions, for `handle`'s model. */
function describe({ model, info }) {
  const variational = model.isVariational;
  drawNetwork($("network-diagram"), model.stageSizes, { variational });
  $("network-caption").textContent =
    `${info.name}: numbers per image at each layer, ${model.stageSizes.join(" → ")}.` +
    (variational
      ? ` Variational: the encoder ends in two heads of ${model.latentSize} numbers, a mean and a spread (log-variance) for each number of the code. In training the decoder rebuilds the image from a code drawn from that distribution; here it decodes the mean.`
      : "");
  $("latent-caption").textContent = variational
    ? `${model.latentSize} numbers: the means of the code's distribution`
    : `${model.latentSize} numbers`;
  $("compression").textContent = `${PIXELS} pixels → ${model.latentSize} numbers: ${(PIXELS / model.latentSize).toFixed(1)}× smaller.`;
  $("model-description").textContent = info.kind === "manifest"
    ? `${info.description} Test MSE ${info.test.mse.toFixed(4)} (PSNR ${info.test.psnr.toFixed(1)} dB), ${info.params.toLocaleString("en")} parameters.`
    : info.description;
}

/** A version-1 model file as a current one. Only the training module reads version 1, so it is
 *  fetched for this (once; the training Worker has its own copy). */
async function upgradeModelFile(bytes) {
  const training = await import("../pkg/autoencoder_playground.js");
  await training.default();
  return training.upgradeModelFile(bytes);
}
