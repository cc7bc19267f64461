// Panel 1's defence stack: the pre- and post-processors the defended model is wrapped in (the
// catalog's `stack`: ART's FeatureSqueezing, SpatialSmoothing, HighConfidence, ... with their
// parameters, ranges and help from Rust) and ART's BinaryInputDetector trained beside it.
// Pieces are added, reordered and removed here; "Apply" sends SetStack, and from then on
// predictions, attacks, curves and the IRIS map go through the stack (the worker's ModelInfo
// says what is applied). "Train detector" is a job like training; the detector's rates are shown
// here and its score beside every prediction (input.js) and attack (attack.js).
import { t, language } from '../i18n.js';
import { piece_warning } from '../pkg/advlab.js';
import { $, $$, showError, clearErrors, pct, checkFieldsLive } from '../ui.js';
import { renderParams, readParams, methodHelp, problemWith } from '../params.js';

const SLOT = 'defended';

// "feature-squeezing(bit_depth 1) → model → rounded(decimals 2)" for a stack as ModelInfo has it.
export function stackSummary(stack) {
  const pieces = (stack && stack.pieces) || [];
  const show = (p) => {
    const { method, ...params } = p;
    const args = Object.entries(params).filter(([, v]) => v != null).map(([k, v]) => `${k} ${typeof v === 'number' ? Number(v.toPrecision(6)) : v}`).join(', ');
    return args ? `${method}(${args})` : method;
  };
  const pre = pieces.filter((p) => !isPost(p.method)).map(show);
  const post = pieces.filter((p) => isPost(p.method)).map(show);
  return [...pre, t('model_word'), ...post].join(' → ');
}

let stageOf = () => 'pre'; // set once a catalog is known
const isPost = (name) => stageOf(name) === 'post';

