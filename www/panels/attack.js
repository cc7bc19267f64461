// Panel 3, the attack: ART's five evasion attacks with ART's parameter names, run on the current
// input against one model while the other model reads the same adversarial input (crafted on
// the undefended model and read by the defended one, that is the transfer setting). Shows the
// original, the adversarial input, the perturbation on a diverging colour map, its L0/L2/L-inf,
// both models' scores, and a slider over the iterations of iterative attacks.
import { drawChart } from '../charts.js';
import { f32, f32Bytes } from '../engine.js';
import { drawGray, drawDiverging } from '../images.js';
import { t } from '../i18n.js';
import { $, $$, showError, clearErrors } from '../ui.js';
import { applyUrlState } from '../state.js';
import { drawScores } from './input.js';

// Which form fields belong to which attack (ART's names), and how to read them.
const FIELDS = {
  fgsm: ['norm', 'eps', 'eps_step', 'num_random_init', 'minimal', 'targeted'],
  pgd: ['norm', 'eps', 'eps_step', 'max_iter', 'num_random_init', 'targeted'],
  jsma: ['theta', 'gamma'],
  deepfool: ['max_iter', 'epsilon', 'nb_grads'],
  newtonfool: ['max_iter', 'eta'],
};
const BOOLEAN = new Set(['minimal', 'targeted']);

const HELP = {
  fgsm: 'One step of size eps along the sign of the loss gradient (L\u221e), or along the gradient normalised in L1/L2. minimal searches the smallest eps in steps of eps_step.',
  pgd: 'max_iter FGSM steps of eps_step, each followed by a projection back into the eps-ball around the input; num_random_init random starts.',
  jsma: 'Always targeted: each step changes the two pixels/features that most raise the target class by theta (its sign says brighter or darker), until the target is reached or gamma of the features are used.',
  deepfool: 'Linearises the model and steps to the nearest decision boundary, max_iter times, then overshoots by epsilon.',
  newtonfool: 'Newton steps that lower the score of the predicted class, eta controls the step.',
};

const DATASET_DEFAULTS = {
  iris: { eps: 0.1, eps_step: 0.02, theta: 0.1, gamma: 1 },
  mnist: { eps: 0.2, eps_step: 0.05, theta: 0.2, gamma: 0.1 },
  'fashion-mnist': { eps: 0.1, eps_step: 0.025, theta: 0.2, gamma: 0.1 },
};

// The attack as the protocol's AttackConfig: `{attack: 'pgd', eps: 0.1, ...}`.
export function attackConfig() {
  const form = $('#attack-form');
  const attack = form.elements.attack.value;
  const cfg = { attack };
  for (const name of FIELDS[attack]) {
    const el = form.elements[name];
    if (BOOLEAN.has(name)) cfg[name] = el.checked;
    else if (name === 'norm') cfg[name] = el.value;
    else if (el.value.trim() !== '') cfg[name] = Number(el.value);
  }
  return cfg;
}

// A range slider beside each number input marked `data-slider`, kept in step with it both ways
// (the number input stays the precise, keyboard-friendly control; its name is what is sent).
function addSliders(form) {
  for (const input of $$('input[data-slider]', form)) {
    const range = document.createElement('input');
    range.type = 'range';
    for (const a of ['min', 'max', 'step']) range[a] = input[a];
    range.value = input.value;
    range.setAttribute('aria-label', `${input.name} slider`);
    range.addEventListener('input', () => { input.value = range.value; });
    range.addEventListener('change', () => input.dispatchEvent(new Event('change', { bubbles: true })));
    const sync = () => { range.value = input.value; };
    input.addEventListener('input', sync);
    input.addEventListener('change', sync);
    input.syncSlider = sync;
    input.after(range);
  }
}

