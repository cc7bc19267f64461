// The page's settings in the URL, the first step of the embed mode on the roadmap: every named
// control of the four forms is mirrored into the hash as `<form key>.<name>=<value>` (for
// example `#t.dataset=mnist&a.attack=pgd&a.eps=0.1`), so a lecture slide can link to a prepared
// lab. `?embed=1` hides the header and footer for an iframe.
const FORMS = { 'train-form': 't', 'attack-form': 'a', 'curve-form': 'c', 'map-form': 'm' };

export function readUrlState() {
  const params = new URLSearchParams(location.search);
  if (params.get('embed') === '1') document.body.classList.add('embed');
  return new URLSearchParams(location.hash.slice(1));
}

const applied = new Set();

// Sets the controls of `formId` from the state, once per page load: panels call it after filling
// in their defaults for the first dataset, so later dataset changes keep the user's edits.
export function applyUrlState(formId, state) {
  const form = document.getElementById(formId);
  const key = FORMS[formId];
  if (!form || !key || !state || applied.has(formId)) return;
  applied.add(formId);
  for (const el of form.elements) {
    if (!el.name || !state.has(`${key}.${el.name}`)) continue;
    const v = state.get(`${key}.${el.name}`);
    const before = el.type === 'checkbox' ? el.checked : el.value;
    if (el.type === 'checkbox') el.checked = v === '1';
    else if (el.tagName === 'SELECT' && ![...el.options].some((o) => o.value === v)) continue;
    else el.value = v;
    // Only real changes notify the panel (re-selecting the loaded dataset must not reload it).
    if ((el.type === 'checkbox' ? el.checked : el.value) !== before) el.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

function writeUrlState() {
  const out = new URLSearchParams();
  for (const [id, key] of Object.entries(FORMS)) {
    const form = document.getElementById(id);
    for (const el of form.elements) {
      if (!el.name || el.type === 'file' || el.closest('[hidden]')) continue;
      out.set(`${key}.${el.name}`, el.type === 'checkbox' ? (el.checked ? '1' : '0') : el.value);
    }
  }
  history.replaceState(null, '', `${location.pathname}${location.search}#${out}`);
}

export function watchUrlState() {
  for (const id of Object.keys(FORMS)) document.getElementById(id).addEventListener('change', writeUrlState);
}
