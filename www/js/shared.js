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

/** The body of `url` as bytes (a model file). */
export async function fetchBytes(url) {
  return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
}

/** The data files, as absolute URLs (the page and the Worker resolve them alike): the test
 *  digits, which the page shows and calibrates on from the start, and the training digits,
 *  which only the training Worker fetches, when a run starts. */
export const TEST_DIGITS_URL = new URL("../data/mnist-test.bin.gz", import.meta.url);
export const TRAINING_DIGITS_URL = new URL("../data/mnist-train.bin.gz", import.meta.url);

/** A data file's bytes. The files are gzip-compressed, so that they are small from any static
 *  server, and unpacked here by the browser's own DecompressionStream; a server that sends them
 *  with `Content-Encoding: gzip` has unpacked them already, which the gzip magic bytes tell. */
export async function fetchDataFile(url) {
  const bytes = await fetchBytes(url);
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!gzipped) return bytes;
  const unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(unpacked).arrayBuffer());
}

/** A model's name for a menu or a caption, with its code size unless the name already says it. */
export const modelLabel = ({ name, latentSize }) => (name.includes(`L=${latentSize}`) ? name : `${name} (L=${latentSize})`);

/** A time left, in seconds, as "12 s" or "3 min 5 s". */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds)) return "…";
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** The last part of a URL's path, for messages ("mnist-test.bin.gz"). */
export const fileName = (url) => new URL(url).pathname.split("/").pop();

/** Offers `bytes` to the visitor as a file download named `name`; characters that a file name
 *  should not hold (anything but letters, digits, "_", "-" and the extension's ".") become "-". */
export function downloadFile(bytes, name) {
  const dot = name.lastIndexOf(".");
  const safe = name.slice(0, dot).replace(/[^\p{L}\p{N}_-]+/gu, "-") + name.slice(dot);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
  link.download = safe;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
