// The page's settings in its URL, so a link (or a slide's iframe) reopens a prepared lab.
//
// The query string says how the page is shown (README, "Link and embed parameters"):
//   embed=1            no page chrome, the chosen panels fitted into the frame
//   panels=a,b         only these panels, in this order (train, input, attack, map, curve)
//   autorun=1          train both models, pick the input and attack it on load, without a click
//   scenario=table1    one of the report's experiments, set up and run on load (scenarios.js)
//   quick=1            the scenario's smaller variant
//   lang=en|ko         the interface language
// The hash holds the controls of the forms as `<form key>.<name>=<value>` (for example
// `#t.dataset=mnist&a.attack=pgd&a.eps=0.1`), written on every change.
//
// Nothing from a URL is trusted: an unknown parameter, a malformed value, or a value the control
// itself would reject (out of its range, not one of its options) is ignored and named in the
// page's notice; the control keeps its valid default.
import { t } from './i18n.js';
import { valueProblem } from './params.js';

const FORMS = { 'train-form': 't', 'pick-form': 'i', 'attack-form': 'a', 'curve-form': 'c', 'map-form': 'm' };
// Workers an attack is split across (the page's engine plus helpers; limits::MAX_PARTS).
export const MAX_WORKERS = 16;

// `?workers=N` as a number, or null when it is not a whole number in 1..MAX_WORKERS.
function workerCount(value) {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS && /^\d+$/.test(value) ? n : null;
}

// Workers for the engine: `?workers=N` when valid, else one per core up to 4, or up to 2 in an
// embed (each worker holds its own copy of the dataset, and a slide deck may hold several embeds).
export function engineWorkers() {
  const query = new URLSearchParams(location.search);
  const asked = query.get('workers');
  const n = asked === null ? null : workerCount(asked);
  const most = query.get('embed') === '1' ? 2 : 4;
  return n ?? Math.max(1, Math.min(most, navigator.hardwareConcurrency || 1));
}

export const PANELS = ['train', 'input', 'attack', 'map', 'curve'];
const FLAGS = ['embed', 'autorun', 'quick', 'train'];

// The link's settings that were refused (and named in the notice): cleanUrl() takes them out of
// the address, so a reload or "Copy link" does not carry them again.
const rejected = { query: new Set(), hash: new Set(), fixed: new Map() };

