// Helpers that the page's modules and the training Worker share: element look-up, the size of
// an MNIST image, and fetching bytes. Importing this module touches no `document`, so the
// Worker, which has none, can import it too.

/** The page's element with this id. */
export const $ = (id) => document.getElementById(id);

/** An MNIST image is SIDE×SIDE pixels: PIXELS values, 0…1, 1 = ink. */
export const SIDE = 28;
export const PIXELS = SIDE * SIDE;

/** `fetch(url)`, throwing on an HTTP error status (fetch itself resolves on a 404). */
export async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return response;
}

/** The body of `url` as bytes (a model file, the data file). */
export async function fetchBytes(url) {
  return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
}