export function initStackPanel(lab, train, generic) {
  const form = $('#stack-form');
  const list = $('#stack-list');
  let catalog = generic;
  let uid = 0;

  const methodOf = (name) => catalog.stack.find((m) => m.name === name);
  stageOf = (name) => (methodOf(name) || {}).stage;

  function fillMenus() {
    const add = form.elements.add;
    add.replaceChildren(...catalog.stack.map((m) => new Option(`${m.label} (${t('stage_' + m.stage)})`, m.name)));
    const menu = form.elements.det_attack;
    const keep = menu.value;
    menu.replaceChildren(...catalog.attacks.filter((a) => a.targeted !== 'always').map((a) => new Option(a.label, a.name)));
    const suggested = catalog.detector.params.find((p) => p.name === 'attack').suggested || {};
    menu.value = keep || suggested.attack || 'fgsm';
    showDetectorAttack(menu.value === suggested.attack ? suggested : {});
    renderParams($('#detector-params'), catalog.detector.params, { group: 'binary-input-detector', prefix: 'det_', values: readParams($('#detector-params')) });
  }

  function showDetectorAttack(values = readParams($('#det-attack-params'))) {
    const attack = catalog.attacks.find((a) => a.name === form.elements.det_attack.value);
    renderParams($('#det-attack-params'), attack.params.filter((p) => p.name !== 'targeted'), { group: attack.name, prefix: 'det_a_', values });
  }

  // One list item per piece: its name, what kind of piece it is, its parameters and help, and
  // buttons to move it up or down or remove it.
  function addPiece(name, values = {}) {
    const m = methodOf(name);
    if (!m) return;
    const li = document.createElement('li');
    li.dataset.method = name;
    const head = document.createElement('div');
    head.className = 'piece-head';
    const title = document.createElement('b');
    title.textContent = m.label;
    const tags = document.createElement('small');
    tags.textContent = [t('stage_' + m.stage), m.differentiable ? '' : t('not_differentiable'), m.randomised ? t('randomised') : ''].filter(Boolean).join(' · ');
    head.append(title, ' ', tags);
    for (const [action, label] of [['up', '↑'], ['down', '↓'], ['remove', '✕']]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.action = action;
      b.textContent = label;
      b.title = t('piece_' + action);
      b.setAttribute('aria-label', `${t('piece_' + action)}: ${m.label}`);
      head.append(b);
    }
    const params = document.createElement('div');
    params.className = 'params';
    renderParams(params, m.params, { group: m.name, prefix: `stk${uid++}_`, values });
    const help = document.createElement('p');
    help.className = 'hint';
    help.textContent = methodHelp(m);
    // Said beside the piece when its settings would leave the input unchanged (Rust decides).
    const warning = document.createElement('p');
    warning.className = 'piece-warning';
    warning.setAttribute('aria-live', 'polite');
    warning.hidden = true;
    li.append(head, params, warning, help);
    list.append(li);
    showState();
  }

  // The stack as the protocol's StackConfig.
  function config() {
    return { pieces: [...list.children].map((li) => ({ method: li.dataset.method, ...readParams($('.params', li)) })) };
  }

  const same = (a, b) => JSON.stringify(a.pieces.map(canon)) === JSON.stringify(b.pieces.map(canon));
  const canon = (p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v != null).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(6)) : v]));

  // The warning beside each piece that would change nothing with its current settings.
  function warnPieces() {
    for (const li of list.children) {
      const w = $('.piece-warning', li);
      let text = null;
      try { text = piece_warning({ method: li.dataset.method, ...readParams($('.params', li)) }, language()); } catch { text = null; }
      w.hidden = !text;
      w.textContent = text || '';
    }
  }

  // Says whether the list is what the defended model carries, and how it answers through it.
  function showState() {
    warnPieces();
    const m = lab.model(SLOT);
    const status = $('#stack-status');
    $('#stack-apply').disabled = lab.busy || !m;
    $('#detector-btn').disabled = lab.busy || !m;
    $('#detector-remove').hidden = !(m && m.has_detector);
    if (!m) { status.textContent = t('stack_need_model'); return; }
    const applied = m.stack || { pieces: [] };
    if (!same(config(), applied)) status.textContent = t('stack_pending');
    else if (!applied.pieces.length) status.textContent = t('stack_empty');
    else status.textContent = t('stack_applied', { acc: pct(m.stacked_test_accuracy ?? 0), n: m.stacked_test_samples });
    const r = m.detector;
    $('#detector-status').textContent = r
      ? t('detector_report', { det: pct(r.detection_rate), fp: pct(r.false_positive_rate), attack: r.attack.toUpperCase(), n: r.test_samples, acc: pct(r.adversarial_accuracy) })
      : m.has_detector ? t('detector_loaded') : t('no_detector');
  }

  // The stack line on both model cards.
  function showCards() {
    for (const card of $$('.model')) {
      const m = lab.model(card.dataset.slot);
      const line = $('.stack-info', card);
      const pieces = m && m.stack ? m.stack.pieces.length : 0;
      line.hidden = !m || (!pieces && !m.has_detector);
      if (line.hidden) continue;
      const parts = [];
      if (pieces) parts.push(t('stack_line', { stack: stackSummary(m.stack), acc: pct(m.stacked_test_accuracy ?? 0) }));
      if (m.has_detector) parts.push(t('detector_word'));
      line.textContent = parts.join(' · ');
    }
  }

  async function send(body, until) {
    clearErrors('stack');
    const problem = problemWith(body);
    if (problem) { showError('stack', problem); return null; }
    try {
      return await lab.engine.request(body, until);
    } catch (err) {
      showError('stack', err);
      return null;
    }
  }

  async function apply(removeDetector = false) {
    if (!lab.model(SLOT)) return null;
    const ev = await send({ type: 'SetStack', slot: SLOT, dataset: lab.dataset.name, stack: config(), remove_detector: removeDetector }, ['StackSet']);
    if (ev) { train.setModel(ev.model); train.keep(ev.model); }
    return ev ? ev.model : null;
  }

  // Trains the detector on the defended model (through its stack) as a job; resolves with the report.
  async function trainDetector() {
    if (!lab.model(SLOT) || lab.busy) return null;
    clearErrors('stack');
    const settings = { ...readParams($('#detector-params')), attack: { attack: form.elements.det_attack.value, ...readParams($('#det-attack-params')) } };
    const body = { type: 'TrainDetector', slot: SLOT, dataset: lab.dataset.name, settings };
    const problem = problemWith(body);
    if (problem) { showError('stack', problem); return null; }
    try {
      const ev = await lab.runJob(t('job_detector'), body, (p) => (p.phase ? t('phase_' + p.phase) : ''));
      if (!ev) return null;
      train.setModel(ev.model);
      train.keep(ev.model);
      return ev.report;
    } catch (err) {
      showError('stack', err);
      return null;
    }
  }

  list.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-action]');
    if (!b) return;
    const li = b.closest('li');
    if (b.dataset.action === 'remove') li.remove();
    else if (b.dataset.action === 'up' && li.previousElementSibling) li.previousElementSibling.before(li);
    else if (b.dataset.action === 'down' && li.nextElementSibling) li.nextElementSibling.after(li);
    showState();
  });
  form.addEventListener('input', showState);
  form.addEventListener('change', showState);
  $('#stack-add').addEventListener('click', () => addPiece(form.elements.add.value));
  $('#stack-apply').addEventListener('click', () => apply());
  $('#detector-btn').addEventListener('click', trainDetector);
  $('#detector-remove').addEventListener('click', () => apply(true));
  form.elements.det_attack.addEventListener('change', () => showDetectorAttack({}));
  checkFieldsLive(form);
  lab.on('dataset', (info) => { catalog = info.catalog; list.replaceChildren(); fillMenus(); showState(); });
  // The list follows the defended model whenever it changes (trained, applied, uploaded, restored).
  lab.on('models', (slot) => {
    const m = lab.model(SLOT);
    if (slot === SLOT && m && m.stack && !same(config(), m.stack)) {
      list.replaceChildren();
      for (const { method, ...values } of m.stack.pieces) addPiece(method, values);
    }
    showState();
    showCards();
  });
  lab.on('busy', showState);
  lab.on('language', () => {
    const pieces = config().pieces;
    list.replaceChildren();
    fillMenus();
    for (const { method, ...values } of pieces) addPiece(method, values);
    showState();
    showCards();
  });
  fillMenus();
  showState();

  // For scenarios and tests: set the list and apply it.
  async function use(stack) {
    list.replaceChildren();
    for (const { method, ...values } of stack.pieces) addPiece(method, values);
    return apply();
  }
  return { apply, use, trainDetector, config, form };
}
