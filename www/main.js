// The page's entry point. It compiles the wasm once (env.js), starts the worker with it (every
// number is computed there, by Rust), initialises the charts on this thread, applies the link's
// view and settings (state.js, embed.js), and wires the five panels to one shared `lab` object.
// The panels talk to each other only through lab events:
//   'dataset' (a dataset was loaded), 'models' (a slot changed), 'input' (the current sample
//   changed), 'attack' (an attack finished), 'busy' (a job started or ended), 'language'.
// Finally it runs what the link asks for without a click: a scenario, or `autorun=1`.
import { EngineClient } from './engine.js';
import { initCharts } from './charts.js';
import { dataset_files, scenarios, catalog } from './pkg/advlab.js';
import { wasmModule, createWorker, datasetsBase, inlinedFiles } from './env.js';
import { t, setLanguage, initialLanguage } from './i18n.js';
import { $, JobBar, notify } from './ui.js';
import { initTrainPanel } from './panels/train.js';
import { initInputPanel } from './panels/input.js';
import { initAttackPanel } from './panels/attack.js';
import { initMapPanel } from './panels/map.js';
import { initCurvePanel } from './panels/curve.js';
import { initStackPanel } from './panels/stack.js';
import { readUrlState, watchUrlState, engineWorkers, cleanUrl } from './state.js';
import { applyView, initShare, shownPanels } from './embed.js';
import { initScenarios } from './scenarios.js';
import { initExports } from './exports.js';

class Lab {
  constructor(engine) {
    this.engine = engine;
    this.dataset = null; // DatasetInfo of the loaded, selected dataset
    this.models = { undefended: null, defended: null }; // ModelInfo per slot
    this.input = null; // { x: Float32Array, label, index, source }
    this.listeners = new Map();
    this.busy = false;
    this.jobs = new JobBar(() => engine.cancel());
  }

  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, []);
    this.listeners.get(name).push(fn);
  }

  emit(name, value) {
    for (const fn of this.listeners.get(name) || []) fn(value);
  }

  // The next emission of `name`, as a promise.
  next(name) {
    return new Promise((resolve) => {
      const once = (value) => {
        this.listeners.set(name, this.listeners.get(name).filter((f) => f !== once));
        resolve(value);
      };
      this.on(name, once);
    });
  }

  // Settings from the link that were ignored, shown in the page's notice and taken out of the
  // address (a reload or a copied link does not repeat them).
  urlProblems(items) {
    notify(t('notice_title'), items);
    cleanUrl();
  }

  // The models usable with the current dataset.
  model(slot) {
    const m = this.models[slot];
    return m && this.dataset && m.dataset === this.dataset.name ? m : null;
  }

  hasModel() {
    return Boolean(this.model('undefended') || this.model('defended'));
  }

  // Runs a long request with the job bar; resolves with the result event, or null if cancelled.
  async runJob(name, body, onProgress) {
    const from = document.activeElement;
    this.busy = true;
    this.emit('busy', true);
    this.jobs.begin(name, from);
    const start = performance.now();
    const { done } = this.engine.job(body, (ev) => {
      this.jobs.update(ev.fraction, onProgress ? onProgress(ev) || '' : '');
    });
    try {
      const ev = await done;
      this.jobs.update(1);
      this.jobs.end(t('done_in', { s: ((performance.now() - start) / 1000).toFixed(1) }));
      return ev;
    } catch (err) {
      this.jobs.end(err.cancelled ? t('cancelled') : t('failed'));
      if (err.cancelled) return null;
      throw err;
    } finally {
      this.busy = false;
      this.emit('busy', false);
    }
  }
}

const status = $('#engine-status');
// The first Tab stop jumps to the Train button (the header's controls come first otherwise).
$('#skip-btn').addEventListener('click', () => $('#train-btn').focus());
// Forms never navigate: every button is wired by its panel (and the CSP forbids inline handlers).
for (const form of document.forms) form.addEventListener('submit', (e) => e.preventDefault());

// One compiled module for both instances: the charts' (this thread) and the worker's.
let module;
try {
  module = await wasmModule();
  initCharts(module);
} catch (err) {
  status.textContent = `Engine error: ${err.message || err}`;
  status.dataset.state = 'error';
  throw err;
}
const engine = new EngineClient(module, { createWorker, datasetsBase: datasetsBase(), filesFor: inlinedFiles, datasetFiles: dataset_files, workers: engineWorkers() });
const lab = new Lab(engine);
window.advlab = { engine, lab };

const langSelect = $('#lang');
setLanguage(initialLanguage());
langSelect.value = document.documentElement.lang;
let version = null;
const showStatus = () => {
  if (status.dataset.state !== 'error') status.textContent = version ? t('engine_ready', { version, workers: engine.workers }) : t('loading_engine');
};
showStatus();
langSelect.addEventListener('change', () => {
  setLanguage(langSelect.value);
  showStatus();
  lab.emit('language', langSelect.value);
});

engine.on('Ready', (ev) => {
  // A second unprompted Ready means the worker restarted after a panic and lost its state.
  if (version && ev.id == null) lab.emit('restarted');
  version = ev.version;
  status.dataset.state = 'ready';
  showStatus();
});
engine.on('Error', (ev) => {
  if (ev.id === null || ev.id === undefined) {
    status.textContent = t('engine_error', { message: ev.message });
    status.dataset.state = 'error';
  }
});

const scenarioList = scenarios();
const { view, hash, problems } = readUrlState(scenarioList.map((s) => s.id));
applyView(view);
// The forms are built from the generic catalog at once, and follow each dataset's catalog later.
const generic = catalog();
const panels = {
  train: initTrainPanel(lab, hash, generic),
  input: initInputPanel(lab, hash),
  attack: initAttackPanel(lab, hash, generic),
  map: initMapPanel(lab, hash),
  curve: initCurvePanel(lab, hash),
};
panels.stack = initStackPanel(lab, panels.train, generic);
const scenarioMenu = initScenarios(lab, panels, scenarioList);
initShare();
initExports(lab);
watchUrlState();
lab.urlProblems(problems);
lab.emit('start', hash);

// Whether the model in `slot` is the one the forms describe (a model restored from the browser's
// storage may be reused by autorun instead of training it again).
function fits(slot) {
  const m = lab.model(slot);
  if (!m) return false;
  const s = panels.train.settings(slot === 'defended');
  const trained = Math.min(s.train_limit ?? Infinity, lab.dataset.train);
  return m.arch === s.arch && m.train_samples === trained && (m.defence ?? null) === (s.defence ? s.defence.method : null);
}

// `autorun=1`: train both models (unless they are already the ones asked for, or a shipped model
// was made with exactly these settings: then it is loaded at once), show the chosen input, attack
// it, and draw the curve when its panel is shown.
async function autorun() {
  await lab.loading;
  for (const slot of ['undefended', 'defended']) {
    if (!fits(slot) && !await panels.train.train(slot, {}, { shipped: true })) return;
  }
  if (!lab.input) await lab.next('input');
  if (!await panels.attack.run()) return;
  if (shownPanels().includes('curve')) await panels.curve.run();
}

if (view.scenario) scenarioMenu.run(view.scenario, { train: view.train, quick: view.quick });
else if (view.autorun) autorun();
