// EngineClient: the page's side of the worker protocol (src/protocol/mod.rs).
// - new EngineClient(module, { createWorker, datasetsBase, filesFor }) starts a worker and boots
//   it with the compiled wasm module (see worker.js).
// - request(body, until) sends a request with a fresh id and resolves with the first event for
//   that id whose type is in `until` (any non-Progress event when `until` is null); an Error
//   event rejects with an Error carrying `.field` (the parameter to blame), its message in the
//   page's language.
// - job(body, onProgress) does the same for long requests (Train, Attack, Sweep): Progress events
//   go to onProgress; Cancelled rejects with `.cancelled = true`.
// - on(type, fn) subscribes to every event of one type.
// - A fatal error (a Rust panic traps the wasm instance) replaces the worker with a fresh one:
//   requests still waiting are rejected, and the new worker's unprompted Ready tells the page
//   that datasets and models must be loaded again.
// - LoadDataset requests get their files from `filesFor(names)` when that returns them (the
//   offline single file); otherwise the worker fetches them from `datasetsBase`.
// - With `workers` above 1, a robustness Sweep, an Attack on at least SPLIT_MIN test samples and
//   training on at least SPLIT_TRAIN_MIN samples (plain training only with large batches) are
//   split across helper workers
//   (docs/workers.md): each helper is an EngineClient of its own, given the dataset and
//   the slots' model files (with their stacks and detectors) before its first part and again
//   after every change to a model; the main worker coordinates (see Parts in the protocol). If a
//   helper cannot be readied, the attack runs on the main worker alone.
// - Datasets of the user's own files (own-data.js) stay on the main worker: every helper would
//   hold its own copy (CIFAR-10 is 737 MB as floats).
// - f32(bytes) views a Uint8Array of little-endian floats (the protocol's F32s) as a Float32Array.
import { language } from './i18n.js';
import { OWN_DATASETS } from './own-data.js';

// An Error event's message in the page's language (the worker sends English and Korean).
const localMessage = (ev) => (language() === 'ko' && ev.ko ? ev.ko : ev.message);

export const SPLIT_MIN = 64;
// Training on at least this many samples is data-parallel across the workers: adversarial
// training always, plain training only when its batch gives every worker at least
// SPLIT_TRAIN_ROWS rows. With fewer, exchanging every batch's gradient costs more than it saves
// (make bench, 2026-12-04, mnist-seed batch 64: 14,400 ex/s on 2 workers, 16,600 on one).
export const SPLIT_TRAIN_MIN = 4096;
export const SPLIT_TRAIN_ROWS = 64;
// A sweep of the one-step FGSM without the gradient-masking checks, on fewer than this many
// (sample, value) points, stays on the main worker: it is done before helpers could load the
// dataset (a scenario's Table 1 curve, 1000 samples x 4 values: 0.6 s alone, 2.4 s split with
// helpers readying on 2 cores).
export const CHEAP_SWEEP_POINTS = 20000;
// How long after a dataset loads the helpers start loading it too (see dispatch).
const HELPER_WARM_DELAY_MS = 4000;

export class EngineClient {
  // `warm`: the worker runs the kernels for a moment when it boots (helpers; see worker.js).
  constructor(module, { createWorker, datasetsBase, filesFor, datasetFiles, workers = 1, warm = false }) {
    this.module = module;
    this.warm = warm;
    this.createWorker = createWorker;
    this.datasetsBase = datasetsBase;
    this.filesFor = filesFor;
    this.datasetFiles = datasetFiles;
    this.nextId = 1;
    this.handlers = new Map();
    this.waiting = new Map();
    this.workers = Math.max(1, Math.floor(workers));
    this.helpers = []; // started on the first split attack: { client, dataset, version, ready }
    this.version = 0; // bumped whenever a model, stack or detector changes
    this.running = new Set(); // { h } for every helper job in progress (one token per job)
    this.cancels = 0;
    this.trainSizes = {}; // training samples of each loaded dataset
    this.partFailure = null; // who hears of a refused Gradient (sent with id 0)
    this.start();
  }

  start() {
    this.worker = this.createWorker();
    this.worker.onmessage = (e) => this.dispatch(e.data);
    this.worker.onerror = (e) => this.dispatch({ type: 'Error', id: null, message: e.message || 'the engine failed to start', field: null });
    this.worker.postMessage({ type: 'Boot', module: this.module, datasets: this.datasetsBase, warm: this.warm });
  }

  restart() {
    this.version++;
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
    return this.sendAs(this.nextId++, body, waiter);
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
    const progress = onProgress || (() => {});
    if (this.splittable(body)) return body.type === 'Train' ? this.splitTrain(body, progress) : this.splitJob(body, progress);
    return this.send(body, { until: null, onProgress: progress });
  }

