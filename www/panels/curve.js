// Panel 5, the robustness curve: accuracy of both models as one parameter of the attack of
// panel 3 varies (any of the attack's sweepable parameters, listed by the catalog with the values
// a curve starts with), on N test samples — the report's Tables 1-4 as curves. For an eps curve
// the worker also runs PGD beside FGSM and Square (which never reads gradients) beside the
// white-box attacks, and warns when a model looks robust to the weaker attack but not to the
// stronger one (gradient masking). With a defence stack on a model, it can also run an adaptive
// attack (BPDA/EOT) beside the naive one, with a note on why the two differ. Table and CSV download.
// A scenario (scenarios.js) runs it with the report's own figures, drawn as dashed reference
// lines, and a caption saying what differs from the report's setting.
import { drawChart } from '../charts.js';
import { t, language } from '../i18n.js';
import { $, showError, clearErrors, pct, num, download, csvNumber } from '../ui.js';
import { constrain, problemWith } from '../params.js';
import { applyUrlState, numberList } from '../state.js';
import { attackConfig, attackMethod } from './attack.js';

// The attack of panel 3 as the catalog describes it.
const method = () => attackMethod($('#attack-form').elements.attack.value);
// The values a curve over `param` starts with (the catalog's, from the form's suggestion).
const valuesOf = (param) => (method().sweep_values[param] || []).join(', ');

