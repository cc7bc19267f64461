// Charts on the page's main thread. The worker sends numbers; the page builds a chart spec
// (docs/charts.md gives the JSON shape of each kind) and calls drawChart, which
// draws it with the same wasm module (pkg/advlab.js) instantiated here, once, on this thread:
// plotters measures text with a DOM <span>, which a worker does not have.
//
//   initCharts(module);   // the WebAssembly.Module the worker also runs (env.js)
//   drawChart(canvas, { kind: 'bars', title: 'Class scores', labels, series });
//
// drawChart sizes the canvas backing store to its size on screen × devicePixelRatio (so text is
// crisp), passes that ratio (times the page's CSS zoom) as the spec's `scale`, and gives the canvas role="img" and an
// aria-label that says in words what the chart shows (chartSummary). A bad spec throws an
// Error whose message names the offending field and value.
import { initSync, draw_chart } from './pkg/advlab.js';
import { t, language } from './i18n.js';

let loaded = false;

// Instantiates the compiled wasm module on the main thread (a second call does nothing).
export function initCharts(module) {
  initSync({ module });
  loaded = true;
}

// Typed arrays (Uint8Array grid classes, Float32Array scores) become plain arrays.
function plain(value) {
  if (ArrayBuffer.isView(value)) return Array.from(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

// Draws `spec` on `canvas` at the device pixel ratio and labels the canvas for screen readers.
export function drawChart(canvas, spec) {
  if (!loaded) throw new Error('charts are not loaded yet: call initCharts(module) first');
  // The backing store matches the canvas's size on screen (CSS zoom and devicePixelRatio
  // included); `scale` makes the chart's text and lines follow the same zoom as the page's text,
  // so an embed zoomed out to fit its frame keeps charts in proportion.
  const box = canvas.getBoundingClientRect();
  const zoom = canvas.currentCSSZoom || 1;
  const dpr = window.devicePixelRatio || 1;
  let scale = 1;
  if (box.width > 0 && box.height > 0) {
    canvas.width = Math.round(box.width * dpr);
    canvas.height = Math.round(box.height * dpr);
    scale = dpr * zoom;
  }
  // A canvas too small for the chart at this scale (a narrow panel of a zoomed-out embed) gets
  // smaller text and lines, down to half size, before the size error reaches the caller.
  const data = { lang: language(), ...plain(spec) };
  let s = spec.scale ?? scale;
  for (let attempt = 0; ; attempt++) {
    try {
      draw_chart(canvas, { ...data, scale: s });
      break;
    } catch (err) {
      if (attempt >= 3 || spec.scale != null || !/too small for this chart/.test(String(err.message || err))) {
        if (language() === 'ko' && err && err.ko) err.message = err.ko;
        throw err;
      }
      s *= 0.8;
    }
  }
  // The chart's text size relative to the page's unzoomed text (1: as designed; under 1: shrunk
  // to fit a small canvas, or zoomed out with an embed).
  canvas.dataset.textScale = String(s / (window.devicePixelRatio || 1));
  canvas.chartSpec = spec; // for the PNG/CSV export buttons (exports.js)
  canvas.dispatchEvent(new Event('chartdrawn'));
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', chartSummary(spec));
}

// The chart on `canvas` drawn again at `factor` times its size on the page (CSS zoom left out),
// on white, as PNG bytes: sharp on a projector when pasted into a slide.
export function chartPng(canvas, factor = 2) {
  const box = canvas.getBoundingClientRect();
  const zoom = canvas.currentCSSZoom || 1;
  const width = Math.round(((box.width || canvas.width) / zoom) * factor);
  const height = Math.round(((box.height || canvas.height) / zoom) * factor);
  const drawn = document.createElement('canvas');
  drawn.width = width;
  drawn.height = height;
  draw_chart(drawn, { lang: language(), ...plain(canvas.chartSpec), scale: factor });
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(drawn, 0, 0);
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}

// A score as the charts print it: a percentage when the axis tops out at 1.
function score(value, yMax) {
  if (!Number.isFinite(value)) return t('sr_no_value');
  return yMax === 1 ? `${Math.round(value * 100)}%` : value.toFixed(2);
}

// The marked class of a bar series: `highlight`, else the first arg-max of the finite values.
function marked(series) {
  if (series.highlight != null) return series.highlight;
  let best = null;
  Array.from(series.values || []).forEach((v, i) => {
    if (Number.isFinite(v) && (best === null || v > series.values[best])) best = i;
  });
  return best;
}

const round = (v) => Number(v.toPrecision(3)).toString();

function barsSummary(spec) {
  const yMax = spec.y_max ?? 1;
  const parts = (spec.series || []).map((s) => {
    const m = marked(s);
    return m === null ? t('sr_no_scores', { model: s.name })
      : t('sr_predicts', { model: s.name, label: spec.labels[m], p: score(s.values[m], yMax) });
  });
  return parts.length ? parts.join(', ') : t('sr_none_yet');
}

function linesSummary(spec) {
  const [x, y] = [spec.x_label || 'x', spec.y_label || 'y'];
  const parts = (spec.series || []).map((s) => {
    const pts = Array.from(s.points || []).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
    if (pts.length === 0) return t('sr_no_points', { name: s.name });
    const [first, last] = [pts[0], pts[pts.length - 1]];
    if (pts.length === 1) return t('sr_one_point', { name: s.name, y, x, a: round(first[1]), c: round(first[0]) });
    return t('sr_goes', { name: s.name, y, x, a: round(first[1]), b: round(last[1]), c: round(first[0]), d: round(last[0]) });
  });
  return parts.length ? parts.join('; ') : t('sr_no_curves');
}

function mapSummary(spec) {
  const vars = { names: (spec.class_names || []).join(', '), x: spec.x_label || 'x', y: spec.y_label || 'y', n: (spec.points || []).length };
  let text = t(spec.grid ? 'sr_regions' : 'sr_classes', vars);
  const arrows = spec.arrows || [];
  if (arrows.length) text += `; ${t('sr_fooled', { fooled: arrows.filter((a) => a.fooled).length, n: arrows.length })}`;
  return text;
}

// A one-sentence text equivalent of a chart spec, used as the canvas's aria-label.
export function chartSummary(spec) {
  const body = { bars: barsSummary, lines: linesSummary, decision_map: mapSummary }[spec.kind];
  if (!body) return spec.title || t('chart_word');
  return spec.title ? `${spec.title}: ${body(spec)}` : body(spec);
}