  cancel() {
    this.cancels++;
    for (const { h } of this.running) h.client.cancel();
    return this.request({ type: 'Cancel' }, ['Cancelled']).catch(() => null);
  }

  // Work worth splitting, with a helper to use: an attack on enough test samples without a
  // step-through trace, or a robustness sweep (its points are dealt out to the workers) unless it
  // is a small FGSM sweep (CHEAP_SWEEP_POINTS).
  splittable(body) {
    const s = body.settings;
    if (this.workers <= 1 || !s || body.parts || OWN_DATASETS.includes(s.dataset)) return false;
    if (body.type === 'Sweep') {
      const cheap = s.attack && s.attack.attack === 'fgsm' && !s.pgd_check && !s.blackbox_check;
      return !cheap || (s.n ?? 200) * (s.values ? s.values.length : 1) >= CHEAP_SWEEP_POINTS;
    }
    if (body.type === 'Train') {
      const rows = Math.min(s.train_limit ?? Infinity, this.trainSizes[s.dataset] ?? 0);
      // an unset batch size is the preset's: 64 or fewer for every MNIST preset
      const perWorker = (s.batch_size ?? 0) / this.workers;
      return rows >= SPLIT_TRAIN_MIN && (s.defence != null || perWorker >= SPLIT_TRAIN_ROWS);
    }
    return body.type === 'Attack' && !s.trace && !s.parts
      && s.samples && s.samples.kind === 'test' && s.samples.count >= SPLIT_MIN;
  }

  // A helper with the dataset and (with `models`) the main worker's current models, or null.
  async readyHelper(h, dataset, models) {
    if (h.dataset === dataset && (!models || h.version === this.version)) return h;
    const version = this.version;
    try {
      if (h.dataset !== dataset) {
        h.version = -1;
        await h.client.request({ type: 'LoadDataset', dataset }, ['DatasetLoaded']);
        h.dataset = dataset;
      }
      if (!models) return h;
      for (const slot of ['undefended', 'defended']) {
        const file = await this.request({ type: 'ExportModel', slot }, ['ModelFile']).catch(() => null);
        if (file) await h.client.request({ type: 'ImportModel', slot, dataset, file: file.file }, ['Trained']).catch(() => null);
      }
      h.version = version;
      return version === this.version ? h : null;
    } catch {
      h.dataset = null;
      return null;
    }
  }

  async helpersFor(dataset, models = true) {
    while (this.helpers.length < this.workers - 1) {
      const client = new EngineClient(this.module, {
        createWorker: this.createWorker, datasetsBase: this.datasetsBase, filesFor: this.filesFor, datasetFiles: this.datasetFiles,
        warm: true,
      });
      const h = { client, dataset: null, version: -1 };
      client.on('Ready', (ev) => { if (ev.id == null) { h.dataset = null; h.version = -1; } });
      this.helpers.push(h);
    }
    // One readying at a time per helper (a job may start while the helpers are being warmed up).
    const ready = await Promise.all(this.helpers.map((h) => {
      h.sync = (h.sync || Promise.resolve()).then(() => this.readyHelper(h, dataset, models));
      return h.sync;
    }));
    return ready.filter(Boolean);
  }

  // The frame of every split job: a fresh id, the helpers readied (with the main worker's models
  // when `models`), a Cancel during the readying honoured, and the job on the main worker alone
  // when no helper is ready; otherwise `run(id, helpers)` does the split.
  splitFrame(body, onProgress, models, run) {
    const id = this.nextId++;
    const cancels = this.cancels;
    const done = (async () => {
      const helpers = await this.helpersFor(body.settings.dataset, models);
      if (this.cancels !== cancels) throw Object.assign(new Error('cancelled'), { cancelled: true });
      if (!helpers.length) return this.sendAs(id, body, { until: null, onProgress }).done;
      return run(id, helpers);
    })();
    return { id, done };
  }

