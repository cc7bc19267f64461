// Panel 2, the input: a drawing canvas (mouse, touch and pen through pointer events; the canvas
// has `touch-action: none`, so a finger draws instead of scrolling), the 28x28 image the models
// actually see (digitised in Rust the MNIST way), a test-sample picker, and both models' class
// scores, updated live while drawing; a photo of the user's, centre-cropped and resized to the
// dataset's images (the only input of a colour dataset besides its test set). For IRIS it shows
// the picked flower's four features.
import { drawChart } from '../charts.js';
import { f32, f32Bytes } from '../engine.js';
import { drawGray, inkOf, photoPixels } from '../images.js';
import { t, localNames } from '../i18n.js';
import { $, showError, clearErrors, pct, num, argmax } from '../ui.js';
import { applyUrlState } from '../state.js';

const BRUSH = 18; // px on the 280 px canvas: about MNIST's stroke width after scaling

export function initInputPanel(lab, urlState) {
  const canvas = $('#draw');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const form = $('#pick-form');
  let drawing = null; // the last point of the current stroke
  let inFlight = false;
  let pending = null;

  // One Predict request at a time; while one runs, only the latest wish is kept.
  async function predict(input, meta) {
    if (!lab.dataset) return;
    if (inFlight) { pending = [input, meta]; return; }
    inFlight = true;
    try {
      const ev = await lab.engine.request({ type: 'Predict', dataset: lab.dataset.name, input }, ['Prediction']);
      clearErrors('input');
      setInput(ev.result, meta);
    } catch (err) {
      showError('input', err);
    } finally {
      inFlight = false;
      if (pending) { const [i, m] = pending; pending = null; predict(i, m); }
    }
  }

  function setInput(result, meta) {
    const x = f32(result.x);
    // A re-scored input (new models) keeps its label and test index.
    const label = meta.keep ? meta.label : (result.labels ? result.labels[0] : null);
    const index = meta.keep ? meta.index : result.index;
    lab.input = { x, label, index, source: meta.source };
    if (index != null) form.elements.index.value = index;
    renderInput(result.scores);
    renderDetector(result.detector || {});
    lab.emit('input', lab.input);
  }

  // Each detector's score for the input, and whether it reaches the detector's threshold.
  function renderDetector(scores) {
    const line = $('#input-detector');
    const words = [];
    for (const slot of ['undefended', 'defended']) {
      const s = scores[slot];
      if (!s || !s.length) continue;
      const m = lab.model(slot);
      const threshold = m && m.detector ? m.detector.threshold : 0.5;
      const verdict = t(s[0] >= threshold ? 'verdict_flagged' : 'verdict_clean');
      words.push(t('detector_verdict', { slot: t('slot_' + slot), verdict, score: s[0].toFixed(2) }));
    }
    line.hidden = !words.length;
    line.textContent = words.join(' · ');
  }

  function renderInput(scores) {
    const info = lab.dataset;
    const { x, label, source } = lab.input;
    if (info.input_shape.length === 3) drawGray($('#seen'), x, info.input_shape[1], info.input_shape[0], info.clip_values, info.input_shape[2]);
    else renderFeatures(x);
    const names = localNames(info.class_names);
    const size = info.input_shape.join(' × ');
    const caption = source === 'drawing' ? t('drawn') : source === 'photo' ? t('photo', { size })
      : `#${lab.input.index} · ${t('true_label', { label: names[label] })}`;
    $('#input-label').textContent = caption;
    drawScores($('#input-scores'), t('scores_title'), names, scores, label);
  }

  function renderFeatures(x) {
    const table = $('#features');
    const names = localNames(lab.dataset.feature_names);
    table.replaceChildren(...names.map((n, i) => {
      const tr = document.createElement('tr');
      tr.innerHTML = `<th scope="row"></th><td></td>`;
      tr.cells[0].textContent = n;
      tr.cells[1].textContent = `${x[i].toFixed(3)} (${(x[i] * 7.9).toFixed(1)} cm)`;
      return tr;
    }));
  }

  function strokeTo(e) {
    const r = canvas.getBoundingClientRect();
    const p = [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = BRUSH * (e.pressure > 0 && e.pointerType === 'pen' ? 0.6 + e.pressure * 0.8 : 1);
    ctx.strokeStyle = '#000';
    ctx.beginPath();
    ctx.moveTo(...(drawing || p));
    ctx.lineTo(...p);
    ctx.stroke();
    drawing = p;
    predictDrawing();
  }

  function predictDrawing() {
    const { width, height, ink } = inkOf(canvas);
    predict({ kind: 'drawing', width, height, ink }, { source: 'drawing' });
  }

  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.preventDefault();
    // Keep the stroke when the pointer leaves the canvas; synthetic events have no active pointer.
    try { canvas.setPointerCapture(e.pointerId); } catch { /* not capturable: draw anyway */ }
    drawing = null;
    strokeTo(e);
  });
  canvas.addEventListener('pointermove', (e) => { if (drawing) { e.preventDefault(); strokeTo(e); } });
  for (const end of ['pointerup', 'pointercancel']) canvas.addEventListener(end, () => { drawing = null; });
  $('#clear-btn').addEventListener('click', () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    predictDrawing();
  });
  // Picking a test sample replaces the drawing, so the canvas is cleared to avoid a mismatch.
  const clearDrawing = () => ctx.clearRect(0, 0, canvas.width, canvas.height);
  $('#pick-btn').addEventListener('click', () => pickTest(num(form, 'index') ?? 0));
  $('#random-btn').addEventListener('click', () => clearDrawing() || predict({ kind: 'test', seed: Math.floor(Math.random() * 2 ** 31) }, { source: 'test' }));

  // Shows test sample `index` (cleared drawing); resolves once both models' scores are shown.
  function pickTest(index) {
    clearDrawing();
    form.elements.index.value = index;
    const shown = lab.next('input');
    predict({ kind: 'test', index }, { source: 'test' });
    return shown;
  }

  // A photo of the user's: the models read it at the dataset's size (it has no true label).
  const photo = $('#photo-file');
  photo.addEventListener('change', async () => {
    const file = photo.files[0];
    photo.value = '';
    if (!file || !lab.dataset || lab.dataset.input_shape.length !== 3) return;
    const [side, , channels] = lab.dataset.input_shape;
    let x;
    try {
      x = await photoPixels(file, side, channels);
    } catch {
      showError('input', new Error(t('bad_photo')));
      return;
    }
    clearDrawing();
    predict({ kind: 'given', x: f32Bytes(x) }, { source: 'photo' });
  });

  lab.on('dataset', () => {
    form.elements.index.max = lab.dataset.test - 1;
    lab.urlProblems(applyUrlState('pick-form', urlState));
    const index = num(form, 'index') ?? 0;
    pickTest(form.elements.index.checkValidity() ? index : 0);
  });
  // New models: score the current input again.
  lab.on('models', () => {
    if (lab.input) predict({ kind: 'given', x: f32Bytes(lab.input.x) }, { ...lab.input, source: lab.input.source, keep: true });
  });
  return { pickTest };
}

// Grouped bars of both models' scores; the arg-max bar is highlighted (and labelled by the chart).
export function drawScores(canvas, title, names, scores, label) {
  const series = [];
  for (const slot of ['undefended', 'defended']) {
    if (!scores[slot]) continue;
    const values = Array.from(f32(scores[slot])).slice(0, names.length);
    series.push({ name: t(slot), values, highlight: argmax(values) });
  }
  drawChart(canvas, { kind: 'bars', title, labels: names, series, y_max: 1 });
  const words = series.map((s) => t('predicts', { model: s.name, label: names[s.highlight], p: pct(s.values[s.highlight]) }));
  if (label != null) words.push(t('true_label', { label: names[label] }));
  canvas.setAttribute('aria-label', `${title}: ${words.join('; ')}`);
}
