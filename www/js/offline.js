// Offline use. Once the first view is done and the page is idle, registers the service worker
// (www/sw.js), which from then on keeps a copy of every file the page fetches. The files the
// page fetched before the worker took over are kept too, from the browser's HTTP cache, not
// downloaded again. The training files (2–3 MB) are kept once a run starts, or when the visitor
// asks. The footer says which of these has happened.
//
// The worker also adds the cross-origin isolation headers (see www/sw.js): the first time it
// takes control of a page served without them, the page reloads once to become isolated (its
// training then uses every core), unless the visitor has already begun to use it.

import { $, TRAINING_DIGITS_URL } from "./shared.js";

/** What the training Worker fetches: its scripts, the training module it runs here (the
 *  threaded one in an isolated page, whose pool's script is kept when a run starts) and the
 *  training digits. */
const TRAINING_FILES = [
  new URL("./train-worker.js", import.meta.url),
  new URL("./training-module.js", import.meta.url),
  new URL("../pkg/autoencoder_playground.js", import.meta.url),
  new URL("../pkg/autoencoder_playground_bg.wasm", import.meta.url),
  ...(self.crossOriginIsolated ? [
    new URL("../pkg/autoencoder_playground_threads.js", import.meta.url),
    new URL("../pkg/autoencoder_playground_threads_bg.wasm", import.meta.url),
  ] : []),
  TRAINING_DIGITS_URL,
].map(String);

/** Set for this tab once the page has reloaded to become isolated: it reloads only once. */
const RELOADED_FOR_ISOLATION = "autoencoder-playground-reloaded-for-isolation";
// Listened for from the moment this module runs (main.js imports it before the first view):
// a stroke drawn as soon as the pad exists counts.
let visitorHasBegun = false;
for (const type of ["pointerdown", "keydown"]) {
  addEventListener(type, () => (visitorHasBegun = true), { capture: true, once: true, passive: true });
}

/** Registers the service worker when the page is idle, and keeps what the page has fetched. */
export function offerOffline() {
  const status = $("offline-status");
  if (!("serviceWorker" in navigator)) {
    status.textContent = "This browser cannot keep the page for use offline.";
    return;
  }
  const idle = window.requestIdleCallback ?? ((callback) => setTimeout(callback, 1000));
  idle(() => enable(status).catch((error) => {
    status.textContent = `The page could not be kept for use offline: ${error.message}`;
  }), { timeout: 5000 });
  $("keep-training").addEventListener("click", () => {
    $("keep-training").disabled = true;
    keep(TRAINING_FILES)
      .then(() => {
        status.textContent = "Kept for use offline: this page, the models it has shown, and training.";
        $("keep-training").hidden = true;
      })
      .catch((error) => {
        status.textContent = `The training files could not be kept: ${error.message}`;
        $("keep-training").disabled = false;
      });
  });
}

async function enable(status) {
  await navigator.serviceWorker.register(new URL("../sw.js", import.meta.url));
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  }
  if (reloadForIsolation()) return;
  const fetched = performance.getEntriesByType("resource").map((entry) => entry.name);
  await keep([location.href.split("#")[0], ...fetched]);
  const training = await Promise.all(TRAINING_FILES.map((url) => caches.match(url)));
  const trainingKept = training.every(Boolean);
  status.textContent = `Kept for use offline: this page and the models it has shown${trainingKept ? ", and training" : ""}. ` +
    "It opens without a network next time; models you have not opened yet need one.";
  $("keep-training").hidden = trainingKept;
}

/** Reloads the page, now served by the service worker with the isolation headers, if it is not
 *  isolated yet, has not reloaded for it before and the visitor has not begun to use it (what
 *  they drew or trained would be lost: the next visit is isolated instead). */
function reloadForIsolation() {
  if (self.crossOriginIsolated || visitorHasBegun) return false;
  try {
    if (sessionStorage.getItem(RELOADED_FOR_ISOLATION)) return false;
    sessionStorage.setItem(RELOADED_FOR_ISOLATION, "1");
  } catch {
    return false; // no session storage (blocked): a reload could repeat
  }
  location.reload();
  return true;
}

let nextRequest = 0;

/** Asks the service worker to keep `urls`; resolves when it has. */
async function keep(urls) {
  const worker = (await navigator.serviceWorker.ready).active;
  const id = ++nextRequest;
  return new Promise((resolve, reject) => {
    const answer = (event) => {
      if (event.data?.id !== id) return;
      navigator.serviceWorker.removeEventListener("message", answer);
      if (event.data.type === "kept") resolve(event.data.count);
      else reject(new Error(event.data.message));
    };
    navigator.serviceWorker.addEventListener("message", answer);
    worker.postMessage({ type: "keep", urls, id });
  });
}