  // Runs an Attack or a Sweep split into parts: part 0 on the main worker (which answers with
  // the whole AttackDone or SweepDone), part k on helper k, whose AttackPartDone or SweepPartDone
  // is passed on to the main worker as an AttackPart or SweepPart. Progress reports the mean over
  // the workers.
  splitJob(body, onProgress) {
    return this.splitFrame(body, onProgress, true, async (id, helpers) => {
      const count = helpers.length + 1;
      const fractions = new Array(count).fill(0);
      let last = null;
      const report = (k, ev) => {
        fractions[k] = ev.fraction;
        if (k === 0) last = ev;
        if (last) onProgress({ ...last, fraction: Math.min(1, fractions.reduce((a, b) => a + b, 0) / count) });
      };
      const withPart = (index) => (body.type === 'Sweep'
        ? { ...body, parts: { count, index } }
        : { ...body, settings: { ...body.settings, parts: { count, index } } });
      const main = this.sendAs(id, withPart(0), { until: null, onProgress: (ev) => report(0, ev) });
      // A part that fails stops the whole attack (the main worker would wait for it forever),
      // and its error is the attack's.
      let partError = null;
      const passed = [];
      helpers.forEach(async (h, i) => {
        const k = i + 1;
        const token = { h };
        this.running.add(token);
        try {
          const ev = await h.client.job(withPart(k), (e) => report(k, e)).done;
          this.running.delete(token);
          // The main worker answers a part only when it refuses it.
          const pass = this.send({ type: `${body.type}Part`, job: id, part: ev.part }, { until: [], onProgress: null });
          passed.push(pass.id);
          await pass.done;
        } catch (err) {
          if (!partError) {
            partError = err;
            this.cancel();
          }
        } finally {
          this.running.delete(token);
        }
      });
      try {
        return await main.done;
      } catch (err) {
        throw partError || err;
      } finally {
        for (const p of passed) this.waiting.delete(p);
      }
    });
  }

  sendAs(id, body, waiter) {
    const done = new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, ...waiter });
      this.worker.postMessage({ ...this.withFiles(body), id });
    });
    return { id, done };
  }

  // Training split across the workers: every worker trains the same model on its rows of each
  // batch (and crafts the adversarial rows among them, with a defence) and sends its Gradient
  // events straight to the others through MessagePorts (see worker.js 'Peers'); a refused
  // gradient comes back here as an Error with id 0. The main worker evaluates and fills the slot;
  // the helpers are cancelled then.
  splitTrain(body, onProgress) {
    return this.splitFrame(body, onProgress, Boolean(body.settings.start_from), async (id, helpers) => {
      const count = helpers.length + 1;
      const clients = [this, ...helpers.map((h) => h.client)];
      const ports = clients.map(() => []);
      for (let i = 0; i < count; i++) {
        for (let j = i + 1; j < count; j++) {
          const channel = new MessageChannel();
          ports[i].push(channel.port1);
          ports[j].push(channel.port2);
        }
      }
      clients.forEach((c, k) => c.worker.postMessage({ type: 'Peers', ports: ports[k] }, ports[k]));
      let partError = null;
      let finished = false;
      const fail = (err) => {
        if (partError || finished) return;
        partError = err;
        this.cancel();
      };
      for (const c of clients) c.partFailure = (ev) => fail(new Error(localMessage(ev)));
      const tokens = helpers.map((h, i) => {
        const token = { h };
        const job = h.client.job({ ...body, parts: { count, index: i + 1 } });
        this.running.add(token);
        job.done.catch(fail).finally(() => this.running.delete(token));
        return token;
      });
      const main = this.sendAs(id, { ...body, parts: { count, index: 0 } }, { until: null, onProgress });
      try {
        return await main.done;
      } catch (err) {
        throw partError || err;
      } finally {
        finished = true;
        for (const c of clients) c.partFailure = null;
        // The helpers wait for Cancel once the main worker is done; the next job starts only
        // when they have stopped.
        await Promise.all(tokens.filter((t) => this.running.has(t)).map((t) => t.h.client.cancel()));
      }
    });
  }

  dispatch(ev) {
    if (ev.type === 'Error' && ev.id === 0) { if (this.partFailure) this.partFailure(ev); return; }
    if (ev.type === 'DatasetLoaded' && ev.info) {
      this.trainSizes[ev.info.name] = ev.info.train;
      // Warm the helpers up with a dataset big enough to be trained on by all of them, once the
      // page's first steps (shipped models, a scenario's curve) have had the cores: on 2 cores,
      // helpers decoding MNIST at once made a scenario's first curve 1.5 s later. A split job
      // that comes first readies them itself.
      if (this.workers > 1 && ev.info.train >= SPLIT_TRAIN_MIN && !OWN_DATASETS.includes(ev.info.name)) setTimeout(() => this.helpersFor(ev.info.name, false), HELPER_WARM_DELAY_MS);
    }
    if (['Trained', 'StackSet', 'DetectorTrained', 'DatasetLoaded'].includes(ev.type)) this.version++;
    // A changed model reaches the helpers in the background, before the next split attack needs it.
    if (['Trained', 'StackSet', 'DetectorTrained'].includes(ev.type) && ev.model && this.helpers.length) {
      if (!OWN_DATASETS.includes(ev.model.dataset)) setTimeout(() => this.helpersFor(ev.model.dataset, true), 0);
    }
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
        w.reject(Object.assign(new Error(localMessage(ev)), { field: ev.field, event: ev }));
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
