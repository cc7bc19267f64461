// Panel 1, data and models: loads a dataset into the worker, trains the undefended model and the
// defended one (with the chosen defence), draws live loss/accuracy curves, shows both models'
// clean test accuracy, and downloads/uploads models as .safetensors files.
import { drawChart } from '../charts.js';
import { t, language } from '../i18n.js';
import { $, $$, showError, clearErrors, pct, download, throttle, num, checkFieldsLive } from '../ui.js';
import { applyUrlState } from '../state.js';
import { saveModel, loadModel, saveDataset, loadDataset as loadStoredDataset, hasDataset } from '../persist.js';
import { OWN_DATASETS, readOwnFiles } from '../own-data.js';
import { offline, inlinedDataset } from '../env.js';
import { shippedFor, shippedBytes, referenceModel } from '../shipped.js';
import { renderParams, readParams, constrain, methodHelp, problemWith } from '../params.js';

// The training settings' static controls and the catalog parameter each one shows.
const TRAINING_FIELDS = { epochs: 'epochs', batch_size: 'batch_size', learning_rate: 'learning_rate', seed: 'seed', train_limit: 'train_limit' };

// Parameters arrive as f32: 0.2 is 0.20000000298023224.
const fmt = (v) => Number(Number(v).toPrecision(6));

// A defence in ART's words: the trainer, its attack and that attack's strength.
export function describeDefence(d) {
  if (!d) return '';
  if (d.method === 'adv-trainer' && d.attacks && d.attacks[0]) {
    const a = d.attacks[0];
    const key = ['eps', 'theta', 'epsilon'].find((k) => k in a);
    return `AdversarialTrainer (${a.attack.toUpperCase()}${key ? ` ${key} ${fmt(a[key])}` : ''}, ratio ${fmt(d.ratio)})`;
  }
  if (d.method === 'madry-pgd') return `AdversarialTrainerMadryPGD (eps ${fmt(d.eps)}, eps_step ${fmt(d.eps_step)}, max_iter ${d.max_iter})`;
  if (d.method === 'fast-fgsm') return `AdversarialTrainerFBF (eps ${fmt(d.eps)})`;
  return d.method;
}

// A defence method in a word, for the model chips: ART's class name.
export function defenceShort(method) {
  return { 'adv-trainer': 'AdversarialTrainer', 'madry-pgd': 'AdversarialTrainerMadryPGD', 'fast-fgsm': 'AdversarialTrainerFBF' }[method] || method;
}

