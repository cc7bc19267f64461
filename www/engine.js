// EngineClient: the page's side of the worker protocol (src/protocol/mod.rs).
// - new EngineClient(module, { createWorker, datasetsBase, filesFor }) starts a worker and boots
//   it with the compiled wasm module (see worker.js).
// - request(body, until) sends a request with a fresh id and resolves with the first event for
//   that id whose type is in `until` (any non-Progress event when `until` is null); an Error
//   event rejects with an Error carrying `.field` (the parameter to blame).
// - job(body, onProgress) does the same for long requests (Train, Attack, Sweep): Progress events
//   go to onProgress; Cancelled rejects with `.cancelled = true`.
// - on(type, fn) subscribes to every event of one type.
// - A fatal error (a Rust panic traps the wasm instance) replaces the worker with a fresh one:
//   requests still waiting are rejected, and the new worker's unprompted Ready tells the page
//   that datasets and models must be loaded again.
// - LoadDataset requests get their files from `filesFor(names)` when that returns them (the
//   offline single file); otherwise the worker fetches them from `datasetsBase`.
// - f32(bytes) views a Uint8Array of little-endian floats (the protocol's F32s) as a Float32Array.
export class EngineClient {
  constructor(module, { createWorker, datasetsBase, filesFor, datasetFiles }) {
    this.module = module;
    this.createWorker = createWorker;
    this.datasetsBase = datasetsBase;
    this.filesFor = filesFor;
    this.datasetFiles = datasetFiles;
    this.nextId = 1;
    this.handlers = new Map();
    this.waiting = new Map();
    this.start();
  }

  start() {
    this.worker = this.createWorker();
    this.worker.onmessage = (e) => this.dispatch(e.data);
    this.worker.onerror = (e) => this.dispatch({ type: 'Error', id: null, message: e.message || 'the engine failed to start', field: null });
    this.worker.postMessage({ type: 'Boot', module: this.module, datasets: this.datasetsBase });
  }

  restart() {
    this.worker.terminate();
    for (const [, w] of this.waiting) w.reject(Object.assign(new Error('the engine restarted'), { restarted: true }));
    this.waiting.clear();
    this.start();
  }

  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(fn);
  }

  // Posts `body` with a fresh id; the waiter settles when its answer arrives (see dispatch).
  send(body, waiter) {
    const id = this.nextId++;
    const done = new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, ...waiter });
      this.worker.postMessage({ ...this.withFiles(body), id });
    });
    return { id, done };
  }

  withFiles(body) {
    if (body.type !== 'LoadDataset' || body.files || !this.filesFor) return body;
    const files = this.filesFor(this.datasetFiles(body.dataset));
    return files ? { ...body, files } : body;
  }

  request(body, until = null) {
    return this.send(body, { until, onProgress: null }).done;
  }

  job(body, onProgress) {
    return this.send(body, { until: null, onProgress: onProgress || (() => {}) });
  }

  cancel() {
    return this.request({ type: 'Cancel' }, ['Cancelled']).catch(() => null);
  }

  dispatch(ev) {
    for (const fn of this.handlers.get(ev.type) || []) fn(ev);
    // Cancelled carries the job's id; the Cancel request that caused it is `by`.
    if (ev.type === 'Cancelled' && ev.by != null && this.waiting.has(ev.by)) {
      const c = this.waiting.get(ev.by);
      this.waiting.delete(ev.by);
      c.resolve(ev);
    }
    const w = ev.id != null ? this.waiting.get(ev.id) : null;
    if (w) {
      if (ev.type === 'Progress') { if (w.onProgress) w.onProgress(ev); return; }
      if (ev.type === 'Error') {
        this.waiting.delete(ev.id);
        w.reject(Object.assign(new Error(ev.message), { field: ev.field, event: ev }));
      } else if (ev.type === 'Cancelled' && w.onProgress !== null) {
        this.waiting.delete(ev.id);
        w.reject(Object.assign(new Error('cancelled'), { cancelled: true }));
      } else if (!w.until || w.until.includes(ev.type)) {
        this.waiting.delete(ev.id);
        w.resolve(ev);
      }
    }
    if (ev.type === 'Error' && ev.fatal) this.restart();
  }
}

// A Uint8Array of little-endian f32 (or an array of byte values in tests) as a Float32Array.
export function f32(bytes) {
  if (!bytes) return null;
  const u8 = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
  const copy = u8.byteOffset % 4 === 0 ? u8 : u8.slice();
  return new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
}

// Float32Array → Uint8Array of its bytes, for requests carrying samples.
export function f32Bytes(values) {
  const arr = values instanceof Float32Array ? values : Float32Array.from(values);
  return new Uint8Array(arr.buffer.slice(arr.byteOffset, arr.byteOffset + arr.byteLength));
}