export function cleanUrl() {
  if (!rejected.query.size && !rejected.hash.size && !rejected.fixed.size) return;
  const query = new URLSearchParams(location.search);
  for (const k of rejected.query) query.delete(k);
  for (const [k, v] of rejected.fixed) query.set(k, v);
  const hash = new URLSearchParams(location.hash.slice(1));
  for (const k of rejected.hash) hash.delete(k);
  const q = query.toString();
  const h = hash.toString();
  try {
    history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}${h ? `#${h}` : ''}`);
  } catch { /* an address that cannot be rewritten keeps its text; the controls are right */ }
}

// Reads the query string and the hash. `scenarios` are the known scenario ids. Returns
// { view: {embed, panels, autorun, scenario, train, quick, lang}, hash: URLSearchParams, problems }.
export function readUrlState(scenarios) {
  const query = new URLSearchParams(location.search);
  const problems = [];
  const view = { embed: false, panels: null, autorun: false, scenario: null, train: false, quick: false, lang: null };
  for (const [key, value] of query) {
    const before = problems.length;
    if (FLAGS.includes(key)) {
      if (value === '1' || value === '0') view[key] = value === '1';
      else problems.push(t('bad_flag', { key, value }));
    } else if (key === 'panels') {
      const names = value.split(',').map((s) => s.trim()).filter(Boolean);
      const known = names.filter((n) => PANELS.includes(n));
      for (const n of names.filter((x) => !PANELS.includes(x))) problems.push(t('bad_panel', { value: n, valid: PANELS.join(', ') }));
      if (known.length) view.panels = [...new Set(known)];
      else if (names.length === 0) problems.push(t('bad_panel', { value, valid: PANELS.join(', ') }));
      // The known panels of a list with unknown ones stay in the address.
      if (known.length && problems.length > before) {
        rejected.fixed.set(key, view.panels.join(','));
        continue;
      }
    } else if (key === 'scenario') {
      if (scenarios.includes(value)) view.scenario = value;
      else problems.push(t('bad_choice', { key, value, valid: scenarios.join(', ') }));
    } else if (key === 'workers') {
      if (workerCount(value) === null) problems.push(t('bad_count', { key, value, max: MAX_WORKERS }));
    } else if (key === 'lang') {
      if (value === 'en' || value === 'ko') view.lang = value;
      else problems.push(t('bad_choice', { key, value, valid: 'en, ko' }));
    } else {
      problems.push(t('unknown_param', { key }));
    }
    if (problems.length > before) rejected.query.add(key);
  }
  const hash = new URLSearchParams(location.hash.slice(1));
  const keys = new Set(Object.values(FORMS));
  for (const key of [...hash.keys()]) {
    const [form, name] = key.split('.', 2);
    if (!keys.has(form) || !name) {
      problems.push(t('unknown_param', { key }));
      rejected.hash.add(key);
      hash.delete(key);
    }
  }
  return { view, hash, problems };
}

// Why `value` cannot go into control `el`, or null when it can (the control's own rules: its
// type, range, step and options, the same attributes the page's validation uses).
function rejection(el, value) {
  if (el.type === 'checkbox') return value === '0' || value === '1' ? valueProblem(el, value) : t('bad_bool');
  if (el.tagName === 'SELECT') {
    const option = [...el.options].find((o) => o.value === value);
    return option && !option.disabled ? null : t('not_an_option', { valid: [...el.options].filter((o) => !o.disabled).map((o) => o.value).join(', ') });
  }
  // HTML's "valid floating-point number" (a number input would refuse anything else).
  if (el.type === 'number' && value !== '' && !/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value)) return t('not_a_number');
  const before = el.value;
  el.value = value;
  let why = null;
  if (!el.checkValidity()) why = el.validationMessage;
  else if (el.dataset.check) why = el.dataset.check === 'numbers' && !numberList(value) ? t('bad_values') : null;
  el.value = before;
  // A parameter's own rules, in the worker's words, come first (the same check as a request's).
  return valueProblem(el, value) || why;
}

// "0, 0.1, 0.2" → [0, 0.1, 0.2]; null when any item is not a finite number or the list is empty.
export function numberList(text) {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  const values = parts.map(Number);
  return values.length && values.every(Number.isFinite) ? values : null;
}

const applied = new Set();

// Sets the controls of `formId` from the hash, once per page load: panels call it after filling
// in their defaults for the first dataset, so later dataset changes keep the user's edits.
// Returns the problems found (each names the key, the value and why it was ignored).
export function applyUrlState(formId, hash) {
  const form = document.getElementById(formId);
  const key = FORMS[formId];
  const problems = [];
  if (!form || !key || !hash || applied.has(formId)) return problems;
  applied.add(formId);
  // Two passes: a control may only exist once another one is set (an attack's parameters appear
  // when the attack is chosen), whatever order the link lists them in.
  let pending = [...hash].filter(([k]) => k.startsWith(`${key}.`));
  for (let pass = 0; pass < 2 && pending.length; pass++) {
    const later = [];
    for (const [k, v] of pending) {
      const el = form.elements[k.slice(key.length + 1)];
      if (!el || el instanceof RadioNodeList || !el.name || el.type === 'file') {
        if (pass === 0) later.push([k, v]);
        else {
          problems.push(t('unknown_param', { key: k }));
          rejected.hash.add(k);
        }
        continue;
      }
      const why = rejection(el, v);
      if (why) {
        problems.push(t('bad_value', { key: k, value: v, why }));
        rejected.hash.add(k);
        continue;
      }
      const before = el.type === 'checkbox' ? el.checked : el.value;
      if (el.type === 'checkbox') el.checked = v === '1';
      else el.value = v;
      // Only real changes notify the panel (re-selecting the loaded dataset must not reload it).
      if ((el.type === 'checkbox' ? el.checked : el.value) !== before) el.dispatchEvent(new Event('change', { bubbles: true }));
    }
    pending = later;
  }
  return problems;
}

// The current settings as a URL of this page: `view` overrides query parameters (for example
// { embed: '1', panels: 'input,attack' }), the hash holds every visible control.
export function currentUrl(view = {}) {
  const query = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(view)) {
    if (v === null || v === undefined) query.delete(k);
    else query.set(k, v);
  }
  const q = query.toString();
  return `${location.origin === 'null' ? location.href.split(/[?#]/)[0] : location.origin + location.pathname}${q ? `?${q}` : ''}#${hashOfForms()}`;
}

function hashOfForms() {
  const out = new URLSearchParams();
  for (const [id, key] of Object.entries(FORMS)) {
    const form = document.getElementById(id);
    for (const el of form.elements) {
      if (!el.name || el.type === 'file' || el.closest('[hidden]')) continue;
      out.set(`${key}.${el.name}`, el.type === 'checkbox' ? (el.checked ? '1' : '0') : el.value);
    }
  }
  return out.toString();
}

function writeUrlState() {
  history.replaceState(null, '', `${location.pathname}${location.search}#${hashOfForms()}`);
}

export function watchUrlState() {
  for (const id of Object.keys(FORMS)) document.getElementById(id).addEventListener('change', writeUrlState);
}