export function initTrainPanel(lab, urlState, generic) {
  const form = $('#train-form');
  let catalog = generic; // the catalog the forms follow (the dataset's once one is loaded)
  const curve = { loss: [], acc: [], test: [] };
  const queued = new Set(); // slots whose Train was clicked while a dataset loaded
  let loading = null; // the dataset load in progress: { name, promise }

  const presetOf = (name) => (lab.dataset ? lab.dataset.presets.find((p) => p.name === name) : null);

  const param = (group, name) => group.params.find((p) => p.name === name);

  // Ranges and help of the training controls, from the catalog.
  function constrainTraining() {
    for (const [field, name] of Object.entries(TRAINING_FIELDS)) constrain(form.elements[field], param(catalog.training, name), 'training');
    const target = param(catalog.training, 'target_accuracy');
    constrain(form.elements.target, target, 'training');
    form.elements.target.dataset.scale = '0.01';
    // The form asks for a percentage; the request carries a fraction.
    form.elements.target.min = String(target.min * 100);
    form.elements.target.max = String(target.max * 100);
    form.elements.target.dataset.field = 'target_accuracy';
  }

  function fillPresets() {
    const arch = form.elements.arch;
    arch.replaceChildren(...lab.dataset.presets.map((p) => new Option(p.name, p.name)));
    arch.value = param(catalog.training, 'arch').suggested;
    const limit = param(catalog.training, 'train_limit').suggested;
    form.elements.train_limit.value = limit == null ? '' : String(limit);
    constrainTraining();
    form.elements.train_limit.max = String(Math.min(Number(form.elements.train_limit.max), lab.dataset.train));
    presetDefaults();
    fillDefences({});
  }

  function presetDefaults() {
    const p = presetOf(form.elements.arch.value);
    if (!p) return;
    form.elements.epochs.value = p.epochs;
    form.elements.batch_size.value = p.batch_size;
    form.elements.learning_rate.value = Number(p.learning_rate.toPrecision(6));
    describeArch();
  }

  // The architecture's description in the page's language.
  function describeArch() {
    const p = presetOf(form.elements.arch.value);
    $('#arch-desc').textContent = !p ? '' : language() === 'ko' && p.description_ko ? p.description_ko : p.description;
  }

  const defenceMethod = () => catalog.defences.find((d) => d.name === form.elements.defence.value);

  // The defence menu and the chosen defence's parameters (prefixed def_ in the form and the URL).
  // A defence that trains with attacks (AdversarialTrainer) gets an attack menu and that
  // attack's parameters (prefixed def_a_), starting from the catalog's suggestion.
  function fillDefences(values = readParams($('#defence-params'))) {
    const keep = form.elements.defence.value;
    form.elements.defence.replaceChildren(...catalog.defences.map((d) => new Option(d.label, d.name)));
    form.elements.defence.value = keep && catalog.defences.some((d) => d.name === keep) ? keep : catalog.defences[0].name;
    showDefence(values);
  }

  function showDefence(values = readParams($('#defence-params'))) {
    const method = defenceMethod();
    renderParams($('#defence-params'), method.params, { group: method.name, prefix: 'def_', values });
    const attacks = method.params.find((p) => p.kind === 'attacks');
    const menu = form.elements.def_attack;
    menu.closest('label').hidden = !attacks;
    $('#trainer-attack-params').hidden = !attacks;
    if (attacks) {
      const suggested = (attacks.suggested || [])[0] || { attack: catalog.attacks[0].name };
      menu.replaceChildren(...catalog.attacks.map((a) => new Option(a.label, a.name)));
      menu.value = menu.dataset.chosen || suggested.attack;
      showTrainerAttack(menu.value === suggested.attack ? suggested : {});
    }
    $('#defence-desc').textContent = methodHelp(method);
  }

  function showTrainerAttack(values = readParams($('#trainer-attack-params'))) {
    const menu = form.elements.def_attack;
    const attack = catalog.attacks.find((a) => a.name === menu.value);
    renderParams($('#trainer-attack-params'), attack.params.filter((p) => p.name !== 'targeted'), { group: attack.name, prefix: 'def_a_', values });
  }

  // The offline file carries some datasets whole, some in part, some not at all: say so in the menu.
  function labelDatasets() {
    if (!offline) return;
    for (const o of form.elements.dataset.options) {
      const carried = inlinedDataset(o.value);
      if (!carried) {
        o.disabled = true;
        o.textContent = `${t(o.dataset.i18n)} — ${t('site_only')}`;
      } else if (carried.subset) {
        o.textContent = t('subset_label', { name: o.value.toUpperCase(), ...carried });
      }
    }
  }

  // Datasets of the user's own files: { files, image_size } by name (own-data.js), read from the
  // browser's storage when first needed.
  const own = {};

  // The dataset menu's entry for a dataset of the user's files, added once.
  function ownOption(name) {
    let o = [...form.elements.dataset.options].find((x) => x.value === name);
    if (!o) {
      o = new Option(t(`own_${name}`), name);
      o.dataset.i18n = `own_${name}`;
      form.elements.dataset.append(o);
    }
    return o;
  }

  // The user picked (or dropped) files: they become a dataset, kept for reloads where allowed.
  async function loadOwn(fileList) {
    if (!fileList || !fileList.length) return;
    const { dataset, files } = await readOwnFiles(fileList);
    own[dataset] = { files, image_size: dataset === 'images' ? $('#image-size').value : null };
    ownOption(dataset);
    form.elements.dataset.value = dataset;
    await loadDataset(dataset);
    if (lab.dataset && lab.dataset.name === dataset) await saveDataset(dataset, own[dataset]);
  }

  // Datasets of the user's files stored by an earlier visit get their menu entries.
  async function restoreOwn() {
    for (const name of OWN_DATASETS) if (await hasDataset(name)) ownOption(name);
  }

  // Loads `name` into the worker; resolves when it is loaded (or failed, with the error shown).
  function loadDataset(name) {
    const promise = (async () => {
      clearErrors('train');
      $('#dataset-status').textContent = t('loading_dataset', { name });
      form.elements.dataset.disabled = true;
      lab.dataset = null;
      renderModels();
      try {
        const body = { type: 'LoadDataset', dataset: name };
        if (OWN_DATASETS.includes(name) && !own[name]) {
          const rec = await loadStoredDataset(name);
          if (rec && rec.files) own[name] = rec;
        }
        if (own[name]) {
          body.files = own[name].files;
          if (own[name].image_size) body.image_size = own[name].image_size;
        }
        const ev = await lab.engine.request(body, ['DatasetLoaded']);
        const info = ev.info;
        lab.dataset = info;
        $('#dataset-status').textContent = t('dataset_ready', { name: info.name, train: info.train, test: info.test, classes: info.class_names.length });
        catalog = info.catalog;
        fillPresets();
        lab.urlProblems(applyUrlState('train-form', urlState));
        document.body.dataset.kind = info.input_shape.length === 1 ? 'features' : 'image';
        // Colour images are picked from the test set; drawing makes grey digits only.
        document.body.toggleAttribute('data-colour', info.input_shape[2] === 3);
        // Photos are offered for datasets of the user's own images.
        document.body.toggleAttribute('data-own', OWN_DATASETS.includes(info.name));
        renderModels();
        lab.emit('dataset', info);
        await restore();
      } catch (err) {
        showError('train', err);
        $('#dataset-status').textContent = '';
      } finally {
        form.elements.dataset.disabled = false;
        if (loading && loading.promise === promise) loading = null;
      }
    })();
    loading = { name, promise };
    lab.loading = promise;
    return promise;
  }

  function settings(defended) {
    const s = {
      dataset: lab.dataset.name,
      arch: form.elements.arch.value,
      epochs: num(form, 'epochs'),
      batch_size: num(form, 'batch_size'),
      learning_rate: num(form, 'learning_rate'),
      train_limit: num(form, 'train_limit'),
      seed: num(form, 'seed') ?? 0,
      target_accuracy: num(form, 'target') === undefined ? undefined : num(form, 'target') / 100,
    };
    if (defended) s.defence = defenceConfig();
    return s;
  }

  function defenceConfig() {
    const method = defenceMethod();
    const cfg = { method: method.name, ...readParams($('#defence-params')) };
    const attacks = method.params.find((p) => p.kind === 'attacks');
    if (attacks) cfg[attacks.name] = [{ attack: form.elements.def_attack.value, ...readParams($('#trainer-attack-params')) }];
    return cfg;
  }

  const drawCurves = throttle(() => {
    drawChart($('#train-chart'), {
      kind: 'lines', title: t('train_curves'), x_label: t('epochs'), y_label: `${t('loss')} / ${t('accuracy')}`,
      series: [
        { name: t('loss'), points: curve.loss, style: 'solid' },
        { name: t('accuracy'), points: curve.acc, style: 'dashed' },
        ...(curve.test.length ? [{ name: t('test_acc'), points: curve.test, style: 'solid' }] : []),
      ],
      markers: curve.loss.length <= 60,
    });
  }, 150);

  // Puts the shipped model `name` into `slot` (the settings it was made with go with it, for its
  // card); resolves with its info, or null when this packaging lacks it or it does not load.
  async function loadShipped(slot, name) {
    const ref = referenceModel(name);
    const bytes = ref && await shippedBytes(name);
    if (!bytes || !lab.dataset || ref.settings.dataset !== lab.dataset.name) return null;
    const s = ref.settings;
    const carried = inlinedDataset(s.dataset);
    const origin = { arch: s.arch, defence: s.defence ? s.defence.method : null, epochs: s.epochs,
      train_samples: s.train_limit ?? (carried ? carried.of_train : lab.dataset.train) };
    try {
      const ev = await lab.engine.request({ type: 'ImportModel', slot, dataset: s.dataset, file: { filename: `${name}.safetensors`, bytes }, origin }, ['Trained']);
      const info = { ...ev.model, shipped: name, defence_config: s.defence };
      setModel(info);
      keep(info);
      $('#dataset-status').textContent = t('shipped_loaded', { name });
      return info;
    } catch {
      return null;
    }
  }

  // Trains `slot`; a click while a dataset loads is queued (and said so), never dropped. With
  // `shipped`, a shipped model made with exactly these settings is loaded instead of training.
  async function train(slot, overrides = {}, { shipped = false } = {}) {
    if (loading) {
      if (queued.has(slot)) return;
      queued.add(slot);
      $('#dataset-status').textContent = t('train_queued', { name: loading.name });
      await loading.promise;
      queued.delete(slot);
    }
    if (!lab.dataset || lab.busy) return;
    clearErrors('train');
    curve.loss = [];
    curve.acc = [];
    curve.test = [];
    const body = { type: 'Train', slot, settings: { ...settings(slot === 'defended'), ...overrides } };
    const problem = problemWith(body);
    if (problem) { showError('train', problem); return null; }
    if (shipped) {
      const base = lab.model('undefended');
      const name = shippedFor(slot, body.settings, base && base.shipped);
      const info = name && await loadShipped(slot, name);
      if (info) return info;
    }
    try {
      const ev = await lab.runJob(t('job_train', { slot: t('slot_' + slot) }), body, (p) => {
        if (!p.train || p.phase === 'evaluate') return p.phase === 'evaluate' ? t('evaluating') : '';
        const tp = p.train;
        const x = tp.epoch - 1 + tp.batch / tp.batches;
        curve.loss.push([x, tp.loss]);
        curve.acc.push([x, tp.accuracy]);
        if (p.test_accuracy != null && (curve.test.length === 0 || curve.test.at(-1)[1] !== p.test_accuracy || tp.batch === tp.batches)) {
          if (!curve.test.some(([e]) => e === tp.epoch)) curve.test.push([tp.epoch, p.test_accuracy]);
        }
        drawCurves();
        const test = p.test_accuracy != null ? ` · ${t('test_acc')} ${pct(p.test_accuracy)}` : '';
        return `${t('epoch', tp)} · ${t('loss_acc', { loss: tp.loss.toFixed(3), acc: pct(tp.accuracy) })}${test}`;
      });
      if (!ev) return null;
      const info = { ...ev.model, defence_config: body.settings.defence || null };
      setModel(info);
      keep(info);
      return info;
    } catch (err) {
      showError('train', err);
      return null;
    }
  }

  function setModel(info) {
    lab.models[info.slot] = info;
    renderModels();
    lab.emit('models', info.slot);
  }

  // Stores a new model in the browser so a reload (or a worker restart) does not lose it.
  async function keep(info) {
    try {
      const ev = await lab.engine.request({ type: 'ExportModel', slot: info.slot }, ['ModelFile']);
      const origin = { arch: info.arch, defence: info.defence, epochs: info.epochs, train_samples: info.train_samples };
      await saveModel(info.slot, { dataset: info.dataset, origin, file: ev.file, shipped: info.shipped || null, defence_config: info.defence_config || null });
    } catch { /* storage is a convenience: the model is still in the worker */ }
  }

  // Puts stored models for the loaded dataset back into empty slots.
  async function restore() {
    for (const slot of ['undefended', 'defended']) {
      if (lab.model(slot)) continue;
      const rec = await loadModel(slot);
      if (!rec || rec.dataset !== lab.dataset.name) continue;
      try {
        const ev = await lab.engine.request({ type: 'ImportModel', slot, dataset: rec.dataset, file: rec.file, origin: rec.origin }, ['Trained']);
        setModel({ ...ev.model, shipped: rec.shipped || null, defence_config: rec.defence_config || null });
      } catch { /* a stored model that no longer loads is ignored */ }
    }
  }

  function renderModels() {
    for (const chip of $$('[data-chip]')) {
      const m = lab.model(chip.dataset.chip);
      $('b', chip).textContent = m ? pct(m.test_accuracy) : '—';
      $('.chip-defence', chip).textContent = m ? ` (${m.defence ? defenceShort(m.defence) : t('no_defence')})` : '';
    }
    for (const card of $$('.model')) {
      const slot = card.dataset.slot;
      const m = lab.model(slot);
      $('[data-action="download"]', card).disabled = !m;
      if (!m) {
        $('.model-info', card).textContent = t('no_model');
        $('.acc', card).textContent = '';
        continue;
      }
      const arch = m.arch === 'imported' ? t('imported') : m.arch;
      const defence = describeDefence(m.defence_config) || (m.defence && defenceShort(m.defence)) || t('no_defence');
      const line = t('model_line', { arch, params: m.params.toLocaleString(), defence });
      $('.model-info', card).textContent = m.shipped ? `${line} · ${t('shipped_line', { epochs: m.epochs })}` : line;
      $('.acc', card).innerHTML = `${pct(m.test_accuracy)} <small></small>`;
      $('.acc small', card).textContent = t('test_acc');
    }
  }

  async function exportModel(slot) {
    try {
      const ev = await lab.engine.request({ type: 'ExportModel', slot }, ['ModelFile']);
      download(ev.file.filename, ev.file.bytes);
    } catch (err) {
      showError('train', err);
    }
  }

  // Puts an uploaded file into `slot`; a file the worker refuses is explained on the slot's card
  // (and the model already there stays).
  async function importModel(slot, file) {
    clearErrors('train');
    const note = $(`.model[data-slot=${slot}] [data-upload-error]`);
    note.textContent = '';
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const ev = await lab.engine.request({ type: 'ImportModel', slot, dataset: lab.dataset.name, file: { filename: file.name, bytes } }, ['Trained']);
      setModel(ev.model);
      keep(ev.model);
    } catch (err) {
      note.textContent = `${file.name}: ${err.message}`;
      showError('train', err);
    }
  }

  form.elements.dataset.addEventListener('change', () => loadDataset(form.elements.dataset.value));
  form.elements.arch.addEventListener('change', presetDefaults);
  form.elements.defence.addEventListener('change', () => showDefence({}));
  form.elements.def_attack.addEventListener('change', () => {
    form.elements.def_attack.dataset.chosen = form.elements.def_attack.value;
    showTrainerAttack();
  });
  lab.on('language', () => { showDefence(); describeArch(); });
  checkFieldsLive(form);
  constrainTraining();
  fillDefences({});
  $('#train-btn').addEventListener('click', () => train('undefended'));
  $('#train-def-btn').addEventListener('click', () => train('defended'));
  for (const card of $$('.model')) {
    $('[data-action="download"]', card).addEventListener('click', () => exportModel(card.dataset.slot));
    const input = $('[data-action="upload"]', card);
    input.addEventListener('change', () => { if (input.files[0]) importModel(card.dataset.slot, input.files[0]); input.value = ''; });
  }
  lab.on('language', renderModels);
  lab.on('busy', (busy) => {
    for (const b of [$('#train-btn'), $('#train-def-btn')]) b.disabled = busy;
  });
  const dataFile = $('#data-file');
  dataFile.addEventListener('change', () => { loadOwn(dataFile.files).finally(() => { dataFile.value = ''; }); });
  const panel = $('#data-panel');
  panel.addEventListener('dragover', (e) => { if (e.dataTransfer && e.dataTransfer.types.includes('Files')) e.preventDefault(); });
  panel.addEventListener('drop', (e) => {
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    e.preventDefault();
    loadOwn(e.dataTransfer.files);
  });
  lab.on('start', (state) => {
    // lab.loading is set at once: autorun and scenarios wait for it.
    lab.loading = (async () => {
      await restoreOwn();
      labelDatasets();
      const ds = state.get('t.dataset');
      const option = [...form.elements.dataset.options].find((o) => o.value === ds);
      if (option && !option.disabled) form.elements.dataset.value = ds;
      await loadDataset(form.elements.dataset.value);
    })();
  });
  lab.on('language', labelDatasets);
  // The worker restarted after a crash: its datasets and models are gone, so load the dataset
  // again, which also restores the stored models.
  lab.on('restarted', () => {
    lab.models = { undefended: null, defended: null };
    if (lab.dataset) loadDataset(lab.dataset.name);
  });
  // The dataset `name` loaded (loading it unless it is the current one).
  async function useDataset(name) {
    if (lab.loading) await lab.loading;
    if (loading) await loading.promise;
    if (lab.dataset && lab.dataset.name === name) return;
    form.elements.dataset.value = name;
    await loadDataset(name);
  }

  return { loadDataset, useDataset, train, loadShipped, settings, setModel, keep, form };
}
