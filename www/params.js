// Form controls built from the catalog (src/catalog.rs, docs/parameters.md): every attack and
// defence parameter, its range, default, suggested starting value and help (English and Korean)
// come from Rust; nothing about a parameter is written here. Values are checked before a request
// leaves the page by the worker's own decoder (check_request, on this thread's wasm instance), so
// the page and the worker apply the same rules and say the same words.
//
//   renderParams(box, method.params, { group, prefix, values })  // one control per parameter
//   readParams(box)                                  // { name: value } of the filled ones
//   constrain(input, param, group)                   // range and help onto a static control
//   valueProblem(input, text?)                       // the worker's objection to a value, or null
//   problemWith(body)                                // the worker's objection to a request, or null
import { check_request, check_value } from './pkg/advlab.js';
import { language, t } from './i18n.js';

// Engine details a class rarely changes: kept under "More".
const MORE = new Set(['batch_size']);

const help = (param) => (param.help ? param.help[language()] || param.help.en : '');

// The range, step and help of `param` (of catalog group `group`) onto a number input (or any
// control), and what valueProblem needs to check its values the worker's way.
export function constrain(input, param, group) {
  if (param.kind === 'float' || param.kind === 'int') {
    input.min = String(param.min);
    input.max = String(param.max);
    input.step = param.kind === 'int' ? '1' : 'any';
  }
  input.title = help(param);
  input.dataset.field = param.name;
  input.dataset.group = group;
  input.dataset.optional = param.optional ? '1' : '';
}

// Why `text` (a control's value, or one from a link) is not a valid value of the control's
// parameter, in the worker's words; null when it is, or when the control is not a parameter's.
// An empty optional control means the parameter's default.
export function valueProblem(input, text = input.type === 'checkbox' ? (input.checked ? '1' : '0') : input.value) {
  const { group, field } = input.dataset;
  if (!group || !field) return null;
  let value;
  if (input.type === 'checkbox') value = text === '1' || text === 'true';
  else if (input.type === 'number') {
    if (text.trim() === '') return null; // the default (optional) or what the request leaves out
    value = Number(text) * Number(input.dataset.scale || 1);
  } else value = text === '' && input.dataset.optional ? null : text;
  return check_value(group, field, value, language()) || null;
}

function numberInput(param, name, value, group) {
  const input = document.createElement('input');
  input.type = 'number';
  input.name = name;
  constrain(input, param, group);
  if (param.optional) input.placeholder = '—';
  input.value = value == null ? '' : String(value);
  return input;
}

// A range slider kept in step with `input` both ways (the number stays the precise control).
function slider(input, s) {
  const range = document.createElement('input');
  range.type = 'range';
  range.min = String(s.min);
  range.max = String(s.max);
  range.step = String(s.step);
  range.value = input.value;
  range.setAttribute('aria-label', t('slider', { name: input.name }));
  range.addEventListener('input', () => { input.value = range.value; });
  range.addEventListener('change', () => input.dispatchEvent(new Event('change', { bubbles: true })));
  const sync = () => { range.value = input.value; };
  input.addEventListener('input', sync);
  input.addEventListener('change', sync);
  return range;
}

// One labelled control for `param` of `group`, named `prefix + param.name`, showing `value`.
function control(param, prefix, value, group) {
  const label = document.createElement('label');
  const name = `${prefix}${param.name}`;
  const caption = document.createElement('span');
  caption.textContent = param.name;
  // ART's parameter names stay as they are in every language (and for the browser's translator).
  caption.translate = false;
  let input;
  if (param.kind === 'bool') {
    input = document.createElement('input');
    input.type = 'checkbox';
    input.name = name;
    input.checked = Boolean(value);
    constrain(input, param, group);
    label.className = 'check';
    label.append(input, ' ', caption);
  } else if (param.kind === 'choice') {
    input = document.createElement('select');
    input.name = name;
    input.append(...param.choices.map((c) => new Option(c, c)));
    if (param.optional) input.prepend(new Option('—', ''));
    input.value = value == null ? '' : String(value);
    constrain(input, param, group);
    label.append(caption, ' ', input);
  } else {
    input = numberInput(param, name, value, group);
    label.append(caption, ' ', input);
    if (param.slider) input.after(slider(input, param.slider));
  }
  input.dataset.param = param.name;
  input.dataset.kind = param.kind;
  label.dataset.param = param.name;
  return label;
}

// The kinds a plain control can hold (lists and nested configurations get their own UI).
const PLAIN = new Set(['float', 'int', 'bool', 'choice']);

// Replaces `box`'s children by one control per plain parameter of `params` (catalog group `group`,
// an attack or defence name), showing `values[name]` when given, else the suggested value.
export function renderParams(box, params, { group, prefix = '', values = {} } = {}) {
  const main = [];
  const more = [];
  for (const p of params) {
    if (!PLAIN.has(p.kind)) continue;
    const value = p.name in values ? values[p.name] : p.suggested;
    (MORE.has(p.name) ? more : main).push(control(p, prefix, value, group));
  }
  box.replaceChildren(...main);
  if (more.length) {
    const details = document.createElement('details');
    details.className = 'more';
    const summary = document.createElement('summary');
    summary.textContent = t('more_options');
    details.append(summary, ...more);
    box.append(details);
  }
}

// The value of one generated control, or undefined when it is empty (the parameter's default).
function valueOf(input) {
  if (input.type === 'checkbox') return input.checked;
  if (input.tagName === 'SELECT') return input.value === '' ? undefined : input.value;
  const v = input.value.trim();
  return v === '' ? undefined : Number(v);
}

// { name: value } of `box`'s generated controls that hold a value.
export function readParams(box) {
  const out = {};
  for (const input of box.querySelectorAll('input[data-param], select[data-param]')) {
    const v = valueOf(input);
    if (v !== undefined) out[input.dataset.param] = v;
  }
  return out;
}

// Why the worker would refuse `body` (a request without its id), as { message, field } in the
// page's language, or null.
export function problemWith(body) {
  const problem = check_request({ ...body, id: 0 });
  if (!problem) return null;
  return { message: language() === 'ko' ? problem.ko : problem.message, field: problem.field };
}

// The help of a method (attack or defence) in the page's language.
export function methodHelp(method) {
  return method ? help(method) : '';
}
