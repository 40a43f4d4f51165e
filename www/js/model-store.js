// The one owner of the page's models. A panel asks for a model by its role in the manifest
// ("drawing", "conv", …), by a manifest id the visitor chose, or by the key of a model that is
// not in the manifest (a file, the weights being trained), and gets a handle; it gives the handle
// back with `release()` when it is done with the model. Each model is loaded once however many
// panels use it, and freed when its last handle is released. A section further down that needs
// the same model in the later views' module asks the handle for it (`laterModel()`): loaded once
// from the same bytes, and freed with the model. No other module calls `Autoencoder.load` or a
// model's `free()`.

import { Autoencoder, PcaBaseline, liveModels } from "../pkg/autoencoder_playground_inference.js";
import { fetchBytes } from "./shared.js";

let laterModuleLoading = null;

/** The later views' wasm module (pkg/autoencoder_playground_later.js), initialised: what the
 *  sections further down compute with (a model's insides, the classifiers, the t-SNE map), kept
 *  out of the first view's module and fetched when the first of them asks. A failed load
 *  (offline, before it was kept) is tried again by the next caller. */
export function laterModule() {
  laterModuleLoading ??= import("../pkg/autoencoder_playground_later.js").then(async (module) => {
    await module.default();
    return module;
  });
  laterModuleLoading.catch(() => (laterModuleLoading = null));
  return laterModuleLoading;
}

/** Models this page has loaded, and those not yet freed; and their copies in the later views'
 *  module not yet freed. */
const counts = { loads: 0, live: 0, laterLive: 0 };

/** `{loads, live}`: models loaded since the page opened, and models loaded and not yet freed. */
export function modelCounts() {
  return { ...counts };
}

/** The counts on the page's root element (`data-models-loaded`, `data-models-live`,
 *  `data-later-models-live`), where the end-to-end tests and a curious visitor's inspector read
 *  them, beside the wasm modules' own counts of live models (`data-wasm-models-live`,
 *  `data-later-wasm-models-live`), which also see any model made elsewhere. */
function publishCounts(later = null) {
  const root = document.documentElement.dataset;
  root.modelsLoaded = String(counts.loads);
  root.modelsLive = String(counts.live);
  root.wasmModelsLive = String(liveModels());
  root.laterModelsLive = String(counts.laterLive);
  if (later) root.laterWasmModelsLive = String(later.liveModels());
}

/** The entry of `manifest` that fills `role` (a role name), or of id `{id}`. Throws when there is
 *  none. */
export function manifestEntry(manifest, ref) {
  const id = typeof ref === "string" ? manifest.roles?.[ref] : ref.id;
  if (id === undefined) throw new Error(`no model has the role "${ref}" in the manifest`);
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry) throw new Error(`no model "${id}" in the manifest`);
  return entry;
}

export class ModelStore {
  /** @param {object} manifest the models' manifest (models/manifest.json) */
  constructor(manifest) {
    this.manifest = manifest;
    /** Loaded (or loading) models by what they are: `id:…` for the manifest's, `key:…` for the rest. */
    this.records = new Map();
    /** The bytes and description of each model that is not in the manifest, by key, kept so that
     *  it can be loaded again after its last handle let go. */
    this.adopted = new Map();
    this.pcaBaseline = null;
  }

  /** The PCA baseline the manifest names (the linear codec the study and the codec table
   *  compare with), loaded once and kept for the page's lifetime. */
  pca() {
    if (!this.pcaBaseline) {
      this.pcaBaseline = (async () => {
        const entry = this.manifest.pcaBaseline;
        if (!entry) throw new Error("the manifest names no PCA baseline");
        return PcaBaseline.load(await fetchBytes(`models/${entry.file}`));
      })();
      // A failed load is tried again by the next caller.
      this.pcaBaseline.catch(() => (this.pcaBaseline = null));
    }
    return this.pcaBaseline;
  }

  /** The manifest entry that fills `role`, or of id `{id}`. Throws when there is none. */
  entry(ref) {
    return manifestEntry(this.manifest, ref);
  }

  /** A handle on the model filling `role` (a role name), of id `{id}`, or adopted as `{key}`.
   *  `fetching`, the file's bytes already on their way, saves a second download. */
  async acquire(ref, fetching = null) {
    if (ref.key !== undefined) return this.handleOn(`key:${ref.key}`, () => this.loadAdopted(ref.key));
    const entry = this.entry(ref);
    const info = { ...entry, kind: "manifest" };
    return this.handleOn(`id:${entry.id}`, async () => ({
      model: load(await (fetching ?? fetchBytes(`models/${entry.file}`))),
      info,
    }));
  }

