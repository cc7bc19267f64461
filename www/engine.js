// EngineClient: the page's side of the worker protocol. `request(obj)` sends a request with a
// fresh id and resolves with the first terminal event for that id (or rejects on an Error
// event); `on(type, fn)` subscribes to events of one type (progress, results, Ready).
export class EngineClient {
  constructor(workerUrl) {
    this.worker = new Worker(workerUrl, { type: 'module' });
    this.nextId = 1;
    this.handlers = new Map();
    this.waiting = new Map();
    this.worker.onmessage = (e) => this.dispatch(e.data);
    this.worker.onerror = (e) => this.dispatch({ type: 'Error', id: null, message: e.message || 'worker failed to start' });
  }

  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(fn);
  }

  // Sends a request; resolves with the event whose `id` matches and whose type is in `until`.
  request(body, until = null) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, until });
      this.worker.postMessage({ ...body, id });
    });
  }

  dispatch(ev) {
    for (const fn of this.handlers.get(ev.type) || []) fn(ev);
    const w = ev.id != null ? this.waiting.get(ev.id) : null;
    if (!w) return;
    if (ev.type === 'Error') { this.waiting.delete(ev.id); w.reject(Object.assign(new Error(ev.message), { event: ev })); }
    else if (!w.until || w.until.includes(ev.type)) { this.waiting.delete(ev.id); w.resolve(ev); }
  }
}
