// Which build of the training module the training Worker runs. The crate is built twice for
// training (pkg-scripts/build.sh): the single-threaded module, which runs everywhere, and the
// threaded one (atomics, shared memory), which splits each training step across a pool of Web
// Workers sharing its memory (each a share of the batch, and of Adam's step). Shared memory needs a cross-origin isolated page (COOP/COEP,
// sent by the server or added by the service worker, www/sw.js) and a browser with wasm
// threads; anywhere else the single-threaded module trains, with the same results.

export const SINGLE_THREADED_MODULE = new URL("../pkg/autoencoder_playground.js", import.meta.url);
export const THREADED_MODULE = new URL("../pkg/autoencoder_playground_threads.js", import.meta.url);

/** Whether this context can run the threaded module: it is cross-origin isolated and can make
 *  a shared WebAssembly memory. */
export function canShareMemory() {
  if (!self.crossOriginIsolated) return false;
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/**
 * Loads and starts a training module; resolves to its exports.
 * @param {"auto" | "single" | number} threads "auto": the threaded module with one thread per
 *   core (navigator.hardwareConcurrency) when memory can be shared and there is more than one
 *   core, else the single-threaded one (also when the threaded one fails to start);
 *   "single": the single-threaded module; a number: the threaded module with that many
 *   threads (the benchmark's choice), an error where memory cannot be shared.
 */
export async function loadTrainingModule(threads = "auto") {
  if (threads === "single") return start(SINGLE_THREADED_MODULE);
  if (threads === "auto") {
    const cores = navigator.hardwareConcurrency ?? 1;
    if (cores < 2 || !canShareMemory()) return start(SINGLE_THREADED_MODULE);
    try {
      return await startThreaded(cores);
    } catch (error) {
      console.warn(`The threaded training module did not start (${error.message}); training on one thread.`);
      return start(SINGLE_THREADED_MODULE);
    }
  }
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be "auto", "single" or a whole number ≥ 1, not ${threads}`);
  if (!canShareMemory()) throw new Error("threads need a cross-origin isolated page with shared WebAssembly memory");
  return startThreaded(threads);
}

async function start(url) {
  const module = await import(url);
  await module.default();
  return module;
}

/** The threaded module with its pool of `threads` Workers (wasm-bindgen-rayon's). The pool is
 *  rayon's global one: it is started once per module instance, so once per training Worker. */
async function startThreaded(threads) {
  const module = await start(THREADED_MODULE);
  await module.initThreadPool(threads);
  return module;
}
