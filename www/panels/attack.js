// Panel 3, the attack: the catalog's evasion attacks with ART's parameter names (the form is built
// from the catalog: params.js), run on the current input against one model while the other model
// reads the same adversarial input (crafted on the undefended model and read by the defended one,
// that is the transfer setting). Shows the original, the adversarial input, the perturbation on a
// diverging colour map, its L0/L2/L-inf (computed in Rust, per iteration), both models' scores,
// and a slider over the iterations of iterative attacks.
import { drawChart } from '../charts.js';
import { f32, f32Bytes } from '../engine.js';
import { drawGray, drawDiverging, drawSignedRgb } from '../images.js';
import { t, localNames } from '../i18n.js';
import { $, showError, clearErrors, checkFieldsLive, pct } from '../ui.js';
import { applyUrlState } from '../state.js';
import { renderParams, readParams, methodHelp, problemWith } from '../params.js';
import { drawScores } from './input.js';

let catalog = null; // the catalog the form was built from (the dataset's once one is loaded)

// The attack as the protocol's AttackConfig: `{attack: 'pgd', eps: 0.1, ...}`.
export function attackConfig() {
  const form = $('#attack-form');
  return { attack: form.elements.attack.value, ...readParams($('#attack-params')) };
}

// The catalog's description of attack `name`.
export function attackMethod(name) {
  return catalog && catalog.attacks.find((a) => a.name === name);
}