export function initCurvePanel(lab, urlState) {
  const form = $('#curve-form');
  let last = null;

  function fillParams() {
    const params = method().sweepable;
    const keep = form.elements.param.value;
    form.elements.param.replaceChildren(...params.map((p) => new Option(p, p)));
    if (params.includes(keep)) form.elements.param.value = keep;
    else form.elements.values.value = valuesOf(params[0]);
  }

  function parseValues() {
    const values = numberList(form.elements.values.value);
    if (!values) throw Object.assign(new Error(t('bad_values')), { field: 'values' });
    return values;
  }

  // Runs the curve with the form's settings; `scenario` (optional): { reference, caption,
  // explanation } of one of the report's experiments, drawn beside the measured curves. Resolves
  // with the result, or null.
  async function run(scenario = null) {
    clearErrors('curve');
    if (!lab.hasModel()) { showError('curve', { message: t('need_model') }); return null; }
    try {
      const settings = { dataset: lab.dataset.name, attack: attackConfig(), param: form.elements.param.value,
        values: parseValues(), n: num(form, 'n'), seed: 0, pgd_check: !scenario, blackbox_check: !scenario, transfer: Boolean(scenario) };
      if (stacked()) Object.assign(settings, { compare_adaptive: form.elements.compare_adaptive.value, eot_samples: num(form, 'eot_samples') ?? 10 });
      const problem = problemWith({ type: 'Sweep', settings });
      if (problem) { showError('curve', problem); return null; }
      const ev = await lab.runJob(t('job_sweep'), { type: 'Sweep', settings });
      if (!ev) return null;
      render(ev.result, scenario);
      return ev.result;
    } catch (err) {
      showError('curve', err);
      return null;
    }
  }

  // Values come back as f32: 0.1 arrives as 0.10000000149011612.
  const fmt = (v) => Number(v.toPrecision(6));
  const seriesName = (s) => (s.read_by ? t('transfer_series', { slot: t('slot_' + s.read_by), attack: s.attack.toUpperCase() })
    : [t('slot_' + s.slot), s.attack.toUpperCase(), ...(s.adaptive && s.adaptive !== 'none' ? [t('adaptive_series', { mode: s.adaptive.toUpperCase() })] : [])].join(' · '));
  // Whether a model has a defence stack or a detector (then naive and adaptive curves differ).
  const stacked = () => ['undefended', 'defended'].some((slot) => { const m = lab.model(slot); return m && ((m.stack && m.stack.pieces.length) || m.has_detector); });
  const showAdaptive = () => { for (const l of form.querySelectorAll('.adaptive-only')) l.hidden = !stacked(); };

  function render(r, scenario = null) {
    last = { ...r, scenario };
    const adaptive = r.series.some((s) => s.adaptive && s.adaptive !== 'none');
    $('#curve-adaptive-note').hidden = !adaptive;
    // A scenario's curves start at 0 (clean accuracy); the report's dashed lines take the colour
    // of the curve they compare with: undefended, and the defended model reading the undefended
    // model's examples (transfer, what the report measured).
    const start = (s) => (scenario && !r.values.some((v) => v === 0) ? [[0, s.clean_accuracy]] : []);
    const measured = r.series.map((s, j) => ({ name: seriesName(s), style: !scenario && (adaptive ? s.adaptive !== 'none' : s.slot === 'defended') ? 'dashed' : 'solid',
      colour: j, points: [...start(s), ...r.values.map((v, i) => [fmt(v), s.accuracy[i]])] }));
    const twin = (slot) => {
      const j = r.series.findIndex((s) => (slot === 'defended' ? s.read_by === 'defended' : s.slot === slot && !s.read_by));
      return j < 0 ? undefined : j;
    };
    const reference = scenario ? ['undefended', 'defended'].map((slot) => ({
      name: t('report_series', { slot: t('slot_' + slot) }), style: 'dashed', colour: twin(slot),
      points: scenario.reference.values.map((v, i) => [v, scenario.reference[slot][i]]),
    })) : [];
    drawChart($('#curve-chart'), {
      kind: 'lines', title: scenario ? `${scenario.title} (n = ${r.n})` : `${t('curve_title')} (n = ${r.n})`,
      x_label: r.param, y_label: t('accuracy'), y_range: [0, 1], markers: true, series: [...measured, ...reference],
    });
    $('#curve-caption').textContent = scenario ? scenario.caption : '';
    $('#curve-explanation').hidden = !scenario;
    if (scenario) $('#curve-explanation p').textContent = scenario.explanation;
    const warn = $('#curve-warning');
    warn.hidden = !r.warning;
    warn.textContent = (language() === 'ko' && r.warning_ko) || r.warning || '';
    const table = $('#curve-table');
    const refCols = scenario ? ['undefended', 'defended'] : [];
    const head = `<tr><th scope="col">${r.param}</th>${r.series.map((s) => `<th scope="col">${seriesName(s)}</th>`).join('')}${refCols.map((slot) => `<th scope="col">${t('report_series', { slot: t('slot_' + slot) })}</th>`).join('')}</tr>`;
    const rows = r.values.map((v, i) => `<tr><th scope="row">${fmt(v)}</th>${r.series.map((s) => `<td>${pct(s.accuracy[i])}</td>`).join('')}${refCols.map((slot) => `<td>${refAt(scenario, slot, v)}</td>`).join('')}</tr>`);
    table.innerHTML = `<caption>${t('accuracy')}</caption>${head}${rows.join('')}`;
    $('#csv-btn').disabled = false;
  }

  // The report's figure at `v`, as a percentage, or empty when the report has none there.
  function refAt(scenario, slot, v) {
    const i = scenario.reference.values.findIndex((x) => Math.abs(x - v) < 1e-6);
    return i < 0 ? '' : pct(scenario.reference[slot][i]);
  }

  function csv() {
    if (!last) return;
    const cols = last.series.flatMap((s) => ['accuracy', 'success_rate', 'linf_mean', 'l2_mean'].map((m) => [s, m]));
    const key = (s) => (s.read_by ? `${s.read_by}_reads_${s.slot}_${s.attack}` : s.adaptive && s.adaptive !== 'none' ? `${s.slot}_${s.attack}_${s.adaptive}` : `${s.slot}_${s.attack}`);
    const refCols = last.scenario ? ['undefended', 'defended'] : [];
    const header = [last.param, ...cols.map(([s, m]) => `${key(s)}_${m}`), ...refCols.map((slot) => `report_${slot}_accuracy`)].join(',');
    const lines = last.values.map((v, i) => [fmt(v), ...cols.map(([s, m]) => csvNumber(s[m][i])),
      ...refCols.map((slot) => { const j = last.scenario.reference.values.findIndex((x) => Math.abs(x - v) < 1e-6); return j < 0 ? '' : csvNumber(last.scenario.reference[slot][j]); })].join(','));
    download(`advlab-${lab.dataset.name}-robustness-${last.param}.csv`, [header, ...lines].join('\n') + '\n', 'text/csv');
  }

  form.elements.param.addEventListener('change', () => { form.elements.values.value = valuesOf(form.elements.param.value); });
  $('#attack-form').elements.attack.addEventListener('change', fillParams);
  $('#curve-btn').addEventListener('click', () => run());
  $('#csv-btn').addEventListener('click', csv);
  lab.on('busy', (busy) => { $('#curve-btn').disabled = busy; });
  lab.on('models', showAdaptive);
  lab.on('dataset', (info) => {
    constrain(form.elements.n, info.catalog.sweep.params.find((p) => p.name === 'n'), 'sweep');
    constrain(form.elements.eot_samples, info.catalog.sweep.params.find((p) => p.name === 'eot_samples'), 'sweep');
    constrain(form.elements.compare_adaptive, info.catalog.sweep.params.find((p) => p.name === 'compare_adaptive'), 'sweep');
    showAdaptive();
    form.elements.n.max = String(Math.min(Number(form.elements.n.max), info.test));
    form.elements.n.value = info.name === 'iris' ? 45 : 200;
    fillParams();
    form.elements.values.value = valuesOf(form.elements.param.value);
    lab.urlProblems(applyUrlState('curve-form', urlState));
  });
  return { run, form };
}