export function initAttackPanel(lab, urlState) {
  const form = $('#attack-form');
  addSliders(form);
  let result = null;

  function showFields() {
    const attack = form.elements.attack.value;
    for (const el of $$('[data-attacks]', form)) el.hidden = !el.dataset.attacks.split(' ').includes(attack);
    for (const o of form.elements.norm.options) o.hidden = o.dataset.attacks && !o.dataset.attacks.includes(attack);
    if (form.elements.norm.selectedOptions[0].hidden) form.elements.norm.value = 'inf';
    const targeted = attack === 'jsma' || form.elements.targeted.checked;
    form.elements.target.closest('label').hidden = !targeted;
    form.elements.target.options[0].hidden = attack !== 'jsma';
    if (attack !== 'jsma' && form.elements.target.value === '') form.elements.target.value = '1';
    $('#attack-desc').textContent = HELP[attack];
  }

  function onDataset(info) {
    const d = DATASET_DEFAULTS[info.name];
    for (const [k, v] of Object.entries(d)) {
      form.elements[k].value = v;
      if (form.elements[k].syncSlider) form.elements[k].syncSlider();
    }
    const target = form.elements.target;
    target.replaceChildren(new Option(t('random_target'), ''), ...info.class_names.map((n, i) => new Option(n, String(i))));
    lab.urlProblems(applyUrlState('attack-form', urlState));
    showFields();
    $('#attack-result').hidden = true;
  }

  function targets() {
    const cfg = attackConfig();
    if (!(cfg.attack === 'jsma' || cfg.targeted)) return null;
    const v = form.elements.target.value;
    return v === '' ? null : [Number(v)];
  }

  // Attacks the current input; resolves with the result, or null (no input, cancelled, failed).
  async function run() {
    clearErrors('attack');
    if (!lab.input) return null;
    const slot = form.elements.model.value;
    if (!lab.model(slot)) { showError('attack', { message: t('need_model'), field: 'model' }); return null; }
    const { x, label } = lab.input;
    const attack = attackConfig();
    const settings = {
      dataset: lab.dataset.name, model: slot, attack, targets: targets(), seed: 0,
      samples: { kind: 'given', x: f32Bytes(x), labels: label != null ? [label] : null },
      trace: attack.attack !== 'fgsm',
    };
    try {
      const ev = await lab.runJob(t('job_attack'), { type: 'Attack', settings });
      if (!ev) return null;
      result = ev.result;
      render(result.trace ? result.trace.frames - 1 : 0);
      lab.emit('attack', result);
      return result;
    } catch (err) {
      showError('attack', err);
      return null;
    }
  }

  // Shows frame `k` of the trace (the last frame is the result; without a trace, the result).
  function render(k) {
    const info = lab.dataset;
    const r = result;
    const x = f32(r.x);
    const trace = r.trace;
    const adv = trace ? f32(trace.x).subarray(k * r.d, (k + 1) * r.d) : f32(r.x_adv);
    const delta = adv.map((v, i) => v - x[i]);
    $('#attack-result').hidden = false;
    if (info.input_shape.length === 3) {
      const [h, w] = info.input_shape;
      drawGray($('#orig-img'), x, w, h, info.clip_values);
      drawGray($('#adv-img'), adv, w, h, info.clip_values);
      const scale = drawDiverging($('#delta-img'), delta, w, h);
      $('#delta-scale').textContent = `±${scale.toFixed(3)}`;
    } else {
      drawChart($('#feature-chart'), {
        kind: 'bars', title: t('features_title'), labels: info.feature_names, y_max: info.clip_values[1],
        series: [{ name: t('original'), values: Array.from(x) }, { name: t('adversarial'), values: Array.from(adv) }],
      });
    }
    const l0 = delta.filter((v) => Math.abs(v) > 1e-6).length;
    const l2 = Math.sqrt(delta.reduce((s, v) => s + v * v, 0));
    const linf = delta.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const iters = trace ? k : r.iterations[0];
    $('#attack-norms').textContent = `${t('norms', { l0, l2: l2.toFixed(3), linf: linf.toFixed(3), iters })} · ${t('transfer_note', { slot: t('slot_' + r.crafted_on) })}`;
    $('#attack-norms').dataset.linf = String(linf);
    const scores = trace ? frameScores(trace.scores, k, info.class_names.length) : r.adv_scores;
    drawScores($('#attack-scores'), t('scores_adv'), info.class_names, scores, r.labels[0]);
    const slider = $('#trace-slider');
    slider.closest('label').hidden = !trace || trace.frames < 2;
    if (trace) { slider.max = trace.frames - 1; slider.value = k; $('#trace-out').textContent = `${k} / ${trace.frames - 1}`; }
  }

  function frameScores(scores, k, c) {
    const pick = (s) => (s ? f32Bytes(f32(s).subarray(k * c, (k + 1) * c)) : null);
    return { undefended: pick(scores.undefended), defended: pick(scores.defended) };
  }

  form.elements.attack.addEventListener('change', showFields);
  form.elements.targeted.addEventListener('change', showFields);
  $('#attack-btn').addEventListener('click', () => run());
  $('#trace-slider').addEventListener('input', (e) => render(Number(e.target.value)));
  lab.on('dataset', onDataset);
  lab.on('busy', (busy) => { $('#attack-btn').disabled = busy; });
  return { run, form };
}