export function initAttackPanel(lab, urlState, generic) {
  const form = $('#attack-form');
  let result = null;
  catalog = generic;

  // The attack menu, and the chosen attack's parameters at the catalog's suggestions (a newly chosen
  // attack starts from its own values: HopSkipJump's norm is 2 where FGSM's is inf).
  function fillMenu() {
    const keep = form.elements.attack.value;
    form.elements.attack.replaceChildren(...catalog.attacks.map((a) => new Option(a.label, a.name)));
    form.elements.attack.value = keep && attackMethod(keep) ? keep : catalog.attacks[0].name;
  }

  function showParams(values = readParams($('#attack-params'))) {
    const method = attackMethod(form.elements.attack.value);
    renderParams($('#attack-params'), method.params, { group: method.name, values });
    showTarget();
  }

  function showTarget() {
    const method = attackMethod(form.elements.attack.value);
    const targeted = method.targeted === 'always' || (method.targeted === 'optional' && form.elements.targeted && form.elements.targeted.checked);
    form.elements.target.closest('label').hidden = !targeted;
    // "A random wrong class" exists only where the attack draws one itself (JSMA).
    if (form.elements.target.options.length) form.elements.target.options[0].hidden = method.targeted !== 'always';
    if (method.targeted !== 'always' && form.elements.target.value === '') form.elements.target.value = '1';
    $('#attack-desc').textContent = methodHelp(method);
  }

  // How the attack goes through the crafting model's defence stack (the catalog's `adaptive`
  // group), shown when that model has a stack or a detector.
  function showAdaptive() {
    const m = lab.model(form.elements.model.value);
    const box = $('#adaptive-box');
    box.hidden = !(m && ((m.stack && m.stack.pieces.length) || m.has_detector));
    if (!$('#adaptive-params').children.length) renderParams($('#adaptive-params'), catalog.adaptive.params, { group: 'adaptive' });
  }

  function onDataset(info) {
    catalog = info.catalog;
    fillMenu();
    showParams({});
    renderParams($('#adaptive-params'), catalog.adaptive.params, { group: 'adaptive' });
    showAdaptive();
    const target = form.elements.target;
    target.replaceChildren(new Option(t('random_target'), ''), ...localNames(info.class_names).map((n, i) => new Option(n, String(i))));
    lab.urlProblems(applyUrlState('attack-form', urlState));
    showTarget();
    $('#attack-result').hidden = true;
  }

  function targets() {
    const method = attackMethod(form.elements.attack.value);
    const cfg = attackConfig();
    if (!(method.targeted === 'always' || cfg.targeted)) return null;
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
    if (!$('#adaptive-box').hidden) settings.adaptive = readParams($('#adaptive-params'));
    const problem = problemWith({ type: 'Attack', settings });
    if (problem) { showError('attack', problem); return null; }
    try {
      // Black-box attacks count their queries: the job bar shows the count as it grows.
      const queries = (p) => (p.queries ? t('queries_so_far', { total: p.queries.total.toLocaleString(), samples: p.queries.samples }) : '');
      const ev = await lab.runJob(t('job_attack'), { type: 'Attack', settings }, queries);
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
      const [h, w, channels] = info.input_shape;
      drawGray($('#orig-img'), x, w, h, info.clip_values, channels);
      drawGray($('#adv-img'), adv, w, h, info.clip_values, channels);
      const scale = channels === 3 ? drawSignedRgb($('#delta-img'), delta, w, h) : drawDiverging($('#delta-img'), delta, w, h);
      $('#delta-scale').textContent = `±${scale.toFixed(3)}`;
      document.querySelector('.legend-bar').hidden = channels === 3;
    } else {
      drawChart($('#feature-chart'), {
        kind: 'bars', title: t('features_title'), labels: localNames(info.feature_names), y_max: info.clip_values[1],
        series: [{ name: t('original'), values: Array.from(x) }, { name: t('adversarial'), values: Array.from(adv) }],
      });
    }
    // The norms come from Rust, per trace frame (or for the result).
    const norms = trace ? trace.norms : r.norms;
    const at = trace ? k : 0;
    const [l0, l2, linf] = [norms.l0[at], norms.l2[at], norms.linf[at]];
    const iters = trace ? k : r.iterations[0];
    const extra = [];
    if (r.queries) extra.push(t('queries_used', { q: r.queries[0].toLocaleString() }));
    if (r.first_success) extra.push(r.first_success[0] == null ? t('stayed_robust') : r.first_success[0] === 'misclassified' ? t('misclassified') : t('first_success', { attack: r.first_success[0] }));
    for (const d of r.detector || []) extra.push(detectorWords(d));
    $('#attack-norms').textContent = [t('norms', { l0, l2: l2.toFixed(3), linf: linf.toFixed(3), iters }), ...extra, t('transfer_note', { slot: t('slot_' + r.crafted_on) })].join(' · ');
    $('#attack-norms').dataset.linf = String(linf);
    const scores = trace ? frameScores(trace.scores, k, info.class_names.length) : r.adv_scores;
    // A drawing or a photo has no true label (the worker attacks away from the model's own prediction).
    const drawing = lab.input && lab.input.source !== 'test';
    drawScores($('#attack-scores'), t('scores_adv'), localNames(info.class_names), scores, drawing ? null : r.labels[0]);
    // An attack that changed neither model's answer says so, and what to try.
    const last = !trace || k === trace.frames - 1;
    const metrics = [r.undefended, r.defended].filter(Boolean);
    // (Untargeted, and each model right before and after: its answer did not move.)
    const unchanged = last && !r.targets && metrics.length > 0 && metrics.every((m) => m.clean_accuracy === 1 && m.adversarial_accuracy === 1);
    $('#attack-hint').hidden = !unchanged;
    $('#attack-hint').textContent = unchanged ? t('attack_no_change', { attack: r.attack.toUpperCase() }) : '';
    const slider = $('#trace-slider');
    slider.closest('label').hidden = !trace || trace.frames < 2;
    if (trace) { slider.max = trace.frames - 1; slider.value = k; $('#trace-out').textContent = `${k} / ${trace.frames - 1}`; }
  }

  // What a slot's detector says about the original and the adversarial input (or, for several
  // samples, the fractions it flags and what the attacker wins against model and detector).
  function detectorWords(d) {
    const slot = t('slot_' + d.slot);
    if (d.adversarial_scores.length === 1) {
      const verdict = (score) => t('detector_score', { verdict: t(score >= d.threshold ? 'verdict_flagged' : 'verdict_clean'), score: score.toFixed(2) });
      return t('attack_detector_one', { slot, adv: verdict(d.adversarial_scores[0]), clean: verdict(d.clean_scores[0]) });
    }
    return t('attack_detector', { slot, adv: pct(d.adversarial_flagged), clean: pct(d.clean_flagged), won: pct(d.fooled_undetected) });
  }

  function frameScores(scores, k, c) {
    const pick = (s) => (s ? f32Bytes(f32(s).subarray(k * c, (k + 1) * c)) : null);
    return { undefended: pick(scores.undefended), defended: pick(scores.defended) };
  }

  form.elements.attack.addEventListener('change', () => showParams({}));
  form.elements.model.addEventListener('change', showAdaptive);
  lab.on('models', showAdaptive);
  form.addEventListener('change', (e) => { if (e.target.name === 'targeted') showTarget(); });
  lab.on('language', () => { showParams(); renderParams($('#adaptive-params'), catalog.adaptive.params, { group: 'adaptive', values: readParams($('#adaptive-params')) }); });
  checkFieldsLive(form);
  fillMenu();
  showParams({});
  $('#attack-btn').addEventListener('click', () => run());
  $('#trace-slider').addEventListener('input', (e) => render(Number(e.target.value)));
  lab.on('dataset', onDataset);
  lab.on('busy', (busy) => { $('#attack-btn').disabled = busy; });
  return { run, form };
}
