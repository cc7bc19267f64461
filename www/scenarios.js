// The report's four experiments, one click each (the header's menu, or `?scenario=table1` on load,
// `&quick=1` for the smaller variant). A scenario comes from Rust (src/scenarios/: the report's
// attack, defence, swept values and figures, with browser-sized budgets); running it sets up the
// forms, trains the undefended model, then the defended one (fine-tuned from the undefended weights
// where the defence is expensive), and runs the robustness curve, which draws the report's own
// numbers as dashed reference lines with a caption saying what differs. Every step is an ordinary
// job: progress and Cancel in the job bar; a cancelled or failed step ends the scenario.
import { t } from './i18n.js';
import { $ } from './ui.js';

// Parameters arrive as f32: 0.2 is 0.20000000298023224.
const fmt = (v) => Number(v.toPrecision(6));

const setValue = (el, value) => {
  el.value = value;
  el.dispatchEvent(new Event('change', { bubbles: true }));
};

export function initScenarios(lab, panels, list) {
  const form = $('#scenario-form');
  const label = (s) => t('scenario_option', { table: s.table, attack: s.attack.attack.toUpperCase(), dataset: s.dataset.toUpperCase() });
  const fill = () => {
    const keep = form.elements.scenario.value;
    form.elements.scenario.replaceChildren(...list.map((s) => new Option(label(s), s.id)));
    if (keep) form.elements.scenario.value = keep;
    describe();
  };
  const describe = () => {
    const s = list.find((x) => x.id === form.elements.scenario.value);
    $('#scenario-desc').textContent = s ? t('scenario_desc', { table: s.table, defence: s.defence_name, param: s.param, values: s.values.map(fmt).join(', ') }) : '';
  };

  function caption(s, b) {
    const parts = [t('scenario_reference', { dataset: s.reference.dataset, clean: s.reference.clean })];
    parts.push(t('scenario_measured', {
      dataset: s.dataset.toUpperCase(), arch: s.arch, epochs: b.epochs,
      train: b.train_limit ?? lab.dataset.train, n: b.n,
    }));
    if (s.fine_tune) parts.push(t('scenario_fine_tuned'));
    if (s.reference.dataset.toLowerCase() !== s.dataset) parts.push(t('scenario_stand_in', { ours: s.dataset.toUpperCase(), theirs: s.reference.dataset }));
    return parts.join(' ');
  }

  // Sets the attack form's fields from the scenario's attack config (those the form has).
  function setAttack(attack) {
    const f = panels.attack.form;
    setValue(f.elements.attack, attack.attack);
    for (const [k, v] of Object.entries(attack)) {
      const el = f.elements[k];
      if (!el || k === 'attack' || el.closest('[hidden]')) continue;
      if (el.type === 'checkbox') el.checked = Boolean(v);
      else setValue(el, typeof v === 'number' ? String(fmt(v)) : String(v));
    }
  }

  // Runs scenario `id`; resolves true when its curve is drawn, false when a step was cancelled.
  async function run(id, { quick = false } = {}) {
    const s = list.find((x) => x.id === id);
    const b = quick ? s.quick : s.budget;
    form.elements.scenario.value = id;
    describe();
    await panels.train.useDataset(s.dataset);
    if (!lab.dataset) return false;
    const tf = panels.train.form;
    setValue(tf.elements.arch, s.arch);
    setValue(tf.elements.epochs, String(b.epochs));
    setValue(tf.elements.train_limit, b.train_limit == null ? '' : String(Math.min(b.train_limit, lab.dataset.train)));
    setValue(tf.elements.target, '');
    setAttack(s.attack);
    const cf = panels.curve.form;
    setValue(cf.elements.param, s.param);
    setValue(cf.elements.values, s.values.map(fmt).join(', '));
    setValue(cf.elements.n, String(Math.min(b.n, lab.dataset.test)));
    if (!await panels.train.train('undefended')) return false;
    const defended = { defence: s.defence, ...(s.fine_tune ? { start_from: 'undefended' } : {}) };
    if (!await panels.train.train('defended', defended)) return false;
    const result = await panels.curve.run({
      title: label(s),
      caption: caption(s, b),
      explanation: s.explanation,
      reference: { values: s.values.map(fmt), undefended: s.reference.undefended, defended: s.reference.defended },
    });
    return Boolean(result);
  }

  form.elements.scenario.addEventListener('change', describe);
  $('#scenario-btn').addEventListener('click', () => { if (!lab.busy) run(form.elements.scenario.value, { quick: form.elements.quick.checked }); });
  lab.on('busy', (busy) => { $('#scenario-btn').disabled = busy; });
  lab.on('language', fill);
  fill();
  return { run, ids: list.map((s) => s.id) };
}
