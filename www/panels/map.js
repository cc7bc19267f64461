// Panel 4, IRIS decision regions: for a chosen pair of features, both models' predicted class
// over a grid (the other features at their test-set means), the 45 test flowers, and, with the
// attack of panel 3, an arrow from each flower to its adversarial version, for each model.
import { drawChart } from '../charts.js';
import { f32 } from '../engine.js';
import { t, localNames, dataName } from '../i18n.js';
import { $, showError, clearErrors } from '../ui.js';
import { applyUrlState } from '../state.js';
import { attackConfig } from './attack.js';

export function initMapPanel(lab, urlState) {
  const form = $('#map-form');

  function onDataset(info) {
    if (info.input_shape.length !== 1) return;
    const opts = () => localNames(info.feature_names).map((n, i) => new Option(n, String(i)));
    form.elements.fx.replaceChildren(...opts());
    form.elements.fy.replaceChildren(...opts());
    form.elements.fx.value = '2';
    form.elements.fy.value = '3';
    lab.urlProblems(applyUrlState('map-form', urlState));
    for (const slot of ['undefended', 'defended']) clear($(`#map-${slot}`));
  }

  function clear(canvas) {
    canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
  }

  async function draw() {
    clearErrors('map');
    if (!lab.dataset || lab.dataset.input_shape.length !== 1 || !lab.hasModel()) return;
    const features = [Number(form.elements.fx.value), Number(form.elements.fy.value)];
    const settings = { dataset: lab.dataset.name, features, resolution: 80, seed: 0,
      attack: form.elements.with_attack.checked ? attackConfig() : null };
    try {
      const ev = await lab.engine.request({ type: 'Map', settings }, ['DecisionMap']);
      render(ev.result);
    } catch (err) {
      showError('map', err);
    }
  }

  function render(r) {
    const info = lab.dataset;
    const pts = f32(r.points);
    const points = r.labels.map((c, i) => ({ x: pts[2 * i], y: pts[2 * i + 1], class: c }));
    for (const slot of ['undefended', 'defended']) {
      const canvas = $(`#map-${slot}`);
      if (!r[slot]) { clear(canvas); continue; }
      const arrowsOf = r.arrows.find((a) => a.slot === slot);
      const arrows = [];
      if (arrowsOf) {
        const to = f32(arrowsOf.to);
        for (let i = 0; i < points.length; i++) {
          arrows.push({ from: [points[i].x, points[i].y], to: [to[2 * i], to[2 * i + 1]], fooled: arrowsOf.fooled[i] });
        }
      }
      drawChart(canvas, {
        kind: 'decision_map', title: t('map_title', { slot: t('slot_' + slot) }),
        x_label: dataName(info.feature_names[r.features[0]]), y_label: dataName(info.feature_names[r.features[1]]),
        x_range: r.x_range, y_range: r.y_range,
        grid: { width: r.resolution, height: r.resolution, classes: Array.from(r[slot]) },
        class_names: localNames(info.class_names), points, arrows,
      });
      const fooled = arrows.filter((a) => a.fooled).length;
      if (arrowsOf) canvas.setAttribute('aria-label', `${t('map_title', { slot: t('slot_' + slot) })}: ${fooled} / ${arrows.length} ${t('fooled')}`);
    }
  }

  $('#map-btn').addEventListener('click', draw);
  form.addEventListener('change', draw);
  lab.on('dataset', onDataset);
  lab.on('models', draw);
  lab.on('attack', () => { if (form.elements.with_attack.checked) draw(); });
}
