// The report's four experiments, one click each (the header's menu, or `?scenario=table1` on
// load). A scenario comes from Rust (src/scenarios/: the report's recipe, attack, defence, swept
// values and figures). Run opens it on the shipped models (made natively with the report's recipe
// by `make models`), fills the forms with the settings that made them, and draws the robustness
// curve at once: undefended, defended reading the undefended model's adversarial test set (the
// transfer setting, what the report measured) and defended white-box, with the report's own
// figures dashed in the colour of their measured twins. "Train these here" (`&train=1`) replays
// the same recipe in this tab, optionally on a subset for slow machines (`&quick=1`); every step
// is an ordinary job with progress and Cancel, and a cancelled step ends the scenario.
import { t, language } from './i18n.js';
import { $ } from './ui.js';

// Parameters arrive as f32: 0.2 is 0.20000000298023224.
const fmt = (v) => Number(v.toPrecision(6));

const setValue = (el, value) => {
  if (!el) return;
  el.value = value;
  el.dispatchEvent(new Event('change', { bubbles: true }));
};

export function initScenarios(lab, panels, list) {
  const form = $('#scenario-form');
  // The report's table names ("Table 1") in the page's language.
  const table = (s) => s.table.replace(/^Table (\S+)$/, (_, n) => t('table', { n }));
  const label = (s) => t('scenario_option', { table: table(s), attack: s.attack.attack.toUpperCase(), dataset: s.dataset === 'cifar10' ? 'CIFAR-10' : s.dataset.toUpperCase() });
  // A scenario on a dataset of the user's files (CIFAR-10) is offered once that dataset is there.
  const available = (s) => !s.needs || [...panels.train.form.elements.dataset.options].some((o) => o.value === s.needs);
  const fill = () => {
    const keep = form.elements.scenario.value;
    form.elements.scenario.replaceChildren(...list.filter(available).map((s) => new Option(label(s), s.id)));
    if (keep) form.elements.scenario.value = keep;
    describe();
  };
  const describe = () => {
    const s = list.find((x) => x.id === form.elements.scenario.value);
    $('#scenario-desc').textContent = s ? t('scenario_desc', { table: table(s), defence: s.defence_name, param: s.param, values: s.values.map(fmt).join(', ') }) : '';
  };
  const text = (help) => help[language()] || help.en;

  function caption(s, trained) {
    const parts = [text(s.caption), t('scenario_reference', { dataset: s.reference.dataset, clean: s.reference.clean })];
    if (trained) {
      parts.push(t('scenario_trained', { epochs: trained.epochs, train: trained.train_limit ?? lab.dataset.train, n: s.n,
        subset: trained.subset ? t('scenario_subset') : '' }));
    } else {
      parts.push(t('scenario_shipped', { n: Math.min(s.n, lab.dataset.test) }));
    }
    return parts.join(' ');
  }

  // Sets the fields of `prefix`ed parameters from a config object (those the form shows).
  function setFields(f, config, prefix, skip = []) {
    for (const [k, v] of Object.entries(config)) {
      const el = f.elements[prefix + k];
      if (!el || skip.includes(k) || el.closest('[hidden]') || typeof v === 'object') continue;
      if (el.type === 'checkbox') el.checked = Boolean(v);
      else setValue(el, typeof v === 'number' ? String(fmt(v)) : String(v));
    }
  }

  // The training form shows the recipe and the defence the scenario's models were made with.
  function setTraining(s) {
    const f = panels.train.form;
    const [u, d] = s.training;
    setValue(f.elements.arch, u.arch);
    setValue(f.elements.epochs, String(u.epochs));
    setValue(f.elements.batch_size, String(u.batch_size));
    setValue(f.elements.learning_rate, String(fmt(u.learning_rate)));
    setValue(f.elements.train_limit, u.train_limit == null ? '' : String(Math.min(u.train_limit, lab.dataset.train)));
    setValue(f.elements.seed, String(u.seed));
    setValue(f.elements.target, '');
    setValue(f.elements.defence, d.defence.method);
    setFields(f, d.defence, 'def_', ['method']);
    const attack = d.defence.attacks && d.defence.attacks[0];
    if (attack) {
      f.elements.def_attack.dataset.chosen = attack.attack;
      setValue(f.elements.def_attack, attack.attack);
      setFields(f, attack, 'def_a_', ['attack']);
    }
  }

  function setAttack(attack) {
    const f = panels.attack.form;
    setValue(f.elements.attack, attack.attack);
    setFields(f, attack, '', ['attack']);
  }

  // Both models: the shipped ones, or (train, or when this packaging lacks them) trained here
  // with the recipe, or a subset of it. Resolves with what was trained ({epochs, ...}), true for
  // the shipped models, or false when a step was cancelled or failed.
  async function models(s, { train, quick }) {
    // No shipped models (CIFAR-10): "Run" trains them here on the subset.
    if (!s.models && !train) return models(s, { train: true, quick: true });
    if (!train) {
      const u = await panels.train.loadShipped('undefended', s.models[0]);
      if (u && await panels.train.loadShipped('defended', s.models[1])) return true;
    }
    const cut = (settings) => (quick ? { ...settings, epochs: s.quick.epochs, train_limit: s.quick.train_limit } : settings);
    const [u, d] = s.training.map(cut);
    if (u.train_limit != null) u.train_limit = Math.min(u.train_limit, lab.dataset.train);
    if (d.train_limit != null) d.train_limit = Math.min(d.train_limit, lab.dataset.train);
    if (!await panels.train.train('undefended', u)) return false;
    if (!await panels.train.train('defended', d)) return false;
    return { epochs: u.epochs, train_limit: u.train_limit, subset: quick };
  }

  // Runs scenario `id`; resolves true when its curve is drawn, false when a step was cancelled.
  async function run(id, { train = false, quick = false } = {}) {
    if (lab.loading) await lab.loading; // a stored dataset of the user's may still be on its way
    const s = list.find((x) => x.id === id);
    if (!s || !available(s)) return false;
    form.elements.scenario.value = id;
    describe();
    await panels.train.useDataset(s.dataset);
    if (!lab.dataset) return false;
    setTraining(s);
    setAttack(s.attack);
    const cf = panels.curve.form;
    setValue(cf.elements.param, s.param);
    setValue(cf.elements.values, s.values.map(fmt).join(', '));
    setValue(cf.elements.n, String(Math.min(s.n, lab.dataset.test)));
    const made = await models(s, { train: train || quick, quick });
    if (!made) return false;
    const result = await panels.curve.run({
      title: label(s),
      caption: caption(s, made === true ? null : made),
      explanation: text(s.explanation),
      reference: { values: s.values.map(fmt), undefended: s.reference.undefended, defended: s.reference.defended },
    });
    if (result) $('#curve-chart').scrollIntoView({ block: 'center' });
    return Boolean(result);
  }

  form.elements.scenario.addEventListener('change', describe);
  $('#scenario-btn').addEventListener('click', () => { if (!lab.busy) run(form.elements.scenario.value); });
  $('#scenario-train-btn').addEventListener('click', () => {
    if (!lab.busy) run(form.elements.scenario.value, { train: true, quick: form.elements.quick.checked });
  });
  lab.on('busy', (busy) => { $('#scenario-btn').disabled = busy; $('#scenario-train-btn').disabled = busy; });
  lab.on('language', fill);
  lab.on('dataset', fill);
  fill();
  // A link can name the scenarios that need no file of the user's.
  return { run, ids: list.filter((s) => !s.needs).map((s) => s.id) };
}
