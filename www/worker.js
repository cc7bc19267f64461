// The engine worker: owns one wasm instance and its Session. The page boots it with one message,
// { type: 'Boot', module, datasets, warm }, carrying the compiled WebAssembly.Module (the page
// compiles it once and shares it with the charts) and the URL of the datasets folder (null when
// the page sends dataset files with its requests, as the offline single file does). With `warm`
// (helper workers, which start in the background) the worker first runs the training and
// input-gradient kernels for about 0.3 s, so that V8 has compiled them with its optimising tier
// before the helper's first part of a job (measured: the first split attack after training, 500
// images on 2 workers, 0.38 s without, 0.25 s with). After that every
// message is a request object and every reply an event object. Long jobs run in slices
// (WorkerCore.tick), yielding to the event loop between slices so that a Cancel request is seen
// within one slice.
//
// A wasm trap (a Rust panic) cannot be undone inside this instance: the worker reports it as an
// Error event with `fatal: true` and the page replaces the whole worker (engine.js); models are
// restored from the browser's storage (persist.js).
//
// This file is a module worker when served; the single-file build bundles it into a classic
// script started from a Blob URL. It therefore never uses import.meta.
import { initSync, WorkerCore, take_panic_message, version, dataset_files, bench_kernels } from './pkg/advlab.js';

const SLICE_MS = 40;
let core = null;
let datasetsBase = null;
let ticking = false;
let broken = false;
let queue = Promise.resolve(); // requests are handled in arrival order, even across fetches
// Data-parallel training (docs/workers.md): a MessagePort to each other worker, and the id of this
// worker's Train job. Gradient events go straight to the peers, not through the page.
let peers = [];
let trainJob = null;
// Peer gradients that came before this worker took its own Train request (their ports are
// separate message queues, which the browser may serve first).
let early = [];

function post(events) {
  for (const ev of events) {
    if (ev.type === 'Gradient' && peers.length) for (const port of peers) port.postMessage(ev.gradient);
    else postMessage(ev);
  }
}

// A peer's gradient goes to this worker's job (WorkerCore.gradient: a Gradient request without
// serde decoding; only a refusal is answered, to the page, as an Error with id 0).
function setPeers(ports) {
  for (const port of peers) port.close();
  peers = ports || [];
  trainJob = null;
  early = [];
  for (const port of peers) {
    port.onmessage = (e) => {
      if (trainJob === null) early.push(e.data);
      else queue = queue.then(() => takeGradient(e.data));
    };
  }
}

function takeGradient(g) {
  if (broken || !core) return;
  const bytes = g.values instanceof Uint8Array ? g.values : new Uint8Array(0);
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const values = new Float32Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.byteLength / 4));
  try {
    post(core.gradient(trainJob ?? 0, g.step, g.part, values, g.loss_sum, g.hits, g.rows));
  } catch (err) {
    fail(err, null);
    return;
  }
  scheduleTick();
}

// After a trap nothing more runs here; the page starts a fresh worker.
function fail(err, id) {
  broken = true;
  const message = take_panic_message() || String(err && err.message ? err.message : err);
  postMessage({ type: 'Error', id: id ?? null, message: `internal error: ${message}`, field: null, fatal: true });
}

// Yields to the event loop between slices through a MessageChannel: nested setTimeout(0) calls
// are clamped to 4 ms, a tenth of every 40 ms slice.
const yieldChannel = new MessageChannel();
yieldChannel.port1.onmessage = () => tick();

function scheduleTick() {
  if (broken || ticking || !core || !core.busy()) return;
  ticking = true;
  yieldChannel.port2.postMessage(null);
}

function tick() {
  ticking = false;
  if (broken || !core) return;
  try {
    post(core.tick(SLICE_MS));
  } catch (err) {
    fail(err, null);
    return;
  }
  scheduleTick();
}

async function withFiles(request) {
  if (request.type !== 'LoadDataset' || request.files) return request;
  const names = dataset_files(String(request.dataset));
  if (names.length === 0 || datasetsBase === null) return { ...request, files: [] }; // Rust explains
  const files = await Promise.all(names.map(async (name) => {
    const res = await fetch(new URL(name, datasetsBase));
    if (!res.ok) throw new Error(`could not fetch ${name}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }));
  return { ...request, files };
}

async function handle(request) {
  if (broken) return;
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
    fail(err, id);
    return;
  }
  if (full.type === 'Train' && full.parts && peers.length) {
    trainJob = id;
    for (const g of early.splice(0)) takeGradient(g);
  }
  scheduleTick();
}

function boot({ module, datasets, warm }) {
  try {
    initSync({ module });
    core = new WorkerCore();
    datasetsBase = datasets;
    if (warm) bench_kernels(false, 64, 0.15);
    postMessage({ type: 'Ready', id: null, version: version() });
  } catch (err) {
    broken = true;
    postMessage({ type: 'Error', id: null, message: `could not start the engine: ${err}`, field: null });
  }
}

onmessage = (e) => {
  const msg = e.data;
  if (msg && msg.type === 'Boot') { boot(msg); return; }
  if (msg && msg.type === 'Peers') { setPeers(msg.ports); return; }
  if (!core) {
    postMessage({ type: 'Error', id: msg && msg.id, message: 'the engine has not started yet', field: null });
    return;
  }
  // Cancel must not wait behind a dataset fetch; everything else keeps its order.
  if (msg && msg.type === 'Cancel') { handle(msg); return; }
  queue = queue.then(() => handle(msg));
};