  /** Keeps `bytes`, a model file that is not in the manifest, as `{key}` (replacing what was
   *  kept under `key`: handles on the earlier model stay valid until released), and returns a
   *  handle on it. `describe(model)` gives its `{name, description}`. Throws, keeping nothing,
   *  when the bytes are not a model. */
  adopt(key, bytes, describe) {
    const model = load(bytes); // first: a bad file changes nothing
    const info = { ...describe(model), id: key, latentSize: model.latentSize, kind: "adopted" };
    this.adopted.set(key, { bytes, info });
    const record = { name: `key:${key}`, loaded: Promise.resolve({ model, info, bytes }), refs: 0 };
    this.records.set(record.name, record);
    return new ModelHandle(this, record, model, info);
  }

  /** The model file of `handle`'s model (to train a copy of it): a manifest model's file,
   *  fetched again (the browser's cache has it), or an adopted model's kept bytes. */
  async fileOf(handle) {
    const { info } = handle;
    if (info.kind === "manifest") return fetchBytes(`models/${info.file}`);
    const adopted = this.adopted.get(info.id);
    if (!adopted) throw new Error(`no model "${info.id}" on this page`);
    return adopted.bytes;
  }

  /** Whether a model is kept under `key`. */
  has(key) {
    return this.adopted.has(key);
  }

  async loadAdopted(key) {
    const adopted = this.adopted.get(key);
    if (!adopted) throw new Error(`no model "${key}" on this page`);
    return { model: load(adopted.bytes), info: adopted.info, bytes: adopted.bytes };
  }

  /** A handle on the record under `name`, loading it with `loader` when nobody holds it. */
  async handleOn(name, loader) {
    let record = this.records.get(name);
    if (!record) {
      record = { name, loaded: loader(), refs: 0 };
      this.records.set(name, record);
      // A load that fails is forgotten, so that the next request tries again.
      record.loaded.catch(() => this.records.get(name) === record && this.records.delete(name));
    }
    record.refs += 1; // before the await: a release meanwhile must not free it under us
    let loaded;
    try {
      loaded = await record.loaded;
    } catch (error) {
      record.refs -= 1;
      throw error;
    }
    return new ModelHandle(this, record, loaded.model, loaded.info, { counted: true });
  }

  /** One holder of `record` let go: the last one frees its model. */
  drop(record) {
    record.refs -= 1;
    if (record.refs > 0) return;
    // A record replaced under its name (adopted again) is no longer in the map.
    if (this.records.get(record.name) === record) this.records.delete(record.name);
    record.loaded.then(({ model }) => free(model), () => {});
    record.later?.then(freeLater, () => {});
  }

  /** `handle`'s model in the later views' module (`{module, model}`), loaded on the first
   *  request from the same bytes (an adopted model's, which its record keeps; a manifest model's
   *  file, from the browser's cache) and kept in `record` until the model is freed. */
  laterModelOf(handle, record) {
    if (!record.later) {
      const bytes = record.loaded.then((loaded) => loaded.bytes ?? this.fileOf(handle));
      record.later = Promise.all([laterModule(), bytes]).then(([module, file]) => loadLater(module, file));
      record.later.catch(() => (record.later = null)); // tried again by the next request
    }
    return record.later;
  }
}

/** One holder's claim on a model. `model` is valid until `release()`; `share()` makes another
 *  claim on the same model for a second holder, which releases it in its own time. */
class ModelHandle {
  #store;
  #record;
  #model;
  #released = false;

  constructor(store, record, model, info, { counted = false } = {}) {
    this.#store = store;
    this.#record = record;
    this.#model = model;
    if (!counted) record.refs += 1;
    /** What the model is: its manifest entry (`kind: "manifest"`), or `{id, name, description,
     *  latentSize, kind: "adopted"}`. */
    this.info = info;
  }

  get model() {
    if (this.#released) throw new Error(`${this.info.name}: used after its handle was released`);
    return this.#model;
  }

  get released() {
    return this.#released;
  }

  share() {
    if (this.#released) throw new Error(`${this.info.name}: shared after its handle was released`);
    return new ModelHandle(this.#store, this.#record, this.#model, this.info);
  }

  /** The same model in the later views' module (the network's insides, a classifier on its
   *  codes), valid, like `model`, until `release()`. */
  async laterModel() {
    if (this.#released) throw new Error(`${this.info.name}: used after its handle was released`);
    return (await this.#store.laterModelOf(this, this.#record)).model;
  }

  /** Gives the model back; releasing twice is harmless. */
  release() {
    if (this.#released) return;
    this.#released = true;
    this.#store.drop(this.#record);
  }
}

function load(bytes) {
  const model = Autoencoder.load(bytes);
  counts.loads += 1;
  counts.live += 1;
  publishCounts();
  return model;
}

function free(model) {
  model.free();
  counts.live -= 1;
  publishCounts();
}

/** A model in the later views' module, `{module, model}`. */
function loadLater(module, bytes) {
  const model = module.Autoencoder.load(bytes);
  counts.laterLive += 1;
  publishCounts(module);
  return { module, model };
}

function freeLater({ module, model }) {
  model.free();
  counts.laterLive -= 1;
  publishCounts(module);
}
