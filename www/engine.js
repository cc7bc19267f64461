// EngineClient: the page's side of the worker protocol (src/protocol/mod.rs).
// - request(body, until) sends a request with a fresh id and resolves with the first event for
//   that id whose type is in `until` (any non-Progress event when `until` is null); an Error
//   event rejects with an Error carrying `.field` (the parameter to blame).
// - job(body, onProgress) does the same for long requests (Train, Attack, Sweep): Progress events
//   go to onProgress; Cancelled rejects with `.cancelled = true`.
// - on(type, fn) subscribes to every event of one type.
// - f32(bytes) views a Uint8Array of little-endian floats (the protocol's F32s) as a Float32Array.
export class EngineClient {
  constructor(workerUrl) {
    this.worker = new Worker(workerUrl, { type: 'module' });
    this.nextId = 1;
    this.handlers = new Map();
    this.waiting = new Map();
    this.worker.onmessage = (e) => this.dispatch(e.data);
    this.worker.onerror = (e) => this.dispatch({ type: 'Error', id: null, message: e.message || 'the engine failed to start', field: null });
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
      this.worker.postMessage({ ...body, id });
    });
    return { id, done };
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
    if (!w) return;
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
