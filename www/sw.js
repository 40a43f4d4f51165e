// The service worker that makes a page visited once work without a network. It keeps a copy of
// every file of this site that the page (or its training Worker) fetches, as it fetches it, and
// answers from that copy only when the network fails. Online, every request still goes to the
// network first, so a new build replaces each cached file the first time the page fetches it
// again: one reload. It fetches nothing on its own, except when the page asks it to (see
// `message` below); what the page asks for is in www/js/offline.js.
//
// It also makes the site cross-origin isolated on a host that cannot send headers: every
// same-origin response it hands the page gets the two headers that allow shared memory (the
// threaded training module, www/js/training-module.js), unless the server sent them. The page
// it starts to control was served without them: offline.js reloads it once.

// The name changes only when what is stored changes shape; older caches are deleted on activation.
const CACHE = "autoencoder-playground-v1";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    // Controls the page that registered it at once: what it fetches from now on is kept.
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(networkFirst(request).then(isolated));
});

/** What a page needs for `crossOriginIsolated`: it opens no cross-origin window, and embeds only
 *  what agrees to it (here everything is same-origin). */
const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/** `response` with the isolation headers added where its server did not send them. */
function isolated(response) {
  if (response.type === "opaque" || response.headers.has("Cross-Origin-Embedder-Policy")) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The network's response, kept for later; the kept one when the network fails. */
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // A range request's 206 is part of a file; only whole files are kept.
    if (response.status === 200) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    // A link with a query (?digit=7) opens offline as the page it is a view of.
    const kept = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
    if (kept) return kept;
    throw error;
  }
}

// {type: "keep", urls, id}: the page asks for files to be kept: the ones it fetched before this
// worker controlled it (taken from the browser's HTTP cache when it has them), or the training
// files, on the visitor's request. Answers {type: "kept", id, count} or {type: "not-kept", id,
// message} to the asking page.
self.addEventListener("message", (event) => {
  if (event.data?.type !== "keep") return;
  const { urls, id } = event.data;
  event.waitUntil((async () => {
    try {
      const cache = await caches.open(CACHE);
      let count = 0;
      for (const url of urls) {
        if (new URL(url).origin !== self.location.origin) continue;
        if (!(await cache.match(url))) {
          const response = await fetch(url, { cache: "force-cache" });
          if (response.status !== 200) throw new Error(`${url}: ${response.status} ${response.statusText}`);
          await cache.put(url, response);
        }
        count += 1;
      }
      event.source?.postMessage({ type: "kept", id, count });
    } catch (error) {
      event.source?.postMessage({ type: "not-kept", id, message: error.message });
    }
  })());
});
