// The module worker: owns the wasm instance and its Session. Every message from the page is a
// request object; every reply is an event object. Long jobs run in slices (WorkerCore.tick),
// yielding to the event loop between slices so that a Cancel request is seen within ~50 ms.
// A wasm trap (a Rust panic) becomes an Error event and the module is re-instantiated.
import init, { WorkerCore, take_panic_message, version } from './pkg/advlab.js';

const SLICE_MS = 40;
let core = null;
let ticking = false;
const pending = []; // requests that arrived while the module was (re)loading

async function boot() {
  await init({ module_or_path: new URL('./pkg/advlab_bg.wasm', import.meta.url) });
  core = new WorkerCore();
  postMessage({ type: 'Ready', id: null, version: version() });
  while (pending.length && core) handle(pending.shift());
}

function post(events) {
  for (const ev of events) postMessage(ev);
}

async function recover(err, id) {
  const message = take_panic_message() || String(err && err.message ? err.message : err);
  postMessage({ type: 'Error', id: id ?? null, message: `internal error: ${message}` });
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
    recover(err, null);
    return;
  }
  scheduleTick();
}

onmessage = (e) => {
  if (!core) { pending.push(e.data); return; }
  handle(e.data);
};

function handle(request) {
  try {
    post(core.handle(request));
  } catch (err) {
    recover(err, request && typeof request.id === 'number' ? request.id : null);
    return;
  }
  scheduleTick();
}

boot().catch((err) => postMessage({ type: 'Error', id: null, message: `could not start the engine: ${err}` }));
