// The module worker: owns the wasm instance and its Session. Every message from the page is a
// request object; every reply is an event object. Long jobs run in slices (WorkerCore.tick),
// yielding to the event loop between slices so that a Cancel request is seen within ~50 ms.
// A wasm trap (a Rust panic) becomes an Error event and the module is re-instantiated; the
// datasets are fetched again on demand, but trained models live in Rust memory and are lost with
// the instance, which is why the page offers model downloads.
//
// LoadDataset requests arrive without their files: this script fetches them (the dataset folder
// is served beside the page) and adds them as Uint8Arrays before handing the request to Rust.
import init, { WorkerCore, take_panic_message, version, dataset_files } from './pkg/advlab.js';

const SLICE_MS = 40;
let core = null;
let ticking = false;
let queue = Promise.resolve(); // requests are handled in arrival order, even across fetches
const datasetsBase = new URL('./datasets/', import.meta.url);

async function boot() {
  await init({ module_or_path: new URL('./pkg/advlab_bg.wasm', import.meta.url) });
  core = new WorkerCore();
  postMessage({ type: 'Ready', id: null, version: version() });
}

function post(events) {
  for (const ev of events) postMessage(ev);
}

async function recover(err, id) {
  const message = take_panic_message() || String(err && err.message ? err.message : err);
  postMessage({ type: 'Error', id: id ?? null, message: `internal error: ${message}`, field: null });
  core = null;
  ticking = false;
  await boot();
}

function scheduleTick() {
  if (ticking || !core || !core.busy()) return;
  ticking = true;
  setTimeout(tick, 0);
}

function tick() {
  ticking = false;
  if (!core) return;
  try {
    post(core.tick(SLICE_MS));
  } catch (err) {
    queue = queue.then(() => recover(err, null));
    return;
  }
  scheduleTick();
}

async function withFiles(request) {
  if (request.type !== 'LoadDataset' || request.files) return request;
  const names = dataset_files(String(request.dataset));
  if (names.length === 0) return { ...request, files: [] }; // Rust explains the unknown name
  const files = await Promise.all(names.map(async (name) => {
    const res = await fetch(new URL(name, datasetsBase));
    if (!res.ok) throw new Error(`could not fetch ${name}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }));
  return { ...request, files };
}

async function handle(request) {
  const id = request && typeof request.id === 'number' ? request.id : null;
  let full;
  try {
    full = await withFiles(request);
  } catch (err) {
    postMessage({ type: 'Error', id, message: String(err.message || err), field: 'dataset' });
    return;
  }
  try {
    post(core.handle(full));
  } catch (err) {
    await recover(err, id);
    return;
  }
  scheduleTick();
}

const booted = boot();
booted.catch((err) => postMessage({ type: 'Error', id: null, message: `could not start the engine: ${err}`, field: null }));

onmessage = (e) => {
  // Cancel must not wait behind a dataset fetch; everything else keeps its order.
  if (e.data && e.data.type === 'Cancel' && core) { handle(e.data); return; }
  queue = queue.then(() => booted).then(() => handle(e.data));
};
