// Small DOM helpers shared by the panels: errors shown next to the control that caused them,
// the sticky job bar (progress, time left, Cancel), formatting, downloads and throttling.
import { t } from './i18n.js';
import { valueProblem } from './params.js';

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// Shows `err` in the panel's error line and, when the engine named a field, next to that control.
export function showError(panel, err) {
  clearErrors(panel);
  const line = $(`[data-error-for="${panel}"]`);
  const field = err && err.field;
  // The panel's own controls first; maps and curves also run the attack form's settings.
  const scopes = [`#${panel}-panel`, `#${panel}-form`, '#attack-form'];
  const control = field ? scopes.map((s) => $(`${s} [data-field="${field}"]`)).find((c) => c && c.offsetParent !== null) : null;
  if (control) {
    control.setAttribute('aria-invalid', 'true');
    const note = document.createElement('span');
    note.className = 'field-error';
    note.setAttribute('role', 'alert');
    note.textContent = err.message;
    control.closest('label').append(note);
    // Only a page the user is working in moves focus: an embedded lab must not take the keyboard
    // from the slide deck around it.
    if (document.hasFocus()) control.focus({ preventScroll: false });
  }
  if (line) line.textContent = control ? `${field}: ${err.message}` : String(err.message || err);
}

// Marks `control` invalid with `message` next to it, or clears its mark when `message` is null.
export function markField(control, message) {
  const label = control.closest('label');
  const old = label && label.querySelector('.field-error');
  if (old) old.remove();
  if (!message) { control.removeAttribute('aria-invalid'); return; }
  control.setAttribute('aria-invalid', 'true');
  const note = document.createElement('span');
  note.className = 'field-error';
  note.setAttribute('role', 'alert');
  note.textContent = message;
  if (label) label.append(note);
}

// Checks every parameter control of `form` as it changes, with the worker's own rules, and says
// what is wrong next to the control at once (before any request is sent).
export function checkFieldsLive(form) {
  // While typing, not on blur: a note that appears or goes when the field loses focus would move
  // the button the user is clicking.
  const check = (e) => {
    if (e.target.dataset && e.target.dataset.group) markField(e.target, valueProblem(e.target));
  };
  form.addEventListener('input', check);
  form.addEventListener('change', check);
}

export function clearErrors(panel) {
  const line = $(`[data-error-for="${panel}"]`);
  if (line) line.textContent = '';
  for (const c of $$('[aria-invalid="true"]')) c.removeAttribute('aria-invalid');
  for (const n of $$('.field-error')) n.remove();
}

// The sticky job bar: one job at a time, as in the engine.
export class JobBar {
  constructor(onCancel) {
    this.bar = $('#jobbar');
    this.progress = $('#job-progress');
    this.text = $('#job-text');
    this.name = $('#job-name');
    this.cancelBtn = $('#cancel-btn');
    this.cancelBtn.addEventListener('click', onCancel);
    this.announce = $('#job-announce');
    this.start = 0;
    this.returnTo = null;
  }

  // A job starts: screen readers hear its name once (not every progress tick), and a button that
  // started it with the keyboard hands its focus to Cancel (it is disabled while the job runs).
  // `from`: the element focused when the job was asked for (before its button was disabled).
  begin(name, from = document.activeElement) {
    this.start = performance.now();
    this.name.textContent = name;
    this.announce.textContent = t('job_started', { name });
    this.progress.value = 0;
    this.text.textContent = t('starting');
    this.cancelBtn.disabled = false;
    this.bar.hidden = false;
    document.body.dataset.busy = 'true';
    this.returnTo = null;
    if (document.hasFocus() && from && from.tagName === 'BUTTON' && from !== this.cancelBtn) {
      this.returnTo = from;
      this.cancelBtn.focus();
    }
  }

  update(fraction, detail = '') {
    this.progress.value = fraction;
    const elapsed = (performance.now() - this.start) / 1000;
    let eta = '';
    if (fraction > 0.02 && fraction < 1) {
      eta = t('time_left', { s: Math.max(0, elapsed * (1 - fraction) / fraction).toFixed(0) });
    }
    this.text.textContent = [`${Math.round(fraction * 100)}%`, eta, detail].filter(Boolean).join(' · ');
  }

  // The job ended: the message is announced once, and focus goes back to the button that started
  // the job once it is enabled again (the panels enable it when the lab is no longer busy).
  end(message) {
    const active = document.activeElement;
    const hadFocus = active === this.cancelBtn || !active || active === document.body;
    this.cancelBtn.disabled = true;
    this.text.textContent = message;
    this.announce.textContent = `${this.name.textContent}: ${message}`;
    const back = this.returnTo;
    this.returnTo = null;
    if (back && hadFocus) setTimeout(() => { if (back.isConnected && !back.disabled) back.focus(); }, 0);
    delete document.body.dataset.busy;
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => { if (!document.body.dataset.busy) this.bar.hidden = true; }, 4000);
  }
}

// A number for a CSV cell: 4 significant digits, no float noise (0.945, not 0.9449999928474426).
export const csvNumber = (v) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(4)) : v);

export function pct(x) {
  return `${(x * 100).toFixed(1)}%`;
}

export function download(name, bytes, type = 'application/octet-stream') {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Calls fn at most once per `ms`, always with the latest arguments (trailing call kept).
export function throttle(fn, ms) {
  let last = 0;
  let timer = null;
  let args = null;
  return (...a) => {
    args = a;
    const wait = last + ms - performance.now();
    if (wait <= 0) { last = performance.now(); fn(...args); return; }
    if (!timer) timer = setTimeout(() => { timer = null; last = performance.now(); fn(...args); }, wait);
  };
}

// A number input's value, or undefined when empty.
export function num(form, name) {
  const v = form.elements[name].value.trim();
  return v === '' ? undefined : Number(v);
}

export function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

// The page's notice: a dismissible banner listing what was ignored (settings from a link that did
// not fit their controls, unknown parameters). Several calls add to one list.
export function notify(title, items) {
  if (!items.length) return;
  let box = $('#notice');
  if (!box) {
    box = document.createElement('div');
    box.id = 'notice';
    box.className = 'notice';
    box.setAttribute('role', 'status');
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'notice-close';
    close.textContent = '\u00d7';
    close.setAttribute('aria-label', t('dismiss'));
    close.addEventListener('click', () => box.remove());
    const head = document.createElement('p');
    head.className = 'notice-title';
    head.textContent = title;
    box.append(close, head, document.createElement('ul'));
    document.body.append(box);
  }
  const list = $('ul', box);
  for (const item of items) {
    const li = document.createElement('li');
    // What the link said ("a.eps = abc") is quoted as code, the reason follows in words.
    const cut = item.indexOf(': ');
    if (cut > 0) {
      const code = document.createElement('code');
      code.textContent = item.slice(0, cut);
      li.append(code, item.slice(cut));
    } else li.textContent = item;
    list.append(li);
  }
}
