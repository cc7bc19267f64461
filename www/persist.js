// Trained models kept across reloads: after a model lands in a slot, the page asks the worker for
// its .safetensors bytes and stores them in IndexedDB with how the model was made; when a dataset
// is loaded (after a reload, or after the worker restarted from a crash), stored models for that
// dataset are put back into their slots. Storage may be unavailable (private windows, file://):
// then every call quietly does nothing.
const DB = 'advlab';
const STORE = 'models';

function open() {
  return new Promise((resolve) => {
    let req;
    try { req = indexedDB.open(DB, 1); } catch { resolve(null); return; }
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
  });
}

async function run(mode, fn) {
  const db = await open();
  if (!db) return null;
  return new Promise((resolve) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(req ? req.result : null); };
    tx.onerror = () => { db.close(); resolve(null); };
  });
}

// Stores the model of `slot`: { dataset, origin: {arch, defence, epochs, train_samples}, file }.
export function saveModel(slot, record) {
  return run('readwrite', (s) => s.put(record, slot));
}

// The stored record of `slot`, or null.
export function loadModel(slot) {
  return run('readonly', (s) => s.get(slot));
}

export function forgetModels() {
  return run('readwrite', (s) => s.clear());
}

// Datasets of the user's own files, kept so that a reload does not ask for them again:
// { files: [Uint8Array], image_size } under `dataset:<name>` in the same store, and a small
// marker under `has-dataset:<name>`, so a page load learns what is stored without reading it.
export async function saveDataset(name, record) {
  await run('readwrite', (s) => s.put(record, `dataset:${name}`));
  return run('readwrite', (s) => s.put(true, `has-dataset:${name}`));
}

export function loadDataset(name) {
  return run('readonly', (s) => s.get(`dataset:${name}`));
}

export function hasDataset(name) {
  return run('readonly', (s) => s.get(`has-dataset:${name}`));
}
