// Where the visitor's shape collection lives between visits: one record in IndexedDB, the name
// and the examples (a Float32Array of n·784 pixels), saved after every change and read when the
// section first comes into view. The collection's file (export, import) is Rust's: see
// shapeCollectionFile and readShapeCollection.

const DATABASE = "autoencoder-playground-shapes";
const STORE = "shapes";
const KEY = "collection";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact(mode, act) {
  const database = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE, mode);
      const request = act(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error ?? new Error("the browser's storage refused the change"));
    });
  } finally {
    database.close();
  }
}

/** The saved collection, `{name, examples: Float32Array}`, or null when none was saved. */
export async function loadCollection() {
  const saved = await transact("readonly", (store) => store.get(KEY));
  return saved ? { name: saved.name, examples: new Float32Array(saved.examples) } : null;
}

/** Saves `{name, examples}` (examples: Float32Array(n·784)) over the previous collection. */
export function saveCollection({ name, examples }) {
  return transact("readwrite", (store) => store.put({ name, examples: examples.slice() }, KEY));
}
